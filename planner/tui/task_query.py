"""Filter, search and sort the task rows in memory: fast enough for every keystroke at 10,000.

The structured filters are the service's own (`filter_rows`), so the list means what
`planner tasks` means; the search uses the overview's precomputed folded keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from planner.domain.text import fold
from planner.services.tasks import TaskFilter, TaskRow, filter_rows
from planner.services.tui_queries import PlanOverview

SORTS = ("plan", "deadline", "office", "status")
_STATUS_ORDER = {"overdue": 0, "in_progress": 1, "not_started": 2, "paused": 3, "done": 4, "cancelled": 5}


def _due_key(row: TaskRow) -> date:
    return row.due or date.max


def _status_key(row: TaskRow) -> int:
    return _STATUS_ORDER["overdue"] if row.overdue else _STATUS_ORDER.get(row.status, 9)


_SORT_KEYS: dict[str, Callable[[TaskRow], Any]] = {
    "deadline": lambda r: (_due_key(r), r.key),
    "office": lambda r: (r.lead, _due_key(r), r.key),
    "status": lambda r: (_status_key(r), _due_key(r), r.key),
}


@dataclass(frozen=True)
class TaskQuery:
    office: str | None = None
    status: str | None = None
    due_within: int | None = None
    criterion: str | None = None
    search: str = ""
    sort: str = "plan"

    def with_(self, **changes: Any) -> TaskQuery:
        return replace(self, **changes)


class TaskIndex:
    """The rows of one overview, with each sort order computed once."""

    def __init__(self, overview: PlanOverview) -> None:
        self.overview = overview
        self._search = {r.key: k for r, k in zip(overview.rows, overview.search_keys, strict=True)}
        self._sorted: dict[str, list[TaskRow]] = {"plan": overview.rows}

    def sorted_rows(self, sort: str) -> list[TaskRow]:
        rows = self._sorted.get(sort)
        if rows is None:
            rows = sorted(self.overview.rows, key=_SORT_KEYS[sort])
            self._sorted[sort] = rows
        return rows

    def apply(self, query: TaskQuery) -> list[TaskRow]:
        rows = self.sorted_rows(query.sort if query.sort in SORTS else "plan")
        flt = TaskFilter(
            office=query.office,
            statuses=(query.status,) if query.status else (),
            due_within=query.due_within,
            criterion=query.criterion,
        )
        if flt != TaskFilter():
            rows = filter_rows(rows, flt, self.overview.as_of)
        words = fold(query.search).split()
        if words:
            search = self._search
            rows = [r for r in rows if all(w in search[r.key] for w in words)]
        return rows
