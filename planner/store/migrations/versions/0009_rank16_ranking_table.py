"""the published ranking of the units (ranking_entry)

Revision ID: 0009_rank16
Revises: 0008_expiry16
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009_rank16"
down_revision: str | None = "0008_expiry16"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new, empty table: no row's image changes, so no baseline entry is logged.
    op.create_table(
        "ranking_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("unit_folded", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("part", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=True),
        sa.Column("ours", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_ranking_entry_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ranking_entry")),
        sa.UniqueConstraint(
            "plan_id", "year", "unit_folded", name=op.f("uq_ranking_entry_plan_id")
        ),
    )
    with op.batch_alter_table("ranking_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ranking_entry_plan_id"), ["plan_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ranking_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ranking_entry_plan_id"))
    op.drop_table("ranking_entry")
