"""The dashboard's chart of the year: the points secured and projected each week from the
plan's start to the as-of date, against the target and last year's score.

Drawn with plotext through textual-plotext rather than textual-plot: plotext is pure Python
(textual-plot needs numpy and a canvas package), draws its lines in braille at any size,
takes the axis labels as given (dd/mm dates) and writes the legend as plain text, so the
Vietnamese words show as they are (precomposed letters, one cell each)."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from planner.i18n import _
from planner.services.trajectory import History
from planner.tui.format import fmt_points, short_date

#: At most this many dates under the x axis: more overlap at the widths the panel gets.
TICKS = 5


class TrajectoryPanel(PlotextPlot):
    DEFAULT_CSS = """
    TrajectoryPanel {
        border: round $panel-lighten-2;
        border-title-color: $text;
        height: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = _("Trajectory")
        self.history: History | None = None  # the history shown
        self.secured: list[float] = []  # the weekly appraised points secured, as drawn
        self.projected: list[float] = []

    def show_history(self, history: History) -> None:
        self.history = history
        points = history.points
        self.secured = [p.appraised.secured for p in points]
        self.projected = [p.appraised.projected for p in points]
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if not points:
            self.refresh()
            return
        xs = list(range(len(points)))
        plan = history.plan
        # The horizontal lines first, so the two series are drawn over them.
        if plan.target_score is not None:
            plt.plot(xs, [float(plan.target_score)] * len(xs), label=_("target"), color="blue",
                     marker="braille")
        if plan.baseline_score is not None:
            plt.plot(xs, [float(plan.baseline_score)] * len(xs), label=_("last year"), color="gray",
                     marker="braille")
        plt.plot(xs, self.projected, label=_("projected"), color="orange", marker="braille")
        plt.plot(xs, self.secured, label=_("secured"), color="green", marker="braille")
        step = max(1, -(-(len(xs) - 1) // (TICKS - 1))) if len(xs) > 1 else 1
        ticks = xs[::step]
        if ticks[-1] != xs[-1]:
            ticks[-1] = xs[-1]  # the as-of date always shows, in the place of the one before it
        plt.xticks([float(i) for i in ticks], [short_date(points[i].as_of) for i in ticks])
        # Whole points on the y axis: no decimal separator to get wrong in Vietnamese (plotext
        # would write 46.7 where the rest of the app writes 46,7).
        top = max([*self.projected, *self.secured, float(plan.target_score or 0),
                   float(plan.baseline_score or 0), 1.0])
        step = max(1, -(-int(top) // 4) if top == int(top) else int(top) // 4 + 1)
        plt.ylim(0, step * 4)
        plt.yticks([float(step * i) for i in range(5)], [str(step * i) for i in range(5)])
        self.border_subtitle = f"{_('secured')} {fmt_points(self.secured[-1])} · {short_date(points[-1].as_of)}"
        self.refresh()
