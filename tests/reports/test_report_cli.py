"""`planner report …` as a script calls it: stdout for results, files written whole, exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli
from tests.reports.support import ANCHOR, GOLDEN


def test_weekly_text_on_stdout_matches_the_golden_file(seeded: Cli) -> None:
    result = seeded("report", "weekly", "--as-of", "9/5/2022")
    assert result.exit_code == 0, result.output
    expected = (GOLDEN / "weekly-2022-05-09.txt").read_text(encoding="utf-8")
    assert ANCHOR.sub("ENTRY:FINGERPRINT", result.stdout) == expected
    assert result.stderr == ""


def test_the_weekly_report_prints_the_change_logs_anchor_which_check_verifies(
        seeded: Cli) -> None:
    """A printed anchor shows a log rewritten afterwards, even by someone who can write the
    database file and uses planner's own hash function."""
    import sqlite3

    from tests.cli.helpers import rechain

    if "://" in seeded.db:
        return  # rewriting the log by hand is shown on the SQLite file
    printed = ANCHOR.findall(seeded("report", "weekly", "--as-of", "9/5/2022").stdout)
    assert len(printed) == 1
    # Anchors kept in this person's data directory would show it too: forget them, so only
    # the printed page speaks.
    import os

    from planner.config import data_dir

    (data_dir() / "anchors.json").unlink()
    assert seeded("check", "--anchor", printed[0]).exit_code == 0
    conn = sqlite3.connect(seeded.db)
    with conn:
        conn.execute("UPDATE change_log SET actor = 'vp' WHERE action = 'user.add' AND label = 'tccb'")
    conn.close()
    rechain(seeded.db)
    assert os.environ.get("PLANNER_USER") is None
    unanchored = seeded("check")
    assert unanchored.exit_code == 0, unanchored.output  # the re-chained log passes
    result = seeded("check", "--anchor", printed[0])
    assert result.exit_code == 1
    assert "[anchor] anchor " + printed[0] in result.stdout and "the log was rewritten" in result.stdout



def test_formats_to_files(seeded: Cli, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for fmt, start in (("md", b"**UBND"), ("html", b"<!DOCTYPE html>"), ("pdf", b"%PDF-")):
        target = tmp_path / f"weekly.{fmt}"
        result = seeded("report", "weekly", "--as-of", "9/5/2022", "--format", fmt, "-o", str(target))
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert target.read_bytes().startswith(start)
    # Written through a temporary file and renamed: nothing else is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["weekly.html", "weekly.md", "weekly.pdf"]


def test_pdf_to_a_pipe(seeded: Cli) -> None:
    result = seeded("report", "weekly", "--as-of", "9/5/2022", "--format", "pdf")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"%PDF-")


def test_unwritable_output_leaves_nothing(seeded: Cli, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "weekly.txt"
    result = seeded("report", "weekly", "--as-of", "9/5/2022", "-o", str(target))
    assert result.exit_code == 2
    assert f"cannot write {target}" in result.stderr and "No such file or directory" in result.stderr
    assert not target.parent.exists()


def test_unknown_office(seeded: Cli) -> None:
    result = seeded("report", "weekly", "--office", "XX")
    assert result.exit_code == 2
    assert 'Unknown office "XX"' in result.stderr


def test_each_office_excludes_office(seeded: Cli) -> None:
    result = seeded("report", "weekly", "--office", "VP", "--each-office", "--send")
    assert result.exit_code == 2
    assert "exclude each other" in result.stderr


def test_due_formats(seeded: Cli) -> None:
    text = seeded("report", "due", "--as-of", "8/5/2022")
    assert text.exit_code == 0
    assert text.stdout == (GOLDEN / "due-2022-05-08.txt").read_text(encoding="utf-8")
    md = seeded("report", "due", "--as-of", "8/5/2022", "--format", "md")
    assert md.exit_code == 0
    assert "## VP Văn phòng" in md.stdout and "| **passed 8 days ago** | **T02** |" in md.stdout
    # Sunday 08/05 is no reminder day of T03 (due Sunday 15/05): Thursday 05/05 was.
    assert "T03" not in md.stdout
    earlier = seeded("report", "due", "--as-of", "5/5/2022", "--format", "md").stdout
    assert "| in 7 working days | T03 |" in earlier
    only = seeded("report", "due", "--as-of", "8/5/2022", "--office", "TCCB", "--format", "md")
    assert "## TCCB Phòng Tổ chức cán bộ" in only.stdout and "VP Văn phòng" not in only.stdout


def test_nothing_due(seeded: Cli) -> None:
    result = seeded("report", "due", "--as-of", "1/1/2022")
    assert result.exit_code == 0
    assert "No deadline needs a reminder today." in result.stdout


def test_help_lists_the_report_commands(seeded: Cli) -> None:
    result = seeded("report", "weekly", "--help")
    for option in ("--as-of", "--office", "--format", "--output", "--to", "--attach-pdf", "--send",
                   "--each-office"):
        assert option in result.stdout


def test_reports_import_neither_textual_nor_fpdf_until_a_pdf_is_asked() -> None:
    import subprocess
    import sys

    modules = ("planner.reports.model, planner.reports.layout, planner.reports.text, "
               "planner.reports.markdown, planner.reports.html, planner.reports.eml, "
               "planner.reports.mail, planner.reports.output, planner.cli.cmd_report")
    code = (f"import sys, {modules}; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'fpdf', 'rich'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
