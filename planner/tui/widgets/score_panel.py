"""The dashboard's score: secured, projected and at-risk points against last year and the target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from planner.i18n import _
from planner.services.tui_queries import PlanOverview
from planner.tui.format import bar, fmt_points

if TYPE_CHECKING:
    from planner.domain.whatif import WhatIfSession


def rank_move(overview: PlanOverview | None, whatif: WhatIfSession) -> str:
    """", est. rank 5 → 3 of 20" in what-if mode: the projected score with and without the
    hypotheses placed among the other units' scores of last year's ranking; "" without one."""
    ranking = getattr(overview, "ranking", None)
    if ranking is None:
        return ""
    from planner.services.whatif import estimate_rank

    rank = estimate_rank(ranking, whatif.real, whatif.score, getattr(overview, "facts", None))
    return _(", est. rank {before} → {after} of {of} (against {year})").format(
        before=rank.before, after=rank.after, of=rank.of, year=rank.year)


def _signed(value: float) -> str:
    text = fmt_points(abs(value))
    return ("+" if value >= 0 else "−") + text


class ScorePanel(Static):
    DEFAULT_CSS = """
    ScorePanel {
        border: round $primary;
        padding: 0 1;
        height: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Loading…"), id=id)
        self.border_title = _("Score")
        self.secured: float | None = None  # the appraised points secured, as shown
        self.projected: float | None = None

    def show_overview(self, overview: PlanOverview, whatif: WhatIfSession | None = None) -> None:
        plan, totals, survey = overview.plan, overview.score.appraised, overview.score.survey
        self.secured, self.projected = totals.secured, totals.projected
        p = fmt_points
        # Each figure on one line with its label, at 80 columns too (36 cells): the three
        # parts on the left, what to compare them with on the right.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(_("secured"), Text(p(totals.secured), style="bold green"), f"/ {p(totals.max_points)}",
                     "", "")
        grid.add_row(_("projected"), Text(p(totals.projected), style="bold"), "",
                     _("target"), p(plan.target_score) if plan.target_score is not None else "-")
        grid.add_row(_("at risk"), Text(p(totals.at_risk), style="bold dark_orange" if totals.at_risk else ""),
                     "", _("lost"), Text(p(totals.lost), style="red" if totals.lost else ""))
        baseline = Text("")
        if plan.baseline_score is not None:
            baseline = Text(f"{plan.baseline_year or plan.year - 1}: "
                            f"{p(plan.baseline_score)} / {p(plan.baseline_max or 0)}", style="dim")
            if plan.baseline_rank:
                baseline.append(", " + _("rank {rank} of {of}").format(
                    rank=plan.baseline_rank, of=plan.baseline_of or "-"), style="dim")
        width = max(10, self.content_size.width or 50)
        legend = Text.assemble(
            ("█ ", "green"), _("secured"), " ", ("█ ", "dark_orange"), _("at risk"), " ",
            ("█ ", "red"), _("lost"), " ", ("░ ", "grey46"), _("open"),
            no_wrap=True, overflow="ellipsis",
        )
        survey_line = Text(
            _("survey {s} / {m}, projected {pr}").format(
                s=p(survey.secured), m=p(survey.max_points), pr=p(survey.projected)),
            no_wrap=True, overflow="ellipsis",
        )
        # In what-if mode the line of last year's score shows the hypothesis instead.
        note = baseline
        if whatif is not None and whatif.done:
            now = whatif.score.appraised
            note = Text(_("what-if ({n} supposed done): secured {s} ({ds}), projected {p} ({dp})").format(
                n=len(whatif.done), s=p(now.secured), ds=_signed(now.secured - totals.secured),
                p=p(now.projected), dp=_signed(now.projected - totals.projected)),
                style="bold magenta", no_wrap=True, overflow="ellipsis")
        if whatif is not None and whatif.done and overview.ranking is not None:
            # The rank the hypotheses would move to takes the legend's line meanwhile.
            legend = Text(_("what-if: {move}").format(move=rank_move(overview, whatif).lstrip(", ")),
                          style="bold magenta", no_wrap=True, overflow="ellipsis")
        lines: list[RenderableType] = [
            grid,
            note,
            bar(totals.secured, totals.at_risk, totals.lost, totals.open, width),
            legend,
            survey_line,
        ]
        if overview.facts.not_applicable:
            # The criteria left out follow last year's score on its line, and the comparable
            # score takes the line under it, so both stay in sight at 24 rows.
            lines[1] = Text.assemble(baseline, "  " if baseline.plain else "", self._not_applicable(overview),
                                     no_wrap=True, overflow="ellipsis")
            lines[2:2] = [Text.assemble(self._comparable(overview), no_wrap=True, overflow="ellipsis")]
        self.update(Group(*lines))

    @staticmethod
    def _comparable(overview: PlanOverview) -> Text:
        """Beside the raw figures, the appraised part made comparable with units scored on
        the whole index, and the criteria not applicable."""
        from planner.domain.applicability import comparable_score

        p = fmt_points
        comparable = comparable_score(overview.score, overview.facts)
        part = comparable.appraised or comparable.overall
        text = Text.assemble((_("comparable"), "bold"), "  ")
        if part is not None:
            text.append(_("secured {s} / {m}, projected {pr}").format(
                s=p(part.secured), m=p(part.full_max), pr=p(part.projected)))
        return text

    @staticmethod
    def _not_applicable(overview: PlanOverview) -> Text:
        codes = ", ".join(n.code for n in overview.facts.not_applicable)
        return Text(_("n/a: {codes}").format(codes=codes) if codes else "", style="dim")
