"""The terminal UI's overview refreshed after a change: only the tasks the change log names
are read again (`refreshed_overview`), and what the screens get equals a fresh load."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.services.tui_queries import PlanOverview, plan_overview, refreshed_overview


def same(a: PlanOverview, b: PlanOverview) -> None:
    """What the screens show is the same: rows, search keys, score, board, evidence to review."""
    assert a.as_of == b.as_of
    assert a.rows == b.rows
    assert a.search_keys == b.search_keys
    assert a.log_position == b.log_position
    for x, y in zip(a.score.walk(), b.score.walk(), strict=True):
        assert x.code == y.code
        for name in ("max_points", "secured", "at_risk", "lost", "open", "projected", "progress"):
            assert math.isclose(getattr(x, name), getattr(y, name), abs_tol=1e-9), (x.code, name)
    for totals in ("appraised", "survey", "overall"):
        assert getattr(a.score, totals).to_dict() == pytest.approx(getattr(b.score, totals).to_dict())
    assert [r.office for r in a.board] == [r.office for r in b.board]
    for x, y in zip(a.board, b.board, strict=True):
        counts = ("tasks_led", "occurrences_led", "done_on_time", "done_late", "overdue",
                  "awaiting_review", "supported")
        assert [getattr(x, n) for n in counts] == [getattr(y, n) for n in counts]
        for name in ("points_at_risk", "points_lost", "overdue_at_risk"):
            assert math.isclose(getattr(x, name), getattr(y, name), abs_tol=1e-9), (x.office, name)
    assert [e.id for e in a.submitted] == [e.id for e in b.submitted]


@pytest.fixture
def context(seeded: Any) -> Callable[..., Any]:
    from planner.services.context import Context
    from planner.services.session import open_database

    def factory(actor: str = "coordinator") -> Context:
        db, pinned = open_database(seeded.db)
        assert pinned is not None
        return Context(db=db, actor=actor, today=pinned)

    return factory


def test_a_weeks_changes_refresh_only_their_tasks(context: Callable[..., Any]) -> None:
    """A coordinator's week, change after change: each refreshed overview equals a fresh load,
    and the figures on the dashboard move as the changes say."""
    from planner.services.evidence import EvidenceInput, add_evidence, list_evidence, review
    from planner.services.tasks import TaskChanges, add_task, delete_task, edit_task, set_status

    ctx = context()
    overview = plan_overview(ctx)

    def step() -> PlanOverview:
        nonlocal overview
        refreshed = refreshed_overview(ctx, overview)
        assert refreshed is not None, "a change to tasks alone is refreshed task by task"
        same(refreshed, plan_overview(ctx))
        overview = refreshed
        return refreshed

    secured = overview.score.appraised.secured
    set_status(ctx, "T28", "done")
    after = step()
    assert [r.status for r in after.rows if r.task_code == "T28"] == ["done"]

    set_status(ctx, "T06@2022-04-30", "in_progress", progress=40)
    step()

    member = context("vp")
    submitted = add_evidence(member, "T02", EvidenceInput(note="Kế hoạch đã ban hành"))
    assert any(e.id == submitted.id for e in step().submitted)
    review(ctx, submitted.id or 0, "accepted")
    assert all(e.id != submitted.id for e in step().submitted)

    waiting = {row.target: row.id for row in list_evidence(ctx, state="submitted")}
    review(ctx, waiting["T21"], "accepted")
    after = step()
    assert after.score.appraised.secured > secured

    task = add_task(ctx, "Rà soát quy trình nội bộ", lead="VP", due="30/4/2022",
                    criteria=["3.3.1:2"])
    after = step()
    assert after.rows[-1].task_code == task.code
    edit_task(ctx, task.code, TaskChanges(due="Quý III/2022", criteria=["1.1.3"]))
    step()
    delete_task(ctx, task.code)
    after = step()
    assert all(r.task_code != task.code for r in after.rows)


def test_changes_beyond_tasks_read_everything(context: Callable[..., Any]) -> None:
    """A reading, a nothing-logged reload: no shortcut, the caller loads everything."""
    from planner.services.indicators import add_reading

    ctx = context()
    overview = plan_overview(ctx)
    assert refreshed_overview(ctx, overview) is None  # nothing logged since
    add_reading(ctx, "online_share", "45", on="9/5/2022")
    assert refreshed_overview(ctx, overview) is None


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.lists(
    st.tuples(st.sampled_from(["T02", "T03", "T05", "T11", "T17", "T21", "T28", "T30"]),
              st.sampled_from(["in_progress", "done", "paused", "not_started", "cancelled"]),
              st.integers(min_value=1, max_value=9)),
    min_size=1, max_size=4))
def test_any_status_changes_refresh_to_a_fresh_load(
    context: Callable[..., Any], changes: list[tuple[str, str, int]]
) -> None:
    """Whatever status changes were written (several between two refreshes, refused ones
    included), the refreshed overview equals a fresh load of the same date."""
    from planner.services.errors import PlannerError
    from planner.services.tasks import set_status

    ctx = context()
    overview = plan_overview(ctx)
    for code, status, day in changes:
        # Refused (already done, a recurring task...) writes nothing.
        with contextlib.suppress(PlannerError):
            set_status(ctx, code, status, on=date(2022, 5, day).strftime("%d/%m/%Y"))
    refreshed = refreshed_overview(ctx, overview)
    fresh = plan_overview(ctx)
    if refreshed is None:
        assert fresh.log_position == overview.log_position  # nothing was written
    else:
        same(refreshed, fresh)
