"""What moved in a week and the dated facts that moved it (`domain.week_changes`)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.facts import (
    CriterionRule,
    EvidenceFact,
    OccurrenceFact,
    PlanFacts,
    StatusEvent,
    TaskLink,
)
from planner.domain.occurrences import occurrence_code
from planner.domain.scoring import score_plan
from planner.domain.week_changes import EPSILON, FIGURES, week_changes
from tests.test_scoring_properties import GRID, PROPERTY_SETTINGS, plans

WEEK = timedelta(days=7)


def _plan(*occurrences: OccurrenceFact, lead: str | None = None) -> PlanFacts:
    criteria = (CriterionRule("3", "Procedures", 2.0, children=(
        CriterionRule("3.1", "Publication", 1.0, method="tasks", lead_office=lead),
        CriterionRule("3.2", "Apologies", 1.0, method="tasks"),
    )),)
    links = (TaskLink("T30", "3.1", 1.0), TaskLink("T02", "3.2", 1.0))
    return PlanFacts(2022, date(2022, 1, 1), date(2022, 12, 31), criteria, occurrences, links,
                     appraised_fields=("3",), survey_fields=())


def _changes(facts: PlanFacts, day: date, office: str | None = None):  # type: ignore[no-untyped-def]
    return week_changes(facts, score_plan(facts, day - WEEK, explain=False),
                        score_plan(facts, day, explain=False), office)


def test_evidence_accepted_in_the_week_secures_its_share_and_is_named() -> None:
    accepted = OccurrenceFact(
        "T30", "T30", "Job positions", "TCCB", date(2022, 5, 31),
        status_events=(StatusEvent(date(2022, 4, 20), "done"),),
        evidence=(EvidenceFact(19, date(2022, 4, 21), accepted_on=date(2022, 5, 5)),))
    untouched = OccurrenceFact("T02", "T02", "Remedy plan", "VP", date(2022, 6, 30))
    changes = _changes(_plan(accepted, untouched), date(2022, 5, 9))
    assert [(c.code, c.leaf) for c in changes] == [("3", False), ("3.1", True)]
    leaf = changes[1]
    moves = {m.figure: round(m.delta, 2) for m in leaf.moves}
    assert moves == {"secured": 1.0}  # projected already counted it
    [cause] = leaf.causes
    assert (cause.kind, cause.on, cause.subject, cause.evidence) == (
        "accepted", date(2022, 5, 5), "T30", 19)


def test_a_deadline_passing_puts_the_share_at_risk_and_is_named() -> None:
    late = OccurrenceFact("T02", "T02", "Remedy plan", "VP", date(2022, 4, 30))
    changes = _changes(_plan(late), date(2022, 5, 2))
    leaf = next(c for c in changes if c.code == "3.2")
    assert {m.figure: round(m.delta, 2) for m in leaf.moves} == {"at_risk": 1.0,
                                                                  "projected": -1.0}
    assert [(c.kind, c.on) for c in leaf.causes] == [("deadline", date(2022, 4, 30))]


def test_an_office_sees_only_the_changes_of_its_own_tasks() -> None:
    accepted = OccurrenceFact(
        "T30", "T30", "Job positions", "TCCB", date(2022, 5, 31),
        status_events=(StatusEvent(date(2022, 4, 20), "done"),),
        evidence=(EvidenceFact(19, date(2022, 4, 21), accepted_on=date(2022, 5, 5)),))
    late = OccurrenceFact("T02", "T02", "Remedy plan", "VP", date(2022, 5, 4))
    facts = _plan(accepted, late)
    assert {c.code for c in _changes(facts, date(2022, 5, 9)) if c.leaf} == {"3.1", "3.2"}
    assert [c.code for c in _changes(facts, date(2022, 5, 9), "TCCB") if c.leaf] == ["3.1"]
    assert [c.code for c in _changes(facts, date(2022, 5, 9), "VP") if c.leaf] == ["3.2"]


def test_nothing_dated_in_the_week_means_no_change() -> None:
    quiet = OccurrenceFact("T02", "T02", "Remedy plan", "VP", date(2022, 9, 30))
    assert _changes(_plan(quiet), date(2022, 5, 9)) == ()


@given(plans(), st.sampled_from(GRID), st.sampled_from([1, 7, 30]))
@PROPERTY_SETTINGS
def test_changes_are_exactly_the_figures_that_moved_with_facts_in_the_window(
        plan: tuple[PlanFacts, date], day: date, days: int) -> None:
    facts, _as_of = plan
    before = score_plan(facts, day - timedelta(days=days), explain=False)
    after = score_plan(facts, day, explain=False)
    changes = week_changes(facts, before, after)
    listed = {c.code for c in changes if c.leaf}
    for node in after.walk():
        if node.children:
            continue
        old = before.find(node.code)
        assert old is not None
        moved = any(abs(getattr(node, f) - getattr(old, f)) >= EPSILON for f in FIGURES)
        assert (node.code in listed) == moved, node.code
    occurrences = {occ.key: occ for occ in facts.occurrences}
    closes = facts.closing_date
    for change in changes:
        node, old = after.find(change.code), before.find(change.code)
        assert node is not None and old is not None
        for move in change.moves:
            assert move.before == getattr(old, move.figure)
            assert move.after == getattr(node, move.figure)
        for cause in change.causes:
            happened = cause.on + timedelta(days=1) if cause.kind == "deadline" else cause.on
            assert before.as_of < happened <= after.as_of
            occ = occurrences.get(cause.subject)
            if occ is not None and not cause.criterion and cause.kind != "reading":
                # A task's facts are named only when its occurrence changed class.
                first, last = min(before.as_of, closes), min(after.as_of, closes)
                assert occurrence_code(occ, first) >> 1 != occurrence_code(occ, last) >> 1
