"""A criterion's scoring method and its parameters: the one codec.

A leaf criterion is scored by one of `METHODS`; what the method needs (a `tasks` criterion's
late factor and mode, a `threshold`'s bands, a `condition`'s outcomes, a `manual` criterion's
expected points) is stored as JSON text in `criterion.params`. The seed loader, the criteria
import, the criteria admin service, the indicators service and the facts the scoring reads all
encode and decode it here, so that what one writes the others read the same way.

Pure: no I/O, no store (JSON text in, JSON text out).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from planner.domain.facts import Band, CriterionRule, Method, Outcome

__all__ = [
    "METHODS",
    "MODES",
    "comparable",
    "decode",
    "encode",
    "fields_params",
    "missing",
    "outcome_label",
    "outcomes",
    "params_text",
    "rule",
    "with_bands",
]

#: The methods a leaf criterion is scored by (a parent is the sum of its children: "sum").
METHODS: tuple[str, ...] = ("tasks", "threshold", "condition", "manual")
#: How a `tasks` criterion counts its tasks: each one's share, or all or nothing.
MODES: tuple[str, ...] = ("share", "all")
#: A `tasks` criterion's points for a task done late, as a share of on-time points.
DEFAULT_LATE_FACTOR = 0.5

Params = dict[str, Any]


def decode(text: str | None) -> Params:
    """The parameters stored as JSON text ("" or None: none)."""
    return dict(json.loads(text or "{}"))


def encode(params: Mapping[str, Any]) -> str:
    """The JSON text stored in `criterion.params` (Vietnamese kept as written)."""
    return json.dumps(dict(params), ensure_ascii=False)


def params_text(params: Mapping[str, Any]) -> str:
    """The parameters as one line to show a change (keys sorted: the same order each time)."""
    return json.dumps(dict(params), ensure_ascii=False, sort_keys=True)


def comparable(params: Mapping[str, Any]) -> Params:
    """The parameters with bands as lists, to compare decoded with freshly built ones."""
    out = dict(params)
    if "bands" in out:
        out["bands"] = [list(b) for b in out["bands"]]
    return out


def fields_params(
    method: str,
    *,
    late_factor: float = DEFAULT_LATE_FACTOR,
    mode: str = "share",
    bands: Iterable[Sequence[float]] = (),
    when_empty: float | None = None,
    outcomes: Iterable[tuple[str, str, float]] = (),
    expected_outcome: str | None = None,
    expected_points: float | None = None,
) -> Params:
    """The parameters of a method from its fields, as stored (only the method's own)."""
    if method == "tasks":
        return {"late_factor": late_factor, "mode": mode}
    if method == "threshold":
        params: Params = {"bands": [list(b) for b in bands]}
        if when_empty is not None:
            params["when_empty"] = when_empty
        return params
    if method == "condition":
        params = {"outcomes": [{"key": k, "label": label, "points": points}
                               for k, label, points in outcomes]}
        if expected_outcome:
            params["expected_outcome"] = expected_outcome
        return params
    if method == "manual" and expected_points is not None:
        return {"expected_points": expected_points}
    return {}


def missing(method: str, params: Mapping[str, Any], *, has_indicator: bool) -> list[str]:
    """What a leaf's parameters still lack before it can score, as kinds: `indicator` and
    `bands` for a threshold, `outcomes` for a condition with fewer than two."""
    out: list[str] = []
    if method == "threshold":
        if not has_indicator:
            out.append("indicator")
        if not params.get("bands"):
            out.append("bands")
    elif method == "condition" and len(outcomes(params)) < 2:
        out.append("outcomes")
    return out


def with_bands(params: Mapping[str, Any], bands: Iterable[Sequence[float]]) -> Params:
    """The parameters with these bands (bound, points), the rest kept."""
    out = dict(params)
    out["bands"] = [list(b) for b in bands]
    return out


def outcomes(params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A condition's outcomes as stored ({key, label, points}), in order."""
    return list(params.get("outcomes", []))


def outcome_label(params: Mapping[str, Any], key: str) -> str:
    """The words of a condition's outcome (`yes` -> "Có"), as the plan names it."""
    for outcome in outcomes(params):
        if outcome.get("key") == key:
            return str(outcome.get("label") or key)
    return key


def rule(
    *,
    code: str,
    title: str,
    max_points: float,
    method: Method,
    params: Mapping[str, Any],
    indicator: str | None = None,
    lead_office: str | None = None,
    children: tuple[CriterionRule, ...] = (),
) -> CriterionRule:
    """The node of the criteria tree that scoring reads, from the stored parameters."""
    return CriterionRule(
        code=code,
        title=title,
        max_points=max_points,
        method=method,
        children=children,
        late_factor=float(params.get("late_factor", DEFAULT_LATE_FACTOR)),
        mode="all" if params.get("mode") == "all" else "share",
        indicator=indicator,
        bands=tuple(Band(float(b), float(p)) for b, p in params.get("bands", [])),
        when_empty=params.get("when_empty"),
        outcomes=tuple(Outcome(o["key"], o.get("label", o["key"]), float(o["points"]))
                       for o in outcomes(params)),
        expected_outcome=params.get("expected_outcome"),
        expected_points=params.get("expected_points"),
        lead_office=lead_office,
    )
