"""Everyday steps that used to fail: the log by date, a mistyped database name, where a
setting comes from, an upgrade with nothing to do, statuses typed as people read them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.cli.helpers import fingerprint
from tests.conftest import SEED, Cli


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    from planner.cli import cli

    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


# ----------------------------------------------------------------------------- the log by date


@pytest.mark.parametrize("since", ["01/05/2022", "2022-05-01", "1/5/2022"])
def test_log_since_a_date_as_people_type_it(seeded: Cli, since: str) -> None:
    result = seeded("log", "--since", since)
    assert result.exit_code == 0, result.output
    assert "Datetime" not in result.output
    # The sample was loaded today (its entries are dated when they were written).
    assert "The 2022 plan loaded from a seed file" in result.stdout


def test_log_until_leaves_out_what_came_later(seeded: Cli) -> None:
    before = seeded("log", "--until", "31/12/2021")
    assert before.exit_code == 0, before.output
    assert before.stdout == ""
    assert "No change matches" in before.stderr
    everything = json.loads(seeded("log", "--since", "01/01/2022", "--until", "31/12/2099",
                                   "--format", "json").stdout)
    assert [e["action"] for e in everything][:2] == ["user.add", "plan.load"]
    assert seeded("log", "--since", "31/02/2022").exit_code == 2


# ----------------------------------------------------------------------------- a mistyped database


def test_a_read_command_on_a_missing_folder_creates_nothing(tmp_path: Path) -> None:
    typo = tmp_path / "du-lieu" / "cchc.db"
    result = run("--db", str(typo), "tasks")
    assert result.exit_code == 2
    assert str(typo) in result.stderr and "does not exist" in result.stderr
    assert not (tmp_path / "du-lieu").exists()


def test_a_read_command_on_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    typo = tmp_path / "cchc-thu-nghiem.bd"
    for args in (["score"], ["log"], ["users", "list"], ["check"], ["db", "current"],
                 ["db", "upgrade"], ["evidence", "list"]):
        result = run("--db", str(typo), *args)
        assert result.exit_code == 2, (args, result.output)
        assert str(typo) in result.stderr
        assert list(tmp_path.iterdir()) == [], args


def test_planner_db_and_the_config_file_name_a_database_too(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    result = run("score", env={"PLANNER_DB": str(typo)})
    assert result.exit_code == 2 and str(typo) in result.stderr
    config = tmp_path / "config.toml"
    config.write_text(f'db = "{typo}"\n', encoding="utf-8")
    result = run("tasks", env={"PLANNER_CONFIG": str(config)})
    assert result.exit_code == 2 and str(typo) in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_an_empty_file_is_not_made_into_a_database(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = run("--db", str(empty), "users", "list")
    assert result.exit_code == 2
    assert "holds no planner database" in result.stderr
    assert empty.read_bytes() == b""


@pytest.mark.parametrize("args", [
    ("init",), ("seed", "load", str(SEED)), ("import", "plan", "{table}", "--year", "2023"),
])
def test_commands_that_create_a_database_still_do(tmp_path: Path, args: tuple[str, ...]) -> None:
    table = tmp_path / "ke-hoach.csv"
    table.write_text("STT,Nội dung nhiệm vụ,Đơn vị chủ trì,Thời gian hoàn thành\n"
                     "1,Ban hành kế hoạch,VP,31/01/2023\n", encoding="utf-8")
    target = tmp_path / "new" / "plan.db"
    result = run("--db", str(target), *(a.format(table=table) for a in args))
    # Creating the database is allowed; what the command then does with it is its own matter.
    assert "does not exist" not in result.stderr, result.output
    assert target.exists()
    assert run("--db", str(target), "db", "current").exit_code == 0


def test_the_default_database_is_created_as_before(isolated_home: Path) -> None:
    from planner.config import default_db_path

    result = run("users", "list")
    assert result.exit_code == 0, result.output
    assert default_db_path().exists()


def test_demo_creates_its_own_database_and_never_takes_planner_db(tmp_path: Path) -> None:
    from planner.config import demo_db_path

    practice = tmp_path / "cchc-thu-nghiem.db"
    assert run("--db", str(practice), "seed", "load", str(SEED)).exit_code == 0
    before = fingerprint(str(practice))
    result = run("demo", "--reset", env={"PLANNER_DB": str(practice)})
    assert result.exit_code == 0, result.output
    assert demo_db_path().exists()
    assert fingerprint(str(practice)) == before


# ----------------------------------------------------------------------------- config show


def test_config_show_names_the_environment_variable(tmp_path: Path) -> None:
    db = tmp_path / "plan.db"
    assert run("--db", str(db), "init").exit_code == 0
    shown = json.loads(run("config", "show", "--format", "json", env={"PLANNER_DB": str(db)}).stdout)
    assert (shown["db"]["value"], shown["db"]["source"]) == (str(db), "environment PLANNER_DB")
    assert shown["db"]["description"]  # what the setting is for, as the table's last column
    table = run("config", "show", env={"PLANNER_DB": str(db)}).stdout
    assert "environment variable PLANNER_DB" in table and "flag" not in table
    flag = json.loads(run("--db", str(db), "config", "show", "--format", "json").stdout)
    assert flag["db"]["source"] == "flag"
    assert "command-line option" in run("--db", str(db), "config", "show").stdout


# ----------------------------------------------------------------------------- db upgrade


def test_upgrading_a_current_database_writes_no_backup(tmp_path: Path) -> None:
    db = tmp_path / "plan.db"
    assert run("--db", str(db), "seed", "load", str(SEED)).exit_code == 0
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("--db", str(db), "db", "upgrade")
    assert result.exit_code == 0 and "Already at revision" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not list(tmp_path.glob("*.bak"))


# ----------------------------------------------------------------------------- statuses in words


def _codes(cli: Cli, *args: str) -> list[str]:
    result = cli("tasks", "--as-of", "09/05/2022", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [r["code"] for r in json.loads(result.stdout)]


@pytest.mark.parametrize(("words", "code"), [
    ("not started", "not_started"), ("Not Started", "not_started"),
    ("chưa thực hiện", "not_started"), ("chua thuc hien", "not_started"),
    ("CHƯA THỰC HIỆN", "not_started"), ("in progress", "in_progress"),
    ("đang thực hiện", "in_progress"), ("overdue", "overdue"), ("quá hạn", "overdue"),
    ("Qua han", "overdue"), ("tạm dừng", "paused"), ("hoàn thành", "done"),
])
def test_status_in_the_words_people_read(seeded: Cli, words: str, code: str) -> None:
    wanted = _codes(seeded, "--status", code)
    assert wanted
    assert _codes(seeded, "--status", words) == wanted


def test_an_unknown_status_lists_the_words(seeded: Cli) -> None:
    result = seeded("tasks", "--status", "finished")
    assert result.exit_code == 2
    assert 'Unknown status "finished"' in result.stderr and "not started" in result.stderr


def test_evidence_state_and_user_role_in_words(seeded: Cli) -> None:
    waiting = seeded("evidence", "list", "--state", "submitted", "--format", "json")
    for words in ("awaiting review", "chờ duyệt", "Cho duyet"):
        same = seeded("evidence", "list", "--state", words, "--format", "json")
        assert same.exit_code == 0, same.output
        assert same.stdout == waiting.stdout
    assert seeded("users", "add", "lan", "--role", "thành viên phòng", "--office", "KHTC").exit_code == 0
    assert seeded("users", "add", "minh", "--role", "office member", "--office", "KHTC").exit_code == 0
    users = seeded("users", "list").stdout
    assert "office_member" not in users and "office member" in users
    assert seeded("users", "add", "x", "--role", "boss").exit_code == 2


# ----------------------------------------------------------------------------- a practice copy


def test_seed_load_reset_starts_the_practice_copy_again(tmp_path: Path) -> None:
    practice = tmp_path / "cchc-thu-nghiem.db"
    first = run("--db", str(practice), "seed", "load", str(SEED), "--reset")
    assert first.exit_code == 0, first.output
    assert run("--db", str(practice), "evidence", "accept", "15", "--on", "09/05/2022").exit_code == 0
    assert run("--db", str(practice), "users", "add", "hainv", "--role", "office_member",
               "--office", "TCCB").exit_code == 0
    # Without a terminal, a reset that would replace data must be confirmed.
    asked = run("--db", str(practice), "seed", "load", str(SEED), "--reset")
    assert asked.exit_code == 2 and "--yes" in asked.stderr
    again = run("--db", str(practice), "seed", "load", str(SEED), "--reset", "--yes")
    assert again.exit_code == 0, again.output
    kept = list(tmp_path.glob("cchc-thu-nghiem.db.before-reset-*.bak"))
    assert len(kept) == 1 and str(kept[0]) in again.stderr
    state = json.loads(run("--db", str(practice), "evidence", "show", "15", "--format", "json").stdout)
    assert state["state"] == "submitted"  # the sample as it was
    assert "hainv" not in run("--db", str(practice), "users", "list").stdout
    assert run("--db", str(practice), "check").exit_code == 0
    kept_users = run("--db", str(kept[0]), "users", "list").stdout
    assert "hainv" in kept_users  # the old copy holds what was done


def test_a_reset_with_a_bad_seed_file_changes_nothing(tmp_path: Path) -> None:
    practice = tmp_path / "plan.db"
    assert run("--db", str(practice), "seed", "load", str(SEED)).exit_code == 0
    before = fingerprint(str(practice))
    bad = Path(__file__).resolve().parents[1] / "data" / "seed-bad" / "unknown-office.toml"
    result = run("--db", str(practice), "seed", "load", str(bad), "--reset", "--yes")
    assert result.exit_code == 2 and "unknown-office.toml" in result.stderr
    assert fingerprint(str(practice)) == before
    assert not list(tmp_path.glob("*.bak"))


def test_a_reset_is_for_sqlite_files_only(db_url: str) -> None:
    if "://" not in db_url:
        pytest.skip("only a database on a server is refused; SQLite files are reset above")
    result = run("--db", db_url, "seed", "load", str(SEED), "--reset", "--yes")
    assert result.exit_code == 2 and "SQLite" in result.stderr
