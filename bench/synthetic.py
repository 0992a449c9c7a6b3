"""A seeded generator of a realistic contract and its records, for benchmarks and demos.

    python bench/synthetic.py --placements 10000 --seed 1 --out /tmp/synthetic

writes `contract.toml` (8 clauses over several rule kinds), `placements.csv` (SPEC's
columns, personnummer left empty, plus the extension columns planned_end and
employed_before_start), `hours.csv` and `reports.csv`. The mix follows the seed
articles: 8-week internships of 3 days work + 2 days SFI, employments (some ending
early), apprenticeships, summer jobs, training and mentorships, by a contractor and
three subcontractors. Statuses and outcomes are as known on `--as-of`.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from dateutil.relativedelta import relativedelta

from procure.domain.model import Bonus, Clause, Contract, Filters, Organisation, Penalty, Waiver
from procure.formats.contract_toml import dump_contract

START, END = date(2016, 3, 1), date(2018, 6, 30)
BUYER = Organisation("Östersundshem AB", "556110-1816", "buyer")
CONTRACTOR = Organisation("Skanska Sverige AB", "556033-4285", "contractor")
SUBCONTRACTORS = (
    Organisation("Jämtbygg AB", "556677-8899"),
    Organisation("Storsjö El AB", "559012-3450"),
    Organisation("Frösö Måleri AB", "556400-1237"),
)
EMPLOYERS = [CONTRACTOR.org_number] * 4 + [o.org_number for o in SUBCONTRACTORS]
GROUPS = ["newcomer"] * 5 + ["unemployed_youth"] * 3 + ["long_term_unemployed"] * 2 + ["disability", "leaving_crime"]
COLUMNS = ("participant_ref", "target_groups", "gender", "birth_year", "personnummer", "placement_type", "start",
           "end", "hours_per_week", "days_per_week", "employer_org_number", "supervisor_trained", "status",
           "outcome", "outcome_date", "planned_end", "employed_before_start")
# placement type: (weight, weeks low, weeks high, hours per week, days per week at the workplace)
KINDS = {
    "internship": (45, 5, 12, "24", "3"),  # 3 days work + 2 days SFI
    "employment": (20, 12, 52, "40", "5"),
    "apprenticeship": (10, 26, 78, "40", "5"),
    "summer_job": (10, 4, 6, "30", "5"),
    "training": (10, 4, 12, "20", "4"),
    "mentorship": (5, 12, 26, "4", "1"),
}
OUTCOMES = ["job_matching"] * 3 + ["job_stepping_stone"] * 2 + ["education"] * 2 + ["apprenticeship", "none", "unknown"]


def contract() -> Contract:
    internships = Filters(placement_types=("internship", "apprenticeship", "employment"),
                          target_groups=("newcomer", "unemployed_youth"), min_weeks=Decimal(8),
                          exclude_employed_before_start=True)
    employments = Filters(placement_types=("employment", "apprenticeship"))
    clauses = (
        Clause("SC-1", "Internships for newcomers and unemployed youth", "placement_count",
               "Leverantören ska under avtalstiden erbjuda minst en praktikplats om minst åtta veckor per påbörjade tio miljoner kronor.",
               {"per_value_sek": 10_000_000, "units": 1}, internships, Penalty(per_unit_sek=25_000, cap_sek=500_000),
               Bonus(per_unit_sek=10_000, cap_sek=200_000)),
        Clause("SC-2", "Placement-weeks each quarter", "placement_weeks", "",
               {"target_weeks": Decimal(40), "fte": True, "period": "quarter"},
               Filters(min_days_per_week=Decimal(3)), Penalty(per_unit_sek=2_000, cap_sek=300_000)),
        Clause("SC-3", "Share of labour hours", "hours_share", "", {"share": Decimal("0.05"), "period": "year"},
               Filters(placement_types=("internship", "employment", "apprenticeship")),
               Penalty(per_breach_sek=100_000)),
        Clause("SC-4", "Outcomes after six months", "outcome_rate", "",
               {"share": Decimal("0.4"), "outcomes": ("job_matching", "job_stepping_stone", "education", "apprenticeship"),
                "follow_up_months": 6}, Filters(min_weeks=Decimal(8))),
        Clause("SC-5", "Women among participants", "group_share", "", {"share": Decimal("0.3"), "gender": "female"},
               Filters(min_weeks=Decimal(4))),
        Clause("SC-6", "Quarterly reports", "reporting", "", {"frequency": "quarterly", "due_days": 30},
               penalty=Penalty(per_breach_sek=5_000)),
        Clause("SC-7", "Full-time employment months", "full_time_months", "",
               {"target_months": Decimal(120), "completion_share": Decimal("0.75"), "first_within_months": 6}, employments),
        Clause("SC-8", "Social value", "social_value", "",
               {"share_of_value": Decimal("0.02"),
                "values": {"internship": Decimal(2500), "apprenticeship": Decimal(4000),
                           "employment": {"newcomer": Decimal(6000), "*": Decimal(5000)}}}),
    )
    return Contract(reference="OH-2016-REMONTHAGEN", title="Remonthagen, new rental housing", buyer=BUYER,
                    contractor=CONTRACTOR, start=START, end=END, value_sek=180_000_000, site="Remonthagen, Östersund",
                    subcontractors=SUBCONTRACTORS, clauses=clauses,
                    waivers=(Waiver("SC-2", "No candidates offered by Arbetsförmedlingen in the first quarter", START),))


def placements(n: int, rnd: random.Random, as_of: date):
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    term_days = (END - START).days
    rows = []
    person = 0
    while len(rows) < n:
        person += 1
        ref = f"P-{person:07d}"
        groups = "|".join(sorted(set(rnd.sample(GROUPS, rnd.choice((1, 1, 1, 2))))))
        gender = rnd.choices(("female", "male", "other", "undisclosed"), (30, 60, 2, 8))[0]
        begin = START + timedelta(days=rnd.randint(-60, term_days))
        birth_year = begin.year - rnd.randint(16, 60)
        for _ in range(min(rnd.choice((1, 1, 1, 2, 2, 3)), n - len(rows))):
            kind = rnd.choices(kinds, weights)[0]
            _, low, high, hours, days = KINDS[kind]
            if kind == "summer_job":
                june = date(begin.year, 6, rnd.randint(10, 25))
                begin = june if june >= begin else june.replace(year=june.year + 1)
            weeks = rnd.randint(low, high)
            planned_end = begin + timedelta(days=7 * weeks - 1)
            end, planned, status = planned_end, None, "active"
            if begin > as_of:
                status = "planned"
            elif planned_end < as_of:
                status = "completed"
                if kind in ("employment", "apprenticeship", "internship") and rnd.random() < 0.15:
                    status, planned = "ended_early", planned_end
                    end = begin + timedelta(days=int((planned_end - begin).days * rnd.uniform(0.3, 0.95)))
            outcome = outcome_date = None
            if status in ("completed", "ended_early") and rnd.random() < 0.6:
                outcome_date = end + timedelta(days=rnd.randint(0, 240))
                if outcome_date <= as_of:
                    outcome = rnd.choice(OUTCOMES)
                else:
                    outcome_date = None
            rows.append((ref, groups, gender, birth_year, "", kind, begin, end, hours, days, rnd.choice(EMPLOYERS),
                         "yes" if rnd.random() < 0.9 else "no", status, outcome, outcome_date, planned,
                         "yes" if rnd.random() < 0.03 else ""))
            begin = end + timedelta(days=rnd.randint(1, 90))
    return rows


def hours(rows, rnd: random.Random, as_of: date):
    """Monthly labour hours per employer, so that placements are around 5 % of them."""
    placement_hours = sum((min(r[7], as_of) - r[6]).days / 7 * float(r[8]) for r in rows if r[12] != "planned")
    months = []
    month = START.replace(day=1)
    while month <= min(END, as_of):
        months.append(month)
        month += relativedelta(months=1)
    per_month = placement_hours / 0.05 / max(1, len(months))
    shares = {org: rnd.uniform(0.5, 1.5) for org in dict.fromkeys(EMPLOYERS)}
    total = sum(shares.values())
    return [(f"{m:%Y-%m}", org, round(per_month * s / total * rnd.uniform(0.8, 1.2))) for m in months for org, s in shares.items()]


def reports(rnd: random.Random, as_of: date):
    out = []
    quarter = date(START.year, (START.month - 1) // 3 * 3 + 1, 1)
    while quarter <= END:
        last = quarter + relativedelta(months=3) - timedelta(days=1)
        label = f"{quarter.year}-Q{(quarter.month - 1) // 3 + 1}"
        submitted = min(last, END) + timedelta(days=rnd.choice((10, 15, 20, 25, 28, 35)))
        if submitted <= as_of and rnd.random() > 0.05:
            out.append((label, submitted.isoformat()))
        quarter = last + timedelta(days=1)
    return out


def write(out: Path, n: int, seed: int, as_of: date) -> None:
    rnd = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "contract.toml").write_text(dump_contract(contract()), encoding="utf-8")
    rows = placements(n, rnd, as_of)
    with open(out / "placements.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row] for row in rows)
    with open(out / "hours.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("month", "employer_org_number", "hours"))
        writer.writerows(hours(rows, rnd, as_of))
    with open(out / "reports.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("period", "submitted_on"))
        writer.writerows(reports(rnd, as_of))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--placements", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2018, 3, 31))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write(args.out, args.placements, args.seed, args.as_of)
    print(f"wrote {args.placements} placements to {args.out}")


if __name__ == "__main__":
    main()
