"""Evidence that expires: properties of scoring with validity ends (DESIGN "The numbers":
evidence counts as of D if it was accepted by D and is valid on D; what was secured at the
plan's closing date stays secured)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.facts import (
    CriterionEvidence,
    CriterionRule,
    EvidenceFact,
    OccurrenceFact,
    PlanFacts,
    StatusEvent,
    TaskLink,
)
from planner.domain.occurrences import evidence_state, review_state
from planner.domain.scoring import score_plan
from tests.test_scoring_properties import (
    GRID,
    PROPERTY_SETTINGS,
    TOL,
    assert_invariants,
    plans,
)

VALIDITY_ENDS = st.none() | st.sampled_from(GRID) | st.sampled_from(GRID).map(
    lambda day: day - timedelta(days=1)
)


def with_validity(facts: PlanFacts, data: st.DataObject) -> PlanFacts:
    """The same facts with a validity end drawn for every piece of evidence."""

    def valid(ev: EvidenceFact) -> EvidenceFact:
        return dataclasses.replace(ev, valid_until=data.draw(VALIDITY_ENDS))

    return dataclasses.replace(
        facts,
        occurrences=tuple(
            dataclasses.replace(occ, evidence=tuple(valid(ev) for ev in occ.evidence))
            for occ in facts.occurrences
        ),
        criterion_evidence=tuple(
            CriterionEvidence(ce.criterion_code, valid(ce.evidence))
            for ce in facts.criterion_evidence
        ),
    )


def map_evidence(facts: PlanFacts, fn: Callable[[EvidenceFact], EvidenceFact]) -> PlanFacts:
    return dataclasses.replace(
        facts,
        occurrences=tuple(
            dataclasses.replace(occ, evidence=tuple(fn(ev) for ev in occ.evidence))
            for occ in facts.occurrences
        ),
        criterion_evidence=tuple(
            CriterionEvidence(ce.criterion_code, fn(ce.evidence))
            for ce in facts.criterion_evidence
        ),
    )


def figures(facts: PlanFacts, as_of: date) -> list[dict[str, object]]:
    return [n.to_dict() for n in score_plan(facts, as_of, explain=False).criteria]


@PROPERTY_SETTINGS
@given(plans(), st.data())
def test_parts_add_up_with_validity_ends(case: tuple[PlanFacts, date], data: st.DataObject) -> None:
    facts, as_of = case
    assert_invariants(score_plan(with_validity(facts, data), as_of))


@PROPERTY_SETTINGS
@given(plans(), st.data())
def test_expired_evidence_counts_like_evidence_that_needs_replacing(
    case: tuple[PlanFacts, date], data: st.DataObject
) -> None:
    """Evidence accepted but no longer valid on the scoring date weighs exactly like evidence
    rejected with nothing pending: at risk, still projected; valid evidence like evidence with
    no end at all."""
    facts, as_of = case
    valid = with_validity(facts, data)
    on = min(as_of, facts.closing_date)

    def as_rejected(ev: EvidenceFact) -> EvidenceFact:
        if review_state(ev, on) == "expired":
            return dataclasses.replace(ev, accepted_on=None, rejected_on=ev.accepted_on,
                                       valid_until=None)
        return dataclasses.replace(ev, valid_until=None)

    assert figures(valid, as_of) == figures(map_evidence(valid, as_rejected), as_of)


@PROPERTY_SETTINGS
@given(plans(), st.data())
def test_a_validity_end_never_raises_secured(
    case: tuple[PlanFacts, date], data: st.DataObject
) -> None:
    facts, as_of = case
    with_end = score_plan(with_validity(facts, data), as_of, explain=False)
    without = score_plan(facts, as_of, explain=False)
    for a, b in zip(with_end.walk(), without.walk(), strict=True):
        assert a.secured <= b.secured + TOL, a.code
    assert with_end.overall.secured <= without.overall.secured + TOL


@PROPERTY_SETTINGS
@given(plans(), st.data())
def test_an_expiry_after_the_plan_closes_changes_nothing(
    case: tuple[PlanFacts, date], data: st.DataObject
) -> None:
    """What was secured at the closing date stays secured, whatever the as-of date."""
    facts, as_of = case
    close = facts.closing_date
    later = st.sampled_from([close, close + timedelta(days=1), close + timedelta(days=400)])

    def ends_after_close(ev: EvidenceFact) -> EvidenceFact:
        return dataclasses.replace(ev, valid_until=data.draw(later))

    assert figures(map_evidence(facts, ends_after_close), as_of) == figures(facts, as_of)


def test_evidence_is_valid_on_its_last_day_and_expired_the_next() -> None:
    ev = EvidenceFact(1, date(2022, 3, 1), accepted_on=date(2022, 3, 5),
                      valid_until=date(2022, 6, 30))
    assert review_state(ev, date(2022, 3, 4)) == "pending"
    assert review_state(ev, date(2022, 6, 30)) == "accepted"
    assert review_state(ev, date(2022, 7, 1)) == "expired"
    # A second piece still valid wins; a pending one means it is being replaced.
    fresh = EvidenceFact(2, date(2022, 6, 20), accepted_on=date(2022, 6, 25))
    assert evidence_state((ev, fresh), date(2022, 7, 1)) == "accepted"
    waiting = EvidenceFact(3, date(2022, 6, 28))
    assert evidence_state((ev, waiting), date(2022, 7, 1)) == "submitted"
    assert evidence_state((ev,), date(2022, 7, 1)) == "expired"


def _plan(evidence: tuple[EvidenceFact, ...], closes_on: date | None = None) -> PlanFacts:
    occ = OccurrenceFact(
        key="T01", task_code="T01", title="Báo cáo", lead_office="VP", due_on=date(2022, 3, 31),
        status_events=(StatusEvent(date(2022, 3, 20), "done"),), evidence=evidence,
    )
    return PlanFacts(
        year=2022, starts_on=date(2022, 1, 1), ends_on=date(2022, 12, 31),
        criteria=(CriterionRule("1", "Field", 2.0, "sum", children=(
            CriterionRule("1.1", "Leaf", 2.0, "tasks"),)),),
        occurrences=(occ,), links=(TaskLink("T01", "1.1", 1.0),), closes_on=closes_on,
    )


def test_from_its_end_date_the_points_move_to_at_risk_and_explain_says_why() -> None:
    ev = EvidenceFact(7, date(2022, 3, 25), accepted_on=date(2022, 3, 28),
                      valid_until=date(2022, 6, 30))
    facts = _plan((ev,))
    on_last_day = score_plan(facts, date(2022, 6, 30)).criteria[0].children[0]
    assert (on_last_day.secured, on_last_day.at_risk) == (2.0, 0.0)
    after = score_plan(facts, date(2022, 7, 1)).criteria[0].children[0]
    assert (after.secured, after.at_risk, after.projected) == (0.0, 2.0, 2.0)
    rules = [line.rule for line in after.explanation]
    assert any("evidence expired: new evidence needed" in r for r in rules), rules
    assert any(
        line.subject == "T01 evidence #7"
        and line.rule == "expired on 01/07/2022 (valid until 30/06/2022): new evidence is needed"
        for line in after.explanation
    ), after.explanation
    # After the year closes, what expired during it is lost.
    closed = score_plan(facts, date(2023, 2, 1)).criteria[0].children[0]
    assert (closed.secured, closed.lost) == (0.0, 2.0)


def test_secured_at_the_close_stays_secured_when_the_evidence_expires_later() -> None:
    ev = EvidenceFact(7, date(2022, 3, 25), accepted_on=date(2022, 3, 28),
                      valid_until=date(2023, 1, 10))
    facts = _plan((ev,), closes_on=date(2023, 1, 15))
    # Expired before the closing date (10/01 < 15/01): lost once the plan closes.
    assert score_plan(facts, date(2023, 3, 1)).criteria[0].secured == 0.0
    facts = _plan((dataclasses.replace(ev, valid_until=date(2023, 1, 15)),),
                  closes_on=date(2023, 1, 15))
    node = score_plan(facts, date(2023, 3, 1)).criteria[0].children[0]
    assert node.secured == 2.0
    assert any("counted as secured at the close" in line.rule for line in node.explanation)
