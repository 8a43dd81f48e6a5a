"""Time what-if and the tasks that matter most on generated plans (not a test).

    python scripts/bench_whatif.py [--tasks 1000 10000] [--toggles 200] [--as-of 2022-05-09]

For each size, generates a plan with scripts/generate_plan.py (700 criteria, 20 offices,
5,000 evidence), loads its facts once, then:

- toggles occurrences one at a time in a `WhatIfSession` (the TUI's what-if mode: each toggle
  rescores only what the task touches), `--toggles` of them spread over the plan, each on
  then off again; targets (issue 16): each toggle within 16 ms at 1,000 tasks and 50 ms at
  10,000. Shown: median, p95 and max per toggle, wall and CPU;
- for comparison, the same hypothesis scored in full (`score_plan`), which is what each
  toggle would cost without incremental rescoring;
- the tasks that matter most: the dashboard's five, each office's three (the weekly emails),
  and every open occurrence ranked (`planner focus` with a large --limit).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGETS_MS = {1000: 16.0, 10000: 50.0}


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000, result


def _summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms"


def bench(db: Path, tasks: int, toggles: int, as_of: date) -> None:
    from planner.domain.focus import focus
    from planner.domain.scoring import score_plan
    from planner.domain.whatif import OccurrenceChange, WhatIfSession, apply_changes
    from planner.services.context import Context
    from planner.services.scores import plan_score
    from planner.services.session import open_database

    database, _pinned = open_database(str(db))
    ctx = Context(db=database, today=as_of)
    facts = plan_score(ctx, as_of, explain=False).facts
    # The loaded plan lives long; frozen out of the collector's traversals, as the TUI's one
    # freeze after its warm-up does with the first plan it loads (planner/runtime.py).
    gc.freeze()
    occurrences = facts.occurrences
    print(f"\n{tasks} tasks ({len(occurrences)} occurrences), as of {as_of.isoformat()}:")
    wall_ms, _cpu, session = _timed(lambda: WhatIfSession(facts, as_of))
    print(f"  entering what-if mode (the plan scored once): {wall_ms:.0f} ms")
    step = max(1, len(occurrences) // toggles)
    keys = [occ.key for occ in occurrences[::step]][:toggles]
    walls: list[float] = []
    cpus: list[float] = []
    for key in keys:
        for _ in range(2):  # on, then off again
            wall_ms, cpu_ms, _score = _timed(lambda key=key: session.toggle(key))
            walls.append(wall_ms)
            cpus.append(cpu_ms)
    target = TARGETS_MS.get(tasks)
    verdict = ""
    if target is not None:
        verdict = f"  (target {target:.0f} ms: {'met' if max(walls) <= target else 'NOT met'} by the max)"
    print(f"  toggle, {len(walls)} toggles: {_summary(walls)}{verdict}")
    print(f"  toggle CPU: {_summary(cpus)}")
    full: list[float] = []
    for key in keys[:10]:
        changed = apply_changes(facts, [OccurrenceChange(key, "done", as_of)])[0]
        wall_ms, _cpu, _score = _timed(lambda changed=changed: score_plan(changed, as_of, explain=False))
        full.append(wall_ms)
    print(f"  the same hypothesis scored in full, 10 of them: {_summary(full)}")
    for label, kwargs in (
        ("dashboard's five", {"limit": 5}),
        ("each office's three", {"limit": 3, "per_office": True}),
        ("every open occurrence ranked", {}),
    ):
        wall_ms, cpu_ms, ranked = _timed(lambda kwargs=kwargs: focus(facts, as_of, **kwargs))
        print(f"  tasks that matter most, {label}: {wall_ms / 1000:.2f} s ({cpu_ms / 1000:.2f} s CPU, "
              f"{len(ranked)} listed)")
    database.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--toggles", type=int, default=200)
    parser.add_argument("--as-of", default="2022-05-09")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    import os

    from generate_plan import generate  # type: ignore[import-not-found]

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="bench-whatif-") as workdir:
        for tasks in args.tasks:
            db = Path(workdir) / f"plan-{tasks}.db"
            start = time.perf_counter()
            generate(db, tasks=tasks, criteria=700, offices=20, evidence=5000)
            print(f"generated {tasks} tasks in {time.perf_counter() - start:.1f} s")
            bench(db, tasks, args.toggles, date.fromisoformat(args.as_of))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
