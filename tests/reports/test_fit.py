"""Where the head of a formal document breaks its lines (`reports.fit`): never inside a name or
a two-syllable word when another break fits, the lines joined giving back the text."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.reports import fit


@pytest.mark.parametrize(("text", "room", "expected"), [
    # The agency breaks before the place name, not inside it ("HẢI / PHÒNG" was the first print).
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG", fit.LEFT_WIDTH, ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "HẢI PHÒNG"]),
    ("UBND THÀNH PHỐ HẢI PHÒNG", fit.LEFT_WIDTH, ["UBND THÀNH PHỐ HẢI PHÒNG"]),
])
def test_agency_names(text: str, room: float, expected: list[str]) -> None:
    assert fit.lines(text, room, "B", 12, ("Hải Phòng",), name=True) == expected


@pytest.mark.parametrize("title", [
    "Kết quả thực hiện công tác cải cách hành chính quý I năm 2022",
    "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2022",
    "Tình hình thực hiện Kế hoạch cải cách hành chính hằng tuần",
    "Tài liệu kiểm chứng Chỉ số cải cách hành chính năm 2022",
    "TÌNH HÌNH THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH HẰNG TUẦN",
])
@pytest.mark.parametrize("room", [80.0, 100.0, 120.0])
def test_titles_break_between_words(title: str, room: float) -> None:
    lines = fit.lines(title, room, "B", 14)
    assert " ".join(lines) == title
    assert all(fit.width(line, "B", 14) <= room for line in lines)
    for first, second in itertools.pairwise(lines):
        pair = f"{first.split()[-1]} {second.split()[0]}".lower()
        assert pair not in ("cải cách", "hành chính", "hằng tuần", "chỉ số", "6 tháng", "năm 2022",
                            "quý i", "kế hoạch"), (lines, pair)


def test_a_line_that_fits_is_left_whole() -> None:
    assert fit.lines("BÁO CÁO", fit.PAGE_WIDTH) == ["BÁO CÁO"]
    assert fit.lines("", fit.PAGE_WIDTH) == []


words = st.lists(st.sampled_from(["cải", "cách", "hành", "chính", "năm", "2022", "Hải", "Phòng",
                                  "kế", "hoạch", "của", "Sở", "và", "quý", "I", "Nghịđịnhdàiquá"]),
                 min_size=1, max_size=30)


@given(words, st.floats(30, 170))
def test_lines_give_back_the_text_and_fit(parts: list[str], room: float) -> None:
    text = " ".join(parts)
    lines = fit.lines(text, room, "B", 14, ("Hải Phòng",))
    assert " ".join(lines) == text
    for line in lines:
        assert fit.width(line, "B", 14) <= room or " " not in line  # only a lone word overflows
