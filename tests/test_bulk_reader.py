"""Reading counterparty CSVs (no Redis): encodings, delimiters, headers, bad rows, and the output cells."""

from __future__ import annotations

import csv
import io

import pytest

from service.bulk.reader import MAX_LINE, CsvInput, NotCsv, parse_column_map
from service.bulk.writer import neutralise
from service.errors import BadRequest
from service.matching.types import Hit, ScreenResult
from tests.conftest import FIXTURES

BULK = FIXTURES / "bulk"


def read(data: bytes, **kwargs):  # type: ignore[no-untyped-def]
    return list(CsvInput(io.BytesIO(data), **kwargs))


def test_utf8_with_bom_ids_quoted_newlines_and_a_row_with_nothing_to_screen() -> None:
    source = CsvInput((BULK / "customers-utf8-bom.csv").open("rb"))
    assert source.header[0] == "Customer ID"  # the BOM is not part of the first column's name
    rows = list(source)
    assert [r.row_id for r in rows] == ["C-001", "C-002", "C-003", "C-004", "C-005", "C-006"]
    naqdi = rows[1]
    assert naqdi.query is not None and naqdi.query.name == "Naqdi, Mohammad Reza"
    assert naqdi.query.address is not None and "Tehran" in (naqdi.query.address.full or "")
    assert naqdi.query.country == "IR" and naqdi.query.birth_date == "1953"
    assert rows[0].query is not None and rows[0].query.country == "IR"  # "Iran" read as a country name
    assert rows[2].query is not None and rows[2].query.name == "Zoë Brontë-Müller"
    assert rows[3].line == 6  # the quoted newline made row 2 span lines 3 and 4
    assert rows[4].query is None and rows[4].error == "no name and no address to screen"


def test_windows_1252_semicolons_and_other_header_wordings() -> None:
    source = CsvInput((BULK / "suppliers-cp1252.csv").open("rb"))
    assert source.delimiter == ";"
    assert set(source.mapping) == {"name", "street", "postal_code", "city", "country"}
    rows = list(source)
    assert rows[0].fields["name"] == "Société Générale des Eaux"
    assert rows[1].fields["city"] == "München" and rows[1].fields["street"] == "Hauptstraße 5"
    assert rows[1].query is not None, "an unknown country is left out, not an error"
    assert rows[1].note and "Deutschland" in rows[1].note
    assert rows[0].query is not None and rows[0].query.address is not None
    assert rows[0].query.address.city == "Paris" and rows[0].query.address.country == "FR"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_every_common_delimiter(delimiter: str) -> None:
    text = (
        delimiter.join(["id", "name", "country"])
        + "\n"
        + delimiter.join(["7", "Acme, Inc" if delimiter != "," else '"Acme, Inc"', "US"])
    )
    rows = read(text.encode())
    assert rows[0].row_id == "7" and rows[0].fields["name"] == "Acme, Inc" and rows[0].fields["country"] == "US"


def test_a_utf8_file_with_one_stray_cp1252_byte_loses_one_character_not_the_file() -> None:
    rows = read("name\nJosé\n".encode() + b"M\xfcller\n")
    assert [r.fields["name"] for r in rows] == ["José", "Müller"]


def test_bad_rows_are_reported_in_place_and_the_good_ones_around_them_read() -> None:
    rows = list(CsvInput((BULK / "broken.csv").open("rb")))
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6, 7], "no row is dropped"
    good = {r.number for r in rows if r.query is not None}
    assert good == {1, 5, 7}
    errors = {r.number: r.error for r in rows}
    assert "broken quoting" in (errors[2] or "")
    assert "5 fields where the header has 3" in (errors[3] or "")
    assert "never closed" in (errors[4] or "") and "line 5" in (errors[4] or "")
    assert "1,500 characters" in (errors[6] or "")


def test_an_unclosed_quote_swallows_at_most_a_few_lines_not_the_file() -> None:
    lines = ["name,country", '"Open quote,DE'] + [f"Company {i},FR" for i in range(100)]
    rows = read("\n".join(lines).encode())
    assert len(rows) == 101
    assert rows[0].error and rows[1].fields["name"] == "Company 0" and rows[-1].fields["name"] == "Company 99"


def test_a_line_longer_than_the_limit_is_one_bad_row_and_is_never_held_whole() -> None:
    data = b"name,country\n" + b"x" * (MAX_LINE * 3) + b"\nAcme,GB\n"
    rows = read(data)
    assert len(rows) == 2
    assert rows[0].error and "longer than" in rows[0].error
    assert rows[1].fields == {"name": "Acme", "country": "GB"}


def test_an_explicit_column_map_for_headers_no_alias_knows() -> None:
    path = BULK / "mapped.tsv"
    with pytest.raises(NotCsv, match="no column to screen"):
        CsvInput(path.open("rb"))
    columns = parse_column_map("name=Counterparty Legal Name, country=Ctry, row_id=Acct")
    rows = list(CsvInput(path.open("rb"), columns=columns))
    assert [(r.row_id, r.fields["name"], r.fields["country"]) for r in rows] == [
        ("A1", "ISLAMIC REVOLUTIONARY GUARD CORPS", "IR"),
        ("A2", "Acme Widgets Ltd", "GB"),
    ]


def test_a_column_map_that_names_a_missing_column_or_an_unknown_field_is_a_400() -> None:
    with pytest.raises(BadRequest, match="no such column"):
        CsvInput(io.BytesIO(b"a,b\n1,2\n"), columns={"name": "Customer"})
    with pytest.raises(BadRequest, match="unknown fields 'nmae'"):
        parse_column_map("nmae=Customer")


def test_first_and_last_name_columns_make_one_name() -> None:
    rows = read(b"First Name,Last Name,DOB,Type\nMohammad Reza,Naqdi,1953,individual\nX,Y,28/07/1963,person\n")
    assert rows[0].query is not None and rows[0].query.name == "Mohammad Reza Naqdi"
    assert rows[0].query.kind == "person"
    assert rows[1].error and "birth_date" in rows[1].error


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(100), "ZIP"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (bytes(range(256)) * 4, "NUL"),
        ("name\nAcme\n".encode("utf-16"), "UTF-16"),
        (b"foo,bar\n1,2\n", "no column to screen"),
    ],
)
def test_what_is_not_a_csv_to_screen_is_refused_before_any_row(data: bytes, problem: str) -> None:
    with pytest.raises(NotCsv, match=problem) as caught:
        CsvInput(io.BytesIO(data))
    assert 400 <= caught.value.status < 500


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    out = io.StringIO()
    csv.writer(out).writerow([neutralise(cell)])
    assert not out.getvalue().lstrip('"').startswith(("=", "+", "-", "@", "\t", "\r"))


def test_plain_cells_are_left_alone() -> None:
    assert neutralise("Acme") == "Acme" and neutralise("0.9") == "0.9" and neutralise("") == ""


def _result(*scores_and_matches: tuple[float, bool]) -> ScreenResult:
    hits = tuple(
        Hit(f"l:{i}", "l", str(i), "person", "X", "X", score, match, ())
        for i, (score, match) in enumerate(scores_and_matches)
    )
    return ScreenResult("s", "ssm-1", 0.8, {}, hits, len(hits))


def test_decision_hit_review_clear() -> None:
    assert _result((0.95, True), (0.75, False)).decision() == "hit"
    assert _result((0.75, False)).decision() == "review"
    assert _result((0.72, False)).decision(review_threshold=0.74) == "clear"
    assert _result().decision() == "clear"
