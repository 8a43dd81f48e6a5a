"""What the main screens look like on the sample plan as of 09/05/2022, at 120×40 and 80×24.

Update after a deliberate change with `pytest tests/tui --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from planner.services.context import Context
from planner.tui.app import build_app
from tests.tui.conftest import SIZE
from tests.tui.helpers import settle


def opened(*keys: str) -> Callable[[Pilot[Any]], object]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


def test_dashboard(ctx: Context, snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(build_app(ctx), terminal_size=SIZE, run_before=opened())


def test_criteria_tree(ctx: Context, snap_compare: Callable[..., bool]) -> None:
    # Down to 1.1.2 (scored by the plan's own completion): its explanation shows bands.
    assert snap_compare(build_app(ctx), terminal_size=SIZE,
                        run_before=opened("c", "down", "enter", "down", "down"))


def test_task_list(ctx: Context, snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(build_app(ctx), terminal_size=SIZE, run_before=opened("t", "down"))


# 80×24, the terminal people open (tests/tui/test_small_terminal.py checks the same in Vietnamese).
SMALL = (80, 24)


def test_dashboard_80x24(ctx: Context, snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(build_app(ctx), terminal_size=SMALL, run_before=opened())


def test_task_list_searched_80x24(ctx: Context, snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(build_app(ctx), terminal_size=SMALL,
                        run_before=opened("t", "slash", *"cai cach"))


def test_task_detail_80x24(ctx: Context, snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(build_app(ctx), terminal_size=SMALL,
                        run_before=opened("t", "slash", *"t21", "enter", "enter"))


def test_dashboard_two_weeks_back_80x24(ctx: Context, snap_compare: Callable[..., bool]) -> None:
    # The header says the past is read-only, and the figures are those of 25/04/2022.
    assert snap_compare(build_app(ctx), terminal_size=SMALL,
                        run_before=opened("left_square_bracket", "left_square_bracket"))
