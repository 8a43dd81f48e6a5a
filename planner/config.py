"""Settings in force: defaults, then the TOML config file, then environment, then flags.

Each setting remembers where it came from, so `planner config show` can say so.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APP = "planner"

#: setting -> (environment variable, default)
SETTINGS: dict[str, tuple[str | None, Any]] = {
    "db": ("PLANNER_DB", None),
    "language": ("PLANNER_LANG", None),
    "user": ("PLANNER_USER", None),
    "max_attachment_mb": ("PLANNER_MAX_ATTACHMENT_MB", 25),
    "smtp_host": ("PLANNER_SMTP_HOST", "localhost"),
    "smtp_port": ("PLANNER_SMTP_PORT", 25),
    "smtp_security": ("PLANNER_SMTP_SECURITY", "none"),  # none | starttls | ssl
    "smtp_user": ("PLANNER_SMTP_USER", ""),
    "smtp_password": ("PLANNER_SMTP_PASSWORD", ""),
    "mail_from": ("PLANNER_MAIL_FROM", ""),
    # Formal documents (reports.paper): who signs, the symbol of the number line, recipients.
    "doc_symbol": (None, ""),  # "BC-SGDĐT"; default from the plan's number (45/KH-SGDĐT)
    "doc_signer_for": (None, ""),  # "KT. GIÁM ĐỐC"
    "doc_signer_title": (None, "GIÁM ĐỐC"),  # "PHÓ GIÁM ĐỐC"
    "doc_signer": (None, ""),  # the signer's full name
    "doc_recipients": (None, None),  # Nơi nhận of the weekly status: a list of lines
    "doc_report_to": (None, None),  # Kính gửi of the periodic reports: a list of lines
    "doc_report_recipients": (None, None),  # Nơi nhận of the periodic reports
}


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def config_path() -> Path:
    explicit = os.environ.get("PLANNER_CONFIG")
    return Path(explicit) if explicit else config_dir() / "config.toml"


def default_db_path() -> Path:
    return data_dir() / "planner.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


class ConfigError(Exception):
    pass


@dataclass
class Settings:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, for the TUI
    holidays: list[str] = field(default_factory=list)
    workdays: list[str] = field(default_factory=list)
    path: Path | None = None

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def override(self, name: str, value: Any, source: str = "flag") -> None:
        if value is not None:
            self.values[name] = value
            self.sources[name] = source


def load_settings(path: Path | None = None) -> Settings:
    settings = Settings(path=path or config_path())
    for name, (_env, default) in SETTINGS.items():
        settings.values[name] = default
        settings.sources[name] = "default"
    file_data: dict[str, Any] = {}
    if settings.path is not None and settings.path.exists():
        try:
            file_data = tomllib.loads(settings.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{settings.path}: {exc}") from exc
    for name, value in file_data.items():
        if name == "keys" and isinstance(value, dict):
            settings.keys = {str(k): str(v) for k, v in value.items()}
        elif name == "holidays" and isinstance(value, dict):
            settings.holidays = [str(d) for d in value.get("extra", [])]
            settings.workdays = [str(d) for d in value.get("workdays", [])]
        elif name in SETTINGS:
            settings.values[name] = value
            settings.sources[name] = f"file {settings.path}"
        else:
            raise ConfigError(f"{settings.path}: unknown setting '{name}'")
    for name, (env, _default) in SETTINGS.items():
        if env and os.environ.get(env):
            settings.values[name] = os.environ[env]
            settings.sources[name] = f"environment {env}"
    return settings
