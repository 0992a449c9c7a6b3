"""The pages' own words in Swedish and English.

Vocabulary labels (statuses, target groups, placement types, outcomes, genders) come
from `procure.domain.vocabulary`; dates, numbers and money are formatted by Babel
(`procure.reports.formatting.Formatter`). Messages of the services are shown as the
services wrote them.
"""

from __future__ import annotations

from procure.domain import vocabulary
from procure.engine.wording import Entry, Plural, choose

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"

# key: (Swedish, English). `{name}` placeholders are filled by `Translator.__call__`; words
# that follow a count are a `Plural` ("1 fel", "1 error" / "2 errors").
WORDS: dict[str, tuple[Entry, Entry]] = {
    "app_name": ("procure", "procure"),
    "tagline": ("Uppföljning av sociala krav i offentlig upphandling", "Social clauses in public procurement"),
    "skip_to_content": ("Hoppa till innehållet", "Skip to content"),
    "language": ("Språk", "Language"),
    "switch_to": ("English", "Svenska"),
    "signed_in_as": ("Inloggad som", "Signed in as"),
    "organisation": ("Organisation", "Organisation"),
    "role": ("Roll", "Role"),
    "role_buyer": ("beställare", "buyer"),
    "role_contractor": ("leverantör", "contractor"),
    "role_auditor": ("revisor", "auditor"),
    "role_admin": ("administratör", "administrator"),
    "party_buyer": ("beställare", "buyer"),
    "party_contractor": ("leverantör", "contractor"),
    "party_subcontractor": ("underentreprenör", "subcontractor"),
    "party_auditor": ("revisor", "auditor"),
    "sign_in": ("Logga in", "Sign in"),
    "sign_out": ("Logga ut", "Sign out"),
    "email": ("E-postadress", "Email address"),
    "password": ("Lösenord", "Password"),
    "wrong_credentials": ("Fel e-postadress eller lösenord.", "Wrong email address or password."),
    "too_many_attempts": (
        Plural("seconds", "För många misslyckade inloggningar: försök igen om {seconds} sekund.",
               "För många misslyckade inloggningar: försök igen om {seconds} sekunder."),
        Plural("seconds", "Too many failed sign-ins: try again in {seconds} second.",
               "Too many failed sign-ins: try again in {seconds} seconds."),
    ),
    "signed_out": ("Du är utloggad.", "You are signed out."),
    "contracts": ("Kontrakt", "Contracts"),
    "portfolio": ("Portfölj", "Portfolio"),
    "my_contracts": ("Mina kontrakt", "My contracts"),
    "appointed_contracts": ("Kontrakt du granskar", "Contracts you audit"),
    "no_contracts": ("Inga kontrakt att visa.", "No contracts to show."),
    "reference": ("Referens", "Reference"),
    "title": ("Benämning", "Title"),
    "site": ("Plats", "Site"),
    "buyer": ("Beställare", "Buyer"),
    "contractor": ("Leverantör", "Contractor"),
    "subcontractors": ("Underentreprenörer", "Subcontractors"),
    "auditors": ("Revisorer", "Auditors"),
    "value_sek": ("Kontraktsvärde (kr)", "Contract value (SEK)"),
    "value": ("Kontraktsvärde", "Contract value"),
    "term": ("Avtalstid", "Term"),
    "start": ("Start", "Start"),
    "end": ("Slut", "End"),
    "status": ("Status", "Status"),
    "verdict": ("Samlad bedömning", "Verdict"),
    "penalty_at_risk": ("Vite i riskzonen", "Penalties at risk"),
    "penalty": ("Vite", "Penalty"),
    "total": ("Totalt", "Total"),
    "filter": ("Filtrera", "Filter"),
    "any": ("alla", "any"),
    "contract_status_draft": ("utkast", "draft"),
    "contract_status_active": ("pågående", "active"),
    "contract_status_closed": ("avslutat", "closed"),
    "new_contract": ("Nytt kontrakt", "New contract"),
    "import_contract": ("Importera kontrakt (TOML)", "Import contract (TOML)"),
    "import_toml_help": (
        "Klistra in en kontraktsfil i TOML-format eller välj en fil. Finns referensen redan uppdateras kontraktet.",
        "Paste a contract file in TOML or choose a file. If the reference exists, the contract is updated.",
    ),
    "toml_text": ("Kontraktsfil (TOML)", "Contract file (TOML)"),
    "toml_file": ("…eller välj en fil", "…or choose a file"),
    "import": ("Importera", "Import"),
    "imported": ("Kontraktet importerades.", "The contract was imported."),
    "contractor_org_number": ("Leverantörens organisationsnummer", "Contractor's organisation number"),
    "org_number_help": ("Tio siffror, NNNNNN-NNNN", "Ten digits, NNNNNN-NNNN"),
    "create": ("Skapa", "Create"),
    "save": ("Spara", "Save"),
    "cancel": ("Avbryt", "Cancel"),
    "created": ("Sparat.", "Saved."),
    "form_has_errors": ("Formuläret innehåller fel; inget sparades. Se meddelandena vid fälten.",
                        "The form has errors; nothing was saved. See the messages next to the fields."),
    "required": ("måste fyllas i", "is required"),
    "not_a_date": ("är inte ett datum (ÅÅÅÅ-MM-DD)", "is not a date (YYYY-MM-DD)"),
    "not_a_number": ("är inte ett tal", "is not a number"),
    "not_a_whole_number": ("är inte ett heltal", "is not a whole number"),
    "overview": ("Översikt", "Overview"),
    "clauses": ("Krav", "Clauses"),
    "clause": ("Krav", "Clause"),
    "placements": ("Placeringar", "Placements"),
    "reporting": ("Rapportering", "Reporting"),
    "parties": ("Parter", "Parties"),
    "audit_log": ("Ändringslogg", "Audit log"),
    "reports": ("Rapporter", "Reports"),
    "as_of": ("Bedömt per", "As of"),
    "show": ("Visa", "Show"),
    "actual": ("Utfall", "Actual"),
    "target": ("Mål", "Target"),
    "expected": ("Förväntat nu", "Expected now"),
    "shortfall": ("Underskott", "Shortfall"),
    "explanation": ("Förklaring", "Explanation"),
    "rule": ("Regel", "Rule"),
    "rule_plain": ("Regeln i klartext", "The rule in plain language"),
    "legal_text": ("Avtalstext", "Legal text"),
    "chart_alt": ("Utfall över tid mot jämn takt för {code}", "Progress over time against the pro rata line for {code}"),
    "not_counted": ("Räknades inte ({n})", "Did not count ({n})"),
    "others_totals": ("Andra organisationers placeringar: {counted} räknades, {excluded} räknades inte",
                      "Other organisations' placements: {counted} counted, {excluded} did not count"),
    "counted": ("Räknades ({n})", "Counted ({n})"),
    "participant": ("Deltagare", "Participant"),
    "reason": ("Skäl", "Reason"),
    "forecast_reached": ("I nuvarande takt nås målet den {date}.", "At this pace the target is reached on {date}."),
    "forecast_missed": ("I nuvarande takt missas målet med {amount}.", "At this pace the target is missed by {amount}."),
    "forecast_met": ("Målet är nått.", "The target is reached."),
    "forecast_none": ("Ingen prognos än: inget har räknats.", "No forecast yet: nothing has counted."),
    "waived_because": ("Undantaget: {reason}", "Waived: {reason}"),
    "no_clauses": ("Kontraktet har inga krav än.", "The contract has no clauses yet."),
    "add_clause": ("Lägg till krav", "Add clause"),
    "edit": ("Ändra", "Edit"),
    "delete": ("Ta bort", "Delete"),
    "code": ("Kod", "Code"),
    "clause_title": ("Rubrik", "Title"),
    "rule_kind": ("Regeltyp", "Rule kind"),
    "parameters": ("Parametrar", "Parameters"),
    "filters": ("Villkor för att räknas", "Conditions to count"),
    "choose_rule": ("Välj regeltyp", "Choose rule kind"),
    "preview": ("Förhandsgranska", "Preview"),
    "filter_placement_types": ("Placeringstyper (tomt = alla)", "Placement types (none ticked = all)"),
    "filter_target_groups": ("Målgrupper (någon av; tomt = alla)", "Target groups (any of; none ticked = all)"),
    "filter_min_weeks": ("Minst antal veckor", "Minimum weeks"),
    "filter_min_days_per_week": ("Minst dagar per vecka på arbetsplatsen", "Minimum days a week at the workplace"),
    "filter_min_hours_per_week": ("Minst timmar per vecka", "Minimum hours a week"),
    "filter_require_trained_supervisor": ("Kräver utbildad handledare", "Requires a trained supervisor"),
    "filter_exclude_employed_before_start": ("Räkna inte personer anställda före avtalsstart",
                                             "Do not count people employed before the contract started"),
    "penalty_per_unit": ("Vite per enhet som saknas (kr)", "Penalty per missing unit (SEK)"),
    "penalty_per_breach": ("Vite per brott (kr)", "Penalty per breach (SEK)"),
    "penalty_cap": ("Vitets tak (kr)", "Penalty cap (SEK)"),
    "optional": ("valfritt", "optional"),
    "waivers": ("Undantag", "Waivers"),
    "record_waiver": ("Registrera undantag", "Record a waiver"),
    "waiver_help": ("Om inga kandidater erbjudits trots dokumenterade förfrågningar.",
                    "When no candidates were offered despite documented requests."),
    "period_start": ("Periodens startdatum (tomt = alla perioder)", "Start of the period (empty = every period)"),
    "appointments": ("Utsedda organisationer", "Appointed organisations"),
    "appoint": ("Utse", "Appoint"),
    "appoint_role": ("Som", "As"),
    "appointment_subcontractor": ("underentreprenör", "subcontractor"),
    "appointment_auditor": ("revisor", "auditor"),
    "remove": ("Ta bort", "Remove"),
    "report_participant": ("Rapportera en deltagare", "Report a participant"),
    "participant_ref": ("Deltagarens referens", "Participant reference"),
    "participant_ref_help": ("Er egen kod, t.ex. P-0017. Inga namn.", "Your own code, such as P-0017. No names."),
    "target_groups": ("Målgrupper", "Target groups"),
    "gender": ("Kön", "Gender"),
    "birth_year": ("Födelseår", "Birth year"),
    "personnummer": ("Personnummer (valfritt)", "Personal identity number (optional)"),
    "personnummer_help": ("Används bara för att upptäcka dubbelräkning; sparas aldrig, bara en nyckelhash.",
                          "Used only to detect double counting; never stored, only a keyed hash."),
    "report_placement": ("Rapportera en placering", "Report a placement"),
    "placement_type": ("Typ", "Type"),
    "hours_per_week": ("Timmar per vecka", "Hours a week"),
    "days_per_week": ("Dagar per vecka på arbetsplatsen", "Days a week at the workplace"),
    "supervisor_trained": ("Utbildad handledare", "Trained supervisor"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "unknown": ("vet ej", "unknown"),
    "placement_status": ("Status", "Status"),
    "pstatus_planned": ("planerad", "planned"),
    "pstatus_active": ("pågående", "active"),
    "pstatus_completed": ("avslutad", "completed"),
    "pstatus_ended_early": ("avbruten i förtid", "ended early"),
    "outcome": ("Utfall efter placeringen", "Outcome after the placement"),
    "outcome_date": ("Datum för utfallet", "Date of the outcome"),
    "employer_org_number": ("Arbetsgivarens organisationsnummer (tomt = er egen)",
                            "Employer's organisation number (empty = your own)"),
    "none_selected": ("–", "–"),
    "upload_csv": ("Ladda upp placeringar (CSV)", "Upload placements (CSV)"),
    "csv_help": (
        "Kolumner i valfri ordning: participant_ref, target_groups, gender, birth_year, personnummer, placement_type, "
        "start, end, hours_per_week, days_per_week, employer_org_number, supervisor_trained, status, outcome, outcome_date. "
        "Filen kontrolleras först; inget sparas förrän du bekräftar.",
        "Columns in any order: participant_ref, target_groups, gender, birth_year, personnummer, placement_type, "
        "start, end, hours_per_week, days_per_week, employer_org_number, supervisor_trained, status, outcome, outcome_date. "
        "The file is checked first; nothing is saved until you confirm.",
    ),
    "csv_file": ("CSV-fil", "CSV file"),
    "check_file": ("Kontrollera filen", "Check the file"),
    "csv_errors": (
        Plural("n", "Filen har {n} fel; inget sparades. Rätta det och ladda upp filen igen.",
               "Filen har {n} fel; inget sparades. Rätta dem och ladda upp filen igen."),
        Plural("n", "The file has {n} error; nothing was saved. Fix it and upload the file again.",
               "The file has {n} errors; nothing was saved. Fix them and upload the file again."),
    ),
    "row": ("Rad", "Row"),
    "column": ("Kolumn", "Column"),
    "message": ("Fel", "Problem"),
    "csv_ok": (
        Plural("placements", "Filen är korrekt: {participants} deltagare och {placements} placering. Inget är sparat än.",
               "Filen är korrekt: {participants} deltagare och {placements} placeringar. Inget är sparat än."),
        Plural("participants",
               Plural("placements",
                      "The file is correct: {participants} participant and {placements} placement. Nothing is saved yet.",
                      "The file is correct: {participants} participant and {placements} placements. Nothing is saved yet."),
               Plural("placements",
                      "The file is correct: {participants} participants and {placements} placement. Nothing is saved yet.",
                      "The file is correct: {participants} participants and {placements} placements. Nothing is saved yet.")),
    ),
    "confirm_import": ("Bekräfta och spara", "Confirm and save"),
    "import_done": ("Importen sparades: {summary}", "The import was saved: {summary}"),
    "labour_hours": ("Arbetade timmar per månad", "Labour hours per month"),
    "month": ("Månad", "Month"),
    "hours": ("Timmar", "Hours"),
    "report_hours": ("Rapportera timmar", "Report hours"),
    "period_reports": ("Periodrapporter", "Period reports"),
    "period": ("Period", "Period"),
    "period_help": ("T.ex. 2017-09 eller 2017-Q3", "Such as 2017-09 or 2017-Q3"),
    "submit_report": ("Lämna periodrapport", "Submit period report"),
    "submitted_on": ("Inlämnad", "Submitted"),
    "report_state_submitted": ("inlämnad", "submitted"),
    "report_state_accepted": ("godkänd", "accepted"),
    "report_state_returned": ("återsänd", "returned"),
    "accept": ("Godkänn", "Accept"),
    "return": ("Skicka tillbaka", "Return"),
    "comment": ("Kommentar", "Comment"),
    "previous": ("Föregående", "Previous"),
    "next": ("Nästa", "Next"),
    "no_placements": ("Inga placeringar rapporterade än.", "No placements reported yet."),
    "download_report": ("Ladda ned rapport", "Download report"),
    "report_pdf": ("Revisionsrapport (PDF)", "Audit report (PDF)"),
    "evidence_csv": ("Underlag (CSV)", "Evidence (CSV)"),
    "evidence_xlsx": ("Underlag (Excel)", "Evidence (Excel)"),
    "report_language": ("Rapportens språk", "Report language"),
    "verify_report": ("Verifiera en rapport", "Verify a report"),
    "verify_help": ("Ladda upp en PDF-rapport för att kontrollera att den inte ändrats och att resultatet stämmer.",
                    "Upload a PDF report to check that it was not altered and that its result is right."),
    "pdf_file": ("PDF-fil", "PDF file"),
    "verify": ("Verifiera", "Verify"),
    "verified_ok": ("Rapporten är äkta och oförändrad.", "The report is genuine and unaltered."),
    "verified_bad": ("Rapporten kunde inte verifieras.", "The report could not be verified."),
    "issued_here": ("Rapporten utfärdades av denna installation.", "This installation issued the report."),
    "not_issued_here": ("Rapporten utfärdades inte av denna installation.", "This installation did not issue the report."),
    "downloads": (Plural("n", "hämtad {n} gång", "hämtad {n} gånger"), Plural("n", "downloaded once", "downloaded {n} times")),
    "chain_ok": (
        Plural("n", "Ändringsloggens kedja är obruten ({n} post). Senaste hash: {head}",
               "Ändringsloggens kedja är obruten ({n} poster). Senaste hash: {head}"),
        Plural("n", "The audit log's chain is intact ({n} entry). Head hash: {head}",
               "The audit log's chain is intact ({n} entries). Head hash: {head}"),
    ),
    "chain_broken": ("Ändringsloggens kedja är bruten vid post {sequence}: {problem}",
                     "The audit log's chain is broken at entry {sequence}: {problem}"),
    "when": ("När", "When"),
    "who": ("Vem", "Who"),
    "action": ("Händelse", "Action"),
    "object": ("Objekt", "Object"),
    "no_entries": ("Inga poster.", "No entries."),
    # Audit log: actions and objects (an unknown code shows as itself).
    "log_action_create": ("skapad", "created"),
    "log_action_update": ("ändrad", "changed"),
    "log_action_delete": ("borttagen", "deleted"),
    "log_action_import": ("importerad", "imported"),
    "log_action_submit": ("inlämnad", "submitted"),
    "log_action_accept": ("godkänd", "accepted"),
    "log_action_return": ("återsänd", "returned"),
    "log_action_issue": ("utfärdad", "issued"),
    "log_action_revoke": ("återkallad", "revoked"),
    "log_object_contract": ("kontrakt", "contract"),
    "log_object_clause": ("krav", "clause"),
    "log_object_waiver": ("undantag", "waiver"),
    "log_object_appointment": ("utsedd organisation", "appointment"),
    "log_object_participant": ("deltagare", "participant"),
    "log_object_placement": ("placering", "placement"),
    "log_object_placements": ("placeringar (fil)", "placements (file)"),
    "log_object_labour_hours": ("arbetade timmar", "labour hours"),
    "log_object_period_report": ("periodrapport", "period report"),
    "log_object_report": ("revisionsrapport", "audit report"),
    "log_object_evidence_file": ("underlagsfil", "evidence file"),
    "csrf_failed": ("Formuläret kom från en gammal eller främmande sida; inget ändrades. Ladda om sidan och försök igen.",
                    "The form came from an old or foreign page; nothing was changed. Reload the page and try again."),
    "not_found_title": ("Sidan finns inte", "Page not found"),
    "not_found_text": ("Sidan finns inte, eller så har du inte tillgång till den.",
                       "The page does not exist, or you do not have access to it."),
    "forbidden_title": ("Inte tillåtet", "Not allowed"),
    "error_title": ("Något gick fel", "Something went wrong"),
    "back_to_contracts": ("Tillbaka till kontrakten", "Back to the contracts"),
    "unavailable": ("Tjänsten är inte tillgänglig just nu; försök igen om en stund.",
                    "The service is unavailable just now; please try again shortly."),
}


class Translator:
    """`t("key", name=value)` in templates; an unknown key shows as itself, so a missing
    translation is visible rather than fatal."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self._index = LANGUAGES.index(self.lang)

    def __call__(self, key: str, **values: object) -> str:
        words = WORDS.get(key)
        text = words[self._index] if words else key
        if isinstance(text, Plural):
            text = choose(text, values, self.lang)[0]
        return text.format(**values) if values else text

    def code(self, prefix: str, code: str) -> str:
        """The words for a stored code, such as an audit log action; the code itself when none."""
        words = WORDS.get(f"{prefix}_{code}")
        return words[self._index] if words else code

    def status(self, code: str) -> str:
        return vocabulary.label(vocabulary.STATUS_LABELS, code, self.lang)

    def target_group(self, code: str) -> str:
        return vocabulary.label(vocabulary.TARGET_GROUPS, code, self.lang)

    def placement_type(self, code: str) -> str:
        return vocabulary.label(vocabulary.PLACEMENT_TYPES, code, self.lang)

    def outcome(self, code: str) -> str:
        return vocabulary.label(vocabulary.OUTCOMES, code, self.lang)

    def gender(self, code: str) -> str:
        return vocabulary.label(vocabulary.GENDERS, code, self.lang)
