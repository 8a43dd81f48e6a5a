"""undo of mistakes: dated review history of evidence; a version on readings

Revision ID: 0005_undo
Revises: 0004_identity18
Create Date: 2026-12-02

Every accepted or rejected evidence row becomes one review event dated its `reviewed_on`, so
an existing database scores exactly as before; from now on accepting, rejecting and taking a
review back each add an event. Readings get a row version, so a correction made from a stale
screen is refused as a conflict.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from planner.store.rowlog import log_baseline

revision: str = "0005_undo"
down_revision: str | None = "0004_identity18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_evidence_review_evidence_id_evidence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_review")),
    )
    with op.batch_alter_table("evidence_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_review_evidence_id"), ["evidence_id"], unique=False
        )
    op.execute(
        'INSERT INTO evidence_review (evidence_id, state, "on", at, "by", reason) '
        "SELECT id, state, reviewed_on, COALESCE(reviewed_at, submitted_at), reviewed_by, reason "
        "FROM evidence WHERE state IN ('accepted', 'rejected') AND reviewed_on IS NOT NULL "
        "ORDER BY reviewed_on, id"
    )
    with op.batch_alter_table("reading", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default="1")
        )
    # The readings' images gained a column and the reviews are new rows: the log names them.
    log_baseline(op.get_bind(), "0005")


def downgrade() -> None:
    with op.batch_alter_table("reading", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("evidence_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_review_evidence_id"))
    op.drop_table("evidence_review")
