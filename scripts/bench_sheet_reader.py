"""Compare two spreadsheet readers on a 10,000-row plan workbook: CPU time, alternating runs.

    .venv/bin/python scripts/bench_sheet_reader.py [--rows 10000] [--runs 7] [--old-from 42618e6]

"old" is the hand-written streaming XML reader that planner/io/sheet_reader.py held before
issue 15 (ElementTree's C parser over the sheet XML), loaded from git at `--old-from`; "new" is
the current `planner.io.sheet_reader.read_sheets` (python-calamine). The runs alternate
old, new, old, new … so that a slower or busier moment of the shared machine falls on both;
each run is timed with `time.process_time()` (CPU seconds of this process), and the median
and the best of each reader are printed. Both readers must return the same cells, checked
before timing. Not a test: the figures go into docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def load_old_reader(commit: str, folder: Path) -> object:
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:planner/io/sheet_reader.py"],
                            check=True, capture_output=True, text=True).stdout
    path = folder / "old_sheet_reader.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_sheet_reader", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--old-from", default="42618e6",
                        help="commit whose planner/io/sheet_reader.py is the old reader")
    args = parser.parse_args()

    import bench_io
    import generate_plan

    from planner.io import sheet_reader

    offices = [(code, name) for code, name, _aliases in generate_plan.OFFICES]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workbook = folder / "plan.xlsx"
        bench_io.build_workbook(workbook, args.rows, offices)
        old = load_old_reader(args.old_from, folder)
        old_read = old.read_sheets  # type: ignore[attr-defined]
        new_read = sheet_reader.read_sheets

        old_grids, new_grids = old_read(workbook), new_read(workbook)
        assert [(g.name, g.rows) for g in old_grids] == [(g.name, g.rows) for g in new_grids], \
            "the two readers disagree"
        rows = sum(len(g.rows) for g in new_grids)

        times: dict[str, list[float]] = {"old": [], "new": []}
        for _run in range(args.runs):
            for name, read in (("old", old_read), ("new", new_read)):
                start = time.process_time()
                read(workbook)
                times[name].append(time.process_time() - start)
        size = workbook.stat().st_size
    print(f"{rows} rows, {size // 1024} KB, {args.runs} alternating runs, CPU seconds")
    for name, label in (("old", "streaming XML reader (ElementTree)"),
                        ("new", "python-calamine")):
        values = times[name]
        print(f"  {label:<36} median {statistics.median(values):.3f} s, "
              f"best {min(values):.3f} s")


if __name__ == "__main__":
    main()
