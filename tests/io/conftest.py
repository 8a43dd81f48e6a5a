"""Workbooks as departments write them, and databases holding only the offices."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the io_workbooks helper beside this file

from io_workbooks import build_plan_workbook

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed" / "plan-2022.toml"


@pytest.fixture
def plan_workbook(tmp_path: Path) -> Path:
    return build_plan_workbook(tmp_path / "ke-hoach-cchc-2022.xlsx")


@pytest.fixture
def offices_only(cli, make_context: Callable[..., Any]):  # type: ignore[no-untyped-def]
    """A database holding the sample's offices (each added through the service) and no plan."""
    from planner.io.seedfile import load_seed_file
    from planner.services.offices import save_office

    ctx = make_context()
    for o in load_seed_file(SEED).offices:
        save_office(ctx, o.code, name=o.name, aliases=list(o.aliases), head_name=o.head_name,
                    head_title=o.head_title, email=o.email, create=True)
    return cli


@pytest.fixture
def criteria_only(cli, make_context: Callable[..., Any]):  # type: ignore[no-untyped-def]
    """The sample plan's offices, plan and criteria, without tasks (and what refers to them)."""
    from dataclasses import replace

    from planner.io.seed_loader import load_seed
    from planner.io.seedfile import load_seed_file

    seed = load_seed_file(SEED)
    bare = replace(seed, tasks=(), events=(),
                   evidence=tuple(e for e in seed.evidence if e.task is None))
    ctx = make_context()
    load_seed(ctx.db, bare, actor="coordinator")
    return cli
