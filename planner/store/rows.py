"""Bulk reads as plain tuples, for the queries that load a whole plan.

SQLAlchemy builds a `Row` per result row and runs each column's result processor (on SQLite a
date column is parsed from text in Python). For the ten thousands of rows that scoring and the
task list read, that is a fifth of a `planner score`. `fetch` compiles the same Core statement,
runs it on the DB-API cursor and converts only the columns that need it, with the column
type's own result processor, so callers see what SQLAlchemy's rows hold on SQLite and
PostgreSQL alike: `date` for Date columns, `datetime` for DateTime ones, `bool` for Boolean.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Connection


def _bind(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def fetch(conn: Connection, stmt: Select[Any]) -> list[tuple[Any, ...]]:
    """Every row of `stmt` as a tuple; on SQLite each column converted by the result processor
    SQLAlchemy itself would run (Date, DateTime, Boolean)."""
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})  # IN lists
    params: Any
    if dialect.positional:
        params = tuple(_bind(compiled.params[name]) for name in compiled.positiontup or ())
    else:
        params = compiled.params
    rows: list[Any] = list(conn.exec_driver_sql(str(compiled), params).all())
    if dialect.name != "sqlite":
        return rows  # psycopg returns dates, timestamps and booleans as Python's own types
    # Convert whole columns, not row by row: the distinct values of a column (a few hundred
    # dates in a plan year) are converted once, then `map(dict.get)` runs in C; NULL stays None.
    kinds: dict[int, Callable[[Any], Any]] = {}
    for i, column in enumerate(stmt.selected_columns):
        processor = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if processor is not None:
            kinds[i] = processor
    if not kinds or not rows:
        return rows
    columns: list[Any] = list(zip(*rows, strict=True))
    for i, convert_value in kinds.items():
        parsed = {value: convert_value(value) for value in set(columns[i]) if value is not None}
        columns[i] = map(parsed.get, columns[i])
    return list(zip(*columns, strict=True))
