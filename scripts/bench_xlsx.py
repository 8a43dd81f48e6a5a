"""Benchmark of the task export to .xlsx (not a test), optionally side by side with an older
version of the exporter.

    .venv/bin/python scripts/bench_xlsx.py [--rows 10000] [--runs 5] [--db PLAN.db]
                                           [--baseline REV]

Generates a plan (scripts/generate_plan.py) unless --db names one. Times, median of --runs:
`planner export tasks -o tasks.xlsx` in a fresh process (what a user waits for); with
--baseline REV, the same export done by `planner/io/export.py` as it was at git revision REV
(taken with `git show`) and by the current one, each in a fresh process, runs alternating so
that both see the same machine load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLANNER = str(Path(sys.executable).with_name("planner"))

DRIVER = """
import sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
import importlib
module = importlib.import_module(sys.argv[2])
from planner.services.context import Context
from planner.services.session import open_database
db, _pinned = open_database(sys.argv[3])
ctx = Context(db=db, actor="bench", enforce_permissions=False)
table = module.build_table(ctx, "tasks")
built = time.perf_counter()
data = module.render(table, "xlsx")
open(sys.argv[4], "wb").write(data)
print(f"{built - started:.3f} {time.perf_counter() - built:.3f}")
"""


def _wall(args: list[str]) -> tuple[float, str, float]:
    """Wall seconds, stdout and CPU seconds (user + system) of a child process: on a shared
    machine the CPU time says more than the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(args, check=True, capture_output=True, text=True,
                          env={**os.environ, "PLANNER_USER": "bench"})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, proc.stdout, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark planner's .xlsx export.")
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="an existing plan database (default: generate one)")
    parser.add_argument("--baseline", metavar="REV", help="compare with export.py at this git revision")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-bench-xlsx-"))
    db = args.db
    if db is None:
        sys.path.insert(0, str(ROOT / "scripts"))
        from generate_plan import generate

        db = work / "plan.db"
        generate(db, tasks=args.rows)
    out = work / "tasks.xlsx"
    runs = [_wall([PLANNER, "--db", str(db), "export", "tasks", "-o", str(out)])
            for _run in range(args.runs)]
    walls = [r[0] for r in runs]
    print(f"planner export tasks -o tasks.xlsx ({out.stat().st_size // 1024} KB): "
          f"wall median {statistics.median(walls):.2f} s of {args.runs} "
          f"(min {min(walls):.2f}, max {max(walls):.2f}), CPU median "
          f"{statistics.median(r[2] for r in runs):.2f} s")
    if not args.baseline:
        return 0
    old = subprocess.run(["git", "-C", str(ROOT), "show", f"{args.baseline}:planner/io/export.py"],
                         check=True, capture_output=True, text=True).stdout
    (work / "export_baseline.py").write_text(old, encoding="utf-8")
    (work / "export_current.py").write_text(
        (ROOT / "planner" / "io" / "export.py").read_text(encoding="utf-8"), encoding="utf-8")
    driver = work / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    figures: dict[str, list[tuple[float, float, float, float]]] = {"baseline": [], "current": []}
    for _run in range(args.runs):
        for name in ("baseline", "current"):
            wall, stdout, cpu = _wall([sys.executable, str(driver), str(work), f"export_{name}",
                                       str(db), str(work / f"{name}.xlsx")])
            build, render = (float(x) for x in stdout.split())
            figures[name].append((wall, cpu, build, render))
    for name, measured in figures.items():
        label = f"export.py at {args.baseline}" if name == "baseline" else "export.py now"
        size = (work / f"{name}.xlsx").stat().st_size // 1024
        print(f"{label:<24} ({size:>4} KB): process wall median "
              f"{statistics.median(r[0] for r in measured):.2f} s, CPU "
              f"{statistics.median(r[1] for r in measured):.2f} s; reading the tasks "
              f"{statistics.median(r[2] for r in measured):.2f} s, writing the workbook "
              f"{statistics.median(r[3] for r in measured):.2f} s (wall)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
