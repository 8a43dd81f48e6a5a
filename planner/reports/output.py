"""Rendering a weekly report to a named format and writing it to a file, whole or not at all.

Shared by `planner report` and the TUI's report preview (its keys that save the PDF and the
email file), so both write the same bytes the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model imports the services (SQLModel, ~0.5 s): not for `--help`
    from planner.reports.model import WeeklyReport

FORMATS = ("text", "md", "html", "pdf", "eml")
EXTENSIONS = {"text": "txt", "md": "md", "html": "html", "pdf": "pdf", "eml": "eml"}


def render(report: WeeklyReport, fmt: str) -> str | bytes:
    """text, md or html as a string; pdf as bytes (imports fpdf, ~0.35 s). For eml, which needs a
    sender and recipients, use `planner.reports.eml.build_message` and `message_bytes`."""
    if fmt == "md":
        from planner.reports.markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        from planner.reports.html import render_html

        return render_html(report)
    if fmt == "pdf":
        from planner.reports.pdf import render_pdf

        return render_pdf(report)
    if fmt == "text":
        from planner.reports.text import render_text

        return render_text(report)
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
