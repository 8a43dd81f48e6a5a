"""The task list: every occurrence of the plan, filtered by office, status, deadline and
criterion, searched without diacritics and sorted; overdue rows stand out."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Select

from planner.i18n import _
from planner.services.task_rows import LISTABLE_STATUSES, status_label
from planner.services.tui_queries import PlanRows
from planner.tui.format import clip, fmt_date, fmt_points
from planner.tui.literal import literal
from planner.tui.screens.base import PlannerScreen
from planner.tui.task_query import SORTS, TaskIndex, TaskQuery
from planner.tui.widgets.status_line import StatusLine
from planner.tui.widgets.task_table import TaskTable

DUE_WINDOWS = (7, 30, 90)


def _sort_labels() -> dict[str, str]:
    return {"plan": _("plan order"), "deadline": _("deadline"), "office": _("office"),
            "status": _("status")}


class TaskListScreen(PlannerScreen):
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset(("add_task", "edit_task", "mark_done", "reopen"))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", _("Search"), key_display="/", id="tasks.search"),
        Binding("a", "add_task", _("Add"), id="tasks.add"),
        Binding("e", "edit_task", _("Edit"), show=False, id="tasks.edit"),
        Binding("d", "mark_done", _("Done"), id="tasks.done"),
        # "!" as the risk flags of the dashboard and the criteria tree; no screen key shadowed.
        Binding("exclamation_mark", "toggle_overdue", _("Overdue"), key_display="!",
                id="tasks.overdue"),
        # Shown as the sort selector of the filter bar rather than in the key bar.
        Binding("s", "cycle_sort", _("Sort"), show=False, id="tasks.sort"),
        Binding("R", "reopen", _("Reopen (done or cancelled by mistake)"), show=False,
                key_display="R", id="tasks.reopen"),
        Binding("x", "clear_filters", _("Clear filters"), show=False, id="tasks.clear"),
        # Not in the key bar (full at 80 columns): in the help (?) and the command palette.
        Binding("w", "whatif_mode", _("What-if"), show=False, id="tasks.whatif"),
        Binding("space", "whatif_toggle", _("Suppose done"), show=False,
                id="tasks.whatif_toggle"),
    ]

    def __init__(self, *, office: str | None = None, lead: str | None = None,
                 criterion: str | None = None, status: str | None = None) -> None:
        super().__init__()
        self.task_query = TaskQuery(office=office, lead=lead, criterion=criterion, status=status)
        self._index: TaskIndex | None = None
        self._office_codes: tuple[str, ...] = ()
        self._criterion_codes: tuple[str, ...] = ()
        # The filter bar is mounted after the first rows are shown.
        self._filters_started = False
        self._filters_ready = asyncio.Event()

    def compose_body(self) -> ComposeResult:
        # The filter widgets (five of Textual's Select and Input, about sixty nodes to style)
        # are mounted one frame after the first rows are painted: the rows show sooner.
        yield Horizontal(id="task-filters")
        yield StatusLine(_("Loading…"), id="task-count")
        yield TaskTable(id="task-table")

    def _filter_widgets(self) -> list[Widget]:
        q = self.task_query
        return [
            Input(placeholder=_("/ search (no accents needed)"), id="task-search", compact=True),
            Select[str]([(q.office, q.office)] if q.office else [], prompt=_("any office"),
                        value=q.office or Select.NULL, id="filter-office", compact=True),
            Select[str]([(self._status_text(s), s) for s in LISTABLE_STATUSES],
                        prompt=_("any status"), value=q.status or Select.NULL,
                        id="filter-status", compact=True),
            Select[int]([(_("due in {n} days").format(n=n), n) for n in DUE_WINDOWS],
                        prompt=_("any deadline"), id="filter-due", compact=True),
            # A code typed (with completion) rather than a list: plans have hundreds of criteria.
            Input(q.criterion or "", placeholder=_("criterion"), id="filter-criterion", compact=True),
            Select[str]([(_("sort: {by}").format(by=label), key) for key, label in _sort_labels().items()],
                        allow_blank=False, value=q.sort, id="task-sort", compact=True),
        ]

    async def _mount_filters(self) -> None:
        """Mount the filter bar (once) and fill its options; later callers wait for it."""
        if self._filters_started:
            await self._filters_ready.wait()
            return
        self._filters_started = True
        await self.query_one("#task-filters").mount_all(self._filter_widgets())
        if self._index is not None:
            self._update_options(self._index.overview)
        self._filters_ready.set()

    def shown(self) -> None:
        if self._filters_ready.is_set():
            super().shown()
            return

        async def finish() -> None:
            await self._mount_filters()
            super(TaskListScreen, self).shown()

        self.call_after_refresh(finish)

    @staticmethod
    def _status_text(status: str) -> str:
        return status_label(status)

    def on_mount(self) -> None:
        # Textual calls PlannerScreen.on_mount too (handlers run along the MRO): it loads.
        self.query_one(TaskTable).focus()

    # ------------------------------------------------------------------ data

    def fetch(self) -> TaskIndex:
        # The index (and its default order) is built here, off the UI thread.
        return TaskIndex(self.planner.store.rows())

    def show(self, data: TaskIndex) -> None:
        self._index = data
        overview = data.overview
        if self._filters_ready.is_set():
            self._update_options(overview)
        table = self.query_one(TaskTable)
        current = table.current_row
        self.refresh_rows(keep=current.key if current else None, new_data=True)

    def _update_options(self, overview: PlanRows) -> None:
        offices = tuple(o.code for o in overview.offices)
        if offices != self._office_codes:
            self._office_codes = offices
            select = self.query_one("#filter-office", Select)
            with self.prevent(Select.Changed):
                select.set_options([(literal(clip(f"{o.code} {o.name}", 30)), o.code)
                                    for o in overview.offices])
                if self.task_query.office in offices:
                    select.value = self.task_query.office
        criteria = tuple(overview.criterion_codes())
        if criteria != self._criterion_codes:
            self._criterion_codes = criteria
            self.query_one("#filter-criterion", Input).suggester = SuggestFromList(criteria)

    def refresh_rows(self, *, keep: str | None = None, new_data: bool = False) -> None:
        if self._index is None:
            return
        rows = self._index.apply(self.task_query)
        table = self.query_one(TaskTable)
        table.empty_text = _("No task matches.")
        table.set_rows(rows, keep=keep, new_data=new_data)
        total = len(self._index.overview.rows)
        # What is filtered first, the order last: at 80 columns the end of the line is cut.
        count = _("{shown} of {total} occurrences as of {date}").format(
            shown=len(rows), total=total, date=fmt_date(self._index.overview.as_of))
        if self.task_query.lead:
            count += ", " + _("led by {office}").format(office=self.task_query.lead)
        if len(rows) < total:
            count += "  " + _("(x clears the filters)")
        count += "; " + _("sorted by {sort}").format(
            sort=_sort_labels().get(self.task_query.sort, self.task_query.sort))
        whatif = self.planner.whatif
        if whatif is not None:
            count = self._whatif_text(whatif, self.planner.store.latest)
        self.query_one("#task-count", StatusLine).text = count

    def _set_query(self, **changes: Any) -> None:
        query = self.task_query.with_(**changes)
        if query != self.task_query:
            self.task_query = query
            current = self.query_one(TaskTable).current_row
            self.refresh_rows(keep=current.key if current else None)

    @on(Input.Changed, "#task-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._set_query(search=event.value)

    @on(Input.Changed, "#filter-criterion")
    def _criterion_changed(self, event: Input.Changed) -> None:
        self._set_query(criterion=event.value.strip().rstrip(".") or None)

    @on(Input.Submitted, "#task-search, #filter-criterion")
    def _search_submitted(self) -> None:
        self.query_one(TaskTable).focus()

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else event.value
        field = {"filter-office": "office", "filter-status": "status", "filter-due": "due_within",
                 "task-sort": "sort"}.get(event.select.id or "")
        if field is not None:
            self._set_query(**{field: value if value is not None or field != "sort" else "plan"})

    # ------------------------------------------------------------------ actions

    @on(TaskTable.HeaderClicked)
    async def _header_clicked(self, event: TaskTable.HeaderClicked) -> None:
        sort = {"key": "plan", "due": "deadline", "lead": "office", "status": "status"}.get(event.column)
        if sort is not None:
            await self._mount_filters()
            self.query_one("#task-sort", Select).value = sort

    @on(TaskTable.Opened)
    def _open(self, event: TaskTable.Opened) -> None:
        self.open_task(event.row.key)

    def open_task(self, key: str, *, edit: bool = False) -> None:
        from planner.tui.screens.task_detail import TaskDetailScreen

        self.app.push_screen(TaskDetailScreen(key, edit=edit))

    async def action_search(self) -> None:
        await self._mount_filters()
        self.query_one("#task-search", Input).focus()

    def action_edit_task(self) -> None:
        row = self.query_one(TaskTable).current_row
        if row is not None:
            self.open_task(row.key, edit=True)

    def action_mark_done(self) -> None:
        """Ask the completion date (default today), then mark the highlighted task done."""
        from planner.services.tasks import set_status
        from planner.tui.screens.done_dialog import DoneDialog

        row = self.query_one(TaskTable).current_row
        if row is None or self._index is None:
            return
        ctx, key = self.ctx, row.key

        def marked(target: object | None) -> None:
            if isinstance(target, BaseException):
                self.notify_error(target)
            elif target is not None:
                self.notify(_("{key} marked done.").format(key=key), timeout=3)

        self.app.push_screen(
            DoneDialog(key, ctx.today, self._index.overview.plan.year,
                       lambda on, note: set_status(ctx, key, "done", on=on, note=note)),
            marked)

    def action_reopen(self) -> None:
        """Reopen the highlighted task if it is done or cancelled (a reason is asked)."""
        from planner.tui.screens.undo_dialogs import ReopenTaskDialog

        row = self.query_one(TaskTable).current_row
        if row is None:
            return
        if row.status not in ("done", "cancelled"):
            self.notify(_("{key} is {status}: only a done or cancelled task can be reopened.").format(
                key=row.key, status=status_label(row.status)), severity="warning")
            return
        # The list shows the task as of its last load: the service refuses a task that is no
        # longer done or cancelled.
        self.app.push_screen(ReopenTaskDialog(self.ctx, row.key, None))

    def action_add_task(self) -> None:
        from planner.tui.screens.add_task import AddTaskDialog

        if self._index is None:
            return

        def opened(code: str | None) -> None:
            if code:
                self.open_task(code)

        self.app.push_screen(AddTaskDialog(self.ctx, self._index.overview.offices,
                                           office=self.task_query.office),
                             opened)

    async def action_toggle_overdue(self) -> None:
        """Only the overdue tasks; pressed again, every status."""
        await self._mount_filters()
        select = self.query_one("#filter-status", Select)
        if self.task_query.status == "overdue":
            select.clear()
        else:
            select.value = "overdue"

    async def action_cycle_sort(self) -> None:
        await self._mount_filters()
        position = SORTS.index(self.task_query.sort) if self.task_query.sort in SORTS else 0
        self.query_one("#task-sort", Select).value = SORTS[(position + 1) % len(SORTS)]

    async def action_clear_filters(self) -> None:
        await self._mount_filters()
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#task-search", Input).value = ""
            self.query_one("#filter-criterion", Input).value = ""
            for select_id in ("#filter-office", "#filter-status", "#filter-due"):
                self.query_one(select_id, Select).clear()
        self._set_query(office=None, lead=None, status=None, due_within=None, criterion=None, search="")

    # ------------------------------------------------------------------ what-if

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "whatif_toggle":
            return self.planner.whatif is not None
        return super().check_action(action, parameters)

    def action_whatif_mode(self) -> None:
        """Enter what-if mode (space supposes the highlighted task done today), or leave it,
        dropping every hypothesis. Nothing is written either way."""
        from planner.domain.whatif import WhatIfSession

        app = self.planner
        if app.whatif is None and app.in_past:
            # Hypotheses are about the work still to do from today, not from a week gone by.
            self.notify(_("What-if works on the plan as of today: press ] to return first."),
                        severity="warning", timeout=4)
            return
        if app.whatif is not None:
            app.whatif = None
            self.notify(_("What-if mode left: the hypotheses are dropped."), timeout=3)
        elif self._index is not None:
            overview = self._index.overview
            app.whatif = WhatIfSession(overview.facts, overview.as_of)
            self.notify(_("What-if mode: space supposes a task done today; nothing is saved."),
                        timeout=4)
        self.refresh_bindings()
        self.refresh_rows(keep=self._current_key())

    def action_whatif_toggle(self) -> None:
        whatif = self.planner.whatif
        row = self.query_one(TaskTable).current_row
        if whatif is None or row is None:
            return
        whatif.toggle(row.key)
        self.query_one("#task-count", StatusLine).text = self._whatif_text(
            whatif, self.planner.store.latest)

    def _current_key(self) -> str | None:
        current = self.query_one(TaskTable).current_row
        return current.key if current else None

    @staticmethod
    def _whatif_text(whatif: Any, overview: Any = None) -> str:
        from planner.tui.widgets.score_panel import rank_move

        real, now = whatif.real.appraised, whatif.score.appraised
        return _(
            "What-if ({n} supposed done: {keys}): secured {s0} → {s1}, projected {p0} → {p1}{rank} · "
            "w leaves, nothing is saved"
        ).format(n=len(whatif.done), keys=", ".join(whatif.done) or "-",
                 s0=fmt_points(real.secured), s1=fmt_points(now.secured),
                 p0=fmt_points(real.projected), p1=fmt_points(now.projected),
                 rank=rank_move(overview, whatif))

    def action_go_back(self) -> None:
        focused = self.focused
        if focused is not None and focused is not self.query_one(TaskTable) and \
                self.query_one("#task-filters") in focused.ancestors:
            self.query_one(TaskTable).focus()
            return
        super().action_go_back()
