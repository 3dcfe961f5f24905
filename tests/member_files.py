"""Writers of member-list files as real tools export them, with the awkward bits they contain.

Each writer takes a list of ``Person`` and a path, so a test can say what it expects to find.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

SHOPIFY_2022 = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing",
    "Default Address Company", "Default Address Address1", "Default Address Address2",
    "Default Address City", "Default Address Province Code", "Default Address Country Code",
    "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
    "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags",
]
SHOPIFY_LEGACY = [
    "First Name", "Last Name", "Email", "Company", "Address1", "Address2", "City", "Province",
    "Province Code", "Country", "Country Code", "Zip", "Phone", "Accepts Marketing",
    "Total Spent", "Total Orders", "Tags", "Note", "Tax Exempt",
]


@dataclass
class Person:
    id: str
    first: str
    last: str
    email: str
    spent: float
    orders: int
    city: str = "Utrecht"
    country: str = "NL"
    zip: str = "3511 AB"
    phone: str = "+31612345678"
    note: str = ""
    marketing: bool = True


PEOPLE = [
    Person("7012345678901", "Zoë", "de Vries", "Zoe.deVries@Example.nl ", 1234.5, 12),
    Person("7012345678902", "Łukasz", "Nowak", "lukasz@example.pl", 88.0, 2, "Kraków", "PL",
           "07028", "+48501234567", note="Called about order\nsecond line"),
    Person("7012345678903", "伟", "张", "zhang.wei@example.cn", 455.25, 5, "上海", "CN", "200000"),
    Person("7012345678904", "Nguyễn", "Thị Lan", "lan@example.vn", 0.0, 0, "Hà Nội", "VN"),
    Person("7012345678905", "Ahmed", "Yılmaz", "", 61.9, 1, "İzmir", "TR", "35000",
           "+905321234567"),  # SMS-only: no email
    Person("7012345678906", "Chloé", "Martin", "chloe@example.fr", 19.99, 1, "Paris", "FR",
           note='=HYPERLINK("http://evil.example","click")'),
]


def shopify_row(p: Person) -> list[str]:
    return [
        f"'{p.id}", p.first, p.last, p.email, "yes" if p.marketing else "no", "",
        "Oudegracht 1", "", p.city, "", p.country, f"'{p.zip}" if p.zip[0] == "0" else p.zip,
        f"'{p.phone}", f"'{p.phone}", "no", f"{p.spent:.2f}", str(p.orders), p.note, "no",
        "vip, newsletter" if p.spent > 400 else "newsletter",
    ]


def write_shopify(path: Path, people: list[Person], extra_rows: list[list[str]] = ()) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(SHOPIFY_2022)
        writer.writerows(shopify_row(p) for p in people)
        writer.writerows(extra_rows)
    return path


def write_shopify_legacy(path: Path, people: list[Person]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(SHOPIFY_LEGACY)
        for p in people:
            writer.writerow([
                p.first, p.last, p.email, "", "Oudegracht 1", "", p.city, "", "", p.country,
                p.country, p.zip, f"'{p.phone}", "yes", f"{p.spent:.2f}", p.orders, "", p.note,
                "no",
            ])
    return path


def write_square(path: Path, people: list[Person]) -> Path:
    header = [
        "Reference ID", "First Name", "Last Name", "Email Address", "Phone Number", "Nickname",
        "Company Name", "Street Address 1", "Street Address 2", "City", "State", "Postal Code",
        "Birthday", "Memo", "Square Customer ID", "Creation Source", "First Visit",
        "Last Visit", "Transaction Count", "Lifetime Spend",
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i, p in enumerate(people):
            writer.writerow([
                "", p.first, p.last, p.email, p.phone, "", "", "", "", p.city, "", p.zip,
                "0000-03-05" if i % 2 else "1980-03-05", "", f"SQ{p.id[-6:]}", "Directory",
                f"{i % 12 + 1}/{i % 28 + 1}/2023", f"{i % 12 + 1}/{i % 27 + 2}/2024", p.orders,
                f"${p.spent:,.2f}",
            ])
    return path


def write_hubspot(path: Path, people: list[Person]) -> Path:
    header = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner",
              "Create Date", "Lifecycle Stage", "Total Revenue"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        for p in people:
            writer.writerow([p.id[-5:], p.first, p.last, p.email, p.phone, "Sam Sales",
                             "2024-01-15 10:22", "customer", "" if p.orders == 0 else p.spent])
    return path


def write_mailchimp(path: Path, people: list[Person]) -> Path:
    header = [
        "Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday",
        "MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP", "LATITUDE",
        "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION", "LAST_CHANGED", "LEID",
        "EUID", "NOTES", "TAGS",
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i, p in enumerate(people):
            if not p.email:
                continue
            writer.writerow([
                p.email, p.first, p.last, "", p.phone, "03/05", i % 5 + 1,
                "2023-04-01 10:00:00", "", "2023-04-01 10:05:00", "", "", "", "", "", "",
                p.country, "", "2024-05-01 09:00:00", 1000 + i, f"e{i}", "", '"Newsletter"',
            ])
    return path


def write_woocommerce(path: Path, people: list[Person]) -> Path:
    header = ["Name", "Username", "Last active", "Date registered", "Email", "Orders",
              "Total spend", "AOV", "Country / Region", "City", "Region", "Postal code"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for p in people:
            if not p.email:
                continue
            aov = p.spent / p.orders if p.orders else 0
            writer.writerow([f"{p.first} {p.last}", p.first.lower(), "2024-10-01",
                             "2022-02-14", p.email, p.orders, f"{p.spent:.2f}", f"{aov:.2f}",
                             p.country, p.city, "", p.zip])
    return path


def write_european(path: Path, people: list[Person], encoding: str = "cp1252") -> Path:
    """Excel 'CSV' saved in a German/Dutch locale: ';', decimal comma, day-first dates."""
    header = ["Kundennummer", "Vorname", "Nachname", "E-Mail", "Umsatz", "Bestellungen",
              "Kunde seit"]
    with path.open("w", newline="", encoding=encoding, errors="replace") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        for i, p in enumerate(people):
            amount = f"{p.spent:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
            writer.writerow([p.id, p.first, p.last, p.email, f"{amount} €", p.orders,
                             f"{(i % 28) + 1:02d}.{(i % 12) + 1:02d}.2023"])
    return path


def write_unicode_text(path: Path, people: list[Person]) -> Path:
    """Excel's 'Unicode Text': UTF-16 with BOM, tab-separated, CRLF."""
    lines = ["Member ID\tName\tEmail\tRevenue\tOrders"]
    lines += [f"{p.id}\t{p.first} {p.last}\t{p.email}\t{p.spent}\t{p.orders}" for p in people]
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    return path


def write_xlsx_with_title(path: Path, people: list[Person]) -> Path:
    """A hand-made sheet: title and notes above the header, a Total row with a formula below."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Members"
    ws["A1"] = "Bean & Co. loyalty members"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:E1")
    ws["A2"] = "Exported 2024-11-01 by Anna"
    ws.append([])
    ws.append(["Member no.", "Full name", "E-mail", "Revenue", "Orders"])
    for p in people:
        ws.append([int(p.id), f"{p.first} {p.last}", p.email or None, p.spent, p.orders])
    last = ws.max_row
    ws.append(["Total", None, None, f"=SUM(D5:D{last})", f"=SUM(E5:E{last})"])
    wb.save(path)
    return path
