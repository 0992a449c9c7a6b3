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

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from fractions import Fraction
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING

from procure.domain.model import Contract, ContractRecords, Participant, Placement
from procure.engine.entries import Excluded
from procure.engine.wording import Day, Message, Numeric

if TYPE_CHECKING:
    from procure.engine.periods import PeriodIndex


def fraction(value: Numeric) -> Fraction:
    """An exact Fraction of an int, Decimal, Fraction or numeric string (floats via str)."""
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(value)


# Placements share a few dozen distinct hours per week, and a Fraction is slow to make.
_hours_fraction = lru_cache(maxsize=1024)(fraction)


class PlacementView:
    """One placement with everything a rule asks of it, computed once."""

    __slots__ = (
        "placement", "id", "participant", "ref", "person", "start", "end", "ended",
        "employed_before", "signature",
    )

    def __init__(self, row: tuple, as_of: int):
        _key, start, end, self.placement, pid, ref, self.participant, person, \
            self.employed_before, self.signature = row
        # Copies of the strings and ints every rule touches, made here, lie in memory
        # beside this view, in the order the rules walk the views, rather than where the
        # input was read (see _placement_rows). `encode().decode()` is the cheapest copy
        # of a str: slicing or str() hand back the same object.
        self.id = pid.encode().decode()
        self.ref = ref.encode().decode()
        self.start = start + 0
        self.ended = ended = end is not None and end <= as_of
        self.end = end + 0 if ended else as_of  # effective end: ongoing ones end at as_of
        self.person = person + 0  # the person's number: rules key their dictionaries on it

    @property
    def hours(self) -> Fraction | None:
        """Exact hours per week. Only rates ask, and they ask once per signature."""
        hours = self.placement.hours_per_week
        return None if hours is None else _hours_fraction(hours)

    def outcome_as_of(self, as_of: int) -> tuple[str | None, int | None]:
        """The outcome and its date (ordinal) if known by `as_of`; undated: the end date."""
        p = self.placement
        if p.outcome is None:
            return None, None
        if p.outcome_date is None:
            return p.outcome, (p.end.toordinal() if p.end is not None else None)
        on = p.outcome_date.toordinal()
        return (p.outcome, on) if on <= as_of else (None, None)

    @property
    def planned_end(self) -> int | None:
        return self.placement.planned_end.toordinal() if self.placement.planned_end is not None else None

    @property
    def days(self) -> int:
        return self.end - self.start + 1


def _sort_rows(rows: list[tuple]) -> None:
    """Sorts rows into placement order: by start, id, participant reference. Their key
    strings (a fixed-width start, then id and reference after NUL separators) compare in
    that order far faster than tuples do; only a NUL inside an id or reference could make
    two keys equal, and then the tuples decide."""
    rows.sort(key=_row_key)
    keys = list(map(_row_key, rows))
    if not all(map(str.__lt__, keys, islice(keys, 1, None))):
        rows.sort(key=_row_order)


_row_key = itemgetter(0)
_row_start = itemgetter(1)
_row_order = itemgetter(1, 4, 5)


class Dates(dict):
    """Day ordinal -> date, made once per day: a contract's hundred thousand placements
    qualify on a few hundred distinct days, and the result entries share those dates."""

    def __missing__(self, ordinal: int) -> date:
        day = self[ordinal] = date.fromordinal(ordinal)
        return day


def _participant_order(p: Participant) -> tuple:
    return (p.ref, p.target_groups, p.gender, p.birth_year or 0, p.identity_hash or "")


class _People:
    """The participants by reference, and a number for each person: the same person is
    recognised by the keyed hash of the personal number when one was given, otherwise by
    the participant reference, so a person reported under two references is one number."""

    def __init__(self, participants: Sequence[Participant]):
        chosen = {person.ref: person for person in participants}
        if len(chosen) < len(participants):
            chosen = {}
            for person in participants:
                known = chosen.get(person.ref)
                # A reference given twice: keep the same one whatever the input order.
                if known is None or _participant_order(person) < _participant_order(known):
                    chosen[person.ref] = person
        first_of_hash: dict[str, int] = {}
        # ref -> (participant, person number): one lookup per placement gives both.
        self.by_ref: dict[str, tuple[Participant, int]] = {
            p.ref: (p, first_of_hash.setdefault(p.identity_hash, number) if p.identity_hash else number)
            for number, p in enumerate(chosen.values())  # numbers are only names: any order will do
        }
        self.count = len(self.by_ref)

    def get(self, ref: str) -> tuple[Participant, int]:
        """A reference without a participant row is a person of its own, with no groups."""
        found = self.by_ref.get(ref)
        if found is None:
            found = self.by_ref[ref] = (Participant(ref=ref), self.count)
            self.count += 1
        return found


def _hired_before(placements: Iterable[Placement], people: _People, start: int, as_of: int) -> set[tuple[int, str]]:
    """Additionality: (person number, employer) pairs with an employment begun before the start."""
    hired: set[tuple[int, str]] = set()
    for p in placements:
        if p.placement_type == "employment" and p.employer_org_number and p.start.toordinal() < start \
                and p.status != "planned" and p.start.toordinal() <= as_of:
            hired.add((people.get(p.participant_ref)[1], p.employer_org_number))
    return hired


def _placement_rows(placements: Iterable[Placement], people: _People,
                    hired_before: set[tuple[int, str]]) -> tuple[list[tuple], int]:
    """Each placement read once, in input order (where it lies in memory), into a row
    whose first item is its sort key; and the number of distinct signatures.

    The views are then made from the sorted rows, so that they lie in memory in the
    order every rule walks them: walking objects scattered over the heap costs several
    times as much (measured with bench/engine_bench.py)."""
    rows = []
    signatures: dict[tuple, int] = {}
    by_ref = people.by_ref
    hired_people = {person for person, _org in hired_before}  # an int set: the cheap first test
    for p in placements:
        ref = p.participant_ref
        participant, person = by_ref.get(ref) or people.get(ref)
        org = p.employer_org_number
        if person in hired_people and org and (person, org) in hired_before:
            employed_before = True
        else:
            employed_before = p.employed_before_start
        # Everything the filters other than length look at (and whether the placement is
        # only planned): placements with the same signature pass or fail alike (see
        # procure.engine.qualification).
        key = (p.status == "planned", p.placement_type, participant.target_groups, p.days_per_week,
               p.hours_per_week, p.supervisor_trained, employed_before, org)
        signature = signatures.get(key)
        if signature is None:
            signature = signatures[key] = len(signatures)
        start = p.start.toordinal()
        rows.append((f"{start:07d}\0{p.id}\0{ref}", start, None if p.end is None else p.end.toordinal(),
                     p, p.id, ref, participant, person, employed_before, signature))
    return rows, len(signatures)


def _after_as_of(rows: list[tuple]) -> list[Excluded]:
    """The entries of placements starting after as_of, one message per start day."""
    messages: dict[int, Message] = {}
    entries = []
    for _key, start, _end, p, placement_id, ref, *_ in rows:
        message = messages.get(start)
        if message is None:
            message = messages[start] = Message("excluded.starts_after_as_of", {"start": Day(p.start)})
        entries.append(Excluded(ref, placement_id, message))
    return entries


class RecordIndex:
    """Placements, hours and reports of one contract, as seen on `as_of`."""

    def __init__(self, contract: Contract, records: ContractRecords, as_of: date):
        self.contract = contract
        self.as_of = as_of
        self.as_of_o = as_of_o = as_of.toordinal()
        people = _People(records.participants)
        hired_before = _hired_before(records.placements, people, contract.start.toordinal(), as_of_o)
        rows, signature_count = _placement_rows(records.placements, people, hired_before)
        _sort_rows(rows)
        # Sorted by start, the placements that start after as_of are the last ones: no
        # rule sees them, and each clause lists them, last, with one shared entry each.
        seen_count = bisect_right(rows, as_of_o, key=_row_start)
        self.after_as_of = _after_as_of(rows[seen_count:])
        self.seen: list[PlacementView] = [PlacementView(row, as_of_o) for row in islice(rows, seen_count)]
        del rows
        self.person_count = people.count
        # One seen placement of each signature (None for a signature seen in none): the
        # filters are asked of it on behalf of all.
        representatives: list[PlacementView | None] = [None] * signature_count
        for view in self.seen:
            if representatives[view.signature] is None:
                representatives[view.signature] = view
        self.representatives = representatives
        self._qualification_cache: dict = {}
        self.dates = Dates()
        self._period_indexes: dict = {}
        self._labour: list[tuple[int, int, Fraction]] | None = None
        self._labour_sums: tuple[list[int], list[int], list[Fraction]] | None = None
        self._records = records

    def as_of_day(self, day: date) -> RecordIndex:
        """The same records as seen on another day."""
        return self if day == self.as_of else RecordIndex(self.contract, self._records, day)

    def period_index(self, periods: tuple) -> PeriodIndex:
        """The day-to-period table of a clause's periods, shared by clauses with the same periods."""
        found = self._period_indexes.get(periods)
        if found is None:
            from procure.engine.periods import PeriodIndex

            found = self._period_indexes[periods] = PeriodIndex(periods)
        return found

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

    def labour_between(self, first: int, last: int) -> Fraction:
        """The labour hours reported for the days first..last (ordinals), a month's hours
        spread evenly over its days: whole months from running sums, the partial ones at
        either end pro rata."""
        if self._labour_sums is None:
            months = self.labour_months()
            sums = [Fraction(0)]
            for _first, _last, hours in months:
                sums.append(sums[-1] + hours)
            self._labour_sums = ([m[0] for m in months], [m[1] for m in months], sums)
        firsts, lasts, sums = self._labour_sums
        if last < first:
            return Fraction(0)
        whole_from, whole_to = bisect_left(firsts, first), bisect_right(lasts, last)
        total = sums[whole_to] - sums[whole_from] if whole_from < whole_to else Fraction(0)
        for m in {whole_from - 1, whole_to}:
            if 0 <= m < len(firsts) and not whole_from <= m < whole_to:
                days = min(lasts[m], last) - max(firsts[m], first) + 1
                if days > 0:
                    total += self.labour_months()[m][2] * days / (lasts[m] - firsts[m] + 1)
        return total

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
