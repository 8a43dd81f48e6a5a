"""What-if and points at stake: hypothetical changes scored through the real rules, without a
store. What a coordinator relies on: a what-if of nothing is the real score; the quick
(incremental) answer is the full one; the points at stake of simple cases are what the rules
of DESIGN.md say by hand; the ranking of the tasks that matter most is stable."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.facts import (
    Confirmation,
    CriterionRule,
    IndicatorDef,
    OccurrenceFact,
    Outcome,
    PlanFacts,
    StatusEvent,
    TaskLink,
)
from planner.domain.focus import days_left, focus
from planner.domain.scoring import PlanScore, score_plan
from planner.domain.stakes import points_at_stake
from planner.domain.whatif import (
    ConfirmationChange,
    OccurrenceChange,
    ReadingChange,
    WhatIfError,
    apply_changes,
    what_if,
)
from tests.test_incremental import GRID, SETTINGS, plans

START, END = date(2022, 1, 1), date(2022, 12, 31)
APRIL = date(2022, 4, 1)


@st.composite
def occurrence_changes(draw: st.DrawFn, facts: PlanFacts) -> list[OccurrenceChange]:
    keys = [occ.key for occ in facts.occurrences]
    out = []
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.sampled_from(keys))
        kind = draw(st.sampled_from(["done", "never", "reject"]))
        out.append(
            OccurrenceChange(key, kind, None if kind == "never" else draw(st.sampled_from(GRID)))
        )
    return out


@given(st.data())
@SETTINGS
def test_a_what_if_of_nothing_is_the_real_score(data: st.DataObject) -> None:
    facts, as_of = data.draw(plans())
    result = what_if(facts, [], as_of)
    real = score_plan(facts, as_of, explain=False)
    assert result.as_of == as_of
    assert result.before == real
    assert result.after == real


@given(st.data())
@SETTINGS
def test_the_incremental_what_if_equals_scoring_the_changed_facts_in_full(
    data: st.DataObject,
) -> None:
    facts, as_of = data.draw(plans())
    changes = data.draw(occurrence_changes(facts))
    result = what_if(facts, changes, as_of)
    changed, _tasks, _latest = apply_changes(facts, changes)
    assert result.as_of >= as_of
    assert result.after == score_plan(changed, result.as_of, explain=False)
    assert result.before == score_plan(facts, result.as_of, explain=False)


@given(st.data())
@SETTINGS
def test_points_at_stake_are_the_difference_of_two_full_scores(data: st.DataObject) -> None:
    """Each loss is what scoring the hypothesis in full gives, whatever the tree."""
    facts, as_of = data.draw(plans())
    for stake in points_at_stake(facts, as_of):
        occ = stake.occurrence
        delivered = max(occ.due_on, as_of)

        def full(*changes: OccurrenceChange, day: date = stake.evaluated_on) -> PlanScore:
            return score_plan(apply_changes(facts, changes)[0], day, explain=False)

        reference = full(OccurrenceChange(occ.key, "done", delivered))
        never = full(OccurrenceChange(occ.key, "never"))
        loss = stake.loss("never")
        assert loss.projected == pytest.approx(
            reference.overall.projected - never.overall.projected, abs=1e-9
        )
        assert loss.secured == pytest.approx(
            reference.overall.secured - never.overall.secured, abs=1e-9
        )


def _plan(
    *rules: CriterionRule, occurrences: tuple[OccurrenceFact, ...], links: tuple[TaskLink, ...]
) -> PlanFacts:
    return PlanFacts(
        year=2022,
        starts_on=START,
        ends_on=END,
        criteria=rules,
        occurrences=occurrences,
        links=links,
        appraised_fields=("1",),
        survey_fields=(),
    )


def _occ(key: str, due: date, office: str = "VP", *events: StatusEvent) -> OccurrenceFact:
    return OccurrenceFact(key, key.split("@")[0], key, office, due, status_events=events)


def test_points_at_stake_follow_the_rules_by_hand() -> None:
    # 1 (2 points, tasks): T1 carries half, T2 the other half.
    facts = _plan(
        CriterionRule("1", "one", 2.0, "tasks", late_factor=0.5),
        occurrences=(_occ("T1", date(2022, 6, 30)), _occ("T2", date(2022, 9, 30))),
        links=(TaskLink("T1", "1", 0.5), TaskLink("T2", "1", 0.5)),
    )
    stakes = {s.key: s for s in points_at_stake(facts, APRIL)}
    t1 = stakes["T1"]
    assert t1.evaluated_on == date(2022, 7, 1)
    # Never done: its point is neither secured nor projected.
    assert (t1.loss("never").secured, t1.loss("never").projected) == (1.0, 1.0)
    # Late: half of its point is lost (late factor 0.5).
    assert (t1.loss("late").secured, t1.loss("late").projected) == (0.5, 0.5)
    # Evidence rejected: not secured, still projected (the evidence is expected back).
    assert (t1.loss("rejected").secured, t1.loss("rejected").projected) == (1.0, 0.0)


def test_in_mode_all_one_late_occurrence_puts_the_whole_criterion_at_stake() -> None:
    facts = _plan(
        CriterionRule("1", "reports", 1.0, "tasks", mode="all"),
        occurrences=(
            _occ("R@2022-06-15", date(2022, 6, 15)),
            _occ("R@2022-12-15", date(2022, 12, 15)),
        ),
        links=(TaskLink("R", "1", 1.0),),
    )
    stakes = {s.key: s for s in points_at_stake(facts, APRIL)}
    assert stakes["R@2022-06-15"].loss("late").projected == 1.0
    assert stakes["R@2022-06-15"].loss("never").projected == 1.0


def test_an_overdue_occurrence_can_no_longer_slip_but_is_still_worth_doing_late() -> None:
    facts = _plan(
        CriterionRule("1", "one", 2.0, "tasks", late_factor=0.5),
        occurrences=(_occ("T1", date(2022, 3, 31)),),
        links=(TaskLink("T1", "1", 1.0),),
    )
    (stake,) = points_at_stake(facts, APRIL)
    assert stake.overdue
    assert stake.loss("late").projected == 0.0
    assert stake.loss("never").projected == 1.0  # done now, late: half of 2 points


def test_the_tasks_that_matter_most_weigh_points_by_working_days_left() -> None:
    facts = _plan(
        CriterionRule("1", "one", 5.0, "tasks", late_factor=0.5),
        occurrences=(
            _occ("A", date(2022, 5, 4)),  # 1 point, 2 working days (30/4-3/5 are holidays)
            _occ("B", date(2022, 6, 30), "TCCB"),  # 2 points, far away
            _occ("C", date(2022, 3, 31)),  # overdue: 1 day left; late it earns 0.5
            _occ("D", date(2022, 5, 4)),  # 1 point, same as A: A first by code
        ),
        links=(
            TaskLink("A", "1", 0.2),
            TaskLink("B", "1", 0.4),
            TaskLink("C", "1", 0.2),
            TaskLink("D", "1", 0.2),
        ),
    )
    today = date(2022, 4, 28)
    assert days_left(today, date(2022, 5, 4)) == 2
    assert days_left(today, date(2022, 3, 31)) == 1
    ranked = focus(facts, today)
    # C (0.5 over 1 day) and A, D (1 over 2 days) tie: the earlier deadline, then the code.
    assert [item.occurrence.key for item in ranked] == ["C", "A", "D", "B"]
    assert [item.pressure for item in ranked[:3]] == pytest.approx([0.5, 0.5, 0.5])
    assert ranked[0].method == "deadline"
    assert [item.occurrence.key for item in focus(facts, today, offices=["TCCB"])] == ["B"]
    # B takes 41 of its 43 working days (29/4, May less 2-3/5, June): 2 points over 2 days.
    refined = focus(facts, today, effort={"B": 41})
    b = next(item for item in refined if item.occurrence.key == "B")
    assert b.method == "effort"
    assert b.days_left == 43
    assert b.pressure == pytest.approx(2 / 2)
    assert [item.occurrence.key for item in refined] == ["B", "C", "A", "D"]


@given(st.data())
@SETTINGS
def test_the_ranking_is_the_same_on_every_run(data: st.DataObject) -> None:
    facts, as_of = data.draw(plans())
    first = [(i.occurrence.key, i.pressure) for i in focus(facts, as_of)]
    again = [(i.occurrence.key, i.pressure) for i in focus(facts, as_of)]
    assert first == again
    pressures = [p for _key, p in first]
    assert pressures == sorted(pressures, reverse=True)


def test_readings_and_confirmations_are_scored_in_full() -> None:
    from planner.domain.facts import Band

    facts = PlanFacts(
        year=2022,
        starts_on=START,
        ends_on=END,
        criteria=(
            CriterionRule(
                "1",
                "online",
                2.0,
                "threshold",
                indicator="ON",
                bands=(Band(0.0, 0.0), Band(50.0, 1.0), Band(90.0, 2.0)),
            ),
            CriterionRule(
                "2",
                "yes/no",
                1.0,
                "condition",
                outcomes=(Outcome("yes", "yes", 1.0), Outcome("no", "no", 0.0)),
            ),
        ),
        indicators=(IndicatorDef("ON", "online"),),
        confirmations=(Confirmation("2", date(2022, 2, 1), "no"),),
        appraised_fields=("1", "2"),
        survey_fields=(),
    )
    result = what_if(
        facts,
        [
            ReadingChange("ON", date(2022, 5, 1), 95.0),
            ConfirmationChange("2", date(2022, 5, 2), "yes"),
        ],
        APRIL,
    )
    assert result.as_of == date(2022, 5, 2)
    assert result.before.overall.secured == 0.0
    assert result.after.overall.secured == 3.0
    with pytest.raises(WhatIfError, match="ZZ"):
        what_if(facts, [ReadingChange("ZZ", APRIL, 1.0)], APRIL)
    with pytest.raises(WhatIfError, match="maybe"):
        what_if(facts, [ConfirmationChange("2", APRIL, "maybe")], APRIL)


def test_a_slip_must_be_after_the_deadline_and_the_task_must_exist() -> None:
    facts = _plan(
        CriterionRule("1", "one", 1.0, "tasks"),
        occurrences=(_occ("T1", date(2022, 6, 30)),),
        links=(TaskLink("T1", "1", 1.0),),
    )
    with pytest.raises(WhatIfError, match="30/06/2022"):
        what_if(facts, [OccurrenceChange("T1", "slip", date(2022, 6, 30))], APRIL)
    with pytest.raises(WhatIfError, match="T9"):
        what_if(facts, [OccurrenceChange("T9", "done", APRIL)], APRIL)
    late = what_if(facts, [OccurrenceChange("T1", "slip", date(2022, 7, 4))], APRIL)
    assert late.as_of == date(2022, 7, 4)
    assert (late.after.overall.secured, late.after.overall.lost) == (0.5, 0.5)


@given(st.data())
@SETTINGS
def test_toggling_tasks_in_a_session_equals_scoring_the_hypothesis_in_full(
    data: st.DataObject,
) -> None:
    from planner.domain.whatif import WhatIfSession

    facts, as_of = data.draw(plans())
    session = WhatIfSession(facts, as_of)
    keys = [occ.key for occ in facts.occurrences]
    for key in data.draw(st.lists(st.sampled_from(keys), max_size=5)):
        session.toggle(key)
        changes = [OccurrenceChange(k, "done", as_of) for k in session.done]
        full = score_plan(apply_changes(facts, changes)[0], as_of, explain=False)
        assert session.score == full
    # Toggling every hypothesis off again is the real score.
    for key in list(session.done):
        session.toggle(key)
    assert session.score == score_plan(facts, as_of, explain=False)


@given(st.data())
@SETTINGS
def test_the_first_few_are_the_head_of_the_whole_ranking(data: st.DataObject) -> None:
    """Scoring only the occurrences that could enter the first few gives the same list."""
    facts, as_of = data.draw(plans())
    whole = focus(facts, as_of)
    limit = data.draw(st.integers(1, 4))
    head = focus(facts, as_of, limit=limit)
    assert [(i.occurrence.key, i.pressure) for i in head] == [
        (i.occurrence.key, i.pressure) for i in whole[:limit]
    ]
    by_office = focus(facts, as_of, limit=limit, per_office=True)
    for office in {i.occurrence.lead_office for i in whole}:
        mine = [i.occurrence.key for i in whole if i.occurrence.lead_office == office][:limit]
        assert [i.occurrence.key for i in by_office if i.occurrence.lead_office == office] == mine
