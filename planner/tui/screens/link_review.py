"""Going through the plan's tasks to link each to its criteria, quickly.

The tasks without a link are listed on the left (`v` shows the linked ones too); beside the
highlighted task, its section, product, links and the criteria suggested for it with their
scores (`planner links suggest`). One key accepts the first suggestion (`a` or enter), `1`-`5`
accept another, `p` picks any criteria (with a weight), `s` skips; after accepting, the next
task is highlighted, so 40-80 tasks take a few minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Static

from planner.i18n import _
from planner.services.context import Context
from planner.services.errors import InputError
from planner.services.links import TaskSuggestions, accept_links, suggest_links
from planner.tui.format import clip, fmt_points
from planner.tui.screens.base import PlannerScreen
from planner.tui.screens.form_dialog import FormDialog

SUGGESTIONS = 5


class PickCriteriaDialog(FormDialog[object]):
    """Link a task to criteria typed by code, with a weight (empty: 1 each)."""

    def __init__(self, ctx: Context, task: TaskSuggestions) -> None:
        super().__init__(_("Link {code}: {title}").format(code=task.code, title=task.title),
                         submit_label=_("Link"))
        self.ctx = ctx
        self.linking = task

    def compose_fields(self) -> ComposeResult:
        first = self.linking.suggestions[0].criterion if self.linking.suggestions else ""
        yield self.field(_("Criteria codes, separated by spaces or commas"))
        yield Input(value=first, id="pick-criteria", compact=True)
        yield self.field(_("Weight of each link (empty: 1, equal weights)"))
        yield Input(id="pick-weight", compact=True)

    def on_mount(self) -> None:
        self.query_one("#pick-criteria", Input).focus()

    def collect(self) -> Callable[[], object]:
        codes = [c for c in self.query_one("#pick-criteria", Input).value.replace(",", " ")
                 .split() if c]
        if not codes:
            raise InputError(_("criteria: name at least one."))
        text = self.query_one("#pick-weight", Input).value.strip().replace(",", ".")
        try:
            weight = float(text) if text else None
        except ValueError:
            raise InputError(_('weight: "{w}" is not a number.').format(w=text)) from None
        ctx, code = self.ctx, self.linking.code
        return lambda: accept_links(ctx, code, codes, weight=weight)


class LinkReviewScreen(PlannerScreen):
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset(("accept", "pick"))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept(1)", _("Accept first"), id="links.accept"),
        Binding("enter", "accept(1)", _("Accept first"), show=False, id="links.accept_enter"),
        *(Binding(str(n), f"accept({n})", _("Accept suggestion {n}").format(n=n), show=False,
                  id=f"links.accept_{n}") for n in range(1, SUGGESTIONS + 1)),
        Binding("p", "pick", _("Pick others"), id="links.pick"),
        Binding("s", "skip", _("Skip"), id="links.skip"),
        Binding("v", "toggle_linked", _("Linked too"), id="links.all"),
        Binding("escape", "go_back", _("Back"), id="links.back"),
    ]
    DEFAULT_CSS = """
    LinkReviewScreen #links-body { height: 1fr; }
    LinkReviewScreen #links-table { width: 3fr; }
    LinkReviewScreen #links-pane { width: 2fr; border-left: solid $primary; padding: 0 1; }
    LinkReviewScreen #links-summary { height: 1; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.include_linked = False
        self.tasks: list[TaskSuggestions] = []
        self._follow: str | None = None  # the task to highlight after the next load

    def compose_body(self) -> ComposeResult:
        yield Static(_("Loading…"), id="links-summary")
        with Horizontal(id="links-body"):
            table: DataTable[str] = DataTable(id="links-table", cursor_type="row",
                                              zebra_stripes=True)
            yield table
            with VerticalScroll(id="links-pane"):
                yield Static("", id="links-detail")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Task"), _("Lead"), _("Links"), _("First suggestion"), _("Title"))
        table.focus()

    def fetch(self) -> list[TaskSuggestions]:
        return suggest_links(self.ctx, include_linked=self.include_linked, limit=SUGGESTIONS)

    def show(self, data: list[TaskSuggestions]) -> None:
        self.tasks = data
        table = self.query_one(DataTable)
        table.clear()
        for t in data:
            first = t.suggestions[0] if t.suggestions else None
            table.add_row(t.code, t.lead, ",".join(t.linked) or "-",
                          f"{first.criterion} ({fmt_points(first.score)})" if first else "",
                          clip(t.title, 60), key=t.code)
        unlinked = sum(1 for t in data if not t.linked)
        self.query_one("#links-summary", Static).update(
            _("{n} tasks without a link").format(n=unlinked) if unlinked
            else _("Every task is linked to a criterion."))
        codes = [t.code for t in data]
        if self._follow in codes:
            table.move_cursor(row=codes.index(self._follow))
        self._follow = None
        self._detail()

    def current(self) -> TaskSuggestions | None:
        table = self.query_one(DataTable)
        if not self.tasks or table.cursor_row is None or table.cursor_row >= len(self.tasks):
            return None
        return self.tasks[table.cursor_row]

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        self.query_one("#links-detail", Static).update(self.detail(self.current()))

    @staticmethod
    def detail(task: TaskSuggestions | None) -> RenderableType:
        if task is None:
            return Text(_("Nothing to link."))
        parts: list[RenderableType] = [Text(f"{task.code}  {task.title}", style="bold")]
        if task.section:
            parts.append(Text(_("Section: {section}").format(section=task.section)))
        if task.product:
            parts.append(Text(_("Product: {product}").format(product=task.product)))
        parts.append(Text(_("Links: {links}").format(links=", ".join(task.linked) or "-")))
        parts.append(Text(""))
        parts.append(Text(_("Suggestions (a or 1 accepts the first, 2-5 another, p picks "
                            "others, s skips)"), style="bold"))
        for n, s in enumerate(task.suggestions, start=1):
            mark = " §" if s.by_section else ""
            parts.append(Text(f" {n}  {s.criterion:<8} {fmt_points(s.score):>5}{mark}  {s.title}"))
        if not task.suggestions:
            parts.append(Text(_("(no suggestion: p to pick the criteria)"), style="dim"))
        return Group(*parts)

    def _next_code(self, task: TaskSuggestions) -> str | None:
        codes = [t.code for t in self.tasks]
        i = codes.index(task.code)
        # Accepted tasks leave the list (unless linked ones are shown): follow the next one.
        return codes[i + 1] if i + 1 < len(codes) else (codes[i - 1] if i > 0 else None)

    def action_accept(self, n: int) -> None:
        task = self.current()
        if task is None or n > len(task.suggestions):
            self.notify(_("No suggestion {n} for this task.").format(n=n), severity="warning")
            return
        chosen = task.suggestions[n - 1].criterion
        self._follow = self._next_code(task)
        ctx, code = self.ctx, task.code
        self.run_service(lambda: accept_links(ctx, code, [chosen]),
                         done=_("{task} linked to {criterion}.").format(task=code,
                                                                         criterion=chosen))

    def action_pick(self) -> None:
        task = self.current()
        if task is None:
            return
        self._follow = self._next_code(task)
        self.app.push_screen(PickCriteriaDialog(self.ctx, task))

    def action_skip(self) -> None:
        table = self.query_one(DataTable)
        if self.tasks:
            table.move_cursor(row=min(table.cursor_row + 1, len(self.tasks) - 1))

    def action_toggle_linked(self) -> None:
        self.include_linked = not self.include_linked
        task = self.current()
        self._follow = task.code if task else None
        self.reload()
