"""Which member a survey response, referral or engagement record belongs to, set-based.

Rows name a person by member id (external id, Excel's apostrophe already stripped), by e-mail
(normalised: trimmed, lower-cased) or, for referrals, by referral code. Each statement probes
the member table's indexes once per unmatched row, so a re-match after importing a million
members costs in proportion to what is unmatched, not to the member list.

Unmatched rows keep the key they came with, so a later member import can match them:
``survey.members.import_members`` calls :func:`rematch_unmatched` inside its transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection

from scorecard.batches import refresh_superseded

_BY = {"id": "external_id", "email": "email", "code": "referral_code"}  # member's column


def match_column(
    conn: Connection, table: str, target: str, key: str, by: str, where: str = ""
) -> int:
    """Set ``table.target`` where it is NULL to the member whose id/email/code is ``key``.

    ``table`` and the column names are this package's own identifiers, never user input.
    """
    found = f"FROM member WHERE {_BY[by]} = {table}.{key}"
    # min(id): two members may share an e-mail (different customer ids); take the first.
    return conn.exec_driver_sql(
        f"UPDATE {table} SET {target} = (SELECT min(id) {found}) "
        f"WHERE {target} IS NULL AND {key} IS NOT NULL {where} AND EXISTS (SELECT 1 {found})"
    ).rowcount


def match_person(
    conn: Connection, table: str, target: str, key: str, *, by: tuple[str, ...], where: str = ""
) -> int:
    """Try each way of matching in turn (id first: a pre-filled member number beats an e-mail
    typed by hand); return how many rows found their member."""
    return sum(match_column(conn, table, target, key, way, where) for way in by)


def rematch_unmatched(conn: Connection, warnings: list[str] | None = None) -> int:
    """Match survey responses, referrals and engagement rows that had no member yet.

    Returns how many rows found a member; with ``warnings`` given, appends one line saying so.
    Responses that found a member may now supersede (or be superseded by) that member's other
    answers in the same wave, so the superseded flags of those waves are refreshed.
    """
    run = conn.exec_driver_sql
    pending = run(
        "SELECT (SELECT count(*) FROM response WHERE member_id IS NULL "
        "        AND (respondent_key IS NOT NULL OR respondent_email IS NOT NULL)),"
        " (SELECT count(*) FROM referral WHERE (referrer_id IS NULL AND referrer_key IS NOT NULL)"
        "        OR (referred_id IS NULL AND referred_key IS NOT NULL)),"
        " (SELECT count(*) FROM engagement WHERE member_id IS NULL AND member_key IS NOT NULL)"
    ).one()
    if not any(pending):
        return 0
    responses = referrals = engagement = 0
    if pending[0]:
        run("CREATE TEMP TABLE IF NOT EXISTS _rematched (id INTEGER PRIMARY KEY)")
        run("DELETE FROM temp._rematched")
        run(
            "INSERT INTO temp._rematched SELECT id FROM response WHERE member_id IS NULL "
            "AND (respondent_key IS NOT NULL OR respondent_email IS NOT NULL)"
        )
        responses = match_person(conn, "response", "member_id", "respondent_key", by=("id",))
        responses += match_column(conn, "response", "member_id", "respondent_email", "email")
        # Older rows (and hand-made files) may hold the e-mail in the key alone.
        responses += match_column(
            conn, "response", "member_id", "respondent_key", "email",
            "AND respondent_email IS NULL AND instr(respondent_key, '@') > 0",
        )  # fmt: skip
        if responses:
            waves = run(
                "SELECT DISTINCT wave_id FROM response WHERE member_id IS NOT NULL "
                "AND id IN (SELECT id FROM temp._rematched)"
            ).scalars().all()
            refresh_superseded(conn, waves)
        run("DROP TABLE temp._rematched")
    if pending[1]:
        for side in ("referrer", "referred"):
            referrals += match_person(
                conn, "referral", f"{side}_id", f"{side}_key", by=("id", "email", "code")
            )
    if pending[2]:
        engagement = match_person(
            conn, "engagement", "member_id", "member_key", by=("id", "email")
        )
    total = responses + referrals + engagement
    if total and warnings is not None:
        parts = [
            f"{n:,} {what}{'' if n == 1 else 's'}"
            for n, what in (
                (responses, "survey response"),
                (referrals, "referral link"),
                (engagement, "engagement record"),
            )
            if n
        ]
        warnings.append(
            "Matched " + ", ".join(parts) + " that had no member before this import"
        )
    return total
