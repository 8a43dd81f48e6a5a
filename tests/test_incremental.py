"""Incremental scoring: `rescore` after task changes equals `score_plan` from scratch, and
`LiveScore` after service calls equals a fresh `plan_score`."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.facts import (
    Band,
    Confirmation,
    CriterionRule,
    EvidenceFact,
    IndicatorDef,
    ManualEntry,
    OccurrenceFact,
    PlanFacts,
    Reading,
    Status,
    StatusEvent,
    TaskLink,
)
from planner.domain.scoring import CriterionScore, PlanScore, rescore, score_plan, with_task

START = date(2022, 1, 1)
END = date(2022, 12, 31)
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
weights = st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0])

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- strategies


@st.composite
def evidence(draw: st.DrawFn, ident: int) -> EvidenceFact:
    submitted = draw(days)
    after = st.sampled_from([day for day in GRID if day >= submitted])
    review = draw(st.sampled_from(["pending", "accepted", "rejected", "both"]))
    return EvidenceFact(
        id=ident,
        submitted_on=submitted,
        accepted_on=draw(after) if review in ("accepted", "both") else None,
        rejected_on=draw(after) if review in ("rejected", "both") else None,
        withdrawn_on=draw(st.none() | st.none() | after),
    )


@st.composite
def task_occurrences(draw: st.DrawFn, task: str) -> list[OccurrenceFact]:
    """A task's occurrences: one, or several (a recurring task)."""
    out = []
    for index in range(draw(st.integers(1, 3))):
        events = draw(st.lists(st.tuples(days, statuses), max_size=3))
        out.append(
            OccurrenceFact(
                key=f"{task}@{index}",
                task_code=task,
                title=task,
                lead_office=draw(st.sampled_from(["VP", "TCCB"])),
                due_on=draw(days),
                status_events=tuple(StatusEvent(on, status) for on, status in events),
                evidence=tuple(draw(evidence(i)) for i in range(draw(st.integers(0, 2)))),
            )
        )
    return out


@st.composite
def leaf(draw: st.DrawFn, code: str) -> CriterionRule:
    method = draw(st.sampled_from(["tasks", "tasks", "tasks", "threshold", "condition", "manual"]))
    if method == "tasks":
        return CriterionRule(
            code,
            code,
            draw(maxima),
            "tasks",
            late_factor=draw(st.sampled_from([0.0, 0.5, 1.0])),
            mode=draw(st.sampled_from(["share", "share", "all"])),
        )
    if method == "threshold":
        return CriterionRule(
            code,
            code,
            draw(maxima),
            "threshold",
            # PC (plan completion) is computed from every occurrence of the plan.
            indicator=draw(st.sampled_from(["PC", "PC", "OT"])),
            bands=(Band(0.0, 0.25), Band(50.0, 1.0), Band(100.0, 2.0)),
        )
    return CriterionRule(code, code, draw(maxima), method)  # type: ignore[arg-type]


@st.composite
def tree(draw: st.DrawFn, code: str, depth: int) -> CriterionRule:
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        return draw(leaf(code))
    children = tuple(
        draw(tree(f"{code}.{i}", depth - 1)) for i in range(1, draw(st.integers(1, 3)) + 1)
    )
    return CriterionRule(code, code, draw(maxima), "sum", children=children)


def leaf_codes(rule: CriterionRule) -> list[str]:
    if not rule.children:
        return [rule.code]
    return [code for child in rule.children for code in leaf_codes(child)]


def all_codes(rule: CriterionRule) -> list[str]:
    return [rule.code, *(code for child in rule.children for code in all_codes(child))]


@st.composite
def plans(draw: st.DrawFn) -> tuple[PlanFacts, date]:
    roots = tuple(draw(tree(str(i), 2)) for i in range(1, draw(st.integers(1, 3)) + 1))
    # Links to any node, parents included (a supporting link on a parent is explained).
    codes = [code for root in roots for code in all_codes(root)]
    tasks = [f"T{i}" for i in range(draw(st.integers(1, 5)))]
    occurrences = [occ for task in tasks for occ in draw(task_occurrences(task))]
    if draw(st.booleans()):
        # Interleave tasks: the store groups them, but any order must give the same figures.
        occurrences = draw(st.permutations(occurrences))
    links = [TaskLink(task, draw(st.sampled_from(codes)), draw(weights)) for task in tasks]
    links += draw(
        st.lists(
            st.builds(
                TaskLink, st.sampled_from([*tasks, "GHOST"]), st.sampled_from(codes), weights
            ),
            max_size=4,
        )
    )
    facts = PlanFacts(
        year=2022,
        starts_on=START,
        ends_on=END,
        criteria=roots,
        occurrences=tuple(occurrences),
        links=tuple(links),
        indicators=(
            IndicatorDef("OT", "on time", target=draw(st.none() | st.just(90.0))),
            IndicatorDef("PC", "completion", computed="plan_completion"),
        ),
        readings=tuple(
            draw(st.lists(st.builds(Reading, st.just("OT"), days, st.floats(0, 100)), max_size=2))
        ),
        confirmations=tuple(
            draw(
                st.lists(
                    st.builds(
                        Confirmation, st.sampled_from(codes), days, st.sampled_from(["yes", "no"])
                    ),
                    max_size=2,
                )
            )
        ),
        manual_entries=tuple(
            draw(
                st.lists(
                    st.builds(ManualEntry, st.sampled_from(codes), days, st.floats(0, 3)),
                    max_size=2,
                )
            )
        ),
        appraised_fields=("1", "2"),
        survey_fields=("3",),
    )
    return facts, draw(days)


@st.composite
def changes(draw: st.DrawFn, facts: PlanFacts) -> tuple[PlanFacts, set[str]]:
    """Some tasks changed: edited (new history, evidence, due dates, occurrences), deleted,
    added, or linked differently."""
    tasks = sorted({occ.task_code for occ in facts.occurrences})
    codes = [code for root in facts.criteria for code in all_codes(root)]
    changed: set[str] = set()
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["edit", "edit", "edit", "delete", "add", "relink"]))
        if kind == "add" or not tasks:
            task = f"N{draw(st.integers(0, 3))}"
        else:
            task = draw(st.sampled_from(tasks))
        links: list[TaskLink] | None = None
        if kind == "delete":
            occurrences: list[OccurrenceFact] = []
            links = [] if draw(st.booleans()) else None  # links may outlive the task
        else:
            occurrences = draw(task_occurrences(task))
        if kind in ("add", "relink"):
            links = [
                TaskLink(task, draw(st.sampled_from(codes)), draw(weights))
                for _ in range(draw(st.integers(0, 2)))
            ]
        facts = with_task(facts, task, occurrences, links)
        changed.add(task)
    return facts, changed


def assert_same(got: PlanScore, expected: PlanScore) -> None:
    assert got == expected
    assert [node.explanation for node in got.walk()] == [
        node.explanation for node in expected.walk()
    ]


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(plans(), st.booleans(), st.data())
def test_rescore_after_random_changes_equals_scoring_from_scratch(
    case: tuple[PlanFacts, date], explain: bool, data: st.DataObject
) -> None:
    facts, as_of = case
    score = score_plan(facts, as_of, explain=explain)
    # Several rounds: each rescore starts from the previous rescore.
    for _ in range(data.draw(st.integers(1, 3))):
        facts, changed = data.draw(changes(facts))
        score = rescore(score, facts, changed, as_of)
        assert_same(score, score_plan(facts, as_of, explain=explain))


@SETTINGS
@given(plans(), st.data())
def test_rescore_reuses_every_node_the_change_does_not_touch(
    case: tuple[PlanFacts, date], data: st.DataObject
) -> None:
    facts, as_of = case
    before = score_plan(facts, as_of, explain=False)
    new_facts, changed = data.draw(changes(facts))
    after = rescore(before, new_facts, changed, as_of)
    touched = {
        link.criterion_code
        for link in (*facts.links, *new_facts.links)
        if link.task_code in changed
    }
    plan_completion = {
        node.code
        for root in facts.criteria
        for node in _rules(root)
        if node.method == "threshold" and node.indicator == "PC"
    }
    for old_node, new_node in zip(before.walk(), after.walk(), strict=True):
        subtree = {node.code for node in _nodes(old_node)}
        if subtree & (touched | plan_completion):
            continue
        assert new_node is old_node, old_node.code


def _rules(rule: CriterionRule) -> list[CriterionRule]:
    return [rule, *(r for child in rule.children for r in _rules(child))]


def _nodes(node: CriterionScore) -> list[CriterionScore]:
    return [node, *(n for child in node.children for n in _nodes(child))]


# --------------------------------------------------------------------------- examples


def occ(
    key: str, due: date, *events: tuple[date, str], evidence: tuple[EvidenceFact, ...] = ()
) -> OccurrenceFact:
    return OccurrenceFact(
        key=key,
        task_code=key.split("@")[0],
        title=key,
        lead_office="VP",
        due_on=due,
        status_events=tuple(StatusEvent(on, status) for on, status in events),  # type: ignore[arg-type]
        evidence=evidence,
    )


def sample() -> PlanFacts:
    tasks = CriterionRule(
        "1",
        "field",
        6,
        children=(
            CriterionRule("1.1", "a", 2, "tasks"),
            CriterionRule("1.2", "b", 2, "tasks"),
            CriterionRule(
                "1.3",
                "completion",
                2,
                "threshold",
                indicator="PC",
                bands=(Band(50, 1), Band(100, 2)),
            ),
        ),
    )
    other = CriterionRule("2", "field", 2, children=(CriterionRule("2.1", "c", 2, "tasks"),))
    return PlanFacts(
        year=2022,
        starts_on=START,
        ends_on=END,
        criteria=(tasks, other),
        occurrences=(
            occ("A", date(2022, 3, 31)),
            occ("B", date(2022, 3, 31), (date(2022, 3, 1), "done")),
            occ("C", date(2022, 9, 30)),
        ),
        links=(TaskLink("A", "1.1"), TaskLink("B", "1.2"), TaskLink("C", "2.1")),
        indicators=(IndicatorDef("PC", "completion", computed="plan_completion"),),
        appraised_fields=("1", "2"),
    )


def test_marking_a_task_done_rescored() -> None:
    facts = sample()
    as_of = date(2022, 5, 9)
    before = score_plan(facts, as_of, explain=False)
    done = occ(
        "A",
        date(2022, 3, 31),
        (date(2022, 4, 10), "done"),
        evidence=(EvidenceFact(1, date(2022, 4, 10), accepted_on=date(2022, 4, 12)),),
    )
    after_facts = with_task(facts, "A", [done])
    after = rescore(before, after_facts, {"A"}, as_of)
    assert after == score_plan(after_facts, as_of, explain=False)
    # Done late with accepted evidence: half of 1.1 secured, half lost.
    node = after.find("1.1")
    assert node is not None and (node.secured, node.lost) == (1.0, 1.0)
    # Plan completion went from 1 of 2 due to 2 of 2: the full band.
    completion = after.find("1.3")
    assert completion is not None and completion.secured == 2.0
    # Field 2 was not touched: the same object.
    assert after.find("2") is before.find("2")
    assert after.find("1.2") is before.find("1.2")


def test_a_task_not_yet_due_leaves_plan_completion_alone() -> None:
    facts = sample()
    as_of = date(2022, 5, 9)
    before = score_plan(facts, as_of)
    started = with_task(
        facts, "C", [occ("C", date(2022, 9, 30), (date(2022, 5, 2), "in_progress"))]
    )
    after = rescore(before, started, {"C"}, as_of)
    assert_same(after, score_plan(started, as_of))
    assert after.find("1") is before.find("1")


def test_new_and_deleted_tasks() -> None:
    facts = sample()
    as_of = date(2022, 5, 9)
    before = score_plan(facts, as_of)
    added = with_task(
        facts,
        "D",
        [occ("D", date(2022, 4, 1), (date(2022, 3, 20), "done"))],
        [TaskLink("D", "2.1", 2.0)],
    )
    assert added.occurrences[-1].key == "D" and added.links[-1] == TaskLink("D", "2.1", 2.0)
    after_add = rescore(before, added, {"D"}, as_of)
    assert_same(after_add, score_plan(added, as_of))
    removed = with_task(added, "B", [], [])
    assert all(o.task_code != "B" for o in removed.occurrences)
    assert all(link.task_code != "B" for link in removed.links)
    after_delete = rescore(after_add, removed, {"B"}, as_of)
    assert_same(after_delete, score_plan(removed, as_of))


def test_rescore_falls_back_to_a_full_score_when_more_than_tasks_changed() -> None:
    facts = sample()
    as_of = date(2022, 5, 9)
    before = score_plan(facts, as_of)
    renamed = dataclasses.replace(facts, ends_on=date(2022, 4, 30))
    assert_same(rescore(before, renamed, set(), as_of), score_plan(renamed, as_of))
    later = date(2022, 10, 1)
    assert_same(rescore(before, facts, set(), later), score_plan(facts, later))
    # A score not made by score_plan (a copy) carries no incremental state: scored again.
    copied = dataclasses.replace(before)
    assert_same(rescore(copied, facts, {"A"}, as_of), before)


def test_with_task_keeps_unchanged_fields_identical() -> None:
    facts = sample()
    same_links = with_task(facts, "A", [occ("A", date(2022, 3, 31))], [TaskLink("A", "1.1")])
    assert same_links.links is facts.links
    assert same_links.criteria is facts.criteria
    # The occurrences of a task stay where they were.
    moved = with_task(facts, "B", [occ("B@1", date(2022, 2, 1)), occ("B@2", date(2022, 3, 1))])
    assert [o.key for o in moved.occurrences] == ["A", "B@1", "B@2", "C"]


# --------------------------------------------------------------------------- LiveScore


def close(a: PlanScore, b: PlanScore) -> None:
    """Equal figures: links reloaded for one task may come back in another order than a full
    load gives them, which can move a sum in its last bit."""
    assert a.as_of == b.as_of
    for x, y in zip(a.walk(), b.walk(), strict=True):
        assert x.code == y.code
        for name in ("max_points", "secured", "at_risk", "lost", "open", "projected", "progress"):
            assert math.isclose(getattr(x, name), getattr(y, name), abs_tol=1e-9), (x.code, name)
    for totals in ("appraised", "survey", "overall"):
        assert getattr(a, totals).to_dict() == getattr(b, totals).to_dict()


@pytest.fixture
def live_context(seeded: object) -> Callable[..., object]:
    from planner.services.context import Context
    from planner.services.session import open_database

    def factory(actor: str = "coordinator") -> Context:
        db, pinned = open_database(seeded.db)  # type: ignore[attr-defined]
        assert pinned is not None
        return Context(db=db, actor=actor, today=pinned)

    return factory


def test_live_score_follows_status_changes_and_reviews(live_context: Callable[..., object]) -> None:
    from planner.services.evidence import EvidenceInput, add_evidence, list_evidence, review
    from planner.services.live_score import LiveScore
    from planner.services.scores import plan_score
    from planner.services.tasks import set_status

    ctx = live_context()
    live = LiveScore(ctx)  # type: ignore[arg-type]

    def fresh() -> PlanScore:
        return plan_score(ctx, live.as_of, explain=False).score  # type: ignore[arg-type]

    close(live.score, fresh())
    start = live.score.overall.secured

    # Overdue T02 done today: its criteria and plan completion move.
    set_status(ctx, "T02", "done")  # type: ignore[arg-type]
    live.refresh_task("T02")
    close(live.score, fresh())
    assert live.score.overall.projected >= start

    # One occurrence of a recurring task.
    set_status(ctx, "T06@2022-04-30", "in_progress")  # type: ignore[arg-type]
    live.refresh_task("T06@2022-04-30")
    close(live.score, fresh())

    # Evidence submitted by an office, accepted by the coordinator.
    member = live_context("vp")
    submitted = add_evidence(member, "T02", EvidenceInput(note="Kế hoạch đã ban hành"))  # type: ignore[arg-type]
    live.refresh_task("T02")
    close(live.score, fresh())
    before = live.score.overall.secured
    review(ctx, submitted.id or 0, "accepted")  # type: ignore[arg-type]
    live.refresh_task("T02")
    close(live.score, fresh())
    assert live.score.overall.secured >= before

    # Evidence waiting for review: T21's accepted (2.2 is scored by tasks), T25's rejected.
    waiting = {row.target: row.id for row in list_evidence(ctx, state="submitted")}  # type: ignore[arg-type]
    before = live.score.overall.secured
    review(ctx, waiting["T21"], "accepted")  # type: ignore[arg-type]
    live.refresh_task("T21")
    close(live.score, fresh())
    assert live.score.overall.secured > before
    review(ctx, waiting["T25"], "rejected", reason="thiếu chữ ký")  # type: ignore[arg-type]
    live.refresh_task("T25")
    close(live.score, fresh())


def test_live_score_follows_new_edited_and_deleted_tasks(
    live_context: Callable[..., object],
) -> None:
    from planner.services.live_score import LiveScore
    from planner.services.scores import plan_score
    from planner.services.tasks import TaskChanges, add_task, delete_task, edit_task, set_status

    ctx = live_context()
    live = LiveScore(ctx)  # type: ignore[arg-type]

    def fresh() -> PlanScore:
        return plan_score(ctx, live.as_of, explain=False).score  # type: ignore[arg-type]

    task = add_task(ctx, "Nhiệm vụ mới", lead="VP", due="30/4/2022", criteria=["3.3.1:2"])  # type: ignore[arg-type]
    live.refresh_task(task.code)
    assert any(link.task_code == task.code for link in live.facts.links)
    close(live.score, fresh())

    set_status(ctx, task.code, "done", on="20/4/2022")  # type: ignore[arg-type]
    live.refresh_task(task.code)
    close(live.score, fresh())

    edit_task(ctx, task.code, TaskChanges(due="Quý III/2022", criteria=["1.1.3"]))  # type: ignore[arg-type]
    live.refresh_task(task.code)
    assert {link.criterion_code for link in live.facts.links if link.task_code == task.code} == {
        "1.1.3"
    }
    close(live.score, fresh())

    delete_task(ctx, task.code)  # type: ignore[arg-type]
    live.refresh_task(task.code)
    assert all(occ.task_code != task.code for occ in live.facts.occurrences)
    assert all(link.task_code != task.code for link in live.facts.links)
    close(live.score, fresh())

    # Another date, then everything reloaded.
    live.set_as_of(date(2022, 12, 31))
    close(live.score, fresh())
    live.refresh_all()
    close(live.score, fresh())
