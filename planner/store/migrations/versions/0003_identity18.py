"""who acted as whom; the rows each change wrote; users' server login roles

Revision ID: 0003_identity18
Revises: 0002
Create Date: 2026-12-03

The change log gains `real_actor` (the person, when a coordinator acted as another user) and
`rows` (the rows each change wrote, which `planner check` compares the database with); a user
gains `db_role`, the PostgreSQL login role the server authenticates them as. Rows written
before this revision have no logged image of their own, so the upgrade logs one entry that
names every row as found ("log.baseline"), chained to the last entry.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_identity18"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("real_actor", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("rows", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=""))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("db_role", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_user_db_role"), ["db_role"])
    _baseline(op.get_bind())


def _baseline(conn: sa.engine.Connection) -> None:
    import json
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from planner.store.chain import entry_hash
    from planner.store.rowlog import everything

    rows = everything(conn)
    if not rows:
        return
    # The columns as this revision writes them (an aware UTC timestamp, as the models do).
    from planner.store.tables import change_log as log

    last = conn.execute(sa.select(log.c.hash).order_by(log.c.id.desc()).limit(1)).scalar()
    entry = SimpleNamespace(
        at=datetime.now(UTC), actor="planner", real_actor="",
        action="log.baseline", entity="database", entity_id="0003", label="revision 0003",
        plan_id=None, task_id=None, before="", after="",
        rows=json.dumps(rows, ensure_ascii=False, sort_keys=True), prev_hash=last or "")
    values = dict(vars(entry))
    values["hash"] = entry_hash(entry)
    conn.execute(sa.insert(log).values(**values))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_user_db_role"), type_="unique")
        batch_op.drop_column("db_role")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_column("rows")
        batch_op.drop_column("real_actor")
