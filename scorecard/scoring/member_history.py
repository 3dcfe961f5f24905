"""One member's whole story for the member detail view: who they are, what they spent, what they
answered (raw text and parsed value), how they scored in every run, whom they referred and who
referred them.

Every query is by member id through an index (member primary key, ``financial_snapshot
(member_id, as_of)``, ``response.member_id``, ``answer.response_id``, ``member_score
(member_id)``, ``referral.referrer_id`` / ``referred_id``), so it costs milliseconds in a
million-member workspace. The receipt of a run comes from ``scorecard.scoring.explain``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace

PROFILE_FIELDS = (
    "id", "external_id", "email", "first_name", "last_name", "phone", "birth_year", "age_band",
    "join_date", "city", "country", "postcode", "consent_email", "consent_sms", "referral_code",
    "tags",
)


@dataclass(frozen=True)
class Snapshot:
    """One financial snapshot as imported (newest first in ``MemberHistory.snapshots``)."""

    as_of: str
    revenue: float | None
    orders: int | None
    cost_to_serve: float | None
    first_order: str | None
    last_order: str | None
    currency: str | None
    batch_id: int | None


@dataclass(frozen=True)
class AnswerRow:
    item_id: str
    raw: str | None  # the text as the file had it
    value: float | None  # what the importer parsed it to (None: blank or unreadable)


@dataclass(frozen=True)
class ResponseRecord:
    """One questionnaire this member filled in, with every answer."""

    response_id: int
    wave: str
    submitted_at: str | None
    superseded: bool  # a later answer in the same wave counts instead
    batch_id: int
    answers: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class RunScore:
    """The member's scores in one run (oldest run first in ``MemberHistory.runs``)."""

    run_id: int
    created_at: str
    config: str
    knowledge: float | None
    participation: float | None
    reach: float | None
    social: float | None
    financial: float | None
    network_value: float | None
    segment: str
    stability: float | None
    response_id: int | None = None  # the questionnaire the run read (None: not surveyed)


@dataclass(frozen=True)
class ReferralLink:
    """A referral to or from another member (``member_id`` None: not in the member list)."""

    member_id: int | None
    name: str  # the other member's name, else the key the referrals file gave
    key: str | None
    referred_at: str | None


@dataclass(frozen=True)
class MemberHistory:
    member_id: int
    name: str
    profile: dict[str, object]  # PROFILE_FIELDS → value
    snapshots: tuple[Snapshot, ...]
    responses: tuple[ResponseRecord, ...]  # newest first
    runs: tuple[RunScore, ...]
    referrals_out: tuple[ReferralLink, ...]  # members this member brought in
    referrals_in: tuple[ReferralLink, ...]  # who brought this member in
    engagement: dict[str, object] | None  # the latest engagement record, if any

    @property
    def latest_run(self) -> RunScore | None:
        return self.runs[-1] if self.runs else None


def display_name(first: object, last: object, email: object, member_id: object) -> str:
    """First and last name, else the e-mail, else ``Member <id>`` (as reports name members)."""
    name = " ".join(str(p) for p in (first, last) if p)
    return name or (str(email) if email else f"Member {member_id}")


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def member_history(ws: Workspace, member_id: int) -> MemberHistory:
    """Everything the workspace knows about one member."""
    member_id = int(member_id)
    with ws.read_cursor() as cur:  # one read transaction: a consistent picture
        return _history(cur, member_id)


def _history(cur: sqlite3.Cursor, member_id: int) -> MemberHistory:
    row = cur.execute(f"SELECT {', '.join(PROFILE_FIELDS)} FROM member WHERE id = ?",
                      (member_id,)).fetchone()
    if row is None:
        raise ScorecardError(f"there is no member {member_id} in this workspace")
    profile = dict(zip(PROFILE_FIELDS, row, strict=True))
    snapshots = tuple(
        Snapshot(_text(r[0]) or "", r[1], r[2], r[3], _text(r[4]), _text(r[5]), r[6], r[7])
        for r in cur.execute(
            "SELECT as_of, revenue, orders, cost_to_serve, first_order, last_order, currency, "
            "batch_id FROM financial_snapshot WHERE member_id = ? ORDER BY as_of DESC, id DESC",
            (member_id,))
    )
    return MemberHistory(
        member_id=member_id,
        name=display_name(profile["first_name"], profile["last_name"], profile["email"],
                          member_id),
        profile=profile,
        snapshots=snapshots,
        responses=_responses(cur, member_id),
        runs=_runs(cur, member_id),
        referrals_out=_links(cur, "referrer_id", "referred_id", "referred_key", member_id),
        referrals_in=_links(cur, "referred_id", "referrer_id", "referrer_key", member_id),
        engagement=_engagement(cur, member_id),
    )


def _responses(cur: sqlite3.Cursor, member_id: int) -> tuple[ResponseRecord, ...]:
    heads = cur.execute(
        "SELECT r.id, w.name, r.submitted_at, r.superseded, r.batch_id FROM response r "
        "JOIN survey_wave w ON w.id = r.wave_id WHERE r.member_id = ? "
        "ORDER BY r.submitted_at DESC, r.id DESC", (member_id,)).fetchall()
    out = []
    for response_id, wave, submitted, superseded, batch in heads:  # a member's few responses
        answers = tuple(
            AnswerRow(str(a[0]), None if a[1] is None else str(a[1]), a[2])
            for a in cur.execute(
                "SELECT item_id, raw, value FROM answer WHERE response_id = ? ORDER BY id",
                (response_id,))
        )
        out.append(ResponseRecord(int(response_id), str(wave), _text(submitted),
                                  bool(superseded), int(batch), answers))
    return tuple(out)


def _runs(cur: sqlite3.Cursor, member_id: int) -> tuple[RunScore, ...]:
    rows = cur.execute(
        "SELECT s.run_id, r.created_at, r.summary_json, s.knowledge, s.participation, s.reach, "
        "s.social, s.financial, s.network_value, s.segment, s.stability, s.receipt_json "
        # One key lookup per run: member_score is keyed by (run_id, member_id).
        "FROM score_run r CROSS JOIN member_score s ON s.run_id = r.id WHERE s.member_id = ? "
        "ORDER BY s.run_id", (member_id,)).fetchall()
    out = []
    for run_id, created, summary, *scores, segment, stab, receipt in rows:
        config = str(json.loads(summary).get("config", "")) if summary else ""
        response = json.loads(receipt).get("response") if receipt else None
        out.append(RunScore(int(run_id), _text(created) or "", config, *scores,
                            segment=str(segment), stability=stab,
                            response_id=None if response is None else int(response)))
    return tuple(out)


def _links(cur: sqlite3.Cursor, me: str, other: str, other_key: str,
           member_id: int) -> tuple[ReferralLink, ...]:
    rows = cur.execute(
        f"SELECT r.{other}, r.{other_key}, r.referred_at, m.first_name, m.last_name, m.email "
        f"FROM referral r LEFT JOIN member m ON m.id = r.{other} WHERE r.{me} = ? "
        f"ORDER BY r.referred_at, r.id", (member_id,)).fetchall()
    return tuple(
        ReferralLink(
            member_id=None if other_id is None else int(other_id),
            name=(display_name(first, last, email, other_id) if other_id is not None
                  else str(key or "unknown")),
            key=None if key is None else str(key),
            referred_at=_text(when),
        )
        for other_id, key, when, first, last, email in rows
    )


def _engagement(cur: sqlite3.Cursor, member_id: int) -> dict[str, object] | None:
    row = cur.execute(
        "SELECT as_of, rating, sends, opens, clicks, forwards FROM engagement "
        "WHERE member_id = ? ORDER BY as_of DESC, id DESC LIMIT 1", (member_id,)).fetchone()
    if row is None:
        return None
    return dict(zip(("as_of", "rating", "sends", "opens", "clicks", "forwards"),
                    (_text(row[0]), *row[1:]), strict=True))


def find_member(ws: Workspace, text: str) -> int | None:
    """The member a person typed: member number (external id), e-mail, referral code or id."""
    key = text.strip()
    if not key:
        return None
    with ws.engine.connect() as conn:
        for sql, value in (
            ("SELECT id FROM member WHERE external_id = ?", key),
            ("SELECT id FROM member WHERE email = ?", key.casefold()),
            ("SELECT id FROM member WHERE referral_code = ?", key),
            ("SELECT id FROM member WHERE id = ?", int(key) if key.isdigit() else None),
        ):
            if value is None:
                continue
            found = conn.exec_driver_sql(sql, (value,)).first()
            if found is not None:
                return int(found[0])
    return None
