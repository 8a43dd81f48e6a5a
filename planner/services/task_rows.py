"""Task rows: one task occurrence as lists, reports and the terminal UI show it.

Built from the plan's facts (`planner.services.facts`) without the ORM, so that the task list
and `planner tasks` can show their first rows before SQLModel is imported; the queries that
select the rows are in `planner.services.tasks`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.domain.explanations import status_word
from planner.domain.facts import STATUSES, OccurrenceFact, PlanFacts
from planner.domain.occurrences import progress_as_of, resolve
from planner.domain.text import fold

LISTABLE_STATUSES = (*STATUSES, "overdue")


@dataclass(frozen=True)
class TaskRow:
    """One task occurrence as lists, reports and the TUI show it."""

    key: str
    task_code: str
    title: str
    lead: str
    supporting: tuple[str, ...]
    due: date | None
    continuous: bool
    status: str
    progress: int
    criteria: tuple[str, ...]
    overdue: bool
    late: bool
    done_on: date | None
    evidence: str
    recurring: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.key,
            "task": self.task_code,
            "title": self.title,
            "lead": self.lead,
            "supporting": list(self.supporting),
            "due": self.due.isoformat() if self.due else None,
            "continuous": self.continuous,
            "status": self.status,
            "progress": self.progress,
            "criteria": list(self.criteria),
            "overdue": self.overdue,
            "late": self.late,
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class TaskFilter:
    office: str | None = None  # lead or supporting
    lead: str | None = None
    statuses: tuple[str, ...] = ()
    due_within: int | None = None
    criterion: str | None = None
    search: str | None = None


def rows_from_facts(facts: PlanFacts, as_of: date, progress: dict[str, int],
                    today: date | None = None) -> list[TaskRow]:
    crit_by_task: dict[str, list[str]] = {}
    for link in facts.links:
        crit_by_task.setdefault(link.task_code, []).append(link.criterion_code)
    return build_rows(facts.occurrences, crit_by_task, as_of, progress, today)


def build_rows(occurrences: Iterable[OccurrenceFact], crit_by_task: dict[str, list[str]], as_of: date,
          progress: dict[str, int], today: date | None = None) -> list[TaskRow]:
    """The rows as of `as_of`: status and progress as recorded by the status events on or
    before it. `progress` (the stored, current values) stands in only for an occurrence whose
    events record no progress, and only as of `today` or later (None: always)."""
    stored_counts = today is None or as_of >= today
    # One row per occurrence of the plan (15,000 at 10,000 tasks): built from the resolved
    # tuple, without the frozen dataclass's per-field __setattr__ (a third of the cost).
    rows: list[TaskRow] = []
    append = rows.append
    new, set_dict = object.__new__, object.__setattr__
    criteria_of: dict[str, tuple[str, ...]] = {}
    for occ in occurrences:
        r = resolve(occ, as_of)
        status = r.status
        events = occ.status_events
        shown = progress_as_of(events, status, as_of) if events else None
        if shown is None:
            shown = 100 if status == "done" else (progress.get(occ.key, 0) if stored_counts else 0)
        code = occ.task_code
        criteria = criteria_of.get(code)
        if criteria is None:
            criteria = criteria_of[code] = tuple(crit_by_task.get(code, ()))
        row = new(TaskRow)
        set_dict(row, "__dict__", {
            "key": occ.key, "task_code": code, "title": occ.title, "lead": occ.lead_office,
            "supporting": occ.supporting_offices, "due": None if occ.continuous else occ.due_on,
            "continuous": occ.continuous, "status": status,
            "progress": shown,
            "criteria": criteria, "overdue": r.overdue, "late": r.late, "done_on": r.done_on,
            "evidence": r.evidence, "recurring": "@" in occ.key,
        })
        append(row)
    return rows


def filter_rows(rows: list[TaskRow], flt: TaskFilter, as_of: date) -> list[TaskRow]:
    out = rows
    if flt.office:
        code = flt.office
        out = [r for r in out if r.lead == code or code in r.supporting]
    if flt.lead:
        out = [r for r in out if r.lead == flt.lead]
    if flt.statuses:
        wanted = set(flt.statuses)
        out = [r for r in out if r.status in wanted or ("overdue" in wanted and r.overdue)]
    if flt.due_within is not None:
        limit = date.fromordinal(as_of.toordinal() + flt.due_within)
        out = [r for r in out if r.due is not None and as_of <= r.due <= limit and r.status != "done"]
    if flt.criterion:
        prefix = flt.criterion
        out = [r for r in out if any(c == prefix or c.startswith(prefix + ".") for c in r.criteria)]
    if flt.search:
        words = fold(flt.search).split()
        out = [r for r in out if all(w in fold(f"{r.key} {r.title}") for w in words)]
    return out


def status_label(status: str) -> str:
    """The status as users read it (Vietnamese terms in the catalog): the same words the
    explanation lines use (`planner.domain.explanations`)."""
    return status_word(status)
