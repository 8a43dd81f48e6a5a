"""The weekly model says what the issue asks, computed from the same scoring as everything else."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest

from planner.reports import fmt
from planner.reports.model import build_due, build_weekly, build_weekly_each_office
from planner.services.context import Context
from planner.services.errors import NotFound
from planner.services.scores import plan_score
from tests.reports.support import AS_OF


def test_headline_change_is_the_same_computation_seven_days_earlier(sample: Context) -> None:
    report = build_weekly(sample, AS_OF)
    now = plan_score(sample, AS_OF).score
    before = plan_score(sample, AS_OF - timedelta(days=7)).score
    h = report.headline
    assert report.previous_as_of == date(2022, 5, 2)
    assert h.appraised.secured == pytest.approx(now.appraised.secured)
    assert h.appraised.projected == pytest.approx(now.appraised.projected)
    assert h.previous_appraised.at_risk == pytest.approx(before.appraised.at_risk)
    assert h.previous_survey.projected == pytest.approx(before.survey.projected)
    assert (h.baseline_score, h.baseline_max, h.baseline_rank, h.baseline_of) == (41.93, 56, 19, 20)
    assert h.target_score == 48.0
    assert [f.code for f in report.fields] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert report.fields[2].points.max_points == 12


def test_week_runs_monday_to_sunday(sample: Context) -> None:
    report = build_weekly(sample, date(2022, 5, 12))  # a Thursday
    assert (report.week_start, report.week_end) == (date(2022, 5, 9), date(2022, 5, 15))


def test_overdue_grouped_by_lead_office_with_days_and_points(sample: Context) -> None:
    report = build_weekly(sample, AS_OF)
    groups = {g.office.code: g for g in report.overdue}
    assert list(groups) == ["VP", "TCCB"]  # in the offices' order
    tccb = groups["TCCB"]
    assert tccb.office.head == "Nguyễn Văn Hải, Trưởng phòng"
    assert [(t.key, -t.days_left) for t in tccb.tasks] == [("T28", 39), ("T30", 9)]
    # T28 and T30 carry the whole of 4.3 (2 points) and 5.1 (1.5 points), both at risk.
    assert tccb.points_at_risk == pytest.approx(3.5)
    assert groups["VP"].tasks[0].key == "T02"


def test_completed_in_the_seven_days_up_to_the_date(sample: Context) -> None:
    report = build_weekly(sample, date(2022, 5, 2))
    assert report.completed_since == date(2022, 4, 26)
    assert [t.key for t in report.completed] == ["T40", "T06@2022-04-30"]
    assert build_weekly(sample, AS_OF).completed == ()


def test_due_in_next_14_days_not_done(sample: Context) -> None:
    report = build_weekly(sample, date(2022, 5, 2))
    assert [t.key for t in report.due_soon] == ["T03"]  # 15/05; 31/05 is beyond 16/05
    later = build_weekly(sample, date(2022, 5, 20))
    assert [t.key for t in later.due_soon] == ["T06@2022-05-31"]


def test_evidence_as_of_the_date(sample: Context) -> None:
    report = build_weekly(sample, AS_OF)
    assert [e.id for e in report.evidence_pending] == [15, 16, 17, 18]
    assert [e.days_waiting for e in report.evidence_pending] == [6, 5, 4, 3]
    rejected = {e.id: e for e in report.evidence_rejected}
    assert set(rejected) == {3, 11}
    assert rejected[3].reason.startswith("Chỉ có bảng tổng hợp")
    assert rejected[11].resubmitted and not rejected[3].resubmitted
    earlier = build_weekly(sample, date(2022, 5, 4))
    assert [e.id for e in earlier.evidence_pending] == [15, 16]


def test_indicators_latest_reading_band_and_target(sample: Context) -> None:
    lines = {i.code: i for i in build_weekly(sample, AS_OF).indicators}
    ontime = lines["ontime_rate"]
    assert ontime.criteria == ("3.3.1",)
    assert ontime.reading_on == date(2022, 4, 30)
    assert ontime.value == pytest.approx(1725 * 100 / 1745)
    assert (ontime.band_bound, ontime.points, ontime.max_points, ontime.target) == (98, 2, 3, 100)
    assert lines["postal_share"].band_bound is None and lines["postal_share"].points == 0
    assert lines["training_completion"].value is None and lines["training_completion"].points is None
    assert lines["plan_completion"].computed


def test_office_view_leads_and_supports(sample: Context) -> None:
    report = build_weekly(sample, AS_OF, "tccb")  # any case, as everywhere
    assert report.office is not None and report.office.code == "TCCB"
    assert report.record is not None and report.record.overdue == 2
    assert {t.key for t in report.led} >= {"T28", "T30", "T10", "T12"}
    assert all(t.lead == "TCCB" and t.status != "done" for t in report.led)
    assert "T02" in {t.key for t in report.supported}
    assert all("TCCB" in t.supporting for t in report.supported)
    assert all(e.lead == "TCCB" for e in report.evidence_pending + report.evidence_rejected)
    assert {i.code for i in report.indicators} == {"training_completion"}


def test_each_office_gives_every_office_its_own_view(sample: Context) -> None:
    reports = build_weekly_each_office(sample, AS_OF)
    assert [r.office.code for r in reports if r.office] == [
        "VP", "TCCB", "KHTC", "GDMN", "GDTH", "GDTrH", "GDTX", "KTKĐ", "TTr"]
    single = build_weekly(sample, AS_OF, "KHTC")
    assert reports[2] == single


def test_unknown_office_is_refused(sample: Context) -> None:
    with pytest.raises(NotFound):
        build_weekly(sample, AS_OF, "NOPE")


@pytest.mark.parametrize(("day", "expected"), [
    # T03 is due on Sunday 15/05/2022: 7, 3 and 1 working days before it.
    (date(2022, 5, 5), "7"), (date(2022, 5, 11), "3"), (date(2022, 5, 13), "1"),
    (date(2022, 5, 15), "0"), (date(2022, 5, 16), "passed"),
])
def test_due_reminders_7_3_1_working_days_ahead_and_passed(
        sample: Context, day: date, expected: str) -> None:
    report = build_due(sample, day)
    kinds = {r.task.key: r.kind for s in report.sections for r in s.reminders}
    assert kinds["T03"] == expected
    assert kinds["T28"] == "passed"


def test_due_reminders_skip_other_days(sample: Context) -> None:
    report = build_due(sample, date(2022, 5, 10))  # T03 is 4 working days ahead: no reminder
    keys = {r.task.key for s in report.sections for r in s.reminders}
    assert "T03" not in keys
    assert [s.office.code for s in report.sections] == ["VP", "TCCB"]


def test_place_date_line_follows_decree_30() -> None:
    assert fmt.place_date_line("Hải Phòng", date(2022, 5, 9)) == "Hải Phòng, ngày 09 tháng 5 năm 2022"
    assert fmt.place_date_line("Hải Phòng", date(2022, 1, 20)) == "Hải Phòng, ngày 20 tháng 01 năm 2022"
    assert fmt.place_date_line("Hải Phòng", date(2022, 12, 1)) == "Hải Phòng, ngày 01 tháng 12 năm 2022"


def test_wrap_measures_display_width_and_keeps_every_word() -> None:
    title = "Rà soát, điều chỉnh đề án vị trí việc làm của Sở và các đơn vị sự nghiệp trực thuộc"
    lines = fmt.wrap(title, 20)
    assert all(fmt.display_width(line) <= 20 for line in lines)
    assert " ".join(lines) == title
    decomposed = unicodedata.normalize("NFD", "Cải cách")  # pasted with combining marks
    assert len(decomposed) > 8 and fmt.display_width(decomposed) == 8
    assert fmt.wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
