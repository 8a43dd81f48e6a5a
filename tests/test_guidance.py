"""Scoring methods read from the index's guidance (planner.domain.guidance)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.guidance import infer_method, method_parameters, parse_points


@pytest.mark.parametrize("guidance,top,bands", [
    ("100%: 1 điểm; từ 95% đến dưới 100%: 0,5 điểm", 1, ((100, 1), (95, 0.5))),
    ("Đạt 100%: 3 điểm; từ 98% đến dưới 100%: 2 điểm; từ 95% đến dưới 98%: 1 điểm; "
     "dưới 95%: 0 điểm", 3, ((100, 3), (98, 2), (95, 1))),
    ("Từ 30% trở lên: 1,5 điểm; từ 20% đến dưới 30%: 1 điểm; từ 10% đến dưới 20%: 0,5 điểm; "
     "dưới 10%: 0 điểm", 1.5, ((30, 1.5), (20, 1), (10, 0.5))),
    ("≥ 50%: 3 điểm\n30% - dưới 50%: 2 điểm", 3, ((50, 3), (30, 2))),
    ("Trên 90%: 2 điểm; từ 70% đến 90%: 1 điểm", 2, ((90, 2), (70, 1))),
])
def test_percentage_bands_are_a_threshold_with_inclusive_lower_bounds(guidance, top, bands) -> None:  # type: ignore[no-untyped-def]
    inferred = infer_method("Tỷ lệ", guidance, top)
    assert inferred.method == "threshold"
    assert inferred.direction == "higher"
    assert inferred.bands == tuple((float(b), float(p)) for b, p in bands)
    assert method_parameters("threshold", top, inferred) == {
        "bands": [[float(b), float(p)] for b, p in bands]}


def test_a_lower_is_better_rate_reads_upper_bounds() -> None:
    inferred = infer_method("Tỷ lệ hồ sơ quá hạn", "Dưới 1%: 1 điểm; dưới 3%: 0,5 điểm", 1)
    assert (inferred.method, inferred.direction) == ("threshold", "lower")
    assert inferred.bands == ((1.0, 1.0), (3.0, 0.5))


@pytest.mark.parametrize("guidance,top,outcomes", [
    ("Có: 0,5; Không: 0", 0.5, [("yes", "Có", 0.5), ("no", "Không", 0.0)]),
    ("Không có cán bộ bị kỷ luật: 1,5 điểm; có cán bộ bị khiển trách: 0,5 điểm; bị cảnh cáo "
     "trở lên: 0 điểm", 1.5, [(None, "Không có cán bộ bị kỷ luật", 1.5),
                              (None, "có cán bộ bị khiển trách", 0.5),
                              (None, "bị cảnh cáo trở lên", 0.0)]),
    ("Không có cán bộ bị kỷ luật: 1,5 điểm; có cán bộ bị khiển trách thì trừ 1 điểm; bị cảnh "
     "cáo trở lên không được điểm", 1.5, [(None, "Không có cán bộ bị kỷ luật", 1.5),
                                          (None, "có cán bộ bị khiển trách", 0.5),
                                          (None, "bị cảnh cáo trở lên", 0.0)]),
])
def test_outcome_lists_are_a_condition(guidance, top, outcomes) -> None:  # type: ignore[no-untyped-def]
    inferred = infer_method("Kỷ luật", guidance, top)
    assert inferred.method == "condition"
    got = [(k if expected[0] else None, label, p)
           for (k, label, p), expected in zip(inferred.outcomes, outcomes, strict=True)]
    assert got == outcomes
    assert len({k for k, _l, _p in inferred.outcomes}) == len(outcomes)  # keys are unique


def test_on_time_or_late_is_work_with_its_late_factor() -> None:
    inferred = infer_method("Ban hành kế hoạch", "Ban hành đúng hạn: 0,5 điểm; ban hành chậm: "
                            "0,25 điểm; không ban hành: 0 điểm", 0.5)
    assert (inferred.method, inferred.late_factor) == ("tasks", 0.5)
    assert method_parameters("tasks", 0.5, inferred) == {"late_factor": 0.5, "mode": "share"}


def test_parts_adding_up_are_work_not_alternatives() -> None:
    inferred = infer_method("Kiểm tra", "Ban hành kế hoạch kiểm tra và kiểm tra ít nhất 30% "
                            "đơn vị: 0,5 điểm; xử lý các vấn đề phát hiện: 0,5 điểm", 1)
    assert inferred.method == "tasks"


@pytest.mark.parametrize("title,guidance", [
    ("Mức độ hài lòng của người dân (SIPAS)", ""),
    ("Khảo sát lãnh đạo", "Điểm do cơ quan điều tra xã hội học chấm"),
])
def test_a_survey_is_entered_by_hand(title: str, guidance: str) -> None:
    assert infer_method(title, guidance, 20).method == "manual"


def test_anything_else_is_delivered_by_tasks() -> None:
    assert infer_method("Tuyên truyền", "Thực hiện đầy đủ kế hoạch", 1).method == "tasks"
    assert infer_method("Tuyên truyền", "", 1).method == "tasks"


def test_a_condition_without_outcomes_in_its_guidance_is_yes_or_no() -> None:
    assert method_parameters("condition", 2, None) == {"outcomes": [
        {"key": "yes", "label": "Có", "points": 2}, {"key": "no", "label": "Không", "points": 0.0}]}


@pytest.mark.parametrize("text,points", [("1", 1), ("0,5", 0.5), ("1,5 điểm", 1.5),
                                         ("0.25đ", 0.25), (" 3 ", 3), ("abc", None), ("", None)])
def test_points_as_written(text: str, points: float | None) -> None:
    assert parse_points(text) == points


@given(st.lists(st.tuples(st.integers(1, 100), st.integers(0, 40)), min_size=1, max_size=5,
                unique_by=lambda b: b[0]))
def test_any_band_list_reads_back_best_band_first(raw: list[tuple[int, int]]) -> None:
    """Bands written "từ X% trở lên: P điểm" in any order come back sorted, none earning more
    than a better one (or the guidance is not taken as bands at all)."""
    top = max(p for _b, p in raw) / 4 or 1
    guidance = "; ".join(f"Từ {b}% trở lên: {str(p / 4).replace('.', ',')} điểm" for b, p in raw)
    inferred = infer_method("Tỷ lệ", guidance, top)
    if inferred.method != "threshold":
        return
    bounds = [b for b, _p in inferred.bands]
    assert bounds == sorted(bounds, reverse=True)
    points = [p for _b, p in inferred.bands]
    assert points == sorted(points, reverse=True)
    assert all(0 < p <= top for p in points)
