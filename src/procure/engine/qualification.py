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
from decimal import Decimal
from math import ceil

from procure.domain.model import Filters
from procure.engine.entries import Excluded
from procure.engine.records import PlacementView, RecordIndex, fraction

class Qualification:
    """The verdicts of one set of filters: qualified placements with their qualification
    date (ordinal), in placement order, and the excluded ones with their reasons."""

    __slots__ = ("qualified", "excluded", "earliest_start")

    def __init__(self) -> None:
        self.qualified: list[tuple[PlacementView, int]] = []
        self.excluded: list[Excluded] = []
        # The earliest start (ordinal) of a seen placement passing every filter but the
        # length (full_time_months' first_within_months), or None.
        self.earliest_start: int | None = None


def number(value: object) -> str:
    """A figure for a sentence: 8, 7.5, 0.25 (no trailing zeros, no exponent)."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    else:
        text = format(fraction(value).__float__(), ".10g")
    return text


def weeks(days: int) -> str:
    return f"{days / 7:.1f}"


def qualify_all(index: RecordIndex, filters: Filters) -> Qualification:
    cached = index._qualification_cache.get(filters)
    if cached is None:
        cached = index._qualification_cache[filters] = _qualify(index, filters)
    return cached


def _filter_reason(f: Filters, v: PlacementView) -> str | None:
    """Why the placement fails the filters other than length, or None. Depends only on
    the fields in `PlacementView.signature`, so it is computed once per signature."""
    p = v.placement
    if f.placement_types is not None and p.placement_type not in f.placement_types:
        return f"type {p.placement_type} not in {', '.join(f.placement_types)}"
    if f.target_groups is not None and set(f.target_groups).isdisjoint(v.participant.target_groups):
        return f"participant not in target groups {', '.join(f.target_groups)}"
    if f.min_days_per_week is not None and (p.days_per_week is None or p.days_per_week < f.min_days_per_week):
        if p.days_per_week is None:
            return f"days per week not reported, {number(f.min_days_per_week)} required"
        return f"{number(p.days_per_week)} days a week at the workplace, {number(f.min_days_per_week)} required"
    if f.min_hours_per_week is not None and (p.hours_per_week is None or p.hours_per_week < f.min_hours_per_week):
        if p.hours_per_week is None:
            return f"hours per week not reported, {number(f.min_hours_per_week)} required"
        return f"{number(p.hours_per_week)} hours a week, {number(f.min_hours_per_week)} required"
    if f.require_trained_supervisor and p.supervisor_trained is not True:
        return "supervisor not trained" if p.supervisor_trained is False else "supervisor training not reported"
    if f.exclude_employed_before_start and v.employed_before:
        who = f"employer {p.employer_org_number}" if p.employer_org_number else "the employer"
        return f"already employed by {who} before the contract started"
    return None


_new = tuple.__new__  # builds an Excluded without the Python-level NamedTuple constructor


def _qualify(index: RecordIndex, f: Filters) -> Qualification:
    result = Qualification()
    qualified, excluded = result.qualified, result.excluded
    need_days = ceil(fraction(f.min_weeks) * 7) if f.min_weeks else 1
    required = number(f.min_weeks) if f.min_weeks is not None else "0"
    reasons: dict[int, str | None] = {}
    missing = object()
    for v in index.placements:
        if v.unseen is not None:
            excluded.append(v.unseen_entry)
            continue
        reason = reasons.get(v.signature, missing)
        if reason is missing:
            reason = reasons[v.signature] = _filter_reason(f, v)
        if reason is not None:
            excluded.append(_new(Excluded, (v.ref, v.id, reason)))
            continue
        if result.earliest_start is None:  # placements come sorted by start
            result.earliest_start = v.start
        qualified_on = v.start + need_days - 1
        if qualified_on <= v.end:
            qualified.append((v, qualified_on))
            continue
        p = v.placement
        if v.ended:
            reason = f"lasted {weeks(v.days)} weeks, {required} required"
        elif p.end is not None and p.end.toordinal() < qualified_on:
            reason = f"ongoing, planned to last {weeks(p.end.toordinal() - v.start + 1)} weeks, {required} required"
        else:
            on = date.fromordinal(qualified_on).isoformat()
            reason = f"ongoing, {weeks(v.days)} weeks so far, {required} required (qualifies on {on})"
        excluded.append(_new(Excluded, (v.ref, v.id, reason)))
    return result
