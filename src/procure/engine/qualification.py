"""Whether a placement qualifies for a clause's filters, and on which day.

SPEC: a placement qualifies when its type, the participant's target groups, its days
and hours per week and its supervision meet the clause's filters and it has lasted
`min_weeks`; its qualification date is `start + 7 × min_weeks − 1 day`. When
`7 × min_weeks` is not a whole number of days it is rounded up (a placement must have
lasted at least `min_weeks`); without `min_weeks` a placement qualifies on its first day.

The verdicts of one set of filters are computed once per evaluation and shared by
every clause with the same filters.
"""

from __future__ import annotations

from datetime import date
from math import ceil

from procure.domain.model import Filters
from procure.engine.entries import Excluded
from procure.engine.records import PlacementView, RecordIndex, fraction
from procure.engine.wording import Code, Codes, Day, Message, Number, Numeric, Weeks, number_en


class Qualification:
    """The verdicts of one set of filters: the qualified placements in placement order
    (each qualifies `delay` days after its start), and the excluded ones with their reasons."""

    __slots__ = ("qualified", "delay", "excluded", "earliest_start")

    def __init__(self) -> None:
        self.qualified: list[PlacementView] = []
        self.delay = 0
        self.excluded: list[Excluded] = []
        # The earliest start (ordinal) of a seen placement passing every filter but the
        # length (full_time_months' first_within_months), or None.
        self.earliest_start: int | None = None


def number(value: Numeric) -> str:
    """A figure for an English sentence: 8, 7.5, 0.25 (no trailing zeros, no exponent)."""
    return number_en(value)


def qualify_all(index: RecordIndex, filters: Filters) -> Qualification:
    cached = index._qualification_cache.get(filters)
    if cached is None:
        cached = index._qualification_cache[filters] = _qualify(index, filters)
    return cached


def _filter_reason(f: Filters, v: PlacementView) -> Message | None:
    """Why the placement fails the filters other than length, or None. Depends only on
    the fields in `PlacementView.signature`, so it is computed once per signature."""
    p = v.placement
    if f.placement_types is not None and p.placement_type not in f.placement_types:
        return Message("excluded.type", {"type": Code("placement_types", p.placement_type),
                                         "types": Codes("placement_types", f.placement_types)})
    if f.target_groups is not None and set(f.target_groups).isdisjoint(v.participant.target_groups):
        return Message("excluded.target_groups", {"groups": Codes("target_groups", f.target_groups)})
    if f.min_days_per_week is not None and (p.days_per_week is None or p.days_per_week < f.min_days_per_week):
        required = Number(f.min_days_per_week)
        if p.days_per_week is None:
            return Message("excluded.days_not_reported", {"required": required})
        return Message("excluded.days", {"days": Number(p.days_per_week), "required": required})
    if f.min_hours_per_week is not None and (p.hours_per_week is None or p.hours_per_week < f.min_hours_per_week):
        required = Number(f.min_hours_per_week)
        if p.hours_per_week is None:
            return Message("excluded.hours_not_reported", {"required": required})
        return Message("excluded.hours", {"hours": Number(p.hours_per_week), "required": required})
    if f.require_trained_supervisor and p.supervisor_trained is not True:
        return Message("excluded.supervisor_untrained" if p.supervisor_trained is False else "excluded.supervisor_unknown")
    if f.exclude_employed_before_start and v.employed_before:
        if p.employer_org_number:
            return Message("excluded.employed_before", {"employer": p.employer_org_number})
        return Message("excluded.employed_before_unnamed")
    return None


_new = tuple.__new__  # builds an Excluded without the Python-level NamedTuple constructor
_PLANNED = Message("excluded.planned")


def _qualify(index: RecordIndex, f: Filters) -> Qualification:
    """Two list comprehensions over the seen placements, in placement order: the
    filters' verdict is looked up by signature, so a placement costs one list index and
    one comparison; only the excluded ones get an entry made."""
    result = Qualification()
    need_days = ceil(fraction(f.min_weeks) * 7) if f.min_weeks else 1
    extra = need_days - 1  # qualification date = start + extra
    reasons = [None if v is None else _PLANNED if v.placement.status == "planned" else _filter_reason(f, v)
               for v in index.representatives]
    passes = [reason is None for reason in reasons]
    seen = index.seen
    result.qualified = [v for v in seen if passes[v.signature] and v.start + extra <= v.end]
    result.delay = extra
    too_short = _TooShort(need_days, Number(f.min_weeks if f.min_weeks is not None else 0))
    result.excluded = [
        _new(Excluded, (v.ref, v.id, too_short(v) if passes[v.signature] else reasons[v.signature]))
        for v in seen if not passes[v.signature] or v.start + extra > v.end
    ]
    result.excluded += index.after_as_of
    result.earliest_start = next((v.start for v in seen if passes[v.signature]), None)
    return result


class _TooShort:
    """Why a placement passing the filters has not lasted long enough: one message per
    distinct length (and qualification day), shared by the many of the same length."""

    def __init__(self, need_days: int, required: Number):
        self.need_days, self.required = need_days, required
        self.messages: dict[tuple, Message] = {}

    def __call__(self, v: PlacementView) -> Message:
        if v.ended:
            key: tuple = (v.end - v.start + 1,)
        else:
            qualified_on = v.start + self.need_days - 1
            planned_end = v.placement.end
            if planned_end is not None and planned_end.toordinal() < qualified_on:
                key = (planned_end.toordinal() - v.start + 1, None)
            else:
                key = (v.end - v.start + 1, qualified_on)
        message = self.messages.get(key)
        if message is None:
            message = self.messages[key] = _too_short(key, self.required)
        return message


def _too_short(key: tuple, required: Number) -> Message:
    """(days,): ended; (planned days, None): planned too short; (days, day): not yet."""
    if len(key) == 1:
        return Message("excluded.lasted", {"weeks": Weeks(key[0]), "required": required})
    days, on = key
    if on is None:
        return Message("excluded.planned_too_short", {"weeks": Weeks(days), "required": required})
    return Message("excluded.too_short_so_far",
                   {"weeks": Weeks(days), "required": required, "on": Day(date.fromordinal(on))})
