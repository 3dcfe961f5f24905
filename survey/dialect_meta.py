"""The columns survey tools add around the answers: which to use and which to leave.

Each tool writes its own metadata (response ids, IP addresses, durations, locations); those are
dropped without a warning. Three roles are used: the submission time (orders a member's repeated
answers and names the wave), the respondent's e-mail and the member id (both match the response
to a member). Names here are compared after ``casefold()`` and whitespace collapsing.
"""

from __future__ import annotations

import re

TIMESTAMP = "submitted_at"
EMAIL = "email"
MEMBER_ID = "member_id"
ROLES = (TIMESTAMP, EMAIL, MEMBER_ID)

# Per dialect: header -> role, or None for metadata that is dropped.
_G = {"timestamp": TIMESTAMP, "tijdstempel": TIMESTAMP, "marca temporal": TIMESTAMP,
      "zeitstempel": TIMESTAMP, "horodateur": TIMESTAMP, "horodatage": TIMESTAMP,
      "carimbo de data/hora": TIMESTAMP, "informazioni cronologiche": TIMESTAMP,
      "email address": EMAIL, "e-mailadres": EMAIL, "score": None}  # fmt: skip
DIALECT_META: dict[str, dict[str, str | None]] = {
    "google-forms": _G,
    "google-sheets": _G,
    "microsoft-forms": {
        "id": None, "start time": None, "completion time": TIMESTAMP, "email": EMAIL,
        "name": None, "last modified time": None, "total points": None, "quiz feedback": None,
    },
    "surveymonkey": {
        "respondent id": None, "collector id": None, "start date": None, "end date": TIMESTAMP,
        "ip address": None, "email address": EMAIL, "first name": None, "last name": None,
        "custom data 1": MEMBER_ID, "custom data": MEMBER_ID,
    },
    "qualtrics": {
        "startdate": None, "enddate": None, "status": None, "ipaddress": None, "progress": None,
        "duration (in seconds)": None, "finished": None, "recordeddate": TIMESTAMP,
        "responseid": None, "recipientlastname": None, "recipientfirstname": None,
        "recipientemail": EMAIL, "externalreference": MEMBER_ID,
        "externaldatareference": MEMBER_ID, "locationlatitude": None, "locationlongitude": None,
        "distributionchannel": None, "userlanguage": None,
        # legacy (two-row) exports: V1..V10 carry these labels in row 2
        "responseset": None, "name": None, "emailaddress": EMAIL,
    },
    "limesurvey": {
        "id": None, "submitdate": TIMESTAMP, "lastpage": None, "startlanguage": None,
        "seed": None, "token": None, "startdate": None, "datestamp": None, "ipaddr": None,
        "refurl": None, "interviewtime": None, "response id": None, "date submitted": TIMESTAMP,
        "last page": None, "start language": None, "date started": None,
        "date last action": None, "ip address": None, "referrer url": None, "email": EMAIL,
        "email address": EMAIL,
    },
    "typeform": {
        "#": None, "response type": None, "start date (utc)": None, "stage date (utc)": None,
        "submit date (utc)": TIMESTAMP, "network id": None, "tags": None, "ending": None,
        "score": None,
    },
    "kobo": {
        "start": None, "end": None, "today": None, "deviceid": None, "subscriberid": None,
        "simserial": None, "phonenumber": None, "username": None, "audit": None,
        "_submission_time": TIMESTAMP, "__version__": None,
    },
    "odk": {
        "submissiondate": TIMESTAMP, "meta-instanceid": None, "key": None,
        "submitterid": None, "submittername": None, "attachmentspresent": None,
        "attachmentsexpected": None, "status": None, "reviewstate": None, "deviceid": None,
        "edits": None, "formversion": None, "start": None, "end": None, "today": None,
    },
    "plain": {},
}  # fmt: skip
# Legacy exports have no RecordedDate: the end of the response is its time.
DIALECT_META["qualtrics-legacy"] = {**DIALECT_META["qualtrics"], "enddate": TIMESTAMP}

# Columns any dialect may carry (hidden fields, hand-made sheets), by role.
GENERIC: dict[str, str | None] = {
    **{k: TIMESTAMP for k in (
        "timestamp", "submitted", "submitted at", "submitted on", "submission date",
        "submission time", "date submitted", "response date", "completed", "completed at",
        "completion time", "submit date", "date", "datum", "end date", "enddate",
    )},
    **{k: EMAIL for k in (
        "email", "e-mail", "email address", "e-mail address", "emailaddress", "recipientemail",
        "recipient email", "respondent email", "your email", "your email address",
        "what is your email address", "what is your email address?", "mail", "e-mailadres",
    )},
    **{k: MEMBER_ID for k in (
        "member_id", "member id", "memberid", "member", "member number", "member no", "member no.",
        "member #", "membership number", "membership id", "membership no", "customer id",
        "customer_id", "customer number", "customer no", "loyalty id", "loyalty number",
        "card number", "loyalty card number", "external id", "external_id",
        "externalreference", "external reference", "externaldatareference", "lidnummer",
        "klantnummer", "mitgliedsnummer",
    )},
}  # fmt: skip

_KOBO_META = re.compile(r"^_|^(?:meta|formhub)/|^__version__$")
_QUALTRICS_META = re.compile(r"^q_|_nps_group$|^duration", re.IGNORECASE)
_LIME_TIMINGS = re.compile(r"^(?:interviewtime|grouptime\d+|[a-z]\w*time)$", re.IGNORECASE)
_QUIZ = re.compile(r"^(?:points|feedback) - ", re.IGNORECASE)


def name_key(header: str) -> str:
    return " ".join(header.casefold().split())


def role_of(dialect: str, header: str) -> tuple[bool, str | None]:
    """(is the tool's own column, its role) for a header in this dialect's export."""
    key = name_key(header)
    table = DIALECT_META.get(dialect, {})
    if key in table:
        return True, table[key]
    if dialect == "kobo" and _KOBO_META.search(key):
        return True, None
    if dialect.startswith("qualtrics") and _QUALTRICS_META.search(key):
        return True, None
    if dialect == "limesurvey" and _LIME_TIMINGS.match(key):
        return True, None
    if dialect == "microsoft-forms" and _QUIZ.match(key):
        return True, None
    return False, None


_COPY = re.compile(r"\s*\(\d+\)$")  # "email (2)": the reader's name for a repeated header


def generic_role(header: str) -> str | None:
    """The role a column of any export has by its name alone (hidden fields, plain sheets)."""
    key = name_key(header)
    return GENERIC.get(key, GENERIC.get(_COPY.sub("", key)))
