"""Shared plumbing of the commands: the context, output formats, dates, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from planner.domain.text import display_width
from planner.i18n import _

if TYPE_CHECKING:
    from planner.config import Settings
    from planner.services.context import Context

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

    def context(self, db: str | None = None, *, migrate: bool = True) -> Context:
        """Open (and migrate) the database and build the service context."""
        location = db or self.db_location()
        if location in self._contexts:
            return self._contexts[location]
        from planner.services.context import Context, current_login
        from planner.services.session import open_database

        database, pinned = open_database(location, migrate=migrate)
        ctx = Context(db=database, actor=str(self.settings.get("user") or current_login()))
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


def fmt_date(d: date | None) -> str:
    from planner.domain.dates import listing

    return listing(d) if d else ""


def fmt_points(value: float, lang: str | None = None) -> str:
    from planner.i18n import current_language

    text = f"{value:.2f}"
    if (lang or current_language()) == "vi":
        text = text.replace(".", ",")
    return text


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


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    shown = display_width(text)
    if shown <= width:
        return text
    if shown == len(text):
        return text[:max(0, width - 1)] + "…"
    out_chars: list[str] = []
    used = 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out_chars.append(ch)
        used += w
    return "".join(out_chars) + "…"


def render_table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, flex: int | None = None,
                 right: Iterable[int] = (), width: int | None = None) -> str:
    """Plain aligned columns (fast for 10,000 rows); column `flex` shrinks to fit the width."""
    rows = [list(r) for r in rows]
    right_set = set(right)
    total = width or shutil.get_terminal_size((120, 24)).columns
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    if flex is not None:
        # The last column may run past the edge (it wraps harmlessly); the flex column shrinks
        # so that everything before it stays aligned.
        last = len(widths) - 1
        others = sum(w for i, w in enumerate(widths) if i not in (flex, last)) + 2 * last
        others += min(widths[last], 12) if flex != last else 0
        widths[flex] = max(16, min(widths[flex], total - others))

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            text = clip(cell, widths[i]) if i == flex else cell
            pad = widths[i] - display_width(text)
            parts.append((" " * pad + text) if i in right_set else (text + " " * pad))
        return "  ".join(parts).rstrip()

    rule_widths = list(widths)
    used = sum(widths[:-1]) + 2 * (len(widths) - 1)
    rule_widths[-1] = max(display_width(headers[-1]), min(widths[-1], total - used))
    lines = [line(headers), "  ".join("─" * w for w in rule_widths)]
    lines.extend(line(r) for r in rows)
    return "\n".join(lines)


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
