"""Bad input: a clear message naming what is wrong, exit 2, and the database untouched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.helpers import fingerprint
from tests.conftest import Cli

CASES = [
    (("task", "show", "T99"), 'Unknown task "T99"'),
    (("task", "done", "T99"), 'Unknown task "T99"'),
    (("task", "add", "X", "--lead", "VPP", "--due", "30/6/2022"), 'Unknown office "VPP"'),
    (("task", "add", "X", "--lead", "VP", "--due", "31/02/2022"), "February 2022 has 28 days"),
    (("task", "add", "X", "--lead", "VP", "--due", "sau Tết"), "not a date or deadline phrase"),
    (("task", "add", "X", "--lead", "VP", "--due", "30/6/2022", "--criterion", "9.9"), 'Unknown criterion "9.9"'),
    (("task", "add", "X", "--lead", "VP", "--due", "30/6/2022", "--criterion", "1.1.1:-1"), "weight must be above 0"),
    (("task", "add", "   ", "--lead", "VP", "--due", "30/6/2022"), "title: must not be empty"),
    (("task", "add", "A\x1b[31mB", "--lead", "VP", "--due", "30/6/2022"), "control characters"),
    (("task", "edit", "T03", "--progress", "150"), "outside 0–100"),
    (("task", "edit", "T03", "--progress", "-1"), "outside 0–100"),
    (("task", "done", "T03", "--on", "32/05/2022"), "May 2022 has 31 days"),
    (("task", "done", "T04@2022-04-01"), "has no occurrence due 2022-04-01"),
    (("tasks", "--office", "XYZ"), 'Unknown office "XYZ"'),
    (("tasks", "--status", "finished"), 'Unknown status "finished"'),
    (("tasks", "--as-of", "31/04/2022"), "April 2022 has 30 days"),
    (("reading", "add", "ontime_rate", "105%"), "outside 0–100"),
    (("reading", "add", "ontime_rate", "abc"), "is not a number"),
    (("reading", "add", "ontime_rate", "140/130"), "140 is more than 130"),
    (("reading", "add", "nosuch", "90"), 'Unknown indicator "nosuch"'),
    (("reading", "add", "plan_completion", "90"), "computed from the plan"),
    (("criterion", "confirm", "5.5", "maybe"), 'Unknown outcome "maybe"'),
    (("criterion", "confirm", "3.3.1", "yes"), "not by a confirmed condition"),
    (("criterion", "enter", "8.1", "25"), "outside 0–20"),
    (("criterion", "owner", "3.3.1", "NOPE"), 'Unknown office "NOPE"'),
    (("evidence", "add", "T03"), "needs a document number"),
    (("evidence", "add", "T03", "--url", "javascript:alert(1)"), "is not an http(s) address"),
    (("evidence", "add", "T03", "--doc", "Quyết định"), "does not look like a document number"),
    (("evidence", "add", "T03", "--doc", "12/QĐ", "--date", "30/02/2022"), "February 2022 has 28 days"),
    (("evidence", "accept", "999"), "No evidence with id 999"),
    (("office", "edit", "ZZ", "--email", "x@y"), 'Unknown office "ZZ"'),
    (("office", "edit", "VP", "--email", "not an email"), "is not an email address"),
]


@pytest.mark.parametrize(("args", "message"), CASES, ids=[" ".join(a)[:40] for a, _m in CASES])
def test_bad_input_is_refused_cleanly(seeded: Cli, args: tuple[str, ...], message: str) -> None:
    before = fingerprint(seeded.db)
    result = seeded(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert fingerprint(seeded.db) == before


def test_evidence_on_a_cancelled_task(seeded: Cli) -> None:
    assert seeded("task", "cancel", "T26").exit_code == 0
    before = fingerprint(seeded.db)
    result = seeded("evidence", "add", "T26", "--doc", "12/QĐ-SGDĐT")
    assert result.exit_code == 2 and "cancelled" in result.stderr
    assert fingerprint(seeded.db) == before


def test_file_over_the_configured_limit(seeded: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    config = tmp_path / "config.toml"
    config.write_text("max_attachment_mb = 2\n", encoding="utf-8")
    monkeypatch.setenv("PLANNER_CONFIG", str(config))
    before = fingerprint(seeded.db)
    result = seeded("evidence", "add", "T03", "--file", str(big))
    assert result.exit_code == 2
    assert "over the limit of 2 MB" in result.stderr
    assert fingerprint(seeded.db) == before


def test_unreadable_file(seeded: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"data")
    secret.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the open fail as it would for a user
        import planner.io.files

        real_open = os.open

        def refuse(path: object, flags: int, *args: object) -> int:
            if str(path) == str(secret):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(planner.io.files.os, "open", refuse)
    before = fingerprint(seeded.db)
    result = seeded("evidence", "add", "T03", "--file", str(secret))
    assert result.exit_code == 2 and "cannot read" in result.stderr
    assert "Permission denied" in result.stderr
    assert fingerprint(seeded.db) == before


def test_missing_file(seeded: Cli, tmp_path: Path) -> None:
    before = fingerprint(seeded.db)
    result = seeded("evidence", "add", "T03", "--file", str(tmp_path / "nope.pdf"))
    assert result.exit_code == 2 and "cannot read" in result.stderr
    assert fingerprint(seeded.db) == before


def test_a_directory_is_not_a_file(seeded: Cli, tmp_path: Path) -> None:
    result = seeded("evidence", "add", "T03", "--file", str(tmp_path))
    assert result.exit_code == 2


def test_no_plan_yet_says_how_to_load_one(cli: Cli) -> None:
    result = cli("tasks")
    assert result.exit_code == 2
    assert "planner seed load" in result.stderr


def test_not_a_database(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from planner.cli import cli as planner_cli

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = CliRunner().invoke(planner_cli, ["--db", str(junk), "tasks"])
    assert result.exit_code == 2
    assert "could not be used" in result.stderr
    assert junk.read_bytes() == b"this is not sqlite" * 100
