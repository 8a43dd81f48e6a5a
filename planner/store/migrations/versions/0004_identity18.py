"""who acted as whom; the rows each change wrote; users' server login roles

Revision ID: 0004_identity18
Revises: 0003
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

from planner.store.rowlog import log_baseline

revision: str = "0004_identity18"
down_revision: str | None = "0003"
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
    log_baseline(op.get_bind(), "0004")


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_user_db_role"), type_="unique")
        batch_op.drop_column("db_role")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_column("rows")
        batch_op.drop_column("real_actor")
