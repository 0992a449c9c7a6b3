"""The malformed files the import routes and commands must refuse, by name.

Each is a realistic mistake or an attack: a spreadsheet saved in the wrong encoding, a
cell pasted full, a formula smuggled into a cell, an impossible date, a negative
figure, a generated file gone wrong, or something that is not a CSV at all.
"""

from __future__ import annotations

import csv as csv_module
import io

HEADER = (
    "participant_ref,target_groups,gender,birth_year,personnummer,placement_type,start,end,"
    "hours_per_week,days_per_week,employer_org_number,supervisor_trained,status"
)
EMPLOYER = "556033-4285"


def row(ref: str = "P-00001", start: str = "2016-04-04", end: str = "2016-05-27", hours: str = "24", **cells: str) -> str:
    values = {
        "participant_ref": ref, "target_groups": "newcomer", "gender": "female", "birth_year": "1990",
        "personnummer": "", "placement_type": "internship", "start": start, "end": end,
        "hours_per_week": hours, "days_per_week": "3", "employer_org_number": EMPLOYER,
        "supervisor_trained": "yes", "status": "completed", **cells,
    }
    line = io.StringIO()
    csv_module.writer(line, lineterminator="").writerow([values[name] for name in HEADER.split(",")])
    return line.getvalue()


def csv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


BAD_CSV: dict[str, bytes] = {
    "latin-1": csv(row(ref="P-Åsa")).encode("latin-1"),
    "utf-16": csv(row()).encode("utf-16"),
    "1 MB cell": csv(row(ref="P" + "x" * 1_000_000)).encode(),
    "formula cell": csv(row(ref='=HYPERLINK("http://x","y")')).encode(),
    "command formula cell": csv(row(ref="=cmd|' /C calc'!A0")).encode(),
    "30 February": csv(row(start="2016-02-30")).encode(),
    "negative hours": csv(row(hours="-8")).encode(),
    "10,000 columns": (HEADER + "," + ",".join(f"extra{i}" for i in range(10_000)) + "\n" + row() + "," * 10_000 + "\n").encode(),
    "empty file": b"",
    "header only": (HEADER + "\n").encode(),
    "binary junk": bytes(range(256)) * 8,
    "PNG": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
}


def toml(**contract: str) -> str:
    fields = {
        "reference": '"OH-2099-BAD"', "title": '"Bad input"', "buyer": '{ name = "Östersundshem AB", org_number = "556110-1816" }',
        "contractor": '{ name = "Skanska Sverige AB", org_number = "556033-4285" }', "value_sek": "1000000",
        "start": "2016-03-01", "end": "2018-06-30", **contract,
    }
    body = "\n".join(f"{key} = {value}" for key, value in fields.items())
    return f"[contract]\n{body}\n\n[[clause]]\ncode = \"K1\"\ntitle = \"Placements\"\nrule = \"placement_count\"\ntarget = 2\n"


BAD_TOML: dict[str, bytes] = {
    "latin-1": toml(title='"Åre"').encode("latin-1"),
    "utf-16": toml().encode("utf-16"),
    "1 MB title": toml(title='"' + "x" * 1_000_000 + '"').encode(),
    "30 February": toml(start="2016-02-30").encode(),
    "negative value": toml(value_sek="-5").encode(),
    "end before start": toml(end="2015-01-01").encode(),
    "10,000 keys": (toml() + "\n".join(f"extra{i} = 1" for i in range(10_000))).encode(),
    "not TOML": b"[contract\nreference = ",
    "empty file": b"",
    "binary junk": bytes(range(256)) * 8,
}
