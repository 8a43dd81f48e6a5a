"""An edit in the terminal UI: the overview refreshed task by task beside a full load (issue 14;
a benchmark, not a test).

    .venv/bin/python scripts/bench_refresh.py [--db PLAN] [--changes 15]

On a copy of a 10,000-task plan (generated with scripts/generate_plan.py unless --db names
one), changes the status of one task at a time with the service the TUI calls, then measures
in turn `refreshed_overview` (what the TUI now does after such a change) and `plan_overview`
(a full load), checking that both give the same score; prints the CPU medians and the ratio.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an existing plan (default: generate one)")
    parser.add_argument("--changes", type=int, default=15)
    args = parser.parse_args(argv)

    from bench_cli import load, machine  # type: ignore[import-not-found]

    from planner.services.context import Context
    from planner.services.session import open_database
    from planner.services.tasks import set_status
    from planner.services.tui_queries import plan_overview, refreshed_overview

    print(f"machine: {machine()}\nstart: {load()}")
    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as work:
        db_path = Path(work) / "plan.db"
        if args.db is None:
            from generate_plan import generate  # type: ignore[import-not-found]

            generate(db_path, tasks=10000, criteria=700, offices=20, evidence=5000)
        else:
            shutil.copy(args.db, db_path)
        con = sqlite3.connect(db_path)
        codes = [code for (code,) in con.execute(
            "SELECT code FROM task WHERE status = 'not_started' AND recurrence IS NULL "
            "ORDER BY code LIMIT ?", (args.changes,))]
        con.close()
        db, _pinned = open_database(str(db_path))
        ctx = Context(db=db, today=date(2022, 5, 9), enforce_permissions=False)
        overview = plan_overview(ctx)
        refreshed_cpu: list[float] = []
        full_cpu: list[float] = []
        for i, code in enumerate(codes):
            set_status(ctx, code, "in_progress")
            start = time.process_time()
            refreshed = refreshed_overview(ctx, overview)
            refreshed_cpu.append(time.process_time() - start)
            start = time.process_time()
            fresh = plan_overview(ctx)
            full_cpu.append(time.process_time() - start)
            assert refreshed is not None
            assert abs(refreshed.score.overall.secured - fresh.score.overall.secured) < 1e-9
            assert refreshed.rows == fresh.rows
            overview = refreshed if i % 2 else fresh  # start from either kind next time
        db.dispose()

    def ms(values: list[float]) -> str:
        return (f"median {1000 * statistics.median(values):.1f} ms "
                f"(min {1000 * min(values):.1f}, max {1000 * max(values):.1f})")

    print(f"{len(codes)} status changes, CPU:")
    print(f"  refreshed overview (one task): {ms(refreshed_cpu)}")
    print(f"  full load:                     {ms(full_cpu)}")
    print(f"  ratio full / refreshed: {statistics.median(full_cpu) / statistics.median(refreshed_cpu):.1f}")
    print(f"end: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
