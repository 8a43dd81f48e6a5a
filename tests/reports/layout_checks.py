"""What a clerk checks on every printed page of a formal document, as assertions.

- the national heading, the agency's name and the title are whole lines (a name or a word is
  never broken across lines);
- no page ends with a section title, a heading, a table caption or a table's header row;
- the signature block and the recipients are on the last page;
- page numbers at the top centre from page 2, none on page 1.
"""

from __future__ import annotations

from planner.reports.blocks import MOTTO, MOTTO_2, Document, Heading, Table
from tests.reports.pdfread import Page, page_numbers_ok


def _endings(doc: Document) -> tuple[set[str], list[set[str]]]:
    """Texts that must not end a page, and the header words of each table."""
    titles: set[str] = set()
    headers: list[set[str]] = []
    for section in doc.sections:
        titles.add(section.title)
        for block in section.blocks:
            if isinstance(block, Heading):
                titles.add(block.text)
            if isinstance(block, Table):
                if block.caption:
                    titles.add(block.caption)
                if block.caption_note:
                    titles.add(block.caption_note)
                if block.rows:
                    headers.append({w for c in block.columns for w in c.header.split()})
    return titles, headers


def check_pages(pages: list[Page], doc: Document, *, place: str = "Hải Phòng") -> None:
    first = pages[0]
    lines = [line.text for line in first.lines]
    # The national heading and its motto, each on one line.
    assert any(MOTTO in text for text in lines), lines[:8]
    assert any(MOTTO_2 in text for text in lines), lines[:8]
    # The agency's name: its lines, joined, are the name; the place name is never split.
    agency = doc.header.agency.upper()
    if place:
        assert any(place.upper() in text for text in lines), lines[:8]
        assert not any(text.endswith(place.upper().split()[0]) for text in lines)
    assert agency.split()[0] in " ".join(lines)
    # The title: every word of it on page 1, each line ending where a word ends.
    joined = " ".join(lines)
    title = doc.header.title
    assert " ".join(title.split()) in joined or all(w in joined for w in title.split())
    if doc.header.kind:
        assert doc.header.kind.upper() in lines
    titles, headers = _endings(doc)
    for page in pages[:-1]:
        body = page.body()
        assert body, f"page {page.number} is empty"
        last = body[-1].text
        assert last not in titles, f"page {page.number} ends with the heading {last!r}"
        for words in headers:
            assert not set(last.split()) <= words, (
                f"page {page.number} ends with a table header: {last!r}")
    page_numbers_ok(pages)
    if doc.closing is not None:
        last_text = pages[-1].text
        signature = doc.closing.signature
        assert "Nơi nhận:" in last_text
        assert signature.title.upper() in last_text
        if signature.name:
            assert signature.name in last_text
        for earlier in pages[:-1]:
            assert "Nơi nhận:" not in earlier.text
