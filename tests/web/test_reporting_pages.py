"""What contractors report through the pages, the buyer's review, and the auditor's
downloads and verification."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlmodel import Session, func, select

from web.conftest import csrf_token
from procure.storage.models import Participant, PeriodReport, Placement

GOOD_CSV = (
    "participant_ref,target_groups,gender,birth_year,placement_type,start,end,hours_per_week,days_per_week,status\n"
    "P-0101,newcomer,female,1991,internship,2016-04-04,2016-06-24,40,5,completed\n"
    "P-0102,unemployed_youth,male,1998,internship,2016-04-04,,40,5,active\n"
)
BAD_CSV = GOOD_CSV.replace("2016-06-24", "2016-02-30").replace(",40,5,active", ",400,5,active")


def field_error(html: str, field: str) -> str | None:
    found = re.search(rf'<span class="field-error" id="{re.escape(field)}-error">([^<]*)</span>', html)
    return found.group(1) if found else None


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_participant_form_names_problems_and_never_echoes_the_personal_number(signed_in, world, clean_database):
    client = signed_in("contractor")
    path = f"/contracts/{world.contract_id}"
    token = csrf_token(client, f"{path}/placements")
    response = client.post(f"{path}/participants", data={"_csrf_token": token, "ref": "P-0200", "birth_year": "nineteen",
                                                         "personal_number": "19121212-1213"})
    assert response.status_code == 422
    assert "nineteen" in field_error(response.text, "birth_year")
    assert "19121212" not in response.text and "1212-121" not in response.text
    assert count(clean_database, Participant) == 0
    bad_number = client.post(f"{path}/participants", data={"_csrf_token": token, "ref": "P-0200",
                                                           "personal_number": "19121212-1213"})
    assert bad_number.status_code == 422 and field_error(bad_number.text, "personal_number")
    assert "19121212" not in bad_number.text
    saved = client.post(f"{path}/participants", data={"_csrf_token": token, "ref": "P-0200", "gender": "female",
                                                      "target_groups": ["newcomer"], "personal_number": "19121212-1212"},
                        follow_redirects=False)
    assert saved.status_code == 303
    with Session(clean_database) as session:
        participant = session.exec(select(Participant)).one()
        assert participant.ref == "P-0200" and participant.identity_hash and participant.target_groups == ["newcomer"]


def test_the_buyer_sees_how_many_people_several_organisations_reported(signed_in, world):
    """Issue 12, finding 2: duplicates across organisations reach the buyer as a count without identities."""
    path = f"/contracts/{world.contract_id}"
    for name, ref in (("contractor", "P-0300"), ("subcontractor", "UE-0300")):
        client = signed_in(name)
        token = csrf_token(client, f"{path}/placements")
        saved = client.post(f"{path}/participants", data={"_csrf_token": token, "ref": ref, "personal_number": "19121212-1212"},
                            follow_redirects=False)
        assert saved.status_code == 303
    buyer_page = signed_in("buyer").get(f"{path}/placements").text
    contractor_page = signed_in("contractor").get(f"{path}/placements").text
    flag = re.search(r'data-testid="several-organisations">([^<]*)<', buyer_page)
    assert flag and flag.group(1).startswith("1 ")
    assert "P-0300" not in flag.group(1) and "UE-0300" not in flag.group(1)
    assert 'data-testid="several-organisations"' not in contractor_page


def test_placement_form_validates_next_to_the_fields(signed_in, world, clean_database):
    client = signed_in("contractor")
    path = f"/contracts/{world.contract_id}"
    token = csrf_token(client, f"{path}/placements")
    client.post(f"{path}/participants", data={"_csrf_token": token, "ref": "P-0300"})
    response = client.post(f"{path}/placements", data={"_csrf_token": token, "participant_ref": "P-0300",
                                                       "placement_type": "internship", "start": "2016-05-01",
                                                       "end": "2016-04-01", "hours_per_week": "forty"})
    assert response.status_code == 422
    assert "forty" in field_error(response.text, "hours_per_week")
    missing = client.post(f"{path}/placements", data={"_csrf_token": token, "participant_ref": "P-0300",
                                                      "placement_type": "internship", "start": "2016-05-01",
                                                      "end": "2016-04-01"})
    assert missing.status_code == 422 and "2016-04-01" in field_error(missing.text, "end")
    ok = client.post(f"{path}/placements", data={"_csrf_token": token, "participant_ref": "P-0300",
                                                 "placement_type": "internship", "start": "2016-05-01",
                                                 "end": "2016-07-29", "hours_per_week": "40", "days_per_week": "3",
                                                 "supervisor_trained": "yes", "status": "completed"},
                     follow_redirects=False)
    assert ok.status_code == 303
    assert count(clean_database, Placement) == 1
    assert "P-0300" in client.get(f"{path}/placements").text


def test_csv_is_checked_before_anything_is_saved_then_confirmed(signed_in, world, clean_database):
    client = signed_in("contractor")
    path = f"/contracts/{world.contract_id}"
    token = csrf_token(client, f"{path}/placements")
    bad = client.post(f"{path}/placements/check", data={"_csrf_token": token},
                      files={"file": ("placements.csv", BAD_CSV.encode(), "text/csv")})
    assert bad.status_code == 422
    errors = re.search(r'data-testid="csv-errors">(.*?)</table>', bad.text, re.S).group(1)
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", errors)
    assert {(row, column) for row, column, _ in rows} == {("2", "end"), ("3", "hours_per_week")}
    assert count(clean_database, Placement) == 0

    checked = client.post(f"{path}/placements/check", data={"_csrf_token": token},
                          files={"file": ("placements.csv", GOOD_CSV.encode(), "text/csv")})
    assert checked.status_code == 200 and 'data-testid="csv-ok"' in checked.text
    assert count(clean_database, Placement) == 0 and count(clean_database, Participant) == 0  # a dry run
    sealed = re.search(r'name="sealed" value="([^"]+)"', checked.text).group(1)
    assert "P-0101" not in sealed  # the file travels encrypted

    tampered = client.post(f"{path}/placements/import", data={"_csrf_token": token, "sealed": sealed[:-4] + "AAAA"})
    assert tampered.status_code == 422 and count(clean_database, Placement) == 0
    done = client.post(f"{path}/placements/import", data={"_csrf_token": token, "sealed": sealed, "name": "placements.csv"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert count(clean_database, Placement) == 2


def test_a_file_of_many_bad_rows_lists_the_first_1000_errors_and_the_total(signed_in, world, clean_database):
    """Issue 12, finding 8: unbounded error lists — the upload page lists the first 1,000 errors with their total."""
    client = signed_in("contractor")
    path = f"/contracts/{world.contract_id}"
    token = csrf_token(client, f"{path}/placements")
    lines = [f"P-{n:04d},newcomer,female,1991,praktik,2016-04-04,2016-06-24,40,5,completed" for n in range(1, 1501)]
    content = (GOOD_CSV.splitlines()[0] + "\n" + "\n".join(lines) + "\n").encode()
    bad = client.post(f"{path}/placements/check", data={"_csrf_token": token},
                      files={"file": ("placements.csv", content, "text/csv")})
    assert bad.status_code == 422
    errors = re.search(r'data-testid="csv-errors">(.*?)</table>', bad.text, re.S).group(1)
    assert len(re.findall(r"<tr><td>\d+</td>", errors)) == 1000
    assert "1500" in errors.split("<table")[0] and "1000" in errors.split("<table")[0]
    assert count(clean_database, Placement) == 0


def test_a_checked_file_cannot_be_confirmed_by_another_user(signed_in, world, clean_database):
    client = signed_in("contractor")
    path = f"/contracts/{world.contract_id}"
    token = csrf_token(client, f"{path}/placements")
    checked = client.post(f"{path}/placements/check", data={"_csrf_token": token},
                          files={"file": ("placements.csv", GOOD_CSV.encode(), "text/csv")})
    sealed = re.search(r'name="sealed" value="([^"]+)"', checked.text).group(1)
    other = signed_in("subcontractor")
    other_token = csrf_token(other, f"{path}/placements")
    response = other.post(f"{path}/placements/import", data={"_csrf_token": other_token, "sealed": sealed})
    assert response.status_code == 422 and count(clean_database, Placement) == 0


def test_hours_of_a_submitted_period_need_a_reason_on_the_page_too(signed_in, world, clean_database):
    """Issue 12, finding 7: the period lock has a side door — the hours form asks for the reason."""
    contractor = signed_in("contractor")
    path = f"/contracts/{world.contract_id}"
    token = csrf_token(contractor, f"{path}/reporting")
    assert contractor.post(f"{path}/period-reports", data={"_csrf_token": token, "period": "2016-Q2"},
                           follow_redirects=False).status_code == 303
    silent = contractor.post(f"{path}/hours", data={"_csrf_token": token, "month": "2016-04", "hours": "1200", "reason": ""})
    assert silent.status_code == 422 and "2016-Q2" in (field_error(silent.text, "reason") or "")
    explained = contractor.post(f"{path}/hours", data={"_csrf_token": token, "month": "2016-04", "hours": "1200",
                                                       "reason": "late payroll"}, follow_redirects=False)
    assert explained.status_code == 303


def test_hours_and_period_report_then_buyer_returns_it(signed_in, world, clean_database):
    contractor = signed_in("contractor")
    path = f"/contracts/{world.contract_id}"
    token = csrf_token(contractor, f"{path}/reporting")
    bad_hours = contractor.post(f"{path}/hours", data={"_csrf_token": token, "month": "2030-01", "hours": "1200"})
    assert bad_hours.status_code == 422 and field_error(bad_hours.text, "month")
    assert contractor.post(f"{path}/hours", data={"_csrf_token": token, "month": "2016-04", "hours": "1 200,5"},
                           follow_redirects=False).status_code == 303
    bad_period = contractor.post(f"{path}/period-reports", data={"_csrf_token": token, "period": "2016-Q9"})
    assert bad_period.status_code == 422 and field_error(bad_period.text, "period")
    assert contractor.post(f"{path}/period-reports", data={"_csrf_token": token, "period": "2016-Q2"},
                           follow_redirects=False).status_code == 303

    buyer = signed_in("buyer")
    page = buyer.get(f"{path}/reporting").text
    report_id = re.search(r'/period-reports/([0-9a-f-]+)/review', page).group(1)
    buyer_token = csrf_token(buyer, f"{path}/reporting")
    no_comment = buyer.post(f"{path}/period-reports/{report_id}/review",
                            data={"_csrf_token": buyer_token, "decision": "returned"})
    assert no_comment.status_code == 422 and "comment" in no_comment.text
    buyer.post(f"{path}/period-reports/{report_id}/review",
               data={"_csrf_token": buyer_token, "decision": "returned", "comment": "P-0101 is missing"})
    with Session(clean_database) as session:
        report = session.exec(select(PeriodReport)).one()
        assert report.state == "returned" and report.buyer_comment == "P-0101 is missing"
    assert "återsänd" in contractor.get(f"{path}/reporting").text


def test_auditor_downloads_a_valid_report_and_verifies_it(signed_in, world):
    auditor = signed_in("auditor")
    path = f"/contracts/{world.contract_id}"
    response = auditor.get(f"{path}/report.pdf?as_of=2017-06-30&lang=en")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 2
    token = csrf_token(auditor, "/reports/verify")
    verified = auditor.post("/reports/verify", data={"_csrf_token": token},
                            files={"file": ("report.pdf", response.content, "application/pdf")})
    assert "Rapporten är äkta och oförändrad." in verified.text
    assert "Rapporten utfärdades av denna installation." in verified.text  # recorded when it was downloaded
    middle = len(response.content) // 2
    altered = response.content[:middle] + bytes([response.content[middle] ^ 0x01]) + response.content[middle + 1:]
    refused = auditor.post("/reports/verify", data={"_csrf_token": token},
                           files={"file": ("report.pdf", altered, "application/pdf")})
    assert "Rapporten kunde inte verifieras." in refused.text
    assert "Rapporten utfärdades inte av denna installation." in refused.text
    not_pdf = auditor.post("/reports/verify", data={"_csrf_token": token},
                           files={"file": ("notes.txt", b"hello", "text/plain")})
    assert not_pdf.status_code == 422 and "not a PDF" in not_pdf.text


def test_evidence_downloads_for_the_auditor_only(signed_in, world):
    path = f"/contracts/{world.contract_id}"
    csv = signed_in("auditor").get(f"{path}/evidence.csv?as_of=2017-06-30")
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    assert signed_in("contractor").get(f"{path}/evidence.csv").status_code == 403


def test_subcontractor_sees_the_contracts_figures_but_only_its_own_people(signed_in, world, clean_database):
    from pathlib import Path

    from procure.services.placement_import import import_placements
    from procure.services.tokens import principal_of
    from procure.settings import get_settings
    from web_world import CONTRACTS_DIR

    with Session(clean_database) as session:
        import_placements(session, principal_of(world.users["contractor"]), world.contract_id,
                          Path(CONTRACTS_DIR / "remonthagen.placements.csv"), secret=get_settings().secret_key)
    path = f"/contracts/{world.contract_id}?as_of=2018-06-30"
    everyone = signed_in("buyer").get(path).text
    own = signed_in("subcontractor").get(path).text
    actual = re.compile(r'data-testid="actual">([^<]+)<')
    assert actual.findall(own) == actual.findall(everyone)  # the contract's figures

    def excluded_refs(html: str) -> set[str]:
        return set(re.findall(r"<tr><td>(P-\d+)</td><td>", html))

    assert excluded_refs(own) < excluded_refs(everyone)  # fewer people: only its own
    with Session(clean_database) as session:
        sub = world.organisations["subcontractor"].id
        own_refs = set(session.exec(select(Participant.ref).join(Placement, Placement.participant_id == Participant.id)
                                    .where(Placement.employer_org_id == sub)).all())
    assert excluded_refs(own) <= own_refs


def test_placements_are_listed_a_page_at_a_time(signed_in, world, clean_database, monkeypatch):
    from pathlib import Path

    from procure.services.placement_import import import_placements
    from procure.services.tokens import principal_of
    from procure.settings import get_settings
    from procure.web.controllers import reporting
    from web_world import CONTRACTS_DIR

    monkeypatch.setattr(reporting, "PLACEMENTS_LISTED", 10)
    with Session(clean_database) as session:
        import_placements(session, principal_of(world.users["contractor"]), world.contract_id,
                          Path(CONTRACTS_DIR / "remonthagen.placements.csv"), secret=get_settings().secret_key)
        total = session.exec(select(func.count()).select_from(Placement)).one()
    assert 20 < total < 30  # three pages of ten
    client = signed_in("buyer")

    def rows(html: str) -> int:
        return re.search(r'data-testid="placements">.*?<tbody>(.*?)</tbody>', html, re.S).group(1).count("<tr>")

    first = client.get(f"/contracts/{world.contract_id}/placements").text
    assert rows(first) == 10 and 'href="?offset=10"' in first and "Föregående" not in first
    last = client.get(f"/contracts/{world.contract_id}/placements?offset=20").text
    assert rows(last) == total - 20 and 'href="?offset=10"' in last and "Nästa" not in last
