"""Evidence with a validity end, from submission to expiry: the score and `explain` follow."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import fingerprint
from tests.cli.test_evidence_cli import score_of
from tests.conftest import Cli


def _delivered_task(seeded: Cli) -> str:
    """A task on 2.3 (one point, shared with the continuous T22), done on time."""
    code = seeded("task", "add", "Báo cáo theo dõi thi hành pháp luật", "--lead", "TTr",
                  "--due", "30/04/2022", "--criterion", "2.3").stdout.strip()
    assert seeded("task", "done", code, "--on", "25/04/2022").exit_code == 0
    return code


def test_expired_evidence_moves_its_points_to_at_risk_until_renewed(seeded: Cli) -> None:
    code = _delivered_task(seeded)
    before = score_of(seeded, "2.3", "01/06/2022")
    added = seeded("evidence", "add", code, "--doc", "140/GCN-SGDĐT", "--on", "26/04/2022",
                   "--valid-until", "31/05/2022", user="ttr")
    assert added.exit_code == 0, added.output
    evidence_id = added.stdout.strip()
    assert seeded("evidence", "accept", evidence_id, "--on", "28/04/2022").exit_code == 0
    shown = json.loads(seeded("evidence", "show", evidence_id, "--format", "json").stdout)
    assert shown["valid_until"] == "2022-05-31"
    # Valid on its last day: secured.
    on_last_day = score_of(seeded, "2.3", "31/05/2022")
    assert on_last_day["secured"] == pytest.approx(before["secured"] + 0.5)
    # From the next day: at risk, still projected, and explain says why.
    expired = score_of(seeded, "2.3", "01/06/2022")
    assert expired["secured"] == pytest.approx(before["secured"])
    assert expired["at_risk"] == pytest.approx(on_last_day["at_risk"] + 0.5)
    assert expired["projected"] == pytest.approx(on_last_day["projected"])
    explained = json.loads(seeded("explain", "2.3", "--as-of", "01/06/2022", "--format",
                                  "json").stdout)
    rules = {line["subject"]: line["rule"] for line in explained["explanation"]}
    assert "on time, evidence expired: new evidence needed" in rules[code]
    assert rules[f"{code} evidence #{evidence_id}"] == (
        "expired on 01/06/2022 (valid until 31/05/2022): new evidence is needed")
    # The list says how long it is valid.
    listed = seeded("evidence", "list", "--task", code).stdout
    assert "valid until 31/05/2022" in listed
    # The coordinator records the renewed term: secured again, and the change is logged.
    renewed = seeded("evidence", "edit", evidence_id, "--valid-until", "31/12/2022")
    assert renewed.exit_code == 0, renewed.output
    assert "valid until 31/12/2022" in renewed.stderr
    assert score_of(seeded, "2.3", "01/06/2022")["secured"] == pytest.approx(
        before["secured"] + 0.5)
    assert seeded("check").exit_code == 0
    # `none` removes the end altogether.
    assert seeded("evidence", "edit", evidence_id, "--valid-until", "none").exit_code == 0
    shown = json.loads(seeded("evidence", "show", evidence_id, "--format", "json").stdout)
    assert shown["valid_until"] is None


def test_bad_validity_ends_are_refused_and_change_nothing(seeded: Cli) -> None:
    code = _delivered_task(seeded)
    before = fingerprint(seeded.db)
    impossible = seeded("evidence", "add", code, "--doc", "141/GCN-SGDĐT",
                        "--valid-until", "31/02/2022", user="ttr")
    assert impossible.exit_code == 2
    assert "valid-until" in impossible.stderr
    too_early = seeded("evidence", "add", code, "--doc", "141/GCN-SGDĐT", "--on", "26/04/2022",
                       "--valid-until", "01/04/2022", user="ttr")
    assert too_early.exit_code == 2
    assert "before the evidence was submitted (26/04/2022)" in too_early.stderr
    assert fingerprint(seeded.db) == before
    evidence_id = seeded("evidence", "add", code, "--doc", "141/GCN-SGDĐT",
                         user="ttr").stdout.strip()
    assert seeded("evidence", "accept", evidence_id).exit_code == 0
    before = fingerprint(seeded.db)
    # Once reviewed, only a coordinator changes what is counted.
    denied = seeded("evidence", "edit", evidence_id, "--valid-until", "30/06/2022", user="ttr")
    assert denied.exit_code == 4
    stale = seeded("evidence", "edit", evidence_id, "--valid-until", "30/06/2022",
                   "--if-version", "1")
    assert stale.exit_code == 3
    missing = seeded("evidence", "edit", "9999", "--valid-until", "30/06/2022")
    assert missing.exit_code == 2
    assert fingerprint(seeded.db) == before
