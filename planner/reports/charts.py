"""The geometry of the report's charts, shared by the HTML (inline SVG) and PDF (fpdf2 drawing)
renderers so that both draw the same picture.

Everything is in millimetres, y growing downwards (as SVG and fpdf2 both count). Series and
parts are told apart without colour: each line has its own dash pattern and a label at its
end; each part of a bar its own fill (solid grey, diagonal hatching, cross-hatching, white)
and a legend entry drawn with the same fill.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.reports.blocks import BarChart, LineChart

#: Dash patterns (dash, gap in mm; () for a solid line) and widths of the series, in order.
SERIES_DASH: tuple[tuple[float, ...], ...] = ((), (2.0, 1.2), (0.6, 0.8))
SERIES_WIDTH: tuple[float, ...] = (0.7, 0.5, 0.5)
#: Dash patterns of the horizontal reference levels (target, last year).
LEVEL_DASH: tuple[tuple[float, ...], ...] = ((0.5, 0.8), (4.0, 2.0))
LEVEL_WIDTH = 0.3
#: Fills of a bar's parts: a grey level (0 black – 255 white) and a hatching.
PART_GREY: tuple[int, ...] = (90, 255, 255, 255)
PART_HATCH: tuple[str, ...] = ("", "/", "x", "")  # "/" diagonal, "x" cross-hatched
HATCH_STEP = 1.6
FONT_SIZE = 8.0  # pt, labels
FONT_MM = FONT_SIZE * 0.3528

Point = tuple[float, float]
Segment = tuple[Point, Point]


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    anchor: str = "start"  # start, middle, end


@dataclass(frozen=True)
class LineGeometry:
    width: float
    height: float
    frame: tuple[float, float, float, float]  # x, y, w, h of the plotting area
    grid: tuple[Segment, ...]  # light horizontal lines at the y ticks
    series: tuple[tuple[Point, ...], ...]  # a polyline per series
    levels: tuple[Segment, ...]  # a horizontal line per level
    texts: tuple[Text, ...]  # ticks, labels, legend
    legend: tuple[Segment, ...]  # a sample of each series' and level's line, in that order


def _ticks(y_max: float) -> list[float]:
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50) if y_max / s <= 6), 100)
    out = []
    value = 0.0
    while value <= y_max + 1e-9:
        out.append(value)
        value += step
    return out


def line_geometry(chart: LineChart, width: float, height: float) -> LineGeometry:
    """Where every line and label of a line chart goes in a `width` × `height` box."""
    from planner.reports import fmt

    top = FONT_MM * 2.6  # the legend
    left, right, bottom = 9.0, 24.0, FONT_MM * 2.2
    x0, y0 = left, top
    w, h = width - left - right, height - top - bottom
    values = [v for s in chart.series for v in s.values] + [v for _l, v in chart.levels]
    y_max = max([chart.y_max, *values, 1.0])
    count = max(len(chart.x_labels), 1)

    def x_at(i: int) -> float:
        return x0 + (w * i / (count - 1) if count > 1 else w / 2)

    def y_at(v: float) -> float:
        return y0 + h - h * max(0.0, v) / y_max

    texts: list[Text] = []
    grid = []
    for tick in _ticks(y_max):
        y = y_at(tick)
        grid.append(((x0, y), (x0 + w, y)))
        texts.append(Text(x0 - 1.0, y + FONT_MM / 3, fmt.compact(tick), "end"))
    # x labels: the first, the last and a few between, never overlapping.
    every = max(1, -(-count // 6))
    for i, label in enumerate(chart.x_labels):
        if i % every == 0 or i == count - 1:
            if i != count - 1 and count - 1 - i < every / 2:
                continue
            texts.append(Text(x_at(i), y0 + h + FONT_MM * 1.4, label, "middle"))
    series = tuple(tuple((x_at(i), y_at(v)) for i, v in enumerate(s.values)) for s in chart.series)
    # Each line is named where it ends, right of the plotting area.
    ends: list[tuple[float, str]] = []
    for s, points in zip(chart.series, series, strict=True):
        if points:
            ends.append((points[-1][1], s.label))
    levels = []
    for label, value in chart.levels:
        y = y_at(value)
        levels.append(((x0, y), (x0 + w, y)))
        ends.append((y, label))
    placed: list[float] = []
    for y, label in sorted(ends):
        while any(abs(y - p) < FONT_MM * 1.1 for p in placed):
            y += FONT_MM * 1.1
        placed.append(y)
        texts.append(Text(x0 + w + 1.0, y + FONT_MM / 3, label))
    # The legend above: a sample line and the label of each series and level.
    legend = []
    x = x0
    y = FONT_MM * 1.2
    for label in [s.label for s in chart.series] + [lbl for lbl, _v in chart.levels]:
        legend.append(((x, y), (x + 8.0, y)))
        texts.append(Text(x + 9.5, y + FONT_MM / 3, label))
        x += 9.5 + len(label) * FONT_MM * 0.5 + 4.0
    return LineGeometry(width, height, (x0, y0, w, h), tuple(grid), series, tuple(levels),
                        tuple(texts), tuple(legend))


@dataclass(frozen=True)
class BarGeometry:
    width: float
    height: float
    boxes: tuple[tuple[int, float, float, float, float], ...]  # part, x, y, w, h
    hatching: tuple[Segment, ...]
    texts: tuple[Text, ...]


def hatch(x: float, y: float, w: float, h: float, kind: str,
          step: float = HATCH_STEP) -> list[Segment]:
    """The lines of a hatching inside a rectangle: "/" diagonal, "x" both diagonals."""
    out: list[Segment] = []
    if w <= 0 or h <= 0:
        return out
    x1, y1 = x + w, y + h
    if kind in ("/", "x"):  # lines x + y = c, rising to the right
        c = x + y + step / 2
        while c < x1 + y1:
            lo, hi = max(x, c - y1), min(x1, c - y)
            if hi > lo:
                out.append(((lo, c - lo), (hi, c - hi)))
            c += step
    if kind == "x":  # and x - y = c, falling to the right
        c = x - y1 + step / 2
        while c < x1 - y:
            lo, hi = max(x, c + y), min(x1, c + y1)
            if hi > lo:
                out.append(((lo, lo - c), (hi, hi - c)))
            c += step
    return out


BAR_HEIGHT = 4.2
BAR_GAP = 1.6


def bar_height(chart: BarChart) -> float:
    return FONT_MM * 2.6 + len(chart.bars) * (BAR_HEIGHT + BAR_GAP)


def bar_geometry(chart: BarChart, width: float) -> BarGeometry:
    """Where every bar, hatching and label of a stacked bar chart goes, `width` wide."""
    label_w, tail_w = 52.0, 20.0
    x0 = label_w
    w = width - label_w - tail_w
    full = max([sum(values) for _label, values in chart.bars] + [1.0])
    boxes: list[tuple[int, float, float, float, float]] = []
    lines: list[Segment] = []
    texts: list[Text] = []
    # The legend: a swatch of each part, filled as in the bars.
    x, y = 0.0, 0.4
    for i, part in enumerate(chart.parts):
        boxes.append((i, x, y, 5.0, 3.0))
        lines.extend(hatch(x, y, 5.0, 3.0, PART_HATCH[i]))
        texts.append(Text(x + 6.5, y + 2.6, part))
        x += 6.5 + len(part) * FONT_MM * 0.5 + 5.0
    y = FONT_MM * 2.6
    for n, (label, values) in enumerate(chart.bars):
        top = y + n * (BAR_HEIGHT + BAR_GAP)
        texts.append(Text(0.0, top + BAR_HEIGHT - 1.0, _clip(label, label_w - 2.0)))
        x = x0
        for i, value in enumerate(values):
            bw = w * value / full
            if bw > 0.01:
                boxes.append((i, x, top, bw, BAR_HEIGHT))
                lines.extend(hatch(x, top, bw, BAR_HEIGHT, PART_HATCH[i]))
            x += bw
        if n < len(chart.labels):
            texts.append(Text(x + 1.5, top + BAR_HEIGHT - 1.0, chart.labels[n]))
    return BarGeometry(width, bar_height(chart), tuple(boxes), tuple(lines), tuple(texts))


def _clip(text: str, width: float) -> str:
    """A label cut to about `width` mm (an estimate: half an em per character)."""
    most = max(4, int(width / (FONT_MM * 0.5)))
    return text if len(text) <= most else text[: most - 1] + "…"
