"""Hostile input runs against SQLite files: what is refused is decided before the database is
touched, the same on either engine (the PostgreSQL cases that differ say so themselves)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def db_url(db_path: Path) -> str:
    return str(db_path)
