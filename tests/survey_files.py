"""Writers of survey exports as the tools lay them out, all answering the standard questionnaire.

Every writer takes the same respondents (``RESPONDENTS``: sloppy answers on purpose — blanks,
``about 200``, ``51-150``, ``lots``, an option label with a comma, an e-mail in capitals, a member
id with Excel's apostrophe, an unknown e-mail, someone who answered twice, someone who declined
linking, an all-blank row) and writes them the way one tool does, so one checker
(``tests.test_import_survey.check_standard``) can say where each answer must land.
The forms were built with the category word "coffee"; the test workspace says "products".
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from survey import questionnaire as q
from survey.demo_survey import google_timestamp

CATEGORY = "coffee"
ITEMS = [it for it in q.QUESTIONNAIRE if it.id != "member_id"]
NETWORK_LABELS = [n.label for n in q.NETWORKS]


@dataclass
class Respondent:
    member_id: str  # as the hidden field holds it ("" when not pre-filled)
    email: str
    when: datetime
    answers: dict[str, str | list[str]] = field(default_factory=dict)


def _r(member_id: str, email: str, when: str, **answers: str | list[str]) -> Respondent:
    return Respondent(member_id, email, datetime.fromisoformat(when), dict(answers))


RESPONDENTS = [
    # Zoë (member 7012345678901), by pre-filled id with Excel's apostrophe; superseded later.
    _r("'7012345678901", "zoe.devries@example.nl", "2026-10-06 09:00:00",
       consent="Yes", k_expertise="Strongly agree", k_interest="Agree", k_years="3–5 years",
       p_reviews="Weekly", p_photos="Never",
       c_networks=["Facebook", "Instagram", "Clubs, societies or teams"],
       c_instagram_close="Close", c_instagram_public="Mostly public",
       r_instagram="about 200", r_facebook="51-150", r_clubs="1,200", nps="9",
       age_band="35–44"),
    # Łukasz, by e-mail only: "lots" cannot be read.
    _r("", "lukasz@example.pl", "2026-10-07 12:30:00",
       consent="Yes", k_expertise="Disagree", p_reviews="Daily",
       c_networks=["WhatsApp", "Family and friends"], r_whatsapp="200+", r_family="1.2k",
       r_facebook="lots", nps="10", age_band="Prefer not to say"),
    # Someone the member list does not know.
    _r("", "stranger@example.com", "2026-10-08 20:15:00",
       consent="Yes", k_expertise="Neither agree nor disagree", r_x="more than 500"),
    # Zoë again, later, typing her e-mail in capitals: this answer counts.
    _r("", "ZOE.deVries@Example.nl ", "2026-10-09 08:00:00",
       consent="Yes", k_expertise="Somewhat agree", p_reviews="Monthly",
       c_networks=["Instagram"], r_instagram="51–150", nps="8"),
    # 张 (member 7012345678903) said no to linking answers to the membership.
    _r("7012345678903", "zhang.wei@example.cn", "2026-10-10 18:45:00",
       consent="No", k_expertise="Agree"),
    # All blank but the time: rejected.
    _r("", "", "2026-10-11 10:00:00"),
]


def answer(r: Respondent, item_id: str) -> str | list[str]:
    return r.answers.get(item_id, [] if q.item(item_id).kind == "multi" else "")


def _csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", quote_all: bool = False,
         bom: bool = False, crlf: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n",
                   quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL).writerows(rows)
    return path


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _bare(member_id: str) -> str:
    return member_id.lstrip("'")


# -- Google Forms / Sheets ---------------------------------------------------------------------
def write_google_forms(path: Path, *, sheets: bool = False, duplicate: bool = True) -> Path:
    """Forms' CSV (``;`` joins, GMT stamps, all quoted) or a linked Sheet's (``, ``, locale)."""
    header = ["Timestamp", "Email address", *(it.header(CATEGORY) for it in q.QUESTIONNAIRE)]
    rows = [header]
    for r in RESPONDENTS:
        stamp = r.when.strftime("%d/%m/%Y %H:%M:%S") if sheets else google_timestamp(r.when)
        cells = [stamp, r.email]
        for it in q.QUESTIONNAIRE:
            value = r.member_id if it.id == "member_id" else answer(r, it.id)
            joiner = ", " if sheets else ";"
            cells.append(joiner.join(value) if isinstance(value, list) else value)
        rows.append(cells)
    if duplicate:
        rows.append(list(rows[2]))  # the same response pasted twice
    return _csv(path, rows, quote_all=not sheets, crlf=not sheets)


# -- Microsoft Forms (XLSX) --------------------------------------------------------------------
def write_microsoft_forms(path: Path) -> Path:
    """Likert rows headed by their statement alone, other questions by their wording."""

    def head(it: q.Item) -> str:
        if it.component == "knowledge" and it.row:
            return it.row_label(CATEGORY)  # type: ignore[return-value]
        return it.text(CATEGORY)

    rows: list[list[object]] = [["ID", "Start time", "Completion time", "Email", "Name",
                                 "Last modified time", "Member number", *map(head, ITEMS)]]
    for n, r in enumerate(RESPONDENTS, start=1):
        cells: list[object] = [n, r.when, r.when, r.email, "", None, _bare(r.member_id)]
        for it in ITEMS:
            value = answer(r, it.id)
            cells.append("".join(f"{v};" for v in value) if isinstance(value, list) else value)
        rows.append(cells)
    return _xlsx(path, rows)


# -- SurveyMonkey (two header rows) ------------------------------------------------------------
def _monkey_columns() -> list[tuple[str, str, str, str | None]]:
    """(row 1, row 2, item id, option label) per question column, grids as matrices."""
    cols: list[tuple[str, str, str, str | None]] = []
    done: set[str] = set()
    for it in ITEMS:
        if it.grid is not None:
            title = it.grid.title.format(category=CATEGORY)
            cols.append(("" if it.grid.id in done else title, it.row_label(CATEGORY), it.id, None))
            done.add(it.grid.id)
        elif it.kind == "multi":
            for i, opt in enumerate(it.options):
                cols.append((it.text(CATEGORY) if i == 0 else "", opt.label, it.id, opt.label))
            cols.append(("", "Other (please specify)", it.id, "Other"))
        else:
            cols.append((it.text(CATEGORY), "Response", it.id, None))
    return cols


def write_surveymonkey(path: Path, *, xlsx: bool = False) -> Path:
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
            "Email Address", "First Name", "Last Name", "Custom Data 1"]
    cols = _monkey_columns()
    rows: list[list[object]] = [
        meta + [c[0] for c in cols],
        [""] * len(meta) + [c[1] for c in cols],
    ]
    for n, r in enumerate(RESPONDENTS):
        stamp = r.when.strftime("%m/%d/%Y %I:%M:%S %p")
        cells: list[object] = [str(11800000000 + n), "431234567", stamp, stamp, "203.0.113.7",
                               r.email, "", "", _bare(r.member_id)]
        for _, _, item_id, option in cols:
            value = answer(r, item_id)
            if option is not None:
                cells.append(option if option in value else "")
            else:
                cells.append(value)
        rows.append(cells)
    return _xlsx(path, rows) if xlsx else _csv(path, rows)  # type: ignore[arg-type]


# -- Qualtrics (three header rows; legacy two) -------------------------------------------------
QUALTRICS_META = ["StartDate", "EndDate", "Status", "IPAddress", "Progress",
                  "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId",
                  "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                  "ExternalReference", "LocationLatitude", "LocationLongitude",
                  "DistributionChannel", "UserLanguage"]


def write_qualtrics(path: Path, *, legacy: bool = False) -> Path:
    """Agreement answers as numeric recodes (1–7); networks split into 1/blank columns."""
    ids, labels, imports, columns = [], [], [], []
    for n, it in enumerate(ITEMS, start=1):
        text = it.header(CATEGORY).replace(" [", " - ").rstrip("]")
        if it.kind == "multi" and not legacy:
            for i, opt in enumerate(it.options, start=1):
                ids.append(f"Q{n}_{i}")
                labels.append(f"{it.text(CATEGORY)} - {opt.label}")
                imports.append(json.dumps({"ImportId": f"QID{n + 40}", "choiceId": str(i)}))
                columns.append((it.id, opt.label))
            continue
        ids.append(f"Q{n}")
        labels.append(text)
        imports.append(json.dumps({"ImportId": f"QID{n + 40}"}))
        columns.append((it.id, None))
        if it.id == "nps":
            ids.append(f"Q{n}_NPS_GROUP")
            labels.append(text)
            imports.append(json.dumps({"ImportId": f"QID{n + 40}_NPS_GROUP"}))
            columns.append(("nps_group", None))
    agree = {o.label: str(int(o.value)) for o in q.AGREE}  # type: ignore[arg-type]
    body = []
    for n, r in enumerate(RESPONDENTS):
        stamp = r.when.strftime("%Y-%m-%d %H:%M:%S")
        meta = [stamp, stamp, "IP Address", "203.0.113.9", "100", "312", "True", stamp,
                f"R_{n:04d}abcdEFGH", "", "", r.email, _bare(r.member_id), "", "",
                "anonymous", "EN"]
        if legacy:
            meta = [f"R_{n:04d}abcdEFGH", "Default Response Set", "", _bare(r.member_id),
                    r.email, "203.0.113.9", "0", stamp, stamp, "1"]
        cells = list(meta)
        for item_id, option in columns:
            if item_id == "nps_group":
                nps = answer(r, "nps")
                cells.append("" if not nps else "Promoter" if int(nps) >= 9 else "Passive")
                continue
            value = answer(r, item_id)
            if option is not None:
                cells.append("1" if option in value else "")
            elif isinstance(value, list):
                cells.append(",".join(value))
            else:
                cells.append(agree.get(value, value) if item_id.startswith("k_") else value)
        body.append(cells)
    if legacy:
        head = [f"V{i}" for i in range(1, 11)]
        names = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress",
                 "IPAddress", "Status", "StartDate", "EndDate", "Finished"]
        return _csv(path, [head + ids, names + labels, *body])
    header3 = [json.dumps({"ImportId": m[0].lower() + m[1:]}) for m in QUALTRICS_META]
    return _csv(path, [QUALTRICS_META + ids, QUALTRICS_META + labels, header3 + imports, *body],
                bom=True)


# -- LimeSurvey (codes; read through a mapping file) -------------------------------------------
def _lime_code(it: q.Item, n: int) -> str:
    if it.component == "knowledge" and it.row:
        return f"KNOW[SQ{n:03d}]"
    if it.component == "participation":
        return f"FREQ[SQ{n:03d}]"
    return {"consent": "AGREED", "k_years": "YEARS", "nps": "RECOMMEND", "age_band": "AGE"}.get(
        it.id, it.id.upper().replace("_", "")
    )


LIMESURVEY_MAPPING = """\
# LimeSurvey codes of our "Coffee club 2026" survey
[columns]
"MEMBER" = "member_id"
"AGREED" = "consent"
"KNOW[SQ001]" = "k_expertise"
"KNOW[SQ002]" = "k_interest"
"YEARS" = "k_years"
"FREQ[SQ002]" = "reviews"
"FREQ[SQ003]" = "p_photos"
"NET" = "c_networks"
"CINSTAGRAMCLOSE" = "c_instagram_close"
"RINSTAGRAM" = "r_instagram"
"RFACEBOOK" = "r_facebook"
"RCLUBS" = "r_clubs"
"RWHATSAPP" = "r_whatsapp"
"RFAMILY" = "r_family"
"RX" = "r_x"
"RECOMMEND" = "nps"
"AGE" = "age_band"

[values."k_*"]
"AO01" = 1
"AO02" = 2
"AO03" = 3
"AO04" = 4
"AO05" = "Somewhat agree"
"AO06" = "Agree"
"AO07" = 7

[values.c_networks]
"SQ001" = "facebook"
"SQ002" = "Instagram"
"SQ007" = "whatsapp"
"SQ010" = "Clubs, societies or teams"
"SQ013" = "family"
"""


def write_limesurvey(path: Path) -> Path:
    """``;``-separated, BOM, all quoted, CRLF; answers to the agreement grid as codes."""
    agree = {o.label: f"AO{i:02d}" for i, o in enumerate(q.AGREE, start=1)}
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "email", "MEMBER"]
    cols: list[tuple[str, str, str | None]] = []
    for it in ITEMS:
        if it.kind == "multi":
            cols += [(f"NET[SQ{i:03d}]", it.id, o.label) for i, o in enumerate(it.options, 1)]
            cols.append(("NET[other]", it.id, "other"))
            continue
        group = q.items_for(it.component)
        cols.append((_lime_code(it, [g.id for g in group].index(it.id) + 1), it.id, None))
    rows = [header + [c[0] for c in cols]]
    for n, r in enumerate(RESPONDENTS, start=1):
        cells = [str(n), r.when.strftime("%Y-%m-%d %H:%M:%S"), "6", "en", str(1000 + n), "",
                 r.email, _bare(r.member_id)]
        for _, item_id, option in cols:
            value = answer(r, item_id)
            if option is not None:
                cells.append("Y" if option in value else "")
            elif item_id == "consent":
                cells.append({"Yes": "Y", "No": "N"}.get(value, ""))  # type: ignore[arg-type]
            else:
                cells.append(agree.get(value, value) if item_id.startswith("k_") else value)
        rows.append(cells)
    return _csv(path, rows, delimiter=";", quote_all=True, bom=True, crlf=True)


# -- Typeform ----------------------------------------------------------------------------------
def write_typeform(path: Path) -> Path:
    """``#`` token; one column per network option (label only) plus Other; yes/no as 1/0;
    hidden fields; trailing metadata; newest first."""
    cols: list[tuple[str, str, str | None]] = []
    for it in ITEMS:
        if it.kind == "multi":
            cols += [(o.label, it.id, o.label) for o in it.options] + [("Other", it.id, "Other")]
        else:
            cols.append((it.text(CATEGORY), it.id, None))
    tail = ["member_id", "email", "Response Type", "Start Date (UTC)", "Stage Date (UTC)",
            "Submit Date (UTC)", "Network ID", "Tags"]
    rows = [["#", *(c[0] for c in cols), *tail]]
    for n, r in reversed(list(enumerate(RESPONDENTS))):
        cells = [f"tok{n:03d}xyz"]
        for _, item_id, option in cols:
            value = answer(r, item_id)
            if option is not None:
                cells.append(option if option in value else "")
            elif item_id == "consent":
                cells.append({"Yes": "1", "No": "0"}.get(value, ""))  # type: ignore[arg-type]
            else:
                cells.append(value)  # type: ignore[arg-type]
        stamp = r.when.strftime("%Y-%m-%d %H:%M:%S")
        cells += [_bare(r.member_id), r.email, "completed", stamp, "", stamp, "a1b2c3", ""]
        rows.append(cells)
    return _csv(path, rows)


# -- KoboToolbox / ODK Central -----------------------------------------------------------------
def _choice_name(label: str) -> str:
    """XLSForm choice names: letters, digits, underscores, not starting with a digit."""
    name = "_".join(label.casefold().replace(",", "").replace("–", "_").replace("-", "_").split())
    return f"opt_{name}" if name[:1].isdigit() else name


KOBO_MAPPING = """[values.k_years]
"opt_3_5_years" = "3–5 years"

[values.age_band]
"opt_35_44" = "35–44"
"""


def write_kobo(path: Path, *, odk: bool = False) -> Path:
    """XLSForm names in group paths; select_one cells hold choice names; select_multiple a
    space-joined column plus ``question/choice`` 1/0 columns (Kobo only)."""
    sep = "-" if odk else "/"
    codes = [o.code for o in q.item("c_networks").options]
    head = ["SubmissionDate", "start", "end"] if odk else ["start", "end", "today"]
    cols: list[tuple[str, str, str | None]] = [
        (f"grp_id{sep}member_id", "member_id", None), (f"grp_id{sep}email", "email", None)
    ]
    for it in ITEMS:
        cols.append((f"grp_{it.component}{sep}{it.id}", it.id, None))
        if it.kind == "multi" and not odk:
            cols += [(f"grp_{it.component}{sep}{it.id}{sep}{c}", it.id, c) for c in codes]
    tail = (["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
             "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
            if odk else ["_id", "_uuid", "_submission_time", "_validation_status", "_notes",
                         "_status", "_submitted_by", "__version__", "_tags", "_index"])
    rows = [head + [c[0] for c in cols] + tail]
    by_label = {o.label: o.code for o in q.item("c_networks").options}
    for n, r in enumerate(RESPONDENTS, start=1):
        stamp = r.when.strftime("%Y-%m-%dT%H:%M:%S.000+02:00")
        cells = ([stamp, stamp, stamp] if odk else [stamp, stamp, r.when.date().isoformat()])
        for _, item_id, code in cols:
            if item_id in ("member_id", "email"):
                cells.append(_bare(r.member_id) if item_id == "member_id" else r.email)
                continue
            value = answer(r, item_id)
            if code is not None:
                cells.append("1" if code in [by_label[v] for v in value] else "0")
            elif isinstance(value, list):
                cells.append(" ".join(by_label[v] for v in value))  # type: ignore[misc]
            elif q.item(item_id).kind in ("count", "number", "text") or item_id == "nps":
                cells.append(value)
            else:
                cells.append(_choice_name(value))
        uuid = f"{n:08d}-aaaa-bbbb-cccc-{n:012d}"
        cells += ([f"uuid:{uuid}", f"uuid:{uuid}", "5", "enumerator", "0", "0", "", "", "",
                   "0", "v1"] if odk else
                  [str(n), uuid, r.when.strftime("%Y-%m-%dT%H:%M:%S"), "", "", "submitted_via_web",
                   "", "vAbCd", "", str(n)])
        rows.append(cells)
    return _csv(path, rows, delimiter="," if odk else ";", quote_all=not odk, crlf=True)


# -- A plain sheet -----------------------------------------------------------------------------
def write_plain(path: Path) -> Path:
    """Hand-made XLSX: a title row, item ids as headers, the id typed as a number."""
    rows: list[list[object]] = [["Coffee club survey, typed in from paper"], []]
    rows.append(["Member", "E-mail", "Date", *(it.id for it in ITEMS)])
    for r in RESPONDENTS:
        bare = _bare(r.member_id)
        cells: list[object] = [int(bare) if bare else None, r.email.strip(), r.when]
        for it in ITEMS:
            value = answer(r, it.id)
            cells.append("; ".join(value) if isinstance(value, list) else value or None)
        rows.append(cells)
    return _xlsx(path, rows)
