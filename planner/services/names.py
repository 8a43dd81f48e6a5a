"""Finding an office or a criterion by what people type, without the ORM.

The one rule for an office's name (its code as typed, then its code in any case, name or
alias, without regard to diacritics) and the messages that say what exists when nothing
matches. `planner.services.lookup` applies the same rule to ORM objects for writes; the
commands that only read (a list filtered by office, a criterion to show) look up here, on the
Core tables, so they import neither SQLModel, pydantic nor the models (0.2-0.4 s of a
command; docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy import select as sa_select

from planner.domain.text import fold
from planner.i18n import _
from planner.services.errors import NotFound
from planner.store import tables as t

Candidate = TypeVar("Candidate")


def match_office(
    candidates: Iterable[Candidate], wanted: str, names: Callable[[Candidate], list[str]]
) -> Candidate | None:
    """The candidate whose code, name or an alias folds to what was typed (first in order)."""
    key = fold(wanted.strip())
    for candidate in candidates:
        if any(fold(n) == key for n in names(candidate) if n):
            return candidate
    return None


def office_names(code: str, name: str, aliases: str) -> list[str]:
    """What an office may be called: its code, its name and each alias (one per line)."""
    return [code, name, *aliases.splitlines()]


def unknown_office(code: str, codes: Iterable[str]) -> NotFound:
    return NotFound(
        _('Unknown office "{code}" (offices: {codes}).').format(code=code, codes=", ".join(codes))
    )


def unknown_criterion(code: str, year: int) -> NotFound:
    return NotFound(
        _('Unknown criterion "{code}" in the {year} plan.').format(code=code, year=year)
    )


def office_row(conn: Connection, code: str) -> Any:
    """An office's row (`tables.office`) by code, name or alias, as `office_by_code` finds it."""
    office = t.office.c
    wanted = code.strip()
    exact = conn.execute(sa_select(t.office).where(office.code == wanted)).first()
    if exact is not None:
        return exact
    rows = conn.execute(sa_select(t.office).order_by(office.position, office.id)).all()
    found = match_office(rows, wanted, lambda r: office_names(r.code, r.name, r.aliases))
    if found is None:
        raise unknown_office(code, (r.code for r in rows))
    return found


def criterion_row(conn: Connection, plan_id: int, year: int, code: str) -> Any:
    """A criterion's row (`tables.criterion`) of the plan by its code."""
    crit = t.criterion.c
    row = conn.execute(
        sa_select(t.criterion).where(crit.plan_id == plan_id, crit.code == code.strip())
    ).first()
    if row is None:
        raise unknown_criterion(code, year)
    return row
