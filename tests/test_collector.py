"""Runtime tuning (planner/runtime.py): the collector pause nests, holds across threads and always
gives the collector back; a command runs without the collector, a session with it; the freeze
happens once."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from planner.domain.facts import PlanFacts
from planner.domain.scoring import score_plan
from planner.runtime import SESSION_THRESHOLDS, collector_paused


@pytest.fixture(autouse=True)
def collector_running() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_nested_pauses_resume_only_at_the_outermost_end() -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_resumes_the_collector() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads() -> None:
    # Thread A pauses, then B; A ends first: the collector stays paused until B ends too.
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_paused():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def second() -> None:
        a_in.wait(5)
        with collector_paused():
            b_in.set()
            a_out.wait(5)
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_the_roll_up_gives_the_collector_back() -> None:
    empty = PlanFacts(year=2022, starts_on=date(2022, 1, 1), ends_on=date(2022, 12, 31),
                      criteria=())
    assert score_plan(empty, date(2022, 5, 9)).overall.max_points == 0
    assert gc.isenabled()


def _in_fresh_interpreter(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_a_command_runs_without_the_collector_and_a_session_with_raised_thresholds() -> None:
    seen = _in_fresh_interpreter(
        "import gc\nfrom planner import runtime\n"
        "runtime.start_command(); print(gc.isenabled())\n"
        "runtime.start_session(); print(gc.isenabled(), *gc.get_threshold())")
    assert seen == ["False", "True", *map(str, SESSION_THRESHOLDS)]


def test_the_collector_is_frozen_once_and_garbage_made_later_is_still_collected() -> None:
    seen = _in_fresh_interpreter(
        "import gc\nfrom planner import runtime\n"
        "print(runtime.freeze_once(), gc.get_freeze_count() > 0)\n"
        "frozen = gc.get_freeze_count()\n"
        "gc.disable()  # the cycles below wait for the explicit collection\n"
        "class Node: pass\n"
        "for _ in range(1000):\n"
        "    a, b = Node(), Node(); a.other, b.other = b, a\n"
        "    runtime.freeze_once()\n"
        "print(runtime.freeze_once(), gc.get_freeze_count() == frozen, gc.collect() >= 1998)")
    assert seen == ["True", "True", "False", "True", "True"]


def test_planner_main_runs_the_command_without_the_collector(seeded: Any) -> None:
    code = ("import gc, sys\n"
            f"sys.argv = ['planner', '--db', {seeded.db!r}, 'score']\n"
            "from planner.cli import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('collector', gc.isenabled(), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "collector False"
