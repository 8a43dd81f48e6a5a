"""Generated strings, dates and numbers pushed through the services: never a crash, a clear
error for what is invalid, and nothing written when an error is raised."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.io.seedfile import load_seed_file
from planner.services.context import Context
from planner.services.errors import PlannerError
from planner.services.evidence import EvidenceInput, add_evidence
from planner.services.indicators import add_reading
from planner.services.plan_load import load_seed
from planner.services.session import open_database
from planner.services.tasks import TaskChanges, add_task, edit_task, set_status
from tests.cli.helpers import fingerprint
from tests.conftest import SEED

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
hostile = st.sampled_from([
    "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "'; DROP TABLE task; --", "\x00", "\x1b[2J",
    "a" * 3000, "‮evil", "Cải cách\u0301", "", "   ", "30/02/2022", "@SUM(A1)", "%s%n",
])
maybe_text = st.one_of(text, hostile)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    path: Path = tmp_path_factory.mktemp("fuzz") / "plan.db"
    db, _ = open_database(str(path))
    load_seed(db, load_seed_file(SEED), actor="coordinator")
    return Context(db=db, actor="coordinator", today=date(2022, 5, 9))


def attempt(ctx: Context, action) -> None:  # type: ignore[no-untyped-def]
    before = fingerprint(ctx.db.url.removeprefix("sqlite:///"))
    try:
        action()
    except PlannerError as exc:
        assert exc.message.strip()
        assert fingerprint(ctx.db.url.removeprefix("sqlite:///")) == before


@SETTINGS
@given(title=maybe_text, due=maybe_text, product=maybe_text, code=st.one_of(st.none(), maybe_text))
def test_add_task(ctx: Context, title: str, due: str, product: str, code: str | None) -> None:
    attempt(ctx, lambda: add_task(ctx, title, lead="VP", due=due, product=product, code=code))


@SETTINGS
@given(title=st.one_of(st.none(), maybe_text), due=st.one_of(st.none(), maybe_text),
       progress=st.one_of(st.none(), st.integers(-1000, 1000), maybe_text))
def test_edit_task(ctx: Context, title: str | None, due: str | None, progress: object) -> None:
    attempt(ctx, lambda: edit_task(ctx, "T05", TaskChanges(title=title, due=due, progress=progress)))  # type: ignore[arg-type]


@SETTINGS
@given(on=maybe_text, status=st.sampled_from(["in_progress", "done", "paused", "bogus"]))
def test_status_dates(ctx: Context, on: str, status: str) -> None:
    attempt(ctx, lambda: set_status(ctx, "T07", status, on=on or None))


@SETTINGS
@given(doc=maybe_text, doc_date=maybe_text, issuer=maybe_text, url=maybe_text, note=maybe_text)
def test_evidence(ctx: Context, doc: str, doc_date: str, issuer: str, url: str, note: str) -> None:
    data = EvidenceInput(doc_number=doc, doc_date=doc_date, issuer=issuer, url=url, note=note)
    attempt(ctx, lambda: add_evidence(ctx, "T05", data))


@SETTINGS
@given(value=st.one_of(maybe_text, st.floats(allow_nan=True, allow_infinity=True).map(str),
                       st.tuples(st.integers(-5, 200), st.integers(-5, 200)).map(lambda t: f"{t[0]}/{t[1]}")),
       on=st.one_of(st.none(), maybe_text))
def test_readings(ctx: Context, value: str, on: str | None) -> None:
    attempt(ctx, lambda: add_reading(ctx, "ontime_rate", value, on=on))


def test_stored_text_is_nfc(ctx: Context) -> None:
    task = add_task(ctx, "Ca\u0309i ca\u0301ch ha\u0300nh chi\u0301nh", lead="VP", due="30/6/2022")
    assert task.title == "Cải cách hành chính"
    with pytest.raises(PlannerError, match="control characters"):
        add_task(ctx, "abc\u202edef", lead="VP", due="30/6/2022")
