"""Copy a whole planner database into another one: a SQLite file into PostgreSQL, typically.

Every row of every table moves as it is (ids, versions, attachments, the hash-chained change
log), so the copy answers `planner check`, `planner log` and `planner score` exactly as the
original did. The target must hold no planner data: its schema is created (or brought to the
current revision) first, then every row is written in one transaction, parents before
children, so a failure leaves it empty. PostgreSQL's id sequences are moved past the copied ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import MetaData, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from planner.i18n import _
from planner.services import permissions
from planner.services.context import Context
from planner.services.errors import InputError
from planner.store.migrate import SchemaRefused, ensure_current

#: Called with (table name, rows copied so far in it).
Progress = Callable[[str, int], None]

BATCH = 2000


@dataclass(frozen=True)
class CopyResult:
    target: str  # the target's URL, password hidden
    rows: dict[str, int]  # table -> rows copied, parents first


def copy_database(ctx: Context, target_location: str, progress: Progress | None = None) -> CopyResult:
    """Copy the context's database into the empty database at `target_location`."""
    from planner.store.models import metadata

    with ctx.db.read() as session:
        permissions.require_coordinator(session, ctx, _("copy the database"))
    if not target_location.strip():
        raise InputError(_("TARGET is empty: give a database URL or a SQLite file path."))
    from planner.services.session import connect

    try:
        target = connect(target_location, label="TARGET")
    except (SQLAlchemyError, ValueError, OSError) as exc:
        raise InputError(_("TARGET {target}: not a usable database address ({reason}).").format(
            target=target_location, reason=_reason(exc))) from exc
    try:
        if target.url == ctx.db.url:
            raise InputError(_("The target is the database being copied."))
        try:
            ensure_current(target)
        except SchemaRefused as exc:
            raise InputError(exc.message) from None
        except (SQLAlchemyError, OSError) as exc:
            raise InputError(_("Cannot open the target {target}: {reason}").format(
                target=target.describe(), reason=_reason(exc))) from exc
        rows: dict[str, int] = {}
        with ctx.db.engine.connect() as source, target.engine.begin() as sink:
            for table in metadata.sorted_tables:
                held = sink.execute(select(func.count()).select_from(table)).scalar_one()
                if held:
                    raise InputError(
                        _("{target} already holds planner data ({n} rows in {table}); "
                          "copy into an empty database.").format(
                            target=target.describe(), n=held, table=table.name))
            try:
                _copy_rows(source, sink, metadata, rows, progress)
            except SQLAlchemyError as exc:
                raise InputError(_("Copying into {target} failed, nothing was written there: "
                                   "{reason}").format(target=target.describe(),
                                                      reason=_reason(exc))) from exc
            if sink.dialect.name == "postgresql":
                quote = sink.dialect.identifier_preparer.quote
                for table in metadata.sorted_tables:
                    key = list(table.primary_key.columns)
                    if len(key) == 1 and key[0].name == "id" and key[0].autoincrement:
                        name = quote(table.name)
                        sink.exec_driver_sql(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {name}")
        return CopyResult(target.describe(), rows)
    finally:
        target.dispose()


def _copy_rows(source: Connection, sink: Connection, metadata: MetaData, rows: dict[str, int],
               progress: Progress | None) -> None:
    """Every row of every table, parents first, in batches."""
    for table in metadata.sorted_tables:
        copied = 0
        result = source.execute(select(table).order_by(*table.primary_key.columns))
        while batch := result.mappings().fetchmany(BATCH):
            sink.execute(insert(table), [dict(row) for row in batch])
            copied += len(batch)
            if progress is not None:
                progress(table.name, copied)
        rows[table.name] = copied


def _reason(exc: BaseException) -> str:
    """The first line of a driver's message, without SQLAlchemy's background link."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
