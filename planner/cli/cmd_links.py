"""`planner links suggest` and `planner links accept`: linking the tasks of a plan to criteria."""

from __future__ import annotations

import click

from planner.cli.common import (
    clip,
    emit_json,
    fmt_points,
    format_option,
    out,
    render_table,
    state,
    warn,
)
from planner.i18n import _


@click.group("links", help=_("Suggest and accept links from tasks to criteria."))
def links_group() -> None:
    pass


@links_group.command("suggest", help=_(
    "For each task without a link, the criteria it probably serves, with a score: from the "
    "section it sits under and the words of its title and product against each criterion's "
    "title and scoring guidance."))
@click.argument("tasks", nargs=-1)
@click.option("--all", "include_linked", is_flag=True, help=_("Also the tasks that have links."))
@click.option("--top", type=click.IntRange(1, 10), default=3, show_default=True,
              help=_("Suggestions per task."))
@format_option("table", "json")
def links_suggest(tasks: tuple[str, ...], include_linked: bool, top: int, fmt: str) -> None:
    from planner.services.links import suggest_links

    ctx = state().context()
    found = suggest_links(ctx, include_linked=include_linked, limit=top,
                          codes=list(tasks) if tasks else None)
    if fmt == "json":
        emit_json([{"task": t.code, "title": t.title, "section": t.section,
                    "linked": list(t.linked), "rank": rank, "criterion": s.criterion,
                    "criterion_title": s.title, "score": s.score, "by_section": s.by_section}
                   for t in found for rank, s in enumerate(t.suggestions, start=1)])
        return
    if not found:
        out(_("Every task is linked to a criterion."))
        return
    rows = []
    for t in found:
        for rank, s in enumerate(t.suggestions, start=1):
            rows.append([t.code if rank == 1 else "", clip(t.title, 34) if rank == 1 else "",
                         str(rank),
                         s.criterion, s.title, fmt_points(s.score)])
        if not t.suggestions:
            rows.append([t.code, clip(t.title, 34), "", "", _("(no suggestion)"), ""])
    out(render_table([_("Task"), _("Title"), "#", _("Criterion"), _("Criterion title"),
                      _("Score")], rows, flex=4, right=[5]))
    unlinked = sum(1 for t in found if not t.linked)
    warn(_("{n} tasks without a link. Accept with `planner links accept TASK CRITERION…` or "
           "`planner links accept --all-above SCORE`.").format(n=unlinked))


@links_group.command("accept", help=_(
    "Link TASK to the CRITERIA named (each with weight 1, or --weight), or, with --all-above "
    "SCORE, link every task without a link to each of its suggestions scoring at least SCORE."))
@click.argument("task", required=False)
@click.argument("criteria", nargs=-1)
@click.option("--weight", type=float, help=_("Weight of each link (default 1: equal weights)."))
@click.option("--all-above", "above", type=float, metavar="SCORE",
              help=_("Accept the suggestions scoring at least SCORE for every task without a link."))
def links_accept(task: str | None, criteria: tuple[str, ...], weight: float | None,
                 above: float | None) -> None:
    from planner.services.errors import InputError
    from planner.services.links import accept_above, accept_links

    ctx = state().context()
    if above is not None:
        if task or criteria or weight is not None:
            raise InputError(_("--all-above takes no task, criteria or weight."))
        accepted = accept_above(ctx, above)
        for a in accepted:
            out(f"{a.task:<10} {a.criterion:<8} {fmt_points(a.score)}")
        warn(_("{n} links accepted for {t} tasks.").format(
            n=len(accepted), t=len({a.task for a in accepted})))
        return
    if not task or not criteria:
        raise InputError(_("Name a task and its criteria (planner links accept T05 3.3.3), or "
                           "give --all-above SCORE."))
    written = accept_links(ctx, task, list(criteria), weight=weight)
    warn(_("{task} linked to {links}.").format(
        task=task, links=", ".join(f"{code} ({w:g})" for code, w in written)))
