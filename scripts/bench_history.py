"""The trajectory's speed: 52 weekly scores of a 10,000-task plan, naive against incremental.

    .venv/bin/python scripts/bench_history.py            # --db PATH to reuse a plan, --runs N

Naive: `score_plan(facts, D, explain=False)` for each of the 52 dates (the facts already loaded
and indexed, as `planner score` would have them). Incremental: `score_series(facts, dates)`,
which re-resolves only the tasks that moved between two dates and re-scores only the criteria
they touch (`planner.domain.trajectory`). The two run in alternating pairs in one process, on
the same facts, each pair in a random order, so a change in the machine's load hits both; CPU
and wall time are reported. The series must equal the naive scores point for point.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from bench_cli import Runs, load, machine  # type: ignore[import-not-found]  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="an existing database (default: generate one)")
    parser.add_argument("--runs", type=int, default=9, help="pairs of runs")
    parser.add_argument("--weeks", type=int, default=52)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    from planner.domain.rollup import score_plan
    from planner.domain.trajectory import score_series
    from planner.services.facts import load_facts
    from planner.services.plans import plan_record
    from planner.services.session import open_database

    print(f"machine: {machine()}")
    print(f"start: {load()}")
    workdir = tempfile.TemporaryDirectory(prefix="bench-history-")
    db = args.db
    if db is None:
        from generate_plan import generate  # type: ignore[import-not-found]

        db = Path(workdir.name) / "plan.db"
        generate(db, tasks=10000, criteria=700, offices=20, evidence=5000)
        print("generated 10,000 tasks, 700 criteria, 20 offices, 5,000 evidence")
    database, _pinned = open_database(str(db))
    with database.reading() as conn:
        facts = load_facts(conn, plan_record(conn, None))
    dates = [facts.starts_on + timedelta(weeks=i) for i in range(args.weeks)]
    print(
        f"{len(facts.occurrences):,} occurrences, {len(facts.links):,} links, "
        f"{args.weeks} weekly dates {dates[0].isoformat()} .. {dates[-1].isoformat()}"
    )

    def naive() -> list[object]:
        return [score_plan(facts, day, explain=False) for day in dates]

    def incremental() -> list[object]:
        return list(score_series(facts, dates))

    if naive() != incremental():  # also warms the facts' index for both
        print("MISMATCH: the series differs from fresh scores")
        return 1
    runs = {"naive": Runs(), "incremental": Runs()}
    fns = {"naive": naive, "incremental": incremental}
    order = random.Random(1)
    for _ in range(args.runs):
        pair = ["naive", "incremental"]
        order.shuffle(pair)
        for name in pair:
            start, cpu = time.perf_counter(), time.process_time()
            fns[name]()
            runs[name].cpu.append(time.process_time() - cpu)
            runs[name].wall.append(time.perf_counter() - start)
    print(f"{args.runs} alternating pairs; end: {load()}")
    for name, measured in runs.items():
        print(measured.line(f"{args.weeks} weeks, {name}", 1.0))
    speedup = statistics.median(runs["naive"].cpu) / statistics.median(runs["incremental"].cpu)
    print(f"  incremental / naive, CPU medians: {speedup:.2f}x faster")
    print("  the series equals the naive scores, point for point")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
