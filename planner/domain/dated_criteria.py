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
from planner.i18n import _

if TYPE_CHECKING:
    from planner.domain.rollup import Scorer


def score_threshold(scorer: Scorer, rule: CriterionRule, max_points: float) -> CriterionScore:
    parts = Parts(scorer.explain)
    code = rule.indicator
    if code is None:
        parts.add("open", max_points, rule.code, _("no indicator set: open"), expected=True)
        return make_node(rule, max_points, parts, 0.0)
    definition = scorer.indicators.get(code)
    direction: Direction = definition.direction if definition is not None else "higher"
    computed = definition is not None and definition.computed is not None
    value, reading = scorer.indicator_value(code)
    shortfall_part: Part = "lost" if scorer.year_over else "at_risk"
    explain = scorer.explain
    scored = False
    if value is not None and reading is not None:
        secured = min(max(band_points(rule, value, direction), 0.0), max_points)
        rule_text = say.band_text(rule, value, direction) if explain else ""
        if computed:
            if explain:
                rule_text = _(
                    "computed: {done} of {due} occurrences due by {date} done = {value}%; {band}"
                ).format(
                    done=say.n(reading.numerator or 0),
                    due=say.n(reading.denominator or 0),
                    date=say.d(scorer.as_of),
                    value=say.n(value),
                    band=rule_text,
                )
            subject = code
        else:
            subject = f"{code} {say.d(reading.on)}"
        parts.add("secured", secured, subject, rule_text)
        scored = True
    elif reading is not None and reading.denominator == 0 and rule.when_empty is not None:
        secured = min(max(rule.when_empty, 0.0), max_points)
        parts.add(
            "secured",
            secured,
            f"{code} {say.d(reading.on)}",
            _("denominator 0: when_empty gives {points}").format(points=say.pts(rule.when_empty))
            if explain
            else "",
        )
        scored = True
    if scored:
        shortfall = max_points - parts.secured
        if shortfall > 0:
            text = ""
            if explain:
                if scorer.year_over:
                    text = _("shortfall to the maximum {maximum}: lost: the plan year ended {date}")
                else:
                    text = _("shortfall to the maximum {maximum}: at risk until the plan year ends")
                text = text.format(maximum=say.n(max_points), date=say.d(scorer.facts.ends_on))
            parts.add(shortfall_part, shortfall, code, text)
    elif reading is not None:
        why = (
            _("denominator 0, no when_empty rule: open")
            if reading.denominator == 0
            else _("no value: open")
        )
        parts.add("open", max_points, f"{code} {say.d(reading.on)}", why)
    elif computed:
        parts.add(
            "open",
            max_points,
            code,
            _("computed: no occurrence due by {date} yet: open").format(date=say.d(scorer.as_of)),
        )
    else:
        parts.add(
            "open",
            max_points,
            code,
            _("no reading on or before {date}: open").format(date=say.d(scorer.as_of)),
        )
    if not computed and explain:
        _other_readings(scorer, code, reading, parts, rule, direction)
    target = definition.target if definition is not None else None
    if target is not None:
        at_target = min(max(band_points(rule, target, direction), 0.0), max_points)
        parts.projected = max(parts.secured, at_target)
        if explain:
            parts.note(
                _("{indicator} target").format(indicator=code),
                _("projection only: target {target} gives {points}").format(
                    target=say.n(target), points=say.pts(at_target)
                ),
            )
    elif scored:
        parts.projected = parts.secured
    else:
        parts.projected = max_points
    if not rule.bands:
        parts.note(rule.code, _("no bands defined: every value scores 0"))
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
        band = _("no value") if value is None else say.band_text(rule, value, direction)
        if reading.on > scorer.as_of:
            why = _("after the as-of date")
        elif used is not None:
            why = _("superseded by the reading of {date}").format(date=say.d(used.on))
        else:
            why = _("superseded")
        parts.note(f"{code} {say.d(reading.on)}", f"{band}; {why}")


def _dated_notes(
    scorer: Scorer, items: Sequence[Any], used: Any, parts: Parts, subject: str, superseded: str
) -> None:
    """The inputs other than `used`: `subject` and `superseded` are templates of {date}."""
    if not scorer.explain:
        return
    for item in items:
        if item is used:
            continue
        why = (
            _("after the as-of date")
            if item.on > scorer.as_of
            else superseded.format(date=say.d(used.on))
        )
        parts.note(subject.format(date=say.d(item.on)), why)


def score_condition(scorer: Scorer, rule: CriterionRule, max_points: float) -> CriterionScore:
    parts = Parts(scorer.explain)
    # A yes/no condition with no outcomes listed: yes earns the maximum, no earns nothing.
    outcomes = rule.outcomes or (
        Outcome("yes", _("yes"), max_points),
        Outcome("no", _("no"), 0.0),
    )
    explain = scorer.explain
    confirmation = _("confirmation {date}") if explain else ""
    by_key = {outcome.key: outcome for outcome in outcomes}
    items = scorer.confirmations.get(rule.code, [])
    latest: Confirmation | None = latest_on_or_before(items, scorer.as_of)
    if latest is not None:
        outcome = by_key.get(latest.outcome)
        subject = confirmation.format(date=say.d(latest.on))
        text = ""
        if outcome is None:
            points = 0.0
            if explain:
                text = _("unknown outcome {outcome}: 0 points").format(
                    outcome=repr(latest.outcome)
                )
        else:
            points = min(max(outcome.points, 0.0), max_points)
            if explain:
                text = _("outcome {outcome}: {points}").format(
                    outcome=outcome.label, points=say.pts(outcome.points)
                )
        parts.add("secured", points, subject, text)
        if max_points - points > 0:
            parts.add(
                "lost", max_points - points, subject, _("confirmed below the maximum: lost")
            )
    else:
        expected = by_key.get(rule.expected_outcome or "")
        if expected is None:
            expected = max(outcomes, key=lambda o: o.points)
            why = _("projected at the best outcome {outcome}: {points}")
        else:
            why = _("projected at the expected outcome {outcome}: {points}")
        parts.add(
            "open",
            max_points,
            rule.code,
            _("not confirmed on or before {date}").format(date=say.d(scorer.as_of)),
        )
        parts.projected = min(max(expected.points, 0.0), max_points)
        if explain:
            parts.note(
                _("{criterion} projection").format(criterion=rule.code),
                why.format(outcome=expected.label, points=say.pts(expected.points)),
            )
    if explain:
        _dated_notes(
            scorer,
            items,
            latest,
            parts,
            confirmation,
            _("superseded by the confirmation of {date}"),
        )
    scorer.supporting(rule, parts)
    return make_node(rule, max_points, parts, 1.0 if latest is not None else 0.0)


def score_manual(scorer: Scorer, rule: CriterionRule, max_points: float) -> CriterionScore:
    parts = Parts(scorer.explain)
    items = scorer.entries.get(rule.code, [])
    latest: ManualEntry | None = latest_on_or_before(items, scorer.as_of)
    explain = scorer.explain
    manual_entry = _("manual entry {date}") if explain else ""
    if latest is not None:
        points = min(max(latest.points, 0.0), max_points) if math.isfinite(latest.points) else 0.0
        subject = manual_entry.format(date=say.d(latest.on))
        text = ""
        if explain:
            text = (
                _("entered {points}")
                if points == latest.points
                else _("entered {points} (entered {value}, clamped)")
            ).format(points=say.pts(points), value=say.n(latest.points))
        parts.add("secured", points, subject, text)
        if max_points - points > 0:
            parts.add("lost", max_points - points, subject, _("entered below the maximum: lost"))
    else:
        parts.add(
            "open",
            max_points,
            rule.code,
            _("not entered on or before {date}").format(date=say.d(scorer.as_of)),
        )
        if rule.expected_points is not None:
            parts.projected = min(max(rule.expected_points, 0.0), max_points)
            if explain:
                parts.note(
                    _("{criterion} projection").format(criterion=rule.code),
                    _("projected at the expected {points}").format(
                        points=say.pts(rule.expected_points)
                    ),
                )
        else:
            parts.projected = max_points
    if explain:
        _dated_notes(
            scorer,
            items,
            latest,
            parts,
            manual_entry,
            _("superseded by the manual entry of {date}"),
        )
    scorer.supporting(rule, parts)
    return make_node(rule, max_points, parts, 1.0 if latest is not None else 0.0)
