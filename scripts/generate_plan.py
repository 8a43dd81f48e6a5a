"""Generate a large, realistic plan database for benchmarks and tests.

    python scripts/generate_plan.py OUT.db --tasks 10000 --criteria 700 --offices 20 \\
        --evidence 5000 --seed 1

The database is created (and migrated) fresh, then filled with SQLAlchemy Core bulk inserts in
one transaction: a 2022 plan with a criteria tree of 8 fields, offices, tasks with supporting
offices, criteria links, recurring tasks expanded into occurrences, status changes, and
evidence (accepted, rejected, awaiting review). The same arguments always give the same
content (timestamps are fixed, not "now"). One `plan.load` entry starts the change log.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

YEAR = 2022
STAMP = datetime(2022, 1, 20, 8, 0, 0, tzinfo=UTC)

OFFICES: list[tuple[str, str, list[str]]] = [
    ("VP", "Văn phòng", ["Văn phòng Sở", "VPS"]),
    ("TCCB", "Phòng Tổ chức cán bộ", ["Tổ chức cán bộ", "Phòng TCCB"]),
    ("KHTC", "Phòng Kế hoạch – Tài chính", ["Kế hoạch - Tài chính", "Phòng KHTC", "KH-TC"]),
    ("GDMN", "Phòng Giáo dục Mầm non", ["Giáo dục Mầm non", "Phòng GDMN"]),
    ("GDTH", "Phòng Giáo dục Tiểu học", ["Giáo dục Tiểu học", "Phòng GDTH"]),
    ("GDTrH", "Phòng Giáo dục Trung học", ["Giáo dục Trung học", "Phòng GDTrH"]),
    ("GDTX", "Phòng Giáo dục thường xuyên – Chuyên nghiệp", ["Giáo dục thường xuyên", "GDTX-CN"]),
    ("KTKĐ", "Phòng Khảo thí và Kiểm định chất lượng", ["Phòng KT&KĐCL", "KTKD"]),
    ("TTr", "Thanh tra Sở", ["Thanh tra", "Thanh tra Sở GD&ĐT"]),
    ("CNTT", "Phòng Công nghệ thông tin", ["Công nghệ thông tin", "Phòng CNTT"]),
    ("PC", "Phòng Pháp chế", ["Pháp chế", "Tổ Pháp chế"]),
    ("CTHSSV", "Phòng Công tác học sinh, sinh viên", ["Công tác HSSV", "Phòng CTHSSV"]),
    ("QLCL", "Phòng Quản lý chất lượng", ["Quản lý chất lượng"]),
    ("TTGDTX", "Trung tâm Giáo dục thường xuyên Hải Phòng", ["TT GDTX"]),
    ("TTNN", "Trung tâm Ngoại ngữ – Tin học", ["TT Ngoại ngữ - Tin học"]),
    ("TTHTDH", "Trung tâm Hỗ trợ dạy học", ["TT Hỗ trợ dạy học"]),
    ("BQLDA", "Ban Quản lý dự án giáo dục", ["Ban QLDA"]),
    ("TTKT", "Trung tâm Khảo thí", ["TT Khảo thí"]),
    ("TTTV", "Trung tâm Tư vấn hướng nghiệp", ["TT Tư vấn"]),
    ("CĐS", "Tổ Chuyển đổi số", ["Chuyển đổi số", "Tổ CĐS"]),
]
HEADS = ["Trần Thị Hồng Nhung", "Nguyễn Văn Hải", "Phạm Thị Thu Hà", "Vũ Thị Lan Anh",
         "Đỗ Minh Tuấn", "Lê Quang Huy", "Hoàng Văn Thắng", "Bùi Thị Thanh Hương",
         "Đặng Văn Long", "Ngô Thị Mai", "Phan Đức Anh", "Lương Thị Thu"]

# field code, title, max points
FIELDS: list[tuple[str, str, float]] = [
    ("1", "Công tác chỉ đạo, điều hành CCHC", 7),
    ("2", "Cải cách thể chế", 5),
    ("3", "Cải cách thủ tục hành chính", 12),
    ("4", "Cải cách tổ chức bộ máy hành chính", 6),
    ("5", "Cải cách chế độ công vụ", 8),
    ("6", "Cải cách tài chính công", 5),
    ("7", "Xây dựng, phát triển Chính quyền điện tử, Chính quyền số", 13),
    ("8", "Tác động của CCHC (điều tra xã hội học)", 44),
]
CRITERION_TOPICS: dict[str, list[str]] = {
    "1": ["Kế hoạch CCHC", "Báo cáo CCHC", "Kiểm tra CCHC", "Tuyên truyền CCHC", "Sáng kiến CCHC"],
    "2": ["Xây dựng văn bản QPPL", "Rà soát văn bản", "Theo dõi thi hành pháp luật"],
    "3": ["Kiểm soát TTHC", "Công khai TTHC", "Cơ chế một cửa", "Giải quyết hồ sơ đúng hạn",
          "Dịch vụ bưu chính công ích"],
    "4": ["Sắp xếp tổ chức bộ máy", "Phân cấp quản lý", "Quản lý đơn vị sự nghiệp"],
    "5": ["Vị trí việc làm", "Tuyển dụng công chức", "Đào tạo, bồi dưỡng",
          "Kỷ luật, kỷ cương hành chính"],
    "6": ["Tự chủ tài chính", "Quản lý tài sản công", "Thực hành tiết kiệm"],
    "7": ["Dịch vụ công trực tuyến", "Thanh toán trực tuyến", "Số hóa hồ sơ",
          "Hệ thống quản lý văn bản", "Chữ ký số"],
    "8": ["Sự hài lòng của người dân", "Đánh giá của cán bộ, công chức"],
}
SUB_ASPECTS = [
    "ban hành kịp thời", "tổ chức thực hiện", "mức độ hoàn thành", "đúng hạn",
    "đầy đủ nội dung", "công khai, minh bạch", "tỷ lệ đạt chỉ tiêu", "có văn bản hướng dẫn",
    "kết quả kiểm tra", "xử lý sau kiểm tra",
]
VERBS = ["Xây dựng", "Ban hành", "Triển khai", "Rà soát", "Tổ chức", "Kiểm tra", "Báo cáo",
         "Tham mưu", "Hướng dẫn", "Đánh giá", "Theo dõi", "Cập nhật", "Tập huấn"]
OBJECTS = [
    "kế hoạch cải cách hành chính", "thủ tục hành chính lĩnh vực giáo dục",
    "hồ sơ tiếp nhận qua dịch vụ bưu chính công ích", "dịch vụ công trực tuyến toàn trình",
    "văn bản quy phạm pháp luật", "vị trí việc làm của công chức",
    "quy chế chi tiêu nội bộ", "hồ sơ giải quyết quá hạn và văn bản xin lỗi",
    "số hóa hồ sơ, kết quả giải quyết TTHC", "công tác tuyên truyền CCHC",
    "thu, chi đầu năm học tại các trường", "bồi dưỡng công chức, viên chức",
    "sắp xếp các đơn vị sự nghiệp công lập", "kiểm định chất lượng giáo dục",
    "chữ ký số trong trao đổi văn bản", "thanh toán phí, lệ phí trực tuyến",
]
PLACES = ["tại cơ quan Sở", "tại các phòng chuyên môn", "tại các trường THPT",
          "tại các trung tâm GDNN-GDTX", "trên Cổng dịch vụ công", "năm 2022", ""]
PRODUCTS = ["Kế hoạch (KH)", "Quyết định (QĐ)", "Báo cáo (BC)", "Tờ trình (TTr)",
            "Thông báo (TB)", "Công văn", "Biên bản", "Kết luận kiểm tra"]
DOC_KINDS = ["KH", "QĐ", "BC", "TTr", "TB", "CV"]
DEADLINES = [
    "31/01/2022", "28/02/2022", "31/3/2022", "30/4/2022", "15/5/2022", "30/6/2022",
    "31/7/2022", "31/8/2022", "30/9/2022", "31/10/2022", "30/11/2022", "15/12/2022",
    "Tháng 3/2022", "Tháng 6/2022", "Tháng 9/2022", "Quý I/2022", "Quý II/2022", "Quý III",
    "Quý IV/2022", "6 tháng đầu năm", "Trước 15/12/2022", "Trong năm 2022", "Năm 2022",
    "Thường xuyên", "Thường xuyên", "Hằng quý", "Hằng tháng",
]
INDICATORS = [
    ("ontime_rate", "Tỷ lệ hồ sơ giải quyết đúng hạn", 100.0),
    ("online_share", "Tỷ lệ hồ sơ trực tuyến", 50.0),
    ("postal_share", "Tỷ lệ hồ sơ qua bưu chính công ích", 30.0),
    ("digitised_share", "Tỷ lệ số hóa hồ sơ", 80.0),
]


def _split(total: float, parts: int) -> list[float]:
    """`parts` maxima (multiples of 0.05) adding up to `total` exactly."""
    unit = round(total / parts, 2)
    values = [unit] * parts
    values[-1] = round(total - unit * (parts - 1), 2)
    return values


def _criteria(rng: random.Random, count: int, indicator_ids: dict[str, int]) -> list[dict[str, Any]]:
    """A field -> criterion -> sub-criterion tree of `count` rows (at least the 8 fields)."""
    count = max(count, len(FIELDS))
    rest = count - len(FIELDS)
    per_field = [rest // len(FIELDS) + (1 if i < rest % len(FIELDS) else 0) for i in range(len(FIELDS))]
    rows: list[dict[str, Any]] = []
    next_id = 1
    position = 0

    def add(code: str, parent: int | None, title: str, max_points: float, method: str,
            params: dict[str, Any], indicator: int | None = None) -> int:
        nonlocal next_id, position
        position += 1
        rows.append({
            "id": next_id, "plan_id": 1, "parent_id": parent, "code": code, "title": title,
            "title_en": "", "max_points": max_points, "method": method,
            "params": json.dumps(params, ensure_ascii=False), "indicator_id": indicator,
            "lead_office_id": None, "position": position, "guidance": "", "applicable": True,
        })
        next_id += 1
        return next_id - 1

    for (code, title, top), n in zip(FIELDS, per_field, strict=True):
        field_id = add(code, None, title, top, "sum", {})
        if n == 0:
            rows[-1]["method"] = "manual" if code == "8" else "tasks"
            continue
        # About one criterion for every seven rows; the rest are sub-criteria.
        n_crit = max(1, min(n, round(n / 7)))
        n_sub = n - n_crit
        subs = [n_sub // n_crit + (1 if i < n_sub % n_crit else 0) for i in range(n_crit)]
        for ci, (crit_max, k) in enumerate(zip(_split(top, n_crit), subs, strict=True), start=1):
            ccode = f"{code}.{ci}"
            topics = CRITERION_TOPICS[code]
            ctitle = topics[(ci - 1) % len(topics)]
            if ci > len(topics):
                ctitle = f"{ctitle} ({(ci - 1) // len(topics) + 1})"
            if k == 0:
                add(ccode, field_id, ctitle, crit_max, *_leaf(rng, code, crit_max, indicator_ids))
                continue
            crit_id = add(ccode, field_id, ctitle, crit_max, "sum", {})
            for si, sub_max in enumerate(_split(crit_max, k), start=1):
                aspect = SUB_ASPECTS[rng.randrange(len(SUB_ASPECTS))]
                add(f"{ccode}.{si}", crit_id, f"{ctitle}: {aspect}", sub_max,
                    *_leaf(rng, code, sub_max, indicator_ids))
    return rows


def _leaf(rng: random.Random, field: str, top: float,
          indicator_ids: dict[str, int]) -> tuple[str, dict[str, Any], int | None]:
    if field == "8":
        return "manual", {"expected_points": round(top * 0.8, 2)}, None
    roll = rng.random()
    if roll < 0.75:
        return "tasks", {"late_factor": 0.5, "mode": "all" if roll < 0.05 else "share"}, None
    if roll < 0.87:
        return "condition", {"outcomes": [{"key": "yes", "label": "Có", "points": top},
                                          {"key": "no", "label": "Không", "points": 0}]}, None
    code = list(indicator_ids)[rng.randrange(len(indicator_ids))]
    bands = [[100, top], [95, round(top * 2 / 3, 2)], [90, round(top / 3, 2)]]
    return "threshold", {"bands": bands}, indicator_ids[code]


def generate(db_path: Path, tasks: int = 10000, criteria: int = 700, offices: int = 20,
             evidence: int = 5000, seed: int = 1) -> None:
    """Write a deterministic plan of the given size into a fresh database at `db_path`."""
    from sqlalchemy import insert

    from planner.domain.schedule import expand_occurrences, parse_deadline
    from planner.domain.text import fold
    from planner.services.audit import entry_hash
    from planner.services.session import open_database
    from planner.store.models import (
        Blob,
        ChangeLog,
        Criterion,
        Evidence,
        EvidenceReview,
        Indicator,
        Occurrence,
        Office,
        Plan,
        StatusEvent,
        Task,
        TaskCriterion,
        TaskSupport,
    )

    if offices < 1:
        raise ValueError("at least one office is needed")
    rng = random.Random(seed)
    db, _pinned = open_database(str(db_path))
    starts, ends = date(YEAR, 1, 1), date(YEAR, 12, 31)

    plan_row = {
        "id": 1, "year": YEAR, "title": f"Kế hoạch cải cách hành chính năm {YEAR}",
        "number": "45/KH-SGDĐT", "issued_on": date(YEAR, 1, 20),
        "agency": "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG", "parent_agency": "UBND THÀNH PHỐ HẢI PHÒNG",
        "place": "Hải Phòng", "index_name": "Bộ Chỉ số CCHC các sở, ban, ngành thành phố Hải Phòng",
        "starts_on": starts, "ends_on": ends, "baseline_year": YEAR - 1, "baseline_score": 41.93,
        "baseline_max": 56.0, "baseline_rank": 19, "baseline_of": 20, "target_score": 48.0,
        "demo_as_of": date(YEAR, 5, 9), "survey_fields": "8",
    }
    office_rows = []
    for i in range(offices):
        if i < len(OFFICES):
            code, name, aliases = OFFICES[i]
        else:
            code, name, aliases = f"DV{i + 1:03d}", f"Đơn vị số {i + 1}", [f"Đơn vị {i + 1}"]
        office_rows.append({
            "id": i + 1, "code": code, "name": name, "aliases": "\n".join(aliases),
            "head_name": HEADS[i % len(HEADS)], "head_title": "Trưởng phòng",
            "email": f"office{i + 1}@haiphong.edu.vn", "parent_id": None, "position": i + 1,
            "version": 1,
        })
    indicator_rows = [
        {"id": i, "plan_id": 1, "code": code, "name": name, "unit": "percent",
         "direction": "higher", "target": target, "computed": None}
        for i, (code, name, target) in enumerate(INDICATORS, start=1)
    ]
    indicator_ids = {str(code): i for i, (code, _n, _t) in enumerate(INDICATORS, start=1)}
    criterion_rows = _criteria(rng, criteria, indicator_ids)
    for row in criterion_rows:
        if row["parent_id"] is None or rng.random() < 0.3:
            row["lead_office_id"] = 1 + rng.randrange(offices)
    parents = {r["parent_id"] for r in criterion_rows}
    task_leaves = [r["id"] for r in criterion_rows
                   if r["id"] not in parents and r["code"].split(".")[0] != "8"]

    parsed = {text: parse_deadline(text, year=YEAR) for text in set(DEADLINES)}
    task_rows: list[dict[str, Any]] = []
    support_rows: list[dict[str, Any]] = []
    link_rows: list[dict[str, Any]] = []
    occurrence_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    targets: list[tuple[int, int | None, date]] = []  # (task, occurrence, due) for evidence
    as_of = date(YEAR, 5, 9)
    for i in range(1, tasks + 1):
        lead = 1 + rng.randrange(offices)
        text = DEADLINES[rng.randrange(len(DEADLINES))]
        deadline = parsed[text]
        title = " ".join(
            w for w in (VERBS[rng.randrange(len(VERBS))], OBJECTS[rng.randrange(len(OBJECTS))],
                        PLACES[rng.randrange(len(PLACES))]) if w
        )
        due = deadline.due_on if deadline.kind == "date" else None
        status, progress, done_on = "not_started", 0, None
        if deadline.kind != "recurring":
            effective = due or ends
            roll = rng.random()
            if (effective <= as_of and roll < 0.7) or roll < 0.15:
                status, progress = "done", 100
                done_on = min(as_of, effective + timedelta(days=rng.randrange(-20, 10)))
            elif roll < 0.35:
                status, progress = "in_progress", rng.randrange(1, 10) * 10
        task_rows.append({
            "id": i, "plan_id": 1, "code": f"T{i:05d}", "title": title,
            "title_folded": fold(title),
            "description": f"{title}; báo cáo kết quả về Văn phòng Sở." if rng.random() < 0.6 else "",
            "product": PRODUCTS[rng.randrange(len(PRODUCTS))], "lead_office_id": lead,
            "start_on": None, "due_on": due, "deadline_text": text, "section": "",
            "continuous": deadline.kind == "continuous", "recurrence": deadline.rule,
            "status": status, "progress": progress, "done_on": done_on, "position": i,
            "version": 1,
        })
        if status != "not_started":
            event_rows.append({
                "task_id": i, "occurrence_id": None, "status": status, "progress": progress,
                "on": done_on or as_of - timedelta(days=rng.randrange(1, 60)), "at": STAMP,
                "by": "generator", "note": "",
            })
        others = [o for o in range(1, offices + 1) if o != lead]
        if others:
            for o in rng.sample(others, k=min(len(others), rng.choice((0, 1, 2, 2, 3, 4)))):
                support_rows.append({"task_id": i, "office_id": o})
        if task_leaves:
            for c in rng.sample(task_leaves, k=min(len(task_leaves), rng.choice((1, 1, 1, 2, 3)))):
                link_rows.append({"task_id": i, "criterion_id": c, "weight": 1.0})
        if deadline.rule:
            for d in expand_occurrences(deadline.rule, starts_on=starts, ends_on=ends):
                occ_id = len(occurrence_rows) + 1
                done = d <= as_of and rng.random() < 0.8
                occurrence_rows.append({
                    "id": occ_id, "task_id": i, "due_on": d,
                    "status": "done" if done else "not_started", "progress": 100 if done else 0,
                    "done_on": d if done else None, "version": 1,
                })
                if done:
                    event_rows.append({
                        "task_id": i, "occurrence_id": occ_id, "status": "done", "progress": 100,
                        "on": d, "at": STAMP, "by": "generator", "note": "",
                    })
                targets.append((i, occ_id, d))
        else:
            targets.append((i, None, due or ends))

    blob_rows: list[dict[str, Any]] = []
    evidence_rows: list[dict[str, Any]] = []
    review_rows: list[dict[str, Any]] = []
    for n in range(1, evidence + 1 if targets else 1):
        task_id, target_occ, due = targets[rng.randrange(len(targets))]
        doc_date = min(due, as_of) - timedelta(days=rng.randrange(0, 30))
        kind = DOC_KINDS[rng.randrange(len(DOC_KINDS))]
        state = rng.choices(("accepted", "submitted", "rejected"), weights=(6, 3, 1))[0]
        row = {
            "id": n, "plan_id": 1, "task_id": task_id, "occurrence_id": target_occ,
            "criterion_id": None, "kind": "document", "title": f"Văn bản số {n}",
            "doc_number": f"{n}/{kind}-SGDĐT", "doc_date": doc_date,
            "issuer": "Sở GD&ĐT Hải Phòng", "blob_sha256": None, "filename": "", "url": "",
            "note": "", "submitted_by": "generator", "submitted_at": STAMP,
            "submitted_on": doc_date + timedelta(days=1), "state": state,
            "reviewed_by": "" if state == "submitted" else "VP",
            "reviewed_at": None if state == "submitted" else STAMP,
            "reviewed_on": None if state == "submitted" else doc_date + timedelta(days=3),
            "reason": "Thiếu chữ ký, đóng dấu" if state == "rejected" else "", "version": 1,
        }
        if n % 50 == 0:  # a few scanned files
            content = f"%PDF-1.4\n% scanned document {n}\n".encode() * 20
            sha = hashlib.sha256(content).hexdigest()
            blob_rows.append({"sha256": sha, "size": len(content), "content": content})
            row.update(kind="file", blob_sha256=sha, filename=f"van-ban-{n}.pdf")
        evidence_rows.append(row)
        if state != "submitted":
            review_rows.append({"evidence_id": n, "state": state, "on": row["reviewed_on"],
                                "at": STAMP, "by": "VP", "reason": row["reason"]})

    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (Plan, [plan_row]), (Office, office_rows), (Indicator, indicator_rows),
        (Criterion, criterion_rows), (Task, task_rows), (TaskSupport, support_rows),
        (TaskCriterion, link_rows), (Occurrence, occurrence_rows), (StatusEvent, event_rows),
        (Blob, blob_rows), (Evidence, evidence_rows), (EvidenceReview, review_rows),
    ]
    with db.engine.begin() as conn:
        for model, rows in tables:
            for chunk in _chunks(rows, 5000):
                conn.execute(insert(model.__table__), chunk)
        # The one entry names every row it wrote, as a seed load's does (`planner check`).
        from planner.store.rowlog import everything

        log = ChangeLog(
            id=1, at=STAMP, actor="generator", action="plan.load", entity="plan", entity_id="1",
            label=str(YEAR), plan_id=1, task_id=None, before="",
            after=json.dumps({"year": YEAR, "title": plan_row["title"], "tasks": len(task_rows),
                              "criteria": len(criterion_rows), "offices": len(office_rows)},
                             ensure_ascii=False, sort_keys=True),
            rows=json.dumps(everything(conn), ensure_ascii=False, sort_keys=True),
            prev_hash="",
        )
        log.hash = entry_hash(log)
        log_row = {c.key: getattr(log, c.key) for c in ChangeLog.__table__.columns}  # type: ignore[attr-defined]
        conn.execute(insert(ChangeLog.__table__), [log_row])  # type: ignore[attr-defined]
    db.dispose()


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the database file to create")
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--criteria", type=int, default=700)
    parser.add_argument("--offices", type=int, default=20)
    parser.add_argument("--evidence", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args(argv)
    if args.out.exists():
        if not args.force:
            print(f"{args.out} exists; add --force to replace it", file=sys.stderr)
            return 2
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.out) + suffix).unlink(missing_ok=True)
    if min(args.tasks, args.criteria, args.offices, args.evidence) < 0 or args.offices < 1:
        print("sizes must be positive (and at least one office)", file=sys.stderr)
        return 2
    import time

    started = time.perf_counter()
    generate(args.out, tasks=args.tasks, criteria=args.criteria, offices=args.offices,
             evidence=args.evidence, seed=args.seed)
    print(f"{args.out}: {args.tasks} tasks, {args.criteria} criteria, {args.offices} offices, "
          f"{args.evidence} evidence in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
