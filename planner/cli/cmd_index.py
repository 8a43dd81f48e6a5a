"""`planner import criteria`: the province's index, read from its decision's table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli.common import emit_json, fmt_date, fmt_points, out, render_table, state, warn
from planner.i18n import _

if TYPE_CHECKING:
    from planner.domain.guidance import Inference
    from planner.io.criteria_import import DraftCriterion, IndexDraft
    from planner.services.index_import import Difference, ExistingPlan


@click.command("criteria", help=_(
    "Import the criteria tree of the year's index from the province's decision (.xlsx, .xls, "
    ".ods, or a table in a .docx): codes, titles, maximum points and scoring guidance; the "
    "method of each criterion is read from its guidance. Creates the year's plan when there "
    "is none. All or nothing."))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--year", type=click.IntRange(2000, 2100),
              help=_('Year of the index (default: from the decision, "năm 2023").'))
@click.option("--sheet", help=_("Read this sheet or table number (default: the first that holds a criteria table)."))
@click.option("--method", "methods", multiple=True, metavar="CODE=METHOD",
              help=_("Score CODE by METHOD ('tasks', 'threshold', 'condition', 'manual') whatever "
                     "its guidance says; repeatable."))
@click.option("--replace", is_flag=True,
              help=_("Replace the criteria of a plan that already has some (with --dry-run: list every difference)."))
@click.option("--dry-run", is_flag=True, help=_("Show the criteria, the methods read and every problem; write nothing."))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help=_("Output format of --dry-run."))
def import_criteria(file: Path, year: int | None, sheet: str | None, methods: tuple[str, ...],
                    replace: bool, dry_run: bool, fmt: str) -> None:
    from planner.cli.cmd_io import _Progress, ctx_exit
    from planner.io.criteria_import import parse_overrides
    from planner.services.errors import InputError
    from planner.services.index_import import differences, prepare_index, write_index

    if not file.exists():
        raise InputError(_("{file}: no such file.").format(file=file))
    try:
        overrides = parse_overrides(methods)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    ctx = state().context(create=True)  # an index may start a new database, as `import plan` does
    progress = _Progress()
    draft, existing = prepare_index(ctx, file, year=year, sheet=sheet, overrides=overrides,
                                    progress=progress)
    progress.done()
    diffs = differences(existing, draft) if existing is not None and existing.criteria else []
    if dry_run:
        if fmt == "json":
            emit_json(_draft_json(draft, existing, diffs))
        else:
            _print_draft(draft, existing, diffs, replace)
        for note in draft.notes:
            warn(note)
        if draft.problems:
            _print_problems(draft)
            ctx_exit(2)
        warn(_("Dry run: nothing was written."))
        return
    if draft.problems:
        _print_problems(draft)
        raise InputError(_("{file}: {n} problems; nothing was imported.").format(
            file=file.name, n=len(draft.problems)))
    summary = write_index(ctx, draft, existing, replace=replace)
    for note in draft.notes:
        warn(note)
    counts: dict[str, int] = {}
    for c in draft.leaves:
        counts[c.method] = counts.get(c.method, 0) + 1
    methods_text = ", ".join(f"{n} {m}" for m, n in sorted(counts.items()))
    if summary.created_plan:
        what = _("Created the {year} plan")
    elif existing is not None and existing.criteria:
        what = _("Replaced the criteria of the {year} plan")
    else:
        what = _("Filled the {year} plan")
    warn((what + _(" from {file}: {n} criteria, {points} points; methods: {methods}.")).format(
        year=summary.year, file=file.name, n=len(draft.criteria),
        points=compact(draft.total()), methods=methods_text))
    if summary.removed or summary.changed or (summary.added and existing is not None):
        warn(_("{added} added, {changed} changed, {removed} removed ({links} task links "
               "removed).").format(added=summary.added, changed=summary.changed,
                                   removed=summary.removed, links=summary.links_removed))
    gaps = [(c, g) for c in draft.leaves for g in _gaps(c)]
    if gaps:
        warn(_("Still to do: {n} criteria need an indicator or bands (`planner criterion gaps`).")
             .format(n=len({c.code for c, _g in gaps})))


def _gaps(c: DraftCriterion) -> list[str]:
    from planner.io.criteria_import import gaps

    return gaps(c)


def _print_problems(draft: IndexDraft) -> None:
    from planner.cli.cmd_io import MAX_PROBLEMS_SHOWN

    for p in draft.problems[:MAX_PROBLEMS_SHOWN]:
        warn(str(p))
    if len(draft.problems) > MAX_PROBLEMS_SHOWN:
        warn(_("… and {n} more problems.").format(n=len(draft.problems) - MAX_PROBLEMS_SHOWN))


def compact(value: float) -> str:
    """0.5 as "0,5" in Vietnamese and "0.5" in English; 100 as "100"."""
    text = f"{value:g}"
    return text.replace(".", ",") if fmt_points(0.5).startswith("0,") else text


def _percent(value: float) -> str:
    return f"{compact(value)}%"


def describe(c: DraftCriterion) -> str:
    """What the method of a leaf was read from, in words."""
    if c.overridden:
        return _("set with --method")
    inference: Inference | None = c.inference
    if inference is None:
        return ""
    if inference.method == "threshold" and c.method == "threshold":
        sign = "≥" if inference.direction == "higher" else "≤"
        bands = ", ".join(f"{sign}{_percent(b)} → {compact(p)}" for b, p in inference.bands)
        return _("percentage bands: {bands}").format(bands=bands)
    if inference.method == "condition":
        outcomes = "; ".join(f"{label} {compact(p)}" for _k, label, p in inference.outcomes)
        return _("outcomes: {outcomes}").format(outcomes=outcomes)
    if inference.method == "tasks" and inference.late_factor is not None:
        return _("on time or late: late factor {factor}").format(
            factor=compact(inference.late_factor))
    if inference.method == "tasks" and inference.reason == "parts adding up":
        return _("parts adding up to the maximum: delivery of linked tasks")
    if inference.method == "manual":
        return _("survey: points entered by hand")
    return _("no rule recognised: delivery of linked tasks")


def _where(draft: IndexDraft) -> str:
    if draft.kind == "table":
        return _("Table {n}, header on row {row}, table to row {last}.").format(
            n=draft.sheet, row=draft.header_row, last=draft.last_row)
    return _('Sheet "{sheet}", header on row {row}, table to row {last}.').format(
        sheet=draft.sheet, row=draft.header_row, last=draft.last_row)


def _plan_line(draft: IndexDraft, existing: ExistingPlan | None, replace: bool,
               diffs: list[Difference]) -> str:
    if existing is None:
        return _("There is no {year} plan: it is created.").format(year=draft.year)
    if not existing.criteria:
        return _('The {year} plan "{title}" has no criteria: they are added to it.').format(
            year=existing.year, title=existing.title)
    if replace:
        return _("The {year} plan has {n} criteria: --replace makes the {d} changes listed "
                 "below.").format(year=existing.year, n=len(existing.criteria), d=len(diffs))
    return _("The {year} plan already has {n} criteria: add --replace to replace them ({d} "
             "differences, listed below).").format(year=existing.year, n=len(existing.criteria),
                                                    d=len(diffs))


def _print_draft(draft: IndexDraft, existing: ExistingPlan | None, diffs: list[Difference],
                 replace: bool) -> None:
    if not draft.criteria and not draft.sheet:
        return
    head = _('Index {year} "{title}"').format(year=draft.year or "?", title=draft.title)
    if draft.decision:
        head += " " + _("(decision {number}").format(number=draft.decision) + (
            f", {fmt_date(draft.issued_on)})" if draft.issued_on else ")")
    out(head)
    out(_where(draft))
    if draft.year is not None:
        out(_plan_line(draft, existing, replace, diffs))
    if draft.criteria:
        out("")
        survey = set(draft.survey_fields)
        appraised = draft.total(tuple(c.code for c in draft.criteria
                                      if c.parent is None and c.code not in survey))
        out(_("Criteria ({n}; appraised {a} points, survey {s} points):").format(
            n=len(draft.criteria), a=compact(appraised), s=compact(draft.total(tuple(survey)))))
        rows = [[("  " * c.code.count(".")) + c.code, c.title, compact(c.max_points),
                 "" if c.method == "sum" else c.method, str(c.row)]
                for c in draft.criteria]
        out(render_table([_("Code"), _("Criterion"), _("Max"), _("Method"), _("Row")], rows,
                         flex=1, right=[2, 4]))
        out("")
        out(_("Methods read from the guidance (change one with --method CODE=METHOD):"))
        for c in draft.leaves:
            out(f"  {c.code:<7} {c.method:<10} {describe(c)}")
    gaps = [(c, g) for c in draft.leaves for g in _gaps(c)]
    if gaps:
        out("")
        out(_("To choose after the import (`planner criterion gaps` lists them):"))
        for c, gap in gaps:
            out(f"  {c.code:<8} {gap}")
    if diffs:
        out("")
        out(_("Differences with the plan's criteria:"))
        marks = {"added": "+", "changed": "~", "removed": "-"}
        for d in diffs:
            out(f"  {marks[d.kind]} {d.code:<8} {d.text}")


def _draft_json(draft: IndexDraft, existing: ExistingPlan | None,
                diffs: list[Difference]) -> dict[str, Any]:
    def criterion(c: DraftCriterion) -> dict[str, Any]:
        inference = c.inference
        return {
            "code": c.code, "parent": c.parent, "title": c.title, "max": c.max_points,
            "method": c.method, "overridden": c.overridden,
            "inferred": inference.method if inference else None,
            "reason": describe(c) if c.method != "sum" else "",
            "bands": [list(b) for b in inference.bands] if inference else [],
            "outcomes": [{"key": k, "label": label, "points": p}
                         for k, label, p in inference.outcomes] if inference else [],
            "late_factor": inference.late_factor if inference else None,
            "guidance": c.guidance, "row": c.row, "gaps": _gaps(c),
        }

    return {
        "year": draft.year, "title": draft.title, "decision": draft.decision,
        "issued_on": draft.issued_on.isoformat() if draft.issued_on else None,
        "sheet": draft.sheet, "kind": draft.kind, "header_row": draft.header_row,
        "plan": "new" if existing is None else ("has_criteria" if existing.criteria else "empty"),
        "survey_fields": list(draft.survey_fields),
        "criteria": [criterion(c) for c in draft.criteria],
        "differences": [{"kind": d.kind, "code": d.code, "text": d.text, "blocked": d.blocked}
                        for d in diffs],
        "problems": [p.to_json() for p in draft.problems],
        "notes": list(draft.notes),
    }
