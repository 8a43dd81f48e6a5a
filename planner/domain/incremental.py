"""Score again after a few tasks changed, recomputing only what they touch.

`rescore(previous, facts, changed_tasks, as_of)` gives what `score_plan(facts, as_of)` gives,
with the explanation if `previous` had one, but re-resolves only the changed tasks'
occurrences and re-scores only the criteria linked to them (before or after the change), any
threshold criterion on a computed indicator whose counts moved (plan completion, kept as
running counts of occurrences due and done), and their ancestors. Every other node of
`previous` is reused as it is.

The contract: `facts` differs from the facts `previous` was scored from only in the
occurrences and links of `changed_tasks` (a task may be new, or gone). If anything else
changed (criteria, indicators, readings, confirmations, manual entries, the plan's dates), or
`as_of` differs, or `previous` was not built by `score_plan` or `rescore`, the whole plan is
scored again.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from operator import attrgetter
from typing import TypeVar

from planner.domain.facts import CriterionRule, OccurrenceFact, PlanFacts, TaskLink
from planner.domain.facts_index import FactsIndex, remember_index
from planner.domain.indicators import PLAN_COMPLETION
from planner.domain.occurrences import occurrence_code, resolve, resolved_code, tally_codes
from planner.domain.results import CriterionScore, PlanScore
from planner.domain.rollup import Scorer, score_plan

T = TypeVar("T")
Path = tuple[int, ...]

# Fields of PlanFacts that must be unchanged for an incremental rescore.
_FRAME = (
    "year",
    "starts_on",
    "ends_on",
    "criteria",
    "indicators",
    "readings",
    "confirmations",
    "manual_entries",
    "appraised_fields",
    "survey_fields",
    "closes_on",
    "criterion_evidence",
)


def _same_frame(a: PlanFacts, b: PlanFacts) -> bool:
    for name in _FRAME:
        x, y = getattr(a, name), getattr(b, name)
        if x is not y and x != y:
            return False
    return True


def _task_criteria(index: FactsIndex) -> dict[str, set[str]]:
    """The criteria each task is linked to."""
    if index.task_criteria is None:
        out: dict[str, set[str]] = {}
        for link in index.links_of:
            out.setdefault(link.task_code, set()).add(link.criterion_code)
        index.task_criteria = out
    return index.task_criteria


def _rule_paths(index: FactsIndex, criteria: Sequence[CriterionRule]) -> dict[str, list[Path]]:
    """Where each code sits in the tree (index paths; codes may repeat). Also notes the
    threshold criteria on a computed indicator."""
    if index.rule_paths is None:
        paths: dict[str, list[Path]] = {}
        computed = {
            ind.code for ind in index.indicators.values() if ind.computed == PLAN_COMPLETION
        }
        on_computed: set[str] = set()

        def visit(rules: Sequence[CriterionRule], prefix: Path) -> None:
            for i, rule in enumerate(rules):
                path = (*prefix, i)
                paths.setdefault(rule.code, []).append(path)
                if rule.children or rule.method == "sum":
                    visit(rule.children, path)
                elif rule.method == "threshold" and rule.indicator in computed:
                    on_computed.add(rule.code)

        visit(criteria, ())
        index.rule_paths = paths
        index.computed_codes = frozenset(on_computed)
    return index.rule_paths


def rescore(
    previous: PlanScore, facts: PlanFacts, changed_tasks: Iterable[str], as_of: date
) -> PlanScore:
    """The score of `facts` as of the date, from `previous` and the tasks that changed."""
    old: Scorer | None = previous.__dict__.get("_scorer")
    if old is None:
        explain = any(node.explanation for node in previous.walk())
        return score_plan(facts, as_of, explain=explain)
    if as_of != old.as_of or not _same_frame(old.facts, facts):
        return score_plan(facts, as_of, explain=old.explain)
    return _again(previous, old, copy.copy(old), facts, set(changed_tasks), set())


def probe(
    previous: PlanScore, task_code: str, occurrences: Sequence[OccurrenceFact], as_of: date
) -> PlanScore:
    """The score if one task's occurrences were these (its links as they are), from
    `previous` (built by `score_plan` or `rescore` as of `as_of`) without building new facts.

    What points at stake need: thousands of one-task hypotheses on one plan, each costing
    only the criteria the task touches (building the facts of each was most of the time).
    The result is a figure to read, not to rescore from: it keeps no incremental state.
    """
    old: Scorer | None = previous.__dict__.get("_scorer")
    if old is None or as_of != old.as_of:
        raise ValueError("probe needs a score built by score_plan or rescore as of the date")
    score = _again(previous, old, copy.copy(old), old.facts, {task_code}, set(),
                   {task_code: list(occurrences)})
    score.__dict__.pop("_scorer", None)
    return score


def advance(
    previous: PlanScore,
    facts: PlanFacts,
    changed_tasks: Iterable[str],
    as_of: date,
    *,
    changed_criteria: Iterable[str] | None = None,
    occurrences_of: Mapping[str, Sequence[OccurrenceFact]] | None = None,
) -> PlanScore:
    """The score of the same `facts` as of another date, from `previous`.

    The contract: `previous` was scored from these very facts, without explanation, and
    `changed_tasks` holds every task with an occurrence whose `occurrence_code` differs
    between the two dates (`occurrences.change_dates` says when one may). The tasks'
    occurrences are resolved again, and the criteria scored from dated inputs (`threshold`,
    `condition`, `manual`) in `changed_criteria` (all of them when it is None: give those with
    a reading, confirmation, entry or criterion evidence dated between the two dates) are
    scored again, with those on a computed indicator whose counts moved; the rest of the tree
    is reused. When
    the contract cannot hold (explained, other facts, the plan closes in between), the whole
    plan is scored again. `occurrences_of` (each task's occurrences in the order of `facts`)
    spares a scan of the plan's occurrences per changed task.
    """
    old: Scorer | None = previous.__dict__.get("_scorer")
    if old is None or old.explain or old.facts is not facts:
        return score_plan(facts, as_of, explain=False)
    if as_of == old.as_of:
        return previous
    if (as_of > old.closes_on) != old.year_over:
        return score_plan(facts, as_of, explain=False)
    new = copy.copy(old)
    new.as_of = as_of
    new.on = min(as_of, old.closes_on)
    # Indicator values are read as of the date: none of the old ones can be reused.
    new.values = {}
    dated = set(
        _dated_codes(old.index, facts.criteria) if changed_criteria is None else changed_criteria
    )
    return _again(previous, old, new, facts, set(changed_tasks), dated, occurrences_of)


def _dated_codes(index: FactsIndex, criteria: Sequence[CriterionRule]) -> frozenset[str]:
    """The leaves scored from dated inputs rather than occurrences."""
    if index.dated_codes is None:
        dated: set[str] = set()
        stack = list(criteria)
        while stack:
            rule = stack.pop()
            if rule.children or rule.method == "sum":
                stack.extend(rule.children)
            elif rule.method != "tasks":
                dated.add(rule.code)
        index.dated_codes = frozenset(dated)
    return index.dated_codes


def _again(
    previous: PlanScore,
    old: Scorer,
    new: Scorer,
    facts: PlanFacts,
    changed: set[str],
    affected: set[str],
    occurrences_of: Mapping[str, Sequence[OccurrenceFact]] | None = None,
) -> PlanScore:
    """`new` (a copy of `old`, its date set) scores the nodes the changed tasks and the
    `affected` criteria touch; the rest of `previous` is kept."""
    new.facts = facts
    new.tallies = dict(old.tallies)
    if old.resolved is not None:
        new.resolved = dict(old.resolved)
    paths = _rule_paths(old.index, facts.criteria)
    computed_codes = old.index.computed_codes

    # The criteria the changed tasks are linked to, before and after the change.
    before = _task_criteria(old.index) if changed else {}
    if facts.links is not old.index.links_of:
        new.index = old.index.with_links(facts.links)
        new.weights = new.index.weights
    remember_index(facts, new.index)
    after = _task_criteria(new.index) if changed else {}
    for task in changed:
        affected.update(before.get(task, ()))
        affected.update(after.get(task, ()))

    # The changed tasks' occurrences, resolved again; the plan-completion counts follow.
    occurrences: dict[str, list[OccurrenceFact]] = {task: [] for task in changed}
    if occurrences_of is not None:
        for task, bucket in occurrences.items():
            bucket.extend(occurrences_of.get(task, ()))
    elif changed:
        codes_of = list(map(_TASK_CODE, facts.occurrences))
        for task, bucket in occurrences.items():
            bucket.extend(facts.occurrences[i] for i in _positions(codes_of, task))
    due, due_done = old.due, old.due_done
    for task, occs in occurrences.items():
        earlier = old.tallies.get(task)
        if earlier is not None:
            due -= earlier.due
            due_done -= earlier.due_done
        if not occs:
            new.tallies.pop(task, None)
            if new.resolved is not None:
                new.resolved.pop(task, None)
            continue
        # Read as of the plan's closing date once it has closed, as `Scorer` does.
        on = new.on
        if new.resolved is not None:
            resolved = [resolve(occ, on) for occ in occs]
            codes = [resolved_code(r, on) for r in resolved]
            new.resolved[task] = list(zip(occs, resolved, strict=True))
        else:
            codes = [occurrence_code(occ, on) for occ in occs]
        tally = new.tallies[task] = tally_codes(codes)
        due += tally.due
        due_done += tally.due_done
    new.due, new.due_done = due, due_done
    if (due, due_done) != (old.due, old.due_done):
        affected.update(computed_codes)
        if new.values is old.values:
            new.values = {
                code: value
                for code, value in old.values.items()
                if code not in old.indicators or old.indicators[code].computed != PLAN_COMPLETION
            }
    elif new.values is old.values:
        new.values = dict(old.values)

    dirty: set[Path] = set()
    for code in affected:
        for path in paths.get(code, ()):
            for end in range(1, len(path) + 1):
                dirty.add(path[:end])

    def again(
        rules: Sequence[CriterionRule], nodes: Sequence[CriterionScore], prefix: Path
    ) -> tuple[CriterionScore, ...]:
        out = list(nodes)
        for i, rule in enumerate(rules):
            path = (*prefix, i)
            if path not in dirty:
                continue
            if rule.children or rule.method == "sum":
                out[i] = new.score_sum(rule, again(rule.children, nodes[i].children, path))
            else:
                out[i] = new.score(rule)
        return tuple(out)

    return new.finish(again(facts.criteria, previous.criteria, ()))


def with_task(
    facts: PlanFacts,
    task_code: str,
    occurrences: Sequence[OccurrenceFact],
    links: Sequence[TaskLink] | None = None,
) -> PlanFacts:
    """`facts` with one task's occurrences (and, when given, links) replaced.

    The new ones take the place of the old (appended for a new task); no occurrences and no
    links drop the task. Fields that do not change stay the same objects, which is what lets
    `rescore` skip re-indexing them.
    """
    new_links = facts.links
    if links is not None:
        where = _positions(list(map(_TASK_CODE, facts.links)), task_code)
        if tuple(facts.links[i] for i in where) != tuple(links):
            new_links = _splice(facts.links, where, links)
    where = _positions(list(map(_TASK_CODE, facts.occurrences)), task_code)
    return replace(
        facts, occurrences=_splice(facts.occurrences, where, occurrences), links=new_links
    )


_TASK_CODE = attrgetter("task_code")


def _positions(codes: list[str], code: str) -> list[int]:
    """Where `code` is in `codes` (list.index scans in C: a plan has thousands of items)."""
    out: list[int] = []
    start = 0
    while True:
        try:
            start = codes.index(code, start)
        except ValueError:
            return out
        out.append(start)
        start += 1


def _splice(items: tuple[T, ...], where: list[int], new: Sequence[T]) -> tuple[T, ...]:
    """`items` with those at `where` replaced by `new`, placed where the first of them was."""
    if not where:
        return (*items, *new)
    first, last = where[0], where[-1]
    if last - first + 1 == len(where):  # contiguous, as the store loads them
        return (*items[:first], *new, *items[last + 1 :])
    drop = set(where)
    kept = [item for i, item in enumerate(items) if i not in drop]
    return (*kept[:first], *new, *kept[first:])
