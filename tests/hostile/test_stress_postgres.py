"""Concurrent updates against PostgreSQL lose nothing: `scripts/stress.py`, shortened, on a
fresh database of the configured server (CI's `.ci/run` starts one and exports its URL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import postgres_database

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_updates_on_postgresql_lose_nothing() -> None:
    with postgres_database() as url:
        run = subprocess.run(
            [sys.executable, "scripts/stress.py", "--db", url, "--processes", "4", "--updates", "25"],
            cwd=ROOT, capture_output=True, text=True, timeout=600,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert run.returncode == 0, run.stdout + run.stderr
        assert "4 processes x 25 updates" in run.stdout
        assert "100 applied" in run.stdout and ", 0 errors" in run.stdout
        assert "(sum 100); change-log edits 100" in run.stdout
        assert "planner check: 0 problems" in run.stdout
        assert run.stdout.strip().endswith("OK")
