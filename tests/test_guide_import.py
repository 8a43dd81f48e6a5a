"""Chapter 04's walk through a new year (the province's index, then the department's
appendix, then the links) runs, in both languages, on the sample files shipped in
docs/samples/, and prints what the guide quotes.

The chapter's ```shell-session blocks are this story: run in order, from the repository's
root, on a copy of the sample plan (its offices are the department's), as the reform
coordinator. English quotes are compared line by line (a line "…" stands for any number of
lines), Vietnamese ones by their figures. After a deliberate change of output:

    PLANNER_GUIDE_UPDATE=1 .venv/bin/python -m pytest tests/test_guide_import.py

rewrites the quotes without "…"; read the diff before committing it. The sample files are
made by scripts/sample_files.py; a test here checks they are what it makes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import cli
from tests.conftest import as_person

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed" / "plan-2022.toml"
SAMPLES = ROOT / "docs" / "samples"
UPDATE = os.environ.get("PLANNER_GUIDE_UPDATE") == "1"
COORDINATOR = "nhungtth"
ELLIPSIS = "…"


@dataclass
class Step:
    line_no: int
    args: list[str]
    expected: list[str] = field(default_factory=list)
    out_range: tuple[int, int] = (0, 0)  # file line indexes of the quote


def steps(chapter: Path) -> list[Step]:
    lines = chapter.read_text(encoding="utf-8").split("\n")
    found: list[Step] = []
    inside = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            inside = line.strip() == "```shell-session" if not inside else False
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            args = shlex.split(line[2:])
            assert args and args[0] == "planner", f"{chapter}:{i + 1}: not a planner command"
            found.append(Step(i + 1, args[1:], [], (i + 1, i + 1)))
        elif found:
            found[-1].expected.append(line)
            found[-1].out_range = (found[-1].out_range[0], i + 1)
    return found


def figures(lines: list[str]) -> list[str]:
    text = re.sub(r"(?<=\d),(?=\d)", ".", "\n".join(lines))
    return re.findall(r"[A-Za-zĐđ]*\d[\w./@%:-]*", text)


def matches(expected: list[str], actual: list[str]) -> bool:
    pattern = "".join(r"(?:.*\n)*?" if line.strip() == ELLIPSIS else re.escape(line) + r"\n"
                      for line in expected)
    return re.fullmatch(pattern, "\n".join(actual) + "\n") is not None


def same_figures(expected: list[str], actual: list[str]) -> bool:
    if ELLIPSIS not in [line.strip() for line in expected]:
        return figures(expected) == figures(actual)
    remaining = iter(figures(actual))
    return all(any(f == a for a in remaining) for f in figures(expected))


def clean(lines: list[str]) -> list[str]:
    out = [line.rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("guide-import") / "sample.db"
    # A module fixture is set up before the per-test identity: run as the coordinator.
    with as_person(COORDINATOR):
        result = CliRunner().invoke(cli, ["--db", str(path), "seed", "load", str(SEED)],
                                    catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_new_year_in_one_sitting_as_the_guide_tells_it(
        lang: str, sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chapter = ROOT / "docs" / "guide" / lang / "04-import-plan.md"
    story = steps(chapter)
    assert len(story) >= 10, "the walk through a new year is missing from chapter 04"
    db = tmp_path / "guide.db"
    shutil.copyfile(sample_db, db)
    monkeypatch.chdir(ROOT)  # the guide names docs/samples/… from the repository's root
    runner = CliRunner()
    problems, updates = [], []
    for step in story:
        env = {"COLUMNS": "120", "PLANNER_LANG": lang}
        with as_person(COORDINATOR):  # the coordinator at her own keyboard
            result = runner.invoke(cli, ["--db", str(db), *step.args], env=env,
                                   catch_exceptions=False)
        actual = clean(result.output.split("\n"))
        expected = clean(step.expected)
        where = f"{lang}/04-import-plan.md:{step.line_no}: planner {' '.join(step.args)}"
        failing = any("error:" in line or "lỗi:" in line for line in expected)
        if (result.exit_code != 0) != failing and not UPDATE:
            problems.append(f"{where} exited {result.exit_code}:\n" + "\n".join(actual))
            continue
        same = matches(expected, actual) if lang == "en" else same_figures(expected, actual)
        if same:
            continue
        if UPDATE and ELLIPSIS not in [line.strip() for line in expected]:
            updates.append((step, actual))
            continue
        problems.append(f"{where} printed:\n" + "\n".join(actual) + "\n--- the guide quotes:\n"
                        + "\n".join(expected))
    if updates:
        lines = chapter.read_text(encoding="utf-8").split("\n")
        for step, actual in sorted(updates, key=lambda u: -u[0].out_range[0]):
            start, end = step.out_range
            last = end >= len(lines) or lines[end].startswith("```")
            lines[start:end] = actual + ([] if last else [""])
        chapter.write_text("\n".join(lines), encoding="utf-8")
    assert not problems, "\n\n".join(problems)


def test_the_sample_files_are_what_the_script_makes(tmp_path: Path) -> None:
    """docs/samples/ read the same as files made afresh by scripts/sample_files.py."""
    import subprocess
    import sys

    from planner.io.sheet_reader import read_sheets

    subprocess.run([sys.executable, str(ROOT / "scripts" / "sample_files.py"), "--out",
                    str(tmp_path)], check=True, capture_output=True)
    names = ["appendix-2023.docx", "appendix-2023.ods", "appendix-2023.xls",
             "criteria-2023.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    for name in names:
        shipped = [(g.name, g.rows, g.preamble) for g in read_sheets(SAMPLES / name)]
        fresh = [(g.name, g.rows, g.preamble) for g in read_sheets(tmp_path / name)]
        assert shipped == fresh, f"docs/samples/{name} is not what scripts/sample_files.py makes"
