"""`planner explain` as text: the header a reader can add up, and a line per input.

Shared by the command line and the terminal UI's criteria screen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from planner.domain.explanations import method_label
from planner.domain.results import CriterionScore
from planner.i18n import _
from planner.presentation.text import fmt_date, fmt_points, render_table


def part_label(part: str) -> str:
    """A part of the maximum as users read it."""
    return {
        "secured": _("secured"),
        "at_risk": _("at risk"),
        "lost": _("lost"),
        "open": _("open"),
    }.get(part, part)


def shown_parts(values: Sequence[float], total: float, places: int = 2) -> list[float]:
    """`values` rounded to `places` decimals so that, as shown, they add up to `total` as
    shown (largest remainder: the hundredths lost to rounding go to the values that lost the
    most). 13.375 + 42.625 shown as 13.38 + 42.62 = 56.00, not 13.38 + 42.63 = 56.01."""
    scale = 10**places
    target = round(total * scale)
    scaled = [max(0.0, v) * scale for v in values]
    floors = [math.floor(v + 1e-9) for v in scaled]
    missing = target - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (floors[i] - scaled[i], i))
    if missing > 0:
        for i in order[:missing]:
            floors[i] += 1
    elif missing < 0:
        for i in reversed(order):
            if missing == 0:
                break
            if floors[i] > 0:
                floors[i] -= 1
                missing += 1
    return [f / scale for f in floors]


def header_lines(node: CriterionScore, as_of: date) -> list[str]:
    """The criterion, its method, and its four parts adding up to its maximum as shown."""
    p = fmt_points
    secured, at_risk, lost, open_ = shown_parts(
        (node.secured, node.at_risk, node.lost, node.open), node.max_points
    )
    lines = [
        f"{node.code} {node.title}",
        _("scored by {method}, maximum {max}, as of {date}").format(
            method=method_label(node.method), max=p(node.max_points), date=fmt_date(as_of)
        ),
        _("secured {s} + at risk {r} + lost {l} + open {o} = {max}; projected {pr}; "
          "progress {pg}%").format(
            s=p(secured), r=p(at_risk), l=p(lost), o=p(open_), max=p(node.max_points),
            pr=p(node.projected), pg=round(node.progress * 100),
        ),
    ]
    if node.lead_office:
        lines.append(_("answered for by {office}").format(office=node.lead_office))
    return lines


def explanation_lines(node: CriterionScore, as_of: date, width: int | None = None) -> list[str]:
    """The text of `planner explain`: the header, a line per input (its rule wrapped between
    words, never cut), and the children. `width` 0: no line limit (piped output)."""
    p = fmt_points
    lines = header_lines(node, as_of)
    if node.explanation:
        lines.append("")
        rows = []
        for e in node.explanation:
            rows.append([e.subject, e.rule, p(e.weight) if e.weight is not None else "",
                         p(e.points), part_label(e.part) if e.counted else _("not counted")])
        lines.append(render_table([_("Input"), _("Rule"), _("Share"), _("Points"), _("Part")], rows,
                                  flex=1, right=[2, 3], width=width, wrap=True))
    if node.children:
        lines.append("")
        for child in node.children:
            lines.append(f"  {child.code:<8} {p(child.secured):>6} / {p(child.max_points):<6} "
                         f"{child.title}")
    return lines
