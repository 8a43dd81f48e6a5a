"""The words Vietnamese spreadsheets use for planner's internal values (statuses, methods, kinds).

Exported tables (.xlsx, .csv) are Vietnamese documents whatever the language of messages: their
columns carry the names of the official appendix table, and their values read the same way
("Hoàn thành", not `done`). JSON keeps the slugs, for scripts. The statuses are those of
DOMAIN.md; the words are fixed here, not translated, like the column names.
"""

from __future__ import annotations

STATUS = {
    "not_started": "Chưa thực hiện",
    "in_progress": "Đang thực hiện",
    "done": "Hoàn thành",
    "paused": "Tạm dừng",
    "cancelled": "Đã hủy",
}
METHOD = {
    "sum": "Tổng điểm tiêu chí thành phần",
    "tasks": "Theo nhiệm vụ",
    "threshold": "Theo mức của chỉ số",
    "condition": "Theo điều kiện",
    "manual": "Nhập điểm",
}
KIND = {"document": "Văn bản", "file": "Tệp", "link": "Liên kết", "note": "Ghi chú"}
STATE = {
    "submitted": "Chờ duyệt",
    "accepted": "Đã chấp nhận",
    "rejected": "Bị từ chối",
    "withdrawn": "Đã rút",
}
RECURRENCE = {
    "monthly": "Hằng tháng",
    "quarterly": "Hằng quý",
    "weekly": "Hằng tuần",
    "periodic-reports": "Định kỳ",
}
YES, NO = "Có", "Không"

TABLES = {"status": STATUS, "method": METHOD, "kind": KIND, "state": STATE,
          "recurrence": RECURRENCE}


def label(table: str, value: str | None) -> str:
    """The Vietnamese word for a slug of `table`; a value it does not know is kept as it is
    (an RRULE, a status added later)."""
    if not value:
        return ""
    return TABLES[table].get(value, value)


def yes_no(value: bool) -> str:
    return YES if value else NO
