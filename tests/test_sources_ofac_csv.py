"""The OFAC legacy CSV parser: real SDN and consolidated sets, a hand-made set, broken input."""

from __future__ import annotations

import collections
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from service import sources
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
from service.sources import ofac_csv
from service.sources.base import read_head
from tests.sources_helpers import by_reference, files_under

SET_NAMES = ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")


def _set(folder: Path, names: tuple[str, ...] = SET_NAMES) -> list[Path]:
    return [folder / name for name in names if (folder / name).exists()]


def _parse(paths: list[Path], list_id: str = "us_ofac_sdn") -> dict[str, Entity]:
    return by_reference(ofac_csv.read(paths, list_id).entities)


def _crlf_rows(path: Path) -> int:
    return path.read_bytes().count(b"\r\n")


def _empty_address_rows(path: Path) -> int:
    return len(re.findall(rb"^\d+,\d+,-0- ,-0- ,-0- ,-0- \r$", path.read_bytes(), re.MULTILINE))


# --- the real lists -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sdn_2021(shared_lists: Path) -> dict[str, Entity]:
    return _parse(_set(shared_lists / "ofac" / "sdn-2021-07-07"))


@pytest.fixture(scope="module")
def cons_2025(shared_lists: Path) -> dict[str, Entity]:
    folder = shared_lists / "ofac" / "cons-2025-12-19"
    names = ("cons_comments.csv", "cons_alt.csv", "cons_prim.csv", "cons_add.csv")  # any order
    return _parse(_set(folder, names), "us_ofac_cons")


def _names(entities: dict[str, Entity], *types: NameType) -> int:
    return sum(1 for e in entities.values() for n in e.names if n.type in types)


@pytest.mark.shared_lists
def test_sdn_2021_counts(sdn_2021: dict[str, Entity], shared_lists: Path) -> None:
    folder = shared_lists / "ofac" / "sdn-2021-07-07"
    assert len(sdn_2021) == 8_976
    kinds = collections.Counter(e.kind for e in sdn_2021.values())
    assert kinds == {Kind.PERSON: 4_620, Kind.ORGANIZATION: 3_673, Kind.VESSEL: 406, Kind.AIRCRAFT: 277}

    # 13,837 address rows; the 2,397 whose every cell is "-0-" say nothing and give no Address.
    assert _crlf_rows(folder / "add.csv") == 13_837
    assert _empty_address_rows(folder / "add.csv") == 2_397
    assert sum(len(e.addresses) for e in sdn_2021.values()) == 13_837 - 2_397

    # 11,910 alias rows (11,523 aka + 18 nka + 369 fka); two are exact repeats of another
    # alias of the same entry (ent_num 8407 and 16448) and are deduplicated.
    assert _crlf_rows(folder / "alt.csv") == 11_910
    assert _names(sdn_2021, NameType.AKA) == 11_523 + 18 - 2
    assert _names(sdn_2021, NameType.FKA) == 369
    # Weak a.k.a./f.k.a./n.k.a. quoted in the remarks come on top.
    assert _names(sdn_2021, NameType.WEAK_AKA) == 2_441

    links = [link for e in sdn_2021.values() for link in e.links]
    assert len(links) == 3_408
    assert sum(1 for link in links if link.target) == 3_397
    ids = {e.id for e in sdn_2021.values()}
    assert all(link.target in ids for link in links if link.target)


@pytest.mark.shared_lists
def test_sdn_2021_records(sdn_2021: dict[str, Entity]) -> None:
    naqdi = sdn_2021["12057"]
    assert naqdi.name == "NAQDI, Mohammad Reza"
    assert naqdi.birth_dates == (
        BirthDate("1951", "1953"),
        BirthDate("1960", "1962"),
        BirthDate("1961-04"),
        BirthDate("1953"),
    )
    assert naqdi.nationalities == ("IR",)
    assert ("title", "Major General") not in naqdi.details
    assert ("title", "President of the Organization of the Basij of the Oppressed") in naqdi.details

    artavil = sdn_2021["15036"]
    assert artavil.kind is Kind.VESSEL
    assert (
        Identifier(IdType.IMO, "9187629", None, "Vessel Registration Identification") in artavil.identifiers
    )
    assert Identifier(IdType.CALL_SIGN, "T2EU4", None, "Call Sign") in artavil.identifiers
    assert Name("ABADAN", NameType.FKA) in artavil.names
    assert artavil.links == (
        Link(
            LinkType.LINKED_TO,
            "us_ofac_sdn:15117",
            "NATIONAL IRANIAN TANKER COMPANY",
            label="Linked To",
            source="remarks",
        ),
    )

    # Remarks cut at 1,000 characters inside a quoted a.k.a. and continued in sdn_comments.csv.
    tian = sdn_2021["28263"]
    assert Name("snowsjohn", NameType.WEAK_AKA) in tian.names
    assert tian.links[-1].target == "us_ofac_sdn:27307"  # LAZARUS GROUP
    assert tian.remarks is not None and tian.remarks.endswith("a.k.a. 'snowsjohn'; Linked To: LAZARUS GROUP.")
    assert tian.addresses == (
        Address("Nanjing, Jiangsu, China", city="Nanjing", region="Jiangsu", country="CN"),
    )


@pytest.mark.shared_lists
def test_cons_2025(cons_2025: dict[str, Entity], shared_lists: Path) -> None:
    folder = shared_lists / "ofac" / "cons-2025-12-19"
    assert len(cons_2025) == 442
    assert collections.Counter(e.kind for e in cons_2025.values()) == {
        Kind.PERSON: 79,
        Kind.ORGANIZATION: 363,
    }
    assert _crlf_rows(folder / "cons_add.csv") == 574
    assert _empty_address_rows(folder / "cons_add.csv") == 52
    assert sum(len(e.addresses) for e in cons_2025.values()) == 574 - 52
    assert _crlf_rows(folder / "cons_alt.csv") == 1_073
    assert _names(cons_2025, NameType.AKA, NameType.FKA) == 1_073

    bank = cons_2025["17014"]
    assert bank.id == "us_ofac_cons:17014"
    assert bank.name == "JOINT STOCK COMPANY RUSSIAN AGRICULTURAL BANK"
    assert Identifier(IdType.SWIFT_BIC, "RUAGRUMM", None, "SWIFT/BIC") in bank.identifiers
    # "Registration Numbe" ends the remarks cell, "r 1027700342890 (Russia)" starts the comment.
    assert (
        Identifier(IdType.REGISTRATION_NUMBER, "1027700342890", "RU", "Registration Number")
        in bank.identifiers
    )
    assert Name("RUSAG", NameType.WEAK_AKA) in bank.names
    assert Name("ROSSELKHOZBANK", NameType.AKA) in bank.names
    assert (
        Address(
            "3, Gagarinsky Pereulok, Moscow 119034, Russia",
            "3, Gagarinsky Pereulok",
            "Moscow",
            "119034",
            None,
            "RU",
        )
        in bank.addresses
    )


@pytest.mark.shared_lists
def test_sdn_only_vintages(shared_lists: Path) -> None:
    folder = shared_lists / "ofac"
    april = _parse([folder / "sdn-only-2024-04-26.csv"])
    may = _parse([folder / "sdn-only-2024-05-03.csv"])
    assert (len(april), len(may)) == (14_668, 14_965)
    assert (len(may.keys() - april.keys()), len(april.keys() - may.keys())) == (305, 8)
    importeks = may["47982"]
    assert importeks.name == "IMPORTEKS" and importeks.programs == ("RUSSIA-EO14024",)
    assert importeks.identifiers == (
        Identifier(IdType.TAX_NUMBER, "2543036719", "RU", "Tax ID No."),
        Identifier(IdType.REGISTRATION_NUMBER, "1132543023612", "RU", "Registration Number"),
    )


@pytest.mark.shared_lists
def test_sample_17(shared_lists: Path) -> None:
    folder = shared_lists / "ofac" / "sample-17"
    # The sample's add/alt files were cut by grepping for its ent_nums, so they also hold rows
    # of other entries (alt row 11935 → alias of 12685): as a set it is inconsistent.
    with pytest.raises(ParseError, match=r"add\.csv: line 12: ent_num 12562 is not in sdn\.csv"):
        list(ofac_csv.read(_set(folder), "us_ofac_sdn").entities)
    entities = _parse(_set(folder, ("sdn.csv", "sdn_comments.csv")))
    assert len(entities) == 17
    leader = entities["47371"]
    assert leader.identifiers == (
        Identifier(IdType.CALL_SIGN, "A8LU7", None, "Call Sign"),
        Identifier(IdType.IMO, "9339301", None, "Identification Number"),
        Identifier(IdType.MMSI, "636013272", None, "MMSI"),
    )
    assert leader.countries == ("GA",)
    lifshits = entities["29702"]
    assert (
        Identifier(
            IdType.CRYPTO_ADDRESS,
            "0x901bb9583b24d97e995513c6778dc6888ab6870e",
            None,
            "Digital Currency Address - ETH",
        )
        in lifshits.identifiers
    )


@pytest.mark.shared_lists
def test_sniff_real_files(shared_lists: Path) -> None:
    claimed = {}
    for path in files_under(shared_lists):
        found = ofac_csv.sniff(path, read_head(path))
        if found is not None:
            claimed[str(path.relative_to(shared_lists))] = (found.format, found.list_id, found.published)
    assert claimed == {
        "ofac/cons-2025-12-19/cons_prim.csv": ("ofac_csv", "us_ofac_cons", None),
        "ofac/sample-17/sdn.csv": ("ofac_csv", "us_ofac_sdn", None),
        "ofac/sdn-2021-07-07/sdn.csv": ("ofac_csv", "us_ofac_sdn", None),
        "ofac/sdn-only-2024-04-26.csv": ("ofac_csv", "us_ofac_sdn", None),
        "ofac/sdn-only-2024-05-03.csv": ("ofac_csv", "us_ofac_sdn", None),
    }
    main = shared_lists / "ofac" / "sdn-2021-07-07" / "sdn.csv"
    assert ofac_csv.source_files(main) == tuple(_set(main.parent))
    # A lone main file under a name of its own is a source by itself (without aliases and
    # addresses: the load warns); under its published name it is a set half copied.
    lone = shared_lists / "ofac" / "sdn-only-2024-05-03.csv"
    assert ofac_csv.source_files(lone) == (lone,)


# --- the hand-made set ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hand_made(fixtures: Path) -> dict[str, Entity]:
    parsed = ofac_csv.read(list(reversed(_set(fixtures / "ofac_csv"))), "us_ofac_sdn")
    assert parsed.format == "ofac_csv" and parsed.published is None
    assert [p.name for p in parsed.files] == list(SET_NAMES)
    return by_reference(parsed.entities)


def test_fixture_person(hand_made: dict[str, Entity]) -> None:
    assert list(hand_made) == [
        "10278",
        "10391",
        "11195",
        "12057",
        "10485",
        "15036",
        "48727",
        "44525",
        "33151",
    ]
    remarks = (
        "DOB 28 Jul 1963; POB Toledo District, Belize; Passport P0017003 (Belize); "
        "SSN 561-77-9011 (United States); a.k.a. 'BURTON BURGESS'."
    )
    assert hand_made["10278"] == Entity(
        id="us_ofac_sdn:10278",
        list_id="us_ofac_sdn",
        reference="10278",
        kind=Kind.PERSON,
        names=(Name("LOGAN MOREY, Elvis Angus"), Name("BURTON BURGESS", NameType.WEAK_AKA)),
        birth_dates=(BirthDate("1963-07-28"),),
        birth_places=("Toledo District, Belize",),
        identifiers=(
            Identifier(IdType.PASSPORT, "P0017003", "BZ", "Passport"),
            Identifier(IdType.NATIONAL_ID, "561-77-9011", "US", "SSN"),
        ),
        programs=("SDNT",),
        remarks=remarks,
    )  # its one add.csv row is all "-0-": no address


def test_fixture_titles_dates_citizenship(hand_made: dict[str, Entity]) -> None:
    naqdi = hand_made["12057"]
    assert naqdi.names == (Name("NAQDI, Mohammad Reza"), Name("NAGHDI, Mohammad Reza", NameType.AKA))
    assert naqdi.birth_dates == (
        BirthDate("1951", "1953"),
        BirthDate("1960", "1962"),
        BirthDate("1961-04"),
        BirthDate("1953"),
    )
    assert naqdi.birth_places == ("Najaf, Iraq", "Tehran, Iran")
    assert naqdi.nationalities == ("IR",) and naqdi.countries == ()
    assert naqdi.details == (
        ("title", "Brigadier General and Commander of the IRGC Basij Resistance Force"),
        ("title", "President of the Organization of the Basij of the Oppressed"),
        ("title", "Chief of the Mobilization of the Oppressed Organization"),
        ("additional_sanctions_information", "Subject to Secondary Sanctions"),
        ("gender", "Male"),
    )
    assert naqdi.programs == ("SDGT", "NPWMD", "IRGC", "IFSR", "IRAN-HR", "IRAN-EO13876")

    sheibani = hand_made["10485"]
    assert sheibani.birth_dates == (BirthDate("1959"), BirthDate("1960"))  # "circa"
    assert sheibani.countries == ("IR", "IQ")  # citizen Iran; alt. citizen Iraq


def test_fixture_organisation_links_addresses(hand_made: dict[str, Entity]) -> None:
    hesa = hand_made["11195"]
    assert hesa.kind is Kind.ORGANIZATION
    assert hesa.names == (
        Name("IRAN AIRCRAFT MANUFACTURING INDUSTRIAL COMPANY"),
        Name("HESA", NameType.AKA),
        Name("HESA TRADE CENTER", NameType.AKA),
        Name("HESA", NameType.WEAK_AKA),
        Name("SHAHIN CO.", NameType.WEAK_AKA),
    )
    assert hesa.addresses == (
        Address(
            "P.O. Box 83145-311, 28 km Esfahan - Tehran Freeway, Shahin Shahr, Esfahan, Iran",
            street="P.O. Box 83145-311, 28 km Esfahan - Tehran Freeway, Shahin Shahr",
            city="Esfahan",
            country="IR",
        ),
        Address(
            "P.O. Box 14155-5568, No. 27 Shahamat Ave, Vallie Asr Sqr, Tehran 15946, Iran",
            street="P.O. Box 14155-5568, No. 27 Shahamat Ave, Vallie Asr Sqr",
            city="Tehran",
            postal_code="15946",
            country="IR",
        ),
    )
    assert hesa.countries == ("IR",)
    assert hesa.identifiers == (
        Identifier(IdType.NATIONAL_ID, "10100722073", "IR", "National ID No."),
        Identifier(IdType.REGISTRATION_NUMBER, "26740", "IR", "Registration Number"),
    )
    assert hesa.links == (
        Link(
            LinkType.LINKED_TO,
            None,
            "MINISTRY OF DEFENSE AND ARMED FORCES LOGISTICS",
            label="Linked To",
            source="remarks",
        ),
        Link(
            LinkType.LINKED_TO,
            "us_ofac_sdn:10391",
            "ISLAMIC REVOLUTIONARY GUARD CORPS",
            label="Linked To",
            source="remarks",
        ),
    )
    irgc = hand_made["10391"]
    assert irgc.addresses == (
        Address("Tehran, Iran", city="Tehran", country="IR"),
        Address("Syria", country="SY"),
    )
    assert irgc.countries == ("IR", "SY")

    steel = hand_made["44525"]
    assert steel.addresses == (
        Address(
            "Miami, FL 33130, United States", city="Miami", postal_code="33130", region="FL", country="US"
        ),
    )
    assert steel.identifiers[1:] == (
        Identifier(IdType.REGISTRATION_NUMBER, "0582030", "US", "Business Registration Number (Connecticut)"),
        Identifier(
            IdType.REGISTRATION_NUMBER, "M99000000961", "US", "Business Registration Number (Florida)"
        ),
    )
    assert steel.details == (("organization_established_date", "1998"),)


def test_fixture_vessel_and_aircraft(hand_made: dict[str, Entity]) -> None:
    artavil = hand_made["15036"]
    assert artavil.kind is Kind.VESSEL
    assert artavil.names == (
        Name("ARTAVIL"),
        Name("ABADAN", NameType.FKA),
        Name("SHONA", NameType.FKA),
        Name("ALPHA", NameType.WEAK_AKA),
    )
    assert artavil.identifiers == (
        Identifier(IdType.CALL_SIGN, "T2EU4", None, "Call Sign"),
        Identifier(IdType.IMO, "9187629", None, "Vessel Registration Identification"),
        Identifier(IdType.MMSI, "572469210", None, "MMSI"),
    )
    assert artavil.countries == ("IR",)  # the flag
    assert artavil.addresses == ()
    assert artavil.details[:6] == (
        ("vessel_type", "Crude/Oil Products Tanker"),
        ("tonnage", "99,144"),
        ("gross_registered_tonnage", "56,068"),
        ("vessel_flag", "Iran"),
        ("former_vessel_flag", "Malta"),
        ("former_vessel_flag", "Tuvalu"),
    )
    assert artavil.links[0].target is None  # NATIONAL IRANIAN TANKER COMPANY is not in this set

    plane = hand_made["48727"]
    assert plane.kind is Kind.AIRCRAFT
    assert plane.identifiers == (
        Identifier(IdType.OTHER, "7342B3", None, "Aircraft Mode S Transponder Code"),
        Identifier(IdType.AIRCRAFT_SERIAL, "1023409321", None, "Aircraft Manufacturer's Serial Number (MSN)"),
    )
    assert ("aircraft_model", "Ilyushin IL-76TD") in plane.details


def test_fixture_remarks_continue_in_comments(hand_made: dict[str, Entity]) -> None:
    suex = hand_made["33151"]
    assert suex.remarks == (
        "Website suex.io; Digital Currency Address - XBT 1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi; "
        "Organization Established Date 25 Sep 2018; Company Number 07486049 (Czech Republic); "
        "a.k.a. 'SUCCESSFUL EXCHANGE'."
    )
    assert suex.identifiers == (
        Identifier(IdType.WEBSITE, "suex.io", None, "Website"),
        Identifier(
            IdType.CRYPTO_ADDRESS,
            "1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi",
            None,
            "Digital Currency Address - XBT",
        ),
        Identifier(IdType.REGISTRATION_NUMBER, "07486049", "CZ", "Company Number"),
    )
    assert suex.names[1] == Name("SUCCESSFUL EXCHANGE", NameType.WEAK_AKA)
    assert [a.postal_code for a in suex.addresses] == ["123317", "110 00"]
    assert suex.countries == ("RU", "CZ")


def test_registry_and_sniff_on_the_fixture(fixtures: Path, tmp_path: Path) -> None:
    folder = fixtures / "ofac_csv"
    found = sources.sniff(folder / "sdn.csv")
    assert found is not None and (found.format, found.list_id) == ("ofac_csv", "us_ofac_sdn")
    for name in ("add.csv", "alt.csv", "sdn_comments.csv", "README.md"):
        assert ofac_csv.sniff(folder / name, read_head(folder / name)) is None
    # The name alone is not enough: a cons_prim.csv holding something else is not claimed.
    fake = tmp_path / "cons_prim.csv"
    fake.write_bytes(b"name,address,country\r\nACME,1 Main St,US\r\n")
    assert ofac_csv.sniff(fake, read_head(fake)) is None
    renamed = tmp_path / "CONS_PRIM.CSV"
    renamed.write_bytes((folder / "sdn.csv").read_bytes())
    assert ofac_csv.sniff(renamed, read_head(renamed)) == sources.Sniffed("ofac_csv", "us_ofac_cons")
    # An sdn.csv without its add and alt files is an incomplete set.
    assert ofac_csv.source_files(renamed) == ()


# --- broken input ---------------------------------------------------------------------------


def _copy_set(fixtures: Path, tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name in SET_NAMES:
        target = tmp_path / name
        target.write_bytes((fixtures / "ofac_csv" / name).read_bytes())
        out[name] = target
    return out


def _entities_until_error(paths: list[Path]) -> tuple[list[Entity], ParseError]:
    got: list[Entity] = []
    entities: Iterator[Entity] = ofac_csv.read(paths, "us_ofac_sdn").entities
    with pytest.raises(ParseError) as caught:
        got.extend(entities)
    return got, caught.value


def _garble(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert data.count(old) == 1
    path.write_bytes(data.replace(old, new))


@pytest.mark.parametrize(
    ("name", "old", "new", "where", "problem"),
    [
        ("sdn.csv", b'\n10391,"ISLAMIC', b'\n1O391,"ISLAMIC', "line 2", "ent_num '1O391' is not a number"),
        ("sdn.csv", b'"SDNT",-0- ,-0- ,', b'"SDNT",-0- ,', "line 1", "11 columns where main rows have 12"),
        ("sdn.csv", b'"IRAQ3"', b'"IRAQ3",-0- ', "line 5", "13 columns where main rows have 12"),
        ("sdn.csv", b'Head of the Basij."\r\n10485', b"Head of the Basij.\r\n10485", "line 4", "quote"),
        ("sdn.csv", b'"vessel","IRAN"', b'"ship","IRAN"', "line 6", "unknown SDN_Type 'ship'"),
        (
            "sdn.csv",
            b'\n10485,"AL-SHEIBANI',
            b'\n10278,"AL-SHEIBANI',
            "line 5",
            "ent_num 10278 appears twice",
        ),
        ("sdn.csv", b'"EP-PUS"', b'"EP"PUS"', "line 7", "quote"),
        ("alt.csv", b"15036,40680,", b"15037,40680,", "line 8", "ent_num 15037 is not in sdn.csv"),
        ("alt.csv", b'"fka","SHONA"', b'"xka","SHONA"', "line 8", "unknown alt_type 'xka'"),
        ("add.csv", b"44525,66302,", b"44525,66302,-0- ,", "line 7", "7 columns where add rows have 6"),
        ("add.csv", b"10391,14208,", b"10391,14x08,", "line 2", "add_num '14x08' is not a number"),
        ("sdn_comments.csv", b"33151,", b"99999,", "line 1", "ent_num 99999 is not in sdn.csv"),
    ],
)
def test_malformed_rows(
    fixtures: Path, tmp_path: Path, name: str, old: bytes, new: bytes, where: str, problem: str
) -> None:
    files = _copy_set(fixtures, tmp_path)
    _garble(files[name], old, new)
    got, error = _entities_until_error(list(files.values()))
    assert got == []  # found before anything was yielded
    assert (error.file, error.location) == (name, where)
    assert problem in error.problem
    assert str(error).startswith(f"{name}: {where}: ")


def test_every_truncation_of_the_main_file_is_an_error(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "ofac_csv" / "sdn.csv").read_bytes()
    main = tmp_path / "sdn.csv"
    for cut in range(1, len(data) - 1):
        main.write_bytes(data[:cut])
        if data[:cut].endswith(b"\r\n"):
            # Cut exactly between rows the file is only shorter; nothing can tell.
            assert len(list(ofac_csv.read([main], "x").entities)) == data[:cut].count(b"\r\n")
            continue
        got, error = _entities_until_error([main])
        assert got == [] and error.file == "sdn.csv" and error.location.startswith("line "), cut


def test_truncated_companion_file(fixtures: Path, tmp_path: Path) -> None:
    files = _copy_set(fixtures, tmp_path)
    data = files["alt.csv"].read_bytes()
    files["alt.csv"].write_bytes(data[: data.index(b'"HESA TRADE') + 6])
    _, error = _entities_until_error(list(files.values()))
    assert (error.file, error.location) == ("alt.csv", "line 4")


@pytest.mark.parametrize(
    ("content", "where", "problem"),
    [
        (b"", "line 1", "no records"),
        (b"\x1a", "line 1", "no records"),
        (
            b'1,"A",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a\r\n2',
            "line 2",
            "after the end-of-file",
        ),
        (b'1,"A",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\r\n', "line 2", "0 columns"),
        (b'1,"",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "line 1", "has no name"),
    ],
)
def test_empty_and_odd_files(tmp_path: Path, content: bytes, where: str, problem: str) -> None:
    main = tmp_path / "sdn.csv"
    main.write_bytes(content)
    _, error = _entities_until_error([main])
    assert (error.file, error.location) == ("sdn.csv", where)
    assert problem in error.problem


def test_file_sets(tmp_path: Path, fixtures: Path) -> None:
    files = _copy_set(fixtures, tmp_path)
    with pytest.raises(ParseError, match="no main file"):
        ofac_csv.read([files["add.csv"], files["alt.csv"]], "x")
    with pytest.raises(ParseError, match="README.md: file name"):
        ofac_csv.read([files["sdn.csv"], fixtures / "ofac_csv" / "README.md"], "x")
    second = tmp_path / "SDN-2024-05-03.CSV"
    second.write_bytes(files["sdn.csv"].read_bytes())
    with pytest.raises(ParseError, match="a second main file"):
        ofac_csv.read([files["sdn.csv"], second], "x")
    # The main file alone is a set; a dated, upper-case name is still a main file.
    alone = _parse([second])
    assert len(alone) == 9 and alone["11195"].addresses == () and alone["33151"].remarks is not None
    assert alone["33151"].remarks.endswith("XBT 1B64QRxf")


def test_alias_types_and_repeats(tmp_path: Path) -> None:
    main, alt = tmp_path / "sdn.csv", tmp_path / "alt.csv"
    main.write_bytes(b'8244,"NUEVO MUNDO S.A.",-0- ,"SDNT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n')
    alt.write_bytes(
        b'8244,7936,"nka","NUEVO CONTINENTE S.A.",-0- \r\n'
        b'8244,7937,"aka","NUEVO CONTINENTE S.A.",-0- \r\n'
        b'8244,7938,"fka","NUEVO MUNDO",-0- \r\n'
    )
    (entity,) = ofac_csv.read([alt, main], "x").entities
    assert entity.names == (
        Name("NUEVO MUNDO S.A."),
        Name("NUEVO CONTINENTE S.A.", NameType.AKA),  # nka (now known as) is as good as aka
        Name("NUEVO MUNDO", NameType.FKA),
    )
    assert entity.remarks is None and entity.programs == ("SDNT",)


def test_cp1252_with_latin1_fallback(tmp_path: Path) -> None:
    main = tmp_path / "sdn.csv"
    # 0x92 is a cp1252 right quote; 0x81 is undefined in cp1252 and read as latin-1.
    main.write_bytes(
        b'1,"D\x92ANGELO, Jos\xe9 \x81",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    (entity,) = ofac_csv.read([main], "x").entities
    assert entity.name == "D\u2019ANGELO, Jos\u00e9 \x81"
