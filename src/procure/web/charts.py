"""The progress chart of a clause for the dashboard, embedded as an SVG image.

Drawn by the report's own `progress_chart_svg` (the same chart as in the PDF), which
evaluates the clause at up to 48 sample dates; so a drawn chart is kept, keyed like the
compliance service's results, until the audit log moves on.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from datetime import date

from sqlmodel import Session

from procure.reports.charts import progress_chart_svg
from procure.services.errors import NotFound
from procure.web.compliance import change_marker, evaluate_stored

_CACHE_SIZE = 64
_cache: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def clause_chart_svg(db: Session, contract_id: uuid.UUID, code: str, as_of: date, lang: str) -> str:
    key = (contract_id, code, as_of, lang, *change_marker(db))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    contract, records, result = evaluate_stored(db, contract_id, as_of)
    clause = next((c for c in contract.clauses if c.code == code), None)
    clause_result = next((c for c in result.clauses if c.code == code), None)
    if clause is None or clause_result is None:
        raise NotFound(f"clause {code} not found")
    svg = progress_chart_svg(clause, clause_result, contract, records, as_of, lang=lang)
    with _lock:
        _cache[key] = svg
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return svg
