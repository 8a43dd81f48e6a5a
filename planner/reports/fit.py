"""Where the head of a formal document breaks its lines, measured with the bundled font.

The agency's name, the national heading and the title of a formal document are centred lines
that must not break inside a name or a word. The PDF, HTML and DOCX renderers all ask here, so
the three break the same lines at the same places; each line is then drawn without wrapping
(`white-space: nowrap` in HTML, one paragraph line in DOCX).

Widths come from Liberation Serif (metric-compatible with Times New Roman, which Word and
browsers use), read once with fontTools (a dependency of fpdf2).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.text import fold

if TYPE_CHECKING:
    from planner.reports.blocks import Table

FONT_DIR = Path(__file__).parent / "fonts"
FONT_FILES = {
    "": "LiberationSerif-Regular.ttf",
    "B": "LiberationSerif-Bold.ttf",
    "I": "LiberationSerif-Italic.ttf",
    "BI": "LiberationSerif-BoldItalic.ttf",
}
PT = 25.4 / 72  # mm per point

# A4 less the margins of Decree 30 (left 30 mm, right 15 mm), and the two blocks of the head:
# the agency on the left, the national heading (the wider one) on the right.
PAGE_WIDTH = 210.0 - 30.0 - 15.0
LEFT_SHARE = 0.44
LEFT_WIDTH = PAGE_WIDTH * LEFT_SHARE
RIGHT_WIDTH = PAGE_WIDTH - LEFT_WIDTH

# Words a Vietnamese (or English) title may start a new line with: they open a phrase.
_BREAK_BEFORE = frozenset(fold(w) for w in (
    "năm", "tuần", "quý", "tháng", "của", "về", "theo", "từ", "đến", "tại", "trên", "và", "với",
    "cho", "để", "trong", "thuộc", "giai", "đợt", "kỳ", "số", "ngày",
    "of", "for", "in", "from", "to", "and", "on", "week", "as",
))


@lru_cache(maxsize=4)
def _advances(style: str) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_DIR / FONT_FILES[style], lazy=True)
    metrics = font["hmtx"].metrics
    cmap = font.getBestCmap()
    advances = {cp: metrics[name][0] for cp, name in cmap.items()}
    return advances, font["head"].unitsPerEm


def width(text: str, style: str = "", size: float = 13.0) -> float:
    """The width of `text` in mm, in Liberation Serif of that style ("", B, I, BI) and size."""
    advances, units = _advances(style)
    fallback = advances.get(ord("M"), units // 2)
    return sum(advances.get(ord(ch), fallback) for ch in text) * size / units * PT


_ROMAN = frozenset(("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"))
# Two-syllable words of the documents' titles: a line never ends between their syllables when
# another break fits ("CẢI CÁCH HÀNH / CHÍNH" was the printout's first title).
_WORDS = frozenset(fold(w) for w in (
    "cải cách", "hành chính", "kế hoạch", "thực hiện", "công tác", "tình hình", "kết quả",
    "chỉ số", "tài liệu", "kiểm chứng", "hằng tuần", "hằng tháng", "hằng quý", "giáo dục",
    "đào tạo", "nhiệm vụ", "báo cáo", "đơn vị", "thủ tục", "tổ chức", "bộ máy", "công vụ",
    "tài chính", "chính quyền", "điện tử", "đánh giá", "cán bộ", "công chức", "viên chức",
    "văn bản", "pháp luật", "quy phạm", "thẩm định", "tự chấm", "danh mục", "phương hướng",
    "đề xuất", "kiến nghị", "ưu điểm", "hạn chế", "nguyên nhân", "đầu năm", "cuối năm",
    "thành phố", "hải phòng", "nội vụ", "tiêu chí", "lĩnh vực", "chỉ đạo", "điều hành",
    "thể chế", "dịch vụ", "trực tuyến", "xã hội", "chủ nghĩa", "việt nam", "hạnh phúc",
))


def _is_number(word: str) -> bool:
    core = word.strip(",;:.()")
    return core.isdigit() or core in _ROMAN or (core[:1].isdigit() and "/" in core)


def _penalty(words: list[str], at: int, keep: tuple[str, ...], text: str, name: bool) -> float:
    """The cost of breaking before words[at]: low where a phrase begins, high inside a kept
    phrase or between a number and its noun ("năm 2022", "quý I", "6 tháng")."""
    before, after = words[at - 1], words[at]
    offset = len(" ".join(words[:at]))
    upper_text = text.upper()
    starts_kept = False
    for phrase in keep:
        wanted = " ".join(phrase.split()).upper()
        start = upper_text.find(wanted) if wanted else -1
        while start >= 0:
            if start < offset < start + len(wanted):
                return 1000.0
            starts_kept = starts_kept or start == offset + 1
            start = upper_text.find(wanted, start + 1)
    if starts_kept:
        return -0.6
    if f"{fold(before)} {fold(after)}" in _WORDS:
        return 2.0
    if _is_number(before) or _is_number(after):
        return 1.0
    if name:  # a name (the agency's) has no phrases to break between
        return 0.0
    if before[-1:] in ",;:–-)" or after[:1] in "(–":
        return -0.6
    if fold(after) in _BREAK_BEFORE:
        return -0.5
    if text.upper() != text and before[:1].isupper() and after[:1].isupper():
        return 0.8  # between two capitalised words: most likely inside a name
    return 0.0


def lines(text: str, room: float, style: str = "B", size: float = 14.0,
          keep: tuple[str, ...] = (), name: bool = False) -> list[str]:
    """`text` in as few lines as fit `room` mm, broken where a phrase begins, never inside a
    phrase of `keep` (a place name), then as evenly as possible; a `name` breaks only before
    a kept phrase or evenly. A single word wider than the
    room gets a line of its own (drawn smaller by the renderer)."""
    text = " ".join(text.split())
    if not text or width(text, style, size) <= room:
        return [text] if text else []
    words = text.split()
    n = len(words)
    space = width(" ", style, size)
    sizes = [width(w, style, size) for w in words]

    def span(i: int, j: int) -> float:
        return sum(sizes[i:j]) + space * (j - i - 1)

    # best[j] = (lines, cost, breaks) for words[:j]; fewest lines first, then lowest cost.
    best: list[tuple[int, float, tuple[int, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0.0, ())
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            used = span(i, j)
            if used > room and j - i > 1:
                break
            prev = best[i]
            if prev is None:
                continue
            slack = max(0.0, room - used) / room
            cost = prev[1] + slack * slack + (_penalty(words, i, keep, text, name) if i else 0.0)
            candidate = (prev[0] + 1, cost, (*prev[2], i))
            current = best[j]
            if current is None or candidate[:2] < current[:2]:
                best[j] = candidate
    result = best[n]
    assert result is not None
    cuts = [*result[2][1:], n]
    out, start = [], 0
    for cut in cuts:
        out.append(" ".join(words[start:cut]))
        start = cut
    return out


def fitting_size(text: str, room: float, style: str, size: float, smallest: float) -> float:
    """The largest size from `size` down to `smallest` (half points) at which `text` fits."""
    while size > smallest and width(text, style, size) > room:
        size -= 0.5
    return size


def column_widths(table: Table, total: float, size: float, pad: float = 2.5,
                  min_flex: float = 60.0) -> list[float]:
    """Widths in mm of a table's columns: each as wide as its longest cell (or header word),
    the title column (`flex`) the rest; scaled down when the others leave it too little."""
    natural = []
    flex = next((i for i, c in enumerate(table.columns) if c.flex), None)
    for i, column in enumerate(table.columns):
        longest = max([width(w, "B", size) for w in column.header.split()] or [0.0])
        if i != flex:
            for row in table.rows:
                longest = max(longest, width(row.cells[i], "B" if row.emphasis else "", size))
        natural.append(longest + pad)
    if flex is not None:
        fixed = sum(w for i, w in enumerate(natural) if i != flex)
        scale = min(1.0, (total - min_flex) / fixed) if fixed else 1.0
        widths = [w * scale for w in natural]
        widths[flex] = total - sum(w for i, w in enumerate(widths) if i != flex)
        return widths
    spent = sum(natural)
    if spent >= total:
        return [w * total / spent for w in natural]
    weights = sum(c.weight for c in table.columns) or 1.0
    return [w + (total - spent) * c.weight / weights for w, c in zip(natural, table.columns, strict=True)]
