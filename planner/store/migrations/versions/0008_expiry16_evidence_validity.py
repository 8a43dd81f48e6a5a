"""evidence validity end (evidence.valid_until); reminders sent (reminder_sent)

Revision ID: 0008_expiry16
Revises: 0007_whatif16
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from planner.store.rowlog import log_baseline

revision: str = "0008_expiry16"
down_revision: str | None = "0007_whatif16"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("valid_until", sa.Date(), nullable=True))
    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_reminder_sent_plan_id_plan")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_reminder_sent_office_id_office")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sent")),
        sa.UniqueConstraint(
            "plan_id", "office_id", "occurrence_key", "kind", "due_on", "threshold",
            name=op.f("uq_reminder_sent_plan_id"),
        ),
    )
    with op.batch_alter_table("reminder_sent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_sent_plan_id"), ["plan_id"], unique=False
        )
    # The evidence rows' images gained a column: the log names every row again.
    log_baseline(op.get_bind(), "0008")


def downgrade() -> None:
    with op.batch_alter_table("reminder_sent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_sent_plan_id"))
    op.drop_table("reminder_sent")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("valid_until")
