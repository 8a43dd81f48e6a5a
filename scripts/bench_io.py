"""Benchmark of spreadsheet import and export (not a test).

    .venv/bin/python scripts/bench_io.py [--rows 10000] [--keep DIR] [--json PATH]

1. Import: a 10,000-task plan workbook (sections, several supporting offices per cell, every
   kind of deadline phrase) into a database holding 20 offices, with `planner import plan`
   in a subprocess, as a user runs it (target < 10 s); then the same in-process, step by step.
2. Export: 10,000 tasks (scripts/generate_plan.py) to .xlsx with `planner export tasks`
   (target < 5 s), plus CSV and JSON for comparison.

Each figure is one run. With --json PATH the printed wall seconds are also written to PATH as
one JSON object (measure name -> seconds), for scripts/bench_all.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLANNER = str(Path(sys.executable).with_name("planner"))
DEADLINES = ["31/3/2022", "30/6/2022", "Tháng 9/2022", "tháng 10", "Quý II/2022", "Quý 3",
             "6 tháng đầu năm", "Trước 15/12/2022", "Trước ngày 30/11", "Trong năm 2022",
             "Năm 2022", "Thường xuyên", "Hằng quý", "Hằng tháng"]
SECTIONS = ["CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "CẢI CÁCH THỂ CHẾ", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
            "CẢI CÁCH TỔ CHỨC BỘ MÁY", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", "CẢI CÁCH TÀI CHÍNH CÔNG",
            "CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]


def build_workbook(path: Path, rows: int, offices: list[tuple[str, str]], seed: int = 1) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Phụ lục")
    ws.append(["UBND THÀNH PHỐ HẢI PHÒNG"])
    ws.append(["SỞ GIÁO DỤC VÀ ĐÀO TẠO"])
    ws.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"])
    ws.append([])
    ws.append(["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
               "Thời gian hoàn thành", "Sản phẩm", "Ghi chú"])
    per_section = rows // len(SECTIONS) + 1
    n = 0
    for s, title in enumerate(SECTIONS):
        ws.append([ROMAN[s], title])
        for _i in range(per_section):
            if n >= rows:
                break
            n += 1
            lead_code, lead_name = offices[rng.randrange(len(offices))]
            support = rng.sample(offices, k=rng.choice((0, 1, 2, 3)))
            cell = ", ".join(name if rng.random() < 0.5 else code for code, name in support)
            if rng.random() < 0.05:
                cell = "Các phòng chuyên môn"
            ws.append([n, f"Nhiệm vụ số {n}: triển khai, rà soát và báo cáo kết quả thực hiện "
                          f"cải cách hành chính lĩnh vực {s + 1}",
                       lead_name if rng.random() < 0.5 else lead_code, cell,
                       DEADLINES[rng.randrange(len(DEADLINES))], "Báo cáo (BC)",
                       "Ghi chú" if rng.random() < 0.2 else None])
    wb.save(path)


def run(args: list[str]) -> float:
    started = time.perf_counter()
    # As whoever runs the benchmark: the first writer of its new database is its coordinator.
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_USER"}
    proc = subprocess.run([PLANNER, *args], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"planner {' '.join(args)} failed ({proc.returncode})")
    return elapsed


def offices_db(path: Path) -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "scripts"))
    from generate_plan import OFFICES

    from planner.services.context import Context
    from planner.services.offices import save_office
    from planner.services.session import open_database

    db, _ = open_database(str(path))
    ctx = Context(db=db, actor="bench", enforce_permissions=False)
    for code, name, aliases in OFFICES:
        save_office(ctx, code, name=name, aliases=aliases, create=True)
    db.dispose()
    return [(code, name) for code, name, _a in OFFICES]


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark planner's import and export.")
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--keep", type=Path, help="keep the files in this directory")
    parser.add_argument("--json", type=Path, help="also write the wall seconds per measure to this file")
    args = parser.parse_args()
    figures: dict[str, float] = {}  # measure -> wall seconds as printed, for --json
    work = args.keep or Path(tempfile.mkdtemp(prefix="planner-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for f in work.glob("*.db*"):
        f.unlink()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, files in {work}")

    # ---- import
    db = work / "import.db"
    offices = offices_db(db)
    book = work / "plan.xlsx"
    t = time.perf_counter()
    build_workbook(book, args.rows, offices)
    print(f"built a {args.rows}-task workbook ({book.stat().st_size // 1024} KB) in "
          f"{time.perf_counter() - t:.1f} s")
    dry = run(["--db", str(db), "import", "plan", str(book), "--dry-run", "--format", "json"])
    print(f"import --dry-run (read + check, JSON listing):    {dry:6.2f} s")
    real = run(["--db", str(db), "import", "plan", str(book)])
    print(f"import (read + check + write, one transaction):   {real:6.2f} s   target < 10 s")
    figures["import --dry-run"] = dry
    figures["import"] = real

    from planner.io.plan_import import ImportOptions
    from planner.services.context import Context
    from planner.services.plan_load import prepare_import, write_import
    from planner.services.session import open_database

    db2 = work / "import2.db"
    offices_db(db2)
    database, _ = open_database(str(db2))
    t0 = time.perf_counter()
    from planner.io.sheet_reader import read_sheets

    grids = read_sheets(book)
    t1 = time.perf_counter()
    imp = prepare_import(database, book, ImportOptions())
    t2 = time.perf_counter()
    write_import(Context(db=database, actor="bench", enforce_permissions=False), imp)
    t3 = time.perf_counter()
    assert imp.ok and len(imp.tasks) == args.rows, imp.problems[:5]
    print(f"  in-process: read workbook {t1 - t0:.2f} s ({len(grids[0].rows)} rows), "
          f"read + check {t2 - t1:.2f} s, write {t3 - t2:.2f} s")
    figures["import: read workbook (in process)"] = t1 - t0
    figures["import: read + check (in process)"] = t2 - t1
    figures["import: write (in process)"] = t3 - t2
    database.dispose()

    # ---- export
    sys.path.insert(0, str(ROOT / "scripts"))
    from generate_plan import generate

    big = work / "export.db"
    t = time.perf_counter()
    generate(big, tasks=args.rows)
    print(f"generated a {args.rows}-task plan in {time.perf_counter() - t:.1f} s")
    for fmt in ("xlsx", "csv", "json"):
        out = work / f"tasks.{fmt}"
        elapsed = run(["--db", str(big), "export", "tasks", "-o", str(out)])
        target = "   target < 5 s" if fmt == "xlsx" else ""
        print(f"export tasks --format {fmt:<4} ({out.stat().st_size // 1024:>5} KB):       "
              f"{elapsed:6.2f} s{target}")
        figures[f"export {fmt}"] = elapsed
    back = work / "roundtrip.db"
    offices_db(back)
    elapsed = run(["--db", str(back), "import", "plan", str(work / "tasks.xlsx"),
                   "--create-offices"])
    print(f"import of the exported 10,000-task workbook:      {elapsed:6.2f} s")
    figures["import of the exported xlsx"] = elapsed
    sa = work / "self-assessment.xlsx"
    elapsed = run(["--db", str(big), "export", "self-assessment", "-o", str(sa)])
    print(f"export self-assessment (700 criteria, 5000 evidence): {elapsed:6.2f} s")
    figures["export self-assessment"] = elapsed
    elapsed = run(["--db", str(big), "check"])
    print(f"check (10,000 tasks, 5000 evidence):              {elapsed:6.2f} s")
    figures["check"] = elapsed
    elapsed = run(["--db", str(big), "backup", str(work / "backup.db"), "--force"])
    print(f"backup ({big.stat().st_size // 1024} KB):                            {elapsed:6.2f} s")
    figures["backup"] = elapsed
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
