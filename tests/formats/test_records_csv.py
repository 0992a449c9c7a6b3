"""Placements, labour hours and period reports read from CSV as spreadsheets write them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procure.domain.identity import personal_number_hash
from procure.domain.model import LabourHours, Participant, PeriodReport, Placement
from procure.domain.vocabulary import GENDERS, OUTCOMES, PLACEMENT_STATUSES, PLACEMENT_TYPES, TARGET_GROUPS
from procure.formats.errors import InputErrors
from procure.formats.records_csv import (
    placement_id,
    read_labour_hours,
    read_period_reports,
    read_placements,
    write_labour_hours_csv,
    write_period_reports_csv,
    write_placements_csv,
)

SECRET = b"test secret"
TEST_NUMBER = "19121212-1212"  # Skatteverket's test personnummer
HEADER = "participant_ref,placement_type,start"


def read(text: str, **kwargs):
    return read_placements(text, secret=SECRET, **kwargs)


def errors_of(text: str, reader=read) -> list:
    with pytest.raises(InputErrors) as caught:
        reader(text)
    return caught.value.errors


def one_placement(text: str) -> Placement:
    _, placements = read(text)
    assert len(placements) == 1
    return placements[0]


# -- dates, numbers, booleans, lists ---------------------------------------------------


@pytest.mark.parametrize("written", ["2016-03-01", "2016/03/01", "20160301", "2016-3-1"])
def test_each_unambiguous_date_form_is_read(written):
    assert one_placement(f"{HEADER}\nP-1,internship,{written}\n").start == date(2016, 3, 1)


@pytest.mark.parametrize("written", ["01/03/2016", "03/01/2016", "01.03.2016", "1-3-16"])
def test_day_or_month_first_dates_are_rejected_as_ambiguous(written):
    [error] = errors_of(f"{HEADER}\nP-1,internship,{written}\n")
    assert (error.row, error.column) == (2, "start")
    assert "ambiguous" in error.message and "2016-03-01" in error.message


def test_a_date_that_does_not_exist_is_named():
    [error] = errors_of(f"{HEADER},end\nP-1,internship,2016-02-01,2016-02-30\n")
    assert str(error) == "placements.csv: row 2, column end: 2016-02-30 is not a date (there is no such day)"


@pytest.mark.parametrize(
    "written, expected",
    [("ja", True), ("JA", True), ("yes", True), ("true", True), ("1", True),
     ("nej", False), ("No", False), ("FALSE", False), ("0", False)],
)  # fmt: skip
def test_booleans_in_swedish_and_english(written, expected):
    text = f"{HEADER},supervisor_trained\nP-1,internship,2016-03-01,{written}\n"
    assert one_placement(text).supervisor_trained is expected


def test_decimal_comma_in_a_semicolon_file():
    text = "participant_ref;placement_type;start;hours_per_week;days_per_week\nP-1;internship;2016-03-01;37,5;3\n"
    placement = one_placement(text)
    assert placement.hours_per_week == Decimal("37.5")
    assert placement.days_per_week == Decimal(3)


def test_target_groups_split_by_bar_or_by_semicolon_in_a_quoted_comma_cell():
    text = (
        f"{HEADER},target_groups\n"
        "P-1,internship,2016-03-01,newcomer|unemployed_youth\n"
        'P-2,internship,2016-03-01,"newcomer; disability"\n'
    )
    participants, _ = read(text)
    assert [p.target_groups for p in participants] == [
        ("newcomer", "unemployed_youth"),
        ("newcomer", "disability"),
    ]


def test_semicolon_file_lists_groups_with_bars():
    text = "participant_ref;placement_type;start;target_groups\nP-1;internship;2016-03-01;newcomer|leaving_crime\n"
    participants, _ = read(text)
    assert participants[0].target_groups == ("newcomer", "leaving_crime")


def test_contract_specific_target_groups_are_accepted_when_given():
    text = f"{HEADER},target_groups\nP-1,internship,2016-03-01,roma_inclusion\n"
    assert [e.column for e in errors_of(text)] == ["target_groups"]
    participants, _ = read(text, extra_target_groups=("roma_inclusion",))
    assert participants[0].target_groups == ("roma_inclusion",)


def test_empty_cells_are_absent_values():
    text = (
        "participant_ref,gender,placement_type,start,end,hours_per_week,supervisor_trained,status\n"
        "P-1,,internship,2016-03-01,,,,\n"
    )
    participants, placements = read(text)
    assert participants == (Participant(ref="P-1"),)
    assert placements[0].end is None
    assert placements[0].hours_per_week is None
    assert placements[0].supervisor_trained is None
    assert placements[0].status == "active"


def test_columns_in_any_order_and_extension_columns():
    text = (
        "employed_before_start,start,planned_end,placement_type,participant_ref,end,status\n"
        "ja,2017-04-03,2017-12-31,employment,V-3,2017-06-30,ended_early\n"
    )
    placement = one_placement(text)
    assert placement == Placement(
        id="V-3/2017-04-03/employment",
        participant_ref="V-3",
        placement_type="employment",
        start=date(2017, 4, 3),
        end=date(2017, 6, 30),
        status="ended_early",
        planned_end=date(2017, 12, 31),
        employed_before_start=True,
    )


# -- encodings and delimiters ----------------------------------------------------------


def test_utf8_with_bom_from_excel(tmp_path: Path):
    path = tmp_path / "lista.csv"
    path.write_bytes("\ufeffparticipant_ref;placement_type;start;gender\nP-Ö;praktik;2016-03-01;female\n".encode())
    # "praktik" is Swedish for internship but the stored codes are English: one error, on row 2.
    with pytest.raises(InputErrors) as caught:
        read_placements(path, secret=SECRET)
    [error] = caught.value.errors
    assert (error.source, error.row, error.column) == (str(path), 2, "placement_type")
    path.write_bytes("\ufeffparticipant_ref;placement_type;start\nP-Ö;internship;2016-03-01\n".encode())
    participants, _ = read_placements(path, secret=SECRET)
    assert participants[0].ref == "P-Ö"


def test_bytes_and_open_files_are_read_too():
    text = f"{HEADER}\nP-1,internship,2016-03-01\n"
    assert read_placements(text.encode(), secret=SECRET) == read(text)
    assert read_placements(io.StringIO(text), secret=SECRET) == read(text)


def test_a_latin1_file_is_rejected_saying_so():
    data = "participant_ref;placement_type;start;target_groups\nP-Å;internship;2016-03-01;newcomer\n".encode("latin-1")
    [error] = errors_of(data)
    assert "not UTF-8" in error.message and "line 2" in error.message


# -- the header --------------------------------------------------------------------------


def test_unknown_columns_are_named_with_a_suggestion():
    errors = errors_of(f"{HEADER},hours_a_week,employer\nP-1,internship,2016-03-01,40,x\n")
    messages = [e.message for e in errors]
    assert any("unknown column hours_a_week" in m and "hours_per_week" in m for m in messages)
    assert any("unknown column employer" in m and "employer_org_number" in m for m in messages)
    assert all(e.row == 1 for e in errors)


def test_missing_required_columns_are_listed():
    [error] = errors_of("participant_ref,end\nP-1,2016-05-01\n")
    assert "placement_type" in error.message and "start" in error.message


def test_an_empty_file_says_it_needs_a_header():
    [error] = errors_of("")
    assert "header" in error.message


# -- rows ---------------------------------------------------------------------------------


def test_every_bad_cell_is_reported_at_once_with_row_and_column():
    text = (
        "participant_ref;gender;birth_year;placement_type;start;end;hours_per_week;days_per_week;"
        "employer_org_number;supervisor_trained;status;outcome;outcome_date\n"
        "P-1;female;1990;internship;2016-03-01;2016-05-01;40;5;556033-4285;ja;completed;none;\n"
        "P-2;femal;1990;intern;2016-03-01;2016-05-01;200;8;556033-4286;kanske;done;hired;\n"
        ";male;1990;internship;;;;;;;;;\n"
        "P-4;male;2012;internship;2016-03-01;2016-02-01;40;5;;;completed;;2016-01-01\n"
    )
    found = {(e.row, e.column) for e in errors_of(text)}
    assert found == {
        (3, "gender"), (3, "placement_type"), (3, "hours_per_week"), (3, "days_per_week"),
        (3, "employer_org_number"), (3, "supervisor_trained"), (3, "status"), (3, "outcome"),
        (4, "participant_ref"), (4, "start"),
        (5, "birth_year"), (5, "end"), (5, "outcome_date"),
    }  # fmt: skip


def test_vocabulary_errors_suggest_the_close_code():
    [error] = errors_of(f"{HEADER}\nP-1,internshp,2016-03-01\n")
    assert "did you mean internship?" in error.message


def test_an_ended_placement_needs_its_end_date():
    [error] = errors_of(f"{HEADER},status\nP-1,internship,2016-03-01,completed\n")
    assert error.column == "end"


def test_rows_of_one_participant_must_agree_and_both_rows_are_named():
    text = (
        f"{HEADER},gender,birth_year\n"
        "P-1,internship,2016-03-01,female,1990\n"
        "P-1,employment,2016-06-01,,1990\n"  # an empty cell is no contradiction
        "P-1,employment,2016-09-01,male,1990\n"
    )
    [error] = errors_of(text)
    assert (error.row, error.column) == (4, "gender")
    assert "row 2" in error.message


def test_participant_fields_from_several_rows_are_merged():
    text = f"{HEADER},gender,target_groups\nP-1,internship,2016-03-01,,newcomer\nP-1,employment,2016-06-01,female,\n"
    participants, placements = read(text)
    assert participants == (Participant("P-1", ("newcomer",), "female"),)
    assert len(placements) == 2


def test_the_same_placement_twice_is_an_error():
    [error] = errors_of(f"{HEADER}\nP-1,internship,2016-03-01\nP-1,internship,2016-03-01\n")
    assert error.row == 3 and "row 2" in error.message


def test_blank_and_padding_rows_are_skipped_but_keep_row_numbers():
    text = f"{HEADER}\n\nP-1,internship,2016-03-01\n,,\nP-2,internship,2016-13-01\n"
    [error] = errors_of(text)
    assert error.row == 5


def test_placement_ids_are_stable_across_reads():
    text = f"{HEADER}\nP-1,internship,2016-03-01\n"
    first, second = read(text)[1][0].id, read(text)[1][0].id
    assert first == second == placement_id("P-1", date(2016, 3, 1), "internship")


# -- personal identity numbers ----------------------------------------------------------


def test_a_personnummer_becomes_its_keyed_hash():
    participants, _ = read(f"{HEADER},personnummer\nP-1,internship,2016-03-01,{TEST_NUMBER}\n")
    assert participants[0].identity_hash == personal_number_hash(TEST_NUMBER, SECRET)
    assert TEST_NUMBER.replace("-", "") not in repr(participants)


def test_a_bad_personnummer_error_never_shows_the_number():
    bad = "19121212-1213"  # wrong check digit
    text = f"{HEADER},personnummer\nP-1,internship,2016-03-01,{bad}\nP-2,internship,2016-03-01,{TEST_NUMBER}\n"
    [error] = errors_of(text)
    assert error.column == "personnummer" and error.row == 2
    assert "1213" not in str(error) and "121212" not in str(error)


def test_two_personnummer_for_one_participant_is_an_error_without_the_numbers():
    text = (
        f"{HEADER},personnummer\n"
        f"P-1,internship,2016-03-01,{TEST_NUMBER}\n"
        "P-1,employment,2016-06-01,191212121212\n"  # the same number in another form: fine
        "P-1,employment,2016-09-01,20000101-0008\n"
    )
    errors = errors_of(text)
    assert [(e.row, e.column) for e in errors] == [(4, "personnummer")]
    assert "121212" not in str(errors[0]) and "0008" not in str(errors[0])


# -- labour hours and period reports ---------------------------------------------------------


def test_labour_hours():
    hours = read_labour_hours("month;employer_org_number;hours\n2017-03;5560334285;1 200,5\n2017/04;556033-4285;900\n")
    assert hours == (
        LabourHours(date(2017, 3, 1), "556033-4285", Decimal("1200.5")),
        LabourHours(date(2017, 4, 1), "556033-4285", Decimal(900)),
    )


def test_labour_hours_errors():
    text = "month,employer_org_number,hours\n2017-13,556033-4285,10\n2017-03,556033-4285,-1\n2017-04,,5\n2017-05,556033-4285,5\n2017-05,5560334285,6\n"
    errors = errors_of(text, read_labour_hours)
    assert [(e.row, e.column) for e in errors] == [(2, "month"), (3, "hours"), (4, "employer_org_number"), (6, None)]
    assert errors[0].source == "hours.csv"


def test_period_reports():
    reports = read_period_reports("period,submitted_on\n2017-q3,2017-10-20\n2017-09,\n")
    assert reports == (PeriodReport("2017-Q3", date(2017, 10, 20)), PeriodReport("2017-09", None))


def test_period_report_errors():
    errors = errors_of("period,submitted_on\n2017-Q5,2017-10-20\n2017-Q3,20/10/2017\n2017-Q3,\n2017-Q3,\n", read_period_reports)
    assert [(e.row, e.column) for e in errors] == [(2, "period"), (3, "submitted_on"), (5, "period")]


# -- writing and reading back ----------------------------------------------------------------


def test_the_example_placements_round_trip_without_personnummer():
    path = Path(__file__).parents[2] / "contracts" / "remonthagen.placements.csv"
    participants, placements = read_placements(path, secret=SECRET)
    written = write_placements_csv(participants, placements)
    assert "personnummer" not in written and "19121212" not in written and "121212-1212" not in written
    again_people, again_placements = read(written)
    assert again_placements == placements
    # The identity is carried by its keyed hash, as the person_key column.
    assert again_people == participants


def test_hours_and_reports_round_trip():
    hours = (LabourHours(date(2017, 3, 1), "556033-4285", Decimal("1200.5")),)
    reports = (PeriodReport("2017-Q3", date(2017, 10, 20)), PeriodReport("2017-10"))
    assert read_labour_hours(write_labour_hours_csv(hours)) == hours
    assert read_period_reports(write_period_reports_csv(reports)) == reports


refs = st.from_regex(r"[A-Z]{1,2}-[0-9]{1,4}", fullmatch=True)
dates = st.dates(date(2010, 1, 1), date(2030, 12, 31))
amounts = st.decimals(min_value=0, max_value=168, places=1)


@st.composite
def records(draw):
    people = draw(
        st.lists(
            st.builds(
                Participant,
                ref=refs,
                target_groups=st.lists(st.sampled_from(list(TARGET_GROUPS)), unique=True).map(tuple),
                gender=st.sampled_from(list(GENDERS)),
                birth_year=st.none(),
            ),
            min_size=1,
            max_size=5,
            unique_by=lambda p: p.ref,
        )
    )
    placements = {}
    for _ in range(draw(st.integers(1, 8))):
        person = draw(st.sampled_from(people))
        start = draw(dates)
        kind = draw(st.sampled_from(list(PLACEMENT_TYPES)))
        end = draw(st.none() | st.dates(start, date(2031, 12, 31)))
        status = draw(st.sampled_from([s for s in PLACEMENT_STATUSES if end or s in ("planned", "active")]))
        identifier = placement_id(person.ref, start, kind)
        placements[identifier] = Placement(
            id=identifier,
            participant_ref=person.ref,
            placement_type=kind,
            start=start,
            end=end,
            employer_org_number=draw(st.none() | st.sampled_from(["556033-4285", "556110-1816"])),
            hours_per_week=draw(st.none() | amounts),
            days_per_week=draw(st.none() | st.decimals(min_value=0, max_value=7, places=1)),
            supervisor_trained=draw(st.none() | st.booleans()),
            status=status,
            outcome=draw(st.none() | st.sampled_from(list(OUTCOMES))),
            outcome_date=draw(st.none() | st.dates(start, date(2032, 1, 1))),
            planned_end=draw(st.none() | st.dates(start, date(2032, 1, 1))),
            employed_before_start=draw(st.booleans()),
        )
    # The reader lists participants in the order of their first placement row.
    first_rows = list(dict.fromkeys(p.participant_ref for p in placements.values()))
    by_ref = {p.ref: p for p in people}
    return tuple(by_ref[ref] for ref in first_rows), tuple(placements.values())


@settings(max_examples=60, deadline=None)
@given(records())
def test_write_then_read_gives_the_same_records(generated):
    participants, placements = generated
    assert read(write_placements_csv(participants, placements)) == (participants, placements)


def test_a_row_longer_than_the_header_is_an_error_but_trailing_empty_cells_are_not():
    text = f"{HEADER}\nP-1,internship,2016-03-01,,\nP-2,internship,2016-03-01,40\n"
    [error] = errors_of(text)
    assert error.row == 3 and "header names only 3 columns" in error.message


def test_a_value_under_an_unnamed_header_cell_is_an_error():
    text = "participant_ref;placement_type;start;;\nP-1;internship;2016-03-01;;\nP-2;internship;2016-03-01;x;\n"
    [error] = errors_of(text)
    assert error.row == 3 and "column 4" in error.message


def test_short_rows_have_empty_trailing_cells():
    _, placements = read(f"{HEADER},end\nP-1,internship,2016-03-01\n")
    assert placements[0].end is None


def test_person_key_and_placement_id_round_trip_without_any_personal_number() -> None:
    from procure.formats.records_csv import read_placements, write_placements_csv

    secret = b"k" * 32
    text = (
        "participant_ref,personnummer,placement_type,start\n"
        "P-1,19121212-1212,internship,2016-03-01\n"
        "P-2,191212121212,internship,2016-04-01\n"
    )
    people, placements = read_placements(text, secret=secret)
    exported = write_placements_csv(people, placements, with_ids=True)
    assert "1212" not in exported.replace(people[0].identity_hash, "")
    again_people, again_placements = read_placements(exported, secret=secret)
    assert [p.identity_hash for p in again_people] == [p.identity_hash for p in people]
    assert again_people[0].identity_hash == again_people[1].identity_hash
    assert [p.id for p in again_placements] == [p.id for p in placements]


def test_person_key_and_personnummer_in_one_row_is_an_error() -> None:
    from procure.formats.errors import InputErrors
    from procure.formats.records_csv import read_placements

    text = "participant_ref,personnummer,person_key,placement_type,start\nP-1,19121212-1212,00112233445566778899aabbccddeeff,internship,2016-03-01\n"
    with pytest.raises(InputErrors) as caught:
        read_placements(text, secret=b"k" * 32)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "person_key")]
