"""Scoring on small hand-built plans, against figures computed by hand."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import pytest

from planner.domain.facts import (
    Band,
    Confirmation,
    CriterionEvidence,
    CriterionRule,
    EvidenceFact,
    IndicatorDef,
    ManualEntry,
    OccurrenceFact,
    Outcome,
    PlanFacts,
    Reading,
    Status,
    StatusEvent,
    TaskLink,
)
from planner.domain.scoring import (
    CriterionScore,
    Explanation,
    OccurrenceState,
    PlanScore,
    band_points,
    evidence_state,
    indicator_value,
    occurrence_state,
    score_plan,
)

START = date(2022, 1, 1)
END = date(2022, 12, 31)


def d(day: int, month: int, year: int = 2022) -> date:
    return date(year, month, day)


def occ(
    key: str,
    due: date,
    *events: tuple[date, Status],
    evidence: tuple[EvidenceFact, ...] = (),
    task: str | None = None,
    lead: str = "VP",
) -> OccurrenceFact:
    return OccurrenceFact(
        key=key,
        task_code=task or key.split("@")[0],
        title=key,
        lead_office=lead,
        due_on=due,
        status_events=tuple(StatusEvent(on, status) for on, status in events),
        evidence=evidence,
    )


def plan(*criteria: CriterionRule, **kw: object) -> PlanFacts:
    return PlanFacts(2022, START, END, criteria, **kw)  # type: ignore[arg-type]


def tasks(code: str, max_points: float, **kw: object) -> CriterionRule:
    return CriterionRule(code, code, max_points, "tasks", **kw)  # type: ignore[arg-type]


def figures(node: CriterionScore | None) -> tuple[float, ...]:
    """(secured, at_risk, lost, open, projected, progress), rounded for exact comparison."""
    assert node is not None
    values = (node.secured, node.at_risk, node.lost, node.open, node.projected, node.progress)
    return tuple(round(v, 9) for v in values)


def check_consistent(score: PlanScore) -> None:
    """Invariants every hand-built case must also satisfy, explanation included."""
    for node in score.walk():
        parts = (node.secured, node.at_risk, node.lost, node.open)
        assert math.isclose(sum(parts), node.max_points, abs_tol=1e-9), node.code
        assert min(parts) >= 0
        assert node.secured - 1e-9 <= node.projected <= node.max_points + 1e-9
        # What is lost cannot be won back.
        assert node.projected <= node.max_points - node.lost + 1e-9, node.code
        by_part = dict.fromkeys(("secured", "at_risk", "lost", "open"), 0.0)
        for line in node.explanation:
            if line.counted and line.weight is not None:
                by_part[line.part] += line.weight
        if node.method != "tasks" or any(line.counted for line in node.explanation):
            for part, value in zip(by_part, parts, strict=True):
                assert math.isclose(by_part[part], value, abs_tol=1e-9), (node.code, part)


def score(facts: PlanFacts, as_of: date) -> PlanScore:
    result = score_plan(facts, as_of)
    check_consistent(result)
    return result


# --------------------------------------------------------------------------- tasks


ACCEPTED_25_03 = EvidenceFact(1, d(21, 3), accepted_on=d(25, 3))


def test_on_time_with_accepted_evidence_on_three_dates() -> None:
    facts = plan(
        tasks("1.1.1", 0.5),
        occurrences=(occ("T01", d(31, 1), (d(20, 1), "done"), evidence=(ACCEPTED_25_03,)),),
        links=(TaskLink("T01", "1.1.1"),),
    )
    # Before the work is done: open, expected in full.
    assert figures(score(facts, d(10, 1)).find("1.1.1")) == (0, 0, 0, 0.5, 0.5, 0)
    # Done on time but the evidence is not even submitted yet: still open.
    assert figures(score(facts, d(22, 1)).find("1.1.1")) == (0, 0, 0, 0.5, 0.5, 1)
    # Evidence submitted, not yet reviewed: open.
    assert figures(score(facts, d(22, 3)).find("1.1.1")) == (0, 0, 0, 0.5, 0.5, 1)
    # Accepted: secured.
    assert figures(score(facts, d(25, 3)).find("1.1.1")) == (0.5, 0, 0, 0, 0.5, 1)


def test_late_completion_loses_the_late_factor_share() -> None:
    evidence = (EvidenceFact(1, d(11, 4), accepted_on=d(15, 4)),)
    facts = plan(
        tasks("2.2", 2.0, late_factor=0.5),
        occurrences=(occ("T02", d(31, 3), (d(10, 4), "done"), evidence=evidence),),
        links=(TaskLink("T02", "2.2"),),
    )
    # Overdue: at risk, not projected.
    s = score(facts, d(5, 4)).find("2.2")
    assert figures(s) == (0, 2, 0, 0, 0, 0)
    assert s is not None and occurrence_state(facts.occurrences[0], d(5, 4)).overdue
    # Done late, evidence pending: half lost at once, the other half open.
    assert figures(score(facts, d(12, 4)).find("2.2")) == (0, 0, 1, 1, 1, 1)
    # Accepted: the kept half is secured.
    assert figures(score(facts, d(20, 4)).find("2.2")) == (1, 0, 1, 0, 1, 1)
    # Nothing changes after the year ends.
    assert figures(score(facts, d(15, 1, 2023)).find("2.2")) == (1, 0, 1, 0, 1, 1)


def test_late_factor_zero_and_one() -> None:
    occurrences = (occ("T02", d(31, 3), (d(10, 4), "done"), evidence=(ACCEPTED_25_03,)),)
    for factor, expected in ((0.0, (0, 0, 1, 0, 0, 1)), (1.0, (1, 0, 0, 0, 1, 1))):
        facts = plan(
            tasks("2.2", 1.0, late_factor=factor),
            occurrences=occurrences,
            links=(TaskLink("T02", "2.2"),),
        )
        assert figures(score(facts, d(1, 5)).find("2.2")) == expected


def test_not_done_after_the_plan_year_is_lost() -> None:
    facts = plan(
        tasks("4.1", 2.0),
        occurrences=(occ("T10", d(31, 10), (d(1, 9), "in_progress")),),
        links=(TaskLink("T10", "4.1"),),
    )
    assert figures(score(facts, d(30, 10)).find("4.1")) == (0, 0, 0, 2, 2, 0)
    assert figures(score(facts, d(1, 11)).find("4.1")) == (0, 2, 0, 0, 0, 0)
    assert figures(score(facts, d(31, 12)).find("4.1")) == (0, 2, 0, 0, 0, 0)
    assert figures(score(facts, d(1, 1, 2023)).find("4.1")) == (0, 0, 2, 0, 0, 0)


def test_rejected_then_resubmitted_then_accepted() -> None:
    evidence = (
        EvidenceFact(1, d(21, 6), rejected_on=d(23, 6), reason="unsigned"),
        EvidenceFact(2, d(25, 6), accepted_on=d(28, 6)),
    )
    facts = plan(
        tasks("3.1", 1.0),
        occurrences=(occ("T05", d(30, 6), (d(20, 6), "done"), evidence=evidence),),
        links=(TaskLink("T05", "3.1"),),
    )
    expected = {
        d(22, 6): ("submitted", (0, 0, 0, 1, 1, 1)),
        # Rejected with nothing pending: at risk, but the work is delivered and the evidence can
        # be submitted again, so it stays in the projection.
        d(24, 6): ("rejected", (0, 1, 0, 0, 1, 1)),
        d(26, 6): ("submitted", (0, 0, 0, 1, 1, 1)),
        d(28, 6): ("accepted", (1, 0, 0, 0, 1, 1)),
    }
    for as_of, (state, numbers) in expected.items():
        assert evidence_state(evidence, as_of) == state
        assert figures(score(facts, as_of).find("3.1")) == numbers, as_of


def test_evidence_state_rules() -> None:
    submitted_later = EvidenceFact(1, d(10, 5), accepted_on=d(12, 5))
    withdrawn = EvidenceFact(2, d(1, 5), accepted_on=d(2, 5), withdrawn_on=d(3, 5))
    assert evidence_state((), d(1, 6)) == "none"
    assert evidence_state((submitted_later,), d(9, 5)) == "none"
    assert evidence_state((submitted_later,), d(11, 5)) == "submitted"
    assert evidence_state((withdrawn,), d(2, 5)) == "accepted"
    assert evidence_state((withdrawn,), d(3, 5)) == "none"
    # A later review overrides an earlier one.
    reconsidered = EvidenceFact(3, d(1, 5), rejected_on=d(2, 5), accepted_on=d(4, 5))
    assert evidence_state((reconsidered,), d(3, 5)) == "rejected"
    assert evidence_state((reconsidered,), d(4, 5)) == "accepted"


def test_occurrence_state_resolves_status_as_of_the_date() -> None:
    o = occ(
        "T03",
        d(15, 5),
        (d(1, 5), "done"),
        (d(3, 5), "in_progress"),
        (d(20, 5), "done"),
        (d(22, 5), "done"),
    )
    assert occurrence_state(o, d(30, 4)).status == "not_started"
    first = occurrence_state(o, d(2, 5))
    assert (first.status, first.done_on, first.late) == ("done", d(1, 5), False)
    reopened = occurrence_state(o, d(16, 5))
    assert (reopened.status, reopened.overdue, reopened.late) == ("in_progress", True, True)
    # Done again: the date is when it became done, not the repeated event.
    again = occurrence_state(o, d(31, 5))
    assert (again.done_on, again.late, again.overdue) == (d(20, 5), True, False)
    # Two events on one day: the later in input order wins.
    tie = occ("T04", d(1, 6), (d(1, 5), "in_progress"), (d(1, 5), "cancelled"))
    state = occurrence_state(tie, d(10, 6))
    assert (state.status, state.overdue, state.late) == ("cancelled", False, False)


def test_periodic_reports_mode_all_with_one_late_report() -> None:
    accepted = (EvidenceFact(1, d(14, 3), accepted_on=d(14, 3)),)
    reports = (
        occ("R@2022-03-14", d(14, 3), (d(10, 3), "done"), evidence=accepted),
        occ("R@2022-06-14", d(14, 6), (d(20, 6), "done"), evidence=accepted),
        occ("R@2022-09-14", d(14, 9)),
        occ("R@2022-12-14", d(14, 12)),
    )
    facts = plan(
        tasks("1.2.1", 0.5, mode="all"), occurrences=reports, links=(TaskLink("R", "1.2.1"),)
    )
    # Q1 on time, Q2 not due yet: open, expected.
    assert figures(score(facts, d(1, 6)).find("1.2.1")) == (0, 0, 0, 0.5, 0.5, 0.25)
    # Q2 missed its date: the whole criterion is lost, whatever comes later.
    lost = score(facts, d(15, 6)).find("1.2.1")
    assert figures(lost) == (0, 0, 0.5, 0, 0, 0.25)
    assert lost is not None
    assert {line.part for line in lost.explanation if line.counted} == {"lost"}
    q2 = [line for line in lost.explanation if line.subject == "R@2022-06-14"]
    assert len(q2) == 1 and "late" in q2[0].rule and q2[0].weight == pytest.approx(0.125)
    assert figures(score(facts, d(25, 6)).find("1.2.1")) == (0, 0, 0.5, 0, 0, 0.5)


def test_periodic_reports_mode_all_on_time() -> None:
    def report(month: int, evidence: tuple[EvidenceFact, ...]) -> OccurrenceFact:
        due = d(14, month)
        return occ(f"R@{due}", due, (d(10, month), "done"), evidence=evidence)

    ok = (EvidenceFact(1, d(12, 12), accepted_on=d(13, 12)),)
    rejected = (EvidenceFact(2, d(12, 12), rejected_on=d(13, 12)),)
    on_time = plan(
        tasks("1.2.1", 0.5, mode="all"),
        occurrences=tuple(report(m, ok) for m in (3, 6, 9, 12)),
        links=(TaskLink("R", "1.2.1"),),
    )
    assert figures(score(on_time, d(31, 12)).find("1.2.1")) == (0.5, 0, 0, 0, 0.5, 1)
    # Before the annual report's evidence is accepted: open.
    assert figures(score(on_time, d(12, 12)).find("1.2.1")) == (0, 0, 0, 0.5, 0.5, 1)
    one_rejected = plan(
        tasks("1.2.1", 0.5, mode="all"),
        occurrences=(*(report(m, ok) for m in (3, 6, 9)), report(12, rejected)),
        links=(TaskLink("R", "1.2.1"),),
    )
    assert figures(score(one_rejected, d(31, 12)).find("1.2.1")) == (0, 0.5, 0, 0, 0.5, 1)


def test_cancelled_task_renormalises_and_is_explained() -> None:
    accepted = (EvidenceFact(1, d(1, 3), accepted_on=d(2, 3)),)
    facts = plan(
        tasks("3.3", 1.0),
        occurrences=(
            occ("A", d(31, 3), (d(1, 3), "done"), evidence=accepted),
            occ("B", d(30, 6), (d(1, 5), "cancelled")),
        ),
        links=(TaskLink("A", "3.3", 0.5), TaskLink("B", "3.3", 0.5)),
    )
    before = score(facts, d(1, 4)).find("3.3")
    assert figures(before) == (0.5, 0, 0, 0.5, 1, 0.5)
    after = score(facts, d(1, 5)).find("3.3")
    assert figures(after) == (1, 0, 0, 0, 1, 1)
    assert after is not None
    b_lines = [line for line in after.explanation if line.subject == "B"]
    assert len(b_lines) == 1
    assert not b_lines[0].counted and "cancelled" in b_lines[0].rule
    a_line = next(line for line in after.explanation if line.subject == "A" and line.counted)
    assert a_line.weight == pytest.approx(1.0) and a_line.part == "secured"
    # The weight as given and as the share it now carries.
    a_note = next(line for line in after.explanation if line.subject == "A" and not line.counted)
    assert "weight 0.5: a share of 100% of the maximum, 1 point" in a_note.rule


def test_cancelling_rescales_to_the_shares_before_and_keeps_the_gap() -> None:
    # Weights 0.3 + 0.3 cover 0.6 of the criterion; when B is cancelled A carries all 0.6 and
    # the 0.4 no task covers stays open, never projected.
    facts = plan(
        tasks("3.3", 2.0),
        occurrences=(occ("A", d(31, 3)), occ("B", d(30, 6), (d(1, 2), "cancelled"))),
        links=(TaskLink("A", "3.3", 0.3), TaskLink("B", "3.3", 0.3)),
    )
    node = score(facts, d(1, 3)).find("3.3")
    assert figures(node) == (0, 0, 0, 2, 1.2, 0)
    assert node is not None
    gap = next(line for line in node.explanation if line.subject == "3.3" and line.counted)
    assert gap.weight == pytest.approx(0.8) and gap.part == "open"
    assert "no task covers 0.8 points of 3.3" in gap.rule
    # Before B was cancelled: 0.6 each of the two tasks' shares, the same gap.
    before = score(facts, d(31, 1)).find("3.3")
    assert figures(before) == (0, 0, 0, 2, 1.2, 0)


def test_weights_over_one_are_scaled_down_with_a_warning() -> None:
    facts = plan(
        tasks("5.4", 1.0),
        occurrences=(occ("A", d(31, 3)), occ("B", d(30, 6))),
        links=(TaskLink("A", "5.4", 1.0), TaskLink("B", "5.4", 1.0)),
    )
    node = score(facts, d(1, 3)).find("5.4")
    assert figures(node) == (0, 0, 0, 1, 1, 0)
    assert node is not None
    assert any("the weights add to 2, more than 1" in line.rule for line in node.explanation)
    shares = [line.weight for line in node.explanation if line.counted]
    assert shares == [pytest.approx(0.5), pytest.approx(0.5)]


def test_recurring_task_weight_split_over_occurrences() -> None:
    # Task M (weight 2) recurs 4 times; task P (weight 2) once: 0.25 + 0.25 + 0.25 + 0.25 of
    # half the maximum each, and P carries the other half.
    monthly = tuple(occ(f"M@2022-0{m}-28", d(28, m), task="M") for m in (1, 2, 3, 4))
    facts = plan(
        tasks("5.3", 4.0),
        occurrences=(*monthly, occ("P", d(31, 12), (d(1, 2), "done"))),
        links=(TaskLink("M", "5.3", 2.0), TaskLink("P", "5.3", 2.0)),
    )
    node = score(facts, d(1, 3)).find("5.3")
    assert node is not None
    weights = {line.subject: line.weight for line in node.explanation if line.counted}
    assert weights == {
        "M@2022-01-28": 0.5,
        "M@2022-02-28": 0.5,
        "M@2022-03-28": 0.5,
        "M@2022-04-28": 0.5,
        "P": 2.0,
    }
    # Jan and Feb overdue (at risk), Mar and Apr open, P done without evidence (open).
    assert figures(node) == (0, 1, 0, 3, 3, 0.5)


def test_no_linked_task_is_open_and_not_projected() -> None:
    facts = plan(tasks("2.3", 1.0), links=(TaskLink("GHOST", "2.3"),))
    node = score(facts, d(1, 6)).find("2.3")
    assert figures(node) == (0, 0, 0, 1, 0, 0)
    assert node is not None
    # The task with no occurrence is noted; the whole maximum is named as a gap.
    assert [line.counted for line in node.explanation] == [False, True]
    assert "no task is linked" in node.explanation[-1].rule
    assert node.explanation[-1].weight == 1.0


def test_explain_shows_rejections_but_no_withdrawn_or_later_evidence() -> None:
    evidence = (
        EvidenceFact(1, d(1, 3), accepted_on=d(2, 3), withdrawn_on=d(5, 3)),
        EvidenceFact(2, d(1, 4)),
        EvidenceFact(3, d(2, 3), rejected_on=d(4, 3), reason="no signature"),
    )
    facts = plan(
        tasks("2.5", 1.0),
        occurrences=(occ("T07", d(31, 3), (d(1, 3), "done"), evidence=evidence),),
        links=(TaskLink("T07", "2.5"),),
    )
    node = score(facts, d(10, 3)).find("2.5")
    # #1 withdrawn, #3 rejected, #2 not yet submitted: at risk, still projected.
    assert figures(node) == (0, 1, 0, 0, 1, 1)
    assert node is not None
    notes = {line.subject: line.rule for line in node.explanation if not line.counted}
    assert "T07 evidence #1" not in notes
    assert "T07 evidence #2" not in notes
    assert notes["T07 evidence #3"] == "rejected 04/03/2022: no signature"
    assert not any("after the as-of date" in line.rule for line in node.explanation)


# --------------------------------------------------------------------------- threshold

ON_TIME_BANDS = (Band(100, 3), Band(98, 2), Band(95, 1))


def test_band_edges_higher() -> None:
    rule = CriterionRule(
        "3.3.1", "on-time rate", 3, "threshold", indicator="OT", bands=ON_TIME_BANDS
    )
    assert band_points(rule, 100, "higher") == 3
    assert band_points(rule, 99.999, "higher") == 2
    assert band_points(rule, 98, "higher") == 2
    assert band_points(rule, 97.999, "higher") == 1
    assert band_points(rule, 95, "higher") == 1
    assert band_points(rule, 94.999, "higher") == 0
    # Float noise from a computed ratio still lands on the band a person expects.
    postal = CriterionRule("3.3.3", "postal", 1.5, "threshold", bands=(Band(57, 1.5),))
    assert 0.57 * 100 < 57
    assert band_points(postal, 0.57 * 100, "higher") == 1.5


def test_band_edges_lower() -> None:
    rule = CriterionRule(
        "x", "late share", 1, "threshold", indicator="L", bands=(Band(2, 1), Band(5, 0.5))
    )
    assert band_points(rule, 0, "lower") == 1
    assert band_points(rule, 2, "lower") == 1
    assert band_points(rule, 2.001, "lower") == 0.5
    assert band_points(rule, 5, "lower") == 0.5
    assert band_points(rule, 5.001, "lower") == 0


def threshold_plan(*readings: Reading, target: float | None = None, **rule_kw: object) -> PlanFacts:
    rule = CriterionRule(
        "3.3.1",
        "on-time rate",
        3,
        "threshold",
        indicator="OT",
        bands=ON_TIME_BANDS,
        **rule_kw,  # type: ignore[arg-type]
    )
    return plan(
        CriterionRule("3", "procedures", 12, children=(rule,)),
        indicators=(IndicatorDef("OT", "on-time rate", target=target),),
        readings=readings,
    )


def test_threshold_readings_as_of_dates() -> None:
    facts = threshold_plan(
        Reading("OT", d(31, 3), 97.999),
        Reading("OT", d(30, 4), None, numerator=49, denominator=50),
        Reading("OT", d(31, 5), 100),
    )
    # No reading yet and no target: open, and nothing projected beyond what is secured.
    early = score(facts, d(1, 3)).find("3.3.1")
    assert figures(early) == (0, 0, 0, 3, 0, 0)
    assert early is not None
    assert any("no target set" in line.rule for line in early.explanation)
    assert figures(score(facts, d(31, 3)).find("3.3.1")) == (1, 2, 0, 0, 1, 1)
    # 49 of 50 = 98%: exactly on the 98 band.
    april = score(facts, d(15, 5))
    assert figures(april.find("3.3.1")) == (2, 1, 0, 0, 2, 1)
    value, reading = indicator_value(facts, "OT", d(15, 5))
    assert value == 98.0 and reading is facts.readings[1]
    node = april.find("3.3.1")
    assert node is not None
    notes = [line.rule for line in node.explanation if not line.counted]
    assert any("superseded" in rule for rule in notes)
    # The reading of 31/05 is after the as-of date: not shown at all.
    assert not any("31/05/2022" in line.subject for line in node.explanation)
    # The reading shows its numerator and denominator.
    assert any(
        "49/50 = 98%: band ≥ 98: 2 points" in line.rule
        for line in node.explanation
        if line.counted
    )
    # The shortfall is lost once the plan year has ended.
    late = threshold_plan(Reading("OT", d(30, 11), 96))
    assert figures(score(late, d(31, 12)).find("3.3.1")) == (1, 2, 0, 0, 1, 1)
    assert figures(score(late, d(1, 1, 2023)).find("3.3.1")) == (1, 0, 2, 0, 1, 1)


def test_threshold_projection_uses_the_target() -> None:
    with_target = threshold_plan(Reading("OT", d(31, 3), 96), target=98)
    assert figures(score(with_target, d(1, 3)).find("3.3.1")) == (0, 0, 0, 3, 2, 0)
    assert figures(score(with_target, d(1, 4)).find("3.3.1")) == (1, 2, 0, 0, 2, 1)
    above = threshold_plan(Reading("OT", d(31, 3), 100), target=98)
    assert figures(score(above, d(1, 4)).find("3.3.1")) == (3, 0, 0, 0, 3, 1)


def test_when_empty_applies_to_a_zero_denominator() -> None:
    apology = Reading("AP", d(31, 3), None, numerator=0, denominator=0)

    def apologies(when_empty: float | None) -> PlanFacts:
        rule = CriterionRule(
            "3.3.2",
            "apologies",
            0.5,
            "threshold",
            indicator="AP",
            bands=(Band(100, 0.5),),
            when_empty=when_empty,
        )
        return plan(rule, indicators=(IndicatorDef("AP", "apologies"),), readings=(apology,))

    assert indicator_value(apologies(0.5), "AP", d(1, 4)) == (None, apology)
    assert figures(score(apologies(0.5), d(1, 4)).find("3.3.2")) == (0.5, 0, 0, 0, 0.5, 1)
    assert figures(score(apologies(0.25), d(1, 4)).find("3.3.2")) == (0.25, 0.25, 0, 0, 0.25, 1)
    assert figures(score(apologies(None), d(1, 4)).find("3.3.2")) == (0, 0, 0, 0.5, 0, 0)


def test_plan_completion_indicator() -> None:
    accepted = (EvidenceFact(1, d(1, 2), accepted_on=d(1, 2)),)
    occurrences = (
        occ("A", d(31, 1), (d(15, 1), "done"), evidence=accepted),
        occ("B", d(28, 2), (d(1, 3), "done")),  # late still counts as done
        occ("C", d(31, 3), (d(20, 3), "done")),
        occ("D", d(31, 3)),
        occ("E", d(31, 3), (d(1, 2), "cancelled")),
        occ("F", d(30, 6), (d(1, 3), "done")),  # not due yet: not counted
    )
    rule = CriterionRule(
        "1.1.2",
        "plan completion",
        1.5,
        "threshold",
        indicator="PC",
        bands=(Band(100, 1.5), Band(80, 1), Band(70, 0.5)),
    )
    facts = plan(
        rule,
        occurrences=occurrences,
        indicators=(IndicatorDef("PC", "plan completion", computed="plan_completion"),),
    )
    assert indicator_value(facts, "PC", d(1, 1)) == (None, None)
    assert figures(score(facts, d(1, 1)).find("1.1.2")) == (0, 0, 0, 1.5, 0, 0)
    value, reading = indicator_value(facts, "PC", d(1, 4))
    assert value == 75.0
    assert reading is not None and (reading.numerator, reading.denominator) == (3, 4)
    assert figures(score(facts, d(1, 4)).find("1.1.2")) == (0.5, 1, 0, 0, 0.5, 1)
    # Only A and B due, B not yet done: 1 of 2.
    assert indicator_value(facts, "PC", d(28, 2))[0] == 50.0


# --------------------------------------------------------------------------- condition, manual

DISCIPLINE = CriterionRule(
    "5.5",
    "discipline",
    1.5,
    "condition",
    outcomes=(
        Outcome("none", "none disciplined", 1.5),
        Outcome("reprimand", "reprimand", 0.5),
        Outcome("worse", "worse", 0),
    ),
)


def evidence_on(code: str, *evidence: EvidenceFact) -> tuple[CriterionEvidence, ...]:
    return tuple(CriterionEvidence(code, ev) for ev in evidence)


def test_condition_confirmed_lower_outcome() -> None:
    facts = plan(
        DISCIPLINE,
        confirmations=(
            Confirmation("5.5", d(1, 9), "reprimand"),
            Confirmation("5.5", d(1, 12), "none"),
        ),
        criterion_evidence=evidence_on("5.5", EvidenceFact(9, d(1, 9), accepted_on=d(2, 9))),
    )
    assert figures(score(facts, d(1, 8)).find("5.5")) == (0, 0, 0, 1.5, 1.5, 0)
    # Confirmed, evidence not yet accepted: the confirmed outcome at risk, the rest lost.
    assert figures(score(facts, d(1, 9)).find("5.5")) == (0, 0.5, 1, 0, 0.5, 1)
    assert figures(score(facts, d(2, 9)).find("5.5")) == (0.5, 0, 1, 0, 0.5, 1)
    assert figures(score(facts, d(1, 12)).find("5.5")) == (1.5, 0, 0, 0, 1.5, 1)


def test_condition_is_secured_only_with_accepted_evidence_on_the_criterion() -> None:
    rule = CriterionRule("1.1.3", "plan names leads", 0.5, "condition")
    confirmed = (Confirmation("1.1.3", d(1, 2), "yes"),)
    bare = score(plan(rule, confirmations=confirmed), d(1, 3)).find("1.1.3")
    assert figures(bare) == (0, 0.5, 0, 0, 0.5, 1)
    assert bare is not None
    assert any("no accepted evidence on the criterion" in line.rule for line in bare.explanation)
    rejected = evidence_on("1.1.3", EvidenceFact(4, d(1, 2), rejected_on=d(3, 2), reason="draft"))
    node = score(plan(rule, confirmations=confirmed, criterion_evidence=rejected), d(1, 3))
    explained = node.find("1.1.3")
    assert figures(explained) == (0, 0.5, 0, 0, 0.5, 1)
    assert explained is not None
    assert any(line.rule == "rejected 03/02/2022: draft" for line in explained.explanation)
    accepted = evidence_on("1.1.3", EvidenceFact(5, d(1, 2), accepted_on=d(3, 2)))
    good = score(plan(rule, confirmations=confirmed, criterion_evidence=accepted), d(1, 3))
    assert figures(good.find("1.1.3")) == (0.5, 0, 0, 0, 0.5, 1)
    # After the plan closes, a confirmation never evidenced is lost.
    closed = score(plan(rule, confirmations=confirmed), d(1, 1, 2023)).find("1.1.3")
    assert figures(closed) == (0, 0, 0.5, 0, 0, 1)


def test_condition_expected_and_unknown_outcomes() -> None:
    expecting = CriterionRule(
        "5.5",
        "discipline",
        1.5,
        "condition",
        outcomes=DISCIPLINE.outcomes,
        expected_outcome="reprimand",
    )
    assert figures(score(plan(expecting), d(1, 8)).find("5.5")) == (0, 0, 0, 1.5, 0.5, 0)
    unknown = plan(DISCIPLINE, confirmations=(Confirmation("5.5", d(1, 9), "maybe"),))
    node = score(unknown, d(1, 10)).find("5.5")
    assert figures(node) == (0, 0, 1.5, 0, 0, 1)
    assert node is not None and "unknown outcome" in node.explanation[0].rule
    # No outcomes listed: yes earns the maximum, no nothing.
    yes_no = CriterionRule("1.1.3", "plan names leads", 0.5, "condition")
    confirmed = plan(
        yes_no,
        confirmations=(Confirmation("1.1.3", d(1, 2), "yes"),),
        criterion_evidence=evidence_on("1.1.3", EvidenceFact(1, d(1, 2), accepted_on=d(1, 2))),
    )
    assert figures(score(confirmed, d(1, 3)).find("1.1.3")) == (0.5, 0, 0, 0, 0.5, 1)


def test_manual_entry() -> None:
    sipas = CriterionRule("8.1", "SIPAS", 20, "manual", expected_points=15)
    facts = plan(sipas, manual_entries=(ManualEntry("8.1", d(1, 11), 16.5),))
    assert figures(score(facts, d(1, 10)).find("8.1")) == (0, 0, 0, 20, 15, 0)
    assert figures(score(facts, d(1, 11)).find("8.1")) == (16.5, 0, 3.5, 0, 16.5, 1)
    too_many = plan(sipas, manual_entries=(ManualEntry("8.1", d(1, 11), 25),))
    assert figures(score(too_many, d(1, 12)).find("8.1")) == (20, 0, 0, 0, 20, 1)
    no_expectation = CriterionRule("8.2", "officials", 24, "manual")
    # No expected value: nothing projected beyond what is secured.
    assert figures(score(plan(no_expectation), d(1, 12)).find("8.2")) == (0, 0, 0, 24, 0, 0)


# --------------------------------------------------------------------------- the tree


def test_parent_scales_children_that_exceed_its_maximum() -> None:
    children = (
        CriterionRule("9.1", "a", 1.5, "manual"),
        CriterionRule("9.2", "b", 1.5, "condition"),
    )
    facts = plan(
        CriterionRule("9", "parent", 2, children=children),
        manual_entries=(ManualEntry("9.1", d(1, 5), 1.5),),
    )
    parent = score(facts, d(1, 6)).find("9")
    # Children add to 3 > 2: every part scaled by 2/3.
    assert figures(parent) == (1, 0, 0, 1, 2, 0.5)


def test_parent_with_room_left_keeps_it_open() -> None:
    children = (CriterionRule("9.1", "a", 1, "manual"), CriterionRule("9.2", "b", 1, "manual"))
    facts = plan(
        CriterionRule("9", "parent", 4, children=children),
        manual_entries=(ManualEntry("9.1", d(1, 5), 0.5),),
    )
    parent = score(facts, d(1, 6)).find("9")
    # 0.5 secured, 0.5 lost, 1 open (9.2, no expected value: not projected), and 2
    # unallocated: open but not projected.
    assert figures(parent) == (0.5, 0, 0.5, 3, 0.5, 0.5)


def test_totals_walk_find_and_to_dict() -> None:
    facts = plan(
        CriterionRule("1", "steering", 1, children=(CriterionRule("1.1", "x", 1, "manual"),)),
        CriterionRule("8", "survey", 20, children=(CriterionRule("8.1", "y", 20, "manual"),)),
        CriterionRule("9", "extra", 2, "condition"),
        manual_entries=(ManualEntry("1.1", d(1, 5), 0.75), ManualEntry("8.1", d(1, 5), 12.34567)),
        appraised_fields=("1",),
        survey_fields=("8",),
    )
    result = score(facts, d(1, 6))
    assert [node.code for node in result.walk()] == ["1", "1.1", "8", "8.1", "9"]
    assert result.find("8.1") is not None and result.find("nope") is None
    assert (result.appraised.max_points, result.appraised.secured) == (1, 0.75)
    assert (result.survey.max_points, result.survey.secured) == (20, 12.34567)
    assert result.overall.max_points == 23
    assert result.overall.secured == pytest.approx(13.09567)
    assert result.overall.open == 2
    assert result.overall.progress == pytest.approx(21 / 23)
    as_dict = result.criteria[1].to_dict()
    assert list(as_dict) == [
        "code",
        "title",
        "method",
        "max",
        "secured",
        "at_risk",
        "lost",
        "open",
        "projected",
        "progress",
        "children",
    ]
    assert as_dict["secured"] == 12.3457 and as_dict["children"][0]["code"] == "8.1"


def test_supporting_links_earn_nothing_but_are_explained() -> None:
    facts = plan(
        DISCIPLINE,
        occurrences=(occ("T09", d(30, 11), (d(1, 11), "done")),),
        links=(TaskLink("T09", "5.5"),),
    )
    node = score(facts, d(1, 12)).find("5.5")
    assert figures(node) == (0, 0, 0, 1.5, 1.5, 0)
    assert node is not None
    line = next(line for line in node.explanation if line.subject == "T09")
    assert not line.counted and "supporting" in line.rule


def test_explain_false_gives_the_same_figures_without_lines() -> None:
    facts = plan(
        CriterionRule("1", "f", 3, children=(tasks("1.1", 1.0), DISCIPLINE)),
        occurrences=(occ("A", d(31, 3), (d(1, 4), "done")), occ("B", d(31, 5))),
        links=(TaskLink("A", "1.1"), TaskLink("B", "1.1")),
        confirmations=(Confirmation("5.5", d(1, 5), "reprimand"),),
    )
    for as_of in (d(1, 3), d(1, 6), d(1, 1, 2023)):
        full = score_plan(facts, as_of)
        bare = score_plan(facts, as_of, explain=False)
        assert [n.to_dict() for n in full.criteria] == [n.to_dict() for n in bare.criteria]
        assert all(not node.explanation for node in bare.walk())


def test_fast_built_values_behave_like_their_dataclasses() -> None:
    # Lines and states are built without the dataclass __init__ (for speed): they must still
    # compare, hash, print and refuse assignment like instances built the ordinary way.
    o = occ("T01", d(31, 1), (d(20, 1), "done"), evidence=(ACCEPTED_25_03,))
    state = occurrence_state(o, d(1, 4))
    assert state == OccurrenceState(
        "T01", "T01", "VP", d(31, 1), "done", d(20, 1), False, False, "accepted"
    )
    assert hash(state) == hash(dataclasses.replace(state))
    node = score(plan(tasks("1", 1.0), occurrences=(o,), links=(TaskLink("T01", "1"),)), d(1, 4))
    line = next(e for e in node.find("1").explanation if e.counted)  # type: ignore[union-attr]
    assert line == Explanation("T01", line.rule, 1.0, 1.0, "secured")
    assert repr(line).startswith("Explanation(subject='T01'")
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.points = 2.0  # type: ignore[misc]
