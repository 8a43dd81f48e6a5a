"""Regenerate the measured figures of docs/performance.md in one command.

    .venv/bin/python scripts/bench_all.py [--sizes 1000,10000,100000] [--runs 3]

For each size it generates a plan (scripts/generate_plan.py: N tasks, 700 criteria, 20
offices, N/2 evidence), then runs every benchmark script on it: the command line and the
roll-up (bench_cli.py), the reports (bench_reports.py), import and export (bench_io.py) and the
terminal UI's first screens (bench_tui.py). Each script prints median and spread over several
runs. The outputs, with the machine they ran on, replace the block between the markers
`<!-- bench_all -->` and `<!-- /bench_all -->` at the end of docs/performance.md, so the
record is always one run of one command.

Each script also writes its figures (`--json`, measure name -> seconds); from them the record
opens with "How the costs grow": one table with each measure's time at each size and, for each
step between sizes, the time ratio divided by the size ratio (1.0 linear, above 1 faster than
linear), followed by a sentence naming what grows faster than linearly at the largest step.
"""

from __future__ import annotations

import argparse
import itertools
import json
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
SCRIPTS = ("bench_cli", "bench_reports", "bench_io", "bench_tui")  # the summary's row order
SUPER_LINEAR = 1.2  # a growth factor above this at the largest step is called out


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


def run(title: str, command: list[str], figures: Path | None = None) -> str:
    """Run one benchmark script and format its output. With `figures`, the script is also
    asked to write its figures there (`--json`); the record shows the command without it."""
    print(f"== {title}: {' '.join(command)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    argv = [*command, "--json", str(figures)] if figures is not None else command
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - started
    # A failure shows the end of its error output (a Textual traceback runs to thousands of lines).
    error_tail = "\n".join(done.stderr.strip().splitlines()[-40:])
    output = (done.stdout + (("\n" + error_tail) if done.returncode else "")).strip()
    status = "" if done.returncode == 0 else f" (exit {done.returncode})"
    return f"#### {title}{status}\n\n`{' '.join(command[1:])}` — {took:.0f} s in all\n\n```text\n{output}\n```\n"


def read_figures(path: Path) -> dict[str, float]:
    """A script's `--json` figures; none if it failed before writing them."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(name): float(value) for name, value in data.items()
            if isinstance(value, int | float) and not isinstance(value, bool)}


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 10:
        return f"{value:.2f} s"
    return f"{value:.1f} s"


def growth(before: float | None, after: float | None, size_before: int, size_after: int) -> float | None:
    """Time ratio over size ratio: 1.0 linear, below 1 sub-linear, above 1 super-linear."""
    if before is None or after is None or before <= 0 or size_before <= 0:
        return None
    return (after / before) / (size_after / size_before)


def summary(sizes: list[int], figures: dict[int, dict[str, dict[str, float]]], runs: int) -> str:
    """The "How the costs grow" section: `figures[size][script][measure]` is in seconds."""
    measures: list[str] = []  # by script, then in the order each script lists them
    for script in SCRIPTS:
        for size in sizes:
            for name in figures.get(size, {}).get(script, {}):
                if name not in measures:
                    measures.append(name)

    def value(size: int, name: str) -> float | None:
        for by_name in figures.get(size, {}).values():
            if name in by_name:
                return by_name[name]
        return None

    steps = list(itertools.pairwise(sizes))
    lines = [
        "### How the costs grow\n",
        "Wall time per measure as printed below (medians; reports in process: best of "
        f"{runs}; reports in a fresh process, import and export: one run). × = time ratio ÷ "
        "size ratio: 1.00 grows linearly, below 1 more slowly (fixed start-up costs weigh more "
        "on small plans), above 1 faster than linearly. Millisecond figures are noisy. "
        "– = not measured.\n",
    ]
    if not measures:
        lines.append("No figures were collected: every script failed.\n")
        return "\n".join(lines)
    header = ["measure", *(f"{size:,} tasks" for size in sizes),
              *(f"× {a:,}→{b:,}" for a, b in steps)]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|---" + "|---:" * (len(header) - 1) + "|")
    for name in measures:
        cells = [name, *(seconds(value(size, name)) for size in sizes)]
        for a, b in steps:
            factor = growth(value(a, name), value(b, name), a, b)
            cells.append("–" if factor is None else f"{factor:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    if not steps:
        lines.append("Only one plan size was measured: nothing to compare.\n")
        return "\n".join(lines)
    a, b = steps[-1]
    factors = {name: growth(value(a, name), value(b, name), a, b) for name in measures}
    faster = [name for name, factor in factors.items() if factor is not None and factor > SUPER_LINEAR]
    unknown = sum(1 for factor in factors.values() if factor is None)
    if faster:
        names = ", ".join(f"`{name}` ({factors[name]:.2f})" for name in faster)
        verb = "grows" if len(faster) == 1 else "grow"
        sentence = (f"From {a:,} to {b:,} tasks, {names} {verb} faster than linearly "
                    f"(× above {SUPER_LINEAR}).")
    else:
        sentence = (f"From {a:,} to {b:,} tasks, no measure grows faster than linearly "
                    f"(none has × above {SUPER_LINEAR}).")
    if unknown:
        sentence += (f" {unknown} measure{'s' if unknown != 1 else ''} without a figure at both "
                     "sizes could not be compared.")
    lines.append(sentence + "\n")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-tui", action="store_true", help="skip the terminal UI benchmark")
    args = parser.parse_args()
    python = sys.executable
    sizes = [int(s) for s in args.sizes.split(",")]
    sections = [f"### Run of {time.strftime('%d/%m/%Y %H:%M')}\n\nMachine: {machine()}.\n"]
    figures: dict[int, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as tmp:
        for size in sizes:
            out = {script: Path(tmp) / f"{script}-{size}.json" for script in SCRIPTS}
            db = Path(tmp) / f"plan-{size}.db"
            subprocess.run([python, "scripts/generate_plan.py", str(db), "--tasks", str(size),
                            "--evidence", str(size // 2), "--force"], cwd=ROOT, check=True,
                           capture_output=True)
            sections.append(f"### {size:,} tasks\n")
            sections.append(run("command line and roll-up",
                                [python, "scripts/bench_cli.py", "--db", str(db), "--runs", str(args.runs)],
                                out["bench_cli"]))
            sections.append(run("reports", [python, "scripts/bench_reports.py", "--db", str(db),
                                            "--repeat", str(args.runs)], out["bench_reports"]))
            sections.append(run("import and export", [python, "scripts/bench_io.py", "--rows", str(size)],
                                out["bench_io"]))
            if not args.no_tui:
                sections.append(run("terminal UI", [python, "scripts/bench_tui.py", "--big-db", str(db),
                                                    "--tasks", str(size), "--runs", str(args.runs)],
                                    out["bench_tui"]))
            figures[size] = {script: read_figures(path) for script, path in out.items()}
    # Read first: right after the machine line, before the per-size outputs.
    sections.insert(1, summary(sizes, figures, args.runs))
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
