"""What-if on a database opened read-only: the plan's facts loaded once, the hypothetical
changes applied in memory (`planner.domain.whatif`), nothing written.

The rank a what-if would move to is estimated only from other units' scores: the ranking
table of the plan's baseline year (`planner ranking import`). The projected score, before
and with the hypothesis, is placed among the other units' scores of that table (appraised
against appraised, or the whole index against the whole index); without a table `rank` says
"no ranking data" rather than guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Row

from planner.domain.facts import PlanFacts
from planner.domain.ranking import Ranking
from planner.domain.results import CriterionScore, PlanScore, Totals
from planner.domain.whatif import Change, WhatIf, WhatIfError, what_if
from planner.i18n import _
from planner.services.context import Context
from planner.services.errors import InputError
from planner.services.facts import load_facts
from planner.services.plans import plan_record
from planner.services.ranking import load_ranking, part_label
from planner.store.db import Database

FIGURES = ("secured", "at_risk", "lost", "projected")


def open_read_only(location: str) -> Database:
    """The database at `location`, every connection refusing writes. It must exist, be
    planner's (a foreign database is refused, as every command refuses it) and be at the
    schema this planner expects (a read-only open cannot migrate it)."""
    from planner.services.session import connect, require_existing
    from planner.store.migrate import HEAD_REVISION, SchemaRefused, current_revision, refuse_foreign

    require_existing(location)
    db = connect(location, read_only=True)
    try:
        refuse_foreign(db)
        revision = current_revision(db)
    except SchemaRefused as exc:
        db.dispose()
        raise InputError(exc.message) from None
    except BaseException:
        db.dispose()
        raise
    if revision != HEAD_REVISION:
        db.dispose()
        raise InputError(
            _(
                "{db}: the database is at schema revision {found}, this planner expects {head}; "
                "run `planner db upgrade` first (what-if opens it read-only)"
            ).format(db=db.describe(), found=revision or "-", head=HEAD_REVISION)
        )
    return db


def hypothetical_date(ctx: Context, value: str, field: str, *, force: bool = False) -> date:
    """A date typed for a hypothesis (done on, slipped to, rejected on): like any date of the
    plan, refused outside the plan year and its closing period unless `force`."""
    from planner.services.inputs import plan_date_field

    with ctx.db.reading() as conn:
        plan: Any = plan_record(conn, ctx.plan_year)
    return plan_date_field(value, field, plan=plan, today=ctx.today, work=ctx.work, force=force)


@dataclass(frozen=True)
class Rank:
    """The rank estimate: None with a reason when there is no ranking data.

    `before` and `after` are the ranks the projected score (as the plan stands, and with the
    hypothesis) would have had against the other units' scores of the ranking of `year`;
    `last_year` is the rank the unit had in it, of `of` units. `part` says which scores are
    compared ("appraised" or "all")."""

    before: int | None
    after: int | None
    note: str
    last_year: int | None = None
    of: int | None = None
    year: int | None = None
    part: str | None = None
    score_before: float | None = None
    score_after: float | None = None
    #: The projected scores are the comparable ones (criteria not applicable rescaled).
    comparable: bool = False


def estimate_rank(ranking: Ranking | None, before: PlanScore, after: PlanScore,
                  facts: PlanFacts | None = None) -> Rank:
    """The rank estimate of a what-if from the ranking table (see the module's note). With
    criteria not applicable to the unit (in `facts`), the projected score is compared as the
    index compares units: rescaled to the part's full points (the comparable score)."""
    if ranking is None:
        return Rank(None, None, _("no ranking data"))
    part = "all" if ranking.part == "all" else "appraised"

    def projected(score: PlanScore) -> float:
        totals = score.overall if part == "all" else score.appraised
        if facts is None or not facts.not_applicable:
            return float(totals.projected)
        from planner.domain.applicability import comparable_score

        rescaled = comparable_score(score, facts)
        comparable = rescaled.overall if part == "all" else rescaled.appraised
        return float(comparable.projected if comparable is not None else totals.projected)

    old, new = projected(before), projected(after)
    mine = ranking.ours
    note = _("estimated against the other units' scores of {year} ({part})").format(
        year=ranking.year, part=part_label(part))
    return Rank(ranking.estimate(old), ranking.estimate(new), note,
                last_year=mine.rank if mine else None, of=len(ranking.units), year=ranking.year,
                part=part, score_before=round(old, 4), score_after=round(new, 4),
                comparable=facts is not None and bool(facts.not_applicable))


@dataclass(frozen=True)
class WhatIfResult:
    plan: Row[Any]
    facts: PlanFacts
    result: WhatIf
    rank: Rank

    def rows(self) -> list[tuple[str, str, Totals | CriterionScore, Totals | CriterionScore]]:
        """(key, label, before, after) for the totals and each field."""
        before, after = self.result.before, self.result.after
        out: list[tuple[str, str, Totals | CriterionScore, Totals | CriterionScore]] = [
            ("all", _("Total"), before.overall, after.overall),
            ("appraised", _("Appraised"), before.appraised, after.appraised),
            ("survey", _("Survey"), before.survey, after.survey),
        ]
        for old, new in zip(before.criteria, after.criteria, strict=True):
            out.append((old.code, f"{old.code} {old.title}", old, new))
        return out


def run_what_if(ctx: Context, changes: Sequence[Change], as_of: date | None = None) -> WhatIfResult:
    """The plan's figures before and after the changes (never written anywhere)."""
    day = as_of or ctx.today
    with ctx.db.reading() as conn:
        plan = plan_record(conn, ctx.plan_year)
        facts = load_facts(conn, plan)
        ranking = load_ranking(conn, plan)
    try:
        result = what_if(facts, changes, day)
    except WhatIfError as exc:
        raise InputError(
            _("{subject}: {reason}").format(subject=exc.subject, reason=exc.reason)
        ) from exc
    return WhatIfResult(plan, facts, result, estimate_rank(ranking, result.before, result.after, facts))
