"""The domain of procure as plain, immutable values.

No ORM, no web framework and no clock: the rules engine, the file formats and the
storage layer all speak in these types, and the storage layer maps its rows onto them.
Quantities that feed arithmetic (hours, days, shares) are `Decimal` so that 37.5 hours
or a 0.05 share are exact; money is whole SEK (`int`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

ParameterValue = Any  # int | Decimal | bool | str | tuple[str, ...] | Mapping[str, Decimal]


@dataclass(frozen=True)
class Organisation:
    name: str
    org_number: str  # normalised "NNNNNN-NNNN", Luhn-checked by procure.domain.identity
    kind: str = "contractor"  # buyer | contractor | audit


@dataclass(frozen=True)
class Penalty:
    """Vite: shortfall units × `per_unit_sek`, or `per_breach_sek` for rate rules; capped."""

    per_unit_sek: int = 0
    per_breach_sek: int = 0
    cap_sek: int | None = None


@dataclass(frozen=True)
class Bonus:
    """Paid per unit beyond the target (Trafikverket: 10,000 SEK a month per extra intern)."""

    per_unit_sek: int
    cap_sek: int | None = None


@dataclass(frozen=True)
class Filters:
    """The filters any rule may take; `None` means the filter is not applied."""

    placement_types: tuple[str, ...] | None = None
    target_groups: tuple[str, ...] | None = None  # any of
    min_weeks: Decimal | None = None
    min_days_per_week: Decimal | None = None
    min_hours_per_week: Decimal | None = None
    require_trained_supervisor: bool = False
    exclude_employed_before_start: bool = False


@dataclass(frozen=True)
class Clause:
    code: str  # "SC-1"
    title: str
    rule: str  # a key of procure.engine.rules.RULES
    text: str = ""  # the legal text, often Swedish
    # Rule-specific parameters as declared by the rule class, plus the common ones
    # `period` ("contract" | "year" | "quarter" | "month") and `tolerance`.
    parameters: Mapping[str, ParameterValue] = field(default_factory=dict)
    filters: Filters = Filters()
    penalty: Penalty | None = None
    bonus: Bonus | None = None


@dataclass(frozen=True)
class Waiver:
    """The buyer's good-faith waiver of one clause for one period (or all, when `period_start` is None)."""

    clause_code: str
    reason: str
    period_start: date | None = None


@dataclass(frozen=True)
class Contract:
    reference: str
    title: str
    buyer: Organisation
    contractor: Organisation
    start: date
    end: date  # inclusive
    value_sek: int = 0
    currency: str = "SEK"
    site: str = ""
    status: str = "active"  # draft | active | closed
    subcontractors: tuple[Organisation, ...] = ()
    auditors: tuple[Organisation, ...] = ()
    extra_target_groups: tuple[str, ...] = ()  # a contract may add its own groups
    clauses: tuple[Clause, ...] = ()
    waivers: tuple[Waiver, ...] = ()


@dataclass(frozen=True)
class Participant:
    """A pseudonymous person of the target groups; never a name or personal number."""

    ref: str  # chosen by the contractor, "P-0017"
    target_groups: tuple[str, ...] = ()
    gender: str = "undisclosed"  # female | male | other | undisclosed
    birth_year: int | None = None
    identity_hash: str | None = None  # HMAC-SHA256 of the personal number, hex


@dataclass(frozen=True)
class Placement:
    id: str
    participant_ref: str
    placement_type: str  # internship | employment | apprenticeship | summer_job | training | mentorship
    start: date
    # Planned end while planned/active, actual end once completed/ended early; None while
    # open-ended and ongoing.
    end: date | None = None
    employer_org_number: str | None = None
    hours_per_week: Decimal | None = None
    days_per_week: Decimal | None = None  # at the workplace; the rest may be language training
    supervisor_trained: bool | None = None
    status: str = "active"  # planned | active | completed | ended_early
    outcome: str | None = None
    outcome_date: date | None = None
    # The planned end of a placement that ended early, so that `full_time_months` can
    # tell whether it served its completion share (an extension of SPEC's CSV columns).
    planned_end: date | None = None
    # Additionality: the participant already worked for this employer before the
    # contract started (Trafikverket's clauses do not count such people).
    employed_before_start: bool = False


@dataclass(frozen=True)
class LabourHours:
    month: date  # the first day of the month
    employer_org_number: str
    hours: Decimal


@dataclass(frozen=True)
class PeriodReport:
    period: str  # "2017-Q3" or "2017-09"
    submitted_on: date | None = None


@dataclass(frozen=True)
class ContractRecords:
    """Everything reported on a contract, as the engine needs it."""

    participants: tuple[Participant, ...] = ()
    placements: tuple[Placement, ...] = ()
    labour_hours: tuple[LabourHours, ...] = ()
    period_reports: tuple[PeriodReport, ...] = ()
