"""The criteria-tree roll-up as of a date: `tasks` leaves, parents as sums, the totals.

The semantics are DESIGN.md "The numbers". Occurrences are resolved once per plan and tallied
per task (`planner.domain.occurrences`); a `tasks` leaf then takes one step per linked task
and one per occurrence, with no allocation and no lookup but an index. Criteria scored from
dated inputs are in `planner.domain.dated_criteria`. With `explain=True` the same figures come
with a line per occurrence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from typing import Any, Final

from planner.domain import explanations as say
from planner.domain.dated_criteria import score_condition, score_manual, score_threshold
from planner.domain.explanations import line
from planner.domain.facts import CriterionRule, OccurrenceFact, PlanFacts, Reading
from planner.domain.facts_index import facts_index, group
from planner.domain.indicators import PLAN_COMPLETION, plan_completion, read_value
from planner.domain.occurrences import (
    CANCELLED,
    CLASSES,
    DONE_ACCEPTED,
    DONE_OTHER,
    DONE_REJECTED,
    LATE_ACCEPTED,
    LATE_CLASSES,
    LATE_OTHER,
    LATE_REJECTED,
    OPEN,
    OVERDUE,
    Resolved,
    TaskTally,
    plan_codes,
    resolve,
    resolved_code,
    tally_tasks,
)
from planner.domain.parts import Parts, make_node, max_points_of
from planner.domain.results import (
    AT_RISK,
    LOST,
    PARTS,
    SECURED,
    CriterionScore,
    Part,
    PlanScore,
    Totals,
)
from planner.domain.results import OPEN as OPEN_PART
from planner.i18n import _, ngettext

# Delivered work whose evidence was rejected is at risk, but still counts in `projected`: it
# is not overdue (DESIGN: "tasks not yet overdue count in full") and the evidence can be
# submitted again. Counting it is also what keeps "marking work done never lowers projected"
# true when the evidence was rejected before the work was marked done.
REJECTED_EVIDENCE_PROJECTED = True

# Where a class of occurrences puts its share: (part index, fraction of the share, projected?).
_Recipe = tuple[tuple[int, float, bool], ...]
# A linked task with live occurrences: (task code, its tally, raw weight per occurrence).
_Group = tuple[str, TaskTally, float]
# The same with the explanation text, for one resolved occurrence.
_TextRecipe = tuple[tuple[int, float, str, bool], ...]

_INF = math.inf
# Weights adding to 1 within this much cover the whole criterion (0.1 + 0.2 + 0.7).
_SHARE_TOLERANCE = 1e-9
# TaskTally fields by index: the hot loop avoids the NamedTuple's attribute lookups.
_OCCURRENCES: Final = 0
_LIVE: Final = 1
_MASK: Final = 5
_CODES: Final = 6
_FIRST_DONE_CODE = DONE_ACCEPTED << 1
_LATE_MASK = sum(1 << cls for cls in LATE_CLASSES)
_ALL_ACCEPTED_MASK = (1 << DONE_ACCEPTED) | (1 << CANCELLED)
_REJECTED_MASK = (1 << DONE_REJECTED) | (1 << LATE_REJECTED)


class Scorer:
    """The facts indexed once as of one date, so scoring is linear in the size of the plan.

    The attributes are what `planner.domain.incremental.rescore` starts from: it copies a
    scorer, replaces the tallies (and resolved occurrences) of the changed tasks, and scores
    again only the nodes they touch.
    """

    def __init__(self, facts: PlanFacts, as_of: date, *, explain: bool = True) -> None:
        self.facts = facts
        self.as_of = as_of
        self.explain = explain
        self.closes_on = closes_on = facts.closing_date
        self.year_over = as_of > closes_on
        # The date the facts are read at: once the plan has closed, nothing dated after its
        # closing date counts (DESIGN.md "Edge cases, decided").
        self.on = on = min(as_of, closes_on)
        self.closed: str | None = None
        if self.year_over:
            self.closed = (
                _("lost: the plan closed on {date}").format(date=say.d(closes_on))
                if explain
                else ""
            )
        occurrences = facts.occurrences
        # Explained: every occurrence resolved in full, kept per task for its lines.
        self.resolved: dict[str, list[tuple[OccurrenceFact, Resolved]]] | None = None
        if explain:
            resolved = [resolve(occ, on) for occ in occurrences]
            codes = [resolved_code(r, on) for r in resolved]
            self.resolved = group(
                (occ.task_code, (occ, r)) for occ, r in zip(occurrences, resolved, strict=True)
            )
        else:
            codes = plan_codes(occurrences, on)
        self.tallies: dict[str, TaskTally]
        self.tallies, self.due, self.due_done = tally_tasks(occurrences, codes)
        self.index = index = facts_index(facts)
        self.weights = index.weights
        self.indicators = index.indicators
        self.readings = index.readings
        self.confirmations = index.confirmations
        self.entries = index.entries
        self.criterion_evidence = index.criterion_evidence
        self.values: dict[str, tuple[float | None, Reading | None]] = {}
        # Both depend only on the late factor and on whether the plan year is over.
        self.recipes: dict[float, list[_Recipe | None]] = {}
        self.text_recipes: dict[tuple[Any, ...], _TextRecipe] = {}
        # The words of the lines, in the language current when scoring starts, and the texts
        # made of them that recur (formatting a template costs more than a lookup).
        self.words = say.words() if explain else None
        self.supporting_texts: dict[tuple[int, int], str] = {}
        self.all_texts: dict[tuple[Any, ...], str] = {}

    def indicator_value(self, code: str) -> tuple[float | None, Reading | None]:
        cached = self.values.get(code)
        if cached is not None:
            return cached
        definition = self.indicators.get(code)
        if definition is not None and definition.computed == PLAN_COMPLETION:
            result = plan_completion(code, self.due, self.due_done, self.on)
        else:
            unit = definition.unit if definition is not None else "percent"
            result = read_value(self.readings.get(code, ()), unit, self.on)
        self.values[code] = result
        return result

    def finish(self, roots: tuple[CriterionScore, ...]) -> PlanScore:
        """The plan's score from its scored roots, keeping this scorer for `rescore`."""
        facts = self.facts
        appraised = set(facts.appraised_fields)
        survey = set(facts.survey_fields)
        score = PlanScore(
            as_of=self.as_of,
            criteria=roots,
            appraised=_totals(r for r in roots if r.code in appraised),
            survey=_totals(r for r in roots if r.code in survey),
            overall=_totals(roots),
        )
        object.__setattr__(score, "_scorer", self)
        return score

    def new_parts(self) -> Parts:
        """The parts of a node scored by this scorer (closed once the plan has closed)."""
        return Parts(self.explain, self.closed)

    # ----------------------------------------------------------------- tree

    def score(self, rule: CriterionRule) -> CriterionScore:
        if rule.children or rule.method == "sum":
            return self.score_sum(rule, tuple(self.score(child) for child in rule.children))
        max_points = max_points_of(rule)
        if rule.method == "tasks":
            return self._score_tasks(rule, max_points)
        if rule.method == "threshold":
            return score_threshold(self, rule, max_points)
        if rule.method == "condition":
            return score_condition(self, rule, max_points)
        return score_manual(self, rule, max_points)

    def supporting(self, rule: CriterionRule, parts: Parts) -> None:
        """Tasks linked to a criterion that is not scored by tasks: shown, earning nothing."""
        if not self.explain:
            return
        assert self.words is not None
        template = self.words.supporting
        texts = self.supporting_texts
        for link in self.index.links.get(rule.code, ()):
            tally = self.tallies.get(link.task_code)
            counts = (tally.done, tally.occurrences) if tally is not None else (0, 0)
            text = texts.get(counts)
            if text is None:
                text = texts[counts] = template.format(done=counts[0], count=counts[1])
            parts.note(link.task_code, text)

    def score_sum(
        self, rule: CriterionRule, children: tuple[CriterionScore, ...]
    ) -> CriterionScore:
        """A parent from its scored children: their sum, scaled down to its own maximum."""
        max_points = max_points_of(rule)
        parts = self.new_parts()
        if rule.method != "sum" and self.explain:
            parts.note(
                rule.code,
                _("has children: scored as the sum of its children, not {method}").format(
                    method=say.method_label(rule.method)
                ),
            )
        total = sum(child.max_points for child in children)
        scale = max_points / total if total > max_points else 1.0
        explain = self.explain
        for child in children:
            amounts = (child.secured, child.at_risk, child.lost, child.open)
            for part, amount in zip(PARTS, amounts, strict=True):
                if amount > 0:
                    text = ""
                    if explain:
                        text = say.child_part(part, child.title)
                        if scale != 1.0:
                            # Translators: {text} is "secured in criterion …" and the like.
                            text = _(
                                "{text} (scaled by {scale}: the children's maxima add to {total})"
                            ).format(text=text, scale=say.n(scale), total=say.n(total))
                    parts.add(part, amount * scale, child.code, text)
            # The child's own projection, not its parts, says what is expected of it.
            parts.projected += (child.projected - child.secured) * scale
        if total < max_points:
            parts.add(
                "open",
                max_points - total,
                rule.code,
                _(
                    "children's maxima add to {total} < {maximum}: the rest is open, not "
                    "projected"
                ).format(total=say.n(total), maximum=say.n(max_points))
                if self.explain
                else "",
            )
        self.supporting(rule, parts)
        weighted = sum(child.progress * child.max_points for child in children)
        progress = weighted / total if total > 0 else 0.0
        return make_node(rule, max_points, parts, progress, method="sum", children=children)

    # ----------------------------------------------------------------- tasks

    def _score_tasks(self, rule: CriterionRule, max_points: float) -> CriterionScore:
        """Each linked task's live occurrences share its weight; cancelled ones give theirs
        away (renormalised over the live ones)."""
        parts = self.new_parts()
        explain = self.explain
        tallies = self.tallies
        groups: list[_Group] = []
        present = 0  # bit mask of the classes of the live occurrences
        live_total = 0.0  # the weights of the live occurrences
        given = 0.0  # the weights as given, cancelled tasks included
        weights = self.weights.get(rule.code)
        if weights is None:
            pass
        elif not explain:
            # The same steps as below without the notes: the hot loop, one step per link.
            get = tallies.get
            append = groups.append
            for task, weight in weights.items():
                tally = get(task)
                if tally is None or not 0.0 < weight < _INF:
                    continue
                given += weight
                live = tally[_LIVE]
                if live:
                    per = weight / tally[_OCCURRENCES]
                    append((task, tally, per))
                    live_total += per * live
                    present |= tally[_MASK]
        else:
            said = self.words
            assert said is not None
            for task, weight in weights.items():
                tally = tallies.get(task)
                if tally is None:
                    parts.note(task, said.no_occurrence)
                    continue
                if not (weight > 0 and math.isfinite(weight)):
                    parts.note(task, said.link_weight.format(weight=say.n(weight)))
                    continue
                given += weight
                live = tally.live
                if live < tally.occurrences:
                    self._cancelled_notes(task, parts)
                if live:
                    per = weight / tally.occurrences
                    groups.append((task, tally, per))
                    live_total += per * live
                    present |= tally.mask
        # Weights are shares of the criterion: what they leave uncovered is open and never
        # projected; over 1 they are scaled down; the live occurrences take the shares of
        # cancelled ones (DESIGN.md "Edge cases, decided").
        covered = 1.0 if given >= 1.0 - _SHARE_TOLERANCE else given
        if not groups or live_total <= 0:
            covered = 0.0
        uncovered = (1.0 - covered) * max_points
        if explain and groups:
            self._weight_notes(rule, groups, given, covered, live_total, max_points, parts)
        if uncovered > 0:
            text = ""
            if explain:
                if given <= 0:
                    text = _("no task is linked: open, not projected")
                elif not groups:
                    text = _("every linked task is cancelled: open, not projected")
                else:
                    text = _("no task covers {points} of {code}: open, not projected").format(
                        points=say.pts(uncovered), code=rule.code
                    )
            parts.add("open", uncovered, rule.code, text)
        if not groups:
            return make_node(rule, max_points, parts, 0.0)
        # An occurrence's share of the maximum is `per / total` (see _shares, _all_on_time).
        total = live_total / covered
        late_factor = (
            min(max(rule.late_factor, 0.0), 1.0) if math.isfinite(rule.late_factor) else 0.0
        )
        if rule.mode == "all":
            progress = self._all_on_time(groups, present, total, max_points, parts)
        else:
            progress = self._shares(groups, total, max_points, late_factor, parts)
        return make_node(rule, max_points, parts, progress)

    def _weight_notes(
        self,
        rule: CriterionRule,
        groups: list[_Group],
        given: float,
        covered: float,
        live_total: float,
        max_points: float,
        parts: Parts,
    ) -> None:
        """Each link's weight as given and as the share of the criterion it carries."""
        if given > 1.0 + _SHARE_TOLERANCE:
            parts.note(
                rule.code,
                _("the weights add to {sum}, more than 1: each is scaled down to its share").format(
                    sum=say.n(given)
                ),
            )
        for task, tally, per in groups:
            share = per * tally.live / live_total * covered
            parts.note(
                task,
                ngettext(
                    "weight {weight}: a share of {share} of the maximum, {points}, "
                    "on {count} occurrence",
                    "weight {weight}: a share of {share} of the maximum, {points}, "
                    "on {count} occurrences",
                    tally.live,
                ).format(
                    weight=say.n(per * tally.occurrences),
                    share=say.percent(share),
                    points=say.pts(share * max_points),
                    count=tally.live,
                ),
            )

    def _recipes_for(self, late_factor: float) -> list[_Recipe | None]:
        """Per occurrence code, where the occurrence's share goes (mode `share`); None for a
        cancelled occurrence, which has no share."""
        cached = self.recipes.get(late_factor)
        if cached is not None:
            return cached
        overdue = LOST if self.year_over else AT_RISK

        def done(late: bool, part: int, expected: bool) -> _Recipe:
            recipe: list[tuple[int, float, bool]] = []
            kept = 1.0
            if late:
                kept = late_factor
                if late_factor < 1.0:
                    recipe.append((LOST, 1.0 - late_factor, False))
            if kept > 0:
                recipe.append((part, kept, expected))
            return tuple(recipe)

        by_class: list[_Recipe | None] = [None] * CLASSES
        by_class[OPEN] = ((OPEN_PART, 1.0, True),)
        by_class[OVERDUE] = ((overdue, 1.0, False),)
        for late, (accepted, rejected, other) in (
            (False, (DONE_ACCEPTED, DONE_REJECTED, DONE_OTHER)),
            (True, (LATE_ACCEPTED, LATE_REJECTED, LATE_OTHER)),
        ):
            by_class[accepted] = done(late, SECURED, True)
            by_class[rejected] = done(late, AT_RISK, REJECTED_EVIDENCE_PROJECTED)
            by_class[other] = done(late, OPEN_PART, True)
        # Indexed by code (class * 2 + the plan-completion flag): no shift in the hot loop.
        recipes = [by_class[code >> 1] for code in range(2 * CLASSES)]
        self.recipes[late_factor] = recipes
        return recipes

    def _shares(
        self,
        groups: list[_Group],
        total: float,
        max_points: float,
        late_factor: float,
        parts: Parts,
    ) -> float:
        """Mode `share`: each live occurrence's share in its parts; returns the progress.

        The hot loop of scoring: a step per occurrence per link, no allocation, the recipe of
        each class of occurrence computed once per late factor.
        """
        recipes = self._recipes_for(late_factor)
        sums = [0.0, 0.0, 0.0, 0.0]
        projected = 0.0
        progress = 0.0
        for _task, tally, per in groups:
            fraction = per / total
            share = fraction * max_points
            for code in tally[_CODES]:
                recipe = recipes[code]
                if recipe is None:  # cancelled
                    continue
                if code >= _FIRST_DONE_CODE:
                    progress += fraction
                for part, part_fraction, expected in recipe:
                    amount = part_fraction * share
                    sums[part] += amount
                    if expected:
                        projected += amount
        parts.secured += sums[SECURED]
        parts.at_risk += sums[AT_RISK]
        parts.lost += sums[LOST]
        parts.open += sums[OPEN_PART]
        parts.projected += projected
        if self.explain:
            self._share_lines(groups, total, max_points, late_factor, parts)
        return progress

    def _share_lines(
        self,
        groups: list[_Group],
        total: float,
        max_points: float,
        late_factor: float,
        parts: Parts,
    ) -> None:
        """A line per live occurrence per part of its share. The text is cached per (status,
        dates, evidence), which recurring tasks and common due dates share."""
        assert self.resolved is not None
        recipes = self.text_recipes
        append = parts.lines.append
        for task, _tally, per in groups:
            share = per / total * max_points
            for occ, state in self.resolved[task]:
                status = state.status
                if status == "cancelled":
                    continue
                cache_key = (status, state.done_on, state.due_on, state.evidence, late_factor)
                recipe = recipes.get(cache_key)
                if recipe is None:
                    recipe = recipes[cache_key] = self._text_recipe(state, late_factor)
                for part, part_fraction, text, _expected in recipe:
                    amount = part_fraction * share
                    append(
                        line(
                            state.key,
                            text,
                            amount,
                            amount if part == SECURED else 0.0,
                            PARTS[part],
                        )
                    )
                if occ.evidence:
                    self._evidence_notes(occ, parts)

    def _all_on_time(
        self,
        groups: list[_Group],
        present: int,
        total: float,
        max_points: float,
        parts: Parts,
    ) -> float:
        """Mode `all`: the whole maximum rides on every occurrence being on time."""
        part: Part
        if present & _LATE_MASK:
            part, expected = "lost", False
        elif not present & ~_ALL_ACCEPTED_MASK:
            part, expected = "secured", True
        elif present & _REJECTED_MASK:
            part, expected = "at_risk", REJECTED_EVIDENCE_PROJECTED
        else:
            part, expected = "open", True
        progress = 0.0
        for _task, tally, per in groups:
            fraction = per / total
            amount = fraction * max_points
            for code in tally.codes:
                cls = code >> 1
                if cls == CANCELLED:
                    continue
                parts.put(part, amount, expected)
                if cls >= DONE_ACCEPTED:
                    progress += fraction
        if not self.explain:
            return progress
        assert self.resolved is not None
        items = [
            (occ, state, per / total)
            for task, _tally, per in groups
            for occ, state in self.resolved[task]
            if state.status != "cancelled"
        ]
        late = next((s.key for _o, s, _f in items if s.late), None)
        at_risk = next((s for _o, s, _f in items if self._evidence_at_risk(s)), None)
        rejected = at_risk.key if at_risk is not None else None
        said = self.words
        assert said is not None
        # Why, for the occurrences that are not the reason themselves: once per criterion.
        with_the_rest = ""
        if part == "lost":
            with_the_rest = said.all_lost.format(occurrence=late)
        elif part == "at_risk":
            expired = at_risk is not None and at_risk.evidence == "expired"
            with_the_rest = (said.all_at_risk_expired if expired else said.all_at_risk).format(
                occurrence=rejected
            )
        texts = self.all_texts
        for occ, state, fraction in items:
            amount = fraction * max_points
            why = self._all_reason(said, state, part, with_the_rest)
            # The text is cached per (status, dates, evidence, why), like `_share_lines`.
            key = (state.status, state.done_on, state.due_on, state.evidence, why)
            text = texts.get(key)
            if text is None:
                text = texts[key] = say.occurrence_rule(state, why, said)
            parts.lines.append(
                line(state.key, text, amount, amount if part == "secured" else 0.0, part)
            )
            if occ.evidence:
                self._evidence_notes(occ, parts)
        return progress

    def _evidence_at_risk(self, state: Resolved) -> bool:
        """Done, with its evidence rejected (or expired) and nothing pending, or none once it
        was due."""
        evidence = state.evidence
        return state.status == "done" and (
            evidence == "rejected"
            or evidence == "expired"
            or (evidence == "none" and self.on > state.due_on)
        )

    def _all_reason(self, said: say.Words, state: Resolved, part: Part, with_the_rest: str) -> str:
        """Why an occurrence puts the whole maximum in `part` (mode `all`)."""
        if part == "lost":
            return said.all_late if state.late else with_the_rest
        if part == "secured":
            return said.all_secured
        if part == "at_risk":
            if self._evidence_at_risk(state):
                if state.evidence == "expired":
                    return said.all_expired
                return said.all_rejected if state.evidence == "rejected" else said.all_missing
            return with_the_rest
        return said.all_open_done if state.status == "done" else said.all_open_not_due

    def _text_recipe(self, state: Resolved, late_factor: float) -> _TextRecipe:
        """Where an occurrence's share goes (mode `share`), with the words for each part."""
        said = self.words

        def rule(why: str) -> str:
            return say.occurrence_rule(state, why, said)

        if state.status == "done":
            recipe: list[tuple[int, float, str, bool]] = []
            kept = 1.0
            if state.late:
                kept = late_factor
                if late_factor < 1.0:
                    why = _("done late, {fraction} of the share lost").format(
                        fraction=say.n(1.0 - late_factor)
                    )
                    recipe.append((LOST, 1.0 - late_factor, rule(why), False))
            if kept > 0:
                late = state.late
                if state.evidence == "accepted":
                    why = _("late, secured") if late else _("on time, secured")
                    part, expected = SECURED, True
                elif state.evidence == "rejected":
                    why = (
                        _("late, evidence rejected with nothing pending")
                        if late
                        else _("on time, evidence rejected with nothing pending")
                    )
                    part, expected = AT_RISK, REJECTED_EVIDENCE_PROJECTED
                elif state.evidence == "expired":
                    # Like rejected evidence: the work exists, new evidence is expected.
                    why = (
                        _("late, evidence expired: new evidence needed")
                        if late
                        else _("on time, evidence expired: new evidence needed")
                    )
                    part, expected = AT_RISK, REJECTED_EVIDENCE_PROJECTED
                elif state.evidence == "submitted":
                    why = _("late, awaiting review") if late else _("on time, awaiting review")
                    part, expected = OPEN_PART, True
                elif self.on > state.due_on:
                    # The appraisal counts no claim without evidence: at risk, but the work
                    # exists, so it stays in the projection.
                    why = (
                        _("late, no evidence submitted")
                        if late
                        else _("on time, no evidence submitted by the due date")
                    )
                    part, expected = AT_RISK, True
                else:
                    why = _("on time, no evidence yet")
                    part, expected = OPEN_PART, True
                recipe.append((part, kept, rule(why), expected))
            return tuple(recipe)
        if state.overdue:
            return ((AT_RISK, 1.0, rule(_("overdue")), False),)
        return ((OPEN_PART, 1.0, rule(_("not yet due")), True),)

    def _cancelled_notes(self, task: str, parts: Parts) -> None:
        assert self.resolved is not None and self.words is not None
        text = self.words.cancelled
        for _occ, state in self.resolved[task]:
            if state.status == "cancelled":
                parts.note(state.key, text)

    def _evidence_notes(self, occ: OccurrenceFact, parts: Parts) -> None:
        """The evidence of an occurrence that a reader needs to redo the sum: each rejection
        with its reason, and what came after the plan closed. Nothing dated after the as-of
        date and no withdrawn evidence is shown."""
        said = self.words
        assert said is not None
        for note in say.evidence_notes(occ.evidence, self.on, self.as_of, said):
            parts.note(said.evidence_subject.format(occurrence=occ.key, id=note[0]), note[1])


def _totals(nodes: Iterable[CriterionScore]) -> Totals:
    nodes = list(nodes)
    max_points = sum(n.max_points for n in nodes)
    progress = sum(n.progress * n.max_points for n in nodes) / max_points if max_points else 0.0
    return Totals(
        max_points=max_points,
        secured=sum(n.secured for n in nodes),
        at_risk=sum(n.at_risk for n in nodes),
        lost=sum(n.lost for n in nodes),
        open=sum(n.open for n in nodes),
        projected=sum(n.projected for n in nodes),
        progress=progress,
    )


def score_plan(facts: PlanFacts, as_of: date, *, explain: bool = True) -> PlanScore:
    """Score the whole criteria tree of a plan as of a date.

    `explain=False` gives the same figures without explanation lines: building a line per
    occurrence per link is most of the cost, and the dashboard and `score` need only figures.
    """
    scorer = Scorer(facts, as_of, explain=explain)
    return scorer.finish(tuple(scorer.score(rule) for rule in facts.criteria))
