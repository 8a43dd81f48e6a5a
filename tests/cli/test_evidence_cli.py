"""Evidence from submission to review, and the score it moves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import count, fingerprint
from tests.conftest import Cli


def score_of(cli: Cli, code: str, as_of: str = "09/05/2022") -> dict:
    data = json.loads(cli("score", "--as-of", as_of, "--format", "json").stdout)

    def find(nodes: list[dict]) -> dict | None:
        for node in nodes:
            if node["code"] == code:
                return node
            hit = find(node["children"])
            if hit:
                return hit
        return None

    if code == "appraised":
        return data["totals"]["appraised"]
    node = find(data["criteria"])
    assert node is not None
    return node


def test_round_trip_add_task_attach_accept_moves_the_score(seeded: Cli) -> None:
    """Add a task on 2.3 (no task done yet), finish it, attach a decision, accept it."""
    before = score_of(seeded, "appraised")
    crit_before = score_of(seeded, "2.3")
    code = seeded("task", "add", "Báo cáo theo dõi thi hành pháp luật", "--lead", "TTr",
                  "--due", "30/04/2022", "--criterion", "2.3").stdout.strip()
    assert seeded("task", "done", code, "--on", "25/04/2022").exit_code == 0
    added = seeded("evidence", "add", code, "--doc", "140/BC-SGDĐT", "--date", "25/04/2022",
                   "--issuer", "Sở GD&ĐT Hải Phòng", user="ttr")
    assert added.exit_code == 0, added.output
    evidence_id = added.stdout.strip()
    pending = score_of(seeded, "2.3")
    assert pending["secured"] == crit_before["secured"]
    accepted = seeded("evidence", "accept", evidence_id)
    assert accepted.exit_code == 0, accepted.output
    after = score_of(seeded, "2.3")
    # T22 (continuous, open) and the new task share 2.3's single point equally.
    assert after["secured"] == pytest.approx(crit_before["secured"] + 0.5)
    assert score_of(seeded, "appraised")["secured"] == pytest.approx(before["secured"] + 0.5)


def test_reject_needs_a_reason_and_is_shown(seeded: Cli) -> None:
    evidence_id = seeded("evidence", "add", "T03", "--doc", "150/QĐ-SGDĐT", user="vp").stdout.strip()
    no_reason = seeded("evidence", "reject", evidence_id)
    assert no_reason.exit_code == 2
    rejected = seeded("evidence", "reject", evidence_id, "--reason", "Thiếu chữ ký")
    assert rejected.exit_code == 0
    shown = json.loads(seeded("evidence", "show", evidence_id, "--format", "json").stdout)
    assert shown["state"] == "rejected" and shown["reason"] == "Thiếu chữ ký"
    assert shown["reviewed_by"] == "coordinator"


def test_accepting_twice_is_refused(seeded: Cli) -> None:
    evidence_id = seeded("evidence", "add", "T03", "--doc", "151/QĐ-SGDĐT", user="vp").stdout.strip()
    assert seeded("evidence", "accept", evidence_id).exit_code == 0
    before = fingerprint(seeded.db)
    again = seeded("evidence", "accept", evidence_id)
    assert again.exit_code == 2
    assert "already accepted" in again.stderr
    assert fingerprint(seeded.db) == before


def test_file_attachment_round_trip_and_dedup(seeded: Cli, tmp_path: Path) -> None:
    report = tmp_path / "bao-cao.pdf"
    report.write_bytes(b"%PDF-1.4 report body \x00\x01")
    first = seeded("evidence", "add", "T03", "--file", str(report)).stdout.strip()
    second = seeded("evidence", "add", "T05", "--file", str(report)).stdout.strip()
    assert count(seeded.db, "blob") == 1
    out = tmp_path / "copy.pdf"
    got = seeded("evidence", "get", first, "-o", str(out))
    assert got.exit_code == 0, got.output
    assert out.read_bytes() == report.read_bytes()
    assert "SHA-256 verified" in got.stderr
    assert json.loads(seeded("evidence", "show", second, "--format", "json").stdout)["filename"] == "bao-cao.pdf"


def test_evidence_on_a_criterion_and_a_link(seeded: Cli) -> None:
    assert seeded("evidence", "add", "3.5", "--note", "Không phát hiện thu sai").exit_code == 0
    link = seeded("evidence", "add", "T18", "--url", "https://haiphong.edu.vn/cchc")
    assert link.exit_code == 0
    rows = json.loads(seeded("evidence", "list", "--state", "submitted", "--format", "json").stdout)
    targets = {r["target"] for r in rows}
    assert {"criterion 3.5", "T18"} <= targets


def test_reading_formats_move_the_threshold(seeded: Cli) -> None:
    for value, date in (("97,5%", "31/05/2022"), ("99.1", "01/06/2022"), ("130/130", "02/06/2022")):
        result = seeded("reading", "add", "ontime_rate", value, "--date", date)
        assert result.exit_code == 0, result.output
    inds = {i["code"]: i for i in json.loads(seeded("indicators", "--format", "json").stdout)}
    values = [r["value"] for r in inds["ontime_rate"]["readings"][-3:]]
    assert values == [97.5, 99.1, 100.0]
    assert score_of(seeded, "3.3.1", "31/05/2022")["secured"] == 1.0
    assert score_of(seeded, "3.3.1", "01/06/2022")["secured"] == 2.0
    assert score_of(seeded, "3.3.1", "02/06/2022")["secured"] == 3.0


def test_confirm_enter_and_owner(seeded: Cli) -> None:
    assert seeded("criterion", "confirm", "5.5", "reprimand", "--on", "01/05/2022").exit_code == 0
    node = score_of(seeded, "5.5")
    # Confirmed without accepted evidence on the criterion: the outcome is at risk.
    assert (node["secured"], node["at_risk"], node["lost"]) == (0.0, 0.5, 1.0)
    # Evidence on a criterion comes from a coordinator; another one reviews it (four eyes).
    assert seeded("users", "add", "deputy", "--role", "coordinator").exit_code == 0
    added = seeded("evidence", "add", "5.5", "--doc", "12/BB-SGDĐT", "--date", "01/05/2022",
                   user="deputy")
    assert added.exit_code == 0, added.output
    assert seeded("evidence", "accept", added.stdout.strip()).exit_code == 0
    node = score_of(seeded, "5.5")
    assert (node["secured"], node["at_risk"], node["lost"]) == (0.5, 0.0, 1.0)
    assert seeded("criterion", "enter", "8.1", "81%", "--on", "01/05/2022").exit_code == 0
    assert score_of(seeded, "8.1")["secured"] == pytest.approx(16.2)
    assert seeded("criterion", "owner", "3.3.1", "KTKĐ").exit_code == 0
    explain = seeded("explain", "3.3.1", "--as-of", "09/05/2022")
    assert "KTKĐ" in explain.stdout


def test_explain_lists_inputs(seeded: Cli) -> None:
    result = seeded("explain", "1.2.1", "--as-of", "09/05/2022")
    assert result.exit_code == 0
    assert "T04@2022-03-15" in result.stdout and "T04@2022-12-15" in result.stdout


def test_offices_board(seeded: Cli) -> None:
    rows = {r["office"]: r for r in json.loads(seeded("offices", "--format", "json").stdout)}
    assert rows["TCCB"]["overdue"] == 2
    assert rows["VP"]["done_late"] == 1
    assert rows["TCCB"]["head"]
    table = seeded("offices")
    assert "TCCB" in table.stdout


def test_office_add_and_edit(seeded: Cli) -> None:
    added = seeded("office", "add", "PC", "--name", "Phòng Pháp chế", "--alias", "Pháp chế",
                   "--head", "Lê Văn C", "--head-title", "Trưởng phòng", "--email", "pc@haiphong.edu.vn")
    assert added.exit_code == 0, added.output
    assert seeded("office", "edit", "phap che", "--email", "phapche@haiphong.edu.vn").exit_code == 0
    rows = {r["office"]: r for r in json.loads(seeded("offices", "--format", "json").stdout)}
    assert rows["PC"]["email"] == "phapche@haiphong.edu.vn"
    assert seeded("office", "add", "PC", "--name", "Again").exit_code == 2


def test_indicator_add_and_edit(seeded: Cli) -> None:
    assert seeded("indicator", "add", "feedback", "--name", "Tỷ lệ phản ánh được xử lý",
                  "--unit", "percent", "--target", "100").exit_code == 0
    assert seeded("indicator", "edit", "ontime_rate", "--target", "99",
                  "--bands", "3.3.1=100:3,97:2,94:1").exit_code == 0
    inds = {i["code"]: i for i in json.loads(seeded("indicators", "--format", "json").stdout)}
    assert inds["ontime_rate"]["target"] == 99 and "feedback" in inds
    seeded("reading", "add", "ontime_rate", "97", "--date", "31/05/2022")
    assert score_of(seeded, "3.3.1", "31/05/2022")["secured"] == 2.0
