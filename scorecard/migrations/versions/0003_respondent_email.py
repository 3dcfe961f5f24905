"""Keep the e-mail a survey respondent gave beside the id, so an unmatched response can be
re-matched by either after a later member import.

``response.respondent_key`` holds the member id the file gave (a hidden or pre-filled field),
else the e-mail; a response can carry both, and either may be the one a later member list knows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("respondent_email", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("respondent_email")
