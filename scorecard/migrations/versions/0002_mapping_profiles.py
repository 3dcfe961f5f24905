"""Saved column-mapping profiles, reused when a file with the same headers is imported again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mapping_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("header_signature", sa.String(), nullable=False),
        sa.Column("mapping_json", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mapping_profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mapping_profile_header_signature"), ["header_signature"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mapping_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mapping_profile_header_signature"))

    op.drop_table("mapping_profile")
