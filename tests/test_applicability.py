"""Criteria not applicable to the unit (planner.domain.applicability): they score 0 of 0, the
four parts still add up to the maximum at every node, and the comparable score rescales."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.applicability import comparable, comparable_score, without_not_applicable
from planner.domain.facts import PlanFacts
from planner.domain.results import Totals
from planner.domain.scoring import score_plan
from planner.io.seedfile import criterion_rules, load_seed_file

SEED = Path(__file__).resolve().parents[1] / "seed" / "plan-2022.toml"
RULES = criterion_rules(load_seed_file(SEED))


def _codes(rules=RULES):  # type: ignore[no-untyped-def]
    for r in rules:
        yield r.code
        yield from _codes(r.children)


CODES = sorted(_codes())


def _facts(marked: set[str]) -> PlanFacts:
    tree, removed = without_not_applicable(RULES, marked)
    return PlanFacts(year=2022, starts_on=date(2022, 1, 1), ends_on=date(2022, 12, 31),
                     criteria=tree, not_applicable=removed)


def test_a_leaf_not_applicable_leaves_its_field_and_the_total() -> None:
    facts = _facts({"3.3.5"})
    score = score_plan(facts, date(2022, 5, 9))
    node = score.find("3.3.5")
    assert node is not None and node.max_points == 0
    assert (node.secured, node.at_risk, node.lost, node.open) == (0, 0, 0, 0)
    assert score.find("3.3").max_points == 6  # type: ignore[union-attr]
    assert score.find("3").max_points == 11  # type: ignore[union-attr]
    assert score.appraised.max_points == 55
    c = comparable_score(score, facts)
    assert [(n.code, n.points, n.field) for n in c.criteria] == [("3.3.5", 1.0, "3")]
    assert c.appraised is not None and c.appraised.full_max == 56
    assert c.survey is None


def test_the_comparable_figure_is_total_times_m_over_m_minus_not_applicable() -> None:
    totals = Totals(max_points=49, secured=21, at_risk=0, lost=0, open=28, projected=42,
                    progress=0.5)
    c = comparable(totals, 7)
    assert c is not None
    assert c.full_max == 56 and c.secured == 21 * 56 / 49 and c.projected == 42 * 56 / 49
    assert comparable(totals, 0) is None


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(CODES), max_size=6))
def test_four_parts_add_up_and_the_points_removed_are_accounted_for(marked: set[str]) -> None:
    full = sum(r.max_points for r in RULES)
    facts = _facts(marked)
    score = score_plan(facts, date(2022, 6, 30))
    for node in score.walk():
        parts = node.secured + node.at_risk + node.lost + node.open
        assert abs(parts - node.max_points) < 1e-6, node.code
        assert min(node.secured, node.at_risk, node.lost, node.open) >= -1e-9
    removed = sum(n.points for n in facts.not_applicable)
    assert abs(score.overall.max_points + removed - full) < 1e-6
    c = comparable_score(score, facts)
    if removed > 1e-9 and score.overall.max_points > 0:
        assert c.overall is not None and abs(c.overall.full_max - full) < 1e-6
        assert c.overall.secured <= c.overall.full_max + 1e-6
