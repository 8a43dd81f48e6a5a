"""`planner db copy`: the whole database into an empty one (SQLite or PostgreSQL), checked."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import SEED, Cli


def _source(tmp_path: Path) -> Cli:
    """A SQLite file with the sample plan, a few changes, a user and an attachment."""
    source = Cli(str(tmp_path / "source.db"), CliRunner())
    for args in (("seed", "load", str(SEED)),
                 ("users", "add", "vp", "--role", "office_member", "--office", "VP"),
                 ("task", "done", "T05", "--on", "05/05/2022", "--note", "Đã ký thỏa thuận"),
                 ("task", "edit", "T02", "--progress", "75")):
        result = source(*args)
        assert result.exit_code == 0, (args, result.output)
    attachment = tmp_path / "bien-ban.txt"
    attachment.write_text("Biên bản kiểm tra", encoding="utf-8")
    added = source("evidence", "add", "T05", "--file", str(attachment), user="vp")
    assert added.exit_code == 0, added.output
    return source


def _same(a: Cli, b: Cli, *args: str) -> None:
    first, second = a(*args), b(*args)
    assert first.exit_code == 0 and second.exit_code == 0, (first.output, second.output)
    assert first.output == second.output, args


def test_copy_answers_like_the_original(cli: Cli, tmp_path: Path) -> None:
    source = _source(tmp_path)
    copied = source("db", "copy", cli.db)
    assert copied.exit_code == 0, copied.output
    assert "task " in copied.output and "46" in copied.output
    assert "Copied" in copied.stderr
    check = cli("check")
    assert check.exit_code == 0, check.output
    assert "No problems found" in check.output + check.stderr
    _same(source, cli, "score", "--as-of", "09/05/2022", "--format", "json")
    _same(source, cli, "tasks", "--as-of", "09/05/2022", "--format", "json")
    _same(source, cli, "log", "--format", "json")
    _same(source, cli, "evidence", "list", "--format", "json")
    # Ids continue after the copied ones: a new change is written and checked.
    assert cli("task", "done", "T13", "--on", "10/05/2022").exit_code == 0
    assert cli("check").exit_code == 0
    log = json.loads(cli("log", "--format", "json").output)
    assert len({entry["id"] for entry in log}) == len(log)


def test_a_target_holding_data_is_refused_and_left_alone(cli: Cli, tmp_path: Path) -> None:
    source = _source(tmp_path)
    assert source("db", "copy", cli.db).exit_code == 0
    before = cli("log", "--format", "json").output
    again = source("db", "copy", cli.db)
    assert again.exit_code == 2
    assert "already holds planner data" in again.stderr
    assert cli("log", "--format", "json").output == before


def test_copying_a_database_into_itself_is_refused(tmp_path: Path) -> None:
    source = _source(tmp_path)
    result = source("db", "copy", source.db)
    assert result.exit_code == 2
    assert "is the database being copied" in result.stderr


def test_only_a_coordinator_may_copy(tmp_path: Path) -> None:
    source = _source(tmp_path)
    result = source("db", "copy", str(tmp_path / "copy.db"), user="vp")
    assert result.exit_code == 4
    assert "copy the database" in result.stderr


def test_a_bad_target_is_named_and_the_source_left_alone(tmp_path: Path) -> None:
    source = _source(tmp_path)
    before = source("log", "--format", "json").output
    for target, message in (("", "TARGET is empty"),
                            ("notadialect://x/y", "TARGET notadialect://x/y: planner works with SQLite files and PostgreSQL"),
                            (str(tmp_path), f"TARGET {tmp_path}: it is a directory, not a regular file"),
                            ("postgresql+psycopg://nobody@127.0.0.1:1/x",
                             "Cannot open the target postgresql+psycopg://nobody@127.0.0.1:1/x")):
        result = source("db", "copy", target)
        assert result.exit_code == 2, (target, result.output)
        assert message in result.stderr, (target, result.stderr)
    assert source("log", "--format", "json").output == before
    assert source("check").exit_code == 0
