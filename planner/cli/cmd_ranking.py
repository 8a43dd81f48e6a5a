"""`planner ranking`: the city's published ranking of the units, which the what-if estimates
the rank against."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from planner.cli.common import emit_json, fmt_points, format_option, out, render_table, state
from planner.i18n import _


@click.group("ranking", help=_(
    "The city's published ranking of the units for a year (each unit's score and rank): "
    "`planner whatif` estimates the rank a projected score would have had against it."))
def ranking_group() -> None:
    pass


@ranking_group.command("import", help=_(
    "Import a year's ranking from a CSV or spreadsheet file with the columns \"Đơn vị\" / "
    "\"Unit\", \"Điểm\" / \"Score\" and optionally \"Xếp hạng\" / \"Rank\" (computed from the "
    "scores when absent) and \"Điểm tối đa\" / \"Max\". Replaces that year's table; all or "
    "nothing. Coordinators only."))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--year", type=click.IntRange(2000, 2100),
              help=_("The year of the ranking (default: the plan's baseline year, else the year before the plan)."))
@click.option("--part", type=click.Choice(["appraised", "all"]),
              help=_("What the scores are of: the appraised points or the whole index (default: "
                     "inferred from the maximum the table states, else appraised)."))
@click.option("--ours", metavar="NAME",
              help=_("Our unit's name as the table writes it (default: the plan's agency, "
                     "matched without regard to case or diacritics)."))
def ranking_import(file: Path, year: int | None, part: str | None, ours: str | None) -> None:
    from planner.io.ranking_import import read_ranking_file
    from planner.services.ranking import import_ranking

    ctx = state().context()
    draft = read_ranking_file(file, ctx.limits)
    imported = import_ranking(ctx, draft, file.name, year=year, part=part, ours=ours)
    ranking = imported.ranking
    mine = ranking.ours
    out(_("Ranking of {year} imported for the plan {plan}: {n} units, scores of {part}.").format(
        year=ranking.year, plan=imported.plan_year, n=len(ranking.units),
        part=_part_label(ranking.part)))
    if mine is not None:
        out(_("Our unit: {unit}, {score} points, rank {rank} of {of}.").format(
            unit=mine.unit, score=fmt_points(mine.score), rank=mine.rank, of=len(ranking.units)))
    if imported.replaced:
        out(_("It replaces the {n} rows of the earlier table of {year}.").format(
            n=imported.replaced, year=ranking.year))


@ranking_group.command("show", help=_("Print a year's ranking of the units."))
@click.option("--year", type=click.IntRange(2000, 2100),
              help=_("The year of the ranking (default: the plan's baseline year, else the year before the plan)."))
@format_option("table", "json")
def ranking_show(year: int | None, fmt: str) -> None:
    from planner.services.errors import NotFound
    from planner.services.ranking import default_year, show_ranking

    ctx = state().context()
    plan, ranking, years = show_ranking(ctx, year)
    if ranking is None:
        wanted = year if year is not None else default_year(plan)
        known = ", ".join(str(y) for y in years) or "-"
        raise NotFound(_(
            "The plan {plan} has no ranking of {year} (rankings held: {years}); import one with "
            "`planner ranking import FILE`.").format(plan=plan.year, year=wanted, years=known))
    if fmt == "json":
        emit_json(_json(plan, ranking))
        return
    of = f" / {fmt_points(ranking.max_points)}" if ranking.max_points else ""
    out(_("Ranking of {year} ({part}{of}) — {n} units").format(
        year=ranking.year, part=_part_label(ranking.part), of=of, n=len(ranking.units)))
    rows = [[str(u.rank), u.unit, fmt_points(u.score), "◀ " + _("our unit") if u.ours else ""]
            for u in ranking.units]
    out(render_table([_("Rank"), _("Department"), _("Points"), ""], rows, flex=1, right=[0, 2]))


def _part_label(part: str) -> str:
    from planner.services.ranking import part_label

    return part_label(part)


def _json(plan: Any, ranking: Any) -> dict[str, Any]:
    return {"plan": plan.year, "year": ranking.year, "part": ranking.part,
            "max_points": ranking.max_points,
            "units": [{"rank": u.rank, "unit": u.unit, "score": u.score, "ours": u.ours}
                      for u in ranking.units]}
