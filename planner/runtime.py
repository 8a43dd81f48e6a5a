"""Runtime tuning, in one place: how the cyclic garbage collector runs in a planner process.

Loading, scoring or laying out 10,000 tasks allocates hundreds of thousands of small objects
(tuples, dataclasses, explanation lines) that form no reference cycles. With CPython's default
thresholds (700, 10, 10) a collection starts every 700 allocations, and the older generations,
which hold the whole plan, are traversed again and again: the cost grows faster than the plan.
The settings below are applied at the entry points and nowhere else:

- `start_command()`: the command line's `main` calls it before it runs a command. A command is
  one bounded piece of work whose process ends with it, so the collector stays off for it
  (reference counting still frees everything that is not a cycle; the cycles a command leaves
  are freed with its process). This replaced 16 pauses spread over the domain, services, io
  and reports; docs/performance.md has the before/after figures.
- `start_session()`: the terminal UI calls it when it starts (`PlannerApp.__init__`, also when
  it was opened from a command). A session runs for hours, so the collector runs, with
  CPython's own thresholds (raised ones were measured: see `SESSION_THRESHOLDS`).
- `freeze_once()`: the TUI calls it once its warm-up imports are done. It moves what exists
  then (modules, classes, functions: objects that live as long as the process) out of the
  collector's sight, **once**, after a collection so that no garbage is frozen with them.
  Freezing again later (after every plan load, as the TUI once did) keeps every object alive
  at that moment for good, garbage cycles included: 40 rounds of screen switching and reloads
  ended with 563,000 unreachable objects kept (tests/tui/test_memory.py guards against it).
- `collector_paused()` stops the collector for a block, for the session's measured hot loops,
  the runs a command would make without it: the plan load (`PlanStore.overview`) and a report
  run (the report screen's preview and PDF), each in a worker while the screen is drawn, which
  collections would otherwise interrupt over the objects being built. The pause is counted, so it
  nests and holds across threads: the collector runs again when the last paused block ends, if
  it was running when the first began.

Pure: no I/O, only the interpreter's collector switches. Every layer's entry point may import
it, so it imports nothing from planner.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: The session's collector thresholds: CPython's defaults. Raised ones were measured and
#: rejected: with the 10,000-task plan open on the task list (scripts/bench_tui.py), the
#: session's peak memory was 710 MB with (50_000, 20, 20) and 365 MB with (10_000, 10, 10),
#: against 233 MB with these: the screens make short-lived reference cycles (a plan's
#: criteria tree, Textual's widgets), which wait for the older generations' rarer collections.
SESSION_THRESHOLDS = (700, 10, 10)

_lock = threading.Lock()
_depth = 0
_resume = False  # whether the collector was running when the outermost pause began
_frozen = False


def start_command() -> None:
    """A one-shot command starts: the collector is off until its process ends (or until the
    command opens the terminal UI, which calls `start_session`)."""
    gc.disable()


def start_session() -> None:
    """A long-running session starts: the collector runs, with the session's thresholds (set
    again: the command that opened the session may have changed them)."""
    gc.set_threshold(*SESSION_THRESHOLDS)
    gc.enable()


def freeze_once() -> bool:
    """Collect, then freeze what exists now out of the collector, the first time it is called
    in this process; later calls do nothing. Call it once warm-up (the imports a session needs)
    is done. Returns whether this call froze."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        _frozen = True
    gc.collect()
    gc.freeze()
    return True


def is_frozen() -> bool:
    """Whether `freeze_once` has frozen in this process."""
    return _frozen


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block (nested and concurrent uses are fine)."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
