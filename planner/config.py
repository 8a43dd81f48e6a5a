"""Settings in force: defaults, then the TOML config file, then environment, then flags.

Each setting remembers where it came from, so `planner config show` can say so.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.i18n import N_

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
    "reports_dir": ("PLANNER_REPORTS_DIR", None),  # None: the user's documents folder
}

#: What each setting is for, as `planner config show` says it (translated when shown).
SETTING_HELP: dict[str, str] = {
    "db": N_("the database: a file path or a postgresql+psycopg:// address"),
    "language": N_("the language of the screens and reports: vi or en"),
    "user": N_("who planner acts as (default: your login)"),
    "max_attachment_mb": N_("the largest file evidence may attach, in MB"),
    "smtp_host": N_("the mail server that sends the reports"),
    "smtp_port": N_("its port"),
    "smtp_security": N_("none, starttls or ssl"),
    "smtp_user": N_("the account on the mail server"),
    "smtp_password": N_("its password (from the environment, never a file others can read)"),
    "mail_from": N_("the sender of the reports' emails"),
    "reports_dir": N_("where the terminal interface writes reports (PDF, email files)"),
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


def default_reports_dir() -> Path:
    """The user's documents folder (~/Documents, or the XDG one on Linux)."""
    from platformdirs import user_documents_dir

    return Path(user_documents_dir())


def reports_dir(settings: Settings) -> Path:
    """Where the terminal interface writes report files: the `reports_dir` setting (a leading
    ~ expanded), else the user's documents folder; always an absolute path."""
    value = settings.get("reports_dir")
    folder = Path(str(value)).expanduser() if value else default_reports_dir()
    return folder.resolve()


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
