"""Criteria-tree roll-up as of a date: secured, at-risk, lost and open points, projected, progress.

The semantics are DESIGN.md "The numbers". Every node splits its maximum M into four parts that
add up to M; every figure comes with the explanation lines (`planner explain CODE`) it was
computed from, including the inputs that were not counted and why.

This module is the public face of scoring; the work is split by job:

- `planner.domain.occurrences`: occurrences resolved as of a date, tallied per task;
- `planner.domain.indicators`: indicator values as of a date and their bands;
- `planner.domain.rollup`: the roll-up of the criteria tree (`score_plan`): `tasks` leaves,
  parents, totals;
- `planner.domain.dated_criteria`: `threshold`, `condition` and `manual` leaves;
- `planner.domain.parts`: a node's four parts, projection and lines as they are summed;
- `planner.domain.facts_index`: the facts indexed once, whatever the date;
- `planner.domain.incremental`: `rescore` after a few tasks changed;
- `planner.domain.explanations`: the words of `planner explain`;
- `planner.domain.results`: what scoring produces.
"""

from __future__ import annotations

from planner.domain.incremental import rescore, with_task
from planner.domain.indicators import band_points, indicator_value
from planner.domain.occurrences import (
    EvidenceState,
    OccurrenceState,
    ReviewAsOf,
    evidence_state,
    occurrence_state,
    review_as_of,
)
from planner.domain.results import (
    PARTS,
    CriterionScore,
    Explanation,
    Part,
    PlanScore,
    Totals,
)
from planner.domain.rollup import REJECTED_EVIDENCE_PROJECTED, score_plan

__all__ = [
    "PARTS",
    "REJECTED_EVIDENCE_PROJECTED",
    "CriterionScore",
    "EvidenceState",
    "Explanation",
    "OccurrenceState",
    "Part",
    "PlanScore",
    "ReviewAsOf",
    "Totals",
    "band_points",
    "evidence_state",
    "indicator_value",
    "occurrence_state",
    "rescore",
    "review_as_of",
    "score_plan",
    "with_task",
]
