"""A node of the scored tree in the making: its four parts, projection and explanation."""

from __future__ import annotations

import math
from typing import Any

from planner.domain.explanations import line
from planner.domain.facts import CriterionRule
from planner.domain.results import CriterionScore, Part


class Parts:
    """Accumulates the four parts, the projection and the explanation of one node."""

    __slots__ = (
        "at_risk", "closed", "explain", "lines", "lost", "open", "projected", "secured",
    )

    def __init__(self, explain: bool, closed: str | None = None) -> None:
        self.secured = self.at_risk = self.lost = self.open = self.projected = 0.0
        self.lines: list[Any] = []
        # Without explanation the arithmetic is the same; only the lines are not kept.
        self.explain = explain
        # Set once the plan has closed (DESIGN.md: after the closing date nothing more can be
        # won): the words appended to every line whose points `make_node` moves to lost.
        self.closed = closed

    def close(self) -> None:
        """After the plan's closing date: what is not secured is lost, and nothing more is
        projected than what is secured."""
        moved = self.at_risk + self.open
        if moved > 0:
            self.lost += moved
            self.at_risk = self.open = 0.0
        self.projected = self.secured
        if self.explain and self.closed:
            suffix = self.closed
            self.lines = [
                line(e.subject, f"{e.rule}; {suffix}", e.weight, 0.0, "lost")
                if e.counted and e.part in ("at_risk", "open")
                else e
                for e in self.lines
            ]

    def add(
        self,
        part: Part,
        amount: float,
        subject: str,
        rule: str,
        *,
        expected: bool = False,
    ) -> None:
        """Put `amount` in `part`; `expected` says it counts in the projection."""
        self.put(part, amount, expected)
        if self.explain:
            points = amount if part == "secured" else 0.0
            self.lines.append(line(subject, rule, amount, points, part))

    def put(self, part: Part, amount: float, expected: bool) -> None:
        """`add` without an explanation line."""
        if part == "secured":
            self.secured += amount
            self.projected += amount
        elif part == "open":
            self.open += amount
        elif part == "at_risk":
            self.at_risk += amount
        else:
            self.lost += amount
        if expected and part != "secured":
            self.projected += amount

    def note(self, subject: str, rule: str) -> None:
        """An input that was not counted, and why."""
        if self.explain:
            self.lines.append(line(subject, rule, None, 0.0, "open", False))


def make_node(
    rule: CriterionRule,
    max_points: float,
    parts: Parts,
    progress: float,
    *,
    method: str | None = None,
    children: tuple[CriterionScore, ...] = (),
) -> CriterionScore:
    """Build the node, absorbing float noise so the four parts add up to M exactly enough."""
    if parts.closed is not None:
        parts.close()
    values = [max(0.0, parts.secured), max(0.0, parts.at_risk), max(0.0, parts.lost)]
    values.append(max(0.0, parts.open))
    diff = max_points - sum(values)
    if diff != 0.0:
        # Tiny sums-of-shares residue goes to the largest part (open first on ties) so no part
        # turns negative and none that is zero becomes non-zero.
        order = (3, 1, 2, 0)
        target = max(order, key=lambda i: values[i])
        values[target] = max(0.0, values[target] + diff)
    secured, at_risk, lost, open_ = values
    # secured <= projected <= M - lost: what is lost cannot be won back.
    projected = max(min(parts.projected, max_points - lost), secured)
    # CriterionScore(...) without the frozen dataclass's per-field `object.__setattr__` calls,
    # like `explanations.line`: a node per criterion on every roll-up.
    node = _new(CriterionScore)
    _set(
        node,
        "__dict__",
        {
            "code": rule.code,
            "title": rule.title,
            "method": method or rule.method,
            "max_points": max_points,
            "secured": secured,
            "at_risk": at_risk,
            "lost": lost,
            "open": open_,
            "projected": projected,
            "progress": min(max(progress, 0.0), 1.0),
            "children": children,
            "explanation": tuple(parts.lines),
            "lead_office": rule.lead_office,
        },
    )
    return node


_new = object.__new__
_set = object.__setattr__


def max_points_of(rule: CriterionRule) -> float:
    return max(0.0, rule.max_points) if math.isfinite(rule.max_points) else 0.0
