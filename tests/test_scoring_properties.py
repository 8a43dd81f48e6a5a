"""Properties of scoring over random criteria trees and random event histories."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from planner.domain.scoring import PlanScore, occurrence_state, score_plan

START = date(2022, 1, 1)
END = date(2022, 12, 31)
TOL = 1e-9

PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Dates on a coarse grid (one before the year, two a month within it, two after it ends), so
# that due dates, status changes, reviews and the as-of date often coincide or straddle.
GRID = (
    date(2021, 12, 15),
    *(date(2022, month, day) for month in range(1, 13) for day in (1, 15)),
    date(2022, 12, 31),
    date(2023, 1, 15),
)
days = st.sampled_from(GRID)
maxima = st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0])
statuses: st.SearchStrategy[Status] = st.sampled_from(
    ["not_started", "in_progress", "done", "done", "paused", "cancelled"]
)
INDICATORS = ("OT", "LATE", "PC")


@st.composite
def evidence_facts(draw: st.DrawFn, ident: int) -> EvidenceFact:
    submitted = draw(days)
    after = st.sampled_from([day for day in GRID if day >= submitted])
    # Draw the review explicitly: independent optional dates make "rejected" too rare to test.
    review = draw(st.sampled_from(["pending", "accepted", "rejected", "rejected", "both"]))
    accepted = draw(after) if review in ("accepted", "both") else None
    rejected = draw(after) if review in ("rejected", "both") else None
    return EvidenceFact(
        id=ident,
        submitted_on=submitted,
        accepted_on=accepted,
        rejected_on=rejected,
        withdrawn_on=draw(st.none() | st.none() | st.none() | after),
    )


@st.composite
def occurrences(draw: st.DrawFn, task: str, index: int) -> OccurrenceFact:
    events = draw(st.lists(st.tuples(days, statuses), max_size=3))
    evidence = [draw(evidence_facts(i)) for i in range(draw(st.integers(0, 2)))]
    return OccurrenceFact(
        key=f"{task}@{index}",
        task_code=task,
        title=task,
        lead_office=draw(st.sampled_from(["VP", "TCCB", "KHTC"])),
        due_on=draw(days),
        status_events=tuple(StatusEvent(on, status) for on, status in events),
        evidence=tuple(evidence),
        supporting_offices=tuple(draw(st.lists(st.sampled_from(["VP", "TTr"]), max_size=2))),
    )


@st.composite
def leaves(draw: st.DrawFn, code: str) -> CriterionRule:
    method = draw(st.sampled_from(["tasks", "tasks", "threshold", "condition", "manual"]))
    max_points = draw(maxima)
    if method == "tasks":
        return CriterionRule(
            code,
            code,
            max_points,
            "tasks",
            late_factor=draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
            mode=draw(st.sampled_from(["share", "share", "all"])),
        )
    if method == "threshold":
        bands = draw(
            st.lists(
                st.builds(Band, st.sampled_from([0.0, 20.0, 50.0, 95.0, 98.0, 100.0]), maxima),
                max_size=3,
            )
        )
        return CriterionRule(
            code,
            code,
            max_points,
            "threshold",
            indicator=draw(st.sampled_from([*INDICATORS, "NONE"])),
            bands=tuple(bands),
            when_empty=draw(st.none() | maxima),
        )
    if method == "condition":
        outcomes = draw(
            st.lists(st.builds(Outcome, st.sampled_from(["a", "b", "c"]), st.just("x"), maxima))
        )
        return CriterionRule(
            code,
            code,
            max_points,
            "condition",
            outcomes=tuple(outcomes),
            expected_outcome=draw(st.none() | st.sampled_from(["a", "b", "z"])),
            lead_office=draw(st.none() | st.just("VP")),
        )
    return CriterionRule(
        code, code, max_points, "manual", expected_points=draw(st.none() | st.floats(-1, 30))
    )


@st.composite
def trees(draw: st.DrawFn, code: str, depth: int) -> CriterionRule:
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        return draw(leaves(code))
    count = draw(st.integers(1, 3))
    children = tuple(draw(trees(f"{code}.{i}", depth - 1)) for i in range(1, count + 1))
    return CriterionRule(code, code, draw(maxima), "sum", children=children)


def leaf_rules(rule: CriterionRule) -> list[CriterionRule]:
    if not rule.children:
        return [rule]
    return [leaf for child in rule.children for leaf in leaf_rules(child)]


@st.composite
def plans(draw: st.DrawFn) -> tuple[PlanFacts, date]:
    roots = tuple(draw(trees(str(i), 2)) for i in range(1, draw(st.integers(1, 3)) + 1))
    codes = [leaf.code for root in roots for leaf in leaf_rules(root)]
    tasks = [f"T{i}" for i in range(draw(st.integers(1, 4)))]
    occs = [
        draw(occurrences(task, index)) for task in tasks for index in range(draw(st.integers(1, 3)))
    ]
    weights = st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0])
    # Every task linked at least once, so most occurrences matter to some criterion.
    links = [TaskLink(task, draw(st.sampled_from(codes)), draw(weights)) for task in tasks]
    links += draw(
        st.lists(
            st.builds(
                TaskLink, st.sampled_from([*tasks, "GHOST"]), st.sampled_from(codes), weights
            ),
            max_size=3,
        )
    )
    values = st.none() | st.floats(0, 110)
    readings = draw(
        st.lists(
            st.builds(
                Reading,
                st.sampled_from(["OT", "LATE", "PC"]),
                days,
                values,
                st.none() | st.sampled_from([0.0, 3.0, 49.0]),
                st.none() | st.sampled_from([0.0, 50.0]),
            ),
            max_size=5,
        )
    )
    indicators = (
        IndicatorDef("OT", "on time", target=draw(st.none() | st.floats(0, 110))),
        IndicatorDef("LATE", "late", direction="lower", target=draw(st.none() | st.floats(0, 10))),
        # Plan completion only ever rises when work is done; its direction is "higher".
        IndicatorDef(
            "PC",
            "completion",
            computed="plan_completion",
            target=draw(st.none() | st.floats(0, 100)),
        ),
    )
    confirmations = draw(
        st.lists(st.builds(Confirmation, st.sampled_from(codes), days, st.sampled_from("abcz")))
    )
    entries = draw(
        st.lists(st.builds(ManualEntry, st.sampled_from(codes), days, st.floats(-5, 30)))
    )
    criterion_evidence = [
        CriterionEvidence(draw(st.sampled_from(codes)), draw(evidence_facts(50 + i)))
        for i in range(draw(st.integers(0, 2)))
    ]
    facts = PlanFacts(
        year=2022,
        starts_on=START,
        ends_on=END,
        criteria=roots,
        occurrences=tuple(occs),
        links=tuple(links),
        indicators=indicators,
        readings=tuple(readings),
        confirmations=tuple(confirmations),
        manual_entries=tuple(entries),
        appraised_fields=("1", "2"),
        survey_fields=("3",),
        # The self-assessment cut-off: often mid-January; None closes the plan on 31/12.
        closes_on=draw(st.sampled_from([None, None, date(2023, 1, 1), date(2023, 1, 15)])),
        criterion_evidence=tuple(criterion_evidence),
    )
    return facts, draw(days)


def assert_invariants(score: PlanScore) -> None:
    for node in score.walk():
        parts = (node.secured, node.at_risk, node.lost, node.open)
        assert math.isclose(sum(parts), node.max_points, abs_tol=TOL), node
        assert min(parts) >= 0, node
        assert node.secured - TOL <= node.projected <= node.max_points + TOL, node
        # What is lost cannot be won back (DESIGN.md "Edge cases, decided").
        assert node.projected <= node.max_points - node.lost + TOL, node
        assert 0 <= node.progress <= 1, node
        # The counted lines of `explain` add up, part by part, to the node's figures.
        if node.explanation:
            by_part = dict.fromkeys(("secured", "at_risk", "lost", "open"), 0.0)
            for line in node.explanation:
                if line.counted and line.weight is not None:
                    by_part[line.part] += line.weight
            for part, value in zip(by_part, parts, strict=True):
                assert math.isclose(by_part[part], value, abs_tol=1e-6), (node.code, part)
    for totals in (score.appraised, score.survey, score.overall):
        parts = (totals.secured, totals.at_risk, totals.lost, totals.open)
        assert math.isclose(sum(parts), totals.max_points, abs_tol=1e-6)
        assert 0 <= totals.progress <= 1


@PROPERTY_SETTINGS
@given(plans())
def test_parts_add_up_and_stay_in_bounds(case: tuple[PlanFacts, date]) -> None:
    facts, as_of = case
    result = score_plan(facts, as_of)
    assert_invariants(result)
    bare = score_plan(facts, as_of, explain=False)
    assert [n.to_dict() for n in bare.criteria] == [n.to_dict() for n in result.criteria]


@PROPERTY_SETTINGS
@given(plans())
def test_after_the_plan_closes_nothing_is_open_at_risk_or_projected(
    case: tuple[PlanFacts, date],
) -> None:
    facts, _as_of = case
    closed_on = facts.closing_date + timedelta(days=1)
    for as_of in (closed_on, closed_on + timedelta(days=40)):
        result = score_plan(facts, as_of)
        assert_invariants(result)
        for node in result.walk():
            assert node.at_risk <= TOL and node.open <= TOL, node
            assert math.isclose(node.projected, node.secured, abs_tol=TOL), node
        # Whatever is dated after the closing date changes nothing.
        at_close = score_plan(facts, facts.closing_date, explain=False)
        for closed, last in zip(result.walk(), at_close.walk(), strict=True):
            assert math.isclose(closed.secured, last.secured, abs_tol=TOL), (closed, last)


@PROPERTY_SETTINGS
@given(plans(), st.data())
def test_accepting_pending_evidence_never_lowers_secured(
    case: tuple[PlanFacts, date], data: st.DataObject
) -> None:
    facts, as_of = case
    if not facts.occurrences:
        return
    # Give a random occurrence a piece of evidence pending as of the date, then accept it.
    i = data.draw(st.integers(0, len(facts.occurrences) - 1))
    occ = facts.occurrences[i]
    submitted = as_of - timedelta(days=data.draw(st.integers(0, 60)))
    accepted = submitted + timedelta(days=data.draw(st.integers(0, (as_of - submitted).days)))
    later = st.none() | st.integers(1, 30).map(lambda n: as_of + timedelta(days=n))
    pending = EvidenceFact(
        99, submitted, rejected_on=data.draw(later), withdrawn_on=data.draw(later)
    )

    def with_evidence(ev: EvidenceFact) -> PlanFacts:
        occurrences = list(facts.occurrences)
        occurrences[i] = dataclasses.replace(occ, evidence=(*occ.evidence, ev))
        return dataclasses.replace(facts, occurrences=tuple(occurrences))

    before = score_plan(with_evidence(pending), as_of, explain=False)
    after = score_plan(with_evidence(dataclasses.replace(pending, accepted_on=accepted)), as_of)
    assert_invariants(after)
    for old, new in zip(before.walk(), after.walk(), strict=True):
        assert new.secured >= old.secured - TOL, (old, new)


@PROPERTY_SETTINGS
@given(plans(), st.data())
def test_marking_work_done_never_lowers_projected(
    case: tuple[PlanFacts, date], data: st.DataObject
) -> None:
    facts, as_of = case
    # A cancelled occurrence is out of the plan; reviving it is not "marking work done".
    states = [occurrence_state(occ, as_of) for occ in facts.occurrences]
    candidates = [i for i, state in enumerate(states) if state.status != "cancelled"]
    if not candidates:
        return
    # Work not done and not yet due is where marking it done moves the most; favour it.
    pending_work = [i for i in candidates if states[i].status != "done" and not states[i].overdue]
    favour = data.draw(st.booleans())
    pool = pending_work if pending_work and favour else candidates
    i = data.draw(st.sampled_from(pool))
    occ = facts.occurrences[i]
    tasks_leaves = [
        leaf
        for root in facts.criteria
        for leaf in leaf_rules(root)
        if leaf.method == "tasks" and leaf.max_points > 0
    ]
    links = facts.links
    if tasks_leaves:
        # Make sure the occurrence counts somewhere, in mode "share" or "all".
        leaf = data.draw(st.sampled_from(tasks_leaves))
        links = (*links, TaskLink(occ.task_code, leaf.code, 1.0))
    done_on = data.draw(st.sampled_from([day for day in (*GRID, as_of) if day <= as_of]))
    submitted = data.draw(st.sampled_from([day for day in (*GRID, as_of) if day <= as_of]))
    # Every evidence state of the chosen occurrence, in both plans: rejected evidence is the
    # case that matters and too rare in a random plan; scoring is cheap next to generation.
    variants: list[tuple[EvidenceFact, ...]] = [
        occ.evidence,
        (),
        (EvidenceFact(100, submitted),),
        (EvidenceFact(100, submitted, accepted_on=as_of),),
        (EvidenceFact(100, submitted, rejected_on=as_of),),
    ]
    for evidence in variants:
        unmarked = dataclasses.replace(occ, evidence=evidence)
        marked = dataclasses.replace(
            unmarked, status_events=(*occ.status_events, StatusEvent(done_on, "done"))
        )

        def with_occurrence(changed: OccurrenceFact) -> PlanFacts:
            occurrences = list(facts.occurrences)
            occurrences[i] = changed
            return dataclasses.replace(facts, occurrences=tuple(occurrences), links=links)

        before = score_plan(with_occurrence(unmarked), as_of, explain=False)
        after = score_plan(with_occurrence(marked), as_of, explain=False)
        assert_invariants(after)
        for old, new in zip(before.walk(), after.walk(), strict=True):
            assert new.projected >= old.projected - TOL, (evidence, old, new)
