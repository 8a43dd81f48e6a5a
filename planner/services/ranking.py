"""The published ranking of the units for a year, kept per plan (`ranking_entry`).

`import_ranking` replaces a year's table in one transaction (a coordinator's write, logged);
`load_ranking` reads it back through the Core tables, so the read-only what-if can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection

from planner.domain.ranking import (
    PARTS,
    RankedUnit,
    Ranking,
    competition_ranks,
    find_units,
    infer_part,
)
from planner.domain.text import fold
from planner.i18n import _
from planner.services.context import Context
from planner.services.errors import InputError
from planner.store import tables as t

if TYPE_CHECKING:
    from planner.domain.ranking import RankingDraft


def default_year(plan: Any) -> int:
    """The year whose ranking a plan compares itself with: its baseline year, else the year
    before it."""
    return int(plan.baseline_year or plan.year - 1)


def part_label(part: str) -> str:
    return _("appraised points") if part == "appraised" else _("the whole index")


@dataclass(frozen=True)
class ImportedRanking:
    ranking: Ranking
    plan_year: int
    replaced: int  # rows of the year's earlier table, now replaced


def _maxima(ctx: Context) -> tuple[float, float]:
    """The plan's appraised and whole-index maxima (from its criteria)."""
    from planner.domain.scoring import score_plan
    from planner.services.facts import load_facts
    from planner.services.plans import plan_record

    with ctx.db.reading() as conn:
        facts = load_facts(conn, plan_record(conn, ctx.plan_year))
    score = score_plan(facts, ctx.today)
    return float(score.appraised.max_points), float(score.overall.max_points)


def import_ranking(ctx: Context, draft: RankingDraft, file: str, *, year: int | None = None,
                   part: str | None = None, ours: str | None = None) -> ImportedRanking:
    """Store the ranking read from `file` (`planner.io.ranking_import.read_ranking_file`) as
    the plan's table for `year` (by default the plan's baseline year), replacing the year's
    earlier table; InputError, with nothing written, for any problem in it or the options."""
    from sqlmodel import col, delete

    from planner.services import audit, permissions
    from planner.services.inputs import text_field
    from planner.services.plans import get_plan
    from planner.store.models import RankingEntry

    if part is not None and part not in PARTS:
        raise InputError(_('--part: "{part}" is not one of {parts}.').format(
            part=part, parts=", ".join(PARTS)))
    if ours is not None:
        ours = text_field(ours, "--ours", max_length=300)
    appraised_max, whole_max = _maxima(ctx)
    if part is None:
        part = infer_part(draft.max_points, appraised_max, whole_max) \
            if draft.max_points is not None else "appraised"
    limit = draft.max_points if draft.max_points is not None else \
        (appraised_max if part == "appraised" else whole_max)
    for row in draft.rows:
        if limit > 0 and row.score > limit + 1e-9:
            raise InputError(_(
                "{file}, row {row}, column {column}: the score {score} is above the maximum of "
                "{max} points ({part}).").format(
                file=file, row=row.row, column=draft.score_header, score=_n(row.score),
                max=_n(limit), part=part_label(part)))
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        permissions.require_coordinator(session, ctx, _("importing the ranking of the units"))
        the_year = year if year is not None else default_year(plan)
        name = ours if ours is not None else plan.agency
        if not name.strip():
            raise InputError(_(
                "{file}: which row is our unit? The plan names no agency: give the unit's name "
                "with --ours.").format(file=file))
        units = [r.unit for r in draft.rows]
        found = find_units(name, units)
        if not found:
            raise InputError(_(
                '{file}: no row is our unit "{name}" (column {column}); give its name as the '
                "table writes it with --ours.").format(file=file, name=name,
                                                        column=draft.unit_header))
        if len(found) > 1:
            rows = ", ".join(str(draft.rows[i].row) for i in found)
            raise InputError(_(
                '{file}: "{name}" could be rows {rows} ({units}); give the exact name with '
                "--ours.").format(file=file, name=name, rows=rows,
                                  units="; ".join(units[i] for i in found)))
        ranks = [r.rank for r in draft.rows]
        computed = competition_ranks([r.score for r in draft.rows])
        final = [given if given is not None else rank for given, rank in zip(ranks, computed, strict=True)]
        replaced = session.execute(
            sa_select(RankingEntry.id).where(col(RankingEntry.plan_id) == plan.id,
                                             col(RankingEntry.year) == the_year)).all()
        session.execute(delete(RankingEntry).where(col(RankingEntry.plan_id) == plan.id,
                                                   col(RankingEntry.year) == the_year))
        order = sorted(range(len(draft.rows)), key=lambda i: (final[i], i))
        for position, i in enumerate(order, 1):
            row = draft.rows[i]
            session.add(RankingEntry(
                plan_id=plan.id or 0, year=the_year, unit=row.unit, unit_folded=fold(row.unit),
                score=row.score, rank=final[i], part=part, max_points=draft.max_points,
                ours=i == found[0], position=position))
        session.flush()
        ranking = Ranking(the_year, part, draft.max_points, tuple(
            RankedUnit(draft.rows[i].unit, draft.rows[i].score, final[i], i == found[0])
            for i in order))
        mine = ranking.ours
        audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="ranking.import",
                     entity="ranking", entity_id=the_year, label=str(the_year), plan_id=plan.id,
                     after={"file": file, "year": the_year, "part": part,
                            "max_points": draft.max_points, "units": len(order),
                            "ours": mine.unit if mine else None,
                            "rank": mine.rank if mine else None, "replaced": len(replaced)})
        return ImportedRanking(ranking, plan.year, len(replaced))


def load_ranking(conn: Connection, plan: Any, year: int | None = None) -> Ranking | None:
    """The plan's ranking table of `year` (by default its baseline year), None when it has
    none. Reads through the Core tables: works on a read-only connection."""
    the_year = year if year is not None else default_year(plan)
    c = t.ranking_entry.c
    rows = list(conn.execute(
        sa_select(c.unit, c.score, c.rank, c.ours, c.part, c.max_points)
        .where(c.plan_id == plan.id, c.year == the_year).order_by(c.position, c.id)))
    if not rows:
        return None
    return Ranking(the_year, rows[0].part, rows[0].max_points,
                   tuple(RankedUnit(r.unit, float(r.score), int(r.rank), bool(r.ours)) for r in rows))


def ranking_years(conn: Connection, plan: Any) -> list[int]:
    c = t.ranking_entry.c
    return list(conn.execute(sa_select(c.year).where(c.plan_id == plan.id).distinct()
                             .order_by(c.year)).scalars())


def show_ranking(ctx: Context, year: int | None = None) -> tuple[Any, Ranking | None, list[int]]:
    """(the plan, its ranking of `year` or None, the years it has rankings of)."""
    from planner.services.plans import plan_record

    with ctx.db.reading() as conn:
        plan = plan_record(conn, ctx.plan_year)
        return plan, load_ranking(conn, plan, year), ranking_years(conn, plan)


def _n(value: float) -> str:
    from planner.presentation.text import fmt_number

    return fmt_number(value)
