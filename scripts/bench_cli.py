"""Time the command line and the roll-up on a large plan (issue 3, "Performance"; not a test).

    .venv/bin/python scripts/bench_cli.py [--runs 7] [--db PATH] [--as-of 2022-05-09] [--json PATH]

Generates a plan of 10,000 tasks, 700 criteria, 20 offices and 5,000 evidence records with
scripts/generate_plan.py (unless --db names an existing one), then measures, several runs
each, the median and the spread (min-max) of:

- `planner --help`, `planner tasks --overdue` and `planner score` in a fresh process (wall
  time; the CPU time of the child is shown too, since other sessions share this machine);
- the roll-up itself: `score_plan(facts, as_of, explain=False)` in process on loaded facts,
  cold (a new facts object, nothing indexed) and warm (the same facts scored again);
- one edit with its recomputation: `edit_task` (a due date, which moves the score) then
  `LiveScore.refresh_task`;
- whether `tasks` and `score` import Textual, fpdf or Alembic.

The machine (processors, CPU model) and its load average at each step are printed with the
figures. Targets: tasks --overdue and score < 1 s, roll-up < 50 ms, edit + recomputation
< 50 ms, --help < 0.3 s. With --json PATH the median wall seconds of each measure are also
written to PATH as one JSON object (measure name -> seconds), for scripts/bench_all.py.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("textual", "fpdf", "alembic")


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{usable} processors ({os.cpu_count()} online), {model}, Python {platform.python_version()}"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


class Runs:
    """Wall and CPU seconds of repeated runs."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    @property
    def median(self) -> float:
        """Median wall seconds: the figure `line` prints first."""
        return statistics.median(self.wall)

    def line(self, name: str, target: float | None, unit: str = "s") -> str:
        scale = 1000.0 if unit == "ms" else 1.0
        wall = statistics.median(self.wall) * scale
        lo, hi = min(self.wall) * scale, max(self.wall) * scale
        cpu = statistics.median(self.cpu) * scale
        digits = 1 if unit == "ms" else 3
        verdict = ""
        if target is not None:
            # Wall time is what a person waits for, CPU time what the code costs: on a shared
            # machine the first includes waiting for a processor.
            wall_ok = "ok" if statistics.median(self.wall) < target else "MISSED"
            cpu_ok = "ok" if statistics.median(self.cpu) < target else "MISSED"
            verdict = f"target < {target * scale:g} {unit}: wall {wall_ok}, cpu {cpu_ok}"
        return (
            f"  {name:34} median {wall:8.{digits}f} {unit}  (min {lo:.{digits}f}, max {hi:.{digits}f}; "
            f"cpu median {cpu:.{digits}f})  {verdict}"
        )


def time_process(argv: list[str], runs: int) -> Runs:
    subprocess.run(
        argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )  # warm the caches
    out = Runs()
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        out.wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.cpu.append((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime))
    return out


def time_call(
    fn: Callable[[], object], runs: int, prepare: Callable[[], object] | None = None
) -> Runs:
    out = Runs()
    for _ in range(runs):
        if prepare is not None:
            prepare()
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        out.cpu.append(time.process_time() - cpu)
        out.wall.append(time.perf_counter() - start)
    return out


def imported(args: list[str]) -> list[str]:
    """The heavy libraries a command imports (run in a fresh interpreter)."""
    code = (
        "import sys\n"
        f"sys.argv = ['planner', *{args!r}]\n"
        "from planner.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    heavy: list[str] = ast.literal_eval(done.stderr.strip().splitlines()[-1])
    return heavy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="an existing database (default: generate one)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--as-of", default="2022-05-09")
    parser.add_argument(
        "--json", type=Path, help="also write the median wall seconds per measure to this file"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    day = date.fromisoformat(args.as_of)
    figures: dict[str, float] = {}  # measure -> median wall seconds, for --json

    print(f"machine: {machine()}")
    print(f"start: {load()}")
    workdir = tempfile.TemporaryDirectory(prefix="bench-cli-")
    db = args.db
    if db is None:
        sys.path.insert(0, str(ROOT / "scripts"))
        from generate_plan import generate  # type: ignore[import-not-found]

        db = Path(workdir.name) / "plan.db"
        start = time.perf_counter()
        generate(db, tasks=10000, criteria=700, offices=20, evidence=5000)
        print(
            f"generated 10,000 tasks, 700 criteria, 20 offices, 5,000 evidence in "
            f"{time.perf_counter() - start:.1f} s"
        )
    else:
        # Edits below would change it: work on a copy.
        copy = Path(workdir.name) / "plan.db"
        shutil.copy(db, copy)
        db = copy

    script = Path(sys.executable).with_name("planner")
    planner = [str(script)] if script.exists() else [sys.executable, "-m", "planner"]
    common = ["--db", str(db)]
    print(f"\nfresh process, {args.runs} runs each after one warm-up ({' '.join(planner)}):")
    commands = [
        ("planner --help", ["--help"], 0.3),
        ("planner tasks --overdue", [*common, "tasks", "--overdue", "--as-of", args.as_of], 1.0),
        ("planner score", [*common, "score", "--as-of", args.as_of], 1.0),
    ]
    for name, extra, target in commands:
        runs = time_process([*planner, *extra], args.runs)
        print(runs.line(name, target) + f"  [{load()}]")
        figures[name] = runs.median

    print("\nimports (fresh interpreter):")
    for name, extra in (("tasks --overdue", ["tasks", "--overdue"]), ("score", ["score"])):
        heavy = imported([*common, *extra, "--as-of", args.as_of])
        print(
            f"  planner {name:16} imports {', '.join(heavy) if heavy else 'none of'} "
            f"{'' if heavy else ', '.join(HEAVY)}"
        )

    from planner.domain.scoring import score_plan
    from planner.services.context import Context
    from planner.services.facts import load_facts
    from planner.services.live_score import LiveScore
    from planner.services.plans import get_plan
    from planner.services.scores import plan_score
    from planner.services.session import open_database
    from planner.services.tasks import TaskChanges, edit_task

    database, _pinned = open_database(str(db))
    with database.read() as session:
        plan = get_plan(session)
        facts = load_facts(session, plan)
    print(
        f"\nin process, {len(facts.occurrences):,} occurrences, {len(facts.links):,} links, "
        f"as of {day.isoformat()}, {args.runs * 3} runs each:"
    )
    current = [facts]

    def fresh_facts() -> None:
        current[0] = dataclasses.replace(facts)  # a new object: nothing cached for it

    cold = time_call(lambda: score_plan(current[0], day, explain=False), args.runs * 3, fresh_facts)
    print(cold.line("roll-up, cold (new facts object)", 0.05, "ms") + f"  [{load()}]")
    warm = time_call(lambda: score_plan(facts, day, explain=False), args.runs * 3)
    print(warm.line("roll-up, warm (same facts again)", 0.05, "ms") + f"  [{load()}]")
    explained = time_call(lambda: score_plan(facts, day), args.runs)
    print(explained.line("roll-up with explanation", None, "ms"))
    figures["roll-up cold"] = cold.median
    figures["roll-up warm"] = warm.median
    figures["roll-up with explanation"] = explained.median

    ctx = Context(db=database, actor="bench", today=day)
    live = LiveScore(ctx, day)
    # A task scored by a `tasks` criterion: moving its due date across the as-of date moves
    # the score (overdue <-> not yet due).
    methods = {}
    stack = list(facts.criteria)
    while stack:
        rule = stack.pop()
        methods[rule.code] = rule.method
        stack.extend(rule.children)
    single = {occ.key for occ in facts.occurrences if occ.key == occ.task_code}
    code = next(
        link.task_code
        for link in facts.links
        if methods.get(link.criterion_code) == "tasks" and link.task_code in single
    )
    dues = [(day.replace(day=1) if day.day > 1 else day).strftime("%d/%m/%Y"), "31/12/2022"]
    edit, refresh, both = Runs(), Runs(), Runs()
    for i in range(args.runs * 3):
        start, cpu = time.perf_counter(), time.process_time()
        edit_task(ctx, code, TaskChanges(due=dues[i % 2]))
        mid, mid_cpu = time.perf_counter(), time.process_time()
        live.refresh_task(code)
        end, end_cpu = time.perf_counter(), time.process_time()
        edit.wall.append(mid - start)
        edit.cpu.append(mid_cpu - cpu)
        refresh.wall.append(end - mid)
        refresh.cpu.append(end_cpu - mid_cpu)
        both.wall.append(end - start)
        both.cpu.append(end_cpu - cpu)
    print(f"  one edit of {code} (due date), {args.runs * 3} runs:")
    print(edit.line("  edit_task", None, "ms"))
    print(refresh.line("  LiveScore.refresh_task", None, "ms"))
    print(both.line("  edit + recomputation", 0.05, "ms") + f"  [{load()}]")
    figures["edit_task"] = edit.median
    figures["LiveScore.refresh_task"] = refresh.median
    figures["edit + recomputation"] = both.median
    check = plan_score(ctx, day, explain=False).score
    same = all(
        abs(a.secured - b.secured) < 1e-9 and abs(a.projected - b.projected) < 1e-9
        for a, b in zip(live.score.walk(), check.walk(), strict=True)
    )
    print(f"  live score equals a fresh plan_score: {same}")
    database.dispose()
    print(f"\nend: {load()}")
    workdir.cleanup()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
