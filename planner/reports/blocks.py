"""The pieces every document is laid out in: a header, sections of blocks, a closing.

A layout function (`reports.layout`, `reports.periodic_layout`, `io.dossier`) turns a report
model into a `Document` once, translated and formatted; each renderer (text, Markdown, HTML,
PDF, DOCX) only decides how a block looks. Cells and texts are plain, unescaped strings (user
text made single-line); each renderer escapes for its format.

A *formal* document (one that is signed and filed: the weekly status when printed, the
periodic reports) carries the frame of Decree 30/2020/NĐ-CP: the issuing body over its parent,
the number line, the national heading, the place-and-date line, the kind of document over its
title, "Kính gửi" when it is addressed, and a closing with the recipients (Nơi nhận) and the
signature block. The frame is Vietnamese whatever the language of the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "right"]

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Column:
    header: str
    align: Align = "left"
    flex: bool = False  # the one column that wraps (titles); the others keep their width
    weight: float = 1.0  # share of the page width in HTML and PDF


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    note: str = ""  # a full-width line under the row (the reason of a rejection)
    emphasis: bool = False  # a total or a warning: bold in HTML and PDF
    links: tuple[tuple[int, str], ...] = ()  # (cell index, relative address) in HTML and PDF

    def link(self, index: int) -> str:
        return next((href for i, href in self.links if i == index), "")


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    caption: str = ""  # a heading of its own above the table (an office of the overdue list)
    caption_note: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Heading:
    """A heading inside a section: level 1 for "1. Cải cách thể chế", 2 for "a) Kết quả"."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Blank:
    """A part the plan cannot fill: headed in the document and left for the office to write,
    marked so that nobody mistakes it for content (never invented)."""

    prompt: str


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a value per x label. Renderers tell series apart by their
    order (solid, dashed, …) and label each, never by colour alone."""

    label: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class LineChart:
    """Lines over dates (the year's trajectory), with horizontal reference levels (the
    target, last year's score). Text, Markdown and DOCX leave charts out: a paragraph next to
    the chart says the same in words."""

    title: str
    x_labels: tuple[str, ...]
    series: tuple[Series, ...]
    levels: tuple[tuple[str, float], ...] = ()  # (label, value)
    y_max: float = 0.0


@dataclass(frozen=True)
class BarChart:
    """One horizontal stacked bar per row (a field's secured / at risk / lost / open), each
    part drawn with its own pattern, named in a legend; `labels` ends each bar."""

    title: str
    parts: tuple[str, ...]  # the legend, in stacking order
    bars: tuple[tuple[str, tuple[float, ...]], ...]  # (row label, a value per part)
    labels: tuple[str, ...] = ()  # printed after each bar ("4.25/7")


Chart = LineChart | BarChart
Block = Paragraph | Table | Heading | Blank | LineChart | BarChart


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Header:
    """The head of the document: who issues it, what it is, for which period."""

    parent_agency: str
    agency: str
    place_date: str  # Vietnamese, Decree 30/2020 style
    title: str
    subtitle: str
    lines: tuple[str, ...] = ()  # office, head of office
    number: str = ""  # the number line of a formal document: "Số: 12/BC-SGDĐT"
    kind: str = ""  # the kind of a formal document over its title: "BÁO CÁO"
    addressees: tuple[str, ...] = ()  # "Kính gửi: …"
    place: str = ""  # the place name, kept whole when the agency's name must break


@dataclass(frozen=True)
class Signature:
    authority: str  # "KT. GIÁM ĐỐC" (signing on behalf of), or ""
    title: str  # "PHÓ GIÁM ĐỐC"
    name: str  # the signer's full name, or "" to be written in


@dataclass(frozen=True)
class Closing:
    """The foot of a formal document: Nơi nhận bottom left, the signature block bottom right."""

    recipients: tuple[str, ...]
    signature: Signature
    sign_off: str = ""  # the last sentence of the body ("Trên đây là báo cáo …/.")


@dataclass(frozen=True)
class Document:
    header: Header
    sections: tuple[Section, ...] = field(default_factory=tuple)
    lang: str = "en"
    closing: Closing | None = None
    intro: tuple[str, ...] = ()  # paragraphs between the title and the first section
    # The frame (number line, closing) in text and Markdown too: a document written to be
    # sent in any format (the periodic reports), not a status read on screen that is also
    # printed (the weekly status, whose frame only the printed formats draw).
    frame_in_text: bool = False

    @property
    def formal(self) -> bool:
        return self.closing is not None
