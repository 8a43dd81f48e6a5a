"""The explanation lines of `planner explain` speak the user's language.

In English they are what they always were (the guides quote them); in Vietnamese no English
word is left, status and evidence words included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from planner.domain.explanations import evidence_word, status_word
from planner.domain.facts import PlanFacts
from planner.domain.results import PlanScore
from planner.domain.rollup import score_plan
from planner.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed" / "plan-2022.toml"
AS_OF = date(2022, 5, 9)
ENGLISH = re.compile(
    r"\b(due|evidence|open|until|secured|lost|risk|points?|value|band|superseded|projected|"
    r"projection|supporting|child's|children's|occurrences?|done|late|time|accepted|rejected|"
    r"none|submitted|entered|confirmed|target|reading|not|weight|share|covers|closed|scaled|"
    r"maximum)\b|in_progress|not_started|at_risk"
)


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> PlanFacts:
    """The sample plan, loaded into a database and read back as the roll-up reads it."""
    from planner.io.seedfile import load_seed_file
    from planner.services.facts import load_facts
    from planner.services.plan_load import load_seed
    from planner.services.plans import plan_record
    from planner.services.session import open_database

    path = tmp_path_factory.mktemp("explain-language") / "sample.db"
    db, _pinned = open_database(str(path))
    try:
        load_seed(db, load_seed_file(SEED), actor="coordinator")
        with db.reading() as conn:
            return load_facts(conn, plan_record(conn))
    finally:
        db.dispose()


@pytest.fixture
def vietnamese() -> Iterator[None]:
    set_language("vi")
    try:
        yield
    finally:
        set_language("en")


def rules(score: PlanScore, code: str) -> list[str]:
    """The rule texts of the lines that carry points (notes left out)."""
    node = score.find(code)
    assert node is not None
    return [line.rule for line in node.explanation if line.counted]


def test_english_lines_are_unchanged(facts: PlanFacts) -> None:
    lines = rules(score_plan(facts, AS_OF), "1.2.1")
    assert lines[0] == (
        "done 14/03/2022, due 15/03/2022, evidence accepted: on time, open until every "
        "occurrence is done on time and accepted"
    )
    # The status in the words of the task list, not its code.
    assert lines[1] == (
        "in progress, due 15/06/2022, evidence none: not yet due, open until every occurrence "
        "is done on time and accepted"
    )
    # A parent's lines name the child in words, never an identifier like "at_risk".
    assert rules(score_plan(facts, AS_OF), "1.2") == [
        "open in Báo cáo đủ, đúng hạn (quý I, 6 tháng, quý III, năm)",
        "open in Nội dung, số liệu đầy đủ theo đề cương",
    ]


@pytest.mark.usefixtures("vietnamese")
def test_vietnamese_lines_of_a_tasks_criterion(facts: PlanFacts) -> None:
    lines = rules(score_plan(facts, AS_OF), "1.2.1")
    assert len(lines) == 4
    for text in lines:
        assert not ENGLISH.search(text), text
        assert "hạn" in text and "minh chứng" in text
        assert "chưa xác định cho đến khi mọi lần thực hiện" in text
    assert lines[0] == (
        "hoàn thành ngày 14/03/2022, hạn 15/03/2022, minh chứng đã chấp nhận: đúng hạn, chưa xác "
        "định cho đến khi mọi lần thực hiện hoàn thành đúng hạn và minh chứng được chấp nhận"
    )
    assert lines[1].startswith("đang thực hiện, hạn 15/06/2022, minh chứng không có: chưa đến hạn")
    assert lines[2].startswith("chưa thực hiện, hạn 15/09/2022")
    assert rules(score_plan(facts, AS_OF), "1.2") == [
        "chưa xác định ở tiêu chí Báo cáo đủ, đúng hạn (quý I, 6 tháng, quý III, năm)",
        "chưa xác định ở tiêu chí Nội dung, số liệu đầy đủ theo đề cương",
    ]


@pytest.mark.usefixtures("vietnamese")
def test_no_english_word_is_left_in_any_vietnamese_line(facts: PlanFacts) -> None:
    for as_of in (date(2022, 4, 5), AS_OF, date(2023, 1, 15)):
        score = score_plan(facts, as_of)
        english = [
            (node.code, line.subject, line.rule)
            for node in score.walk()
            for line in node.explanation
            if ENGLISH.search(line.rule) or ENGLISH.search(line.subject)
        ]
        assert english == [], english[:5]
    # Numbers in the rule text take the decimal comma, as the figures around them do.
    threshold = rules(score_plan(facts, AS_OF), "3.3.1")
    # A reading shows its numerator and denominator, so the sum can be redone.
    assert threshold[0] == "1725/1745 = 98,85%: mức ≥ 98: 2 điểm"


def test_status_and_evidence_words_follow_the_language() -> None:
    assert status_word("in_progress") == "in progress"
    assert evidence_word("submitted") == "submitted"
    set_language("vi")
    try:
        assert status_word("in_progress") == "đang thực hiện"
        assert status_word("not_started") == "chưa thực hiện"
        assert evidence_word("none") == "không có"
        assert evidence_word("accepted") == "đã chấp nhận"
    finally:
        set_language("en")
    assert status_word("not_started") == "not started"


def test_planner_explain_in_vietnamese(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from planner.cli import cli

    db = str(tmp_path / "sample.db")
    runner = CliRunner()
    loaded = runner.invoke(cli, ["--db", db, "seed", "load", str(SEED)], catch_exceptions=False)
    assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(
        cli,
        ["--db", db, "explain", "1.3", "--as-of", "13/04/2022"],
        env={"PLANNER_LANG": "vi", "COLUMNS": "200"},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert (
        "hoàn thành ngày 12/04/2022, hạn 31/03/2022, minh chứng đã nộp: hoàn thành quá hạn, "
        "chờ duyệt" in result.output
    )
    assert "mất 0,5 phần điểm được chia" in result.output
    assert "evidence" not in result.output and "due" not in result.output
