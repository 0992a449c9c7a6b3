"""The contract's records as the engine sees them on `as_of`, indexed once per evaluation.

Placement semantics that SPEC leaves implicit, decided here once for every rule:

- `end` is the planned end while a placement is planned or active and the actual end
  once it is completed or ended early. A placement whose `end` is missing or after
  `as_of` is *ongoing*: its effective end is `as_of` (SPEC: "an ongoing one ending at
  as_of"). One whose `end` is on or before `as_of` has ended on `end`, whatever its status
  says (an active placement past its planned end is taken to have ended then).
- A placement with status `planned`, or starting after `as_of`, is not seen: it appears
  among a clause's exclusions with that reason and contributes nothing.
- An outcome whose `outcome_date` is after `as_of` is not seen. An outcome without a
  date is taken as known on the placement's end date.
- Labour hours of a month are seen for the days of the month up to `as_of`, pro rata
  (the same horizon as the placement hours they are compared with); period reports
  submitted after `as_of` are not seen.
- The same person is recognised by the keyed hash of the personal number when one was
  given, otherwise by the participant reference, so a person reported under two
  references is still counted once.
- Additionality: a placement is "employed before start" when it carries that flag, or
  when the participant has an `employment` placement with the same employer that
  started before the contract's start.

Everything is converted to day ordinals and exact fractions here, so the rules do integer
arithmetic in their loops; all containers are sorted so the result does not depend on
the order of the input.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction

from procure.domain.model import Contract, ContractRecords, Participant, Placement
from procure.engine.entries import Excluded

_UNKNOWN = Participant(ref="")


def fraction(value: object) -> Fraction:
    """An exact Fraction of an int, Decimal, Fraction or numeric string (floats via str)."""
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(value)  # type: ignore[arg-type]


class PlacementView:
    """One placement with everything a rule asks of it, computed once."""

    __slots__ = (
        "placement", "id", "participant", "ref", "person", "start", "end", "ended",
        "unseen", "hours", "hours_key", "days_per_week", "employed_before", "outcome", "outcome_on",
        "planned_end", "signature", "unseen_entry",
    )

    def __init__(self, p: Placement, participant: Participant, person: str, as_of: int,
                 hours: dict[object, Fraction]):
        self.placement = p
        self.id = p.id
        self.participant = participant
        self.ref = p.participant_ref
        self.person = person
        self.start = p.start.toordinal()
        end = p.end.toordinal() if p.end is not None else None
        self.ended = end is not None and end <= as_of
        self.end = end if self.ended else as_of  # effective end: ongoing ones end at as_of
        if self.start > as_of:
            self.unseen: str | None = f"starts {p.start.isoformat()}, after as_of"
        elif p.status == "planned":
            self.unseen = "planned, not started"
        else:
            self.unseen = None
        # Exact hours, shared between placements with the same figure; `hours_key` (the
        # Decimal) keys the rules' rate caches, as hashing it is cheaper than a Fraction.
        self.hours_key = p.hours_per_week
        if p.hours_per_week is None:
            self.hours = None
        else:
            self.hours = hours.get(p.hours_per_week)
            if self.hours is None:
                self.hours = hours[p.hours_per_week] = fraction(p.hours_per_week)
        self.days_per_week = p.days_per_week
        self.employed_before = p.employed_before_start
        seen_outcome = p.outcome is not None and (p.outcome_date is None or p.outcome_date.toordinal() <= as_of)
        self.outcome = p.outcome if seen_outcome else None
        if not seen_outcome:
            self.outcome_on = None
        elif p.outcome_date is not None:
            self.outcome_on = p.outcome_date.toordinal()
        else:
            self.outcome_on = end
        self.planned_end = p.planned_end.toordinal() if p.planned_end is not None else None

    @property
    def days(self) -> int:
        return self.end - self.start + 1


class RecordIndex:
    """Placements, hours and reports of one contract, as seen on `as_of`."""

    def __init__(self, contract: Contract, records: ContractRecords, as_of: date):
        self.contract = contract
        self.as_of = as_of
        self.as_of_o = as_of.toordinal()
        participants: dict[str, Participant] = {}
        for person in sorted(records.participants, key=lambda p: (p.ref, p.target_groups, p.gender, p.birth_year or 0, p.identity_hash or "")):
            participants.setdefault(person.ref, person)
        self.participants = participants
        start_o = contract.start.toordinal()
        views = []
        hours: dict[object, Fraction] = {}
        hired_before: set[tuple[str, str]] = set()
        for p in sorted(records.placements, key=lambda p: (p.start, p.id, p.participant_ref)):
            participant = participants.get(p.participant_ref) or Participant(ref=p.participant_ref)
            person = "#" + participant.identity_hash if participant.identity_hash else p.participant_ref
            view = PlacementView(p, participant, person, self.as_of_o, hours)
            views.append(view)
            if (p.placement_type == "employment" and p.employer_org_number and view.start < start_o
                    and view.unseen is None):
                hired_before.add((person, p.employer_org_number))
        signatures: dict[tuple, int] = {}
        for view in views:
            p = view.placement
            org = p.employer_org_number
            if org and (view.person, org) in hired_before:
                view.employed_before = True
            # Everything the filters other than length look at: placements with the same
            # signature pass or fail them alike (see procure.engine.qualification).
            key = (p.placement_type, view.participant.target_groups, p.days_per_week, p.hours_per_week,
                   p.supervisor_trained, view.employed_before, org)
            view.signature = signatures.setdefault(key, len(signatures))
            view.unseen_entry = Excluded(view.ref, view.id, view.unseen) if view.unseen is not None else None
        self.placements: tuple[PlacementView, ...] = tuple(views)
        self._qualification_cache: dict = {}
        self._labour: list[tuple[int, int, Fraction]] | None = None
        self._records = records

    def labour_months(self) -> list[tuple[int, int, Fraction]]:
        """(first day, last day, hours) ordinals of each reported month, summed over employers."""
        if self._labour is None:
            from dateutil.relativedelta import relativedelta

            totals: dict[date, Fraction] = defaultdict(Fraction)
            for row in self._records.labour_hours:
                totals[row.month.replace(day=1)] += fraction(row.hours)
            self._labour = [
                (m.toordinal(), (m + relativedelta(months=1)).toordinal() - 1, h)
                for m, h in sorted(totals.items()) if m.toordinal() <= self.as_of_o
            ]
        return self._labour

    def reports(self) -> dict[str, date | None]:
        """Earliest seen submission date of each period label (None if never submitted)."""
        seen: dict[str, date | None] = {}
        for report in self._records.period_reports:
            when = report.submitted_on
            if when is not None and when > self.as_of:
                when = None
            previous = seen.get(report.period)
            if report.period not in seen or (when is not None and (previous is None or when < previous)):
                seen[report.period] = when
        return seen
