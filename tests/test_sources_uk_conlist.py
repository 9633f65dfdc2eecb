"""The UK OFSI Consolidated List parser: real files, hand-picked fixtures, malformed input."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
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
from service.sources import uk_conlist
from service.sources.base import Sniffed, read_head
from service.sources.uk_conlist_text import birth_date, enumerated
from tests.sources_helpers import by_reference, files_under

LIST = "gb_hmt"


def parse(path: Path) -> dict[str, Entity]:
    return by_reference(uk_conlist.read([path], LIST).entities)


def sniff(path: Path) -> Sniffed | None:
    return uk_conlist.sniff(path, read_head(path))


def fixture_rows(
    fixtures: Path, name: str = "ConList-2025-layout.csv"
) -> list[list[str]]:
    with open(fixtures / "uk" / name, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_xlsx(path: Path, rows: list[list[object]], sheet: str = "Data") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


@pytest.fixture
def xlsx_fixture(fixtures: Path, tmp_path: Path) -> Path:
    """The 2025-layout rows as an xlsx, with date and number cells where the list has text."""
    rows: list[list[object]] = [list(r) for r in fixture_rows(fixtures)]
    rows[0][1] = dt.date(2025, 4, 14)
    listed_on = rows[1].index("Listed On")
    for row in rows[2:]:
        day, month, year = (int(p) for p in str(row[listed_on]).split("/"))
        row[listed_on] = dt.datetime(year, month, day)
        row[-1] = int(str(row[-1]))  # Group ID as a number cell
    return write_xlsx(tmp_path / "ConList.xlsx", rows)


# --------------------------------------------------------------------------- real files


@pytest.fixture(scope="module")
def real_2025(shared_lists: Path) -> dict[str, Entity]:
    return parse(shared_lists / "uk" / "ConList-2025-04-14.xlsx")


@pytest.mark.shared_lists
def test_real_2025_counts(real_2025: dict[str, Entity]) -> None:
    assert len(real_2025) == 4688
    kinds = Counter(e.kind for e in real_2025.values())
    assert kinds == {Kind.PERSON: 3663, Kind.ORGANIZATION: 1010, Kind.VESSEL: 15}
    assert all(
        sum(n.type is NameType.PRIMARY for n in e.names) == 1
        for e in real_2025.values()
    )
    # every ship's IMO number, and its owner resolved through "OFSI ID: …"
    ships = [e for e in real_2025.values() if e.kind is Kind.VESSEL]
    assert all(any(i.type is IdType.IMO for i in s.identifiers) for s in ships)
    assert all(any(link.target for link in s.links) for s in ships)


@pytest.mark.shared_lists
def test_real_2025_records(real_2025: dict[str, Entity]) -> None:
    # sheet row 94
    abakarov = real_2025["14241"]
    assert abakarov.id == "gb_hmt:14241"
    assert abakarov.name == "Khizri Magomedovich ABAKAROV"
    assert (
        Name("Хизри Магомедович Абакаров", NameType.ORIGINAL_SCRIPT, "Cyrl")
        in abakarov.names
    )
    assert abakarov.birth_dates == (BirthDate("1960-06-28"),)
    assert abakarov.listed_on == "2022-03-11"
    assert abakarov.addresses[0].postal_code == "103265"
    # rows 999, 15713 …: the tanker SAM JONG 2, an asset of KOREA SAMJONG SHIPPING (13635)
    ship = real_2025["13651"]
    assert ship.kind is Kind.VESSEL and ship.name == "SAM JONG 2"
    assert len(ship.names) == 9  # nine rows, nine names
    assert Identifier(IdType.IMO, "7408873", None, "IMO number") in ship.identifiers
    assert ship.links[0].target == "gb_hmt:13635"
    assert real_2025["13635"].name == "KOREA SAMJONG SHIPPING"
    # rows 919, 15516, 18552: a year-only DOB and a low-quality a.k.a.
    akhund = real_2025["6905"]
    assert akhund.birth_dates == (BirthDate("1953"),)
    assert Name("ZAKIR", NameType.WEAK_AKA) in akhund.names
    # Joseph Kony: 400 rows (names x DOBs x addresses) fold into one listing
    kony = real_2025["13344"]
    assert kony.name == "JOSEPH KONY"
    assert len(kony.birth_dates) == 10


@pytest.mark.shared_lists
def test_real_2023_counts(shared_lists: Path) -> None:
    entities = parse(shared_lists / "uk" / "ConList-2023-06-05.xlsx")
    assert len(entities) == 3993
    kinds = Counter(e.kind for e in entities.values())
    assert kinds == {Kind.PERSON: 3231, Kind.ORGANIZATION: 747, Kind.VESSEL: 15}


@pytest.mark.shared_lists
def test_real_2018_csv(shared_lists: Path) -> None:
    parsed = uk_conlist.read([shared_lists / "uk" / "ConList-2018-04-13.csv"], LIST)
    entities = by_reference(parsed.entities)
    assert parsed.published == dt.date(2018, 4, 13)
    assert len(entities) == 2106
    kinds = Counter(e.kind for e in entities.values())
    assert kinds == {Kind.PERSON: 1426, Kind.ORGANIZATION: 680}
    # lines 3, 4, 1285 …: "Prime Alias" leads, two year-only DOBs, numbered nationalities
    hababi = entities["13349"]
    assert hababi.name == "Nayef Salam Muhammad Ujaym AL-HABABI"
    assert hababi.birth_dates == (BirthDate("1980"), BirthDate("1981"))
    assert hababi.nationalities == ("SA", "QA")
    assert hababi.identifiers[0].value == "592667"
    assert hababi.identifiers[0].country == "QA"
    # line 2726: cp1252 quotes decode
    assert (
        "‘North Caucasus Federal District’"
        in dict(entities["12951"].details)["position"]
    )


@pytest.mark.shared_lists
def test_sniff_real_files(shared_lists: Path) -> None:
    uk = shared_lists / "uk"
    assert sniff(uk / "ConList-2025-04-14.xlsx") == Sniffed(
        "uk_conlist", "gb_hmt", dt.date(2025, 4, 14)
    )
    assert sniff(uk / "ConList-2023-06-05.xlsx") == Sniffed(
        "uk_conlist", "gb_hmt", dt.date(2023, 6, 5)
    )
    assert sniff(uk / "ConList-2018-04-13.csv") == Sniffed(
        "uk_conlist", "gb_hmt", dt.date(2018, 4, 13)
    )
    others = [p for p in files_under(shared_lists) if p.parent != uk]
    assert others
    assert [p for p in others if sniff(p) is not None] == []


# ------------------------------------------------------------------- hand-picked fixtures


def test_fixture_xlsx_and_csv_agree(fixtures: Path, xlsx_fixture: Path) -> None:
    from_csv = uk_conlist.read([fixtures / "uk" / "ConList-2025-layout.csv"], LIST)
    from_xlsx = uk_conlist.read([xlsx_fixture], LIST)
    assert from_csv.published == from_xlsx.published == dt.date(2025, 4, 14)
    csv_entities = list(from_csv.entities)
    assert [e.reference for e in csv_entities] == [
        "16601", "14241", "6905", "13651", "15303", "13635", "11648", "14011",
    ]  # fmt: skip
    assert list(from_xlsx.entities) == csv_entities


def test_fixture_ship(xlsx_fixture: Path) -> None:
    ship = parse(xlsx_fixture)["13651"]
    assert ship == Entity(
        id="gb_hmt:13651",
        list_id="gb_hmt",
        reference="13651",
        kind=Kind.VESSEL,
        names=(
            Name("SAM JONG 2", NameType.PRIMARY),
            Name("AKTIVA", NameType.AKA),
            Name("YU_JONG_3", NameType.AKA),
        ),
        countries=("KP",),
        identifiers=(Identifier(IdType.IMO, "7408873", None, "IMO number"),),
        programs=("Democratic People's Republic of Korea",),
        listed_on="2018-04-03",
        remarks=(
            "Pursuant to paragraph 6 of Security Council Resolution 2371 (2017), paragraph 6 of "
            "Security Council Resolution 2375 (2017)and paragraph 12 of Security Council "
            "resolution 2321 (2016). DPRK merchant vessel M/V SAM JONG 2 was involved in "
            "ship-to-ship transfer operations of oil in late January 2018. Listed as asset of "
            "Korea Samjong Shipping (OFSI ID: 13635, UN Reference Number: UN Ref KPe.064)"
        ),
        links=(
            Link(
                LinkType.OWNED_BY,
                "gb_hmt:13635",
                "Korea Samjong Shipping",
                None,
                "Listed as asset of",
                "Other Information",
            ),
        ),
        details=(
            ("uk_sanctions_list_ref", "DPR0100"),
            ("vessel_owner", "Korea Samjong Shipping"),
            ("vessel_flag", "North Korea"),
            ("former_vessel_flag", "Russia"),
            ("vessel_type", "Oil tanker"),
            ("tonnage", "1676"),
            ("vessel_length", "80"),
            ("vessel_year_of_build", "1975"),
            ("date_designated", "2018-03-30"),
            ("last_updated", "2020-12-31"),
        ),
    )


def test_fixture_person(xlsx_fixture: Path) -> None:
    zavarse = parse(xlsx_fixture)["14011"]
    assert zavarse == Entity(
        id="gb_hmt:14011",
        list_id="gb_hmt",
        reference="14011",
        kind=Kind.PERSON,
        names=(
            Name("Fabio ZAVARSE PABON", NameType.PRIMARY),
            # the "non-Latin script" column holds the accented Latin spelling here
            Name("ZAVARSE PABÓN", NameType.ORIGINAL_SCRIPT, None),
        ),
        addresses=(Address("Venezuela", country="VE"),),
        countries=("VE",),
        nationalities=("VE",),
        birth_dates=(BirthDate("1967-10-04"),),
        birth_places=("Caracas, Venezuela",),
        identifiers=(
            Identifier(IdType.PASSPORT, "32131710", None, "Passport Number"),
            Identifier(
                IdType.NATIONAL_ID,
                "V-6.967.914",
                None,
                "National Identification Number",
            ),
        ),
        programs=("Global Human Rights",),
        listed_on="2020-12-10",
        remarks=(
            "Fabio Zavarse has held several high-ranking positions within the Venezuelan "
            "Armed Forces during different waves of protests in Venezuela. The military, "
            "responding to these protests with excessive use of force, committed serious "
            "human rights violations, including violations of the right to life. Zavarse "
            "bears responsibility for the serious violations of human rights conducted by "
            "GNB forces under his command in Caracas in seeking to quell the protests in "
            "2016 and 2017."
        ),
        details=(
            ("position", "Commander of the National Guard (GNB)"),
            ("uk_sanctions_list_ref", "GHR0071"),
            ("gender", "Male"),
            ("date_designated", "2020-12-10"),
            ("last_updated", "2022-11-11"),
        ),
    )


def test_fixture_names_dates_places(xlsx_fixture: Path) -> None:
    entities = parse(xlsx_fixture)
    akhund = entities["6905"]
    assert akhund.names == (
        Name("ABDUL BARI AKHUND", NameType.PRIMARY),
        Name("عبد الباری ﺁخوند", NameType.ORIGINAL_SCRIPT, "Arab"),
        Name("Haji Mullah SAHIB", NameType.AKA),
        Name("ZAKIR", NameType.WEAK_AKA),
    )
    assert akhund.birth_dates == (BirthDate("1953"),)
    assert akhund.birth_places == (
        "Baghran District, Helmand Province, Afghanistan",
        "Now Zad District, Helmand Province, Afghanistan",
    )
    assert akhund.details[:2] == (("title", "Maulavi"), ("title", "Mullah"))
    assert ("un_reference", "TAi.094") in akhund.details
    assert akhund.listed_on == "2001-04-02"
    # only "Primary name variation" rows: the first one leads
    assert entities["16601"].names[0] == Name(
        "33RD SCIENTIFIC RESEARCH AND TESTING INSTITUTE", NameType.PRIMARY
    )
    qadhafi = entities["11648"]
    assert qadhafi.birth_dates == (BirthDate("1973-05-27"), BirthDate("1975-01-01"))
    assert qadhafi.identifiers == (
        Identifier(IdType.PASSPORT, "014797", None, "Passport Number"),
        Identifier(IdType.PASSPORT, "524521", None, "Passport Number"),
        Identifier(
            IdType.PASSPORT,
            "AA862825",
            "LY",
            "Libya number. Issued on 19 May 2021, issued in Tripoli. Expires 18 May 2029",
        ),
    )
    assert qadhafi.countries == ("TR",)  # "Türkiye"


def test_fixture_organization(xlsx_fixture: Path) -> None:
    dukhov = parse(xlsx_fixture)["15303"]
    assert dukhov.names[1] == Name(
        "Федеральное государственное унитарное предприятие Всероссийский "
        "научно-исследовательский институт автоматики",
        NameType.ORIGINAL_SCRIPT,
        "Cyrl",
    )
    assert dukhov.addresses == (
        Address(
            "st. Sushchevskaya, 22, Moscow, 127055, Russia",
            street="st. Sushchevskaya, 22",
            city="Moscow",
            postal_code="127055",
            country="RU",
        ),
    )
    assert dukhov.identifiers == (
        Identifier(IdType.PHONE, "+7 (499) 978-7803", None, "Phone number"),
        Identifier(
            IdType.WEBSITE, "http://www.vniia.ru/eng/index.php", None, "Website"
        ),
        Identifier(IdType.EMAIL, "vniia@vniia.ru", None, "Email address"),
        Identifier(
            IdType.REGISTRATION_NUMBER, "1027739646164", None, "Business Reg No"
        ),
    )
    assert dukhov.links == (
        Link(
            LinkType.OWNED_BY,
            None,
            "Rosatom",
            None,
            "Parent company",
            "Other Information",
        ),
    )
    assert ("organization_type", "Federal State Unitary Enterprise") in dukhov.details


def test_fixture_2018_layout(fixtures: Path) -> None:
    path = fixtures / "uk" / "ConList-2018-layout.csv"
    assert sniff(path) == Sniffed("uk_conlist", "gb_hmt", dt.date(2018, 4, 13))
    entities = parse(path)
    assert list(entities) == ["13349", "13556", "12871", "12951", "8994"]
    assert entities["13556"] == Entity(
        id="gb_hmt:13556",
        list_id="gb_hmt",
        reference="13556",
        kind=Kind.ORGANIZATION,  # vessels were "Entity" rows in 2018
        names=(Name("TONG SAN 2", NameType.PRIMARY),),
        identifiers=(
            Identifier(IdType.IMO, "8937675", None, "IMO"),
            Identifier(IdType.MMSI, "445539000", None, "MMSI"),
        ),
        programs=("North Korea (Democratic People's Republic of Korea)",),
        listed_on="2017-10-19",
        remarks=(
            "IMO: 8937675. MMSI: 445539000. The following vessel has been added to the list "
            "of vessels subject to restrictive measures set out in Annex XIV."
        ),
        details=(("last_updated", "2017-10-19"),),
    )
    hababi = entities["13349"]
    assert hababi.names == (
        Name("Nayef Salam Muhammad Ujaym AL-HABABI", NameType.PRIMARY),
        Name("Sheikh Farooq AL-QAHTANI", NameType.AKA),
        Name(
            "Nayf Salam Muhammad Ujaym AL-HABABI", NameType.AKA
        ),  # "Nayf ", "Muhammad "
    )
    assert hababi.addresses == (Address("Afghanistan (since 2009)", country="AF"),)
    assert hababi.identifiers == (
        Identifier(
            IdType.PASSPORT,
            "592667",
            "QA",
            "Passport No: 592667 (Qatari passport issued on 3 May 2007)",
        ),
    )
    assert hababi.birth_places == ("Saudi Arabia",)
    assert ("un_reference", "QDe.004") in hababi.details
    assert entities["8994"].names[1] == Name(
        "INSTRUMENTATION FACTORY PLANT", NameType.FKA
    )
    academy = entities["12871"]
    assert academy.addresses == (
        Address("Pyongyang, DPRK", city="Pyongyang", country="KP"),
    )


def test_sniff_fixtures_and_strangers(
    fixtures: Path, xlsx_fixture: Path, tmp_path: Path
) -> None:
    found = Sniffed("uk_conlist", "gb_hmt", dt.date(2025, 4, 14))
    assert sniff(fixtures / "uk" / "ConList-2025-layout.csv") == found
    assert sniff(xlsx_fixture) == found  # "Last Updated" written as a date cell
    other = write_xlsx(tmp_path / "other.xlsx", [["Name", "Country"], ["X", "Y"]])
    assert sniff(other) is None
    no_group = fixture_rows(fixtures)[:2]
    no_group[1] = [c for c in no_group[1] if c != "Group ID"]
    assert sniff(write_csv(tmp_path / "nogroup.csv", no_group)) is None
    assert sniff(fixtures / "uk" / "README.md") is None


def test_cell_text() -> None:
    assert enumerated("(1) Tiaret (2) Maskara (3) -") == ["Tiaret", "Maskara", ""]
    assert enumerated("(1) to (3) Algeria (4) Morocco") == ["Algeria"] * 3 + ["Morocco"]
    assert enumerated("(1-2) Libya (3) Morocco") == ["Libya", "Libya", "Morocco"]
    assert enumerated("1) Saudi Arabia 2) Qatar") == ["Saudi Arabia", "Qatar"]
    assert enumerated("a) General b)Major General") == ["General", "Major General"]
    assert enumerated("+375 (17) 213-41-63") == ["+375 (17) 213-41-63"]
    assert birth_date("00/00/1964") == BirthDate("1964")
    assert birth_date("00/07/1964") == BirthDate("1964-07")
    assert birth_date("07/1964") == BirthDate("1964-07")
    assert birth_date("31/02/1964") is None


# ------------------------------------------------------------------------ malformed input


def expect_error(path: Path, location: str, problem: str) -> None:
    with pytest.raises(ParseError) as caught:
        list(uk_conlist.read([path], LIST).entities)
    error = caught.value
    assert (error.file, error.location) == (path.name, location)
    assert problem in error.problem
    assert path.name in str(error) and location in str(error)


def test_row_without_group_id(fixtures: Path, tmp_path: Path) -> None:
    rows = fixture_rows(fixtures)
    rows[5][-1] = ""
    expect_error(write_csv(tmp_path / "a.csv", rows), "line 6", "no Group ID")
    expect_error(write_xlsx(tmp_path / "a.xlsx", rows), "row 6", "no Group ID")


def test_group_type_disagreement(fixtures: Path, tmp_path: Path) -> None:
    rows = fixture_rows(fixtures)
    column = rows[1].index("Group Type")
    assert rows[15][-1] == "6905"  # ZAKIR, the group's third row (sheet row 18552)
    rows[15][column] = "Entity"
    path = write_xlsx(tmp_path / "b.xlsx", rows)
    expect_error(path, "row 16", "Group ID 6905: Group Type 'Entity' disagrees")


def test_unreadable_values(fixtures: Path, tmp_path: Path) -> None:
    rows = fixture_rows(fixtures)
    rows[4][rows[1].index("DOB")] = "28.06.1960"
    expect_error(write_csv(tmp_path / "c.csv", rows), "line 5", "unreadable DOB")
    rows = fixture_rows(fixtures)
    rows[4][rows[1].index("Alias Type")] = "Nickname"
    expect_error(write_csv(tmp_path / "d.csv", rows), "line 5", "unknown Alias Type")


def test_truncated_xlsx(xlsx_fixture: Path, tmp_path: Path) -> None:
    data = xlsx_fixture.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError) as caught:
        list(uk_conlist.read([cut], LIST).entities)
    assert caught.value.file == "cut.xlsx"
    assert sniff(cut) is None
    # a zip that is no workbook at all
    stranger = tmp_path / "stranger.xlsx"
    with zipfile.ZipFile(stranger, "w") as zf:
        zf.writestr("hello.txt", "Last Updated")
    assert sniff(stranger) is None
    with pytest.raises(ParseError) as caught:
        list(uk_conlist.read([stranger], LIST).entities)
    assert (caught.value.file, caught.value.location) == ("stranger.xlsx", "file")


def test_broken_csv(fixtures: Path, tmp_path: Path) -> None:
    source = (fixtures / "uk" / "ConList-2018-layout.csv").read_bytes()
    lines = source.split(b"\n")
    # a quote opened and never closed
    unterminated = tmp_path / "quote.csv"
    unterminated.write_bytes(b"\n".join(lines[:5]) + b"\n" + lines[5][:300])
    expect_error(unterminated, "line 6", "malformed CSV")
    # a file cut in the middle of a line
    cut = tmp_path / "cut.csv"
    cut.write_bytes(b"\n".join(lines[:4]) + b"\n" + lines[4][:40])
    expect_error(cut, "line 5", "expected 29 fields, found")
    # stray text after a closing quote
    garbled = tmp_path / "garbled.csv"
    garbled.write_bytes(source.replace(b'"Annex XIII', b'"Annex" XIII', 1))
    expect_error(garbled, "line 6", "malformed CSV")


def test_empty_and_headless(fixtures: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    expect_error(empty, "start of file", "empty file")
    rows = fixture_rows(fixtures)
    expect_error(write_csv(tmp_path / "header.csv", rows[:2]), "line 2", "no records")
    expect_error(write_csv(tmp_path / "nodate.csv", rows[1:]), "line 1", "Last Updated")
