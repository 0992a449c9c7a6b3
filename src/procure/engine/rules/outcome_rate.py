"""`outcome_rate`: of qualifying placements that ended at least `follow_up_months` ago,
the share with an outcome in `outcomes` reached within that time.

A placement is followed up on its end date + `follow_up_months` (calendar months) and
belongs to the period holding its end date. A person counts once per period: as a
success when any of their followed-up placements in the period had a listed outcome in
time. A period in which no placement has reached its follow-up date yet is `pending`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from dateutil.relativedelta import relativedelta

from procure.domain.model import Clause
from procure.engine.qualification import qualify_all
from procure.engine.rules.base import (
    Counted,
    Excluded,
    Parameter,
    PeriodTally,
    Rule,
    Tally,
    share_percent,
    share_tallies,
)
from procure.engine.rules.tally import already_counted, cumulative
from procure.engine.wording import Codes, Day, Message


class OutcomeRate(Rule):
    kind = "outcome_rate"
    measure = "share"
    chart = "share"
    unit = "followed-up participants"
    parameters = (
        Parameter("share", "share", required=True, description="The least share of followed-up participants with a listed outcome."),
        Parameter("outcomes", "code_list", required=True, description="The outcomes that count (job_matching, education, …)."),
        Parameter("follow_up_months", "int", required=True, description="Months after a placement ends by which the outcome must be reached."),
    )

    @classmethod
    def check(cls, parameters: Mapping[str, Any]) -> list[tuple[str, str]]:
        problems = []
        if parameters.get("outcomes") is not None and not parameters["outcomes"]:
            problems.append(("outcomes", "list at least one outcome"))
        months = parameters.get("follow_up_months")
        if months is not None and months < 0:
            problems.append(("follow_up_months", "must not be negative"))
        return problems

    @classmethod
    def headline(cls, clause: Clause) -> Message:
        p = clause.parameters
        return Message("describe.outcome_rate", {
            "share": share_percent(p.get("share")), "outcomes": Codes("outcomes", tuple(p.get("outcomes") or ())),
            "months": str(p.get("follow_up_months"))})

    def tally(self, index) -> Tally:
        periods = self.periods()
        target = self.fraction_param("share")
        wanted = set(self.param("outcomes") or ())
        months = int(self.param("follow_up_months") or 0)
        finder = index.period_index(periods)
        find = finder.find
        as_of = index.as_of_o
        dates = index.dates
        q = qualify_all(index, self.clause.filters)
        excluded: list[Excluded] = list(q.excluded)
        due = []  # (slot, failed, end, id, view, qualified_on)
        follow_ups: dict[int, int] = {}
        not_due: dict[int, Message] = {}  # follow-up day -> its message, shared
        for view in q.qualified:
            if not view.ended:
                excluded.append(_new(Excluded, (view.ref, view.id, _ONGOING)))
                continue
            end = view.end
            follow_up = follow_ups.get(end)
            if follow_up is None:
                follow_up = follow_ups[end] = _follow_up(end, months)
            if follow_up > as_of:
                message = not_due.get(follow_up)
                if message is None:
                    message = not_due[follow_up] = Message("excluded.outcome_not_due", {"on": Day(dates[follow_up])})
                excluded.append(_new(Excluded, (view.ref, view.id, message)))
                continue
            slot = find(end)
            if slot is None:
                excluded.append(_new(Excluded, (view.ref, view.id, Message("excluded.ended_outside_term", {"on": Day(dates[end])}))))
                continue
            outcome, outcome_on = view.outcome_as_of(as_of)
            success = outcome in wanted and outcome_on is not None and outcome_on <= follow_up
            due.append((slot, not success, end, view.id, view, view.start + q.delay))
        due.sort(key=_due_order)
        hits = [0] * len(periods)
        totals = [0] * len(periods)
        counted: list[Counted] = []
        seen: dict[tuple[str, int], str] = {}
        for slot, failed, _end, _id, view, qualified_on in due:
            first = seen.get((view.person, slot))
            if first is not None:
                excluded.append(_new(Excluded, (view.ref, view.id, already_counted(view, first, _IN_PERIOD))))
                continue
            seen[(view.person, slot)] = view.ref
            totals[slot] += 1
            hits[slot] += not failed
            counted.append(_new(Counted, (view.ref, view.id, dates[qualified_on], slot, int(not failed), None)))
        return Tally(share_tallies(periods, hits, totals, target), counted, excluded)

    def tally_series(self, index, dates) -> list[list[PeriodTally]]:
        """A placement followed up by the last date is followed up, with the same outcome,
        from its follow-up date on (an outcome counts only when known by then). A person
        counts in a period from their first follow-up there, and as a success until one of
        their placements there succeeds (the tally counts a person's success first)."""
        periods = self.periods()
        wanted = set(self.param("outcomes") or ())
        months = int(self.param("follow_up_months") or 0)
        find = index.period_index(periods).find
        as_of = index.as_of_o
        first: dict[tuple[int, int], list[int]] = {}  # (person, slot) -> [first follow-up, first successful one]
        never = as_of + 1
        for view in qualify_all(index, self.clause.filters).qualified:
            if not view.ended:
                continue
            follow_up = _follow_up(view.end, months)
            slot = find(view.end) if follow_up <= as_of else None
            if slot is None:
                continue
            outcome, outcome_on = view.outcome_as_of(as_of)
            success = outcome in wanted and outcome_on is not None and outcome_on <= follow_up
            found = first.setdefault((view.person, slot), [follow_up, never])
            found[0] = min(found[0], follow_up)
            if success:
                found[1] = min(found[1], follow_up)
        totals, hits = [], []
        for (_person, slot), (due, succeeded_on) in first.items():
            totals.append((due, slot, 1))
            if succeeded_on != never:
                hits.append((succeeded_on, slot, 1))
        ordinals = [day.toordinal() for day in dates]
        target = self.fraction_param("share")
        return [share_tallies(periods, h, t, target) for h, t in
                zip(cumulative(hits, ordinals, len(periods)), cumulative(totals, ordinals, len(periods)))]


@lru_cache(maxsize=8192)
def _follow_up(end: int, months: int) -> int:
    """The day (ordinal) a placement ended on `end` is followed up: calendar months later.
    Kept between evaluations: charts and pages evaluate the same records over and over,
    and dateutil's month arithmetic is slow next to everything else here."""
    return (date.fromordinal(end) + relativedelta(months=months)).toordinal()


_new = tuple.__new__  # builds an entry without the Python-level NamedTuple constructor
_due_order = itemgetter(0, 1, 2, 3)  # period, successes first (failed: False < True), end, id
_ONGOING = Message("excluded.still_ongoing")
_IN_PERIOD = Message("where.in_period")
