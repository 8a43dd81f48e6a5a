"""Concurrency stress: several processes updating one database at once.

    python scripts/stress.py [--processes 8] [--updates 200] [--db PATH|URL]

The database is a new SQLite file by default; `--db` names another file, or an empty
PostgreSQL database (`postgresql+psycopg://postgres@127.0.0.1:55432/stress`), which CI's test
`tests/hostile/test_stress_postgres.py` runs it against.

Each process repeatedly reads a task's progress and writes it back plus one, through the same
service a coordinator uses (`edit_task` with the version it read), retrying when the task
changed since it was read. At the end the script checks that no "database is locked" error
reached a caller, that the final progress counters equal the number of successful updates,
that the change log holds exactly one entry per update, and that `planner check` finds nothing
wrong (on PostgreSQL, concurrent appends must not fork the change log's hash chain). Exit code
0 when all holds.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TASKS = ["T03", "T05", "T07", "T10"]


def worker(db: str, index: int, updates: int, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    from sqlalchemy.orm.exc import StaleDataError

    from planner.services.context import Context
    from planner.services.errors import ConflictError
    from planner.services.session import open_database
    from planner.services.tasks import TaskChanges, edit_task, task_detail

    database, _ = open_database(db)
    ctx = Context(db=database, actor="coordinator", today=date(2022, 5, 9))
    done = conflicts = errors = 0
    task = TASKS[index % len(TASKS)]
    while done < updates:
        detail = task_detail(ctx, task)
        try:
            edit_task(ctx, task, TaskChanges(description=str(int(detail.task.description or 0) + 1)),
                      expected_version=detail.task.version)
            done += 1
        except (ConflictError, StaleDataError):
            # PostgreSQL (read committed) lets two writers read the same version; the second
            # UPDATE then matches no row: the conflict the version column is there to catch.
            conflicts += 1
        except Exception as exc:  # anything else (such as "database is locked") is a failure
            errors += 1
            queue.put(("error", index, repr(exc)))
            if errors > 5:
                break
    queue.put(("done", index, done, conflicts, errors))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--db", help="a SQLite file or an empty PostgreSQL database's URL")
    args = parser.parse_args()

    from planner.io.seedfile import load_seed_file
    from planner.services.plan_load import load_seed
    from planner.services.session import open_database

    tmp = tempfile.mkdtemp(prefix="planner-stress-")
    db = args.db or str(Path(tmp) / "stress.db")
    database, _ = open_database(db)
    load_seed(database, load_seed_file(ROOT / "seed" / "plan-2022.toml"), actor="coordinator")
    from planner.services.context import Context
    from planner.services.tasks import TaskChanges, edit_task

    # The description of each task under test becomes a counter the workers increment.
    setup = Context(db=database, actor="coordinator", today=date(2022, 5, 9))
    for code in TASKS:
        edit_task(setup, code, TaskChanges(description="0"))
    database.dispose()

    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    started = time.perf_counter()
    procs = [mp.Process(target=worker, args=(db, i, args.updates, queue)) for i in range(args.processes)]
    for p in procs:
        p.start()
    results = []
    failures = []
    while len(results) < len(procs):
        item = queue.get()
        if item[0] == "error":
            failures.append(item)
        else:
            results.append(item)
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started

    from sqlalchemy import func, select

    from planner.store.models import ChangeLog, Task

    database, _ = open_database(db)
    succeeded = sum(r[2] for r in results)
    conflicts = sum(r[3] for r in results)
    with database.read() as session:
        counters = {code: int(desc or 0) for code, desc in session.execute(
            select(Task.code, Task.description).where(Task.code.in_(TASKS)))}  # type: ignore[attr-defined]
        edits = session.execute(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "task.edit")
        ).scalar_one() - len(TASKS)
    from planner.services.integrity import check_database

    problems = check_database(database).problems
    database.dispose()
    print(f"{database.describe()}: "
          f"{args.processes} processes x {args.updates} updates in {elapsed:.1f} s: "
          f"{succeeded} applied, {conflicts} retried after a conflict, {len(failures)} errors")
    print(f"final counters {counters} (sum {sum(counters.values())}); change-log edits {edits}")
    print(f"planner check: {len(problems)} problems")
    for failure in failures[:5]:
        print("error:", failure[2], file=sys.stderr)
    for problem in problems[:5]:
        print("check:", problem, file=sys.stderr)
    ok = not failures and not problems and \
        sum(counters.values()) == succeeded == edits == args.processes * args.updates
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
