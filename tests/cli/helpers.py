"""Helpers for CLI tests: a fingerprint of the whole database to prove nothing was written."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def fingerprint(db: str | Path) -> str:
    """A hash of every row of every table (the change log included)."""
    conn = sqlite3.connect(str(db))
    try:
        digest = hashlib.sha256()
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()
