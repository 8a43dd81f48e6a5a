"""planner beside Taskwarrior on the same 10,000-task plan (issue 14; a benchmark, not a test).

    .venv/bin/python scripts/bench_peers.py [--rounds 7] [--db PATH] [--as-of 2022-05-09]

Builds a plan of 10,000 tasks with scripts/generate_plan.py (unless --db names one), then the
same work items for Taskwarrior 2.6 in a temporary TASKDATA: one Taskwarrior task per planner
task occurrence (a one-off task, or each dated occurrence of a recurring one), its lead office
as the project, its due date, completed when planner has it done. Taskwarrior is installed
from the Debian packages when missing (as root, with apt-get); when it cannot be, its column
is skipped with a message and planner's figures are still printed.

Each pair of commands runs alternately (planner, Taskwarrior, planner, ...) after one warm-up
of each, so both see the same moments of this shared machine; the figures are the medians of
the child processes' CPU time (user + system, what the code costs) and of the wall time (what
a person waits for, including waiting for a processor), and the ratio planner / Taskwarrior
of the CPU medians. Writes run on copies, each round on a different task.

The pairs:
- overdue list: `planner tasks --overdue --as-of D` / `task due.before:D list`
- one office's overdue list: `... --office VP` / `... project:VP list`
- the score: `planner score --as-of D` / `task summary`
- a status write: `planner task start CODE` / `task UUID start`
- adding a task: `planner task add ...` / `task add ...`
- an import-only floor: `python -c "import sqlalchemy"` (no Taskwarrior column): what any
  command on SQLAlchemy pays before its first query.

With --tui (needs tmux), the terminal UI beside a bare Textual app, each started in a tmux pane
of 120x40, alternately: the wall time from starting the pane until the bare app's first
screen shows, and until planner's dashboard shows the sample plan's secured points
(`planner demo` on its existing demo database, in a temporary HOME).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from bench_cli import load, machine  # type: ignore[import-not-found]  # noqa: E402

Argv = list[str]


def taskwarrior() -> str | None:
    """The `task` executable, installed from the Debian packages when missing and possible."""
    found = shutil.which("task")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        print("installing taskwarrior from the Debian packages...", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "taskwarrior"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    return shutil.which("task")


def work_items(db: Path) -> list[dict[str, str]]:
    """planner's task occurrences as Taskwarrior tasks (JSON import format)."""
    con = sqlite3.connect(db)
    try:
        single = con.execute(
            "SELECT t.code, t.title, o.code, t.due_on, t.status, t.done_on FROM task t "
            "JOIN office o ON o.id = t.lead_office_id WHERE t.recurrence IS NULL"
        ).fetchall()
        recurring = con.execute(
            "SELECT t.code, t.title, o.code, oc.due_on, oc.status, oc.done_on FROM occurrence oc "
            "JOIN task t ON t.id = oc.task_id JOIN office o ON o.id = t.lead_office_id"
        ).fetchall()
    finally:
        con.close()
    items = []
    for code, title, office, due, status, done in [*single, *recurring]:
        item = {
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"planner:{code}:{due}")),
            "description": f"{code} {title}",
            "project": office,
            "entry": "20220120T080000Z",
            "status": "completed" if status == "done" else "pending",
        }
        if due:
            item["due"] = due.replace("-", "") + "T000000Z"
        if status == "done":
            item["end"] = (done or due or "2022-01-20").replace("-", "") + "T000000Z"
        if status == "in_progress":
            item["start"] = "20220120T080000Z"
        items.append(item)
    return items


class Pair:
    def __init__(self) -> None:
        self.cpu: dict[str, list[float]] = {"planner": [], "task": []}
        self.wall: dict[str, list[float]] = {"planner": [], "task": []}


def run_once(argv: Argv, env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), wall


def measure(
    sides: dict[str, Callable[[int], Argv]], rounds: int, env: dict[str, dict[str, str]]
) -> Pair:
    """Run each side's command for round 0 (warm-up, not counted) then 1..rounds, alternating."""
    pair = Pair()
    for side, argv in sides.items():
        run_once(argv(0), env[side])
    for n in range(1, rounds + 1):
        order = list(sides) if n % 2 else list(reversed(sides))
        for side in order:
            cpu, wall = run_once(sides[side](n), env[side])
            pair.cpu[side].append(cpu)
            pair.wall[side].append(wall)
    return pair


def row(name: str, pair: Pair) -> str:
    def med(values: Sequence[float]) -> str:
        return f"{statistics.median(values):.3f}" if values else "–"

    p_cpu, t_cpu = pair.cpu["planner"], pair.cpu["task"]
    ratio = f"{statistics.median(p_cpu) / statistics.median(t_cpu):.1f}×" if t_cpu else "–"
    return (
        f"| {name} | {med(p_cpu)} | {med(pair.wall['planner'])} | {med(t_cpu)} | "
        f"{med(pair.wall['task'])} | {ratio} |"
    )


BARE_APP = """\
from textual.app import App
from textual.widgets import Footer, Header, Static


class Bare(App[None]):
    def compose(self):
        yield Header()
        yield Static("bare app ready")
        yield Footer()


Bare().run()
"""

_sessions = count()


def shown_after(command: str, marker: str, env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from starting `command` in a new tmux pane until `marker` is on the screen."""
    session = f"bench-peers-{os.getpid()}-{next(_sessions)}"
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command],
                   env=env, check=True)
    try:
        while time.perf_counter() - start < timeout:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                                    capture_output=True, text=True).stdout
            if marker in screen:
                return time.perf_counter() - start
            time.sleep(0.01)
        raise RuntimeError(f"{marker!r} did not show within {timeout:.0f} s: {command}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)


def tui(work: Path, planner: Argv, env: dict[str, str], rounds: int) -> None:
    if not shutil.which("tmux"):
        print("\ntmux is not installed: the terminal UI comparison is skipped.")
        return
    bare = work / "bare_app.py"
    bare.write_text(BARE_APP)
    sides = {
        "bare Textual app": (f"{sys.executable} {bare}", "bare app ready"),
        "planner demo (sample dashboard)": (" ".join([*planner, "demo"]), "13.38 / 56.00"),
    }
    times: dict[str, list[float]] = {name: [] for name in sides}
    for command, marker in sides.values():
        shown_after(command, marker, env)  # warm-up; planner demo creates its database here
    for n in range(rounds):
        for name in (list(sides) if n % 2 == 0 else list(reversed(sides))):
            times[name].append(shown_after(*sides[name], env))
    print(f"\nterminal UI in tmux 120x40, {rounds} rounds alternating, wall seconds:\n")
    print("| screen | median | min–max |")
    print("|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.3f} | {min(values):.3f}–{max(values):.3f} |")
    ratio = statistics.median(times["planner demo (sample dashboard)"]) / statistics.median(
        times["bare Textual app"])
    print(f"\nratio planner / bare app: {ratio:.1f}×")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="an existing 10,000-task plan (default: generate)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--as-of", default="2022-05-09")
    parser.add_argument("--tui", action="store_true", help="also the terminal UI (needs tmux)")
    parser.add_argument("--tui-only", action="store_true", help="only the terminal UI")
    args = parser.parse_args(argv)
    day = date.fromisoformat(args.as_of)

    print(f"machine: {machine()}")
    print(f"start: {load()}")
    work = Path(tempfile.mkdtemp(prefix="bench-peers-"))
    try:
        if args.tui_only:
            return _tui_only(work, args.rounds)
        db = work / "plan.db"
        if args.db is None:
            from generate_plan import generate  # type: ignore[import-not-found]

            generate(db, tasks=10000, criteria=700, offices=20, evidence=5000)
        else:
            shutil.copy(args.db, db)
        writes = work / "writes.db"
        shutil.copy(db, writes)

        script = Path(sys.executable).with_name("planner")
        planner = [str(script)] if script.exists() else [sys.executable, "-m", "planner"]
        home = work / "home"
        home.mkdir()
        p_env = planner_env(home)
        con = sqlite3.connect(db)
        open_codes = [
            code
            for (code,) in con.execute(
                "SELECT code FROM task WHERE status = 'not_started' AND recurrence IS NULL "
                "ORDER BY code"
            )
        ]
        con.close()

        task = taskwarrior()
        t_env = dict(p_env)
        items = work_items(db)
        pending = [item["uuid"] for item in items if item["status"] == "pending"]
        unstarted = [item["uuid"] for item in items if item["status"] == "pending" and "start" not in item]
        if task:
            data = work / "taskdata"
            data.mkdir()
            rc = work / "taskrc"
            rc.write_text(
                f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\n"
                "recurrence=off\n"
            )
            t_env.update(TASKRC=str(rc), TASKDATA=str(data))
            feed = work / "items.json"
            feed.write_text(json.dumps(items, ensure_ascii=False))
            started = time.perf_counter()
            subprocess.run(
                [task, "import", str(feed)], env=t_env, check=True, stdout=subprocess.DEVNULL
            )
            print(
                f"Taskwarrior {subprocess.run([task, '--version'], capture_output=True, text=True, env=t_env).stdout.strip()}: "
                f"{len(items)} tasks imported ({len(pending)} pending) in "
                f"{time.perf_counter() - started:.1f} s"
            )
        else:
            print("Taskwarrior is not installed and could not be: its column is left empty.")

        iso = day.isoformat()

        def both(p: Callable[[int], Argv], t: Callable[[int], Argv]) -> dict[str, Callable[[int], Argv]]:
            return {"planner": p, "task": t} if task else {"planner": p}

        tw = [task or "task"]
        pairs: list[tuple[str, dict[str, Callable[[int], Argv]]]] = [
            (
                "overdue list",
                both(
                    lambda n: [*planner, "--db", str(db), "tasks", "--overdue", "--as-of", iso],
                    lambda n: [*tw, f"due.before:{iso}", "list"],
                ),
            ),
            (
                "one office's overdue list",
                both(
                    lambda n: [
                        *planner, "--db", str(db), "tasks", "--overdue", "--office", "VP",
                        "--as-of", iso,
                    ],
                    lambda n: [*tw, f"due.before:{iso}", "project:VP", "list"],
                ),
            ),
            (
                "score / summary",
                both(
                    lambda n: [*planner, "--db", str(db), "score", "--as-of", iso],
                    lambda n: [*tw, "summary"],
                ),
            ),
            (
                "start a task",
                both(
                    lambda n: [*planner, "--db", str(writes), "task", "start", open_codes[n]],
                    lambda n: [*tw, unstarted[n], "start"],
                ),
            ),
            (
                "add a task",
                both(
                    lambda n: [
                        *planner, "--db", str(writes), "task", "add", f"Việc thử {n}",
                        "--lead", "VP", "--due", "30/06/2022",
                    ],
                    lambda n: [*tw, "add", f"Việc thử {n}", "project:VP", "due:2022-06-30"],
                ),
            ),
        ]
        env = {"planner": p_env, "task": t_env}
        print(
            f"\n{args.rounds} rounds after one warm-up, alternating; seconds, medians "
            f"(ratio = planner CPU / Taskwarrior CPU):\n"
        )
        print("| work | planner CPU | planner wall | Taskwarrior CPU | Taskwarrior wall | ratio |")
        print("|---|---|---|---|---|---|")
        for name, sides in pairs:
            print(row(name, measure(sides, args.rounds, env)) + f" <!-- {load()} -->", flush=True)
        floor = measure(
            {"planner": lambda n: [sys.executable, "-c", "import sqlalchemy"]},
            args.rounds,
            env,
        )
        print(row("floor: `import sqlalchemy` alone", floor))
        if args.tui:
            tui(work, planner, p_env, args.rounds)
        print(f"\nend: {load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def planner_env(home: Path) -> dict[str, str]:
    """The environment planner runs in: a temporary home, the invoking user's own identity."""
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local" / "share"),
           "XDG_STATE_HOME": str(home / ".local" / "state")}
    env.pop("PLANNER_USER", None)
    return env


def _tui_only(work: Path, rounds: int) -> int:
    script = Path(sys.executable).with_name("planner")
    planner = [str(script)] if script.exists() else [sys.executable, "-m", "planner"]
    home = work / "home"
    home.mkdir()
    tui(work, planner, planner_env(home), rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
