"""Criteria scored from dated inputs rather than tasks: `threshold` (an indicator's value
against bands), `condition` (a confirmed outcome) and `manual` (points entered by hand).

The latest input on or before the date counts; the others are explained as superseded or
not yet made (DESIGN.md "The numbers").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from planner.domain import explanations as say
from planner.domain.facts import (
    Confirmation,
    CriterionRule,
    Direction,
    ManualEntry,
    Outcome,
    Reading,
)
from planner.domain.indicators import band_points, latest_on_or_before, reading_value
from planner.domain.parts import Parts, make_node
from planner.domain.results import CriterionScore, Part

if TYPE_CHECKING:
    from planner.domain.rollup import Scorer


def score_threshold(scorer: Scorer, rule: CriterionRule, max_points: float) -> CriterionScore:
    parts = Parts(scorer.explain)
    code = rule.indicator
    if code is None:
        parts.add("open", max_points, rule.code, "no indicator set: open", expected=True)
        return make_node(rule, max_points, parts, 0.0)
    definition = scorer.indicators.get(code)
    direction: Direction = definition.direction if definition is not None else "higher"
    computed = definition is not None and definition.computed is not None
    value, reading = scorer.indicator_value(code)
    shortfall_part: Part = "lost" if scorer.year_over else "at_risk"
    shortfall_why = (
        f"lost: the plan year ended {say.d(scorer.facts.ends_on)}"
        if scorer.year_over
        else "at risk until the plan year ends"
    )
    scored = False
    if value is not None and reading is not None:
        secured = min(max(band_points(rule, value, direction), 0.0), max_points)
        if computed:
            source = (
                f"computed: {say.n(reading.numerator or 0)} of "
                f"{say.n(reading.denominator or 0)} occurrences due by {say.d(scorer.as_of)} "
                f"done = {say.n(value)}%; "
            )
            subject = code
        else:
            source = ""
            subject = f"{code} {say.d(reading.on)}"
        rule_text = source + say.band_text(rule, value, direction) if scorer.explain else ""
        parts.add("secured", secured, subject, rule_text)
        scored = True
    elif reading is not None and reading.denominator == 0 and rule.when_empty is not None:
        secured = min(max(rule.when_empty, 0.0), max_points)
        parts.add(
            "secured",
            secured,
            f"{code} {say.d(reading.on)}",
            f"denominator 0: when_empty gives {say.pts(rule.when_empty)}",
        )
        scored = True
    if scored:
        shortfall = max_points - parts.secured
        if shortfall > 0:
            parts.add(
                shortfall_part,
                shortfall,
                code,
                f"shortfall to the maximum {say.n(max_points)}: {shortfall_why}",
            )
    elif reading is not None:
        why = "denominator 0, no when_empty rule" if reading.denominator == 0 else "no value"
        parts.add("open", max_points, f"{code} {say.d(reading.on)}", f"{why}: open")
    elif computed:
        parts.add(
            "open",
            max_points,
            code,
            f"computed: no occurrence due by {say.d(scorer.as_of)} yet: open",
        )
    else:
        parts.add("open", max_points, code, f"no reading on or before {say.d(scorer.as_of)}: open")
    if not computed and scorer.explain:
        _other_readings(scorer, code, reading, parts, rule, direction)
    target = definition.target if definition is not None else None
    if target is not None:
        at_target = min(max(band_points(rule, target, direction), 0.0), max_points)
        parts.projected = max(parts.secured, at_target)
        parts.note(
            f"{code} target",
            f"projection only: target {say.n(target)} gives {say.pts(at_target)}",
        )
    elif scored:
        parts.projected = parts.secured
    else:
        parts.projected = max_points
    if not rule.bands:
        parts.note(rule.code, "no bands defined: every value scores 0")
    scorer.supporting(rule, parts)
    return make_node(rule, max_points, parts, 1.0 if scored else 0.0)


def _other_readings(
    scorer: Scorer,
    code: str,
    used: Reading | None,
    parts: Parts,
    rule: CriterionRule,
    direction: Direction,
) -> None:
    definition = scorer.indicators.get(code)
    unit = definition.unit if definition is not None else "percent"
    for reading in scorer.readings.get(code, ()):
        if reading is used:
            continue
        value = reading_value(reading, unit)
        band = "no value" if value is None else say.band_text(rule, value, direction)
        if reading.on > scorer.as_of:
            why = "after the as-of date"
        elif used is not None:
            why = f"superseded by the reading of {say.d(used.on)}"
        else:
            why = "superseded"
        parts.note(f"{code} {say.d(reading.on)}", f"{band}; {why}")


def _dated_notes(scorer: Scorer, items: Sequence[Any], used: Any, parts: Parts, what: str) -> None:
    if not scorer.explain:
        return
    for item in items:
        if item is used:
            continue
        why = (
            "after the as-of date"
            if item.on > scorer.as_of
            else f"superseded by the {what} of {say.d(used.on)}"
        )
        parts.note(f"{what} {say.d(item.on)}", why)


def score_condition(scorer: Scorer, rule: CriterionRule, max_points: float) -> CriterionScore:
    parts = Parts(scorer.explain)
    # A yes/no condition with no outcomes listed: yes earns the maximum, no earns nothing.
    outcomes = rule.outcomes or (Outcome("yes", "yes", max_points), Outcome("no", "no", 0.0))
    by_key = {outcome.key: outcome for outcome in outcomes}
    items = scorer.confirmations.get(rule.code, [])
    latest: Confirmation | None = latest_on_or_before(items, scorer.as_of)
    if latest is not None:
        outcome = by_key.get(latest.outcome)
        subject = f"confirmation {say.d(latest.on)}"
        if outcome is None:
            points = 0.0
            text = f"unknown outcome {latest.outcome!r}: 0 points"
        else:
            points = min(max(outcome.points, 0.0), max_points)
            text = f"outcome {outcome.label}: {say.pts(outcome.points)}"
        parts.add("secured", points, subject, text)
        if max_points - points > 0:
            parts.add("lost", max_points - points, subject, "confirmed below the maximum: lost")
    else:
        expected = by_key.get(rule.expected_outcome or "")
        if expected is None:
            expected = max(outcomes, key=lambda o: o.points)
            why = "the best outcome"
        else:
            why = "the expected outcome"
        parts.add(
            "open", max_points, rule.code, f"not confirmed on or before {say.d(scorer.as_of)}"
        )
        parts.projected = min(max(expected.points, 0.0), max_points)
        parts.note(
            f"{rule.code} projection",
            f"projected at {why} {expected.label}: {say.pts(expected.points)}",
        )
    _dated_notes(scorer, items, latest, parts, "confirmation")
    scorer.supporting(rule, parts)
    return make_node(rule, max_points, parts, 1.0 if latest is not None else 0.0)


def score_manual(scorer: Scorer, rule: CriterionRule, max_points: float) -> CriterionScore:
    parts = Parts(scorer.explain)
    items = scorer.entries.get(rule.code, [])
    latest: ManualEntry | None = latest_on_or_before(items, scorer.as_of)
    if latest is not None:
        points = min(max(latest.points, 0.0), max_points) if math.isfinite(latest.points) else 0.0
        subject = f"manual entry {say.d(latest.on)}"
        clamp = "" if points == latest.points else f" (entered {say.n(latest.points)}, clamped)"
        parts.add("secured", points, subject, f"entered {say.pts(points)}{clamp}")
        if max_points - points > 0:
            parts.add("lost", max_points - points, subject, "entered below the maximum: lost")
    else:
        parts.add("open", max_points, rule.code, f"not entered on or before {say.d(scorer.as_of)}")
        if rule.expected_points is not None:
            parts.projected = min(max(rule.expected_points, 0.0), max_points)
            parts.note(
                f"{rule.code} projection",
                f"projected at the expected {say.pts(rule.expected_points)}",
            )
        else:
            parts.projected = max_points
    _dated_notes(scorer, items, latest, parts, "manual entry")
    scorer.supporting(rule, parts)
    return make_node(rule, max_points, parts, 1.0 if latest is not None else 0.0)
