"""The command palette (ctrl+p): every screen, every action of the current screen with its
key, and every task by code or title (typed without accents)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from planner.domain.text import fold
from planner.i18n import _
from planner.tui.format import row_status
from planner.tui.literal import literal, safe

if TYPE_CHECKING:
    from planner.tui.app import PlannerApp

MAX_TASK_HITS = 20


class PlannerCommands(Provider):
    @property
    def planner(self) -> PlannerApp:
        return cast("PlannerApp", self.app)

    def commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        """(name, callback, help) of every screen and of the actions active where the palette
        was opened."""
        from planner.tui.app import SCREEN_KEYS

        app = self.planner
        for mode, (_id, keys, label) in SCREEN_KEYS.items():
            yield (_("Go to {screen}").format(screen=label), partial(app.switch_mode, mode),
                   _("key {key}").format(key=keys.split(",")[0]))
        seen: set[tuple[str, str]] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action.startswith("switch_mode") or not active.enabled:
                continue
            if binding.action in ("command_palette",):
                continue
            ident = (binding.action, binding.description)
            if ident in seen:
                continue
            seen.add(ident)
            run = partial(app.call_later, app.run_action, binding.action, active.node)
            yield binding.description, run, _("key {key}").format(key=app.get_key_display(binding.with_key(key)))

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
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
