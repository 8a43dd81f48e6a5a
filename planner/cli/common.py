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

from planner.domain.text import display_width
from planner.i18n import _
from planner.presentation.text import clip, fmt_date, fmt_number, fmt_points, render_table

if TYPE_CHECKING:
    from planner.config import Settings
    from planner.services.context import Context

__all__ = ["clip", "display_width", "fmt_date", "fmt_number", "fmt_points", "render_table"]

F = TypeVar("F", bound=Callable[..., Any])


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

            from planner.config import ConfigError, load_settings

            try:
                self._settings = load_settings(Path(self.config) if self.config else None)
            except ConfigError as exc:
                raise click.ClickException(str(exc)) from exc
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
        from planner.services.session import open_database

        may_create = create or (db is None and not self.db_is_named())
        database, pinned = open_database(location, migrate=migrate, create=may_create)
        requested = self.settings.get("user")
        who = identity.resolve(database, str(requested) if requested else None)
        ctx = Context(db=database, actor=who.actor, real=who.real)
        if pinned is not None:
            ctx.today = pinned
        ctx.plan_year = self.plan_year
        ctx.max_attachment_bytes = int(float(self.settings.get("max_attachment_mb")) * 1024 * 1024)
        self._contexts[location] = ctx
        return ctx

    def close(self) -> None:
        for ctx in self._contexts.values():
            ctx.db.dispose()
        self._contexts.clear()


def state() -> AppState:
    return click.get_current_context().find_object(AppState) or AppState()


def out(text: str = "") -> None:
    click.echo(text)


def warn(text: str) -> None:
    click.echo(text, err=True)


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of", "as_of", metavar="DATE",
        help=_("Compute as of this date (dd/mm/yyyy or ISO); default today."),
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

    return date_field(as_of, "--as-of", today=ctx.today)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def emit_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(str(c)) if isinstance(c, str) else c for c in row])
    sys.stdout.write(buf.getvalue())


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
