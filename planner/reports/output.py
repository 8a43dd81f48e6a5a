"""Rendering a weekly report to a named format and writing it to a file, whole or not at all.

Shared by `planner report` and the TUI's report preview (its keys that save the PDF and the
email file), so both write the same bytes the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model imports the services (SQLModel, ~0.5 s): not for `--help`
    from datetime import date

    from planner.reports.blocks import Document
    from planner.reports.model import WeeklyReport

FORMATS = ("text", "md", "html", "pdf", "docx", "eml")
EXTENSIONS = {"text": "txt", "md": "md", "html": "html", "pdf": "pdf", "docx": "docx", "eml": "eml"}
BINARY = ("pdf", "docx")


def render(report: WeeklyReport, fmt: str) -> str | bytes:
    """text, md or html as a string; pdf (imports fpdf, ~0.35 s) or docx (python-docx) as bytes.
    For eml, which needs a sender and recipients, use `planner.reports.eml.build_message` and
    `message_bytes`."""
    if fmt == "md":
        from planner.reports.markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        from planner.reports.html import render_html

        return render_html(report)
    if fmt == "pdf":
        from planner.reports.pdf import render_pdf

        return render_pdf(report)
    if fmt == "docx":
        from planner.reports.docx import render_docx

        return render_docx(report)
    if fmt == "text":
        from planner.reports.text import render_text

        return render_text(report)
    raise ValueError(f"no renderer for {fmt!r} here")


DOCUMENT_FORMATS = ("text", "md", "html", "pdf", "docx")


def render_document(doc: Document, fmt: str, as_of: date | None = None) -> str | bytes:
    """Any laid-out document in one of DOCUMENT_FORMATS (`as_of` dates the PDF and DOCX, so
    the same document gives the same bytes)."""
    if fmt == "md":
        from planner.reports.markdown import document_markdown

        return document_markdown(doc)
    if fmt == "html":
        from planner.reports.html import document_html

        return document_html(doc)
    if fmt == "pdf":
        from planner.reports.pdf import document_pdf

        return document_pdf(doc, as_of)
    if fmt == "docx":
        from planner.reports.docx import document_docx

        return document_docx(doc, as_of)
    if fmt == "text":
        from planner.reports.text import document_text

        return document_text(doc)
    raise ValueError(f"no renderer for {fmt!r} here")


def default_filename(report: WeeklyReport, fmt: str) -> str:
    """weekly-status-2022-05-09.pdf, or weekly-status-2022-05-09-tccb.pdf for an office (ASCII)."""
    from planner.reports.eml import pdf_filename

    return pdf_filename(report).removesuffix(".pdf") + "." + EXTENSIONS[fmt]


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write the whole file or nothing, so a reader (or a crash) never sees half a report; only
    to a new path or over a regular file (`planner.io.files.write_file`)."""
    from planner.io.files import write_file

    write_file(path, content)
