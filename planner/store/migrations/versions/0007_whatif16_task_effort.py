"""task effort estimate (effort_days)

Revision ID: 0007_whatif16
Revises: 0006_import15
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from planner.store.rowlog import log_baseline

revision: str = "0007_whatif16"
down_revision: str | None = "0006_import15"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("effort_days", sa.Float(), nullable=True))
    # The tasks' images gained a column: the log names the rows again.
    log_baseline(op.get_bind(), "0007")


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("effort_days")
