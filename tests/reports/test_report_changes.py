"""The weekly report looks back ("This week's changes and why") and forward (the trajectory:
a line in text, an SVG chart in HTML, fpdf2 drawing in the PDF)."""

from __future__ import annotations

import io
import re
from dataclasses import replace

from planner.reports.html import render_html
from planner.reports.markdown import render_markdown
from planner.reports.model import build_weekly
from planner.reports.pdf import render_pdf
from planner.reports.text import render_text
from planner.services.context import Context
from planner.services.evidence import review
from tests.reports.support import AS_OF


def _section(text: str, title: str) -> str:
    start = text.index(title)
    end = text.find("\n\n", text.index("\n", start) + 1)
    return text[start:] if end < 0 else text[start:end]


def _md_section(text: str, title: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_evidence_accepted_in_the_week_is_named_with_the_figure_it_moved(sample: Context) -> None:
    before = build_weekly(sample, AS_OF)
    review(sample, 15, "accepted", on="06/05/2022")  # T25's evidence, criterion 3.1
    report = build_weekly(sample, AS_OF)
    gained = report.headline.appraised.secured - before.headline.appraised.secured
    assert gained > 0
    # Markdown: a table row per line, whatever the width of the cells.
    section = _md_section(render_markdown(report), "This week's changes and why")
    row = next(line for line in section.splitlines() if line.startswith("| 3.1 |"))
    assert f"+{gained:.2f} secured" in row
    assert "evidence #15 (T25) accepted on 06/5/2022" in row
    # Before the review, the same row said only that the evidence was submitted.
    old = _md_section(render_markdown(before), "This week's changes and why")
    assert "accepted" not in old and "evidence #15 (T25) submitted on 03/5/2022" in old
    # The text version says the same, wrapped.
    text = " ".join(_section(render_text(report), "THIS WEEK'S CHANGES AND WHY").split())
    assert "evidence #15 (T25) accepted on" in text


def test_office_view_lists_only_its_own_tasks_changes(sample: Context) -> None:
    from planner.services.report_queries import load_report_inputs

    review(sample, 15, "accepted", on="06/05/2022")  # T25's evidence
    lead = {occ.key: occ.lead_office for occ in load_report_inputs(sample).facts.occurrences}
    whole = build_weekly(sample, AS_OF)
    named_in_plan = {c.subject for ch in whole.changes for c in ch.causes}
    assert "T25" in named_in_plan
    for office in sorted({lead[key] for key in named_in_plan}):
        view = build_weekly(sample, AS_OF, office=office)
        named = {c.subject for ch in view.changes for c in ch.causes}
        assert named == {key for key in named_in_plan if lead[key] == office}
        assert view.trajectory == ()  # the plan's trajectory is in the plan's report
    # An office none of whose tasks moved sees nothing (T21 and T25 are VP's).
    assert "TCCB" not in {lead[key] for key in named_in_plan}
    assert build_weekly(sample, AS_OF, office="TCCB").changes == ()


def test_text_has_a_one_line_trajectory(sample: Context) -> None:
    report = build_weekly(sample, AS_OF)
    first, last = report.trajectory[0], report.trajectory[-1]
    assert last.as_of == AS_OF and len(report.trajectory) == 20
    line = (f"Trajectory since 01/01/2022: secured {first.appraised.secured:.2f} → "
            f"{last.appraised.secured:.2f}, projected {first.appraised.projected:.2f} → "
            f"{last.appraised.projected:.2f}; target 48.00.")
    assert " ".join(_section(render_text(report), "TRAJECTORY").split()[2:]) == line


def test_svg_has_a_polyline_per_series_and_the_target_line(sample: Context) -> None:
    html = render_html(build_weekly(sample, AS_OF))
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 2  # the trajectory, the bar per field
    line, bars = svgs
    polylines = re.findall(r'<polyline class="series" data-series="([^"]+)" points="([^"]+)"',
                           line)
    assert [name for name, _points in polylines] == ["projected", "secured"]
    for _name, points in polylines:
        assert len(points.split()) == 20  # a point a week, and the as-of date
    levels = re.findall(r'<line class="level" data-level="([^"]+)"', line)
    assert levels == ["target 48.00", "2021: 41.93"]
    # Told apart without colour: dash patterns differ, and each is named in the chart.
    styles = re.findall(r'<polyline[^>]*?(stroke-dasharray="[^"]*")?/>', line)
    assert len(set(styles)) == 2
    assert ">target 48.00</text>" in line and ">secured</text>" in line
    # A stacked bar per field: eight fields, the hatched parts drawn as lines.
    assert len(re.findall(r'<text[^>]*>\d \S', bars)) == 8
    assert "<line" in bars and ">at risk</text>" in bars


def _drawing_ops(data: bytes) -> tuple[int, int]:
    """Line segments ("l") and dash settings ("d") in the PDF's page content streams."""
    from pypdf import PdfReader

    lines = dashes = 0
    for page in PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents()
        assert content is not None
        ops = content.get_data().decode("latin-1")
        lines += len(re.findall(r" l\n", ops))
        dashes += len(re.findall(r"\] \S+ d\n", ops))
    return lines, dashes


def test_pdf_draws_the_trajectory_and_the_bars(sample: Context) -> None:
    report = build_weekly(sample, AS_OF)
    with_charts = render_pdf(report)
    without = render_pdf(replace(report, trajectory=()))
    lines, dashes = _drawing_ops(with_charts)
    lines_before, dashes_before = _drawing_ops(without)
    # Two polylines of 20 points (19 segments each), dashed series and levels.
    assert lines - lines_before >= 2 * 19
    assert dashes - dashes_before >= 3


def test_text_without_the_weeks_reads_the_same(sample: Context) -> None:
    """`planner report weekly` in text skips the weekly series: the same words, and the same
    first and last points as the full trajectory."""
    full = build_weekly(sample, AS_OF)
    ends = build_weekly(sample, AS_OF, charts=False)
    assert full.charted and not ends.charted
    assert ends.trajectory == (full.trajectory[0], full.trajectory[-1])
    assert render_text(ends) == render_text(full)
    assert "<svg" not in render_html(ends) and "<svg" in render_html(full)
