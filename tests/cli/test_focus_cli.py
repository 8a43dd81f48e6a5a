"""`planner focus`: the tasks that matter most this week, with who answers for them; an effort
estimate set on a task moves it up, and the output says which method ranked it."""

from __future__ import annotations

import json

from tests.cli.helpers import fingerprint
from tests.conftest import Cli


def test_the_tasks_that_matter_most_and_an_effort_estimate(seeded: Cli) -> None:
    shown = seeded("focus", "--limit", "3")
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[0] == "The tasks that matter most — as of 09/05/2022"
    # Overdue work counts as one day left: T28 (1 point if done now, late) comes first.
    assert lines[3].split()[:2] == ["1", "T28"]
    assert "overdue" in lines[3] and "Nguyễn Văn Hải, Trưởng phòng" in lines[3]
    assert "no effort estimates: deadline pressure alone" in shown.stdout

    ranked = json.loads(seeded("focus", "--limit", "50", "--format", "json").stdout)
    assert [row["rank"] for row in ranked] == list(range(1, len(ranked) + 1))
    pressures = [row["pressure"] for row in ranked]
    assert pressures == sorted(pressures, reverse=True)
    t10 = next(row for row in ranked if row["code"] == "T10")
    assert (t10["method"], t10["effort_days"], t10["at_stake"]) == ("deadline", None, 2.0)
    assert t10["head_name"] == "Nguyễn Văn Hải"
    # The same ranking on every run.
    assert json.loads(seeded("focus", "--limit", "50", "--format", "json").stdout) == ranked

    # T10 needs 100 of its 123 working days: 2 points over 23 days moves it up.
    edited = seeded("task", "edit", "T10", "--effort", "100")
    assert edited.exit_code == 0, edited.output
    assert "Effort" in seeded("task", "show", "T10").stdout
    again = json.loads(seeded("focus", "--office", "TCCB", "--format", "json").stdout)
    assert [row["code"] for row in again[:3]] == ["T28", "T30", "T10"]
    assert again[2]["method"] == "effort"
    assert again[2]["pressure"] == round(2.0 / 23, 6)
    assert {row["lead_office"] for row in again} == {"TCCB"}
    text = seeded("focus", "--office", "TCCB").stdout
    assert "less the effort estimate where a task has one (1 of" in text
    # Cleared, the estimate no longer counts.
    assert seeded("task", "edit", "T10", "--effort", "").exit_code == 0
    cleared = json.loads(seeded("focus", "--office", "TCCB", "--format", "json").stdout)
    assert next(row for row in cleared if row["code"] == "T10")["method"] == "deadline"
    # The change log tells both edits of the estimate.
    told = seeded("log", "--task", "T10").stdout
    assert "effort: none → 100 working days" in told
    assert "effort: 100 working days → none" in told


def test_bad_office_or_effort_is_refused_and_changes_nothing(seeded: Cli) -> None:
    before = fingerprint(seeded.db)
    unknown = seeded("focus", "--office", "XYZ")
    assert unknown.exit_code == 2
    assert 'Unknown office "XYZ"' in unknown.output
    for bad in ("-3", "many", "400"):
        result = seeded("task", "edit", "T10", "--effort", bad)
        assert result.exit_code == 2, bad
        assert "effort" in result.output
    assert fingerprint(seeded.db) == before


def test_after_the_plan_closes_nothing_is_ranked_and_the_list_says_why(seeded: Cli) -> None:
    """Overdue work the day the plan closes still matters; the day after, no task can change
    its points, and the list says the plan has closed rather than "no open tasks"."""
    last = seeded("focus", "--as-of", "31/12/2022", "--format", "json")
    assert last.exit_code == 0, last.output
    assert json.loads(last.stdout)
    after = seeded("focus", "--as-of", "01/01/2023")
    assert after.exit_code == 0, after.output
    assert "The plan closed on 31/12/2022" in after.stdout
    assert json.loads(seeded("focus", "--as-of", "01/01/2023", "--format", "json").stdout) == []
