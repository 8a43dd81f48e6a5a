"""Measure the terminal UI: time to the dashboard, the task list at 10,000 tasks, keystroke
latency and peak memory. Not a test: it prints figures for docs/performance.md.

    .venv/bin/python scripts/bench_tui.py [--tasks 10000] [--runs 3] [--big-db PATH] [--json PATH]

Each measurement runs the app headless (`App.run_test`, 120×40) in a fresh process, so the
times include starting Python and importing everything, as `planner` does. The parent
timestamps each line the child prints as it arrives, from the moment the process was spawned:

- painted: the first screen is composed (the app is up, data still loading);
- dashboard: the dashboard shows the plan's figures.

Keys are delivered as the terminal driver delivers them (a `Key` event sent to the app), not
through `Pilot.press`, which waits until the whole process is idle (at least 40 ms a key, and
until any background load has finished). Keystroke latency is the time from delivering the
key to the moment the app hands the updated screen to its driver (`App._display`; headless,
only the final conversion to escape codes is skipped): what a person waits for.

With --json PATH the parent also writes the big plan's figures, in seconds, to PATH as one JSON
object (measure name -> seconds), for scripts/bench_all.py; the sample plan's figures do not
depend on the plan's size and are left out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2022, 5, 9)
SIZE = (120, 40)


# ------------------------------------------------------------------------------ child side


def _emit(event: str, **data: Any) -> None:
    # CPU seconds of the whole process so far: less sensitive than wall time to other load.
    print(json.dumps({"event": event, "cpu": time.process_time(), **data}), flush=True)


def _child(db: str, scenario: str) -> None:
    import asyncio
    import resource

    # What `planner demo` imports before the app starts: the CLI, the store, the TUI.
    import planner.cli  # noqa: F401
    from planner.i18n import set_language

    set_language("en")
    from planner.services.context import Context
    from planner.services.session import open_database
    from planner.tui.app import build_app

    _emit("imported")
    database, _pinned = open_database(db)
    ctx = Context(db=database, actor="coordinator", today=AS_OF)
    _emit("opened")

    async def wait_for(predicate: Any, timeout: float = 120.0) -> None:
        deadline = time.perf_counter() + timeout
        while not predicate():
            if time.perf_counter() > deadline:
                raise TimeoutError(scenario)
            await asyncio.sleep(0.002)

    async def run() -> None:
        import unicodedata

        from textual import events
        from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

        from planner.tui.screens.dashboard import DashboardScreen

        app = build_app(ctx)
        updates: list[float] = []  # when the app handed a screen update to the driver
        display = app._display

        def spy(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                updates.append(time.perf_counter())
            display(screen, renderable)

        app._display = spy  # type: ignore[method-assign]

        def send(key: str) -> None:
            """A key as the terminal driver sends it (no waiting, unlike Pilot.press)."""
            name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
            try:
                char: str | None = unicodedata.lookup(
                    _get_unicode_name_from_key(REPLACED_KEYS.get(name, name)))
            except KeyError:
                char = name if len(name) == 1 else None
            event = events.Key(name, char)
            event.set_sender(app)
            assert app._driver is not None
            app._driver.send_message(event)

        async def answered(key: str, into: list[float], cpu_into: list[float]) -> None:
            """Send a key; wait until the screen updates have stopped for 50 ms."""
            before = len(updates)
            started, started_cpu = time.perf_counter(), time.process_time()
            send(key)
            deadline = started + 5.0
            while time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
                if len(updates) > before and time.perf_counter() - updates[-1] > 0.05:
                    break
            if len(updates) > before:
                into.append(updates[-1] - started)
                cpu_into.append(time.process_time() - started_cpu)

        async with app.run_test(size=SIZE) as pilot:
            _emit("painted")

            def tasks_shown() -> bool:
                # Imported here, as the app imports it when the task list is first opened.
                from planner.tui.screens.task_list import TaskListScreen
                from planner.tui.widgets.task_table import TaskTable

                screen = app.screen
                return isinstance(screen, TaskListScreen) and bool(screen.query_one(TaskTable).rows)

            if scenario == "tasks-at-launch":
                send("t")
                await wait_for(tasks_shown)
                _emit("tasks")
            else:
                await wait_for(lambda: isinstance(app.screen, DashboardScreen) and app.screen.loads > 0)
                _emit("dashboard")
            if scenario == "tasks":
                started = time.perf_counter()
                send("t")
                await wait_for(tasks_shown)
                from planner.tui.widgets.task_table import TaskTable

                _emit("tasks", seconds=time.perf_counter() - started,
                      rows=len(app.screen.query_one(TaskTable).rows))
                await wait_for(lambda: app.screen.loads > 0)
                await pilot.pause(0.2)  # let the screen settle (filters, options)
                cpu: dict[str, list[float]] = {"moves": [], "typing": []}
                moves: list[float] = []
                for _ in range(60):
                    await answered("down", moves, cpu["moves"])
                for _ in range(5):
                    await answered("pagedown", moves, cpu["moves"])
                await pilot.press("slash")
                typing: list[float] = []
                for ch in "cai cach":
                    await answered(ch if ch != " " else "space", typing, cpu["typing"])
                shown = len(app.screen.query_one(TaskTable).rows)
                for _ in range(len("cai cach")):
                    await answered("backspace", typing, cpu["typing"])
                from textual.widgets import Select

                office = app.screen.query_one("#filter-office", Select)
                before = len(updates)
                started = time.perf_counter()
                office.value = "VP"
                await wait_for(lambda: len(updates) > before and time.perf_counter() - updates[-1] > 0.05)
                select_time = updates[-1] - started
                _emit("keys", moves=moves, typing=typing, office=select_time, cpu=cpu,
                      matched=shown,
                      office_rows=len(app.screen.query_one(TaskTable).rows))
        _emit("memory", max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    asyncio.run(run())


# ----------------------------------------------------------------------------- parent side


def _run_child(db: Path, scenario: str) -> dict[str, Any]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", scenario, "--db", str(db)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert proc.stdout is not None
    events: dict[str, Any] = {}
    for line in proc.stdout:
        arrived = time.perf_counter() - started
        if not line.startswith("{"):
            continue
        data = json.loads(line)
        data["at"] = arrived
        events[data.pop("event")] = data
    if proc.wait() != 0:
        raise SystemExit(f"the {scenario} run failed (exit {proc.returncode})")
    return events


def _sample_db(directory: Path) -> Path:
    from planner.io.seedfile import load_seed_file
    from planner.services.plan_load import load_seed
    from planner.services.session import open_database

    path = directory / "sample.db"
    db, _pinned = open_database(str(path))
    load_seed(db, load_seed_file(ROOT / "seed" / "plan-2022.toml"), actor="coordinator")
    db.dispose()
    return path


def _big_db(directory: Path, tasks: int) -> Path:
    sys.path.insert(0, str(ROOT / "scripts"))
    from generate_plan import generate  # type: ignore[import-not-found]

    path = directory / f"plan-{tasks}.db"
    generate(path, tasks=tasks, criteria=700, offices=20, evidence=5000)
    return path


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = _p95(ordered)
    return (f"median {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3, help="launches per measurement (median)")
    parser.add_argument("--big-db", type=Path, help="reuse this generated database")
    parser.add_argument("--json", type=Path,
                        help="also write the big plan's figures (seconds) to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.db, args.child)
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        sample = _sample_db(directory)
        painted, dashboard, cpu, memory, imported, opened = [], [], [], [], [], []
        for _ in range(args.runs):
            events = _run_child(sample, "dashboard")
            imported.append(events["imported"]["at"])
            opened.append(events["opened"]["at"])
            painted.append(events["painted"]["at"])
            dashboard.append(events["dashboard"]["at"])
            cpu.append(events["dashboard"]["cpu"])
            memory.append(events["memory"]["max_rss_mb"])
        print("Sample plan (46 tasks, 63 occurrences), 120×40, headless:")
        print(f"  imports done              {statistics.median(imported):.2f} s after spawn")
        print(f"  database opened           {statistics.median(opened):.2f} s after spawn")
        print(f"  first screen painted      {statistics.median(painted):.2f} s after spawn")
        print(f"  dashboard with its data   {statistics.median(dashboard):.2f} s after spawn "
              f"(runs: {', '.join(f'{t:.2f}' for t in dashboard)}); "
              f"{statistics.median(cpu):.2f} s of CPU")
        print(f"  peak memory               {max(memory):.0f} MB")

        started = time.perf_counter()
        big = args.big_db if args.big_db else _big_db(directory, args.tasks)
        if not args.big_db:
            print(f"\nGenerated {args.tasks} tasks in {time.perf_counter() - started:.1f} s.")
        dashboard, tasks, cold, memory, cpu = [], [], [], [], []
        keys: dict[str, Any] = {}
        for _ in range(args.runs):
            events = _run_child(big, "tasks")
            dashboard.append(events["dashboard"]["at"])
            cpu.append(events["dashboard"]["cpu"])
            tasks.append(events["tasks"]["seconds"])
            keys = events["keys"]
            memory.append(events["memory"]["max_rss_mb"])
            rows = events["tasks"]["rows"]
            events = _run_child(big, "tasks-at-launch")
            cold.append(events["tasks"]["at"])
            memory.append(events["memory"]["max_rss_mb"])
        print(f"\n{args.tasks} tasks ({rows} occurrences), 120×40, headless:")
        print(f"  dashboard with its data   {statistics.median(dashboard):.2f} s after spawn; "
              f"{statistics.median(cpu):.2f} s of CPU")
        print(f"  task list, t pressed on the loaded dashboard: first screen in "
              f"{statistics.median(tasks):.2f} s")
        print(f"  task list, t pressed at launch: first screen {statistics.median(cold):.2f} s "
              f"after spawn")
        print("  key to screen update (target 50 ms):")
        print(f"    cursor moves (down ×60, page down ×5): {_ms(keys['moves'])}")
        print(f"    search keystrokes (\"cai cach\" typed, then erased): {_ms(keys['typing'])}; "
              f"{keys['matched']} rows matched")
        print(f"    office filter (VP, {keys['office_rows']} rows): {keys['office'] * 1000:.0f} ms")
        cpu_keys = keys["cpu"]
        print(f"  CPU per key: cursor {_ms(cpu_keys['moves'])}; search {_ms(cpu_keys['typing'])}")
        print(f"  peak memory               {max(memory):.0f} MB")
    if args.json:
        # The big plan's wall-time figures, as printed above (keys: the last run's).
        figures = {
            "tui dashboard": statistics.median(dashboard),
            "tui task list from the dashboard": statistics.median(tasks),
            "tui task list at launch": statistics.median(cold),
            "tui cursor key median": statistics.median(keys["moves"]),
            "tui cursor key p95": _p95(keys["moves"]),
            "tui search key median": statistics.median(keys["typing"]),
            "tui search key p95": _p95(keys["typing"]),
            "tui office filter": keys["office"],
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
