"""The workspace tables.

Plain table and column names so that any SQLite tool can read a workspace. The schema itself is
created and changed only by the Alembic revisions in ``scorecard/migrations``; a test checks that
these models and the migrated schema agree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, text
from sqlmodel import Field, SQLModel


def _fk(target: str, ondelete: str, *, nullable: bool = True, index: bool = True) -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


class Setting(SQLModel, table=True):
    """Workspace settings: gross margin, currency, category word, …"""

    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str


class ImportBatch(SQLModel, table=True):
    """One import of one file: what was read, how it was mapped, what came of it."""

    __tablename__ = "import_batch"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)  # members | survey | referrals | engagement | paper
    file_name: str
    file_hash: str = Field(index=True)  # sha256 of the file's bytes
    file_size: int = 0
    dialect: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    mapping_json: str | None = None  # header -> field/item, as used
    wave_id: int | None = Field(default=None, sa_column=_fk("survey_wave.id", "SET NULL"))
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    unmatched: int = 0
    warnings_json: str | None = None
    status: str = "committed"  # committed | undone
    created_at: datetime
    undone_at: datetime | None = None


class RejectedRow(SQLModel, table=True):
    """A row an import could not take, kept as the user gave it, with the reasons."""

    __tablename__ = "rejected_row"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(sa_column=_fk("import_batch.id", "CASCADE", nullable=False))
    row_number: int  # as a spreadsheet program would number it
    raw_json: str  # list of the row's cell texts, in file order
    reasons: str  # "; "-joined, each naming the column


class Member(SQLModel, table=True):
    __tablename__ = "member"
    # The Members table reads names and cities in order from these. Migration 0005 makes them
    # COLLATE NOCASE (as the table sorts); SQLite reports the columns without the collation,
    # so the models name the plain columns and the schema test agrees.
    __table_args__ = (
        Index("ix_member_name", "last_name", "first_name"),
        Index("ix_member_city", "city"),
    )
    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, unique=True)
    email: str | None = Field(default=None, index=True)  # trimmed and case-folded
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    birth_year: int | None = None
    age_band: str | None = None
    join_date: date | None = None
    city: str | None = None
    country: str | None = None
    postcode: str | None = None
    consent_email: bool | None = None
    consent_sms: bool | None = None
    referral_code: str | None = Field(default=None, index=True)
    tags: str | None = None
    created_batch_id: int | None = Field(default=None, sa_column=_fk("import_batch.id", "SET NULL"))
    updated_batch_id: int | None = Field(
        default=None, sa_column=_fk("import_batch.id", "SET NULL", index=False)
    )


class MemberChange(SQLModel, table=True):
    """A member's values before an import changed them, so the import can be undone."""

    __tablename__ = "member_change"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(sa_column=_fk("import_batch.id", "CASCADE", nullable=False))
    member_id: int = Field(sa_column=_fk("member.id", "CASCADE", nullable=False, index=False))
    before_json: str


class FinancialSnapshot(SQLModel, table=True):
    __tablename__ = "financial_snapshot"
    __table_args__ = (
        Index("ix_financial_snapshot_member_asof", "member_id", "as_of"),
        # Spend and orders of each member's latest snapshot, in order: the Members table's sort.
        Index("ix_financial_snapshot_latest_revenue", "revenue", "member_id",
              sqlite_where=text("superseded = 0")),
        Index("ix_financial_snapshot_latest_orders", "orders", "member_id",
              sqlite_where=text("superseded = 0")),
    )
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(sa_column=_fk("member.id", "CASCADE", nullable=False, index=False))
    batch_id: int | None = Field(default=None, sa_column=_fk("import_batch.id", "CASCADE"))
    as_of: date
    revenue: float | None = None
    orders: int | None = None
    cost_to_serve: float | None = None
    first_order: date | None = None
    last_order: date | None = None
    currency: str | None = None
    # A later snapshot (by as_of, then id) of the same member exists; kept for history.
    # Maintained by batches.refresh_latest_snapshots; 0 by default, so a member's only snapshot
    # is their latest whoever writes it.
    superseded: bool = Field(default=False, sa_column_kwargs={"server_default": text("0")})


class SurveyWave(SQLModel, table=True):
    __tablename__ = "survey_wave"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    started: date | None = None
    notes: str | None = None


class Response(SQLModel, table=True):
    """One person's filled-in questionnaire in one wave."""

    __tablename__ = "response"
    id: int | None = Field(default=None, primary_key=True)
    wave_id: int = Field(sa_column=_fk("survey_wave.id", "CASCADE", nullable=False))
    batch_id: int = Field(sa_column=_fk("import_batch.id", "CASCADE", nullable=False))
    member_id: int | None = Field(default=None, sa_column=_fk("member.id", "SET NULL"))
    respondent_key: str | None = None  # the member id the file gave, else the email
    respondent_email: str | None = None  # the (normalised) email given, for re-matching by it
    row_number: int | None = None
    submitted_at: datetime | None = None
    superseded: bool = False  # a later answer from the same member in the same wave wins


class Answer(SQLModel, table=True):
    __tablename__ = "answer"
    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(sa_column=_fk("response.id", "CASCADE", nullable=False))
    item_id: str
    raw: str | None = None
    value: float | None = None  # parsed; None when blank or unparseable (raw is kept)


class Referral(SQLModel, table=True):
    __tablename__ = "referral"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(sa_column=_fk("import_batch.id", "CASCADE", nullable=False))
    referrer_id: int | None = Field(default=None, sa_column=_fk("member.id", "SET NULL"))
    referred_id: int | None = Field(default=None, sa_column=_fk("member.id", "SET NULL"))
    referrer_key: str | None = None
    referred_key: str | None = None
    referred_at: date | None = None


class Engagement(SQLModel, table=True):
    """Observed email engagement: a Mailchimp rating or counts of opens, clicks and forwards."""

    __tablename__ = "engagement"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(sa_column=_fk("import_batch.id", "CASCADE", nullable=False))
    member_id: int | None = Field(default=None, sa_column=_fk("member.id", "SET NULL"))
    member_key: str | None = None
    as_of: date | None = None
    rating: float | None = None
    sends: int | None = None
    opens: int | None = None
    clicks: int | None = None
    forwards: int | None = None


class ScoringConfig(SQLModel, table=True):
    __tablename__ = "scoring_config"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    config_toml: str
    created_at: datetime


class ScoreRun(SQLModel, table=True):
    __tablename__ = "score_run"
    id: int | None = Field(default=None, primary_key=True)
    config_id: int | None = Field(default=None, sa_column=_fk("scoring_config.id", "SET NULL"))
    config_toml: str  # the config exactly as used, whatever happens to the saved one later
    batches_json: str  # ids of the batches whose data the run saw
    summary_json: str | None = None
    members_scored: int = 0
    created_at: datetime


class MemberScore(SQLModel, table=True):
    """A member's scores in one run: one B-tree keyed by (run, member), no rowid (0006).

    member_id has no foreign key: its cascade would need an index on member_id in every run's
    rows, which costs a third of saving a run; undoing an import deletes the scores itself.
    """

    __tablename__ = "member_score"
    __table_args__ = {"sqlite_with_rowid": False}
    run_id: int = Field(sa_column=Column(Integer, ForeignKey("score_run.id", ondelete="CASCADE"),
                                         primary_key=True))
    member_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    knowledge: float | None = None
    participation: float | None = None
    reach: float | None = None
    social: float | None = None
    financial: float | None = None
    network_value: float | None = None
    segment: str
    stability: float | None = None
    receipt_json: str | None = None


class ScoreRunArray(SQLModel, table=True):
    """One per-member array of a run (``run_arrays``), stored whole so a report or the
    dashboard reads a million members' scores in a fraction of a second."""

    __tablename__ = "score_run_array"
    run_id: int = Field(sa_column=Column(Integer, ForeignKey("score_run.id", ondelete="CASCADE"),
                                         primary_key=True))
    name: str = Field(primary_key=True)
    dtype: str  # NumPy dtype string, e.g. "<f8"
    length: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # zlib-compressed


class MappingProfile(SQLModel, table=True):
    """A column mapping the user confirmed, reused when a file with the same headers comes again."""

    __tablename__ = "mapping_profile"
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    name: str
    header_signature: str = Field(index=True)  # hash of the normalised header row
    mapping_json: str
    created_at: datetime
    last_used_at: datetime | None = None
