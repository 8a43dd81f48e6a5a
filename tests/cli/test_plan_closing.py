"""The plan's closing date: set from the seed or by the coordinator; after it nothing more can
be won, before it overdue work can still be delivered."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import fingerprint
from tests.conftest import SEED, Cli


def totals(cli: Cli, as_of: str) -> dict:
    data = json.loads(cli("score", "--as-of", as_of, "--format", "json").stdout)
    return data["totals"]["appraised"]


def test_a_closing_date_keeps_january_winnable_then_closes_the_year(seeded: Cli) -> None:
    shown = json.loads(seeded("plan", "show", "--format", "json").stdout)
    assert (shown["ends_on"], shown["closes_on"]) == ("2022-12-31", "2022-12-31")
    # Without a closing date, the first of January already has nothing left to win.
    january = totals(seeded, "10/01/2023")
    assert january["at_risk"] == 0 and january["projected"] == january["secured"]

    changed = seeded("plan", "set", "--closes-on", "15/01/2023")
    assert changed.exit_code == 0, changed.output
    assert "closes on 15/01/2023" in changed.stdout
    assert json.loads(seeded("plan", "show", "--format", "json").stdout)["closes_on"] == "2023-01-15"
    # Before the cut-off, overdue work and indicator shortfalls are still at risk, not lost.
    open_january = totals(seeded, "10/01/2023")
    assert open_january["at_risk"] > 0
    assert open_january["projected"] > open_january["secured"]
    # The day after it, everything not secured is lost and nothing more is projected.
    closed = totals(seeded, "16/01/2023")
    assert closed["at_risk"] == 0 and closed["open"] == 0
    assert closed["projected"] == closed["secured"]
    assert round(closed["secured"] + closed["lost"], 4) == closed["max"]
    assert closed["secured"] == open_january["secured"]
    # `explain` says why each part was lost.
    explained = seeded("explain", "3.3.1", "--as-of", "16/01/2023")
    assert "lost: the plan closed on 15/01/2023" in explained.stdout

    # The change is logged; clearing it closes the plan when it ends again.
    assert "plan.edit" in seeded("log", "--format", "json").stdout
    assert seeded("plan", "set", "--closes-on", "").exit_code == 0
    assert totals(seeded, "10/01/2023")["at_risk"] == 0


def test_a_closing_date_before_the_plan_ends_is_refused(seeded: Cli) -> None:
    before = fingerprint(seeded.db)
    result = seeded("plan", "set", "--closes-on", "15/12/2022")
    assert result.exit_code == 2
    assert "--closes-on: 15/12/2022 is before the plan ends (31/12/2022)" in result.stderr
    assert seeded("plan", "set", "--closes-on", "31/02/2023").exit_code == 2
    assert seeded("plan", "set").exit_code == 2
    denied = seeded("plan", "set", "--closes-on", "15/01/2023", user="tccb")
    assert denied.exit_code == 4
    assert fingerprint(seeded.db) == before


def test_the_seed_file_sets_the_closing_date(cli: Cli, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "demo_as_of = 2022-05-09", "closes_on = 2023-01-20\ndemo_as_of = 2022-05-09", 1
    )
    seed = tmp_path / "plan-closes.toml"
    seed.write_text(text, encoding="utf-8")
    assert cli("seed", "load", str(seed)).exit_code == 0
    shown = json.loads(cli("plan", "show", "--format", "json").stdout)
    assert shown["closes_on"] == "2023-01-20"

    bad = tmp_path / "plan-closes-early.toml"
    bad.write_text(text.replace("closes_on = 2023-01-20", "closes_on = 2022-06-30"),
                   encoding="utf-8")
    other = Cli(str(tmp_path / "other.db"), cli.runner)
    refused = other("seed", "load", str(bad))
    assert refused.exit_code == 2
    assert "closes_on" in refused.stderr and "before it ends" in refused.stderr
