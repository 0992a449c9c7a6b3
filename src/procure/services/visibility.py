"""What of a compliance result a viewer may see: one pure function for every way out.

The figures of a contract (actual, target, status, penalty) are the contract's and every
party sees them. The evidence lists name participants and placements, and those belong
to the organisation that reported them: a subcontractor sees its own entries (exactly
the placements it may GET) and, for everyone else's, only how many counted and how many
did not (`ClauseResult.others`). A sentence that names a participant the viewer may not
see (an excluded placement "same person as P-0003") is said again without the name.

`visible_result` is pure (a result and the viewer's placement ids in, a result out) and
is applied in one place, where the compliance read model turns a result into an answer
for a viewer (procure.services.compliance.result_for); the API, the dashboard pages and
the clause charts all go through it. Reports and evidence exports (PDF, CSV, XLSX) need
Action.AUDIT, which a subcontractor has not (procure.services.access): they are refused,
not redacted, because a report embeds its inputs so that anyone can re-run the
evaluation, and a redacted report could not be verified.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import replace
from typing import Any

from procure.engine import ContractResult
from procure.engine.entries import Excluded
from procure.engine.result import ClauseResult
from procure.engine.wording import Message, render

# A message that names another participant, and the one that says the same without the name.
UNNAMED = {"excluded.same_person_counted": "excluded.same_person_counted_elsewhere"}
NAMING_PARAMS = frozenset({"ref"})


def _names_other(message: Any, refs: Set[str]) -> bool:
    """Whether a message (or a message inside it) names a participant not in `refs`."""
    if isinstance(message, tuple):
        return any(_names_other(part, refs) for part in message)
    if not isinstance(message, Message):
        return False
    for name, value in message.params.items():
        if name in NAMING_PARAMS and value not in refs:
            return True
        if _names_other(value, refs):
            return True
    return False


def without_names(message: Message, refs: Set[str]) -> Message:
    """The message, said without a participant outside `refs` (the unnamed variant)."""
    if not _names_other(message, refs):
        return message
    key = UNNAMED.get(message.key)
    if key is None:  # no sentence for it yet: a message without the naming parameters
        raise ValueError(f"no unnamed wording for {message.key}: add one to visibility.UNNAMED")
    return Message(key, {k: v for k, v in message.params.items() if k not in NAMING_PARAMS})


def _visible_clause(clause: ClauseResult, own: Set[str]) -> ClauseResult:
    counted = tuple(c for c in clause.counted if c.placement_id in own)
    own_excluded = [e for e in clause.excluded if e.placement_id in own]
    refs = {c.participant_ref for c in counted} | {e.participant_ref for e in own_excluded}
    excluded = tuple(Excluded(e.participant_ref, e.placement_id, without_names(e.message, refs)) for e in own_excluded)
    explanation, text = clause.explanation_message, clause.explanation
    if explanation is not None and _names_other(explanation, refs):
        explanation = without_names(explanation, refs)
        text = render(explanation, "en")
    return replace(
        clause, counted=counted, excluded=excluded, explanation_message=explanation, explanation=text,
        others=(len(clause.counted) - len(counted), len(clause.excluded) - len(excluded)),
    )


def visible_result(result: ContractResult, own_placements: Set[str] | None) -> ContractResult:
    """The result as a viewer who may see these placements (ids as in the result) sees it;
    `None`: a viewer who sees every placement (buyer, contractor, auditor) gets it as is."""
    if own_placements is None:
        return result
    return replace(result, clauses=tuple(_visible_clause(clause, own_placements) for clause in result.clauses))
