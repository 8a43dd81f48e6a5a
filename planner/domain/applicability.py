"""Criteria not applicable to the unit, and the comparable score.

An index may remove a criterion for units it does not fit (a department that handles no
administrative procedures has no on-time rate); the coordinator marks it not applicable. Its
points then leave the scored tree: the criterion scores 0 of 0, and each ancestor's maximum
shrinks by what the criterion carried in it, so the totals are out of M − N (N: the points
not applicable). To compare with units ranked out of M, a figure is scaled back:

    comparable = figure × M / (M − N)

Why out of the tree rather than kept and reported beside it: kept inside, the N points would
have to sit in one of the four parts of every ancestor, and each choice makes a figure false:
open (a decision that never comes), lost (a loss the unit did not incur) or secured (points
not earned). Removed, the four parts still add up to the maximum at every node, and every
figure is true of what the unit can earn; the comparable figure is the index's rescaling,
computed apart from the roll-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from planner.domain.facts import CriterionRule, NotApplicable, PlanFacts
from planner.domain.results import PlanScore, Totals


def _max(rule: CriterionRule) -> float:
    return max(0.0, rule.max_points) if math.isfinite(rule.max_points) else 0.0


def without_not_applicable(
    criteria: tuple[CriterionRule, ...], codes: frozenset[str] | set[str]
) -> tuple[tuple[CriterionRule, ...], tuple[NotApplicable, ...]]:
    """The tree with the criteria of `codes` (and everything under them) scoring 0 of 0 and
    their ancestors' maxima reduced; and the marked criteria with the points each took out of
    its root (its maximum, or less under a parent scaled down to its own maximum)."""
    if not codes:
        return criteria, ()
    removed: list[NotApplicable] = []

    def emptied(rule: CriterionRule) -> CriterionRule:
        # A leaf without method parameters, worth nothing: summed over no children, it has
        # nothing secured, at risk, lost or open, and earns nothing from its links.
        return CriterionRule(code=rule.code, title=rule.title, max_points=0.0, method="sum",
                             children=tuple(emptied(c) for c in rule.children),
                             lead_office=rule.lead_office)

    def rebuild(rule: CriterionRule, field: str, scale: float) -> CriterionRule:
        # `scale`: what one point of this node is worth in its root (less than 1 under a
        # parent whose children add up to more than its maximum, scaled down to it).
        if rule.code in codes:
            removed.append(NotApplicable(rule.code, rule.title, _max(rule) * scale, field))
            return emptied(rule)
        if not rule.children:
            return rule
        before = sum(_max(c) for c in rule.children)
        top = _max(rule)
        inner = scale * (top / before if before > top else 1.0)
        children = tuple(rebuild(c, field, inner) for c in rule.children)
        if all(new is old for new, old in zip(children, rule.children, strict=True)):
            return rule
        after = sum(_max(c) for c in children)
        # Children scaled down to their parent (before > top): what remains scales alike.
        new_max = top - (before - after) if before <= top else top * after / before
        return replace(rule, max_points=max(0.0, new_max), children=children)

    tree = tuple(rebuild(root, root.code, 1.0) for root in criteria)
    return tree, tuple(removed)


@dataclass(frozen=True)
class Comparable:
    """A part's figures scaled back to the full maximum M of the index."""

    full_max: float  # M
    not_applicable: float  # N, the points removed
    secured: float  # secured × M / (M − N)
    projected: float

    @property
    def factor(self) -> float:
        scored = self.full_max - self.not_applicable
        return self.full_max / scored if scored > 0 else 0.0


def comparable(totals: Totals, not_applicable: float) -> Comparable | None:
    """The comparable figures of a part; None when nothing of it is not applicable."""
    if not_applicable <= 0:
        return None
    full = totals.max_points + not_applicable
    scored = totals.max_points
    factor = full / scored if scored > 0 else 0.0
    return Comparable(full, not_applicable, totals.secured * factor, totals.projected * factor)


@dataclass(frozen=True)
class ComparableScore:
    """The comparable figures of the appraised part, the survey part and the whole, and the
    criteria not applicable (empty when every criterion applies)."""

    criteria: tuple[NotApplicable, ...]
    appraised: Comparable | None
    survey: Comparable | None
    overall: Comparable | None


def comparable_score(score: PlanScore, facts: PlanFacts) -> ComparableScore:
    na = facts.not_applicable
    appraised = set(facts.appraised_fields)
    survey = set(facts.survey_fields)
    return ComparableScore(
        criteria=na,
        appraised=comparable(score.appraised, sum(n.points for n in na if n.field in appraised)),
        survey=comparable(score.survey, sum(n.points for n in na if n.field in survey)),
        overall=comparable(score.overall, sum(n.points for n in na)),
    )
