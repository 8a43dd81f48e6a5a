"""Text shared by the screens: dates, points, statuses, the four-part bars and sparklines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from planner.domain.text import display_width
from planner.i18n import _
from planner.presentation.text import clip, fmt_date, fmt_points
from planner.services.task_rows import TaskRow, status_label

__all__ = ["bar", "clip", "display_width", "fmt_date", "fmt_points", "pad", "row_status", "short_date",
           "sparkline"]

# Styles of the four parts of a maximum, shared by every bar so the colours mean one thing.
PART_STYLES = {
    "secured": "bold green",
    "at_risk": "bold dark_orange",
    "lost": "red",
    "open": "grey46",
}


def short_date(day: date | None) -> str:
    from planner.domain.dates import day_month

    return day_month(day, listing_form=True) if day else ""


def pad(text: str, width: int, *, right: bool = False) -> str:
    """Clip (with an ellipsis) or pad to exactly `width` terminal cells.

    Rich's cached cell widths: this runs for every cell of every line the task list draws.
    """
    cells = cell_len(text)
    if cells > width:
        return set_cell_size(text, width - 1) + "…" if width > 0 else ""
    gap = " " * (width - cells)
    return gap + text if right else text + gap


def row_status(row: TaskRow) -> str:
    """The status as the task list shows it: overdue and done late stand out."""
    if row.overdue:
        return _("overdue")
    if row.status == "done" and row.late:
        return _("done late")
    return status_label(row.status)


def due_text(row: TaskRow) -> str:
    return fmt_date(row.due) if row.due else _("continuous")


def bar(secured: float, at_risk: float, lost: float, open_: float, width: int) -> Text:
    """A stacked bar of the four parts of a maximum, `width` cells wide."""
    total = secured + at_risk + lost + open_
    text = Text()
    if total <= 0 or width <= 0:
        return Text("·" * max(width, 0), style=PART_STYLES["open"])
    cells = []
    used = 0
    parts = (("secured", secured), ("at_risk", at_risk), ("lost", lost))
    for name, value in parts:
        n = round(value / total * width)
        n = min(n, width - used)
        cells.append((name, n))
        used += n
    cells.append(("open", width - used))
    for name, n in cells:
        if n > 0:
            text.append(("░" if name == "open" else "█") * n, style=PART_STYLES[name])
    return text


SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], top: float, width: int) -> str:
    """The last `width` values as block characters, a full block being `top` (the same scale
    on every line, so that rows compare); right-aligned, spaces before when there are fewer."""
    if top <= 0:
        return " " * width
    steps = len(SPARK_BLOCKS) - 1
    cells = [SPARK_BLOCKS[round(min(max(v / top, 0.0), 1.0) * steps)] for v in values[-width:]]
    return "".join(cells).rjust(width)
