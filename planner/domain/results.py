"""What scoring produces: a node's figures, its explanation lines, the totals, the tree.

The semantics of every figure are DESIGN.md "The numbers"; `planner.domain.rollup` computes
them, `planner.domain.explanations` words them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Part = Literal["secured", "at_risk", "lost", "open"]
PARTS: tuple[Part, ...] = ("secured", "at_risk", "lost", "open")
SECURED, AT_RISK, LOST, OPEN = range(4)


@dataclass(frozen=True)
class Explanation:
    """One line of `planner explain CODE`: an input, the rule applied to it and what it earned.

    `weight` is the share of the criterion maximum (in points) this line carries in `part`, so
    the counted lines of a node add up, part by part, to the node's figures. Lines with
    `counted=False` carry nothing and say in `rule` why the input was left out.
    """

    subject: str
    rule: str
    weight: float | None
    points: float
    part: Part
    counted: bool = True


@dataclass(frozen=True)
class CriterionScore:
    """The figures of one criterion as of a date, with its children and explanation."""

    code: str
    title: str
    method: str
    max_points: float
    secured: float
    at_risk: float
    lost: float
    open: float
    projected: float
    progress: float
    children: tuple[CriterionScore, ...] = ()
    explanation: tuple[Explanation, ...] = ()
    lead_office: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The node as `planner score --format json` prints it (numbers to 4 decimals)."""
        return {
            "code": self.code,
            "title": self.title,
            "method": self.method,
            "max": round(self.max_points, 4),
            "secured": round(self.secured, 4),
            "at_risk": round(self.at_risk, 4),
            "lost": round(self.lost, 4),
            "open": round(self.open, 4),
            "projected": round(self.projected, 4),
            "progress": round(self.progress, 4),
            "children": [child.to_dict() for child in self.children],
        }


@dataclass(frozen=True)
class Totals:
    """The figures of a group of root criteria (appraised, survey or all)."""

    max_points: float
    secured: float
    at_risk: float
    lost: float
    open: float
    projected: float
    progress: float

    def to_dict(self) -> dict[str, float]:
        return {
            "max": round(self.max_points, 4),
            "secured": round(self.secured, 4),
            "at_risk": round(self.at_risk, 4),
            "lost": round(self.lost, 4),
            "open": round(self.open, 4),
            "projected": round(self.projected, 4),
            "progress": round(self.progress, 4),
        }


@dataclass(frozen=True)
class PlanScore:
    """The whole tree scored as of `as_of`, with the appraised, survey and overall totals."""

    as_of: date
    criteria: tuple[CriterionScore, ...]
    appraised: Totals
    survey: Totals
    overall: Totals

    # `explain CODE` and the TUI look nodes up by code repeatedly: `find` indexes the tree on
    # its first call. Kept out of the fields so that equality, repr and asdict see only the
    # figures. (`score_plan` and `rescore` also keep here, as `_scorer`, what an incremental
    # `rescore` starts from.) Not built up front: points at stake and what-if rescore the
    # plan thousands of times and read only the totals; indexing each score was a third of it.

    def __getstate__(self) -> dict[str, Any]:
        # Pickles and copies carry the figures, not the incremental state behind them.
        return {k: v for k, v in self.__dict__.items() if k not in ("_scorer", "_index")}

    def find(self, code: str) -> CriterionScore | None:
        """The node with this code (the first in walk order if codes repeat)."""
        index: dict[str, CriterionScore] | None = self.__dict__.get("_index")
        if index is None:
            index = {}
            for node in self.walk():
                index.setdefault(node.code, node)
            object.__setattr__(self, "_index", index)
        return index.get(code)

    def walk(self) -> Iterator[CriterionScore]:
        """Every node depth-first, parents before their children."""
        stack = list(reversed(self.criteria))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))
