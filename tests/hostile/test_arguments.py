"""Arguments and settings a careless user types: a clear message and exit 2, never a traceback,
and the database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.helpers import fingerprint
from tests.conftest import Cli


def refused(cli: Cli, *args: str, message: str, env: dict[str, str] | None = None) -> str:
    """Run a command that must be refused as bad input; returns its stderr."""
    before = fingerprint(cli.db)
    from planner.cli import cli as planner_cli

    result = cli.runner.invoke(planner_cli, ["--db", cli.db, *args], env=env or {},
                               catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert message in result.stderr, result.stderr
    assert fingerprint(cli.db) == before
    return result.stderr


# ----------------------------------------------------------------------- the seven tracebacks


def test_a_huge_evidence_id_is_bad_input(seeded: Cli) -> None:
    refused(seeded, "evidence", "accept", "99999999999999999999999",
            message="99999999999999999999999 is outside 1–2147483647")


def test_a_byte_that_is_not_utf8_in_a_title(seeded: Cli) -> None:
    title = b"K\xe1\xba\xbf ho\xffch".decode("utf-8", "surrogateescape")  # as Python passes it
    refused(seeded, "task", "add", title, "--lead", "VP", "--due", "30/6/2022",
            message="is not valid UTF-8 text")


def test_the_same_byte_through_the_service_is_refused_too(seeded: Cli, make_context) -> None:  # type: ignore[no-untyped-def]
    from planner.services.errors import InputError
    from planner.services.tasks import add_task

    with pytest.raises(InputError, match="title: is not valid UTF-8 text"):
        add_task(make_context(), "K\udcffx", lead="VP", due="30/6/2022")


def test_an_empty_office_code(seeded: Cli) -> None:
    refused(seeded, "office", "add", "", "--name", "Phòng mới", message="code: must not be empty")


def test_an_office_code_with_a_newline(seeded: Cli) -> None:
    refused(seeded, "office", "add", "AB\nCD", "--name", "Phòng mới",
            message="code: contains control characters (U+000A)")


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf", "1e400"])
def test_max_attachment_mb_from_the_environment(seeded: Cli, value: str) -> None:
    refused(seeded, "tasks", env={"PLANNER_MAX_ATTACHMENT_MB": value},
            message=f'environment variable PLANNER_MAX_ATTACHMENT_MB: max_attachment_mb = "{value}"')


def test_max_attachment_mb_in_the_config(seeded: Cli, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('max_attachment_mb = "lots"\n', encoding="utf-8")
    stderr = refused(seeded, "--config", str(config), "tasks",
                     message=f'config file {config}: max_attachment_mb = "lots" is not a size')
    assert "megabytes" in stderr


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://user@localhost/planner", "planner works with SQLite files and PostgreSQL"),
    ("mssql+pyodbc://user@dsn", "not mssql"),
    ("postgresql+asyncpg://user@localhost/planner", "the asyncpg driver for postgresql is not installed"),
    ("postgresql+psycopg2://user@localhost/planner", "the psycopg2 driver for postgresql is not installed"),
])
def test_an_engine_planner_does_not_support(url: str, message: str) -> None:
    from planner.cli import cli

    for args in (["tasks"], ["db", "current"], ["db", "upgrade"]):
        result = CliRunner().invoke(cli, ["--db", url, *args])
        assert result.exit_code == 2, result.output
        assert message in result.stderr and "Traceback" not in result.output
        assert url in result.stderr


# ----------------------------------------------------------------------- config errors


@pytest.mark.parametrize(("content", "message"), [
    (b"language = [\n", "not valid TOML"),
    (b"colour = 'blue'\n", 'unknown setting "colour"'),
    (b"max_attachment = 5\n", 'did you mean "max_attachment_mb"?'),
    (b"\x00\x01\x02binary\xff", "a binary file, not TOML text"),
    (b"language = 'fr'\n", 'language = "fr" is not one of vi, en'),
    (b"smtp_port = 99999\n", "smtp_port = \"99999\" is not a port number"),
    (b"keys = 3\n", "[keys] must be a table"),
    (b"[holidays]\nextra = ['10/05/2022', 'sau Tet']\n", '[holidays] extra, entry 2 ("sau Tet")'),
    (b"[holidays]\nswapped = ['10/05/2022']\n", '[holidays] has no setting "swapped"'),
])
def test_a_config_planner_cannot_use_is_bad_input(seeded: Cli, tmp_path: Path, content: bytes,
                                                  message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(content)
    refused(seeded, "--config", str(config), "tasks", message=message)


def test_a_config_that_is_a_directory(seeded: Cli, tmp_path: Path) -> None:
    refused(seeded, "--config", str(tmp_path), "tasks",
            message=f"config file: {tmp_path} is a directory, not a regular file")


def test_a_config_over_its_limit(seeded: Cli, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b"# " + b"x" * (1024 * 1024) + b"\n")
    refused(seeded, "--config", str(config), "tasks", message="over the limit of 1 MB")


# ----------------------------------------------------------------------- numbers


@pytest.mark.parametrize("version", ["-1", "0", "99999999999"])
def test_if_version_out_of_range_is_bad_input_not_a_conflict(seeded: Cli, version: str) -> None:
    refused(seeded, "task", "done", "T03", "--on", "10/05/2022", "--if-version", version,
            message="is outside 1–2147483647")
    refused(seeded, "task", "edit", "T03", "--progress", "50", "--if-version", version,
            message="is outside 1–2147483647")


def test_log_limit_must_be_a_count(seeded: Cli) -> None:
    refused(seeded, "log", "--limit", "-3", message="-3 is outside 0–2147483647")
    assert seeded("log", "--limit", "2").exit_code == 0


# ----------------------------------------------------------------------- implausible dates


@pytest.mark.parametrize("day", ["01/05/2202", "31/12/2099", "01/01/1900", "31/12/2021", "01/04/2023"])
def test_a_done_date_outside_the_plan_year_needs_force(seeded: Cli, day: str) -> None:
    refused(seeded, "task", "done", "T03", "--on", day,
            message=f"on: {day} is outside the 2022 plan and its closing period "
                    "(01/01/2022–31/03/2023); add --force if it is right.")
    assert seeded("task", "done", "T03", "--on", day, "--force").exit_code == 0
    shown = seeded("task", "show", "T03")
    assert day in shown.stdout


def test_a_date_in_the_closing_period_is_accepted(seeded: Cli) -> None:
    """The self-assessment in January: evidence submitted and reviewed after 31/12 counts as
    plausible, until the end of the closing period."""
    assert seeded("task", "done", "T03", "--on", "30/12/2022").exit_code == 0
    added = seeded("evidence", "add", "T03", "--doc", "12/QĐ-SGDĐT", "--date", "15/12/2021",
                   "--on", "15/01/2023", user="vp")
    assert added.exit_code == 0, added.stderr
    assert seeded("evidence", "accept", added.stdout.strip(), "--on", "31/03/2023").exit_code == 0


@pytest.mark.parametrize(("args", "field"), [
    (("evidence", "add", "T03", "--doc", "12/QĐ-SGDĐT", "--on", "01/05/2202"), "on"),
    (("evidence", "add", "T03", "--doc", "12/QĐ-SGDĐT", "--date", "01/01/1900"), "date"),
    (("evidence", "add", "T03", "--doc", "12/QĐ-SGDĐT", "--date", "31/12/2099"), "date"),
    (("reading", "add", "ontime_rate", "97", "--date", "01/05/2202"), "date"),
    (("criterion", "confirm", "5.5", "none", "--on", "31/12/2099"), "on"),
    (("criterion", "enter", "8.1", "15", "--on", "01/01/1900"), "on"),
])
def test_implausible_dates_of_evidence_and_readings_need_force(seeded: Cli, args: tuple[str, ...],
                                                               field: str) -> None:
    refused(seeded, *args, message=f"{field}: ")
    assert seeded(*args, "--force").exit_code == 0


def test_reviewing_on_an_implausible_date_needs_force(seeded: Cli) -> None:
    added = seeded("evidence", "add", "T03", "--doc", "12/QĐ-SGDĐT", user="vp")
    evidence_id = added.stdout.strip()
    refused(seeded, "evidence", "accept", evidence_id, "--on", "01/05/2202",
            message="on: 01/05/2202 is outside the 2022 plan")
    assert seeded("evidence", "accept", evidence_id, "--on", "01/05/2202", "--force").exit_code == 0


def test_a_relative_date_a_century_away_is_refused(seeded: Cli) -> None:
    refused(seeded, "task", "done", "T03", "--on", "+999999wd", message="too far from today")
    refused(seeded, "tasks", "--as-of", "-999999d", message="too far from today")


# ----------------------------------------------------------------------- holidays


def _config(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PLANNER_CONFIG", str(config))


def _due_of(cli: Cli, code: str) -> str:
    import json

    return str(json.loads(cli("task", "show", code, "--format", "json").stdout)["due"])


def test_extra_holidays_count_in_working_days(seeded: Cli, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Monday 09/05/2022 ("today" in the sample) + 1 working day: Tuesday, unless Tuesday is
    declared a day off."""
    code = seeded("task", "add", "Báo cáo nhanh", "--lead", "VP", "--due", "+1wd").stdout.strip()
    assert _due_of(seeded, code) == "2022-05-10"
    _config(tmp_path, '[holidays]\nextra = ["10/05/2022"]\n', monkeypatch)
    code = seeded("task", "add", "Báo cáo nhanh 2", "--lead", "VP", "--due", "+1wd").stdout.strip()
    assert _due_of(seeded, code) == "2022-05-11"


def test_a_government_day_swap(seeded: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The government moves a working day: Tuesday 10/05/2022 off, worked back on Saturday
    14/05/2022. From Monday 09/05 ("today" in the sample), working days skip the Tuesday and
    count the Saturday, in deadlines and in --as-of alike."""
    _config(tmp_path, '[holidays]\nextra = [2022-05-10]\nworkdays = ["14/05/2022"]\n', monkeypatch)
    for n, expected in ((1, "11/05/2022"), (3, "13/05/2022"), (4, "14/05/2022"), (5, "16/05/2022")):
        listed = seeded("tasks", "--as-of", f"+{n}wd")
        assert listed.exit_code == 0
        assert f"as of {expected}." in listed.stderr
    code = seeded("task", "add", "Báo cáo nhanh", "--lead", "VP", "--due", "+4wd").stdout.strip()
    assert _due_of(seeded, code) == "2022-05-14"


def test_working_days_of_a_calendar() -> None:
    from datetime import date

    from planner.domain.schedule import WorkCalendar

    work = WorkCalendar(days_off=frozenset({date(2022, 5, 10)}), days_on=frozenset({date(2022, 5, 14)}))
    assert not work.is_working(date(2022, 5, 10)) and work.is_working(date(2022, 5, 14))
    assert not work.is_working(date(2022, 5, 15))  # an ordinary Sunday
    assert not work.is_working(date(2022, 9, 2))  # National Day, from the holidays package
    assert work.add(date(2022, 5, 16), -5) == date(2022, 5, 9)
    assert work.between(date(2022, 5, 9), date(2022, 5, 16)) == 5


def test_a_write_lost_to_another_writer_is_a_conflict(seeded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL two writers can read the same version; the second UPDATE then matches no
    row (StaleDataError): a conflict (exit 3), not a broken database (scripts/stress.py)."""
    from sqlalchemy.orm.exc import StaleDataError

    import planner.services.tasks

    def lost(*_args: object, **_kwargs: object) -> None:
        raise StaleDataError("UPDATE statement on table 'task' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr(planner.services.tasks, "set_status", lost)
    result = seeded("task", "done", "T03")
    assert result.exit_code == 3
    assert "Someone else changed the same record at the same time; nothing was written" in result.stderr
