"""The pages as each role sees them: sign-in, tenancy, CSRF, forms and their messages."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from sqlmodel import Session, select

from web.conftest import csrf_token
from procure.services import audit_log
from procure.storage.models import Clause, Contract
from web_world import PASSWORD

REMONTHAGEN_AS_OF = "?as_of=2017-06-30"


def field_error(html: str, field: str) -> str | None:
    """The message shown next to a field, if any."""
    found = re.search(rf'<span class="field-error" id="{re.escape(field)}-error">([^<]*)</span>', html)
    return found.group(1) if found else None


# -- signing in ------------------------------------------------------------------------


def test_pages_need_a_signed_in_user(app_client, world):
    response = app_client.get(f"/contracts/{world.contract_id}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/sign-in?next=%2Fcontracts%2F{world.contract_id}"


def test_wrong_password_is_refused_with_one_message(app_client, world):
    token = csrf_token(app_client)
    response = app_client.post("/sign-in", data={"email": world.email("buyer"), "password": "not the password",
                                                 "_csrf_token": token})
    assert response.status_code == 400
    assert "Fel e-postadress eller lösenord." in response.text
    unknown = app_client.post("/sign-in", data={"email": "nobody@x.test", "password": PASSWORD, "_csrf_token": token})
    assert "Fel e-postadress eller lösenord." in unknown.text
    assert app_client.get("/contracts", follow_redirects=False).status_code == 303


def test_empty_sign_in_fields_are_named(app_client, world):
    response = app_client.post("/sign-in", data={"email": "", "password": "", "_csrf_token": csrf_token(app_client)})
    assert response.status_code == 400
    assert field_error(response.text, "email") == "måste fyllas i"
    assert 'id="password-error"' in response.text


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(app_client, world):
    token = csrf_token(app_client)
    back = app_client.post("/sign-in", data={"email": world.email("buyer"), "password": PASSWORD, "_csrf_token": token,
                                             "next": "/contracts/new"}, follow_redirects=False)
    assert back.headers["location"] == "/contracts/new"
    app_client.cookies.clear()
    token = csrf_token(app_client)
    away = app_client.post("/sign-in", data={"email": world.email("buyer"), "password": PASSWORD, "_csrf_token": token,
                                             "next": "//evil.example/x"}, follow_redirects=False)
    assert away.headers["location"] == "/contracts"


def test_every_page_shows_organisation_and_role(signed_in, world):
    page = signed_in("contractor").get(f"/contracts/{world.contract_id}")
    identity = re.search(r'data-testid="identity">(.*?)</span>\s*<form', page.text, re.S).group(1)
    assert "Skanska Sverige AB" in identity and "leverantör" in identity


def test_sign_out_ends_the_session(signed_in):
    client = signed_in("buyer")
    token = csrf_token(client, "/contracts")
    assert client.post("/sign-out", data={"_csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get("/contracts", follow_redirects=False).status_code == 303


def test_a_deactivated_user_is_signed_out_at_once(signed_in, world, clean_database):
    client = signed_in("buyer")
    with Session(clean_database) as session:
        user = session.get(type(world.users["buyer"]), world.users["buyer"].id)
        user.is_active = False
        session.add(user)
        session.commit()
    assert client.get("/contracts", follow_redirects=False).status_code == 303


def test_session_cookie_is_httponly_lax_and_secure_over_https(clean_database, world):
    from litestar.testing import TestClient

    from procure.app import create_app

    with TestClient(app=create_app(engine=clean_database), base_url="https://testserver.local") as client:
        token = csrf_token(client)
        response = client.post("/sign-in", data={"email": world.email("buyer"), "password": PASSWORD, "_csrf_token": token},
                               follow_redirects=False)
        cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("procure_session="))
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Secure" in cookie


def test_language_switch_is_kept_in_the_session(signed_in, world):
    client = signed_in("buyer")
    assert "Portfölj" in client.get("/contracts").text
    token = csrf_token(client, "/contracts")
    client.post("/language", data={"lang": "en", "next": "/contracts", "_csrf_token": token})
    english = client.get("/contracts").text
    assert "Portfolio" in english and '<html lang="en">' in english
    assert "breached" in english or "at risk" in english or "on track" in english or "met" in english


# -- CSRF ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/contracts/new", "/sign-out", "/language"])
def test_state_changing_forms_need_the_csrf_token(signed_in, path):
    client = signed_in("buyer")
    response = client.post(path, data={"reference": "X-1", "lang": "en"}, follow_redirects=False)
    assert response.status_code == 403
    assert "inget ändrades" in response.text
    assert client.get("/contracts", follow_redirects=False).status_code == 200  # still signed in


def test_the_api_takes_no_cookies_and_needs_no_csrf(signed_in):
    client = signed_in("buyer")
    response = client.get("/api/contracts")
    assert response.status_code == 401  # a page session is not an API credential


# -- tenancy ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["buyer", "contractor", "subcontractor", "auditor"])
def test_another_tenants_contract_is_not_found(signed_in, world, who):
    client = signed_in(who)
    for path in ("", "/clauses", "/placements", "/parties", "/clauses/SC-1/chart.svg", "/report.pdf"):
        response = client.get(f"/contracts/{world.other_contract_id}{path}")
        assert response.status_code == 404, path
        assert "Hemstaden" not in response.text


def test_unknown_and_malformed_contract_ids_are_not_found(signed_in):
    client = signed_in("buyer")
    assert client.get(f"/contracts/{uuid.uuid4()}").status_code == 404
    assert client.get("/contracts/not-a-uuid").status_code == 404


def test_portfolio_lists_own_contracts_with_verdicts_only(signed_in, world):
    page = signed_in("buyer").get("/contracts").text
    assert "OH-2016-REMONTHAGEN" in page and "HS-2020-NORR" not in page
    assert re.search(r'data-status="(breached|at_risk|pending|on_track|met|waived)"', page)
    other = signed_in("other_contractor").get("/contracts").text
    assert "HS-2020-NORR" in other and "OH-2016-REMONTHAGEN" not in other


def test_portfolio_filters_by_verdict(signed_in, world):
    client = signed_in("buyer")
    page = client.get(f"/contracts/{world.contract_id}").text
    verdict = re.search(r'data-testid="verdict"><span class="status status-(\w+)"', page).group(1)
    assert "OH-2016-REMONTHAGEN" in client.get(f"/contracts?verdict={verdict}").text
    others = [v for v in ("breached", "met", "waived") if v != verdict]
    assert "OH-2016-REMONTHAGEN" not in client.get(f"/contracts?verdict={others[0]}").text


# -- roles -----------------------------------------------------------------------------


def test_dashboard_has_a_card_per_clause_with_status_in_words(signed_in, world, clean_database):
    page = signed_in("buyer").get(f"/contracts/{world.contract_id}{REMONTHAGEN_AS_OF}").text
    cards = re.findall(r'data-testid="clause-([^"]+)"', page)
    with Session(clean_database) as session:
        codes = session.exec(select(Clause.code).where(Clause.contract_id == world.contract_id).order_by(Clause.position)).all()
    assert cards == list(codes) and len(cards) >= 2
    # The status is written out, not only a colour.
    assert re.search(r'<span class="status status-\w+" data-status="\w+"><span class="dot" aria-hidden="true"></span>[^<]+</span>', page)
    assert "/clauses/SC-1/chart.svg?as_of=2017-06-30" in page


def test_dashboard_explains_in_the_reader_s_language(signed_in, world):
    client = signed_in("buyer")
    swedish = html.unescape(client.get(f"/contracts/{world.contract_id}{REMONTHAGEN_AS_OF}").text)
    assert "deltagare" in swedish and "qualifying participants" not in swedish
    client.post("/language", data={"lang": "en", "_csrf_token": csrf_token(client, "/contracts")})
    english = html.unescape(client.get(f"/contracts/{world.contract_id}{REMONTHAGEN_AS_OF}").text)
    assert "qualifying participants" in english


def test_chart_is_svg(signed_in, world):
    response = signed_in("auditor").get(f"/contracts/{world.contract_id}/clauses/SC-1/chart.svg{REMONTHAGEN_AS_OF}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in response.text


def test_contractor_cannot_edit_clauses_or_read_the_audit_log(signed_in, world):
    client = signed_in("contractor")
    assert client.get(f"/contracts/{world.contract_id}/clauses/new").status_code == 403
    assert client.get(f"/contracts/{world.contract_id}/audit").status_code == 403
    assert "Lägg till krav" not in client.get(f"/contracts/{world.contract_id}/clauses").text


def test_auditor_reads_the_audit_log_with_chain_status(signed_in, world, clean_database):
    page = signed_in("auditor").get(f"/contracts/{world.contract_id}/audit")
    assert page.status_code == 200
    with Session(clean_database) as session:  # the contract's own chain, not the installation's
        count = audit_log.entry_count(session, world.contract_id)
    assert f'data-testid="chain">Ändringsloggens kedja är obruten ({count} poster)' in page.text
    assert "<tbody><tr><td>1</td>" in page.text
    assert "<td>importerad</td><td>kontrakt</td>" in page.text  # the contract's import, in words


# -- buyer forms -----------------------------------------------------------------------


def test_new_contract_form_names_each_problem_next_to_its_field(signed_in, clean_database):
    client = signed_in("buyer")
    token = csrf_token(client, "/contracts/new")
    response = client.post("/contracts/new", data={"_csrf_token": token, "reference": "", "title": "Block 7",
                                                   "start": "2020-13-01", "end": "2021-01-01",
                                                   "contractor_org_number": "556033-4285"})
    assert response.status_code == 422
    assert field_error(response.text, "reference") == "måste fyllas i"
    assert "2020-13-01" in field_error(response.text, "start")
    assert 'aria-invalid="true"' in response.text
    assert 'value="Block 7"' in response.text  # what was typed is kept
    with Session(clean_database) as session:
        assert session.exec(select(Contract).where(Contract.title == "Block 7")).first() is None


def test_new_contract_with_unknown_contractor_says_so_at_the_field(signed_in):
    client = signed_in("buyer")
    token = csrf_token(client, "/contracts/new")
    response = client.post("/contracts/new", data={"_csrf_token": token, "reference": "OH-9", "title": "Block 9",
                                                   "start": "2020-01-01", "end": "2021-01-01",
                                                   "contractor_org_number": "556677-8899"})
    assert response.status_code == 422
    assert field_error(response.text, "contractor_org_number")


def test_buyer_creates_a_contract_and_a_clause(signed_in, clean_database):
    client = signed_in("buyer")
    token = csrf_token(client, "/contracts/new")
    created = client.post("/contracts/new", data={"_csrf_token": token, "reference": "OH-2024-7", "title": "Block 7",
                                                  "start": "2024-01-01", "end": "2025-12-31", "value_sek": "12 000 000",
                                                  "contractor_org_number": "556033-4285", "status": "active"},
                          follow_redirects=False)
    assert created.status_code == 303
    clauses_path = created.headers["location"]
    form = client.get(clauses_path + "/new?rule=placement_count").text
    assert "Hur många olika deltagare som ska kvalificera sig" in form  # the parameter explained
    token = csrf_token(client, clauses_path + "/new")
    saved = client.post(clauses_path + "/new", data={"_csrf_token": token, "rule": "placement_count", "code": "SC-1",
                                                     "title": "Block 7 internships", "p_target": "6", "f_min_weeks": "8",
                                                     "f_target_groups": ["newcomer"], "penalty_per_unit_sek": "25000"},
                        follow_redirects=False)
    assert saved.status_code == 303
    listing = client.get(clauses_path).text
    assert "SC-1" in listing and "6" in listing
    with Session(clean_database) as session:
        clause = session.exec(select(Clause).where(Clause.title == "Block 7 internships")).one()
        assert clause.parameters["target"] == 6 and clause.filters["target_groups"] == ["newcomer"]
        assert clause.penalty["per_unit_sek"] == 25000


def test_clause_preview_describes_the_rule_or_names_the_problem(signed_in, world):
    client = signed_in("buyer")
    base = f"/contracts/{world.contract_id}/clauses/preview"
    text = client.get(base, params={"rule": "placement_count", "code": "SC-9", "title": "x", "p_target": "5",
                                    "f_min_weeks": "8", "f_target_groups": "newcomer"}).text
    # In the reader's language (Swedish by default).
    assert "preview-text" in text and "minst 5" in text and "nyanländ" in text and "8 veckor" in text
    problem = client.get(base, params={"rule": "placement_count", "code": "SC-9", "title": "x", "p_target": "many"}).text
    assert "many" in problem and "preview-text" not in problem


def test_clause_editor_refuses_bad_parameters_next_to_the_field(signed_in, world):
    client = signed_in("buyer")
    path = f"/contracts/{world.contract_id}/clauses/new"
    token = csrf_token(client, path)
    response = client.post(path, data={"_csrf_token": token, "rule": "hours_share", "code": "SC-9", "title": "Hours",
                                       "p_share": "5"})
    assert response.status_code == 422
    assert field_error(response.text, "p_share")


def test_buyer_records_a_waiver(signed_in, world, clean_database):
    client = signed_in("buyer")
    with Session(clean_database) as session:
        clause = session.exec(select(Clause).where(Clause.contract_id == world.contract_id, Clause.code == "SC-1")).one()
    token = csrf_token(client, f"/contracts/{world.contract_id}/clauses")
    client.post(f"/contracts/{world.contract_id}/clauses/{clause.id}/waivers",
                data={"_csrf_token": token, "reason": "No candidates offered despite requests"})
    page = client.get(f"/contracts/{world.contract_id}{REMONTHAGEN_AS_OF}").text
    assert "No candidates offered despite requests" in page


def test_buyer_appoints_a_subcontractor_with_errors_named(signed_in, world):
    client = signed_in("buyer")
    path = f"/contracts/{world.other_contract_id}"
    other = signed_in("other_buyer")
    token = csrf_token(other, f"{path}/parties")
    bad = other.post(f"{path}/parties", data={"_csrf_token": token, "org_number": "123", "role": "subcontractor"})
    assert bad.status_code == 422 and field_error(bad.text, "org_number")
    good = other.post(f"{path}/parties", data={"_csrf_token": token, "org_number": "556234-5677", "role": "subcontractor"})
    # An invitation, listed by number (its name is not shown until it answers: no oracle).
    assert good.status_code == 200 and "556234-5677" in good.text and "Jämtbygg Installation AB" not in good.text
    assert "inte besvarad" in good.text
    assert client.get(f"{path}").status_code == 404  # still another tenant's for Östersundshem


def test_import_contract_from_pasted_toml_lists_errors_with_lines(signed_in):
    client = signed_in("other_buyer")
    token = csrf_token(client, "/contracts/import")
    bad = client.post("/contracts/import", data={"_csrf_token": token, "text": "[contract]\nreference = 5\n"},
                      files={"file": ("", b"")})
    assert bad.status_code == 422
    assert "import-errors" in bad.text and "reference" in bad.text


def test_failed_sign_ins_are_throttled_like_the_api(app_client, world):
    token = csrf_token(app_client)
    for _ in range(10):
        app_client.post("/sign-in", data={"email": world.email("auditor"), "password": "guess", "_csrf_token": token})
    response = app_client.post("/sign-in", data={"email": world.email("auditor"), "password": PASSWORD, "_csrf_token": token})
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.text
    assert app_client.get("/contracts", follow_redirects=False).status_code == 303


def test_every_parameter_of_every_rule_kind_is_explained_in_both_languages(signed_in, world):
    from procure.engine.rules import RULES

    client = signed_in("buyer")
    for lang in ("sv", "en"):
        if lang == "en":
            client.post("/language", data={"lang": "en", "_csrf_token": csrf_token(client, "/contracts")})
        for kind, rule in RULES.items():
            page = client.get(f"/contracts/{world.contract_id}/clauses/new?rule={kind}").text
            for parameter in rule.all_parameters():
                assert f'for="p_{parameter.name}"' in page or f'name="p_{parameter.name}"' in page, (kind, parameter.name)
                help_text = re.search(rf'{parameter.name}[^<]*</(?:label|legend)>\s*(?:<span class="help"[^>]*>)?([^<]+)', page)
                assert help_text and help_text.group(1).strip(), (lang, kind, parameter.name)


def _clause(engine, contract_id, code: str) -> Clause:
    with Session(engine) as session:
        return session.exec(select(Clause).where(Clause.contract_id == contract_id, Clause.code == code)).one()


def test_buyer_edits_a_clause_and_a_stale_form_is_refused(signed_in, world, clean_database):
    client = signed_in("other_buyer")
    clause = _clause(clean_database, world.other_contract_id, "SC-1")
    edit = f"/contracts/{world.other_contract_id}/clauses/{clause.id}/edit"
    form = client.get(edit).text
    assert 'name="p_target" type="text" value="4"' in form and 'name="f_min_weeks" type="text" value="8"' in form
    token = csrf_token(client, edit)
    fields = {"_csrf_token": token, "rule": "placement_count", "version": str(clause.version), "code": "SC-1",
              "title": "Internships", "p_target": "6", "f_min_weeks": ""}
    assert client.post(edit, data=fields, follow_redirects=False).status_code == 303
    changed = _clause(clean_database, world.other_contract_id, "SC-1")
    assert changed.parameters["target"] == 6 and "min_weeks" not in changed.filters  # an emptied field is removed
    stale = client.post(edit, data={**fields, "p_target": "7"})  # the version read before the change
    assert stale.status_code == 422
    assert "version" in stale.text
    assert _clause(clean_database, world.other_contract_id, "SC-1").parameters["target"] == 6


def test_buyer_changes_a_clause_to_another_rule_kind(signed_in, world, clean_database):
    client = signed_in("other_buyer")
    clause = _clause(clean_database, world.other_contract_id, "SC-1")
    edit = f"/contracts/{world.other_contract_id}/clauses/{clause.id}/edit"
    assert 'name="p_share"' in client.get(edit + "?rule=supervision").text
    token = csrf_token(client, edit)
    response = client.post(edit, data={"_csrf_token": token, "rule": "supervision", "version": str(clause.version),
                                       "code": "SC-1", "title": "Supervisors", "p_share": "0.8"}, follow_redirects=False)
    assert response.status_code == 303
    changed = _clause(clean_database, world.other_contract_id, "SC-1")
    assert changed.rule == "supervision" and "target" not in changed.parameters


def test_buyer_imports_a_contract_from_an_uploaded_file(signed_in, clean_database):
    from web_world import OTHER_CONTRACT_TOML

    client = signed_in("other_buyer")
    token = csrf_token(client, "/contracts/import")
    text = OTHER_CONTRACT_TOML.replace("HS-2020-NORR", "HS-2021-SYD").replace("north block", "south block")
    response = client.post("/contracts/import", data={"_csrf_token": token, "text": ""},
                           files={"file": ("syd.toml", text.encode("utf-8"), "application/toml")}, follow_redirects=False)
    assert response.status_code == 303
    assert "south block" in client.get(response.headers["location"]).text
