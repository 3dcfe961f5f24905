"""Indexes that let the Members table sort a million members without a sort step.

Names and cities get case-blind indexes (the table orders them as a person reads them). Spend and
orders come from each member's latest financial snapshot: ``financial_snapshot.superseded``
marks the older ones (as ``response.superseded`` does for answers), so partial indexes over the
latest snapshots hold every member's spend and orders in order. The importer and undo keep the
flag right (``scorecard.batches.refresh_latest_snapshots``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_INDEXES = (
    "CREATE INDEX ix_member_name ON member (last_name COLLATE NOCASE, first_name COLLATE NOCASE)",
    "CREATE INDEX ix_member_city ON member (city COLLATE NOCASE)",
    "CREATE INDEX ix_financial_snapshot_latest_revenue ON financial_snapshot (revenue, member_id)"
    " WHERE superseded = 0",
    "CREATE INDEX ix_financial_snapshot_latest_orders ON financial_snapshot (orders, member_id)"
    " WHERE superseded = 0",
)

# The same statement as scorecard.batches.refresh_latest_snapshots (a migration keeps its own
# copy: it must keep working whatever the code later becomes). Only members with more than one
# snapshot can have a superseded one.
_MARK_OLDER = """
WITH ranked AS (
  SELECT id, row_number() OVER (PARTITION BY member_id ORDER BY as_of DESC, id DESC) > 1 AS older
  FROM financial_snapshot
  WHERE member_id IN (SELECT member_id FROM financial_snapshot GROUP BY member_id
                      HAVING count(*) > 1))
UPDATE financial_snapshot SET superseded = ranked.older FROM ranked
WHERE ranked.id = financial_snapshot.id AND financial_snapshot.superseded IS NOT ranked.older
"""


def upgrade() -> None:
    # A plain ADD COLUMN (no table copy): instant on a million snapshots.
    op.add_column(
        "financial_snapshot",
        sa.Column("superseded", sa.Boolean(), server_default=sa.text("0"), nullable=False),
    )
    op.execute(_MARK_OLDER)
    for sql in _INDEXES:
        op.execute(sql)


def downgrade() -> None:
    for name in ("ix_financial_snapshot_latest_orders", "ix_financial_snapshot_latest_revenue",
                 "ix_member_city", "ix_member_name"):
        op.execute(f"DROP INDEX {name}")
    with op.batch_alter_table("financial_snapshot", schema=None) as batch_op:
        batch_op.drop_column("superseded")
