"""`planner score` and `planner explain`: the roll-up and its reasons."""

from __future__ import annotations

import os
import sys

import click

from planner.cli.click_i18n import WholeNumberRange
from planner.cli.common import (
    as_of_option,
    emit_csv,
    emit_json,
    fmt_date,
    fmt_points,
    format_option,
    out,
    render_table,
    resolve_as_of,
    state,
)
from planner.i18n import _


@click.command("score", help=_("Secured, at-risk, lost, open and projected points per criterion."))
@as_of_option
@click.option("--depth", type=WholeNumberRange(1, 5), default=3, show_default=True, help=_("Levels of the tree to show."))
@click.option("--history", is_flag=True,
              help=_("The trajectory: the figures at each week (or month) from the plan's start to the as-of date."))
@click.option("--every", type=click.Choice(["week", "month"]), default="week", show_default=True,
              help=_("With --history: one point a week or a month."))
@click.option("--part", type=click.Choice(["appraised", "survey", "all"]), default="appraised", show_default=True,
              help=_("With --history, in the table: which total to show."))
@click.option("--offices", "by_office", is_flag=True,
              help=_("With --history: each office's points at risk and lost at each date (slower)."))
@format_option("table", "json", "csv")
def score_cmd(as_of: str | None, depth: int, history: bool, every: str, part: str, by_office: bool,
              fmt: str) -> None:
    ctx = state().context()
    day = resolve_as_of(ctx, as_of)
    if history:
        from planner.cli.history_output import print_history

        print_history(ctx, day, every, part, by_office, fmt)  # type: ignore[arg-type]
        return
    if by_office:
        raise click.UsageError(_("--offices applies to --history."))
    print_score(ctx, day, depth, fmt)


def print_score(ctx, as_of, depth: int = 3, fmt: str = "table") -> None:  # type: ignore[no-untyped-def]
    from planner.domain.applicability import comparable_score
    from planner.services.scores import plan_score

    result = plan_score(ctx, as_of, explain=False)
    plan, score = result.plan, result.score
    comparable = comparable_score(score, result.facts)
    excluded = _not_applicable_codes(score, comparable.criteria)
    if fmt == "json":
        def totals(t):  # type: ignore[no-untyped-def]
            return {"max": t.max_points, "secured": round(t.secured, 4), "at_risk": round(t.at_risk, 4),
                    "lost": round(t.lost, 4), "open": round(t.open, 4),
                    "projected": round(t.projected, 4), "progress": round(t.progress, 4)}

        emit_json({
            "plan": {"year": plan.year, "title": plan.title, "number": plan.number},
            "as_of": result.as_of.isoformat(),
            "totals": {
                "appraised": totals(score.appraised), "survey": totals(score.survey),
                "all": totals(score.overall),
                "baseline": {"year": plan.baseline_year, "score": plan.baseline_score,
                             "max": plan.baseline_max, "rank": plan.baseline_rank, "of": plan.baseline_of},
                "target": plan.target_score,
            },
            "criteria": [_mark(c.to_dict(), excluded) for c in score.criteria],
            "not_applicable": [{"code": n.code, "title": n.title, "points": round(n.points, 4)}
                               for n in comparable.criteria],
            "comparable": {part: _comparable_json(c) for part, c in (
                ("appraised", comparable.appraised), ("survey", comparable.survey),
                ("all", comparable.overall))},
        })
        return
    if fmt == "csv":
        emit_csv(["code", "title", "method", "max", "secured", "at_risk", "lost", "open", "projected",
                  "progress"],
                 ([n.code, n.title, n.method, round(n.max_points, 4), round(n.secured, 4),
                   round(n.at_risk, 4), round(n.lost, 4), round(n.open, 4), round(n.projected, 4),
                   round(n.progress, 4)] for n in score.walk()))
        return
    p = fmt_points
    rows = []
    for node in score.walk():
        level = node.code.count(".")
        if level >= depth:
            continue
        flag = _("n/a") if node.code in excluded else ("!" if node.at_risk > 1e-9 else "")
        rows.append(["  " * level + node.code, node.title, p(node.max_points), p(node.secured),
                     p(node.at_risk), p(node.lost), p(node.open), p(node.projected), flag])
    out(_("{title} — as of {date}").format(title=plan.title, date=fmt_date(result.as_of)))
    out(render_table([_("Code"), _("Criterion"), _("Max"), _("Secured"), _("At risk"), _("Lost"),
                      _("Open"), _("Projected"), ""], rows, flex=1, right=[2, 3, 4, 5, 6, 7]))
    out("")
    parts = ((_("Appraised"), score.appraised, comparable.appraised),
             (_("Survey"), score.survey, comparable.survey),
             (_("Total"), score.overall, comparable.overall))
    for label, t, c in parts:
        out(_("{label}: secured {s} / {m}, projected {pr}, at risk {r}, lost {l}").format(
            label=label, s=p(t.secured), m=p(t.max_points), pr=p(t.projected), r=p(t.at_risk), l=p(t.lost)))
        if c is not None:
            out("  " + comparable_line(c))
    if comparable.criteria:
        out(not_applicable_line(comparable.criteria))
    if plan.baseline_score is not None:
        out(_("Last year ({year}): {score} / {max}, rank {rank} of {of}. Target: {target}.").format(
            year=plan.baseline_year or plan.year - 1, score=p(plan.baseline_score),
            max=p(plan.baseline_max or 0), rank=plan.baseline_rank or "-", of=plan.baseline_of or "-",
            target=p(plan.target_score) if plan.target_score is not None else "-"))


def comparable_line(c) -> str:  # type: ignore[no-untyped-def]
    """"comparable (out of 56): secured 18.84, projected 45.61" — shared with the TUI."""
    p = fmt_points
    return _("comparable (out of {full}, {na} not applicable): secured {s} / {full}, "
             "projected {pr}").format(full=p(c.full_max), na=p(c.not_applicable),
                                      s=p(c.secured), pr=p(c.projected))


def not_applicable_line(criteria) -> str:  # type: ignore[no-untyped-def]
    listed = ", ".join(f"{n.code} {n.title} ({fmt_points(n.points)})" for n in criteria)
    return _("Not applicable: {criteria}.").format(criteria=listed)


def _not_applicable_codes(score, criteria) -> set[str]:  # type: ignore[no-untyped-def]
    """The codes of the criteria not applicable and of everything under them."""
    marked = {n.code for n in criteria}
    out: set[str] = set()
    stack = [(node, False) for node in score.criteria]
    while stack:
        node, inherited = stack.pop()
        na = inherited or node.code in marked
        if na:
            out.add(node.code)
        stack.extend((child, na) for child in node.children)
    return out


def _mark(node: dict, excluded: set[str]) -> dict:  # type: ignore[type-arg]
    node["applicable"] = node["code"] not in excluded
    node["children"] = [_mark(child, excluded) for child in node["children"]]
    return node


def _comparable_json(c) -> dict | None:  # type: ignore[no-untyped-def, type-arg]
    if c is None:
        return None
    return {"max": round(c.full_max, 4), "not_applicable": round(c.not_applicable, 4),
            "secured": round(c.secured, 4), "projected": round(c.projected, 4)}


@click.command("explain", help=_("Why a criterion has its points: every input, weight, rule and band."))
@click.argument("code")
@as_of_option
@format_option("text", "json")
def explain_cmd(code: str, as_of: str | None, fmt: str) -> None:
    from planner.presentation.explain import explanation_lines
    from planner.services.scores import explain

    ctx = state().context()
    result, node = explain(ctx, code, resolve_as_of(ctx, as_of))
    if fmt == "json":
        data = node.to_dict()
        data["explanation"] = [
            {"subject": e.subject, "rule": e.rule, "weight": e.weight, "points": e.points,
             "part": e.part, "counted": e.counted} for e in node.explanation]
        emit_json(data)
        return
    # A person at a terminal reads the rules wrapped to its width; a program reading the
    # output gets every line whole.
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 0
    for line in explanation_lines(node, result.as_of, width):
        out(line)
