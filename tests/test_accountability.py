"""The offices board on a small hand-built plan."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.accountability import OfficeRecord, office_board
from planner.domain.facts import (
    Band,
    Confirmation,
    CriterionRule,
    EvidenceFact,
    IndicatorDef,
    OccurrenceFact,
    PlanFacts,
    Reading,
    Status,
    StatusEvent,
    TaskLink,
)
from planner.domain.scoring import score_plan

OFFICES = ["VP", "TCCB", "KHTC", "TTr", "GDMN"]


def d(day: int, month: int) -> date:
    return date(2022, month, day)


def occ(
    key: str,
    lead: str,
    due: date,
    *events: tuple[date, Status],
    evidence: tuple[EvidenceFact, ...] = (),
    support: tuple[str, ...] = (),
) -> OccurrenceFact:
    return OccurrenceFact(
        key=key,
        task_code=key.split("@")[0],
        title=key,
        lead_office=lead,
        due_on=due,
        status_events=tuple(StatusEvent(on, status) for on, status in events),
        evidence=evidence,
        supporting_offices=support,
    )


def accepted(on: date) -> tuple[EvidenceFact, ...]:
    return (EvidenceFact(1, on, accepted_on=on),)


FACTS = PlanFacts(
    year=2022,
    starts_on=d(1, 1),
    ends_on=d(31, 12),
    criteria=(
        CriterionRule(
            "1",
            "steering",
            3,
            children=(
                CriterionRule("1.1.1", "plan issued", 0.5, "tasks"),
                CriterionRule("1.2.1", "reports", 0.5, "tasks", mode="all"),
                CriterionRule("1.3", "inspection", 1, "tasks"),
                CriterionRule("1.4", "no violation", 1, "condition", lead_office="TTr"),
            ),
        ),
        # The child's maximum is twice the parent's: its points count half.
        CriterionRule(
            "3",
            "procedures",
            1,
            children=(
                CriterionRule(
                    "3.3.1",
                    "on-time rate",
                    2,
                    "threshold",
                    indicator="OT",
                    bands=(Band(100, 2), Band(95, 1)),
                    lead_office="KHTC",
                ),
            ),
        ),
    ),
    occurrences=(
        occ(
            "T01",
            "VP",
            d(31, 1),
            (d(20, 1), "done"),
            evidence=accepted(d(21, 1)),
            support=("TCCB", "KHTC"),
        ),
        occ("T04@2022-03-14", "VP", d(14, 3), (d(10, 3), "done"), evidence=accepted(d(11, 3))),
        occ("T04@2022-06-14", "VP", d(14, 6)),
        occ("T04@2022-09-14", "VP", d(14, 9)),
        occ("T04@2022-12-14", "VP", d(14, 12)),
        occ("T10", "TCCB", d(30, 4), (d(1, 3), "in_progress"), support=("VP",)),
        occ(
            "T11",
            "TCCB",
            d(31, 3),
            (d(10, 4), "done"),
            evidence=(EvidenceFact(2, d(11, 4)),),
            support=("KHTC", "KHTC"),
        ),
        occ("T08", "KHTC", d(30, 9), (d(1, 5), "cancelled"), support=("VP",)),
        occ(
            "T09", "TTr", d(30, 11), (d(1, 5), "in_progress"), evidence=(EvidenceFact(3, d(15, 5)),)
        ),
    ),
    links=(
        TaskLink("T01", "1.1.1"),
        TaskLink("T04", "1.2.1"),
        TaskLink("T10", "1.3"),
        TaskLink("T11", "1.3"),
        TaskLink("T08", "1.3"),
        TaskLink("T09", "1.4"),
    ),
    indicators=(IndicatorDef("OT", "on-time rate"),),
    readings=(Reading("OT", d(31, 5), 96),),
    confirmations=(Confirmation("1.4", d(20, 5), "no"),),
    appraised_fields=("1", "3"),
)


def board(as_of: date) -> dict[str, OfficeRecord]:
    records = office_board(FACTS, score_plan(FACTS, as_of), as_of, OFFICES)
    assert [r.office for r in records] == OFFICES
    return {r.office: r for r in records}


def test_counts_and_points_per_office() -> None:
    rows = board(d(1, 6))
    # office, tasks, occurrences, on time, late, overdue, awaiting review, supported
    counts = {
        office: (
            r.tasks_led,
            r.occurrences_led,
            r.done_on_time,
            r.done_late,
            r.overdue,
            r.awaiting_review,
            r.supported,
        )
        for office, r in rows.items()
    }
    assert counts == {
        "VP": (2, 5, 2, 0, 0, 0, 1),  # T08 it supports is cancelled
        "TCCB": (2, 2, 0, 1, 1, 1, 1),
        "KHTC": (0, 0, 0, 0, 0, 0, 2),  # listed twice on T11, counted once
        "TTr": (1, 1, 0, 0, 0, 1, 0),
        "GDMN": (0, 0, 0, 0, 0, 0, 0),
    }
    points = {office: (r.points_at_risk, r.points_lost) for office, r in rows.items()}
    assert points == pytest.approx(
        {
            "VP": (0, 0),
            # T10 overdue: its half of 1.3 at risk; T11 late: half its half lost.
            "TCCB": (0.5, 0.25),
            # 96% reaches 1 of 2 points of 3.3.1, which counts half in field 3.
            "KHTC": (0.5, 0),
            # Condition 1.4 it leads confirmed "no".
            "TTr": (0, 1),
            "GDMN": (0, 0),
        }
    )


def test_points_add_up_to_the_plan_totals() -> None:
    for as_of in (d(1, 6), d(15, 6), date(2023, 1, 1)):
        score = score_plan(FACTS, as_of)
        records = office_board(FACTS, score, as_of, OFFICES)
        assert sum(r.points_at_risk for r in records) == pytest.approx(score.overall.at_risk)
        assert sum(r.points_lost for r in records) == pytest.approx(score.overall.lost)


def test_a_missed_periodic_report_loses_the_whole_criterion_for_its_lead() -> None:
    vp = board(d(15, 6))["VP"]
    assert (vp.overdue, vp.points_lost) == (1, pytest.approx(0.5))


def test_board_keeps_the_given_order_and_rejects_mismatched_scores() -> None:
    as_of = d(1, 6)
    score = score_plan(FACTS, as_of)
    records = office_board(FACTS, score, as_of, ["GDMN", "VP", "GDMN"])
    assert [r.office for r in records] == ["GDMN", "VP"]
    assert records[0] == OfficeRecord("GDMN", 0, 0, 0, 0, 0, 0, 0.0, 0.0, 0)
    with pytest.raises(ValueError, match="as of"):
        office_board(FACTS, score, d(2, 6), OFFICES)
    with pytest.raises(ValueError, match="explanation"):
        office_board(FACTS, score_plan(FACTS, as_of, explain=False), as_of, OFFICES)
