"""Markdown (GitHub-flavoured tables). User text is escaped twice over: HTML-escaped, because
Markdown passes raw HTML through to the page, and Markdown punctuation backslash-escaped, so a
title can neither inject markup nor break a table with `|`."""

from __future__ import annotations

import html
import re

from planner.reports.blocks import (
    BarChart,
    Blank,
    Block,
    Closing,
    Document,
    Heading,
    LineChart,
    Paragraph,
    Table,
)
from planner.reports.layout import due_document, weekly_document
from planner.reports.model import DueReport, WeeklyReport

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^[#+\-=>]")
_ORDERED = re.compile(r"^(\d+)([.)])")


def escape(text: str, *, line_start: bool = False) -> str:
    """Inline Markdown for any string: no HTML, no emphasis, links, code or table breaks; with
    `line_start`, nothing either that would open a heading, a list or a quote."""
    text = _SPECIAL.sub(r"\\\1", text)
    if line_start:
        if _LINE_START.match(text):
            text = "\\" + text
        text = _ORDERED.sub(r"\1\\\2", text)  # "1. x" would open a list: "1\. x"
    # Raw HTML passes through Markdown: &, < and > become entities (after the backslashes, so
    # that no backslash lands in front of an entity).
    return html.escape(text, quote=False)


def render_markdown(report: WeeklyReport) -> str:
    return document_markdown(weekly_document(report))


def render_due_markdown(report: DueReport) -> str:
    return document_markdown(due_document(report))


def document_markdown(doc: Document) -> str:
    h = doc.header
    out: list[str] = []
    frame = doc.formal and doc.frame_in_text
    agency = " — ".join(escape(x) for x in (h.parent_agency, h.agency) if x)
    if agency:
        out += [f"**{agency}**", ""]
    if frame:
        out += [escape(h.number, line_start=True) + "  ", f"*{escape(h.place_date)}*", ""]
        if h.kind:
            out += [f"# {escape(h.kind.upper())}: {escape(h.title)}", ""]
        else:
            out += [f"# {escape(h.title)}", ""]
    else:
        out += [f"# {escape(h.title)}", ""]
    if h.subtitle:
        out += [escape(h.subtitle, line_start=True), ""]
    for line in h.lines:
        out += [escape(line, line_start=True), ""]
    if frame and h.addressees:
        out += ["Kính gửi: " + escape("; ".join(h.addressees)) + ".", ""]
    for text in doc.intro:
        out += [escape(text, line_start=True), ""]
    for section in doc.sections:
        out += [f"## {escape(section.title)}", ""]
        for block in section.blocks:
            out += _block(block)
    if frame and doc.closing is not None:
        out += _closing(doc.closing)
    return "\n".join(out).rstrip("\n") + "\n"


def _block(block: Block) -> list[str]:
    if isinstance(block, LineChart | BarChart):
        return []  # a paragraph beside it says the same in words
    if isinstance(block, Paragraph):
        return [escape(block.text, line_start=True), ""]
    if isinstance(block, Heading):
        return [f"{'#' * (2 + block.level)} {escape(block.text)}", ""]
    if isinstance(block, Blank):
        return [f"> *\\[{escape(block.prompt)}\\]*", ">", "> …………………………………………", ""]
    return _table(block)


def _closing(closing: Closing) -> list[str]:
    out: list[str] = []
    if closing.sign_off:
        out += [escape(closing.sign_off, line_start=True), ""]
    s = closing.signature
    out += [f"**{escape(line)}**  " for line in (s.authority.upper(), s.title.upper()) if line]
    out += ["", "", f"**{escape(s.name)}**" if s.name else "", ""]
    out += ["***Nơi nhận:***", ""]
    out += [f"- {escape(r)}" for r in closing.recipients]
    out.append("")
    return out


def _table(table: Table) -> list[str]:
    out: list[str] = []
    if table.caption:
        out += [f"### {escape(table.caption)}", ""]
        if table.caption_note:
            out += [escape(table.caption_note, line_start=True), ""]
    out.append("| " + " | ".join(escape(c.header) for c in table.columns) + " |")
    out.append("|" + "|".join("---:" if c.align == "right" else "---" for c in table.columns) + "|")
    flex = next((i for i, c in enumerate(table.columns) if c.flex), None)
    for row in table.rows:
        cells = [escape(cell) for cell in row.cells]
        if row.note:
            # A table row cannot hold a second line: the note joins the widest cell.
            at = flex if flex is not None else len(cells) - 1
            cells[at] += "<br>" + escape(row.note)
        if row.emphasis:
            cells = [f"**{c}**" if c.strip() else c for c in cells]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    return out
