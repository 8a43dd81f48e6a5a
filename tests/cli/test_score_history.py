"""`planner score --history`: the trajectory from the plan's start, each point the score as of
its date, with the target and last year's score."""

from __future__ import annotations

import csv
import io
import json

from tests.cli.helpers import fingerprint
from tests.conftest import Cli

FIGURES = ("secured", "at_risk", "lost", "projected")


def history(cli: Cli, *args: str) -> dict:
    result = cli("score", "--history", "--as-of", "09/05/2022", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def score_on(cli: Cli, day: str) -> dict:
    return json.loads(cli("score", "--as-of", day, "--format", "json").stdout)


def test_each_week_is_the_score_as_of_that_date(seeded: Cli) -> None:
    data = history(seeded)
    days = [point["as_of"] for point in data["points"]]
    assert days[0] == "2022-01-01" and days[1] == "2022-01-08" and days[-1] == "2022-05-09"
    assert data["target"] == 48.0 and data["baseline"]["score"] == 41.93
    for point in data["points"][::6] + data["points"][-1:]:
        fresh = score_on(seeded, point["as_of"])
        for part in ("appraised", "survey", "all"):
            for figure in FIGURES:
                assert point[part][figure] == fresh["totals"][part][figure], (point["as_of"], part)
        fields = {node["code"]: node for node in fresh["criteria"]}
        for field in point["fields"]:
            assert field["projected"] == fields[field["code"]]["projected"]
            assert field["at_risk"] == fields[field["code"]]["at_risk"]
    # Work was delivered and evidenced over the spring: secured rose.
    assert data["points"][-1]["appraised"]["secured"] > data["points"][0]["appraised"]["secured"]


def test_a_new_reading_moves_the_trajectory_from_its_date_on(seeded: Cli) -> None:
    before = history(seeded)
    added = seeded("reading", "add", "digitised_share", "95", "--date", "20/04/2022")
    assert added.exit_code == 0, added.output
    after = history(seeded)
    for old, new in zip(before["points"], after["points"], strict=True):
        if new["as_of"] < "2022-04-20":
            assert new == old
        else:
            fresh = score_on(seeded, new["as_of"])["totals"]["appraised"]
            assert [new["appraised"][f] for f in FIGURES] == [fresh[f] for f in FIGURES]
    # The week after the reading it counts; from the next reading (30/04) on, that one does.
    week = {p["as_of"]: p for p in before["points"]}, {p["as_of"]: p for p in after["points"]}
    assert week[1]["2022-04-23"]["appraised"]["secured"] > week[0]["2022-04-23"]["appraised"]["secured"]
    assert week[1]["2022-05-07"] == week[0]["2022-05-07"]


def test_table_months_and_csv(seeded: Cli) -> None:
    before = fingerprint(seeded.db)
    table = seeded("score", "--history", "--every", "month", "--as-of", "09/05/2022")
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert "trajectory (appraised, monthly) to 09/05/2022" in lines[0]
    dates = [line.split()[0] for line in lines[3:] if line[:2].isdigit()]
    assert dates == ["01/01/2022", "01/02/2022", "01/03/2022", "01/04/2022", "01/05/2022",
                     "09/05/2022"]
    assert "Target: 48.00. Last year (2021): 41.93 / 56.00." in table.stdout

    rows = list(csv.DictReader(io.StringIO(
        seeded("score", "--history", "--every", "month", "--as-of", "09/05/2022",
               "--format", "csv", "--offices").stdout)))
    last = [row for row in rows if row["as_of"] == "2022-05-09"]
    assert {row["group"] for row in last} == {"appraised", "survey", "all", "field", "office"}
    appraised = next(row for row in last if row["group"] == "appraised")
    fresh = score_on(seeded, "09/05/2022")["totals"]["appraised"]
    assert float(appraised["projected"]) == fresh["projected"]
    assert appraised["target"] == "48.0" and appraised["last_year"] == "41.93"
    # The offices' points at risk are the offices board's.
    board = json.loads(seeded("offices", "--as-of", "09/05/2022", "--format", "json").stdout)
    tccb = next(row for row in last if row["group"] == "office" and row["code"] == "TCCB")
    board_tccb = next(row for row in board if row["office"] == "TCCB")
    assert float(tccb["at_risk"]) == round(board_tccb["points_at_risk"], 4)
    # Reading history writes nothing.
    assert fingerprint(seeded.db) == before


def test_offices_without_history_is_a_usage_error(seeded: Cli) -> None:
    result = seeded("score", "--offices")
    assert result.exit_code == 2
    assert "--offices applies to --history" in result.output
