"""Indicator values as of a date and the bands that turn them into points.

A read indicator takes its latest reading on or before the date; a computed one
(`plan_completion`, criterion 1.1.2) is the share of the plan's occurrences due by the date
that are done.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from planner.domain.facts import Band, CriterionRule, Direction, PlanFacts, Reading
from planner.domain.occurrences import DONE_CLASSES, occurrence_code

# Tolerance for band edges: a value computed as 98.00000000000001 or 97.99999999999999 must
# land where the person reading "98%" expects, while 97.999 still misses the 98 band.
_BAND_TOLERANCE = 1e-9

PLAN_COMPLETION = "plan_completion"


def _reaches(band: Band, value: float, direction: Direction) -> bool:
    """Bounds are inclusive: `higher` needs value >= bound, `lower` value <= bound."""
    tolerance = _BAND_TOLERANCE * max(1.0, abs(band.bound))
    if direction == "lower":
        return value <= band.bound + tolerance
    return value >= band.bound - tolerance


def best_band(rule: CriterionRule, value: float, direction: Direction) -> Band | None:
    """The band with the most points that `value` reaches (bands need not be ordered)."""
    best: Band | None = None
    for band in rule.bands:
        if (best is None or band.points > best.points) and _reaches(band, value, direction):
            best = band
    return best


def band_points(rule: CriterionRule, value: float, direction: Direction) -> float:
    """The points of the best band `value` reaches (bounds inclusive); 0 when none is reached."""
    band = best_band(rule, value, direction)
    return max(band.points, 0.0) if band is not None else 0.0


def reading_value(reading: Reading, unit: str) -> float | None:
    """The value a reading stands for; None when it has none (denominator 0 included)."""
    if reading.denominator is not None and reading.denominator == 0:
        return None
    value = reading.value
    if value is None and reading.numerator is not None and reading.denominator is not None:
        # numerator * 100 / denominator, not (n / d) * 100: 29 of 100 must be 29.0, not
        # 28.999999999999996, or a 30% band edge moves.
        scale = 100.0 if unit == "percent" else 1.0
        value = reading.numerator * scale / reading.denominator
    if value is None or not math.isfinite(value):
        return None
    return value


def latest_on_or_before(items: Sequence[Any], as_of: date) -> Any:
    """The item with the latest `on` not after the date; of equal dates the later in input."""
    best = None
    for item in items:
        if item.on <= as_of and (best is None or item.on >= best.on):
            best = item
    return best


def plan_completion(
    indicator: str, due: int, done: int, as_of: date
) -> tuple[float | None, Reading | None]:
    """The computed reading from the counts of occurrences due by the date and done."""
    if due == 0:
        return None, None
    value = done * 100.0 / due
    reading = Reading(
        indicator=indicator,
        on=as_of,
        value=value,
        numerator=float(done),
        denominator=float(due),
        source="computed: plan completion",
    )
    return value, reading


def read_value(
    readings: Sequence[Reading], unit: str, as_of: date
) -> tuple[float | None, Reading | None]:
    """A read indicator's value as of the date and the reading it comes from."""
    reading = latest_on_or_before(readings, as_of)
    return (None if reading is None else reading_value(reading, unit), reading)


def indicator_value(
    facts: PlanFacts, indicator: str, as_of: date
) -> tuple[float | None, Reading | None]:
    """The value of an indicator as of the date and the reading it comes from.

    A read indicator takes its latest reading on or before the date; a computed one
    (`plan_completion`) is the percentage of non-cancelled occurrences due by the date that are
    done, or (None, None) while nothing is due.
    """
    definition = next((ind for ind in facts.indicators if ind.code == indicator), None)
    if definition is not None and definition.computed == PLAN_COMPLETION:
        due = done = 0
        for occ in facts.occurrences:
            code = occurrence_code(occ, as_of)
            if code & 1:
                due += 1
                if code >> 1 in DONE_CLASSES:
                    done += 1
        return plan_completion(indicator, due, done, as_of)
    unit = definition.unit if definition is not None else "percent"
    readings = [reading for reading in facts.readings if reading.indicator == indicator]
    return read_value(readings, unit, as_of)
