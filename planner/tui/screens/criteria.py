"""The criteria tree with rolled-up points, and the explanation of the highlighted criterion
(the same inputs, rules and bands as `planner explain`), with the tasks that feed it."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from planner.domain.facts import CriterionRule
from planner.domain.scoring import CriterionScore
from planner.i18n import _
from planner.presentation.explain import header_lines, part_label
from planner.services.task_rows import TaskRow
from planner.services.tui_queries import PlanOverview
from planner.tui.format import bar, clip, fmt_points, pad, row_status, sparkline
from planner.tui.literal import literal, safe
from planner.tui.screens.base import PlannerScreen
from planner.tui.widgets.nav_tree import NavTree

GUIDE = 4  # cells of indentation per tree level (Tree's default guide depth)
ICON = 2  # the expand icon and its space; leaves get two spaces instead, so columns align
POINTS = 23  # secured, projected and max, 7 cells each
BAR = 10
SPARK = 10  # the last ten weeks, one cell each
#: The narrowest title (at the deepest level) that still leaves room for the sparkline; below
#: it (80 columns) the sparkline is left out and the title keeps the room.
SPARK_MIN_TITLE = 24
DEEPEST = 2


class CriteriaScreen(PlannerScreen):
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset(("toggle_applicable", "change_method", "link_tasks"))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "list_tasks", _("Its tasks"), id="criteria.tasks"),
        Binding("n", "toggle_applicable", _("Applicable?"), id="criteria.applicable"),
        Binding("m", "change_method", _("Method"), id="criteria.method"),
        Binding("L", "link_tasks", _("Link tasks"), key_display="L", show=False,
                id="criteria.links"),
        Binding("plus", "expand_all", _("Expand all"), key_display="+", show=False,
                id="criteria.expand"),
        Binding("minus", "collapse_all", _("Collapse"), key_display="-", show=False,
                id="criteria.collapse"),
    ]

    def __init__(self, *, focus: str | None = None) -> None:
        super().__init__()
        self.overview: PlanOverview | None = None
        self._focus_on_open = focus  # a criterion code to open the tree on, once
        self._tree_nodes: dict[str, TreeNode[CriterionScore]] = {}
        self._rules: dict[str, CriterionRule] = {}
        self._not_applicable: set[str] = set()
        self._gaps: set[str] = set()
        self._sparks: dict[str, str] = {}
        self._sparked: PlanOverview | None = None  # the overview the sparklines are for

    def compose_body(self) -> ComposeResult:
        yield Static("", id="criteria-legend")
        tree: NavTree = NavTree(_("Criteria"), id="criteria-tree")
        tree.show_root = False
        tree.guide_depth = GUIDE
        yield tree
        with VerticalScroll(id="criterion-pane"):
            yield Static(_("Loading…"), id="criterion-explanation")

    def on_mount(self) -> None:
        self.query_one(NavTree).focus()

    def fetch(self) -> PlanOverview:
        return self.planner.store.overview()

    class Sparked(Message):
        def __init__(self, overview: PlanOverview, sparks: dict[str, str]) -> None:
            super().__init__()
            self.overview = overview
            self.sparks = sparks

    @work(thread=True, exclusive=True, group="sparks", exit_on_error=False)
    def _spark(self, overview: PlanOverview) -> None:
        """The sparklines, once per load, after the tree is shown: the weekly history is
        32 ms on the sample plan but about 1 s at 10,000 tasks (docs/performance.md)."""
        worker = get_current_worker()
        history = self.planner.store.history(overview)
        # Secured, not projected, points: projected stays at the maximum for most criteria
        # until work goes late (a flat line, and the "!" already warns of risk), while secured
        # shows the weeks points were earned, and taken back when evidence was rejected: the
        # pace the coordinator is asked about. Scaled to the criterion's maximum.
        sparks = {node.code: sparkline(history.series_of(node.code, "secured"), node.max_points, SPARK)
                  for node in overview.score.walk()}
        if not worker.is_cancelled:
            self.post_message(self.Sparked(overview, sparks))

    def on_criteria_screen_sparked(self, message: CriteriaScreen.Sparked) -> None:
        if message.overview is self.overview:
            self._sparks, self._sparked = message.sparks, message.overview
            self._show(message.overview)

    # ------------------------------------------------------------------ the tree

    def _tree_width(self) -> int:
        return self.query_one(NavTree).scrollable_content_region.width or 116

    def _with_sparks(self) -> bool:
        """Whether the sparklines fit: at 80 columns the titles need the room."""
        return self._title_width(DEEPEST, sparks=False) - SPARK - 1 >= SPARK_MIN_TITLE

    def _title_width(self, depth: int, *, sparks: bool | None = None) -> int:
        spark = SPARK + 1 if (self._with_sparks() if sparks is None else sparks) else 0
        return max(12, self._tree_width() - GUIDE * depth - ICON - 8 - POINTS - 1 - BAR - 2 - spark)

    def _label(self, node: CriterionScore) -> Text:
        depth = node.code.count(".")
        risky = node.at_risk > 1e-9
        excluded = node.code in self._not_applicable
        text = Text("" if node.children else " " * ICON)
        text.append(f"{safe(node.code):<7} ", style="bold dim" if excluded else "bold")
        text.append(pad(safe(node.title), self._title_width(depth)), style="dim" if excluded else "")
        points = "".join(pad(fmt_points(v), 7, right=True)
                         for v in (node.secured, node.projected, node.max_points))
        if excluded:
            text.append(points + " ", style="dim")
            text.append(pad(_("n/a"), BAR + 2), style="dim italic")
            return text
        text.append(points + " ", style="dark_orange" if risky else "")
        text.append_text(bar(node.secured, node.at_risk, node.lost, node.open, BAR))
        gap = node.code in self._gaps
        text.append(" !" if risky else (" ?" if gap else "  "),
                    style="bold dark_orange" if risky else "bold yellow")
        if self._with_sparks():
            text.append(" " + self._sparks.get(node.code, " " * SPARK), style="green")
        return text

    def _legend(self) -> Text:
        head = pad(_("Code"), 8) + pad(_("Criterion"), self._title_width(0))
        cols = "".join(pad(label, 7, right=True) for label in (_("Secured"), _("Proj."), _("Max")))
        parts = pad(_("Parts"), BAR + 2) + " " + pad(_("Weeks"), SPARK) if self._with_sparks() else _("Parts")
        return Text(head + cols + " " + parts, style="bold")

    def show(self, data: PlanOverview) -> None:
        if self._sparked is not data:
            self._sparks = {}  # those of the date shown before: blank until the new ones come
            self._spark(data)
        self._show(data)

    def _show(self, data: PlanOverview) -> None:
        self.overview = data
        self._rules = _rules_by_code(data.facts.criteria)
        marked = {n.code for n in data.facts.not_applicable}
        self._not_applicable = {code for code in self._rules
                                if any(code == m or code.startswith(m + ".") for m in marked)}
        # A threshold criterion without indicator cannot score yet: "?" beside it.
        self._gaps = {code for code, rule in self._rules.items()
                      if rule.method == "threshold" and rule.indicator is None}
        tree = self.query_one(NavTree)
        codes = [node.code for node in data.score.walk()]
        self.query_one("#criteria-legend", Static).update(self._legend())
        if set(codes) == set(self._tree_nodes):
            for node in data.score.walk():
                tree_node = self._tree_nodes[node.code]
                tree_node.data = node
                tree_node.set_label(self._label(node))
        else:
            tree.clear()
            self._tree_nodes = {}

            def add(parent: TreeNode[CriterionScore], node: CriterionScore) -> None:
                if node.children:
                    branch = parent.add(self._label(node), data=node, expand=node.code.count(".") == 0)
                    for child in node.children:
                        add(branch, child)
                else:
                    branch = parent.add_leaf(self._label(node), data=node)
                self._tree_nodes[node.code] = branch

            for root in data.score.criteria:
                add(tree.root, root)
            tree.move_cursor(tree.root.children[0] if tree.root.children else None)
        focus = self._tree_nodes.get(self._focus_on_open or "")
        self._focus_on_open = None
        if focus is not None:
            parent = focus.parent
            while parent is not None:
                parent.expand()
                parent = parent.parent
            tree.move_cursor(focus)
        self._explain(tree.cursor_node.data if tree.cursor_node else None)

    def on_resize(self) -> None:
        if self.overview is not None:
            self._show(self.overview)

    # ------------------------------------------------------------------ the explanation

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[CriterionScore]) -> None:
        self._explain(event.node.data)

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[CriterionScore]) -> None:
        if event.node.data is not None and not event.node.data.children:
            self.action_list_tasks()

    def _explain(self, node: CriterionScore | None) -> None:
        pane = self.query_one("#criterion-explanation", Static)
        if node is None or self.overview is None:
            pane.update("")
            return
        pane.update(self.explanation(node, self.overview))

    def explanation(self, node: CriterionScore, overview: PlanOverview) -> RenderableType:
        """`planner explain`'s lines, with its table laid out for the pane's width."""
        # The header lines are the CLI's text as is; the table and the children below are drawn
        # here so they wrap inside the pane.
        head = header_lines(node, overview.as_of)
        parts: list[RenderableType] = [literal(head[0], style="bold"), *(literal(line) for line in head[1:])]
        if node.explanation:
            table = Table(expand=True, box=None, padding=(0, 1), header_style="bold")
            table.add_column(_("Input"), no_wrap=True)
            table.add_column(_("Rule"), ratio=1)
            table.add_column(_("Weight"), justify="right", no_wrap=True)
            table.add_column(_("Points"), justify="right", no_wrap=True)
            table.add_column(_("Part"), no_wrap=True)
            for e in node.explanation:
                style = "" if e.counted else "dim"
                table.add_row(literal(e.subject), literal(e.rule), fmt_points(e.weight) if e.weight is not None else "",
                              fmt_points(e.points), part_label(e.part) if e.counted else _("not counted"),
                              style=style)
            parts += [Text(""), table]
        if node.children:
            parts.append(Text(""))
            for child in node.children:
                parts.append(literal(f"  {child.code:<8} {fmt_points(child.secured):>6} / "
                                     f"{fmt_points(child.max_points):<6} {child.title}"))
        tasks = self._linked_rows(node, overview)
        if tasks:
            parts += [Text(""), Text(_("Tasks linked ({n}; l lists them)").format(n=len(tasks)), style="bold")]
            width = max(30, (self.query_one("#criterion-pane").scrollable_content_region.width or 110) - 48)
            for row in tasks[:30]:
                style = "bold red" if row.overdue else ""
                parts.append(literal(f"  {row.key:<15} {row.lead:<6} {row_status(row):<12} "
                                     f"{clip(row.title, width)}", style=style))
            if len(tasks) > 30:
                parts.append(Text("  …", style="dim"))
        return Group(*parts)

    @staticmethod
    def _linked_rows(node: CriterionScore, overview: PlanOverview) -> list[TaskRow]:
        prefix = node.code + "."
        codes = {link.task_code for link in overview.facts.links
                 if link.criterion_code == node.code or link.criterion_code.startswith(prefix)}
        return [row for row in overview.rows if row.task_code in codes]

    # ------------------------------------------------------------------ actions

    def action_list_tasks(self) -> None:
        from planner.tui.screens.task_list import TaskListScreen

        tree = self.query_one(NavTree)
        node = tree.cursor_node.data if tree.cursor_node else None
        if node is not None:
            self.app.push_screen(TaskListScreen(criterion=node.code))

    def _cursor(self) -> CriterionScore | None:
        tree = self.query_one(NavTree)
        return tree.cursor_node.data if tree.cursor_node else None

    def action_toggle_applicable(self) -> None:
        """Mark the highlighted criterion not applicable to the unit, or applicable again."""
        from planner.services.criteria_admin import set_applicable

        node = self._cursor()
        if node is None or self.overview is None:
            return
        marked = {n.code for n in self.overview.facts.not_applicable}
        applicable = node.code in marked
        if not applicable and node.code in self._not_applicable:
            self.notify(_("{code} is under a criterion that is not applicable.").format(
                code=node.code), severity="warning")
            return
        ctx, code = self.ctx, node.code
        done = (_("{code}: applicable again.") if applicable
                else _("{code}: not applicable; its points leave the total.")).format(code=code)
        self.run_service(lambda: set_applicable(ctx, code, applicable), done=done)

    def action_change_method(self) -> None:
        from planner.tui.screens.criterion_dialogs import MethodDialog

        node = self._cursor()
        rule = self._rules.get(node.code) if node is not None else None
        if rule is None or rule.children:
            self.notify(_("Only a criterion without sub-criteria has a method."),
                        severity="warning")
            return
        self.app.push_screen(MethodDialog(self.ctx, rule))

    def action_link_tasks(self) -> None:
        from planner.tui.screens.link_review import LinkReviewScreen

        self.app.push_screen(LinkReviewScreen())

    def action_expand_all(self) -> None:
        self.query_one(NavTree).root.expand_all()

    def action_collapse_all(self) -> None:
        tree = self.query_one(NavTree)
        for child in tree.root.children:
            child.collapse_all()
            child.expand()



def _rules_by_code(criteria: tuple[CriterionRule, ...]) -> dict[str, CriterionRule]:
    out: dict[str, CriterionRule] = {}
    stack = list(criteria)
    while stack:
        rule = stack.pop()
        out[rule.code] = rule
        stack.extend(rule.children)
    return out
