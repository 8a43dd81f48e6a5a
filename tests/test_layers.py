"""The core works without Textual: domain, store, services and reports never import it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

CORE = ["planner.domain.scoring", "planner.domain.schedule", "planner.domain.text",
        "planner.store.models", "planner.store.db", "planner.services.tasks",
        "planner.services.evidence", "planner.services.scores", "planner.services.offices",
        "planner.services.indicators", "planner.io.seedfile"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_without_textual(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'fpdf', 'alembic')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_domain_is_pure() -> None:
    code = ("import sys, planner.domain.scoring, planner.domain.schedule, planner.domain.accountability; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'sqlmodel', 'textual', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_imports_no_heavy_library() -> None:
    code = ("import sys\nsys.argv=['planner','--help']\nfrom planner.cli import cli\n"
            "try:\n    cli.main(prog_name='planner')\nexcept SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlmodel','sqlalchemy','textual','fpdf','alembic','rich'}), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip() == "[]"


@pytest.mark.parametrize("args", [
    ["score"], ["tasks", "--overdue"], ["tasks", "--status", "done"],
    # A name looked up for a filter: the same rule and messages, on the Core tables.
    ["tasks", "--overdue", "--office", "van phong"], ["tasks", "--lead", "tccb"],
    ["tasks", "--criterion", "1.1.1"],
])
def test_reading_commands_import_no_orm(seeded: Any, args: list[str]) -> None:
    """`planner score` and `planner tasks` read through the Core tables: SQLModel, pydantic and
    the ORM (a quarter of a second of every start) are not imported."""
    code = ("import sys\n"
            f"sys.argv = ['planner', '--db', {seeded.db!r}, *{args!r}]\n"
            "from planner.cli import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print(sorted(m for m in ('sqlmodel', 'pydantic', 'sqlalchemy.orm') if m in sys.modules),"
            " file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "[]"


def test_import_contracts_hold() -> None:
    """The layer contracts of pyproject.toml ([tool.importlinter]: domain < store, presentation
    < services < io, reports < cli, tui; the TUI never imports the CLI) hold, lazy imports
    included. The tests above check what import-linter cannot: which third-party libraries a
    module or a command brings in."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    lint_imports = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run([str(lint_imports), "--no-cache", "--no-logo"], capture_output=True,
                         text=True, cwd=root)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout
