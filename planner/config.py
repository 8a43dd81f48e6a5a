"""Settings in force: defaults, then the TOML config file, then environment, then flags.

Each setting remembers where it came from, so `planner config show` can say so.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.i18n import _
from planner.services.errors import InputError

if TYPE_CHECKING:
    from planner.domain.schedule import WorkCalendar
    from planner.io.files import FileLimits

from planner.i18n import N_

APP = "planner"

#: setting -> (environment variable, default)
SETTINGS: dict[str, tuple[str | None, Any]] = {
    "db": ("PLANNER_DB", None),
    "language": ("PLANNER_LANG", None),
    "user": ("PLANNER_USER", None),
    "max_attachment_mb": ("PLANNER_MAX_ATTACHMENT_MB", 25),
    "max_seed_mb": ("PLANNER_MAX_SEED_MB", 20),
    "max_import_mb": ("PLANNER_MAX_IMPORT_MB", 50),
    "max_unpacked_mb": ("PLANNER_MAX_UNPACKED_MB", 100),
    "smtp_host": ("PLANNER_SMTP_HOST", "localhost"),
    "smtp_port": ("PLANNER_SMTP_PORT", 25),
    "smtp_security": ("PLANNER_SMTP_SECURITY", "none"),  # none | starttls | ssl
    "smtp_user": ("PLANNER_SMTP_USER", ""),
    "smtp_password": ("PLANNER_SMTP_PASSWORD", ""),
    "mail_from": ("PLANNER_MAIL_FROM", ""),
    "reports_dir": ("PLANNER_REPORTS_DIR", None),  # None: the user's documents folder
    # Formal documents (reports.paper): who signs, the symbol of the number line, recipients.
    "doc_symbol": (None, ""),  # "BC-SGDĐT"; default from the plan's number (45/KH-SGDĐT)
    "doc_signer_for": (None, ""),  # "KT. GIÁM ĐỐC"
    "doc_signer_title": (None, "GIÁM ĐỐC"),  # "PHÓ GIÁM ĐỐC"
    "doc_signer": (None, ""),  # the signer's full name
    "doc_recipients": (None, None),  # Nơi nhận of the weekly status: a list of lines
    "doc_report_to": (None, None),  # Kính gửi of the periodic reports: a list of lines
    "doc_report_recipients": (None, None),  # Nơi nhận of the periodic reports
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

#: Settings that are a size in megabytes: a positive number, at most this.
SIZE_SETTINGS = ("max_attachment_mb", "max_seed_mb", "max_import_mb", "max_unpacked_mb")
MAX_SIZE_MB = 100_000


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


class ConfigError(InputError):
    """A config file or environment setting planner cannot use (exit 2, bad input)."""


@dataclass
class Settings:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, for the TUI
    holidays: list[date] = field(default_factory=list)  # [holidays] extra: further days off
    workdays: list[date] = field(default_factory=list)  # [holidays] workdays: days worked
    path: Path | None = None

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def override(self, name: str, value: Any, source: str = "flag") -> None:
        if value is not None:
            self.values[name] = value
            self.sources[name] = source

    def size_bytes(self, name: str) -> int:
        """A size setting (already checked by `load_settings`) in bytes."""
        return int(float(self.values[name]) * 1024 * 1024)

    def file_limits(self) -> FileLimits:
        from planner.io.files import FileLimits

        return FileLimits(seed_bytes=self.size_bytes("max_seed_mb"),
                          import_bytes=self.size_bytes("max_import_mb"),
                          unpacked_bytes=self.size_bytes("max_unpacked_mb"))

    def work_calendar(self) -> WorkCalendar:
        from planner.domain.schedule import WorkCalendar

        return WorkCalendar(days_off=frozenset(self.holidays), days_on=frozenset(self.workdays))


def load_settings(path: Path | None = None) -> Settings:
    """Defaults, then the config file, then the environment; ConfigError (naming the file or
    the variable, and the setting) for anything planner cannot use."""
    settings = Settings(path=path or config_path())
    for name, (_env, default) in SETTINGS.items():
        settings.values[name] = default
        settings.sources[name] = "default"
    file_data: dict[str, Any] = {}
    if settings.path is not None and settings.path.exists():
        file_data = _read_config(settings.path)
    where = _("config file {path}").format(path=settings.path)
    for name, value in file_data.items():
        if name == "keys":
            if not isinstance(value, dict):
                raise ConfigError(_("{where}: [keys] must be a table (binding id = \"keys\").")
                                  .format(where=where))
            settings.keys = {str(k): str(v) for k, v in value.items()}
        elif name == "holidays":
            settings.holidays, settings.workdays = _holidays(value, where)
        elif name in SETTINGS:
            settings.values[name] = _checked(name, value, where)
            settings.sources[name] = f"file {settings.path}"
        else:
            import difflib

            close = difflib.get_close_matches(name, [*SETTINGS, "keys", "holidays"], n=1)
            hint = _(' (did you mean "{name}"?)').format(name=close[0]) if close else ""
            raise ConfigError(_("{where}: unknown setting \"{name}\"{hint}.").format(
                where=where, name=name, hint=hint))
    for name, (env, _default) in SETTINGS.items():
        if env and os.environ.get(env):
            where_env = _("environment variable {env}").format(env=env)
            settings.values[name] = _checked(name, os.environ[env], where_env)
            settings.sources[name] = f"environment {env}"
    return settings


def _read_config(path: Path) -> dict[str, Any]:
    from planner.io.files import MAX_CONFIG_BYTES, read_limited

    where = _("config file {path}").format(path=path)
    try:  # refuses a directory, FIFO or device, and anything over the limit
        data = read_limited(path, limit=MAX_CONFIG_BYTES)
    except InputError as exc:
        raise ConfigError(_("config file: {reason}").format(reason=exc.message)) from None
    if b"\x00" in data:
        raise ConfigError(_("{where}: a binary file, not TOML text.").format(where=where))
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(_("{where}: not UTF-8 text (byte {offset}).").format(
            where=where, offset=exc.start)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("{where}: not valid TOML: {detail}").format(
            where=where, detail=exc)) from None
    except RecursionError:
        raise ConfigError(_("{where}: not valid TOML: nested too deeply.").format(
            where=where)) from None


def _checked(name: str, value: Any, where: str) -> Any:
    """The value of setting `name` when planner can use it; ConfigError otherwise."""
    if name in SIZE_SETTINGS:
        try:
            number = float(str(value).strip().replace(",", ".")) if not isinstance(value, bool) \
                else math.nan
        except ValueError:
            number = math.nan
        if not 0 < number <= MAX_SIZE_MB:  # also refuses nan
            raise ConfigError(_("{where}: {name} = \"{value}\" is not a size in megabytes "
                                "(a number above 0, at most {most}).").format(
                where=where, name=name, value=value, most=MAX_SIZE_MB))
        return number
    if name == "smtp_port":
        try:
            port = int(str(value).strip()) if not isinstance(value, bool) else -1
        except ValueError:
            port = -1
        if not 1 <= port <= 65535:
            raise ConfigError(_("{where}: smtp_port = \"{value}\" is not a port number "
                                "(1–65535).").format(where=where, value=value))
        return port
    if name == "smtp_security" and str(value) not in ("none", "starttls", "ssl"):
        raise ConfigError(_("{where}: smtp_security = \"{value}\" is not one of none, starttls, "
                            "ssl.").format(where=where, value=value))
    if name == "language" and value not in (None, "", "vi", "en"):
        raise ConfigError(_("{where}: language = \"{value}\" is not one of vi, en.").format(
            where=where, value=value))
    if not isinstance(value, str | int | float):
        raise ConfigError(_("{where}: {name} must be a single value, not {value}.").format(
            where=where, name=name, value=value))
    return value


def _holidays(value: Any, where: str) -> tuple[list[date], list[date]]:
    """`[holidays] extra = [...]` (further days off) and `workdays = [...]` (days worked):
    TOML dates or dates as people type them (10/05/2022, 2022-05-10)."""
    from planner.domain.schedule import DateError, parse_date

    if not isinstance(value, dict):
        raise ConfigError(_("{where}: [holidays] must be a table with extra = [...] and "
                            "workdays = [...].").format(where=where))
    lists: dict[str, list[date]] = {"extra": [], "workdays": []}
    for key, entries in value.items():
        if key not in lists:
            raise ConfigError(_("{where}: [holidays] has no setting \"{key}\" (extra, "
                                "workdays).").format(where=where, key=key))
        if not isinstance(entries, list):
            entries = [entries]
        for i, entry in enumerate(entries, start=1):
            if isinstance(entry, date) and not isinstance(entry, datetime):
                lists[key].append(entry)
                continue
            try:
                lists[key].append(parse_date(str(entry)))
            except DateError as exc:
                raise ConfigError(_("{where}: [holidays] {key}, entry {n} (\"{entry}\"): "
                                    "{message}").format(where=where, key=key, n=i, entry=entry,
                                                        message=exc.message)) from None
    return lists["extra"], lists["workdays"]
