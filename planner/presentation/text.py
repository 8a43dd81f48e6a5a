"""Plain-text building blocks: dates, points, clipped cells and aligned tables."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from datetime import date

from planner.domain.text import display_width, printable


def fmt_date(d: date | None) -> str:
    """A date in a listing or a message: 09/05/2022 (documents use `domain.dates.document`)."""
    from planner.domain.dates import listing

    return listing(d) if d else ""


def fmt_points(value: float, lang: str | None = None) -> str:
    from planner.i18n import current_language

    text = f"{value:.2f}"
    if (lang or current_language()) == "vi":
        text = text.replace(".", ",")
    return text


def fmt_number(value: float | None, lang: str | None = None) -> str:
    """A figure without trailing zeros (85, 98.5), with the decimal comma in Vietnamese."""
    from planner.i18n import current_language

    if value is None:
        return ""
    text = f"{value:g}"
    if (lang or current_language()) == "vi":
        text = text.replace(".", ",")
    return text


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    shown = display_width(text)
    if shown <= width:
        return text
    if shown == len(text):
        return text[:max(0, width - 1)] + "…"
    out_chars: list[str] = []
    used = 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out_chars.append(ch)
        used += w
    return "".join(out_chars) + "…"


def render_table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, flex: int | None = None,
                 right: Iterable[int] = (), width: int | None = None, wrap: bool = False) -> str:
    """Plain aligned columns (fast for 10,000 rows); column `flex` shrinks to fit the width,
    clipped with an ellipsis, or with `wrap` broken between words onto continuation lines so
    no text is lost. `width` 0 means no limit (output read by a program, not a person)."""
    rows = [[printable(cell) for cell in r] for r in rows]  # no control character reaches a terminal
    right_set = set(right)
    total = width if width is not None else shutil.get_terminal_size((120, 24)).columns
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    if flex is not None and total > 0:
        # The last column may run past the edge (it wraps harmlessly); the flex column shrinks
        # so that everything before it stays aligned.
        last = len(widths) - 1
        others = sum(w for i, w in enumerate(widths) if i not in (flex, last)) + 2 * last
        others += min(widths[last], 12) if flex != last else 0
        widths[flex] = max(16, min(widths[flex], total - others))

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            text = clip(cell, widths[i]) if i == flex and not wrap else cell
            pad = widths[i] - display_width(text)
            parts.append((" " * pad + text) if i in right_set else (text + " " * pad))
        return "  ".join(parts).rstrip()

    def lines_of(cells: Sequence[str]) -> list[str]:
        if not wrap or flex is None or display_width(cells[flex]) <= widths[flex]:
            return [line(cells)]
        pieces = wrap_words(cells[flex], widths[flex])
        first = list(cells)
        first[flex] = pieces[0]
        out = [line(first)]
        for piece in pieces[1:]:
            more = [""] * len(cells)
            more[flex] = piece
            out.append(line(more))
        return out

    rule_widths = list(widths)
    used = sum(widths[:-1]) + 2 * (len(widths) - 1)
    if total > 0:
        rule_widths[-1] = max(display_width(headers[-1]), min(widths[-1], total - used))
    lines = [line(headers), "  ".join("─" * w for w in rule_widths)]
    for r in rows:
        lines.extend(lines_of(r))
    return "\n".join(lines)


def wrap_words(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken between words (a word longer than a
    line is broken inside it, as a last resort)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while display_width(word) > width:
            if current:
                lines.append(current)
                current = ""
            cut = len(word)
            while cut > 1 and display_width(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines
