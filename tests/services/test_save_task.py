"""Saving a task's form: its fields and its status in one transaction, refused whole when the
task (or the occurrence) changed since the form was read; and the four-eyes rule's message."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from planner.io.seedfile import load_seed_file
from planner.services.context import Context
from planner.services.errors import ConflictError, InputError, PermissionDenied
from planner.services.evidence import EvidenceInput, add_evidence, review
from planner.services.history import task_history
from planner.services.plan_load import load_seed
from planner.services.session import open_database
from planner.services.tasks import TaskChanges, edit_task, save_task, set_status, task_detail
from planner.services.users import ensure_first_coordinator, save_user
from tests.cli.helpers import fingerprint
from tests.conftest import SEED

AS_OF = date(2022, 5, 9)


@pytest.fixture
def ctx(db_url: str) -> Iterator[Context]:
    db, _pinned = open_database(db_url)
    load_seed(db, load_seed_file(SEED), actor="coordinator")
    coordinator = Context(db=db, actor="coordinator", today=AS_OF)
    ensure_first_coordinator(coordinator)
    save_user(coordinator, "vp", role="office_member", office="VP", create=True)
    yield coordinator
    db.dispose()


def test_fields_and_status_are_saved_together(ctx: Context) -> None:
    version = task_detail(ctx, "T03").task.version
    history = len(task_history(ctx, "T03"))
    saved = save_task(ctx, "T03", TaskChanges(title="Quyết định phân công (bản mới)", status="done",
                                              on="12/05/2022", note="Đã ký"),
                      expected_version=version)
    task = task_detail(ctx, "T03").task
    assert (task.title, task.status, task.progress, task.done_on) == \
        ("Quyết định phân công (bản mới)", "done", 100, date(2022, 5, 12))
    assert saved.target.version == task.version
    assert len(task_history(ctx, "T03")) == history + 2  # the edit and the status change


def test_a_refused_status_leaves_the_fields_unwritten(ctx: Context) -> None:
    # The status part fails (an impossible date): the title typed with it is not written either.
    before = fingerprint(ctx.db.url)
    with pytest.raises(InputError, match="on:"):
        save_task(ctx, "T03", TaskChanges(title="Tên mới", status="done", on="31/02/2022"))
    assert fingerprint(ctx.db.url) == before


def test_a_task_changed_since_it_was_read_is_a_conflict(ctx: Context) -> None:
    version = task_detail(ctx, "T03").task.version
    edit_task(Context(db=ctx.db, actor="vp", today=AS_OF), "T03", TaskChanges(progress=70))
    before = fingerprint(ctx.db.url)
    with pytest.raises(ConflictError, match="changed by someone else"):
        save_task(ctx, "T03", TaskChanges(title="Tên mới", status="done"), expected_version=version)
    assert fingerprint(ctx.db.url) == before


def test_an_occurrence_changed_since_it_was_read_is_a_conflict(ctx: Context) -> None:
    key = "T04@2022-06-15"
    detail = task_detail(ctx, "T04")
    occurrence = next(o for o in detail.occurrences if o.due_on == date(2022, 6, 15))
    set_status(Context(db=ctx.db, actor="vp", today=AS_OF), key, "in_progress", progress=50)
    before = fingerprint(ctx.db.url)
    with pytest.raises(ConflictError):
        save_task(ctx, key, TaskChanges(status="done"), expected_version=detail.task.version,
                  expected_occurrence_version=occurrence.version)
    assert fingerprint(ctx.db.url) == before


def test_progress_alone_keeps_the_status_and_done_date_and_is_in_the_history(ctx: Context) -> None:
    set_status(ctx, "T03", "done", on="10/05/2022")
    save_task(ctx, "T03", TaskChanges(progress=90))
    task = task_detail(ctx, "T03")
    assert (task.task.status, task.task.progress, task.task.done_on) == ("done", 90, date(2022, 5, 10))
    assert [(e.status, e.progress) for e in task.events][-1] == ("done", 90)


def test_progress_of_a_recurring_task_names_its_occurrences(ctx: Context) -> None:
    before = fingerprint(ctx.db.url)
    with pytest.raises(InputError, match="T04@2022-03-15"):
        save_task(ctx, "T04", TaskChanges(progress=50))
    assert fingerprint(ctx.db.url) == before


def _own_evidence(ctx: Context) -> int:
    set_status(ctx, "T03", "done")
    return add_evidence(ctx, "T03", EvidenceInput(doc_number="152/QĐ-SGDĐT")).id or 0


def test_own_evidence_names_the_other_coordinators(ctx: Context) -> None:
    evidence = _own_evidence(ctx)
    save_user(ctx, "lan", role="coordinator", name="Nguyễn Thị Lan", create=True)
    save_user(ctx, "minh", role="coordinator", create=True)
    with pytest.raises(PermissionDenied) as refused:
        review(ctx, evidence, "accepted")
    message = refused.value.message
    assert "submitted it (coordinator)" in message
    assert "lan (Nguyễn Thị Lan), minh" in message
    # …and one of them may.
    accepted = review(Context(db=ctx.db, actor="minh", today=AS_OF), evidence, "accepted")
    assert accepted.state == "accepted"


def test_own_evidence_with_no_other_coordinator_says_how_to_add_one(ctx: Context) -> None:
    evidence = _own_evidence(ctx)
    with pytest.raises(PermissionDenied, match=r"No other coordinator is registered.*--role coordinator"):
        review(ctx, evidence, "accepted")
