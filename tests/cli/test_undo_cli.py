"""Undoing mistakes from the command line: a review taken back, a reading corrected or deleted,
a task reopened. Each is a dated event logged with its reason, so a score as of an earlier
date still shows what was true then."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import fingerprint
from tests.cli.test_evidence_cli import score_of
from tests.conftest import Cli


def evidence_id(cli: Cli, doc: str) -> str:
    rows = json.loads(cli("evidence", "list", "--format", "json").stdout)
    return str(next(r["id"] for r in rows if r["doc_number"] == doc))


def explained_parts(cli: Cli, code: str, as_of: str) -> list[tuple[str, str]]:
    data = json.loads(cli("explain", code, "--as-of", as_of, "--format", "json").stdout)
    return [(line["subject"], line["part"]) for line in data["explanation"] if line["counted"]]


def log_lines(cli: Cli) -> list[dict]:
    return json.loads(cli("log", "--format", "json").stdout)


# ------------------------------------------------------------------------------- evidence


def test_acceptance_taken_back_keeps_the_past_and_opens_the_present(seeded: Cli) -> None:
    """T01's plan (45/KH-SGDĐT, accepted 24/01) secures 1.1.1; the coordinator finds it was
    the wrong document and takes the acceptance back on 09/05."""
    plan_doc = evidence_id(seeded, "45/KH-SGDĐT")
    assert score_of(seeded, "1.1.1", "08/05/2022")["secured"] == 0.5
    undone = seeded("evidence", "reopen", plan_doc, "--reason", "Nhầm văn bản: đây là bản dự thảo")
    assert undone.exit_code == 0, undone.output
    assert "acceptance taken back on 09/05/2022" in undone.stderr
    # As of the day before: still secured. From the day of the undo: open again.
    assert score_of(seeded, "1.1.1", "08/05/2022")["secured"] == 0.5
    now = score_of(seeded, "1.1.1", "09/05/2022")
    assert (now["secured"], now["open"]) == (0.0, 0.5)
    assert explained_parts(seeded, "1.1.1", "08/05/2022") == [("T01", "secured")]
    assert explained_parts(seeded, "1.1.1", "09/05/2022") == [("T01", "open")]
    # The evidence shows its history; the log says what happened, by whom and why.
    shown = json.loads(seeded("evidence", "show", plan_doc, "--format", "json").stdout)
    assert shown["state"] == "submitted"
    assert [(r["state"], r["on"]) for r in shown["reviews"]] == [
        ("accepted", "2022-01-24"), ("submitted", "2022-05-09")]
    text = seeded("evidence", "show", plan_doc).stdout
    assert "decision taken back  coordinator: Nhầm văn bản" in text
    summary = log_lines(seeded)[-1]["summary"]
    assert summary == (f"Evidence #{plan_doc}: acceptance taken back on 09/05/2022: "
                       "Nhầm văn bản: đây là bản dự thảo")
    assert "acceptance taken back" in seeded("task", "show", "T01").stdout
    # Accepted again the next day: a third event; each date answers with its own.
    again = seeded("evidence", "accept", plan_doc, "--on", "10/05/2022")
    assert again.exit_code == 0, again.output
    assert score_of(seeded, "1.1.1", "09/05/2022")["secured"] == 0.0
    assert score_of(seeded, "1.1.1", "10/05/2022")["secured"] == 0.5
    assert score_of(seeded, "1.1.1", "08/05/2022")["secured"] == 0.5
    assert seeded("check").exit_code == 0


def test_rejection_taken_back_then_accepted(seeded: Cli) -> None:
    """T32's report was rejected on 07/02; the reviewer was wrong: reopen it and accept it."""
    report = evidence_id(seeded, "12/BC-SGDĐT")
    before = json.loads(seeded("evidence", "show", report, "--format", "json").stdout)
    assert before["state"] == "rejected"
    undone = seeded("evidence", "reopen", report, "--reason", "Đã có Quyết định kèm theo",
                    "--on", "02/05/2022")
    assert undone.exit_code == 0, undone.output
    assert "rejection taken back" in undone.stderr
    rows = json.loads(seeded("evidence", "list", "--state", "submitted", "--format", "json").stdout)
    assert int(report) in [r["id"] for r in rows]
    assert seeded("evidence", "accept", report, "--on", "03/05/2022").exit_code == 0
    summaries = [e["summary"] for e in log_lines(seeded)]
    assert f"Evidence #{report}: rejection taken back on 02/05/2022: " \
           "Đã có Quyết định kèm theo" in summaries
    # The weekly report as of 01/05 still lists the rejection standing, with its reason.
    weekly = seeded("report", "weekly", "--as-of", "01/05/2022", "--format", "md").stdout
    assert "Chỉ có bảng tổng hợp" in weekly
    weekly_now = seeded("report", "weekly", "--as-of", "09/05/2022", "--format", "md").stdout
    assert "Chỉ có bảng tổng hợp" not in weekly_now


@pytest.mark.parametrize(
    ("args", "user", "code", "message"),
    [
        (["999", "--reason", "x"], None, 2, "No evidence with id 999"),
        (["REVIEWED", "--reason", "   "], None, 2, "reason: say why"),
        (["REVIEWED"], None, 2, "Missing option '--reason'"),
        (["PENDING", "--reason", "x"], None, 2, "there is no decision to take back"),
        (["REVIEWED", "--reason", "x", "--on", "01/01/2022"], None, 2, "before the evidence was submitted"),
        (["REVIEWED", "--reason", "x", "--on", "23/01/2022"], None, 2, "before the last review"),
        (["REVIEWED", "--reason", "x", "--if-version", "9"], None, 3, "changed by someone else"),
        (["REVIEWED", "--reason", "x"], "vp", 4, "Permission denied"),
        (["OWN", "--reason", "x"], None, 4, "reviewed by the person who submitted it"),
    ],
)
def test_taking_back_a_review_refuses_bad_requests_and_writes_nothing(
        seeded: Cli, args: list[str], user: str | None, code: int, message: str) -> None:
    reviewed = evidence_id(seeded, "45/KH-SGDĐT")
    pending = seeded("evidence", "add", "T03", "--doc", "152/QĐ-SGDĐT", user="vp").stdout.strip()
    own = seeded("evidence", "add", "T03", "--doc", "153/QĐ-SGDĐT").stdout.strip()
    seeded("users", "add", "coord2", "--role", "coordinator")
    assert seeded("evidence", "accept", own, user="coord2").exit_code == 0
    names = {"REVIEWED": reviewed, "PENDING": pending, "OWN": own}
    before = fingerprint(seeded.db)
    result = seeded("evidence", "reopen", *[names.get(a, a) for a in args], user=user)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert fingerprint(seeded.db) == before


def test_a_review_cannot_be_dated_before_the_one_it_follows(seeded: Cli) -> None:
    plan_doc = evidence_id(seeded, "45/KH-SGDĐT")
    assert seeded("evidence", "reopen", plan_doc, "--reason", "x", "--on", "05/05/2022").exit_code == 0
    before = fingerprint(seeded.db)
    early = seeded("evidence", "accept", plan_doc, "--on", "04/05/2022")
    assert early.exit_code == 2
    assert "before the last review of evidence" in early.stderr
    assert fingerprint(seeded.db) == before


# ------------------------------------------------------------------------------- readings


def test_reading_list_shows_ids_values_and_counts(seeded: Cli) -> None:
    rows = json.loads(seeded("reading", "list", "--indicator", "ontime_rate", "--format", "json").stdout)
    assert [r["on"] for r in rows] == ["2022-01-31", "2022-02-28", "2022-03-31", "2022-04-30"]
    assert rows[-1]["numerator"] == 1725 and rows[-1]["denominator"] == 1745
    assert all(r["indicator"] == "ontime_rate" and r["version"] == 1 for r in rows)
    table = seeded("reading", "list").stdout
    assert "1725/1745" in table and "98.85" in table
    unknown = seeded("reading", "list", "--indicator", "nope")
    assert unknown.exit_code == 2 and 'Unknown indicator "nope"' in unknown.stderr


def test_corrected_reading_changes_every_score_from_its_date_and_the_log_keeps_the_old(
        seeded: Cli) -> None:
    rows = json.loads(seeded("reading", "list", "--indicator", "ontime_rate", "--format", "json").stdout)
    april = rows[-1]
    assert score_of(seeded, "3.3.1", "30/04/2022")["secured"] == 2.0
    assert seeded("reading", "edit", str(april["id"]), "--value", "1745/1745").exit_code == 2  # no reason
    fixed = seeded("reading", "edit", str(april["id"]), "--value", "1745/1745",
                   "--reason", "Số liệu tháng 4 nhập nhầm từ bản nháp")
    assert fixed.exit_code == 0, fixed.output
    # Retroactive for its own date and every later one; earlier dates are untouched.
    for day in ("30/04/2022", "09/05/2022", "31/12/2022"):
        assert score_of(seeded, "3.3.1", day)["secured"] == 3.0
    assert score_of(seeded, "3.3.1", "29/04/2022")["secured"] == 2.0
    entry = log_lines(seeded)[-1]
    assert entry["action"] == "reading.edit"
    assert (entry["before"]["numerator"], entry["after"]["numerator"]) == (1725, 1745)
    assert entry["summary"] == (f"Reading #{april['id']} of ontime_rate (30/04/2022) corrected: "
                                "1725/1745 → 1745/1745 = 100%: Số liệu tháng 4 nhập nhầm từ bản nháp")
    again = json.loads(seeded("reading", "list", "--indicator", "ontime_rate", "--format", "json").stdout)
    assert again[-1]["version"] == 2
    stale = seeded("reading", "edit", str(april["id"]), "--source", "x", "--reason", "y",
                   "--if-version", "1")
    assert stale.exit_code == 3
    same = seeded("reading", "edit", str(april["id"]), "--value", "1745/1745", "--reason", "y")
    assert same.exit_code == 2 and "nothing to correct" in same.stderr
    assert seeded("check").exit_code == 0


def test_corrected_date_moves_the_reading(seeded: Cli) -> None:
    rows = json.loads(seeded("reading", "list", "--indicator", "ontime_rate", "--format", "json").stdout)
    april = rows[-1]
    moved = seeded("reading", "edit", str(april["id"]), "--date", "02/05/2022", "--reason", "Ngày chốt số liệu")
    assert moved.exit_code == 0, moved.output
    # The March reading stands until 02/05, the moved one from then on.
    assert explained_parts(seeded, "3.3.1", "01/05/2022")[0] == ("ontime_rate 31/03/2022", "secured")
    assert explained_parts(seeded, "3.3.1", "02/05/2022")[0] == ("ontime_rate 02/05/2022", "secured")


def test_deleted_reading_gives_way_to_the_one_before(seeded: Cli) -> None:
    seeded("reading", "add", "ontime_rate", "90%", "--date", "05/05/2022")
    rows = json.loads(seeded("reading", "list", "--indicator", "ontime_rate", "--format", "json").stdout)
    wrong = rows[-1]
    assert score_of(seeded, "3.3.1", "09/05/2022")["secured"] == 0.0
    before = fingerprint(seeded.db)
    refused = seeded("reading", "delete", str(wrong["id"]), "--reason", "x", user="tccb")
    assert refused.exit_code == 4 and fingerprint(seeded.db) == before
    assert seeded("reading", "delete", "99999", "--reason", "x").exit_code == 2
    assert fingerprint(seeded.db) == before
    deleted = seeded("reading", "delete", str(wrong["id"]), "--reason", "Nhập nhầm chỉ số")
    assert deleted.exit_code == 0, deleted.output
    assert score_of(seeded, "3.3.1", "09/05/2022")["secured"] == 2.0
    ids = [r["id"] for r in json.loads(seeded("reading", "list", "--format", "json").stdout)]
    assert wrong["id"] not in ids
    entry = log_lines(seeded)[-1]
    assert entry["before"]["value"] == 90.0 and entry["after"] is None
    assert entry["summary"] == (f"Reading #{wrong['id']} of ontime_rate (05/05/2022, 90%) deleted: "
                                "Nhập nhầm chỉ số")
    assert seeded("check").exit_code == 0


# ------------------------------------------------------------------------------- tasks


def tasks_json(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli("tasks", "--format", "json", *args).stdout)


def test_reopened_task_is_still_done_as_of_before(seeded: Cli) -> None:
    """T30 marked done on 05/05 by mistake; reopened on 09/05."""
    assert seeded("task", "done", "T30", "--on", "05/05/2022").exit_code == 0
    reopened = seeded("task", "reopen", "T30", "--reason", "Chưa ký quyết định", "--on", "09/05/2022")
    assert reopened.exit_code == 0, reopened.output
    assert tasks_json(seeded, "--search", "T30", "--as-of", "06/05/2022")[0]["status"] == "done"
    now = tasks_json(seeded, "--search", "T30", "--as-of", "09/05/2022")[0]
    assert now["status"] == "in_progress" and now["progress"] < 100
    history = seeded("task", "show", "T30").stdout
    assert "T30 reopened on 09/05/2022: Chưa ký quyết định, by coordinator" in history
    assert seeded("check").exit_code == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["T30", "--reason", "x"], 2, "only a done or cancelled task can be reopened"),
        (["T99", "--reason", "x"], 2, "T99"),
        (["DONE", "--reason", " "], 2, "reason: say why"),
        (["DONE", "--reason", "x", "--on", "04/05/2022"], 2, "before T03 became done"),
        (["DONE", "--reason", "x", "--if-version", "1"], 3, "changed by someone else"),
        (["T04", "--reason", "x"], 2, "name the occurrence to reopen"),
    ],
)
def test_reopening_refuses_bad_requests_and_writes_nothing(
        seeded: Cli, args: list[str], code: int, message: str) -> None:
    assert seeded("task", "done", "T03", "--on", "05/05/2022").exit_code == 0
    before = fingerprint(seeded.db)
    result = seeded("task", "reopen", *["T03" if a == "DONE" else a for a in args])
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert fingerprint(seeded.db) == before


def test_an_office_member_reopens_only_its_own_tasks(seeded: Cli) -> None:
    assert seeded("task", "done", "T30", "--on", "05/05/2022").exit_code == 0
    lead = json.loads(seeded("task", "show", "T30", "--format", "json").stdout)["lead"]
    other = "ttr" if lead != "TTr" else "vp"
    assert seeded("task", "reopen", "T30", "--reason", "x", user=other).exit_code == 4
