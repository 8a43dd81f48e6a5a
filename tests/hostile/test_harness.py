"""Every command that takes a file, a path, a name, a date or a number meets the hostile corpus
(`tests/hostile/corpus.py`) in a child process held to 2 GB of address space and a time limit:
each run exits 0–5 without a traceback, and a refusal leaves the database's dump identical.

One test per command, so xdist spreads them; `python -m tests.hostile.harness` runs the same
cases and prints the counts recorded in docs/performance.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.harness import BATCHES, GROUPS, Group, make_template, run_groups


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile-template") / "template.db"
    make_template(path)
    return path


@pytest.mark.parametrize("batch", sorted(BATCHES))
def test_the_corpus_is_refused_cleanly_or_accepted(batch: str, template: Path, tmp_path: Path) -> None:
    groups = [g for g in GROUPS if g.id in BATCHES[batch]]
    outcomes = run_groups(groups, template, tmp_path)
    assert {o.group for o in outcomes} == {g.id for g in groups}
    failures = [f"{o.group} [{o.value}]: {o.problem} (exit {o.exit_code}) {o.stderr[-200:]}"
                for o in outcomes if o.problem]
    assert not failures, "\n".join(failures)


def _copy(template: Path, target: Path) -> str:
    import shutil

    shutil.copyfile(template, target)
    return str(target)


def test_the_judge_reports_a_hang_and_a_stray_write(template: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness itself can fail: a command that blocks is a hang (not waited for), and a
    refusal that wrote to the database is caught."""
    import time

    import tests.hostile.harness as harness

    db = _copy(template, tmp_path / "planner.db")
    monkeypatch.setattr(harness, "CASE_TIMEOUT", 1)
    monkeypatch.setattr("planner.io.files.read_limited", lambda *a, **k: time.sleep(30))
    hang = harness.run_case(Group("probe", "file", ("seed", "load", "{v}")), "seed", str(harness.SEED), db)
    assert hang.problem.startswith("hang") and hang.exit_code is None

    from planner.services import offices

    real_save = offices.save_office

    def save_then_refuse(*args: object, **kwargs: object) -> object:
        from planner.services.errors import InputError

        real_save(*args, **kwargs)  # committed…
        raise InputError("refused")  # …and then reported as refused

    monkeypatch.setattr(offices, "save_office", save_then_refuse)
    stray = harness.run_case(Group("probe", "name", ("office", "add", "{v}", "--name", "X")),
                             "code", "NEW", db)
    assert stray.exit_code == 2 and stray.problem == "refused, yet the database changed"


def test_a_fifo_swapped_in_after_the_check_is_refused_without_blocking(
        template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import tests.hostile.harness as harness

    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    monkeypatch.setattr(harness, "CASE_TIMEOUT", 5)
    monkeypatch.setattr("planner.io.files.regular_file", os.stat)  # the first check misses it
    outcome = harness.run_case(Group("probe", "file", ("--config", "{v}", "tasks")), "fifo",
                               str(fifo), _copy(template, tmp_path / "planner.db"))
    assert outcome.exit_code == 2 and not outcome.problem
    assert "a named pipe (FIFO), not a regular file" in outcome.stderr
