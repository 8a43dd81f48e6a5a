"""`planner whatif`: a coordinator asks what the score would be if some tasks were done, late
or never, sees before, after and the difference, and the database is left exactly as it was."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.cli.helpers import fingerprint
from tests.conftest import Cli


def total(data: dict, scope: str = "all") -> dict:
    return next(row for row in data["figures"] if row["scope"] == scope)


def test_what_if_two_tasks_were_done_shows_the_move_and_writes_nothing(seeded: Cli) -> None:
    before = fingerprint(seeded.db)
    shown = seeded("whatif", "T28", "T36", "--done-by", "30/06/2022")
    assert shown.exit_code == 0, shown.output
    assert "What if: T28 done on 30/06/2022; T36 done on 30/06/2022" in shown.stdout
    assert "Figures as of 30/06/2022, when the changes show." in shown.stdout
    assert "Change in total: secured +2.50, at risk −2.00, lost +1.00, projected +1.00." in shown.stdout
    assert "Rank: no ranking data." in shown.stdout
    assert fingerprint(seeded.db) == before

    data = json.loads(seeded("whatif", "T28", "T36", "--done-by", "30/06/2022", "--format", "json").stdout)
    assert data["as_of"] == "2022-06-30"
    assert data["written"] is False
    assert {k: data["rank"][k] for k in ("before", "after", "note", "estimate")} == {
        "before": None, "after": None, "note": "no ranking data", "estimate": False}
    # The figures before are the real score as of the same date.
    real = json.loads(seeded("score", "--as-of", "30/06/2022", "--format", "json").stdout)["totals"]
    row = total(data)
    assert row["before"]["secured"] == real["all"]["secured"]
    assert row["before"]["projected"] == real["all"]["projected"]
    assert row["change"]["secured"] == 2.5
    # Per field: T28 is field 4's work (late by then: half its point lost), T36 field 6's.
    assert total(data, "4")["change"] == {"secured": 1.0, "at_risk": -2.0, "lost": 1.0, "projected": 1.0}
    assert total(data, "6")["change"]["secured"] == 1.5
    assert fingerprint(seeded.db) == before
    # And the real score has not moved.
    again = json.loads(seeded("score", "--as-of", "30/06/2022", "--format", "json").stdout)["totals"]
    assert again == real


def test_never_slip_and_reject_each_say_what_they_cost(seeded: Cli) -> None:
    def change(*args: str) -> dict:
        result = seeded("whatif", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return total(json.loads(result.stdout))["change"]

    on_time = change("T36")  # done on its deadline, 30/06/2022
    late = change("T36", "--slip-to", "4/7/2022")
    assert on_time["secured"] == 1.5
    assert late["secured"] == 0.75  # late: half (late factor 0.5)
    # Never doing T36 is what the facts already say: nothing moves, read the day after.
    never = seeded("whatif", "T36", "--never", "--format", "json").stdout
    assert json.loads(never)["as_of"] == "2022-07-01"
    assert set(total(json.loads(never))["change"].values()) == {0.0}
    # T01 was done (31/01) with its evidence accepted: never done, it loses its half point
    # of 1.1.1, and the plan's completion falls a band in 1.1.2 (another half point).
    assert change("T01", "--never")["secured"] == -1.0
    # T01 was done with its evidence accepted: rejected now, its half point is at risk.
    rejected = change("T01", "--reject", "9/5/2022", "--as-of", "9/5/2022")
    assert (rejected["secured"], rejected["at_risk"], rejected["projected"]) == (-0.5, 0.5, 0.0)


def test_hypothetical_readings_and_confirmations(seeded: Cli) -> None:
    before = fingerprint(seeded.db)
    # 41 of 42 city tasks on time so far; all of them would reach the top band of 1.6.
    result = seeded("whatif", "--reading", "city_tasks_ontime=100", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["changes"] == [{"indicator": "city_tasks_ontime", "change": "reading",
                                "value": 100.0, "on": "2022-05-09"}]
    assert total(data)["change"]["secured"] == 0.5
    # 1.2.2 (reports complete) is not confirmed yet: confirming "no" loses its half point.
    confirmed = json.loads(seeded("whatif", "--confirm", "1.2.2=no", "--format", "json").stdout)
    assert total(confirmed)["change"]["lost"] == 0.5
    assert total(confirmed)["change"]["projected"] == -0.5
    assert fingerprint(seeded.db) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("T99",), "T99: no such task or occurrence in the plan"),
        (("T36", "--slip-to", "1/6/2022"), "T36: 01/06/2022 is not after its deadline 30/06/2022"),
        (("T36", "--done-by", "31/02/2022"), "--done-by"),
        (("T36", "--never", "--reject", "1/6/2022"), "choose one of --never, --reject"),
        ((), "name at least one task"),
        (("--reading", "NOPE=3"), "NOPE: no such indicator in the plan"),
        (("--reading", "city_tasks_ontime"), "expected CODE=VALUE"),
        (("--reading", "plan_completion=90"), "plan_completion: computed from the plan, not read"),
        (("--confirm", "1.2.2=maybe"), "maybe: not an outcome of 1.2.2 (yes, no)"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(seeded: Cli, args: tuple[str, ...], message: str) -> None:
    before = fingerprint(seeded.db)
    result = seeded("whatif", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert fingerprint(seeded.db) == before


def test_the_what_if_connection_refuses_writes(seeded: Cli) -> None:
    from planner.services.whatif import open_read_only

    before = fingerprint(seeded.db)
    db = open_read_only(seeded.db)
    try:
        with db.reading() as conn:
            assert conn.execute(text("SELECT count(*) FROM task")).scalar_one() > 0
        with pytest.raises(DBAPIError, match=r"(?i)read.?only"), db.engine.begin() as conn:
            conn.execute(text("UPDATE task SET title = 'changed'"))
    finally:
        db.dispose()
    assert fingerprint(seeded.db) == before


def test_a_missing_database_file_is_named(cli: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nowhere.db"
    result = cli("--db", str(missing), "whatif", "T01")
    assert result.exit_code == 2
    assert f"No database at {missing}: the file does not exist." in result.output
    assert not missing.exists()
