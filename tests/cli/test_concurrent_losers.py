"""Two people changing the same record at the same moment: the one who loses is told it was
changed by someone else (exit 3), on PostgreSQL as on SQLite, never "the database could not be
used" (exit 2). Also for two coordinators reviewing the same evidence."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm.exc import StaleDataError

from planner.services.errors import ConflictError, ExitCode, PlannerError, from_database_error
from tests.conftest import Cli


def test_a_lost_update_exits_3_from_the_command_line(seeded: Cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.services import tasks

    def racing(*_args: object, **_kwargs: object) -> None:
        raise StaleDataError("UPDATE statement on table 'task' expected to update 1 row(s); "
                             "0 were matched.")

    monkeypatch.setattr(tasks, "set_status", racing)
    result = seeded("task", "start", "T03")
    assert result.exit_code == 3
    assert "changed the same record at the same time" in result.stderr
    assert "expected to update" not in result.stderr


def _race(contexts: list[object], action: Callable[[object, int], object], rounds: int) -> list[int]:
    """Run `action` in two threads at once, `rounds` times; the exit code of each failure."""
    codes: list[int] = []
    lock = threading.Lock()
    for n in range(rounds):
        barrier = threading.Barrier(len(contexts))

        def one(ctx: object, n: int = n, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                action(ctx, n)
            except PlannerError as exc:
                with lock:
                    codes.append(int(exc.exit_code))
            except Exception as exc:  # what the command line would make of it
                meant = from_database_error(exc)
                with lock:
                    codes.append(int(meant.exit_code) if meant else 2)

        threads = [threading.Thread(target=one, args=(c,)) for c in contexts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return codes


def _contexts(db: str, *actors: str) -> list[object]:
    from planner.services.context import Context
    from planner.services.session import open_database

    out = []
    for actor in actors:
        database, _pinned = open_database(db)
        out.append(Context(db=database, actor=actor, today=date(2022, 5, 9)))
    return out


def test_concurrent_updates_lose_with_exit_3(seeded: Cli) -> None:
    from planner.services.tasks import TaskChanges, edit_task

    contexts = _contexts(seeded.db, "coordinator", "coordinator")
    codes = _race(contexts, lambda ctx, n: edit_task(ctx, "T03", TaskChanges(progress=n % 90)),
                  rounds=40)
    assert set(codes) <= {ExitCode.CONFLICT}, codes


def test_concurrent_reviews_of_the_same_evidence_lose_with_exit_3(seeded: Cli) -> None:
    from planner.services.evidence import review

    assert seeded("users", "add", "lan", "--role", "coordinator").exit_code == 0
    ids = []
    for n in range(15):
        added = seeded("evidence", "add", "T03", "--doc", f"{200 + n}/QĐ-SGDĐT", user="vp")
        assert added.exit_code == 0, added.output
        ids.append(int(added.stdout.strip()))
    contexts = _contexts(seeded.db, "coordinator", "lan")
    codes = _race(contexts, lambda ctx, n: review(ctx, ids[n], "accepted"), rounds=len(ids))
    # Each evidence is accepted once; the other coordinator is told: already accepted (2) when
    # it read after the first committed, or changed meanwhile (3) when both read it waiting.
    assert set(codes) <= {ExitCode.CONFLICT, ExitCode.BAD_INPUT}, codes
    assert len(codes) == len(ids)


def test_the_mapping_itself() -> None:
    meant = from_database_error(StaleDataError("expected to update 1 row(s); 0 were matched"))
    assert isinstance(meant, ConflictError) and meant.exit_code == 3
