"""Why each placement counted for each clause or not: the evidence behind a result.

Built from the result in SPEC's JSON shape (the stable contract between the engine and its
readers), so the PDF appendix and the spreadsheet export say exactly what the result says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from procure.domain.model import Contract, ContractRecords, Participant, Placement

COUNTED = "counted"
EXCLUDED = "excluded"
NOT_CONSIDERED = "not_considered"


def result_json(result: Any, lang: str = "en") -> dict[str, Any]:
    """The result as SPEC's JSON shape, whether given as a result object, a dict or a string.

    A result object says its sentences (explanations, descriptions, reasons) in `lang`; a
    dict or string is taken as it is, in whatever language it was written.
    """
    if isinstance(result, dict):
        return result
    if hasattr(result, "to_json"):
        data = result.to_json() if lang == "en" else result.to_json(lang)
    else:
        data = result
    if isinstance(data, (str, bytes)):
        data = json.loads(data)
    return data


@dataclass(frozen=True)
class ClauseVerdict:
    clause_code: str
    verdict: str  # counted | excluded | not_considered
    qualified_on: str | None = None  # ISO date
    reason: str | None = None


@dataclass(frozen=True)
class PlacementEvidence:
    placement: Placement
    participant: Participant | None
    verdicts: tuple[ClauseVerdict, ...]


def placement_evidence(contract: Contract, records: ContractRecords, result: Any) -> list[PlacementEvidence]:
    """Every placement, in the order reported, with one verdict per clause that judges placements."""
    data = result_json(result)
    # Deadline clauses (reporting) judge the contractor's reports, never a placement.
    clause_codes = [clause["code"] for clause in data.get("clauses", []) if clause.get("measure") != "deadline"]
    counted: dict[tuple[str, str], dict[str, Any]] = {}
    excluded: dict[tuple[str, str], dict[str, Any]] = {}
    for clause in data.get("clauses", []):
        for entry in clause.get("counted") or []:
            if entry.get("placement_id") is not None:
                counted.setdefault((clause["code"], str(entry["placement_id"])), entry)
        for entry in clause.get("excluded") or []:
            if entry.get("placement_id") is not None:
                excluded.setdefault((clause["code"], str(entry["placement_id"])), entry)

    participants = {p.ref: p for p in records.participants}
    evidence = []
    for placement in records.placements:
        verdicts = []
        for code in clause_codes:
            key = (code, str(placement.id))
            if key in counted:
                verdicts.append(ClauseVerdict(code, COUNTED, qualified_on=counted[key].get("qualified_on")))
            elif key in excluded:
                verdicts.append(ClauseVerdict(code, EXCLUDED, reason=excluded[key].get("reason")))
            else:
                verdicts.append(ClauseVerdict(code, NOT_CONSIDERED))
        evidence.append(PlacementEvidence(placement, participants.get(placement.participant_ref), tuple(verdicts)))
    return evidence
