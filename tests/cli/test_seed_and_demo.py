"""Loading seed files, the sample plan's pinned figures, `planner demo` and config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import count
from tests.conftest import SEED, Cli

BAD = Path(__file__).resolve().parents[1] / "data" / "seed-bad"


def test_sample_plan_figures_at_demo_date(seeded: Cli) -> None:
    data = json.loads(seeded("score", "--as-of", "09/05/2022", "--format", "json").stdout)
    appraised = data["totals"]["appraised"]
    assert appraised["max"] == 56
    assert appraised["secured"] == pytest.approx(13.375)
    assert appraised["at_risk"] == pytest.approx(13.5)
    assert appraised["lost"] == pytest.approx(0.25)
    assert appraised["projected"] == pytest.approx(52.25)
    assert data["totals"]["survey"]["max"] == 44
    assert data["totals"]["baseline"]["score"] == 41.93
    assert data["totals"]["baseline"]["rank"] == 19
    fields = {c["code"]: c for c in data["criteria"]}
    assert fields["1"]["secured"] == pytest.approx(2.5)
    assert fields["3"]["at_risk"] == pytest.approx(3.5)
    for node in data["criteria"]:
        parts = node["secured"] + node["at_risk"] + node["lost"] + node["open"]
        assert parts == pytest.approx(node["max"])


def test_score_table_names_last_year_and_target(seeded: Cli) -> None:
    result = seeded("score", "--as-of", "09/05/2022", "--depth", "1")
    assert "41.93 / 56.00, rank 19 of 20" in result.stdout
    assert "Appraised: secured 13.38 / 56.00" in result.stdout


def test_vietnamese_uses_decimal_comma(seeded: Cli) -> None:
    result = seeded("--lang", "vi", "score", "--as-of", "09/05/2022", "--depth", "1")
    assert "41,93" in result.stdout


def test_loading_the_same_plan_twice_is_refused(seeded: Cli) -> None:
    result = seeded("seed", "load", str(SEED))
    assert result.exit_code == 2
    assert "already holds a 2022 plan" in result.stderr


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir()))
def test_malformed_seed_files_are_refused_without_writing(cli: Cli, name: str) -> None:
    result = cli("seed", "load", str(BAD / name))
    assert result.exit_code == 2, result.output
    assert name in result.stderr
    assert "Traceback" not in result.output
    for table in ("plan", "task", "office", "change_log"):
        assert count(cli.db, table) == 0


def test_seed_error_names_the_key_path(cli: Cli) -> None:
    result = cli("seed", "load", str(BAD / "unknown-office.toml"))
    assert 'unknown office "VPP"' in result.stderr
    assert "tasks[" in result.stderr


def test_demo_without_a_terminal_prints_the_summary(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from planner.cli import cli

    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert "as of 09/05/2022" in result.stdout
    assert "Appraised: secured 13.38" in result.stdout
    from planner.config import default_db_path, demo_db_path

    # The demo keeps its own file in the data directory; the user's database is untouched.
    assert demo_db_path().exists()
    assert not default_db_path().exists()
    again = CliRunner().invoke(cli, ["demo", "--as-of", "30/06/2022"])
    assert "as of 30/06/2022" in again.stdout
    assert "Loading the sample" not in again.stderr


def test_demo_pins_today_for_commands_on_its_database(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from planner.cli import cli
    from planner.config import demo_db_path

    CliRunner().invoke(cli, ["demo"])
    result = CliRunner().invoke(cli, ["--db", str(demo_db_path()), "tasks", "--overdue", "--format", "json"])
    assert {r["code"] for r in json.loads(result.stdout)} == {"T02", "T28", "T30"}


def test_config_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from planner.cli import cli

    config = tmp_path / "config.toml"
    config.write_text('db = "/from/file.db"\nlanguage = "vi"\n', encoding="utf-8")
    monkeypatch.setenv("PLANNER_CONFIG", str(config))
    shown = json.loads(CliRunner().invoke(cli, ["config", "show", "--format", "json"]).stdout)
    assert shown["db"]["value"] == "/from/file.db" and shown["db"]["source"].startswith("file")
    monkeypatch.setenv("PLANNER_DB", "/from/env.db")
    shown = json.loads(CliRunner().invoke(cli, ["config", "show", "--format", "json"]).stdout)
    assert shown["db"]["value"] == "/from/env.db"
    shown = json.loads(CliRunner().invoke(cli, ["--db", "/from/flag.db", "config", "show", "--format", "json"]).stdout)
    assert shown["db"]["value"] == "/from/flag.db"
    secret = CliRunner().invoke(cli, ["--db", "postgresql+psycopg://u:s3cret@h/db", "config", "show"]).stdout
    assert "s3cret" not in secret and "***" in secret
    path = CliRunner().invoke(cli, ["config", "path"]).stdout.strip()
    assert path == str(config)


def test_broken_config_is_reported_with_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from planner.cli import cli

    config = tmp_path / "config.toml"
    config.write_text("db = [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("PLANNER_CONFIG", str(config))
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code != 0
    assert str(config) in result.output


def test_plan_option_chooses_among_several_plans(seeded: Cli) -> None:
    assert seeded("init", "--year", "2023", "--title", "Kế hoạch CCHC năm 2023").exit_code == 0
    latest = seeded("tasks", "--format", "json")
    assert latest.exit_code == 0 and json.loads(latest.stdout) == []
    older = seeded("--plan", "2022", "tasks", "--format", "json", "--as-of", "09/05/2022")
    assert len(json.loads(older.stdout)) == 63
    missing = seeded("--plan", "2019", "tasks")
    assert missing.exit_code == 2 and "No plan for 2019 (plans: 2022, 2023)" in missing.stderr
