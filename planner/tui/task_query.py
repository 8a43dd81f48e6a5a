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
from planner.services.task_rows import TaskFilter, TaskRow, filter_rows
from planner.services.tui_queries import PlanRows

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
    office: str | None = None  # leads or supports
    lead: str | None = None  # leads (the dashboard's overdue-by-lead-office lines)
    status: str | None = None
    due_within: int | None = None
    criterion: str | None = None
    search: str = ""
    sort: str = "plan"

    def with_(self, **changes: Any) -> TaskQuery:
        return replace(self, **changes)


class TaskIndex:
    """The rows of one overview, each sort order computed once, searched by index.

    Typing narrows a search: when the new text extends the previous one (and nothing else
    changed), only the rows the previous text matched are searched again.
    """

    def __init__(self, overview: PlanRows) -> None:
        self.overview = overview
        search = dict(zip((r.key for r in overview.rows), overview.search_keys, strict=True))
        self._search = search
        self._orders: dict[str, tuple[list[TaskRow], list[str]]] = {
            "plan": (overview.rows, overview.search_keys),
        }
        self._last: tuple[str, str, list[int]] | None = None  # sort, search text, matches

    def sorted_rows(self, sort: str) -> tuple[list[TaskRow], list[str]]:
        order = self._orders.get(sort)
        if order is None:
            rows = sorted(self.overview.rows, key=_SORT_KEYS[sort])
            order = (rows, [self._search[r.key] for r in rows])
            self._orders[sort] = order
        return order

    def _matches(self, sort: str, text: str, keys: list[str]) -> list[int]:
        words = fold(text).split()
        candidates: list[int] | None = None
        if self._last is not None and self._last[0] == sort and text.startswith(self._last[1]):
            candidates = self._last[2]  # every row the longer text matches, the shorter did
        for word in words:
            if candidates is None:
                candidates = [i for i, key in enumerate(keys) if word in key]
            else:
                candidates = [i for i in candidates if word in keys[i]]
        result = candidates if candidates is not None else list(range(len(keys)))
        self._last = (sort, text, result)
        return result

    def apply(self, query: TaskQuery) -> list[TaskRow]:
        sort = query.sort if query.sort in SORTS else "plan"
        rows, keys = self.sorted_rows(sort)
        if query.search.strip():
            rows = [rows[i] for i in self._matches(sort, query.search, keys)]
        flt = TaskFilter(
            office=query.office,
            lead=query.lead,
            statuses=(query.status,) if query.status else (),
            due_within=query.due_within,
            criterion=query.criterion,
        )
        if flt != TaskFilter():
            rows = filter_rows(rows, flt, self.overview.as_of)
        return rows
