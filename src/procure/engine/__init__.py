"""The rules engine: pure, deterministic evaluation of a contract's clauses.

    from procure.engine import evaluate
    result = evaluate(contract, records, as_of)   # ContractResult
    result.to_json()                              # SPEC's result shape
    evaluate_series(contract, records, dates)     # every clause's figures at many dates, in one pass

No clock, database, network or I/O in here; the same inputs, in any order, give the
same result. Rule kinds are registered in `procure.engine.rules.RULES`.
"""

from procure.engine.evaluate import UnknownRule, evaluate
from procure.engine.judge import worst
from procure.engine.result import ClauseResult, ContractResult, PeriodResult
from procure.engine.series import evaluate_series

__all__ = ["ClauseResult", "ContractResult", "PeriodResult", "UnknownRule", "evaluate", "evaluate_series", "worst"]
