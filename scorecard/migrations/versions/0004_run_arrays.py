"""Keep each run's per-member arrays whole, beside its member_score rows.

Reading a million member_score rows back through Python costs seconds; the same scores as a
few compressed NumPy arrays load in a fraction of one, which the reports and the dashboard need.
``member_score`` stays the queryable record; the arrays are a faster copy of the same run.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_run_array",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("dtype", sa.String(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["score_run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "name"),
    )


def downgrade() -> None:
    op.drop_table("score_run_array")
