"""The rules engine: pure, deterministic evaluation of a contract's clauses.

    from procure.engine import evaluate
    result = evaluate(contract, records, as_of)   # ContractResult
    result.to_json()                              # SPEC's result shape

No clock, database, network or I/O in here; the same inputs, in any order, give the
same result. Rule kinds are registered in `procure.engine.rules.RULES`.
"""

from procure.engine.evaluate import UnknownRule, evaluate
from procure.engine.judge import worst
from procure.engine.result import ClauseResult, ContractResult, PeriodResult

__all__ = ["ClauseResult", "ContractResult", "PeriodResult", "UnknownRule", "evaluate", "worst"]
