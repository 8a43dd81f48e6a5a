"""One task (or one occurrence of a recurring task): edit it, review its evidence, read its
history. Saving passes the version the form was read at, so a change made meanwhile by someone
else is reported, never overwritten."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
)

from planner.domain.facts import STATUSES
from planner.domain.schedule import DateError, parse_deadline, split_occurrence_key
from planner.i18n import _, ngettext
from planner.services.errors import ConflictError, InputError, PlannerError
from planner.services.evidence import list_evidence, review
from planner.services.evidence_rows import EvidenceRow, state_label
from planner.services.history import HistoryEntry, task_history, task_history_count
from planner.services.offices import list_offices
from planner.services.task_rows import status_label
from planner.services.tasks import (
    SavedTask,
    TaskChanges,
    TaskDetail,
    save_task,
    set_status,
    task_detail,
)
from planner.services.vocabulary import kind_label
from planner.store.models import Evidence, Occurrence, Office, Task
from planner.tui.format import clip, fmt_date
from planner.tui.literal import assemble, literal, safe
from planner.tui.screens.base import PlannerScreen, error_text
from planner.tui.screens.conflict import KEEP, MERGE, ConflictDialog
from planner.tui.screens.done_dialog import DoneDialog
from planner.tui.widgets.nav_table import NavTable

FIELDS = ("title", "lead", "support", "deadline", "status", "progress", "effort")


@dataclass(frozen=True)
class DetailData:
    key: str
    detail: TaskDetail
    occurrence: Occurrence | None
    evidence: list[EvidenceRow]
    history: list[HistoryEntry]
    offices: list[Office]
    # In an earlier week: the as-of date, and how many changes were written after it (hidden).
    history_until: date | None = None
    history_hidden: int = 0

    @property
    def target(self) -> Task | Occurrence:
        return self.occurrence if self.occurrence is not None else self.detail.task

    def form_values(self) -> dict[str, Any]:
        task = self.detail.task
        deadline = task.deadline_text or (fmt_date(task.due_on) if task.due_on else "")
        if not deadline and task.continuous:
            deadline = "Thường xuyên"
        # An input shows its value as it is: stored control characters are made visible first
        # (saved back only if the person edits the field).
        return {
            "title": safe(task.title),
            "lead": self.detail.lead.code,
            "support": tuple(sorted(o.code for o in self.detail.supporting)),
            "deadline": safe(deadline),
            "status": self.target.status,
            "progress": str(self.target.progress),
            "effort": f"{task.effort_days:g}" if task.effort_days is not None else "",
        }


@dataclass(frozen=True)
class SaveOutcome:
    values: dict[str, Any]  # the form's values that were written
    saved: SavedTask


class TaskDetailScreen(PlannerScreen):
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset((
        "save", "edit", "mark_done", "add_evidence", "accept", "reject", "take_back_review", "reopen"))
    BINDINGS: ClassVar[list[BindingType]] = [
        # The key bar fits 80 columns: escape and e are what everyone tries, and v and x are
        # spelled out under the evidence table; all are in the help (?) and the palette.
        Binding("escape", "go_back", _("Back"), show=False, id="nav.back"),
        Binding("ctrl+s", "save", _("Save"), id="detail.save"),
        Binding("e", "edit", _("Edit"), show=False, id="detail.edit"),
        Binding("d", "mark_done", _("Done"), id="detail.done"),
        Binding("a", "add_evidence", _("Add evidence"), id="detail.add_evidence"),
        Binding("v", "accept", _("Accept"), show=False, id="detail.accept"),
        Binding("x", "reject", _("Reject"), show=False, id="detail.reject"),
        # Not on the key bar (it must fit 80 columns): in `?` and the evidence tab's hint.
        Binding("u", "take_back_review", _("Take back a review"), show=False,
                id="detail.take_back_review"),
        Binding("R", "reopen", _("Reopen (done or cancelled by mistake)"), show=False,
                key_display="R", id="detail.reopen"),
    ]

    def __init__(self, key: str, *, edit: bool = False, evidence: int | None = None) -> None:
        super().__init__()
        self.key = key.strip()
        self._edit_on_open = edit
        self._evidence_on_open = evidence  # the evidence row to put the cursor on, once
        self.data: DetailData | None = None
        self._base: dict[str, Any] = {}  # the values the form was filled with
        self._version: int | None = None  # of the task, as the form read it
        self._occurrence_version: int | None = None
        self._next_fill = "replace"  # how the next load fills the form: replace, merge or keep
        self._offices: tuple[str, ...] = ()
        self._warned_unsaved = False

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        yield Static(literal(self.key), id="detail-title")
        with Horizontal(id="detail-main"):
            with VerticalScroll(id="task-form"):
                yield Label(_("Title"), classes="field-label")
                yield Input(id="edit-title", compact=True)
                yield Label(_("Lead office"), classes="field-label")
                yield Select[str]([], prompt=_("lead office"), allow_blank=True, id="edit-lead", compact=True)
                yield Label(_("Deadline (30/6/2022, Quý II, Thường xuyên…)"), classes="field-label")
                yield Input(id="edit-deadline", compact=True)
                yield Static("", id="deadline-hint")
                with Horizontal(id="status-row"):
                    with Vertical():
                        yield Label(_("Status"), classes="field-label")
                        yield Select[str]([(status_label(s), s) for s in STATUSES], allow_blank=False,
                                          value="not_started", id="edit-status", compact=True)
                    with Vertical(id="progress-box"):
                        yield Label(_("Progress %"), classes="field-label")
                        yield Input(id="edit-progress", type="integer", compact=True)
                    with Vertical(id="effort-box"):
                        # Short: three columns share 42 cells at 80 columns.
                        yield Label(_("Effort"), classes="field-label")
                        yield Input(id="edit-effort", placeholder=_("work days"), compact=True)
                yield Label(_("Supporting offices"), classes="field-label")
                yield SelectionList[str](id="edit-support")
                with Horizontal(id="form-buttons"):
                    yield Button(_("Save"), variant="primary", id="save-task")
                    yield Button(_("Mark done"), variant="success", id="done-task")
            with TabbedContent(id="detail-tabs"):
                with TabPane(_("Evidence"), id="tab-evidence"):
                    yield NavTable(id="evidence-table")
                    yield Static(_("a add · v accept · x reject (with a reason) · u take a review back"),
                                 classes="hint")
                with TabPane(_("History"), id="tab-history"):
                    yield NavTable(id="history-table")
                with TabPane(_("Details"), id="tab-details"):
                    yield Static("", id="task-info")
                    yield NavTable(id="occurrence-table")

    def on_mount(self) -> None:
        evidence = self.query_one("#evidence-table", NavTable)
        for label, width in (("#", 4), (_("State"), 15), (_("Submitted"), 10),
                             (_("Document / file / link"), 30), (_("Reason"), 30), (_("Kind"), 8)):
            evidence.add_column(label, width=width)
        history = self.query_one("#history-table", NavTable)
        history.add_columns(_("When"), _("Who"), _("What"))
        occurrences = self.query_one("#occurrence-table", NavTable)
        occurrences.add_columns(_("Occurrence"), _("Due"), _("Status"), _("Progress"))
        # (Textual then calls PlannerScreen.on_mount itself, which loads the task.)

    # ------------------------------------------------------------------ loading

    def fetch(self) -> DetailData:
        ctx = self.ctx
        # In an earlier week the task is shown as it stood then (status, progress, evidence).
        as_of = ctx.today if self.planner.in_past else None
        detail = task_detail(ctx, self.key, as_of=as_of)
        _code, due = split_occurrence_key(self.key)
        occurrence = next((o for o in detail.occurrences if o.due_on == due), None) if due else None
        target = self.key if (occurrence is not None or not detail.task.recurrence) else None
        evidence = list_evidence(ctx, target=target or detail.task.code, as_of=as_of)
        # The history as it stood then: the changes written by the end of the as-of day.
        history = task_history(ctx, detail.task.code, until=as_of)
        hidden = task_history_count(ctx, detail.task.code) - len(history) if as_of else 0
        return DetailData(self.key, detail, occurrence, evidence, history, list_offices(ctx),
                          as_of, hidden)

    def show(self, data: DetailData) -> None:
        self.data = data
        self._show_title(data)
        self._fill_form(data, self._next_fill)
        self._next_fill = "keep"
        self._show_evidence(data)
        self._show_history(data)
        self._show_details(data)
        if self._edit_on_open:
            self._edit_on_open = False
            self.action_edit()

    def _show_title(self, data: DetailData) -> None:
        task, target = data.detail.task, data.target
        due = data.occurrence.due_on if data.occurrence else task.due_on
        when = fmt_date(due) if due else (_("continuous") if task.continuous else task.deadline_text)
        state = status_label(target.status)
        if due and due < self.ctx.today and target.status not in ("done", "cancelled"):
            state = _("overdue")
        due_label = _("due")
        text = assemble((self.key, "bold"), "  ", task.title, "  ·  ", f"{state}, {due_label} ", when,
                        "  ·  ", data.detail.lead.code)
        self.query_one("#detail-title", Static).update(text)

    # ------------------------------------------------------------------ the form

    def _form_values(self) -> dict[str, Any]:
        lead = self.query_one("#edit-lead", Select).value
        return {
            "title": self.query_one("#edit-title", Input).value,
            "lead": None if lead is Select.NULL else lead,
            "support": tuple(sorted(self.query_one("#edit-support", SelectionList).selected)),
            "deadline": self.query_one("#edit-deadline", Input).value,
            "status": self.query_one("#edit-status", Select).value,
            "progress": self.query_one("#edit-progress", Input).value,
            "effort": self.query_one("#edit-effort", Input).value,
        }

    def dirty_fields(self) -> set[str]:
        if not self._base:
            return set()
        current = self._form_values()
        return {name for name in FIELDS if current[name] != self._base.get(name)}

    def _fill_form(self, data: DetailData, mode: str) -> None:
        """Fill the form from `data`: `replace` everything, or keep what the user changed
        (`merge` takes the new versions, `keep` only when the user changed nothing)."""
        fresh = data.form_values()
        dirty = self.dirty_fields() if mode in ("merge", "keep") else set()
        current = self._form_values() if dirty else {}
        values = {name: current[name] if name in dirty else fresh[name] for name in FIELDS}
        offices = tuple(o.code for o in data.offices)
        if offices != self._offices:
            self._offices = offices
            lead = self.query_one("#edit-lead", Select)
            lead.set_options([(literal(clip(f"{o.code} {o.name}", 40)), o.code) for o in data.offices])
        self.query_one("#edit-title", Input).value = values["title"]
        self.query_one("#edit-lead", Select).value = values["lead"]
        self.query_one("#edit-deadline", Input).value = values["deadline"]
        self.query_one("#edit-status", Select).value = values["status"]
        self.query_one("#edit-progress", Input).value = values["progress"]
        self.query_one("#edit-effort", Input).value = values["effort"]
        support = self.query_one("#edit-support", SelectionList)
        support.clear_options()
        support.add_options([(literal(f"{o.code}  {o.name}"), o.code, o.code in values["support"])
                             for o in data.offices])
        self._base = fresh
        if mode in ("replace", "merge") or not dirty:
            self._version = data.detail.task.version
            self._occurrence_version = data.occurrence.version if data.occurrence else None
        whole_recurring = bool(data.detail.task.recurrence) and data.occurrence is None
        self.query_one("#edit-status", Select).disabled = whole_recurring
        self.query_one("#edit-progress", Input).disabled = whole_recurring
        self.query_one("#done-task", Button).disabled = whole_recurring

    @on(Input.Changed, "#edit-deadline")
    def _deadline_changed(self, event: Input.Changed) -> None:
        self.query_one("#deadline-hint", Static).update(self._deadline_hint(event.value))

    def _deadline_hint(self, text: str) -> Text:
        if not text.strip() or self.data is None:
            return Text("")
        try:
            deadline = parse_deadline(text, year=self.data.detail.plan.year, today=self.ctx.today,
                                      work=self.ctx.work)
        except DateError as exc:
            return literal(f"✗ {exc.message}", style="red")  # it quotes what was typed
        if deadline.kind == "continuous":
            return assemble(("✓", "green"), " ", _("continuous, all year"))
        if deadline.kind == "recurring":
            return assemble(("✓", "green"), " ", _("recurring: {rule}").format(rule=deadline.rule))
        return assemble(("✓", "green"), " ", _("due {date}").format(date=fmt_date(deadline.due_on)))

    def _check_deadline(self, text: str) -> None:
        assert self.data is not None
        try:
            parse_deadline(text, year=self.data.detail.plan.year, today=self.ctx.today,
                           work=self.ctx.work)
        except DateError as exc:
            raise InputError(_("due: {message}").format(message=str(exc))) from exc

    # ------------------------------------------------------------------ saving

    @on(Button.Pressed, "#save-task")
    def action_save(self) -> None:
        """Write the fields the user changed, in one service call, with the versions the form
        was read at (a change made meanwhile by someone else opens the conflict dialog)."""
        data = self.data
        if data is None:
            return
        dirty = self.dirty_fields()
        if not dirty:
            self.notify(_("Nothing to save: no field was changed."), timeout=3)
            return
        values = self._form_values()
        try:
            if "deadline" in dirty:
                self._check_deadline(values["deadline"])
            if "lead" in dirty and not values["lead"]:
                raise InputError(_("lead: choose the office that leads the task."))
        except PlannerError as exc:
            self.query_one("#deadline-hint", Static).update(literal(f"✗ {exc.message}", style="red"))
            self.notify(exc.message, title=_("Not saved"), severity="error", timeout=8)
            return
        changes = TaskChanges(
            title=values["title"] if "title" in dirty else None,
            lead=values["lead"] if "lead" in dirty else None,
            support=list(values["support"]) if "support" in dirty else None,
            due=values["deadline"] if "deadline" in dirty else None,
            status=values["status"] if "status" in dirty else None,
            progress=values["progress"] if "progress" in dirty else None,
            effort=values["effort"] if "effort" in dirty else None,
        )
        ctx, key = self.ctx, self.key
        version, occurrence_version = self._version, self._occurrence_version
        written = {name: values[name] for name in dirty}

        def save(on: str | None = None, note: str = "") -> SaveOutcome:
            saved = save_task(ctx, key, replace(changes, on=on, note=note), expected_version=version,
                              expected_occurrence_version=occurrence_version)
            return SaveOutcome(written, saved)

        if changes.status == "done":
            # Done on which day? Asked as `d` asks it; the save happens when the date is given.
            def saved_done(outcome: SaveOutcome | ConflictError | None) -> None:
                if isinstance(outcome, ConflictError):
                    self._conflict(outcome)
                elif outcome is not None:
                    self.notify(_("{key} saved.").format(key=key), timeout=3)
                    self._saved(outcome)

            self.app.push_screen(DoneDialog(key, ctx.today, data.detail.plan.year, save), saved_done)
            return
        self.run_service(save, done=_("{key} saved.").format(key=key), then=self._saved,
                         on_error=self._save_failed)

    def _saved(self, outcome: SaveOutcome) -> None:
        self._base.update(outcome.values)
        self._version = outcome.saved.task.version
        if outcome.saved.occurrence is not None:
            self._occurrence_version = outcome.saved.occurrence.version
        self._show_target(outcome.saved.target)

    def _show_target(self, target: Task | Occurrence) -> None:
        """After a save or an action, the form's status and progress are what was written
        (marking done sets the progress to 100), so saving again never writes back old values."""
        if isinstance(target, Occurrence):
            self._occurrence_version = target.version
        else:
            self._version = target.version
        status, progress = target.status, str(target.progress)
        self.query_one("#edit-status", Select).value = status
        self.query_one("#edit-progress", Input).value = progress
        self._base.update(status=status, progress=progress)

    def _save_failed(self, error: BaseException) -> None:
        if isinstance(error, ConflictError):
            self._conflict(error)
            return
        if isinstance(error, PlannerError) and error.message.startswith("due"):
            self.query_one("#deadline-hint", Static).update(literal(f"✗ {error.message}", style="red"))
        self.notify_error(error)

    def _conflict(self, error: ConflictError) -> None:
        self.app.push_screen(ConflictDialog(error.message), self._conflict_chosen)

    def _conflict_chosen(self, choice: str | None) -> None:
        if choice in (None, KEEP):
            return
        self._next_fill = "merge" if choice == MERGE else "replace"
        self.reload()

    # ------------------------------------------------------------------ status and evidence

    @on(Button.Pressed, "#done-task")
    def action_mark_done(self) -> None:
        """Ask the completion date, then mark the task (or this occurrence) done; what the
        form holds otherwise stays as typed, to be saved with ctrl+s."""
        data = self.data
        if data is None:
            return
        if data.detail.task.recurrence and data.occurrence is None:
            self.notify(_("This task recurs: open one of its occurrences (Details tab) to mark it done."),
                        severity="warning")
            return
        ctx, key = self.ctx, self.key
        expected = self._occurrence_version if data.occurrence is not None else self._version

        def mark(on: str, note: str) -> Task | Occurrence:
            return set_status(ctx, key, "done", on=on, note=note, expected_version=expected)

        def marked(target: Task | Occurrence | ConflictError | None) -> None:
            if isinstance(target, ConflictError):
                self._conflict(target)
            elif target is not None:
                self.notify(_("{key} marked done.").format(key=key), timeout=3)
                self._show_target(target)

        self.app.push_screen(DoneDialog(key, ctx.today, data.detail.plan.year, mark), marked)

    def action_edit(self) -> None:
        self.query_one("#edit-title", Input).focus()

    def action_add_evidence(self) -> None:
        from planner.tui.screens.evidence_dialog import EvidenceDialog

        data = self.data
        if data is None:
            return
        if data.detail.task.recurrence and data.occurrence is None:
            self.notify(_("This task recurs: open one of its occurrences (Details tab) to add evidence."),
                        severity="warning")
            return
        self.query_one(TabbedContent).active = "tab-evidence"

        def added(evidence: Evidence | None) -> None:
            if evidence is not None:
                self.notify(_("Evidence {id} added, awaiting review.").format(id=evidence.id), timeout=3)

        self.app.push_screen(EvidenceDialog(self.ctx, self.key), added)

    def _selected_evidence(self) -> EvidenceRow | None:
        if self.data is None:
            return None
        key = self.query_one("#evidence-table", NavTable).selected_key()
        row = next((e for e in self.data.evidence if str(e.id) == key), None)
        if row is None:
            self.notify(_("Choose a piece of evidence in the Evidence tab first."), severity="warning")
        return row

    def action_accept(self) -> None:
        row = self._selected_evidence()
        if row is None:
            return
        ctx = self.ctx
        self.run_service(lambda: review(ctx, row.id, "accepted", expected_version=row.version),
                         done=_("Evidence {id} accepted.").format(id=row.id))

    def action_reject(self) -> None:
        from planner.tui.screens.reason_dialog import RejectDialog

        row = self._selected_evidence()
        if row is None:
            return
        label = f"{row.id} ({row.doc_number or row.filename or row.url or row.target})"
        self.app.push_screen(RejectDialog(self.ctx, row.id, row.version, label))

    def action_take_back_review(self) -> None:
        from planner.tui.screens.undo_dialogs import ReopenReviewDialog

        row = self._selected_evidence()
        if row is None:
            return
        if row.state not in ("accepted", "rejected"):
            self.notify(_("Evidence {id} is {state}: there is no decision to take back.").format(
                id=row.id, state=state_label(row.state)), severity="warning")
            return
        label = f"{row.id} ({row.doc_number or row.filename or row.url or row.target})"
        self.app.push_screen(ReopenReviewDialog(self.ctx, row.id, row.version, row.state, label))

    def action_reopen(self) -> None:
        from planner.tui.screens.undo_dialogs import ReopenTaskDialog

        data = self.data
        if data is None:
            return
        target = data.target
        if target.status not in ("done", "cancelled"):
            self.notify(_("{key} is {status}: only a done or cancelled task can be reopened.").format(
                key=self.key, status=status_label(target.status)), severity="warning")
            return
        version = self._occurrence_version if data.occurrence is not None else self._version
        self.app.push_screen(ReopenTaskDialog(self.ctx, self.key, version))

    # ------------------------------------------------------------------ tabs

    def _show_evidence(self, data: DetailData) -> None:
        table = self.query_one("#evidence-table", NavTable)
        keep = table.selected_key()
        table.clear()
        for ev in data.evidence:
            what = " ".join(p for p in (ev.doc_number, fmt_date(ev.doc_date), ev.issuer) if p) \
                or ev.filename or ev.url or ev.title or ev.note
            if ev.target != data.key and "@" in ev.target:
                what = f"{ev.target}: {what}"
            state = state_label(ev.state)
            style = {"accepted": "green", "rejected": "red", "submitted": "bold dark_orange"}.get(ev.state, "")
            table.add_row(str(ev.id), Text(state, style=style), fmt_date(ev.submitted_on),
                          literal(clip(what, 30)), literal(clip(ev.reason, 40)), kind_label(ev.kind),
                          key=str(ev.id))
        if self._evidence_on_open is not None:
            table.move_to_key(str(self._evidence_on_open))
            self._evidence_on_open = None
        elif keep is not None:
            table.move_to_key(keep)
        elif data.evidence:
            waiting = next((e for e in data.evidence if e.state == "submitted"), None)
            table.move_to_key(str(waiting.id) if waiting else str(data.evidence[-1].id))

    def _show_history(self, data: DetailData) -> None:
        table = self.query_one("#history-table", NavTable)
        table.clear()
        if data.history_until is not None and data.history_hidden:
            table.add_row("", "", Text(ngettext(
                "{n} change written after {date} is not shown",
                "{n} changes written after {date} are not shown",
                data.history_hidden).format(n=data.history_hidden, date=fmt_date(data.history_until)),
                style="dim italic"))
        for entry in reversed(data.history):
            at = entry.at.astimezone() if entry.at.tzinfo else entry.at
            table.add_row(at.strftime("%d/%m/%Y %H:%M"), literal(entry.who), literal(clip(entry.summary, 80)))

    def _show_details(self, data: DetailData) -> None:
        task, detail = data.detail.task, data.detail
        labels = (_("Product"), _("Criteria"), _("Supporting"), _("Deadline as written"), _("Version"))
        values = (
            task.product or "-",
            ", ".join(f"{c} ({w:g})" for c, w in detail.criteria) or "-",
            ", ".join(o.code for o in detail.supporting) or "-",
            task.deadline_text or "-",
            str(task.version),
        )
        lines = [assemble((f"{label}:", "bold"), " ", value) for label, value in zip(labels, values, strict=True)]
        if task.description:
            lines += [Text(""), literal(task.description, multiline=True)]
        self.query_one("#task-info", Static).update(Text("\n").join(lines))
        table = self.query_one("#occurrence-table", NavTable)
        table.clear()
        table.display = bool(task.recurrence)
        for occ in detail.occurrences:
            key = f"{task.code}@{occ.due_on.isoformat()}"
            table.add_row(literal(key), fmt_date(occ.due_on), status_label(occ.status), f"{occ.progress}%",
                          key=key)

    @on(NavTable.RowSelected, "#occurrence-table")
    def _open_occurrence(self, event: NavTable.RowSelected) -> None:
        key = event.row_key.value
        if key and key != self.key:
            self.app.push_screen(TaskDetailScreen(key))

    def action_go_back(self) -> None:
        # Escape in a field of the form leaves the field (the screen's keys, d, a, v, x, work
        # again there); leaving with unsaved changes takes a second escape: typed work is not
        # lost by accident.
        focused = self.focused
        in_form = focused is not None and self.query_one("#task-form") in focused.ancestors
        if in_form:
            self.query_one("#evidence-table", NavTable).focus()
        if self.dirty_fields() and not self._warned_unsaved:
            self._warned_unsaved = True
            self.notify(_("Unsaved changes: ctrl+s saves them, escape again leaves without saving."),
                        severity="warning", timeout=5)
            return
        if not in_form:
            super().action_go_back()

    def on_planner_screen_load_failed(self, message: PlannerScreen.LoadFailed) -> None:
        # PlannerScreen's handler (called after this one) also notifies.
        self.query_one("#detail-title", Static).update(literal(error_text(message.error), style="red"))
