"""Initial workspace schema: members, finances, imports, surveys, referrals, engagement, scores.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 09:08:37.220488
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_config",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("config_toml", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "survey_wave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("started", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("file_hash", sa.String(), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("dialect", sa.String(), nullable=True),
        sa.Column("encoding", sa.String(), nullable=True),
        sa.Column("delimiter", sa.String(), nullable=True),
        sa.Column("mapping_json", sa.String(), nullable=True),
        sa.Column("wave_id", sa.Integer(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("unmatched", sa.Integer(), nullable=False),
        sa.Column("warnings_json", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["wave_id"], ["survey_wave.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batch_file_hash"), ["file_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_batch_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_batch_wave_id"), ["wave_id"], unique=False)

    op.create_table(
        "score_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("config_id", sa.Integer(), nullable=True),
        sa.Column("config_toml", sa.String(), nullable=False),
        sa.Column("batches_json", sa.String(), nullable=False),
        sa.Column("summary_json", sa.String(), nullable=True),
        sa.Column("members_scored", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["config_id"], ["scoring_config.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("score_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_run_config_id"), ["config_id"], unique=False)

    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("first_name", sa.String(), nullable=True),
        sa.Column("last_name", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("age_band", sa.String(), nullable=True),
        sa.Column("join_date", sa.Date(), nullable=True),
        sa.Column("city", sa.String(), nullable=True),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("postcode", sa.String(), nullable=True),
        sa.Column("consent_email", sa.Boolean(), nullable=True),
        sa.Column("consent_sms", sa.Boolean(), nullable=True),
        sa.Column("referral_code", sa.String(), nullable=True),
        sa.Column("tags", sa.String(), nullable=True),
        sa.Column("created_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_batch_id"], ["import_batch.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["updated_batch_id"], ["import_batch.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_created_batch_id"), ["created_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_member_email"), ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_member_referral_code"), ["referral_code"], unique=False
        )

    op.create_table(
        "rejected_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("raw_json", sa.String(), nullable=False),
        sa.Column("reasons", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rejected_row", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rejected_row_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "engagement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("member_key", sa.String(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("rating", sa.Float(), nullable=True),
        sa.Column("sends", sa.Integer(), nullable=True),
        sa.Column("opens", sa.Integer(), nullable=True),
        sa.Column("clicks", sa.Integer(), nullable=True),
        sa.Column("forwards", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagement_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_engagement_member_id"), ["member_id"], unique=False)

    op.create_table(
        "financial_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("revenue", sa.Float(), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=True),
        sa.Column("cost_to_serve", sa.Float(), nullable=True),
        sa.Column("first_order", sa.Date(), nullable=True),
        sa.Column("last_order", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("financial_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_financial_snapshot_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            "ix_financial_snapshot_member_asof", ["member_id", "as_of"], unique=False
        )

    op.create_table(
        "member_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("before_json", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("member_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_change_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "member_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("knowledge", sa.Float(), nullable=True),
        sa.Column("participation", sa.Float(), nullable=True),
        sa.Column("reach", sa.Float(), nullable=True),
        sa.Column("social", sa.Float(), nullable=True),
        sa.Column("financial", sa.Float(), nullable=True),
        sa.Column("network_value", sa.Float(), nullable=True),
        sa.Column("segment", sa.String(), nullable=False),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("receipt_json", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["score_run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "member_id", name="uq_member_score_run_member"),
    )
    with op.batch_alter_table("member_score", schema=None) as batch_op:
        batch_op.create_index("ix_member_score_member", ["member_id"], unique=False)

    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("referrer_id", sa.Integer(), nullable=True),
        sa.Column("referred_id", sa.Integer(), nullable=True),
        sa.Column("referrer_key", sa.String(), nullable=True),
        sa.Column("referred_key", sa.String(), nullable=True),
        sa.Column("referred_at", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["referred_id"], ["member.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["referrer_id"], ["member.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_referred_id"), ["referred_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_referrer_id"), ["referrer_id"], unique=False)

    op.create_table(
        "response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("respondent_key", sa.String(), nullable=True),
        sa.Column("row_number", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["wave_id"], ["survey_wave.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_response_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_response_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_response_wave_id"), ["wave_id"], unique=False)

    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(), nullable=False),
        sa.Column("raw", sa.String(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["response_id"], ["response.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_response_id"), ["response_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_response_id"))

    op.drop_table("answer")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_wave_id"))
        batch_op.drop_index(batch_op.f("ix_response_member_id"))
        batch_op.drop_index(batch_op.f("ix_response_batch_id"))

    op.drop_table("response")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_referrer_id"))
        batch_op.drop_index(batch_op.f("ix_referral_referred_id"))
        batch_op.drop_index(batch_op.f("ix_referral_batch_id"))

    op.drop_table("referral")
    with op.batch_alter_table("member_score", schema=None) as batch_op:
        batch_op.drop_index("ix_member_score_member")

    op.drop_table("member_score")
    with op.batch_alter_table("member_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_change_batch_id"))

    op.drop_table("member_change")
    with op.batch_alter_table("financial_snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_financial_snapshot_member_asof")
        batch_op.drop_index(batch_op.f("ix_financial_snapshot_batch_id"))

    op.drop_table("financial_snapshot")
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_member_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_batch_id"))

    op.drop_table("engagement")
    with op.batch_alter_table("rejected_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rejected_row_batch_id"))

    op.drop_table("rejected_row")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_referral_code"))
        batch_op.drop_index(batch_op.f("ix_member_email"))
        batch_op.drop_index(batch_op.f("ix_member_created_batch_id"))

    op.drop_table("member")
    with op.batch_alter_table("score_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_run_config_id"))

    op.drop_table("score_run")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_wave_id"))
        batch_op.drop_index(batch_op.f("ix_import_batch_kind"))
        batch_op.drop_index(batch_op.f("ix_import_batch_file_hash"))

    op.drop_table("import_batch")
    op.drop_table("survey_wave")
    op.drop_table("setting")
    op.drop_table("scoring_config")
