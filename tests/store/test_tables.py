"""The Core copy of the schema (planner/store/tables.py) matches the models it is generated from."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_tables", ROOT / "scripts" / "gen_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tables_are_generated_from_the_current_models() -> None:
    generated = _generator().render()
    assert (ROOT / "planner" / "store" / "tables.py").read_text(encoding="utf-8") == generated, (
        "planner/store/tables.py is out of date: run scripts/gen_tables.py")


def test_every_model_column_is_in_the_core_tables() -> None:
    from planner.store import tables
    from planner.store.models import metadata

    core_type = _generator().core_type

    for table in metadata.sorted_tables:
        core = tables.metadata.tables[table.name]
        assert [c.name for c in core.columns] == [c.name for c in table.columns]
        assert [c.name for c in core.primary_key] == [c.name for c in table.primary_key]
        for column in table.columns:
            assert core.c[column.name].nullable == column.nullable, (table.name, column.name)
            assert repr(core.c[column.name].type) == core_type(column), (table.name, column.name)


def test_reading_tables_imports_neither_sqlmodel_nor_the_orm() -> None:
    code = ("import sys, planner.store.tables; "
            "print(sorted(m for m in ('sqlmodel', 'pydantic', 'sqlalchemy.orm') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert done.stdout.strip() == "[]"
