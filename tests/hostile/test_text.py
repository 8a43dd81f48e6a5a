"""Text that is not what it claims: control characters refused on input, and shown (never sent
to the terminal) when they are already stored."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from planner.domain.text import BIDI_CONTROLS, TextError, clean_text, forbidden_character, printable
from planner.store.engine import database_url
from tests.cli.helpers import fingerprint
from tests.conftest import Cli

ESCAPE = "ev\x1b]0;PWNED\x07il"


CONTROLS = "contains control characters"


@pytest.mark.parametrize(("args", "message"), [
    (("office", "add", "X\x1bY", "--name", "Phòng"), f"code: {CONTROLS} (U+001B)"),
    (("office", "add", "XY", "--name", "Phòng\x9bđ"), f"name: {CONTROLS} (U+009B)"),
    (("office", "edit", "VP", "--head", ESCAPE), f"head: {CONTROLS}"),
    (("users", "add", ESCAPE), f"login: {CONTROLS}"),
    (("users", "add", "nam", "--name", "Nguyễn\u202eVăn"), f"name: {CONTROLS} (U+202E)"),
    (("task", "add", "Tiêu đề\x00", "--lead", "VP", "--due", "30/6/2022"), f"title: {CONTROLS} (U+0000)"),
    (("task", "add", "Tiêu đề\nhai dòng", "--lead", "VP", "--due", "30/6/2022"), f"title: {CONTROLS}"),
    (("task", "add", "Tiêu đề", "--lead", "VP", "--due", "30/6/2022", "--code", "T\x1b1"),
     'code: "T␛1" must start with a letter'),
    (("task", "edit", "T03", "--product", "Quyết định\x7f"), f"product: {CONTROLS}"),
    (("task", "edit", "T03", "--description", "dòng 1\x1b[2J"), f"description: {CONTROLS}"),
    (("evidence", "add", "T03", "--doc", "12/QĐ", "--issuer", "Sở\u2066GD"), f"issuer: {CONTROLS}"),
    (("evidence", "add", "T03", "--url", "https://example.org/\x1b]8;;x"), f"link: {CONTROLS}"),
    (("indicator", "add", "rate\x1b", "--name", "Tỉ lệ"), f"code: {CONTROLS}"),
])
def test_control_characters_are_refused_on_input(seeded: Cli, args: tuple[str, ...], message: str) -> None:
    before = fingerprint(seeded.db)
    result = seeded(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "\x1b" not in result.stderr
    assert fingerprint(seeded.db) == before


def test_a_multiline_description_keeps_its_lines(seeded: Cli) -> None:
    assert seeded("task", "edit", "T03", "--description", "dòng 1\n\tdòng 2").exit_code == 0
    assert "dòng 1\n  \tdòng 2" in seeded("task", "show", "T03").stdout


def test_the_acting_user_is_checked_like_any_name(seeded: Cli) -> None:
    before = fingerprint(seeded.db)
    result = seeded("--user", ESCAPE, "task", "done", "T03")  # acting as that name
    assert result.exit_code == 2 and "user: contains control characters (U+001B)" in result.stderr
    assert fingerprint(seeded.db) == before


def _plant(db: str) -> None:
    """Text stored before input was checked (or written by another program)."""
    engine = create_engine(database_url(db))
    with engine.begin() as conn:
        conn.execute(text("UPDATE task SET title = :t WHERE code = 'T03'"), {"t": f"Tiêu đề {ESCAPE} \u202eabc"})
        conn.execute(text("UPDATE office SET head_name = :t WHERE code = 'VP'"), {"t": ESCAPE})
        conn.execute(text("UPDATE change_log SET actor = :t"), {"t": ESCAPE})
        conn.execute(text("UPDATE evidence SET submitted_by = :t, title = :t, reason = :t"), {"t": ESCAPE})
    engine.dispose()


@pytest.mark.parametrize("args", [
    ("log",), ("evidence", "list"), ("evidence", "show", "1"), ("tasks",), ("task", "show", "T03"),
    ("offices",), ("report", "weekly"), ("report", "weekly", "--format", "md"), ("report", "due"),
])
def test_stored_escape_sequences_never_reach_the_terminal(seeded: Cli, args: tuple[str, ...]) -> None:
    _plant(seeded.db)
    result = seeded(*args)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\u202e" not in result.output
    if args[0] in ("log", "evidence", "task"):
        assert "ev␛]0;PWNED␇il" in result.output  # shown, visibly


def test_json_keeps_the_stored_text_escaped(seeded: Cli) -> None:
    import json

    _plant(seeded.db)
    result = seeded("log", "--format", "json")
    assert "\x1b" not in result.stdout  # JSON escapes it as \u001b
    assert json.loads(result.stdout)[0]["actor"] == ESCAPE


# ------------------------------------------------------------------------------- the domain


@given(st.text())
def test_printable_text_holds_no_control_character(value: str) -> None:
    shown = printable(value)
    assert forbidden_character(shown) is None
    assert not any(ch in BIDI_CONTROLS for ch in shown)
    if forbidden_character(value) is None:
        assert shown == value  # ordinary text is shown exactly as it is


@given(st.text())
def test_clean_text_never_stores_a_refused_character(value: str) -> None:
    try:
        stored = clean_text(value, "title", max_length=100_000)
    except TextError:
        assert forbidden_character(value) is not None or not value.strip()
    else:
        assert forbidden_character(stored) is None


@pytest.mark.parametrize("ch", [*(chr(c) for c in range(32)), "\x7f", "\x85", "\x9b", *sorted(BIDI_CONTROLS), "\udcff"])
def test_every_control_is_refused_on_one_line(ch: str) -> None:
    with pytest.raises(TextError):
        clean_text(f"a{ch}b", "name")


@pytest.mark.parametrize("ch", ["\n", "\t"])
def test_a_multiline_field_keeps_newline_and_tab(ch: str) -> None:
    assert clean_text(f"a{ch}b", "note", multiline=True) == f"a{ch}b"


def test_vietnamese_text_and_punctuation_pass() -> None:
    value = "Phòng Khảo thí và Kiểm định chất lượng – KTKĐ [2022] " + string.punctuation
    assert clean_text(value, "name") == value


def test_an_imported_title_with_a_bidi_override_is_a_problem_of_its_row(seeded: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plan-2023.csv"
    path.write_text("STT,Nội dung,Đơn vị chủ trì,Thời gian hoàn thành\n"
                    "1,Rà soát thủ tục,VP,30/6/2023\n"
                    "2,Báo cáo \u202egnat\u202c quý,VP,30/9/2023\n"
                    "3,Kiểm tra\x9b nội bộ,TTr,31/10/2023\n", encoding="utf-8")
    before = fingerprint(seeded.db)
    result = seeded("import", "plan", str(path), "--year", "2023")
    assert result.exit_code == 2
    assert "row 3" in result.stderr and "contains control characters (U+202E)" in result.stderr
    assert "row 4" in result.stderr and "(U+009B)" in result.stderr
    assert fingerprint(seeded.db) == before
