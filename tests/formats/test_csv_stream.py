"""A CSV file is read as a stream: row by row, decoded as it goes, errors still placed."""

from __future__ import annotations

from pathlib import Path

import pytest

from procure.formats import csv_table
from procure.formats.errors import InputErrors
from procure.formats.records_csv import open_placements, placement_rows, read_placements

SECRET = b"test secret"
HEADER = "participant_ref;placement_type;start;end"


def rows(count: int) -> list[str]:
    return [f"P-{n};internship;2016-03-01;2016-04-{n % 28 + 1:02d}" for n in range(1, count + 1)]


def test_rows_are_read_as_they_are_iterated_not_all_at_once(tmp_path: Path):
    path = tmp_path / "large.csv"
    path.write_text("\n".join([HEADER, *rows(50_000)]) + "\n", encoding="utf-8")
    with open_placements(path) as table:
        row, values, valid = next(placement_rows(table, secret=SECRET))
        assert (row, values["participant_ref"], valid) == (2, "P-1", True)
        assert table.bytes_read() < table.size / 10


def test_a_byte_that_is_not_utf8_late_in_a_file_is_placed_with_the_errors_before_it(tmp_path: Path):
    lines = rows(20_000)
    lines[3] = lines[3].replace("internship", "praktik")
    lines[15_000] = lines[15_000].replace("P-", "P-Å")
    path = tmp_path / "latin1.csv"
    path.write_bytes(("\n".join([HEADER, *lines]) + "\n").encode("latin-1"))
    with pytest.raises(InputErrors) as caught:
        read_placements(path, secret=SECRET)
    first, last = caught.value.errors
    assert (first.row, first.column) == (5, "placement_type")
    assert "not UTF-8" in last.message and "byte 0xc5 on line 15002" in last.message


def test_utf16_from_a_file_is_named_before_anything_is_read(tmp_path: Path):
    path = tmp_path / "utf16.csv"
    path.write_text(HEADER + "\nP-1;internship;2016-03-01;\n", encoding="utf-16")
    with pytest.raises(InputErrors) as caught:
        read_placements(path, secret=SECRET)
    [error] = caught.value.errors
    assert "UTF-16" in error.message and error.source == str(path)


def test_a_missing_file_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputErrors) as caught:
        read_placements(tmp_path / "nowhere.csv", secret=SECRET)
    assert "cannot read the file" in caught.value.errors[0].message


def test_a_bom_and_crlf_line_ends_from_excel_are_read(tmp_path: Path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *rows(3)]) + "\r\n").encode("utf-8"))
    _, placements = read_placements(path, secret=SECRET)
    assert [p.participant_ref for p in placements] == ["P-1", "P-2", "P-3"]


def test_a_quoted_cell_with_a_line_break_keeps_the_row_numbers_of_a_spreadsheet(tmp_path: Path):
    path = tmp_path / "breaks.csv"
    path.write_text('participant_ref,placement_type,start,target_groups\nP-1,internship,2016-03-01,"newcomer;\ndisability"\nP-2,internship,2016-13-01,\n', encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        read_placements(path, secret=SECRET)
    [error] = caught.value.errors
    assert (error.row, error.column) == (3, "start")


def test_values_past_the_cache_of_a_column_are_parsed_all_the_same(monkeypatch):
    monkeypatch.setattr(csv_table, "CACHED_VALUES", 2)
    text = "\n".join(["participant_ref,placement_type,start,end", *(f"P-{n},internship,2016-03-01,2016-05-{n:02d}" for n in range(1, 9))])
    _, placements = read_placements(text, secret=SECRET)
    assert [p.end.day for p in placements] == list(range(1, 9))
