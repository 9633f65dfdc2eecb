"""The BIS Denied Persons List parser (tab-separated text)."""

from __future__ import annotations

import collections
import csv
import datetime as dt
from pathlib import Path

import pytest

from service.errors import ParseError
from service.model import Address, Entity, Kind, Name, NameType
from service.sources import us_bis_dpl
from service.sources.base import Sniffed, read_head
from tests.sources_helpers import by_reference, files_under, parse_error

LIST_ID = "us_bis_dpl"


def parse(path: Path) -> tuple[dt.date | None, list[Entity]]:
    parsed = us_bis_dpl.read([path], LIST_ID)
    return parsed.published, list(parsed.entities)


# --- the real file ----------------------------------------------------------------------


@pytest.mark.shared_lists
def test_real_file_counts(shared_lists: Path) -> None:
    path = shared_lists / "us_trade" / "bis-dpl-2023.txt"
    with open(path, newline="", encoding="utf-8") as f:
        assert sum(1 for _ in csv.reader(f, delimiter="\t")) - 1 == 665  # MANIFEST: 665 rows
    published, entities = parse(path)
    # The latest Last_Update, not the "3033-09-30" typo on JOSE ERNESTO GARCIA's row.
    assert published == dt.date(2023, 11, 28)
    # 665 rows are 547 (name, effective date) listings; one of them, the airline spelled
    # "AL NASER AIRLINES" and "AL-NASER  AIRLINES" with other rows between, appears twice.
    assert len(entities) == 547
    assert len({e.id for e in entities}) == 547
    assert [e.reference for e in entities if e.reference.endswith("-2")] == [
        "al-naser-airlines-2023-10-31-2"
    ]
    assert collections.Counter(e.kind for e in entities) == {
        Kind.PERSON: 444,
        Kind.ORGANIZATION: 103,
    }
    # 665 address rows less two exact repeats (DAQING ZHOU, NEI-CHIEN CHU).
    assert sum(len(e.addresses) for e in entities) == 663
    assert all(e.listed_on and e.programs == ("DPL",) for e in entities)


@pytest.mark.shared_lists
def test_real_file_spot_checks(shared_lists: Path) -> None:
    _, entities = parse(shared_lists / "us_trade" / "bis-dpl-2023.txt")
    found = by_reference(entities)

    sheng = found["zimo-sheng-2020-03-16"]
    assert sheng.kind is Kind.PERSON
    assert sheng.addresses == (
        Address(
            "3975 N. CRAMER STREET, UNIT 204, MILWAUKEE, WI, 53211",
            "3975 N. CRAMER STREET, UNIT 204",
            "MILWAUKEE",
            "53211",
            "WI",
            "US",
        ),
        Address(
            "JINXIUYUAN 17-403, CHANGSHU, JIANGSU, 215500, CN",
            "JINXIUYUAN 17-403, CHANGSHU",
            "JIANGSU",
            "215500",
            None,
            "CN",
        ),
    )
    assert sheng.countries == ("US", "CN")
    assert ("expiration_date", "2028-12-13") in sheng.details

    # One person, two orders: two listings.
    assert found["i-ash-2002-03-04"].listed_on == "2002-03-04"
    assert found["i-ash-2003-06-19"].names == (Name("I. ASH"),)

    assert found["pearl-a-k-a-nei-chien-chu-li-2006-06-23"].names == (
        Name("PEARL LI"),
        Name("NEI-CHIEN CHU", NameType.AKA),
    )
    assert found["siberian-airlines-d-b-a-s7-airlines-2023-06-15"].kind is Kind.ORGANIZATION
    assert found["johnson-hu-2016-02-03"].countries == ("CN",)  # Country "PRC"
    airline = found["al-naser-airlines-2023-10-31"]
    assert airline.kind is Kind.ORGANIZATION
    assert len(airline.addresses) == 4
    assert found["al-naser-airlines-2023-10-31-2"].names == (Name("AL-NASER AIRLINES"),)


@pytest.mark.shared_lists
def test_sniff_real_files(shared_lists: Path) -> None:
    for path in files_under(shared_lists):
        found = us_bis_dpl.sniff(path, read_head(path))
        if path.name == "bis-dpl-2023.txt":
            assert found == Sniffed("us_bis_dpl", "us_bis_dpl", None)
        else:
            assert found is None, path


# --- the fixture ------------------------------------------------------------------------


def test_fixture_field_by_field(fixtures: Path) -> None:
    published, entities = parse(fixtures / "us_trade" / "dpl.txt")
    assert published == dt.date(2023, 11, 1)
    assert [e.reference for e in entities] == [
        "i-ash-2003-06-19",
        "al-naser-airlines-2023-10-31",
        "al-naser-wings-airlines-2023-10-31",
        "al-naser-airlines-2023-10-31-2",
        "fuyi-sun-a-k-a-frank-sun-2018-06-13",
        "ghashim-group-inc-2006-09-12",
        "i-ash-2002-03-04",
        "johnson-hu-2016-02-03",
        "jose-ernesto-garcia-2022-09-26",
        "pearl-a-k-a-nei-chien-chu-li-2006-06-23",
        "zimo-sheng-2020-03-16",
    ]
    found = by_reference(entities)

    assert found["al-naser-airlines-2023-10-31"] == Entity(
        id="us_bis_dpl:al-naser-airlines-2023-10-31",
        list_id=LIST_ID,
        reference="al-naser-airlines-2023-10-31",
        kind=Kind.ORGANIZATION,
        names=(Name("AL NASER AIRLINES"),),
        addresses=(
            Address(
                "AL AMIRAT STREET, SECTION 309, ST. 3/H.20, AL MANSOUR, BAGHDAD, IQ",
                "AL AMIRAT STREET, SECTION 309, ST. 3/H.20, AL MANSOUR",
                "BAGHDAD",
                None,
                None,
                "IQ",
            ),
            Address("P.O. BOX 28360, DUBAI, AE", "P.O. BOX 28360", "DUBAI", None, None, "AE"),
        ),
        countries=("IQ", "AE"),
        programs=("DPL",),
        listed_on="2023-10-31",
        details=(
            ("expiration_date", "2024-10-30"),
            ("standard_order", "Y"),
            ("last_update", "2023-11-01"),
            ("last_update", "1023-11-01"),
            ("action", "F.R. NOTICE ADDED"),
            ("fr_citation", "88 F.R. 30078 5/10/2023"),
        ),
    )

    fuyi = found["fuyi-sun-a-k-a-frank-sun-2018-06-13"]
    assert fuyi.kind is Kind.PERSON
    assert fuyi.names == (Name("FUYI SUN"), Name("FRANK SUN", NameType.AKA))
    assert fuyi.addresses == (
        Address(
            "INMATE NUMBER: 77362-054, MOSHANNON VALLEY CORRECTIONAL INSTITUTION, 555 GEO DRIVE, "
            "PHILIPSBURG, PA, 16866",
            "INMATE NUMBER: 77362-054, MOSHANNON VALLEY CORRECTIONAL INSTITUTION, 555 GEO DRIVE",
            "PHILIPSBURG",
            "16866",
            "PA",
            "US",  # no Country, but a US state
        ),
    )
    assert found["ghashim-group-inc-2006-09-12"].kind is Kind.ORGANIZATION
    assert len(found["ghashim-group-inc-2006-09-12"].addresses) == 2
    assert found["i-ash-2003-06-19"].names == (Name("I. ASH"),)  # leading space dropped
    assert ("last_update", "3033-09-30") in found["jose-ernesto-garcia-2022-09-26"].details


def test_fixture_sniff(fixtures: Path, tmp_path: Path) -> None:
    path = fixtures / "us_trade" / "dpl.txt"
    assert us_bis_dpl.sniff(path, read_head(path)) == Sniffed("us_bis_dpl", "us_bis_dpl", None)
    csv_header = tmp_path / "dpl.csv"
    csv_header.write_text(",".join(us_bis_dpl.HEADER) + "\n")
    assert us_bis_dpl.sniff(csv_header, read_head(csv_header)) is None


@pytest.mark.parametrize(
    ("name", "organization"),
    [
        ("GHASHIM GROUP, INC.", True),
        ("COTRICOM S.A.", True),
        ("BIB INDUSTRIE-HANDEL DIPL.ING M. MANGELSEN GMBH", True),
        ("SHUTTLE LONG CO, LTD.", True),
        ("BAHAR SAFWA GENERAL TRADING", True),
        ("SYNAPTIX.NET", True),
        ("SIBERIAN AIRLINES D/B/A S7 AIRLINES", True),
        ("ABEL HERNANDEZ, JR.", False),
        ("COLONEL ELYAZGI", False),
        ("SABA AGNESE", False),
    ],
)
def test_kind_heuristic(name: str, organization: bool) -> None:
    assert us_bis_dpl.looks_like_organization(name) is organization


def test_duplicate_ids_are_made_unique_in_file_order(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "us_trade" / "dpl.txt").read_text(encoding="utf-8").splitlines()
    zimo = lines[-1]
    path = tmp_path / "dup.txt"
    # The same listing line three times, apart: three ids; adjacent repeats merge.
    path.write_text(
        "\n".join([lines[0], zimo, lines[1], zimo, zimo, lines[2], zimo]) + "\n", encoding="utf-8"
    )
    _, entities = parse(path)
    assert [e.reference for e in entities] == [
        "zimo-sheng-2020-03-16",
        "i-ash-2003-06-19",
        "zimo-sheng-2020-03-16-2",
        "al-naser-airlines-2023-10-31",
        "zimo-sheng-2020-03-16-3",
    ]
    _, again = parse(path)
    assert [e.id for e in again] == [e.id for e in entities]


# --- malformed input --------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    return path


def expect_error(path: Path, location: str) -> ParseError:
    return parse_error(parse, path, location)


def fixture_lines(fixtures: Path) -> list[str]:
    return (fixtures / "us_trade" / "dpl.txt").read_text(encoding="utf-8").splitlines()


def test_truncated_file(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "us_trade" / "dpl.txt").read_text(encoding="utf-8")
    cut = text.rindex('"JIANGSU"')  # inside the last row: fields missing
    expect_error(write(tmp_path, text[:cut]), "row 15 (line 16)")
    cut = text.rindex("JINXIUYUAN")  # inside a quoted field: unterminated quote
    expect_error(write(tmp_path, text[:cut]), "line 16")


def test_wrong_column_count(fixtures: Path, tmp_path: Path) -> None:
    lines = fixture_lines(fixtures)
    lines[3] = lines[3].rsplit("\t", 1)[0]
    error = expect_error(write(tmp_path, "\n".join(lines) + "\n"), "row 3 (line 4)")
    assert "11 fields" in error.problem


def test_bad_date(fixtures: Path, tmp_path: Path) -> None:
    lines = fixture_lines(fixtures)
    lines[5] = lines[5].replace('"10/31/2023"', '"31.10.2023"')
    expect_error(write(tmp_path, "\n".join(lines) + "\n"), "row 5 (line 6)")


def test_empty_files(tmp_path: Path) -> None:
    expect_error(write(tmp_path, ""), "line 1")
    header = "\t".join(f'"{c}"' for c in us_bis_dpl.HEADER)
    expect_error(write(tmp_path, header + "\n"), "line 2")
    expect_error(write(tmp_path, "Name,Street\nA,B\n"), "line 1")


def test_encodings(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "us_trade" / "dpl.txt").read_bytes()
    path = tmp_path / "latin.txt"
    # A Windows-1252 line among UTF-8 ones is read as Windows-1252; a BOM is dropped.
    path.write_bytes(b"\xef\xbb\xbf" + data.replace(b'"JOHNSON HU"', b'"JOS\xc9 HU"'))
    _, entities = parse(path)
    assert entities[7].name == "JOSÉ HU"
    # 0x81 is neither UTF-8 here nor defined in Windows-1252.
    path.write_bytes(data.replace(b'"JOHNSON HU"', b'"JOHNSON \x81HU"'))
    expect_error(path, "line 12")
