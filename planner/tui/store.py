"""The plan as the screens share it: one overview per change, loaded off the UI thread.

Screens ask for the overview from their thread workers; the first asker loads it and the
others wait for that load instead of starting their own. After any change the app
invalidates it, and the next asker loads it afresh.
"""

from __future__ import annotations

import threading

from planner.services.context import Context
from planner.services.tui_queries import PlanOverview, has_plan, plan_overview


class PlanStore:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._load_lock = threading.Lock()
        self._generation = 0
        self._overview: PlanOverview | None = None
        self._overview_generation = -1

    @property
    def latest(self) -> PlanOverview | None:
        """The last overview loaded, current or not (the command palette lists its tasks)."""
        return self._overview

    @property
    def generation(self) -> int:
        return self._generation

    def invalidate(self) -> None:
        self._generation += 1

    def has_plan(self) -> bool:
        return has_plan(self.ctx)

    def overview(self) -> PlanOverview:
        """The current overview; blocks while it loads, so call it from a worker thread."""
        with self._load_lock:
            generation = self._generation
            if self._overview is not None and self._overview_generation == generation:
                return self._overview
            overview = plan_overview(self.ctx, self.ctx.today)
            self._overview = overview
            self._overview_generation = generation
            return overview
