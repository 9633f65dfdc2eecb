"""The trade.gov Consolidated Screening List (CSV) parser."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from service.errors import ParseError
from service.model import (
    Address,
    BirthDate,
    Entity,
    Identifier,
    IdType,
    Kind,
    Link,
    LinkType,
    Name,
    NameType,
)
from service.sources import us_csl
from service.sources.base import Sniffed, read_head
from tests.sources_helpers import files_under, parse_error

LIST_ID = "us_trade_csl"


def parse(path: Path) -> list[Entity]:
    parsed = us_csl.read([path], LIST_ID)
    assert parsed.published is None  # the CSV prints no date
    return list(parsed.entities)


# --- the real file ----------------------------------------------------------------------


@pytest.mark.shared_lists
def test_real_sample(shared_lists: Path) -> None:
    entities = parse(shared_lists / "us_trade" / "csl-sample-2025.csv")
    assert len(entities) == 13  # MANIFEST: 13 rows, one per source list
    assert [e.programs[0] for e in entities] == [
        "ISN", "UVL", "MEU", "PLC", "SDN", "DTC", "DPL", "SSI", "FSE", "PLC", "SSI", "EL", "SSI",
    ]  # fmt: skip
    assert collections.Counter(e.kind for e in entities) == {Kind.ORGANIZATION: 7, Kind.PERSON: 6}
    found = {e.id.split(":", 1)[1]: e for e in entities}

    rim = found["52291"]
    assert rim.kind is Kind.PERSON and rim.reference == "52291"
    assert rim.name == "RIM, Ryong Nam"
    assert rim.birth_dates == (BirthDate("1978-12-05"),)
    assert rim.identifiers == (Identifier(IdType.PASSPORT, "836238033", "KP", "Passport"),)
    assert rim.addresses == (
        Address("Shenyang, CN", country="CN"),
        Address("Pyongyang, KP", country="KP"),
    )
    assert rim.nationalities == ("KP",)
    assert ("gender", "Male") in rim.details
    assert rim.programs == ("SDN", "NPWMD")

    sme = found["18283"]
    assert Identifier(IdType.SWIFT_BIC, "RUDVRUMM", None, "SWIFT/BIC") in sme.identifiers
    assert Name("MSP BANK AO", NameType.AKA) in sme.names
    assert sme.remarks and sme.remarks.startswith("All offices worldwide")

    plc = found["9673"]
    assert plc.birth_dates == (BirthDate("1955"),)
    assert plc.birth_places == ("Izna, Hebron",)

    # DTC and DPL rows carry no type: the name decides.
    assert (
        found["34d6611355974b0ba70eba9a096971f8"].kind is Kind.PERSON
    )  # Cesareo Estanislao Benitez
    assert (
        found["1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42"].kind is Kind.ORGANIZATION
    )  # UVL
    tnk = found["28603"]
    assert (
        Identifier(IdType.TAX_NUMBER, "CHE-267.936.404", "CH", "V.A.T. Number") in tnk.identifiers
    )


@pytest.mark.shared_lists
def test_sniff_real_files(shared_lists: Path) -> None:
    for path in files_under(shared_lists):
        found = us_csl.sniff(path, read_head(path))
        if path.name == "csl-sample-2025.csv":
            assert found == Sniffed("us_csl", "us_trade_csl", None)
        else:
            assert found is None, path


# --- the fixture ------------------------------------------------------------------------


def test_fixture_field_by_field(fixtures: Path) -> None:
    entities = parse(fixtures / "us_trade" / "csl.csv")
    assert len(entities) == 7
    isn, rim, ash, tnk, cetc, vessel, ivan = entities

    assert isn.names == (Name("Sinobright Import and Export Company"),)
    assert ("name_note", "and any successor, sub-unit, or subsidiary thereof") in isn.details
    assert isn.programs == ("ISN", "INKSNA")
    assert isn.listed_on == "2023-07-19"
    assert isn.kind is Kind.ORGANIZATION

    assert rim.details == (
        ("source_list", "SDN"),
        ("source", "Specially Designated Nationals (SDN) - Treasury Department"),
        ("entity_number", "52291"),
        (
            "secondary_sanctions_risk",
            "North Korea Sanctions Regulations, sections 510.201 and 510.210",
        ),
        ("gender", "Male"),
        (
            "transactions_prohibited_for_persons_owned_or_controlled_by_u_s_financial_institutions",
            "North Korea Sanctions Regulations section 510.214",
        ),
        ("source_list_url", "https://sanctionslist.ofac.treas.gov/Home/SdnList"),
        (
            "source_information_url",
            (
                "https://home.treasury.gov/policy-issues/financial-sanctions/"
                "specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists"
            ),
        ),
    )

    assert ash.kind is Kind.PERSON
    assert ash.addresses == (
        Address("605 TRAIL LAKE DRIVE, RICHARDSON, TX, 75081, US", country="US"),
    )
    assert ash.remarks == "50 YEAR DENIAL"
    assert ("end_date", "2056-06-29") in ash.details and ("standard_order", "Y") in ash.details

    assert tnk.identifiers == (
        Identifier(IdType.TAX_NUMBER, "CHE-267.936.404", "CH", "V.A.T. Number"),
        Identifier(
            IdType.REGISTRATION_NUMBER, "CH-660.0.559.011-2", "CH", "Business Registration Number"
        ),
    )
    assert tnk.programs == ("SSI", "VENEZUELA-EO13850", "UKRAINE-EO13662")

    # "; and" inside an Entity List address and alt_names.
    assert cetc.addresses == (
        Address("113 Hezuo Road, Shijiazhuang, Hebei, China", country="CN"),
        Address("21 Changsheng Street, Shijiazhuang, Hebei, China", country="CN"),
        Address(
            "21 Changsheng Road, Shijiazhuang, Hebei, China, Shijiazhuang, Hebei Province, CN",
            country="CN",
        ),
    )
    assert cetc.names[-1] == Name("CETC Research Institute 13", NameType.AKA)
    assert cetc.reference == "99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"

    assert vessel == Entity(
        id="us_trade_csl:99001",
        list_id=LIST_ID,
        reference="99001",
        kind=Kind.VESSEL,
        names=(Name("OCEAN FICTION"), Name("OCEAN FANTASY", NameType.AKA)),
        countries=("PA",),
        identifiers=(
            Identifier(IdType.CALL_SIGN, "9XYZ1", None, "Call Sign"),
            Identifier(IdType.IMO, "IMO 9999999", None, "Vessel Registration Identification"),
            Identifier(IdType.MMSI, "355000001", None, "MMSI"),
        ),
        programs=("SDN", "IRAN-EO13846"),
        listed_on="2024-01-15",
        links=(
            Link(
                LinkType.OWNED_BY,
                None,
                "Fiction Shipping Co Ltd",
                None,
                "Vessel Owner",
                "vessel_owner",
            ),
        ),
        details=(
            ("source_list", "SDN"),
            ("source", "Specially Designated Nationals (SDN) - Treasury Department"),
            ("entity_number", "99001"),
            ("vessel_year_of_build", "2004"),
            ("other_vessel_flag", "Comoros"),
            ("vessel_type", "Crude Oil Tanker"),
            ("gross_tonnage", "81,479"),
            ("vessel_flag", "Panama"),
            ("source_list_url", "https://sanctionslist.ofac.treas.gov/Home/SdnList"),
        ),
    )

    assert ivan.kind is Kind.PERSON
    assert ivan.names == (
        Name("FICTION, Ivan"),
        Name("ФИКЦИЯ Иван", NameType.ORIGINAL_SCRIPT, "Cyrl"),
        Name("Ivan FIKTSIYA", NameType.AKA),
    )
    assert ivan.birth_dates == (
        BirthDate("1960"),
        BirthDate("1962", "1964"),
        BirthDate("1955-12-12"),
        BirthDate("1957-03"),
    )
    assert ivan.identifiers == (
        Identifier(IdType.PASSPORT, "7200001", "RU", "Passport"),
        Identifier(IdType.NATIONAL_ID, "1234 567", "RU", "National ID No."),
    )
    assert ivan.countries == ("RU",)
    assert ivan.nationalities == ("BY", "RU")
    assert ivan.birth_places == ("Moscow, Russia",)  # the cell is ";"-separated
    assert ("date_of_birth", "sometime in the sixties") in ivan.details
    assert ("id_dates", "Passport 7200001: 2010-01-01 / 2020-01-01") in ivan.details
    assert ("title", "Director") in ivan.details


def test_fixture_sniff(fixtures: Path, tmp_path: Path) -> None:
    path = fixtures / "us_trade" / "csl.csv"
    assert us_csl.sniff(path, read_head(path)) == Sniffed("us_csl", "us_trade_csl", None)
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert us_csl.sniff(bom, read_head(bom)) is not None
    assert len(parse(bom)) == 7
    other = tmp_path / "other.csv"
    other.write_text("id,source,name\n1,x,y\n")
    assert us_csl.sniff(other, read_head(other)) is None


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("1955", BirthDate("1955")),
        ("1978-12-05", BirthDate("1978-12-05")),
        ("circa 1960", BirthDate("1960")),
        ("1962 to 1964", BirthDate("1962", "1964")),
        ("12 Dec 1955", BirthDate("1955-12-12")),
        ("March 1957", BirthDate("1957-03")),
        ("unknown", None),
    ],
)
def test_birth_date(text: str, date: BirthDate | None) -> None:
    assert us_csl.birth_date(text) == date


def test_source_code() -> None:
    assert us_csl.source_code("Entity List (EL) - Bureau of Industry and Security") == "EL"
    assert (
        us_csl.source_code("Military End User (MEU) List - Bureau of Industry and Security")
        == "MEU"
    )
    assert (
        us_csl.source_code("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department")
        == "NS-MBS"
    )
    assert us_csl.source_code("Some New List") == "Some New List"


# --- malformed input --------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    return path


def expect_error(path: Path, location: str) -> ParseError:
    return parse_error(parse, path, location)


def fixture_text(fixtures: Path) -> str:
    return (fixtures / "us_trade" / "csl.csv").read_text(encoding="utf-8")


def test_truncated_file(fixtures: Path, tmp_path: Path) -> None:
    text = fixture_text(fixtures)
    expect_error(write(tmp_path, text[: text.rindex("Moscow, Russia")]), "line 8")  # open quote
    expect_error(
        write(tmp_path, text[: text.rindex('"Moscow, Russia"')]), "row 7 (line 8)"
    )  # short row


def test_wrong_column_count(fixtures: Path, tmp_path: Path) -> None:
    lines = fixture_text(fixtures).splitlines()
    lines[2] += ',"extra"'
    error = expect_error(write(tmp_path, "\n".join(lines) + "\n"), "row 2 (line 3), _id 52291")
    assert "30 fields" in error.problem


def test_garbled_quote(fixtures: Path, tmp_path: Path) -> None:
    lines = fixture_text(fixtures).splitlines()
    lines[3] = lines[3].replace('"I. ASH"', '"I. "ASH"')
    expect_error(write(tmp_path, "\n".join(lines) + "\n"), "line 4")


def test_duplicate_id_and_missing_name(fixtures: Path, tmp_path: Path) -> None:
    lines = fixture_text(fixtures).splitlines()
    error = expect_error(
        write(tmp_path, "\n".join([*lines, lines[2]]) + "\n"), "row 8 (line 9), _id 52291"
    )
    assert "row 2" in error.problem
    lines[2] = lines[2].replace('"RIM, Ryong Nam"', '""')
    expect_error(write(tmp_path, "\n".join(lines) + "\n"), "row 2 (line 3)")


def test_bad_start_date_raises_before_the_entity(fixtures: Path, tmp_path: Path) -> None:
    lines = fixture_text(fixtures).splitlines()
    lines[6] = lines[6].replace('"2024-01-15"', '"15/01/2024"')
    entities = us_csl.read([write(tmp_path, "\n".join(lines) + "\n")], LIST_ID).entities
    assert len([next(entities) for _ in range(5)]) == 5
    with pytest.raises(ParseError) as caught:
        next(entities)
    assert caught.value.location == "row 6 (line 7), _id 99001"


def test_empty_files(fixtures: Path, tmp_path: Path) -> None:
    expect_error(write(tmp_path, ""), "line 1")
    expect_error(write(tmp_path, fixture_text(fixtures).splitlines()[0] + "\n"), "line 2")
    expect_error(write(tmp_path, "_id,source,entity_number\n1,x,2\n"), "line 1")
