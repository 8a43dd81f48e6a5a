"""criteria read from the province's index: scoring guidance, not applicable; task sections

Revision ID: 0006_import15
Revises: 0005_undo
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from planner.store.rowlog import log_baseline

revision: str = "0006_import15"
down_revision: str | None = "0005_undo"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("criterion", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("guidance", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                      server_default="")
        )
        batch_op.add_column(
            sa.Column("applicable", sa.Boolean(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("section", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                      server_default="")
        )
    # The criteria's and tasks' images gained columns: the log names the rows again.
    log_baseline(op.get_bind(), "0006")


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("section")
    with op.batch_alter_table("criterion", schema=None) as batch_op:
        batch_op.drop_column("applicable")
        batch_op.drop_column("guidance")
