"""What scoring needs of a plan's facts whatever the date, indexed once per facts object."""

from __future__ import annotations

import copy
import weakref
from collections.abc import Iterable
from typing import Any

from planner.domain.facts import (
    Confirmation,
    EvidenceFact,
    IndicatorDef,
    ManualEntry,
    PlanFacts,
    Reading,
    TaskLink,
)


def weights_by_criterion(links: Iterable[TaskLink]) -> dict[str, dict[str, float]]:
    """Per criterion, each linked task's weight (the same task linked twice counts once with
    the weights added), in link order."""
    out: dict[str, dict[str, float]] = {}
    for link in links:
        weights = out.get(link.criterion_code)
        if weights is None:
            weights = out[link.criterion_code] = {}
        task = link.task_code
        weights[task] = weights.get(task, 0.0) + link.weight
    return out


def group(items: Iterable[tuple[str, Any]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for key, item in items:
        out.setdefault(key, []).append(item)
    return out


class FactsIndex:
    """What scoring needs of a plan's facts whatever the date: the links per criterion and
    the dated inputs per indicator or criterion. Depends on everything but the occurrences,
    so `rescore` hands it on when only occurrences changed."""

    def __init__(self, facts: PlanFacts) -> None:
        self.links_of = facts.links
        self.weights = weights_by_criterion(facts.links)
        self.indicators: dict[str, IndicatorDef] = {}
        for ind in facts.indicators:
            self.indicators.setdefault(ind.code, ind)
        self.readings: dict[str, list[Reading]] = group(
            (reading.indicator, reading) for reading in facts.readings
        )
        self.confirmations: dict[str, list[Confirmation]] = group(
            (conf.criterion_code, conf) for conf in facts.confirmations
        )
        self.entries: dict[str, list[ManualEntry]] = group(
            (entry.criterion_code, entry) for entry in facts.manual_entries
        )
        self.criterion_evidence: dict[str, list[EvidenceFact]] = group(
            (item.criterion_code, item.evidence) for item in facts.criterion_evidence
        )
        self._links: dict[str, list[TaskLink]] | None = None
        # Built by the first `rescore`.
        self.task_criteria: dict[str, set[str]] | None = None
        self.rule_paths: dict[str, list[tuple[int, ...]]] | None = None
        self.computed_codes: frozenset[str] = frozenset()
        # Built by the first `advance`.
        self.dated_codes: frozenset[str] | None = None

    @property
    def links(self) -> dict[str, list[TaskLink]]:
        """Every link per criterion, duplicates kept (the explanation lists each)."""
        if self._links is None:
            self._links = group((link.criterion_code, link) for link in self.links_of)
        return self._links

    def with_links(self, links: tuple[TaskLink, ...]) -> FactsIndex:
        """The same index for other links."""
        other = copy.copy(self)
        other.links_of = links
        other.weights = weights_by_criterion(links)
        other._links = None
        other.task_criteria = None
        return other


# One index per facts object, for as long as the object lives: scoring the same facts again
# (another date, with and without explanation) skips the indexing.
_INDEXES: dict[int, tuple[weakref.ref[PlanFacts], FactsIndex]] = {}


def facts_index(facts: PlanFacts) -> FactsIndex:
    hit = _INDEXES.get(id(facts))
    if hit is not None and hit[0]() is facts:
        return hit[1]
    index = FactsIndex(facts)
    remember_index(facts, index)
    return index


def remember_index(facts: PlanFacts, index: FactsIndex) -> None:
    key = id(facts)
    _INDEXES[key] = (weakref.ref(facts, lambda _ref: _INDEXES.pop(key, None)), index)
