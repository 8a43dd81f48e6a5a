"""`planner score --history`: the trajectory as a table, JSON or CSV."""

from __future__ import annotations

from datetime import date
from typing import Any

from planner.cli.common import emit_csv, emit_json, fmt_date, fmt_points, out, render_table
from planner.domain.trajectory import Every, Figures, TrajectoryPoint
from planner.i18n import _
from planner.services.context import Context


def _part(point: TrajectoryPoint, part: str) -> Figures:
    return {"appraised": point.appraised, "survey": point.survey}.get(part, point.overall)


def print_history(
    ctx: Context, as_of: date, every: Every, part: str, by_office: bool, fmt: str
) -> None:
    from planner.services.trajectory import plan_history

    history = plan_history(ctx, as_of, every, offices=by_office)
    plan = history.plan
    target = plan.target_score
    baseline = plan.baseline_score
    if fmt == "json":
        emit_json({
            "plan": {"year": plan.year, "title": plan.title, "number": plan.number},
            "as_of": history.as_of.isoformat(),
            "every": every,
            "target": target,
            "baseline": {"year": plan.baseline_year, "score": baseline, "max": plan.baseline_max,
                         "rank": plan.baseline_rank, "of": plan.baseline_of},
            "points": [_point_json(point, history.field_titles) for point in history.points],
        })
        return
    if fmt == "csv":
        emit_csv(
            ["as_of", "group", "code", "title", "max", "secured", "at_risk", "lost", "projected",
             "target", "last_year"],
            _csv_rows(history.points, history.field_titles, target, baseline),
        )
        return
    p = fmt_points
    labels = {"appraised": _("appraised"), "survey": _("survey"), "all": _("all")}
    steps = {"week": _("weekly"), "month": _("monthly")}
    out(_("{title} — trajectory ({part}, {every}) to {date}").format(
        title=plan.title, part=labels[part], every=steps[every], date=fmt_date(history.as_of)))
    rows = []
    for point in history.points:
        f = _part(point, part)
        rows.append([fmt_date(point.as_of), p(f.secured), p(f.at_risk), p(f.lost), p(f.projected),
                     p(f.max_points)])
    out(render_table([_("Date"), _("Secured"), _("At risk"), _("Lost"), _("Projected"), _("Max")],
                     rows, right=[1, 2, 3, 4, 5]))
    out("")
    out(_("Target: {target}. Last year ({year}): {score} / {max}.").format(
        target=p(target) if target is not None else "-",
        year=plan.baseline_year or plan.year - 1,
        score=p(baseline) if baseline is not None else "-",
        max=p(plan.baseline_max or 0)))
    if by_office:
        office_rows = [
            [fmt_date(point.as_of), office, p(at_risk), p(lost)]
            for point in history.points
            for office, at_risk, lost in point.offices
            if at_risk > 1e-9 or lost > 1e-9
        ]
        out("")
        if office_rows:
            out(render_table([_("Date"), _("Office"), _("At risk"), _("Lost")], office_rows,
                             right=[2, 3]))
        else:
            out(_("No office has points at risk or lost at any of these dates."))


def _point_json(point: TrajectoryPoint, titles: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "as_of": point.as_of.isoformat(),
        "appraised": point.appraised.to_dict(),
        "survey": point.survey.to_dict(),
        "all": point.overall.to_dict(),
        "fields": [{"code": code, "title": titles.get(code, ""), **figures.to_dict()}
                   for code, figures in point.fields],
    }
    if point.offices:
        data["offices"] = [{"office": office, "at_risk": round(at_risk, 4), "lost": round(lost, 4)}
                           for office, at_risk, lost in point.offices]
    return data


def _csv_rows(points: list[TrajectoryPoint], titles: dict[str, str], target: float | None,
              baseline: float | None) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for point in points:
        day = point.as_of.isoformat()
        groups = [("appraised", "", "", point.appraised), ("survey", "", "", point.survey),
                  ("all", "", "", point.overall)]
        groups += [("field", code, titles.get(code, ""), f) for code, f in point.fields]
        for group, code, title, f in groups:
            d = f.to_dict()
            rows.append([day, group, code, title, d["max"], d["secured"], d["at_risk"], d["lost"],
                         d["projected"], target if target is not None else "",
                         baseline if baseline is not None else ""])
        for office, at_risk, lost in point.offices:
            rows.append([day, "office", office, "", "", "", round(at_risk, 4), round(lost, 4), "",
                         target if target is not None else "",
                         baseline if baseline is not None else ""])
    return rows
