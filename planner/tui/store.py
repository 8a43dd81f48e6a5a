"""The plan as the screens share it: one overview per change, loaded off the UI thread.

Screens ask for the overview from their thread workers; the first asker loads it and the
others wait for that load instead of starting their own. The task list needs only the first
half of a load (the rows, not the score), so it can be shown while the rest is computed.
After any change the app invalidates it, and the next asker loads it afresh: only the tasks
the change log says were touched when that is all that changed (`refreshed_overview`: a few
tens of milliseconds at 10,000 tasks instead of most of a second), else everything.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from planner import runtime
from planner.services.acting import ActingUser, acting_user
from planner.services.context import Context
from planner.services.tui_queries import (
    PlanOverview,
    PlanRows,
    complete_overview,
    has_plan,
    plan_rows,
    refreshed_overview,
)

if TYPE_CHECKING:
    from planner.services.trajectory import History


class PlanStore:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._load_lock = threading.Lock()  # one load at a time
        self._changed = threading.Condition()  # guards the fields below
        self._loading = False
        self._generation = 0
        self._rows: PlanRows | None = None
        self._rows_generation = -1
        self._overview: PlanOverview | None = None
        self._overview_generation = -1
        self._warmed = False
        self._full_load = True  # the next load reads everything (the first; a reload by hand)
        self._history: tuple[PlanOverview, History] | None = None
        #: Who the app acts for (the header shows it), read again with every overview.
        self.actor: ActingUser | None = None

    @property
    def latest(self) -> PlanOverview | None:
        """The last overview loaded, current or not (the command palette lists its tasks)."""
        return self._overview

    @property
    def generation(self) -> int:
        return self._generation

    def prefetch(self) -> None:
        """Start loading the overview now, in a background thread, so that it is ready (or
        nearly) when the first screen asks for it; the app calls this before it starts.
        A failure here is left for the screen's own load to report."""

        def load() -> None:
            try:
                if self.has_plan():
                    self.overview()
            except Exception:  # the screen's own load raises it again and reports it
                pass

        threading.Thread(target=load, name="planner-prefetch", daemon=True).start()

    def warm_up(self) -> None:
        """Import what editing needs (SQLModel, pydantic, the ORM models: 0.3 s), once, in a
        background thread: the first screen is shown without them, and the first edit should
        not wait for them. The app calls this once the first screen shows its data."""
        if self._warmed:
            return
        self._warmed = True

        def load() -> None:
            import planner.services.evidence
            import planner.services.tasks  # noqa: F401

            # Modules and classes live as long as the app: out of the collector's sight,
            # once per process (never again after a load: that would keep garbage for good).
            runtime.freeze_once()

        threading.Thread(target=load, name="planner-warm-up", daemon=True).start()

    def move_to(self, ctx: Context) -> None:
        """Load as of `ctx.today` from now on (the app moved its as-of date); the caller
        then invalidates, as after any change. A load under way finishes with the context it
        started with, and its result is discarded by the generation check."""
        self.ctx = ctx
        self._full_load = True

    def history(self, overview: PlanOverview) -> History:
        """The weekly trajectory up to the overview's date, from its facts (32 ms for the
        sample plan, no database read); kept until the next change. Call it from a worker."""
        from planner.services.trajectory import history_of

        with self._changed:
            cached = self._history
        if cached is not None and cached[0] is overview:
            return cached[1]
        history = history_of(overview.plan, overview.facts, overview.as_of, "week")
        with self._changed:
            self._history = (overview, history)
        return history

    def invalidate(self, *, full: bool = False) -> None:
        """The plan changed: the next asker loads it again. `full` reads everything again
        (a reload asked for by hand, another date); otherwise only what the change log says
        changed, when that is a few tasks."""
        with self._changed:
            self._generation += 1
            if full:
                self._full_load = True

    def has_plan(self) -> bool:
        return has_plan(self.ctx)

    def overview(self) -> PlanOverview:
        """The current overview; blocks while it loads, so call it from a worker thread."""
        with self._load_lock:
            generation = self._generation
            if self._overview is not None and self._overview_generation == generation:
                return self._overview
            with self._changed:
                self._loading = True
            try:
                ctx = self.ctx  # one date for the whole load, should the app move it meanwhile
                with self._changed:
                    full, self._full_load = self._full_load, False
                previous = self._overview
                if not full and previous is not None and previous.as_of == ctx.today:
                    refreshed = refreshed_overview(ctx, previous)
                    if refreshed is not None:
                        self.actor = acting_user(ctx)
                        with self._changed:
                            self._overview, self._overview_generation = refreshed, generation
                            self._rows, self._rows_generation = refreshed, generation
                        return refreshed
                # The measured hot loop of a long-running process: hundreds of thousands of
                # objects built in a worker while the screen is drawn. Collections meanwhile
                # would traverse the half-built plan again and again (the load took 0.30 s
                # instead of 0.18 s at 10,000 tasks); paused, the collector sees it once after.
                with runtime.collector_paused():
                    rows = plan_rows(ctx, ctx.today)
                with self._changed:
                    self._rows, self._rows_generation = rows, generation
                    self._changed.notify_all()
                with runtime.collector_paused():
                    overview = complete_overview(ctx, rows)
                self.actor = acting_user(ctx)
                with self._changed:
                    self._overview, self._overview_generation = overview, generation
                    self._rows = overview
                return overview
            finally:
                with self._changed:
                    self._loading = False
                    self._changed.notify_all()

    def rows(self) -> PlanRows:
        """The current task rows: returns as soon as a load has them, before the score is
        computed (the task list opened at launch shows sooner). Call it from a worker thread."""
        with self._changed:
            self._changed.wait_for(lambda: self._rows_current() or not self._loading)
            if self._rows_current():
                assert self._rows is not None
                return self._rows
        return self.overview()

    def _rows_current(self) -> bool:
        return self._rows is not None and self._rows_generation == self._generation
