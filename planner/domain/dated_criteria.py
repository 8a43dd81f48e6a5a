"""Criteria scored from dated inputs rather than tasks: `threshold` (an indicator's value
against bands), `condition` (a confirmed outcome) and `manual` (points entered by hand).

The latest input on or before the date counts (the plan's closing date, once it has closed);
the earlier ones are explained as superseded, later ones are not shown (DESIGN.md "The
numbers", "Edge cases, decided").
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
from planner.domain.occurrences import evidence_summary
from planner.domain.parts import Parts, make_node
from planner.domain.results import CriterionScore
from planner.i18n import _

if TYPE_CHECKING:
    from planner.domain.rollup import Scorer


def _no_target(parts: Parts, rule: CriterionRule) -> None:
    """DESIGN.md: without a target or an expected value, projected counts only what is
    secured (a full maximum would hide the gap the coordinator must close)."""
    parts.projected = parts.secured
    parts.note(
        _("{criterion} projection").format(criterion=rule.code),
        _("no target set: projected counts only what is secured"),
    )


def score_threshold(scorer: Scorer, rule: CriterionRule, max_points: float) -> CriterionScore:
    parts = scorer.new_parts()
    code = rule.indicator
    if code is None:
        parts.add("open", max_points, rule.code, _("no indicator set: open, not projected"))
        scorer.supporting(rule, parts)
        return make_node(rule, max_points, parts, 0.0)
    definition = scorer.indicators.get(code)
    direction: Direction = definition.direction if definition is not None else "higher"
    unit = definition.unit if definition is not None else "percent"
    computed = definition is not None and definition.computed is not None
    value, reading = scorer.indicator_value(code)
    explain = scorer.explain
    scored = False
    if value is not None and reading is not None:
        secured = min(max(band_points(rule, value, direction), 0.0), max_points)
        rule_text = ""
        if explain:
            rule_text = say.band_text(rule, value, direction, say.reading_text(reading, value, unit))
        if computed:
            if explain:
                # Translators: {band} starts with "done/due = share%", e.g. "14/17 = 82.35%".
                rule_text = _(
                    "computed from the plan, occurrences due by {date} and done: {band}"
                ).format(date=say.d(scorer.on), band=rule_text)
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
            _("{numerator}/0: nothing to count, the rule gives {points}").format(
                numerator=say.n(reading.numerator or 0), points=say.pts(rule.when_empty)
            )
            if explain
            else "",
        )
        scored = True
    if scored:
        shortfall = max_points - parts.secured
        if shortfall > 0:
            text = ""
            if explain:
                text = _(
                    "shortfall to the maximum {maximum}: at risk until the plan closes on {date}"
                ).format(maximum=say.n(max_points), date=say.d(scorer.closes_on))
            parts.add("at_risk", shortfall, code, text)
    elif reading is not None:
        why = (
            _("denominator 0 and no rule for it: open")
            if reading.denominator == 0
            else _("no value: open")
        )
        parts.add("open", max_points, f"{code} {say.d(reading.on)}", why)
    elif computed:
        parts.add(
            "open",
            max_points,
            code,
            _("computed: no occurrence due by {date} yet: open").format(date=say.d(scorer.on)),
        )
    else:
        parts.add(
            "open",
            max_points,
            code,
            _("no reading on or before {date}: open").format(date=say.d(scorer.on)),
        )
    if not computed and explain:
        _other_readings(scorer, code, reading, parts, rule, direction, unit)
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
    else:
        _no_target(parts, rule)
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
    unit: str,
) -> None:
    """The readings not used: superseded ones, and those after the plan closed. None dated
    after the as-of date is shown."""
    for reading in scorer.readings.get(code, ()):
        if reading is used or reading.on > scorer.as_of:
            continue
        value = reading_value(reading, unit)
        band = (
            _("no value")
            if value is None
            else say.band_text(rule, value, direction, say.reading_text(reading, value, unit))
        )
        if reading.on > scorer.on:
            why = _("after the plan closed on {date}: not counted").format(
                date=say.d(scorer.closes_on)
            )
        elif used is not None:
            why = _("superseded by the reading of {date}").format(date=say.d(used.on))
        else:
            why = _("superseded")
        parts.note(f"{code} {say.d(reading.on)}", f"{band}; {why}")


def _dated_notes(
    scorer: Scorer, items: Sequence[Any], used: Any, parts: Parts, subject: str, superseded: str
) -> None:
    """The inputs other than `used` up to the as-of date: `subject` and `superseded` are
    templates of {date}."""
    if not scorer.explain:
        return
    for item in items:
        if item is used or item.on > scorer.as_of:
            continue
        if item.on > scorer.on:
            why = _("after the plan closed on {date}: not counted").format(
                date=say.d(scorer.closes_on)
            )
        else:
            why = superseded.format(date=say.d(used.on))
        parts.note(subject.format(date=say.d(item.on)), why)


def score_condition(scorer: Scorer, rule: CriterionRule, max_points: float) -> CriterionScore:
    parts = scorer.new_parts()
    # A yes/no condition with no outcomes listed: yes earns the maximum, no earns nothing.
    outcomes = rule.outcomes or (
        Outcome("yes", _("yes"), max_points),
        Outcome("no", _("no"), 0.0),
    )
    explain = scorer.explain
    confirmation = _("confirmation {date}") if explain else ""
    by_key = {outcome.key: outcome for outcome in outcomes}
    items = scorer.confirmations.get(rule.code, [])
    latest: Confirmation | None = latest_on_or_before(items, scorer.on)
    evidence = scorer.criterion_evidence.get(rule.code, ())
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
        # DESIGN.md: secured only with accepted evidence on the criterion itself; confirmed
        # without it, the confirmed outcome is at risk (still projected).
        held = evidence_summary(evidence, scorer.on)[0] if evidence else "none"
        accepted = held == "accepted"
        if accepted or points <= 0:
            parts.add("secured", points, subject, text)
        else:
            parts.add(
                "at_risk",
                points,
                subject,
                (
                    _("{outcome}, but the evidence on the criterion expired: at risk")
                    if held == "expired"
                    else _("{outcome}, but no accepted evidence on the criterion: at risk")
                ).format(outcome=text)
                if explain
                else "",
                expected=True,
            )
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
            _("not confirmed on or before {date}").format(date=say.d(scorer.on)),
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
        said = scorer.words
        assert said is not None
        for evidence_id, why in say.evidence_notes(evidence, scorer.on, scorer.as_of, said):
            parts.note(_("evidence #{id}").format(id=evidence_id), why)
    scorer.supporting(rule, parts)
    return make_node(rule, max_points, parts, 1.0 if latest is not None else 0.0)


def score_manual(scorer: Scorer, rule: CriterionRule, max_points: float) -> CriterionScore:
    parts = scorer.new_parts()
    items = scorer.entries.get(rule.code, [])
    latest: ManualEntry | None = latest_on_or_before(items, scorer.on)
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
            _("not entered on or before {date}").format(date=say.d(scorer.on)),
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
            _no_target(parts, rule)
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
