"""Regenerate the measured figures of docs/performance.md in one command.

    .venv/bin/python scripts/bench_all.py [--sizes 1000,10000,100000] [--runs 3]

For each size it generates a plan (scripts/generate_plan.py: N tasks, 700 criteria, 20
offices, N/2 evidence), then runs every benchmark script on it: the command line and the
roll-up (bench_cli.py), the reports (bench_reports.py), import and export (bench_io.py) and the
terminal UI's first screens (bench_tui.py). Each script prints median and spread over several
runs. The outputs, with the machine they ran on, replace the block between the markers
`<!-- bench_all -->` and `<!-- /bench_all -->` at the end of docs/performance.md, so the
record is always one run of one command. Reading the 1,000 / 10,000 / 100,000 rows side by
side shows how each cost grows.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench_all -->", "<!-- /bench_all -->"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} processors ({cpu or platform.machine()}), Python "
            f"{platform.python_version()}, load average {load} at the start")


def run(title: str, command: list[str]) -> str:
    print(f"== {title}: {' '.join(command)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - started
    output = (done.stdout + (("\n" + done.stderr) if done.returncode else "")).strip()
    status = "" if done.returncode == 0 else f" (exit {done.returncode})"
    return f"#### {title}{status}\n\n`{' '.join(command[1:])}` — {took:.0f} s in all\n\n```text\n{output}\n```\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-tui", action="store_true", help="skip the terminal UI benchmark")
    args = parser.parse_args()
    python = sys.executable
    sections = [f"### Run of {time.strftime('%d/%m/%Y %H:%M')}\n\nMachine: {machine()}.\n"]
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            db = Path(tmp) / f"plan-{size}.db"
            subprocess.run([python, "scripts/generate_plan.py", str(db), "--tasks", str(size),
                            "--evidence", str(size // 2), "--force"], cwd=ROOT, check=True,
                           capture_output=True)
            sections.append(f"### {size:,} tasks\n")
            sections.append(run("command line and roll-up",
                                [python, "scripts/bench_cli.py", "--db", str(db), "--runs", str(args.runs)]))
            sections.append(run("reports", [python, "scripts/bench_reports.py", "--db", str(db),
                                            "--repeat", str(args.runs)]))
            sections.append(run("import and export", [python, "scripts/bench_io.py", "--rows", str(size)]))
            if not args.no_tui:
                sections.append(run("terminal UI", [python, "scripts/bench_tui.py", "--big-db", str(db),
                                                    "--tasks", str(size), "--runs", str(args.runs)]))
    block = f"{START}\n## Generated record (scripts/bench_all.py)\n\n" + "\n".join(sections) + f"\n{END}\n"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END):].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
