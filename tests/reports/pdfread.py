"""Reading a PDF back as a person reads the page: lines of text, top to bottom, with positions.

Works on what fpdf2, Chromium and LibreOffice write (pypdf's text visitor, the text matrix
times the current transformation). Also the printers of the other formats: HTML through
Chromium driven by Playwright, DOCX through LibreOffice; each skips with the reason when the
program is not installed (`.ci/run` installs them).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

PT = 25.4 / 72  # mm per point
CHROMIUM = os.environ.get("PLANNER_TEST_CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class Line:
    text: str
    x: float  # mm from the left edge
    y: float  # mm from the top edge (baseline)
    size: float  # pt


@dataclass(frozen=True)
class Page:
    number: int
    height: float  # mm
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def body(self) -> list[Line]:
        """The lines between the top and bottom margins (20 mm): no page number."""
        return [line for line in self.lines if 18.0 < line.y < self.height - 18.0]

    def find(self, text: str) -> list[Line]:
        return [line for line in self.lines if text in line.text]


def read_pages(data: bytes) -> list[Page]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        height = float(page.mediabox.height)
        pieces: list[tuple[float, float, float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  pieces: list[tuple[float, float, float, str]] = pieces) -> None:
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0)
            pieces.append((x, y, size * scale, text))

        page.extract_text(visitor_text=visit)
        pages.append(Page(number, height * PT, tuple(_lines(pieces, height))))
    return pages


def _lines(pieces: list[tuple[float, float, float, str]], height: float) -> list[Line]:
    """Fragments on the same baseline (within 2 pt) joined left to right into lines."""
    rows: list[list[tuple[float, float, float, str]]] = []
    for piece in sorted(pieces, key=lambda p: (-p[1], p[0])):
        for row in rows:
            if abs(row[0][1] - piece[1]) < 2.0:
                row.append(piece)
                break
        else:
            rows.append([piece])
    out = []
    for row in rows:
        row.sort(key=lambda p: p[0])
        # Fragments far apart on one baseline are separate lines (the two blocks of the head,
        # the columns of a table row): a gap wider than 6 mm past the previous fragment's
        # estimated end (half an em a character) starts a new one.
        groups: list[list[tuple[float, float, float, str]]] = []
        end = -1e9
        for piece in row:
            if groups and piece[0] <= end + 6.0 / PT:
                groups[-1].append(piece)
            else:
                groups.append([piece])
            end = max(end, piece[0] + len(piece[3]) * piece[2] * 0.5)
        for group in groups:
            text = ""
            for piece in group:
                fragment = piece[3].replace("\n", " ")
                text = fragment if not text else (
                    text + fragment if text.endswith(" ") or fragment.startswith(" ")
                    else text + " " + fragment)
            out.append(Line(" ".join(text.split()), group[0][0] * PT, (height - group[0][1]) * PT,
                            max(p[2] for p in group)))
    out.sort(key=lambda line: (round(line.y, 1), line.x))
    return out


def page_numbers_ok(pages: list[Page]) -> None:
    """Decree 30: no number on the first page; from page 2, the number at the top centre."""
    assert not [line for line in pages[0].lines if line.y < 18.0 and line.text.isdigit()]
    for page in pages[1:]:
        top = [line for line in page.lines if line.y < 18.0]
        assert [line.text for line in top] == [str(page.number)], (page.number, top)
        assert 95.0 < top[0].x < 125.0  # centred on the 210 mm page


# --------------------------------------------------------------------------- other printers


def html_to_pdf(html: str, base: Path | None = None) -> bytes:
    """Print an HTML page to PDF with Chromium (Debian's package, driven by Playwright)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright; the test extra has it)")
    folder = Path(tempfile.mkdtemp(prefix="planner-html-")) if base is None else base
    page_file = folder / "page.html"
    page_file.write_text(html, encoding="utf-8")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            try:
                page = browser.new_page()
                page.goto(page_file.as_uri())
                return page.pdf(prefer_css_page_size=True)
            finally:
                browser.close()
    finally:
        if base is None:
            shutil.rmtree(folder, ignore_errors=True)


def docx_to_pdf(data: bytes) -> bytes:
    """Convert a .docx to PDF with LibreOffice, in a profile of its own (parallel workers)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui; .ci/run does)")
    folder = Path(tempfile.mkdtemp(prefix="planner-docx-"))
    try:
        source = folder / "document.docx"
        source.write_bytes(data)
        profile = folder / f"profile-{uuid.uuid4().hex}"
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
             "pdf", "--outdir", str(folder), str(source)],
            check=True, capture_output=True, timeout=180)
        return (folder / "document.pdf").read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
