"""Shared plumbing of the commands: the context, output formats, dates, errors."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from planner.domain.text import display_width, printable
from planner.i18n import _
from planner.presentation.text import clip, fmt_date, fmt_number, fmt_points, render_table

if TYPE_CHECKING:
    from planner.config import Settings
    from planner.services.context import Context

__all__ = ["clip", "display_width", "fmt_date", "fmt_number", "fmt_points", "render_table"]

F = TypeVar("F", bound=Callable[..., Any])


#: The largest id or version a database column holds (PostgreSQL's INTEGER: 32 bits).
MAX_RECORD_NUMBER = 2**31 - 1


class RecordNumber(click.ParamType):
    """A row id, a version or a count: a whole number from `minimum` up to what the database
    holds, refused as bad input (exit 2) rather than failing inside the driver."""

    name = "integer"

    def __init__(self, minimum: int = 1) -> None:
        self.minimum = minimum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(_('"{value}" is not a whole number.').format(value=value), param, ctx)
        if not self.minimum <= number <= MAX_RECORD_NUMBER:
            self.fail(_("{value} is outside {low}–{high}.").format(
                value=value, low=self.minimum, high=MAX_RECORD_NUMBER), param, ctx)
        return number


#: Evidence ids and row versions start at 1; counts (--limit) at 0.
RECORD_ID = RecordNumber(1)
COUNT = RecordNumber(0)


@dataclass
class AppState:
    """Global options, resolved lazily so `planner --help` touches no database."""

    db: str | None = None
    plan_year: int | None = None
    user: str | None = None
    language: str | None = None
    config: str | None = None
    _settings: Settings | None = None
    _contexts: dict[str, Context] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from pathlib import Path

            from planner.config import load_settings

            # A config planner cannot use raises ConfigError: bad input, exit 2.
            self._settings = load_settings(Path(self.config) if self.config else None)
            self._settings.override("db", self.db)
            self._settings.override("user", self.user)
            self._settings.override("language", self.language)
        return self._settings

    def db_location(self) -> str:
        from planner.config import default_db_path

        return str(self.settings.get("db") or default_db_path())

    def db_is_named(self) -> bool:
        """Whether the database was named (`--db`, `PLANNER_DB`, the config file) rather than
        the default one in the data directory."""
        return self.settings.sources.get("db", "default") != "default"

    def context(self, db: str | None = None, *, migrate: bool = True, create: bool = False) -> Context:
        """Open (and migrate) the database and build the service context.

        Only commands that exist to create a database pass `create=True`; others refuse a
        named database that does not exist (the default one is created as needed)."""
        location = db or self.db_location()
        if location in self._contexts:
            return self._contexts[location]
        from planner.services import identity
        from planner.services.context import Context
        from planner.services.inputs import text_field
        from planner.services.session import open_database

        may_create = create or (db is None and not self.db_is_named())
        database, pinned = open_database(location, migrate=migrate, create=may_create)
        # A user named to act as (--user, PLANNER_USER, the config) is stored in the change
        # log and shown everywhere: checked like any name typed.
        requested = self.settings.get("user")
        if requested:
            requested = text_field(str(requested), "user", max_length=100)
        who = identity.resolve(database, str(requested) if requested else None)
        ctx = Context(db=database, actor=who.actor, real=who.real)
        if pinned is not None:
            ctx.today = pinned
        ctx.plan_year = self.plan_year
        ctx.max_attachment_bytes = self.settings.size_bytes("max_attachment_mb")
        ctx.limits = self.settings.file_limits()
        ctx.work = self.settings.work_calendar()
        self._contexts[location] = ctx
        return ctx

    def close(self) -> None:
        for ctx in self._contexts.values():
            ctx.db.dispose()
        self._contexts.clear()


def state() -> AppState:
    return click.get_current_context().find_object(AppState) or AppState()


def out(text: str = "") -> None:
    """A result line on stdout; stored data in it cannot send the terminal escape sequences."""
    click.echo(printable(text, multiline=True))


def warn(text: str) -> None:
    """A diagnostic on stderr (messages quote what was typed: made printable too)."""
    click.echo(printable(text, multiline=True), err=True)


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of", "as_of", metavar="DATE",
        help=_("Compute as of this date (dd/mm/yyyy or ISO); default today."),
    )(func)


def force_date_option(func: F) -> F:
    """--force: accept a date outside the plan year and its closing period (refused otherwise
    as a likely typo, 2202 for 2022)."""
    return click.option(
        "--force", is_flag=True,
        help=_("Accept a date outside the plan year and its closing period."),
    )(func)


def format_option(*choices: str) -> Callable[[F], F]:
    def deco(func: F) -> F:
        return click.option(
            "--format", "fmt", type=click.Choice(list(choices)), default=choices[0],
            show_default=True, help=_("Output format."),
        )(func)

    return deco


def resolve_as_of(ctx: Context, as_of: str | None) -> date:
    if not as_of:
        return ctx.today
    from planner.services.inputs import date_field

    return date_field(as_of, "--as-of", today=ctx.today, work=ctx.work)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def emit_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(str(c)) if isinstance(c, str) else c for c in row])
    text = buf.getvalue()
    sys.stdout.write(printable(text, multiline=True) if sys.stdout.isatty() else text)


def neutralise(cell: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (=, +, -, @)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def confirm_or_abort(question: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise click.UsageError(_("{q} Add --yes to confirm without a terminal.").format(q=question))
    if not click.confirm(question, default=False):
        raise click.Abort()
