"""Compare the CPU time of planner commands between two source trees, run in alternating pairs.

    git archive OLD planner | tar -x -C /tmp/before    # the tree to compare against
    .venv/bin/python scripts/bench_compare.py --before /tmp/before --after . \\
        --db plan10k.db --runs 9

The database is made by scripts/generate_plan.py (10,000 tasks by default). Each command runs
in a fresh process with `python -S` and PYTHONPATH set to the tree first, then this venv's
site-packages (so the editable install does not shadow the tree), from a neutral directory;
the runs alternate before, after, before, after... so that the load of a shared machine falls
on both alike. It prints the median child CPU time (user + system) and the median wall time of
each side, and the ratio after/before. Not a test: a measurement for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

COMMANDS = [
    ["tasks", "--overdue"],
    ["score"],
    ["report", "weekly", "--format", "text"],
    ["report", "weekly", "--format", "pdf", "-o", "weekly.pdf"],
]


def run_once(tree: Path, db: Path, args: list[str], cwd: str) -> tuple[float, float]:
    env = dict(os.environ)
    env["PYTHONPATH"] = f"{tree}{os.pathsep}{sysconfig.get_paths()['purelib']}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-S", "-m", "planner", "--db", str(db), *args],
                   check=True, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a tree holding planner/")
    parser.add_argument("--after", type=Path, required=True, help="a tree holding planner/")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--as-of", default="2022-05-09")
    parser.add_argument("--only", help="only the commands whose text contains this")
    args = parser.parse_args(argv)
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as cwd:
        for command in COMMANDS:
            if args.only and args.only not in " ".join(command):
                continue
            argv_ = [*command, "--as-of", args.as_of]
            cpu: dict[str, list[float]] = {"before": [], "after": []}
            wall: dict[str, list[float]] = {"before": [], "after": []}
            # Each side works on its own copy: a command may write (the change log, a cache).
            dbs = {}
            for side in trees:
                dbs[side] = Path(cwd) / f"{side}.db"
                shutil.copy(args.db, dbs[side])
                run_once(trees[side], dbs[side], argv_, cwd)  # warm the file caches
            for _ in range(args.runs):
                for side in ("before", "after"):
                    c, w = run_once(trees[side], dbs[side], argv_, cwd)
                    cpu[side].append(c)
                    wall[side].append(w)
            b, a = statistics.median(cpu["before"]), statistics.median(cpu["after"])
            print(f"planner {' '.join(argv_):45} cpu before {b:.3f} s, after {a:.3f} s, "
                  f"ratio {a / b:.2f}; wall before {statistics.median(wall['before']):.3f} s, "
                  f"after {statistics.median(wall['after']):.3f} s")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
