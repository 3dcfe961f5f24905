"""Store a run's member scores clustered by (run, member), without a second member index.

``member_score`` was a rowid table with a unique (run_id, member_id) index and an index on
member_id: three B-trees written per row, which made saving a million-member run cost 1.6× a
raw insert into a bare table before any of our own work. As a WITHOUT ROWID table keyed by
(run_id, member_id) it is one B-tree, appended in key order by every run.

The member_id index served two things: a member's score history (now one key lookup per run)
and the foreign key to ``member``, whose cascade needs to find a member's scores when the member
is deleted. The only code that deletes members, undoing an import, now removes their scores
first in one statement; without the index the cascade would scan every run per member.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 14:30:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS = (
    "run_id, member_id, knowledge, participation, reach, social, financial, network_value, "
    "segment, stability, receipt_json"
)
_VALUES = """
    knowledge FLOAT,
    participation FLOAT,
    reach FLOAT,
    social FLOAT,
    financial FLOAT,
    network_value FLOAT,
    segment VARCHAR NOT NULL,
    stability FLOAT,
    receipt_json VARCHAR"""


def upgrade() -> None:
    op.execute(
        "CREATE TABLE member_score_new (run_id INTEGER NOT NULL, member_id INTEGER NOT NULL, "
        f"{_VALUES}, PRIMARY KEY (run_id, member_id), "
        "FOREIGN KEY(run_id) REFERENCES score_run (id) ON DELETE CASCADE) WITHOUT ROWID"
    )
    op.execute(
        f"INSERT INTO member_score_new ({_COLUMNS}) SELECT {_COLUMNS} FROM member_score "
        "ORDER BY run_id, member_id"
    )
    op.execute("DROP TABLE member_score")
    op.execute("ALTER TABLE member_score_new RENAME TO member_score")


def downgrade() -> None:
    op.execute(
        "CREATE TABLE member_score_old (id INTEGER NOT NULL, "
        "run_id INTEGER NOT NULL, member_id INTEGER NOT NULL, "
        f"{_VALUES}, PRIMARY KEY (id), "
        "CONSTRAINT uq_member_score_run_member UNIQUE (run_id, member_id), "
        "FOREIGN KEY(run_id) REFERENCES score_run (id) ON DELETE CASCADE, "
        "FOREIGN KEY(member_id) REFERENCES member (id) ON DELETE CASCADE)"
    )
    op.execute(
        f"INSERT INTO member_score_old ({_COLUMNS}) SELECT {_COLUMNS} FROM member_score "
        "WHERE member_id IN (SELECT id FROM member)"
    )
    op.execute("DROP TABLE member_score")
    op.execute("ALTER TABLE member_score_old RENAME TO member_score")
    op.execute("CREATE INDEX ix_member_score_member ON member_score (member_id)")
