"""scripts/generate_plan.py: a deterministic large plan that planner reads like any other."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("generate_plan", ROOT / "scripts" / "generate_plan.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_plan"] = module
    spec.loader.exec_module(module)
    return module


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_generated_plan_is_deterministic_and_consistent(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    gen = _generator()
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    gen.generate(a, tasks=300, criteria=60, offices=12, evidence=150, seed=7)
    gen.generate(b, tasks=300, criteria=60, offices=12, evidence=150, seed=7)
    assert _dump(a) == _dump(b)
    conn = sqlite3.connect(a)
    try:
        assert conn.execute("SELECT count(*) FROM task").fetchone() == (300,)
        assert conn.execute("SELECT count(*) FROM criterion").fetchone() == (60,)
        assert conn.execute("SELECT count(*) FROM office").fetchone() == (12,)
        assert conn.execute("SELECT count(*) FROM evidence").fetchone() == (150,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    from click.testing import CliRunner

    from planner.cli import cli as planner_cli

    result = CliRunner().invoke(planner_cli, ["--db", str(a), "score", "--format", "json"])
    assert result.exit_code == 0, result.output
    # Its one change-log entry names every row it wrote: the plan checks clean.
    checked = CliRunner().invoke(planner_cli, ["--db", str(a), "check"])
    assert checked.exit_code == 0, checked.output


def test_generator_command_line(tmp_path: Path) -> None:
    gen = _generator()
    out = tmp_path / "g.db"
    assert gen.main([str(out), "--tasks", "20", "--criteria", "10", "--offices", "3",
                     "--evidence", "5"]) == 0
    assert gen.main([str(out), "--tasks", "20"]) == 2  # exists, no --force
    assert gen.main([str(out), "--tasks", "20", "--force"]) == 0
