"""The registry of rule kinds: `RULES[kind]` is the class that counts a clause of that kind.

Importing this package imports every rule module; each class registers itself by
declaring its `kind` (see `procure.engine.rules.base.Rule.__init_subclass__`).
"""

from procure.engine.rules import (  # noqa: F401  (imported to register)
    full_time_months,
    group_share,
    hours_share,
    outcome_rate,
    placement_count,
    placement_weeks,
    reporting,
    social_value,
    supervision,
)
from procure.engine.rules.base import (
    COMMON_PARAMETERS,
    DEFAULT_TOLERANCE,
    RULES,
    Counted,
    Excluded,
    Parameter,
    PeriodTally,
    Rule,
    Tally,
)

__all__ = [
    "COMMON_PARAMETERS", "DEFAULT_TOLERANCE", "RULES", "Counted", "Excluded", "Parameter", "PeriodTally", "Rule", "Tally",
]
