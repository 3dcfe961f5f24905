"""Referrals and e-mail engagement imports, and the demo importing all four of its files."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from app.demo import build_demo
from scorecard.batches import undo_batch
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace
from survey.demo import MAILCHIMP_HEADER, REFERRAL_HEADER
from survey.engagement import import_engagement
from survey.members import import_members
from survey.referrals import import_referrals
from tests import member_files as mf

ZOE, LUKASZ, ZHANG, LAN = "7012345678901", "7012345678902", "7012345678903", "7012345678904"


@pytest.fixture
def members(workspace: Workspace, tmp_path: Path) -> Workspace:
    import_members(workspace, mf.write_shopify(tmp_path / "customers.csv", mf.PEOPLE))
    return workspace


def write(path: Path, header: list[str] | tuple[str, ...], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([list(header), *rows])
    return path


def links(ws: Workspace) -> list[tuple[object, ...]]:
    with ws.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT a.external_id, b.external_id, r.referrer_key, r.referred_key, r.referred_at "
            "FROM referral r LEFT JOIN member a ON a.id = r.referrer_id "
            "LEFT JOIN member b ON b.id = r.referred_id ORDER BY r.id"
        ).all()]


def referral_row(
    when: str, advocate: str, friend: str, status: str = "Approved", code: str = "ZOE4K2X"
) -> list[str]:
    return [when, "Someone", advocate, code, "Friend", friend, "#4101", "28.50", "EUR", status]


def test_referral_report_links_members_and_waits_for_new_ones(
    members: Workspace, tmp_path: Path
) -> None:
    path = write(tmp_path / "referrals.csv", REFERRAL_HEADER, [
        referral_row("2026-03-02 10:00:00", "Zoe.deVries@example.nl", "lukasz@example.pl"),
        referral_row("2026-04-11 09:30:00", "zoe.devries@example.nl", "lukasz@example.pl"),
        referral_row("2026-05-01 12:00:00", "zoe.devries@example.nl", "newfriend@example.org"),
        referral_row("2026-05-02 12:00:00", "lan@example.vn", "lan@example.vn"),
        referral_row("2026-05-03 12:00:00", "zhang.wei@example.cn", "chloe@example.fr",
                     "Cancelled"),
        referral_row("2026-05-04 12:00:00", "", "chloe@example.fr", code=""),
        referral_row("someday", "zhang.wei@example.cn", "chloe@example.fr"),
    ])  # fmt: skip
    result = import_referrals(members, path)
    assert (result.dialect, result.rows, result.inserted) == ("referrals", 7, 2)
    assert (result.rejected, result.unmatched) == (4, 1)
    assert links(members) == [
        (ZOE, LUKASZ, "zoe.devries@example.nl", "lukasz@example.pl", "2026-03-02"),
        (ZOE, None, "zoe.devries@example.nl", "newfriend@example.org", "2026-05-01"),
    ]
    assert any("repeat a referral" in w for w in result.warnings)
    with members.engine.connect() as conn:
        reasons = dict(conn.exec_driver_sql(
            "SELECT row_number, reasons FROM rejected_row WHERE batch_id = ?", (result.batch,)
        ).all())
    assert "same member" in reasons[5] and "'cancelled'" in reasons[6]
    assert "no referrer" in reasons[7] and "Referral Date" in reasons[8]
    # The friend joins; the next member import matches the waiting referral.
    newer = [*mf.PEOPLE, mf.Person("7012345678907", "New", "Friend", "newfriend@example.org",
                                   12.0, 1)]
    done = import_members(members, mf.write_shopify(tmp_path / "newer.csv", newer))
    assert any("1 referral link " in w for w in done.warnings)
    assert links(members)[1][1] == "7012345678907"
    # A newer report repeats the old links: nothing is recorded twice.
    again = import_referrals(members, path, again=True)
    assert again.inserted == 0 and any("already in the workspace" in w for w in again.warnings)
    undo_batch(members, result.batch)
    assert links(members) == []


def test_referrals_by_id_and_code_with_map(members: Workspace, tmp_path: Path) -> None:
    with members.engine.connect() as conn:
        conn.exec_driver_sql("UPDATE member SET referral_code = 'ZOE-10' WHERE external_id = ?",
                             (ZOE,))
        conn.commit()
    path = write(tmp_path / "smile.csv", ["Code used", "New customer ID", "Created"], [
        ["ZOE-10", f"'{LUKASZ}", "03/02/2026"],
        ["ZOE-10", LAN, "25/02/2026"],
    ])  # fmt: skip
    with pytest.raises(ScorecardError, match="referrer"):
        import_referrals(members, path)
    result = import_referrals(members, path, map_options=["Code used=referrer_code"])
    assert result.inserted == 2 and result.unmatched == 0
    assert [(a, b, when) for a, b, _, _, when in links(members)] == [
        (ZOE, LUKASZ, "2026-02-03"), (ZOE, LAN, "2026-02-25")]


def test_mailchimp_rating_and_activity_counts(members: Workspace, tmp_path: Path) -> None:
    def row(email: str, rating: str) -> list[str]:
        cells = dict.fromkeys(MAILCHIMP_HEADER, "")
        cells.update({"Email Address": email, "MEMBER_RATING": rating, "LEID": "123"})
        return list(cells.values())

    mailchimp = write(tmp_path / "subscribed.csv", MAILCHIMP_HEADER, [
        row("Zoe.deVries@example.nl", "4"), row("lukasz@example.pl", "2"),
        row("someone@else.org", "5"), row("lukasz@example.pl", "3"), row("lan@example.vn", "9"),
    ])  # fmt: skip
    result = import_engagement(members, mailchimp, as_of=date(2026, 11, 1))
    assert (result.dialect, result.inserted, result.unmatched, result.rejected) == (
        "mailchimp", 3, 1, 2)
    activity = write(tmp_path / "activity.csv", ["Customer ID", "Emails sent", "Opens", "Clicks",
                                                 "Forwards"], [
        [f"'{ZOE}", "12", "9", "4", "2"], [ZHANG, "12", "n/a", "0", ""],
    ])  # fmt: skip
    result = import_engagement(members, activity, as_of=date(2026, 11, 2))
    assert (result.dialect, result.inserted, result.rejected) == ("engagement", 2, 0)
    with members.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT m.external_id, e.as_of, e.rating, e.sends, e.opens, e.clicks, e.forwards "
            "FROM engagement e LEFT JOIN member m ON m.id = e.member_id ORDER BY e.id"
        ).all()
    assert [tuple(r) for r in rows] == [
        (ZOE, "2026-11-01", 4.0, None, None, None, None),
        (LUKASZ, "2026-11-01", 2.0, None, None, None, None),
        (None, "2026-11-01", 5.0, None, None, None, None),
        (ZOE, "2026-11-02", None, 12, 9, 4, 2),
        (ZHANG, "2026-11-02", None, 12, None, 0, None),
    ]


def test_demo_imports_survey_referrals_and_engagement(tmp_path: Path) -> None:
    result = build_demo(tmp_path / "demo", n_members=800)
    assert set(result.imports) == {"members", "survey", "referrals", "engagement"}
    survey = result.imports["survey"]
    assert survey.dialect == "google-forms" and survey.rejected == 0
    with Workspace.open(result.workspace) as ws, ws.engine.connect() as conn:
        answered, members = conn.exec_driver_sql(
            "SELECT (SELECT count(DISTINCT member_id) FROM response WHERE superseded = 0), "
            "(SELECT count(*) FROM member)"
        ).one()
        unread = conn.exec_driver_sql(
            "SELECT count(*) FROM answer WHERE value IS NULL AND item_id LIKE 'r\\_%' ESCAPE '\\'"
        ).scalar_one()
        referrals = conn.exec_driver_sql("SELECT count(referrer_id) FROM referral").scalar_one()
    assert 0.2 <= answered / members <= 0.3  # about a quarter answered (a few declined linking)
    assert unread > 0 and any("'lots'" in w for w in survey.warnings)
    assert referrals == result.imports["referrals"].inserted > 0
    assert result.imports["engagement"].inserted > 0
