"""The command palette (ctrl+p): every screen, the overdue tasks (all, or one office's), every
action of the current screen with its key, and every task by code or title. Names are found
typed with or without accents ("qua han" finds "quá hạn")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from planner.domain.text import fold
from planner.i18n import _, ngettext
from planner.tui.format import fmt_date, row_status
from planner.tui.literal import literal, safe
from planner.tui.textual_i18n import key_text

if TYPE_CHECKING:
    from planner.tui.app import PlannerApp

MAX_TASK_HITS = 20
#: Bindings that move in a list (ours by id, Textual's widgets' by action): the help has one
#: line for them all, the palette none.
MOVES = frozenset({"list.up", "list.down", "list.page_up", "list.page_down", "list.first",
                   "list.last"})
MOVE_ACTIONS = frozenset({
    "cursor_up", "cursor_down", "cursor_left", "cursor_right", "scroll_up", "scroll_down",
    "scroll_left", "scroll_right", "scroll_home", "scroll_end", "first", "last", "page_up",
    "page_down", "page_left", "page_right", "first_row", "last_row", "page_up_rows",
    "page_down_rows",
})


def moves_in_a_list(binding: Binding) -> bool:
    return binding.id in MOVES or binding.action in MOVE_ACTIONS


class PlannerCommands(Provider):
    @property
    def planner(self) -> PlannerApp:
        return cast("PlannerApp", self.app)

    def commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        """(name, callback, help) of every screen and of the actions active where the palette
        was opened."""
        from planner.tui.app import EXTRA_SCREENS, SCREEN_KEYS

        app = self.planner
        for mode, (_id, keys, label) in (SCREEN_KEYS | EXTRA_SCREENS).items():
            yield (_("Go to {screen}").format(screen=label), partial(app.switch_mode, mode),
                   _("key {key}").format(key=keys.split(",")[0]))
        yield from self._overdue_commands()
        seen: set[tuple[str, str]] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action.startswith("switch_mode") or not active.enabled:
                continue
            if binding.action in ("command_palette",) or moves_in_a_list(binding):
                continue
            ident = (binding.action, binding.description)
            if ident in seen:
                continue
            seen.add(ident)
            run = partial(app.call_later, app.run_action, binding.action, active.node)
            yield (key_text(binding.description), run,
                   _("key {key}").format(key=app.get_key_display(binding.with_key(key))))

    def _overdue_commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        """The overdue tasks, and those of each office that leads some (as the dashboard)."""
        overview = self.planner.store.latest
        rows = [r for r in overview.rows if r.overdue] if overview is not None else []
        yield (_("Overdue tasks"), partial(self._open_list, None),
               ngettext("{n} task, as of {date}", "{n} tasks, as of {date}", len(rows)).format(
                   n=len(rows), date=fmt_date(overview.as_of) if overview else ""))
        by_lead: dict[str, int] = {}
        for row in rows:
            by_lead[row.lead] = by_lead.get(row.lead, 0) + 1
        for office, n in sorted(by_lead.items()):
            yield (_("Overdue tasks led by {office}").format(office=office),
                   partial(self._open_list, office),
                   ngettext("{n} task", "{n} tasks", n).format(n=n))

    def _open_list(self, lead: str | None) -> None:
        from planner.tui.screens.task_list import TaskListScreen

        self.planner.switch_mode("tasks")
        self.planner.push_screen(TaskListScreen(lead=lead, status="overdue"))

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        words = fold(query).split()
        for name, callback, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
            elif words and all(w in fold(name) for w in words):
                # Typed without accents, or words out of order: found all the same.
                yield Hit(0.9, name, callback, text=name, help=help_text)
        async for hit in self._task_hits(query):
            yield hit

    async def _task_hits(self, query: str) -> Hits:
        overview = self.planner.store.latest
        words = fold(query).split()
        if overview is None or not words:
            return
        found = 0
        for row, key in zip(overview.rows, overview.search_keys, strict=True):
            if all(w in key for w in words):
                name = _("Open task {key}: {title}").format(key=safe(row.key), title=safe(row.title))
                yield Hit(0.5, literal(name), partial(self._open_task, row.key), text=name,
                          help=safe(f"{row.lead} · {row_status(row)}"))
                found += 1
                if found >= MAX_TASK_HITS:
                    return

    def _open_task(self, key: str) -> None:
        from planner.tui.screens.task_detail import TaskDetailScreen

        self.planner.switch_mode("tasks")
        self.planner.push_screen(TaskDetailScreen(key))
