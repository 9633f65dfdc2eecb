"""The OFAC advanced sanctions XML parser (sdn_advanced.xsd), on the real file and a fixture."""

from __future__ import annotations

import datetime as dt
import re
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from bench.synthetic import write_advanced_xml
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
from service.sources import ofac_advanced
from service.sources.base import Sniffed, read_head
from tests.sources_helpers import by_reference, files_under, parse_error

CONS_ADVANCED = "ofac/cons_advanced-2020-03-17.xml"
_NS = "{http://www.un.org/sanctions/1.0}"


def _read(path: Path, list_id: str = "us_ofac_cons") -> list[Entity]:
    return list(ofac_advanced.read([path], list_id).entities)


@pytest.fixture(scope="module")
def sample(fixtures: Path) -> Path:
    return fixtures / "ofac_advanced" / "sdn_advanced_sample.xml"


@pytest.fixture(scope="module")
def sample_entities(sample: Path) -> dict[str, Entity]:
    return by_reference(_read(sample, "us_ofac_sdn"))


@pytest.fixture(scope="module")
def cons(shared_lists: Path) -> dict[str, Entity]:
    return by_reference(_read(shared_lists / CONS_ADVANCED))


# --- the real consolidated list -----------------------------------------------------------------


@pytest.mark.shared_lists
def test_real_counts(shared_lists: Path, cons: dict[str, Entity]) -> None:
    raw = (shared_lists / CONS_ADVANCED).read_text()
    parsed = ofac_advanced.read([shared_lists / CONS_ADVANCED], "us_ofac_cons")
    assert parsed.published == dt.date(2020, 3, 17)
    entities = list(cons.values())
    # MANIFEST: 375 parties. PartySubTypeID 4 (Unknown of type Individual) on 82, 3 on 293.
    assert len(entities) == 375 == raw.count("<DistinctParty ")
    assert Counter(e.kind for e in entities) == {Kind.ORGANIZATION: 293, Kind.PERSON: 82}
    assert raw.count('PartySubTypeID="4"') == 82

    names = Counter(n.type for e in entities for n in e.names)
    # In the raw file: 375 Primary="true" aliases; A.K.A. (1400) 801 strong + 30 LowQuality;
    # F.K.A. (1401) 83 strong + 1 LowQuality. Every alias has one Latin DocumentedName. Party
    # 18769 has the weak a.k.a. "VYSOKOTOCHNYE KOMPLEKSY" twice, kept once.
    assert raw.count('LowQuality="true"') == 31
    assert names == {
        NameType.PRIMARY: 375,
        NameType.AKA: 801,
        NameType.FKA: 83,
        NameType.WEAK_AKA: 30,
    }

    # MANIFEST: 276 "Owned or Controlled By" relationships, all resolving inside the file.
    links = [(e, link) for e in entities for link in e.links]
    assert len(links) == 276 == raw.count("<ProfileRelationship ")
    assert {link.type for _, link in links} == {LinkType.OWNED_BY}
    assert {link.label for _, link in links} == {"Owned or Controlled By"}
    by_id = {e.id: e for e in entities}
    for _, link in links:
        assert link.target in by_id
        assert link.target_name == by_id[link.target].name

    # 460 Location features; 53 point at an empty "undetermined" location (counted with a
    # whole-tree parse of the raw file).
    assert sum(len(e.addresses) for e in entities) == 407
    # 573 IDRegDocuments, 77 Birthdate and 20 Place of Birth features.
    assert raw.count("<IDRegDocument ") == 573
    identifiers = [i for e in entities for i in e.identifiers]
    features = Counter(re.findall(r'<Feature ID="\d+" FeatureTypeID="(\d+)"', raw))
    assert (
        len(identifiers) == 573 + features["13"] + features["14"] + features["21"] + features["164"]
    )
    assert sum(len(e.birth_dates) for e in entities) == features["8"] == 77
    assert sum(len(e.birth_places) for e in entities) == features["9"] == 20
    directives = Counter(k for e in entities for k, _ in e.details)["directive"]
    assert directives == features["204"] == 310
    assert all(e.listed_on for e in entities)


@pytest.mark.shared_lists
def test_real_spot_checks(cons: dict[str, Entity]) -> None:
    haniya = cons["9639"]
    assert haniya.id == "us_ofac_cons:9639"
    assert haniya.names == (
        Name("HANIYA, Ismail Abdul Salah"),
        Name("HANIYA, Ismail", NameType.AKA),
        Name("HANIYYA, Ismaeel", NameType.AKA),
    )
    assert haniya.birth_dates == (BirthDate("1962"),)
    assert haniya.birth_places == ("Shati",)
    assert haniya.addresses == ()  # its Location is "undetermined" and empty
    assert haniya.programs == ("NS-PLC",)
    # Listed on the PLC list on 2006-04-12; the Consolidated List entry dates from 2014.
    assert haniya.listed_on == "2006-04-12"
    assert ("list", "Non-SDN Palestinian Legislative Council List") in haniya.details

    orenburgneft = cons["18267"]
    assert orenburgneft.name == "OJSC ORENBURGNEFT"
    assert orenburgneft.links == (
        Link(
            LinkType.OWNED_BY,
            "us_ofac_cons:17022",
            "Open Joint-Stock Company Rosneft Oil Company",
            label="Owned or Controlled By",
            source="ProfileRelationship 2211",
        ),
    )
    assert orenburgneft.addresses[0] == Address(
        "Magistralnaya St., 2, Buzuluk, the Orenburg Region, 461040, Russia",
        "Magistralnaya St., 2",
        "Buzuluk",
        "461040",
        "the Orenburg Region",
        "RU",
    )
    yamburg = cons["19468"]
    assert Identifier(IdType.TAX_NUMBER, "8904034777", None, "Tax ID No.") in yamburg.identifiers
    assert yamburg.links[0].target == "us_ofac_cons:17250"  # ProfileRelationship 3320

    bektas = cons["17526"]
    assert bektas.name == "Bektas, Halis"
    assert bektas.birth_dates == (BirthDate("1966-02-13"),)
    assert bektas.countries == ("CH",)  # Citizenship Country → a location named Switzerland
    assert Identifier(IdType.PASSPORT, "X0906223", "CH", "Passport") in bektas.identifiers


@pytest.mark.shared_lists
def test_real_file_names_match_the_legacy_xml(shared_lists: Path, cons: dict[str, Entity]) -> None:
    """The "LAST, Given" composition gives the legacy files' names: every person of the 2020
    advanced file that is still in the 2024 SDN.XML carries the same primary name there."""
    from service.sources import ofac_xml

    legacy_path = shared_lists / "ofac/consolidated-xml-2024-05-06.xml"
    legacy = by_reference(ofac_xml.read([legacy_path], "x").entities)
    people = [e for e in cons.values() if e.kind is Kind.PERSON and e.reference in legacy]
    assert len(people) == 79
    assert all(e.name == legacy[e.reference].name for e in people)


# --- the hand-made fixture ----------------------------------------------------------------------


def test_fixture_person(sample_entities: dict[str, Entity]) -> None:
    assert list(sample_entities) == ["9639", "17250", "19468", "48603", "47371", "48727", "6944"]
    assert sample_entities["48603"] == Entity(
        id="us_ofac_sdn:48603",
        list_id="us_ofac_sdn",
        reference="48603",
        kind=Kind.PERSON,
        names=(
            Name("KHOROSHEV, Dmitry Yuryevich"),
            Name("ХОРОШЕВ Дмитрий Юрьевич", NameType.ORIGINAL_SCRIPT, "Cyrl"),
            Name("LOCKBITSUPP", NameType.WEAK_AKA),
        ),
        countries=("RU",),
        nationalities=("RU",),
        birth_dates=(BirthDate("1993-04-17"),),
        birth_places=("Russian Federation",),
        identifiers=(
            Identifier(IdType.PASSPORT, "2018278055", "RU", "Passport"),
            Identifier(IdType.EMAIL, "khoroshev1@icloud.com", None, "Email Address"),
            Identifier(
                IdType.CRYPTO_ADDRESS,
                "bc1qvhnfknw852ephxyc5hm4q520zmvf9maphetc9z",
                None,
                "Digital Currency Address - XBT",
            ),
        ),
        programs=("CYBER2",),
        listed_on="2024-05-07",
        links=(
            Link(
                LinkType.FAMILY_OF,
                "us_ofac_sdn:9639",
                "HANIYA, Ismail Abdul Salah",
                label="Family member of",
                source="ProfileRelationship 9002",
            ),
        ),
        details=(("gender", "Male"), ("list", "SDN List"), ("sanctions_measure", "Block")),
    )
    sharif = sample_entities["6944"]
    assert sharif.birth_dates == (BirthDate("1969"), BirthDate("1964-02-11"))
    assert sharif.nationalities == ("SA",)
    assert sharif.identifiers == (Identifier(IdType.PASSPORT, "G 649385", None, "Passport"),)
    assert sharif.details == (
        ("document_note", "Passport G 649385: issue date 2006-09-08; expiration date 2011-07-17"),
    )
    haniya = sample_entities["9639"]
    assert haniya.addresses == ()
    assert haniya.listed_on == "2006-04-12"
    assert haniya.links == (
        Link(
            LinkType.ASSOCIATE_OF,
            "us_ofac_sdn:48603",
            "KHOROSHEV, Dmitry Yuryevich",
            label="Associate Of",
            source="ProfileRelationship 9001",
        ),
        Link(
            LinkType.DIRECTOR_OF,
            "us_ofac_sdn:17250",
            "OPEN JOINT STOCK COMPANY GAZPROM",
            label="Leader or official of",
            source="ProfileRelationship 9003",
        ),
    )


def test_fixture_organizations(sample_entities: dict[str, Entity]) -> None:
    yamburg = sample_entities["19468"]
    assert yamburg == Entity(
        id="us_ofac_sdn:19468",
        list_id="us_ofac_sdn",
        reference="19468",
        kind=Kind.ORGANIZATION,
        names=(Name("GAZPROM DOBYCHA YAMBURG,OOO"), Name("GAZPROM DOBYCHA YAMBURG", NameType.AKA)),
        addresses=(
            Address(
                "d.9 ul. Geologorazvedchikov, Novy Urengoi, Yamalo-Nenetski a.o, 629306, Russia",
                "d.9 ul. Geologorazvedchikov",
                "Novy Urengoi",
                "629306",
                "Yamalo-Nenetski a.o",
                "RU",
            ),
        ),
        countries=("RU",),
        identifiers=(
            Identifier(IdType.REGISTRATION_NUMBER, "1028900624576", None, "Registration ID"),
            Identifier(IdType.TAX_NUMBER, "8904034777", "RU", "Tax ID No."),
            Identifier(IdType.EMAIL, "PRIYEMNAYA@YGDU", None, "Email Address"),
        ),
        programs=("UKRAINE-EO13662",),
        listed_on="2016-09-01",
        remarks="For more information on directives, please visit the following link: "
        "http://www.treasury.gov/resource-center/sanctions/Programs/Pages/ukraine.aspx#directives",
        links=(
            Link(
                LinkType.OWNED_BY,
                "us_ofac_sdn:17250",
                "OPEN JOINT STOCK COMPANY GAZPROM",
                label="Owned or Controlled By",
                source="ProfileRelationship 3320",
            ),
        ),
        details=(
            ("document_note", "Tax ID No. 8904034777: INN"),
            ("directive", "Executive Order 13662 Directive Determination - Subject to Directive 4"),
            ("list", "Consolidated List"),
            ("legal_basis", "Executive Order 13662 (Ukraine)"),
            ("sanctions_measure", "13662 Sectoral Directive 4"),
            ("list", "Sectoral Sanctions Identifications List"),
        ),
    )
    gazprom = sample_entities["17250"]
    assert gazprom.names == (
        Name("OPEN JOINT STOCK COMPANY GAZPROM"),
        Name("OAO Gazprom", NameType.AKA),
    )
    assert gazprom.details == (("organization_established_date", "1993-02"),)
    assert gazprom.listed_on is None and gazprom.programs == ()


def test_fixture_vessel_and_aircraft(sample_entities: dict[str, Entity]) -> None:
    leader = sample_entities["47371"]
    assert leader.kind is Kind.VESSEL
    assert leader.identifiers == (
        Identifier(IdType.IMO, "9339301", None, "Vessel Registration Identification"),
        Identifier(IdType.MMSI, "636013272", None, "MMSI"),
        Identifier(IdType.CALL_SIGN, "A8LU7", None, "Vessel Call Sign"),
    )
    assert leader.countries == ("GA",)  # Vessel Flag → a location named Gabon
    assert leader.details == (
        ("vessel_type", "Crude Oil Tanker"),
        ("vessel_flag", "Gabon"),
        ("secondary_sanctions_risk", "See Section 11 of Executive Order 14024."),
    )
    # The owner (profile 52601) is not in the file: the link stays, without a target.
    assert leader.links == (
        Link(
            LinkType.OWNED_BY,
            None,
            None,
            label="Owned or Controlled By",
            source="ProfileRelationship 9005",
        ),
    )
    aircraft = sample_entities["48727"]
    assert aircraft.kind is Kind.AIRCRAFT
    assert aircraft.identifiers == (
        Identifier(
            IdType.AIRCRAFT_SERIAL,
            "1023409321",
            None,
            "Aircraft Manufacturer's Serial Number (MSN)",
        ),
    )
    assert aircraft.details == (
        ("aircraft_model", "Ilyushin IL-76TD"),
        ("aircraft_manufacture_date", "1992"),
    )
    assert aircraft.links == (
        Link(
            LinkType.LINKED_TO,
            "us_ofac_sdn:17250",
            "OPEN JOINT STOCK COMPANY GAZPROM",
            label="Owns, controls, or operates (former)",
            source="ProfileRelationship 9004",
        ),
    )


def test_fixture_published(sample: Path) -> None:
    parsed = ofac_advanced.read([sample], "us_ofac_sdn")
    assert parsed.published == dt.date(2024, 5, 7)
    assert parsed.format == "ofac_advanced"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((1962, 1, 1), (1962, 12, 31), BirthDate("1962")),
        ((1960, 1, 1), (1965, 12, 31), BirthDate("1960", "1965")),
        ((1961, 4, 1), (1961, 4, 30), BirthDate("1961-04")),
        ((1960, 3, 1), (1962, 3, 31), BirthDate("1960-03", "1962-03")),
        ((1964, 2, 11), (1964, 2, 11), BirthDate("1964-02-11")),
        ((1964, 2, 11), (1964, 3, 2), BirthDate("1964-02-11", "1964-03-02")),
    ],
)
def test_date_periods(
    start: tuple[int, int, int], end: tuple[int, int, int], expected: BirthDate
) -> None:
    def ymd(date: tuple[int, int, int]) -> str:
        return "<Year>{}</Year><Month>{}</Month><Day>{}</Day>".format(*date)

    period = etree.fromstring(
        f"<DatePeriod><Start><From>{ymd(start)}</From><To>{ymd(start)}</To></Start>"
        f"<End><From>{ymd(end)}</From><To>{ymd(end)}</To></End></DatePeriod>"
    )
    assert ofac_advanced._period(period) == expected


# --- malformed input ----------------------------------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "sdn_advanced.xml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _fails(path: Path) -> ParseError:
    return parse_error(_read, path)


def test_truncated_file(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text()
    for cut in (len(text) // 3, text.index("<SanctionsEntries>") + 100, len(text) - 20):
        error = _fails(_write(tmp_path, text[:cut]))
        assert error.file == "sdn_advanced.xml"
        assert re.fullmatch(r"line \d+", error.location)
        assert "malformed XML" in error.problem


def test_unknown_reference(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text().replace('FeatureTypeID="224"', 'FeatureTypeID="9999"', 1)
    error = _fails(_write(tmp_path, text))
    assert error.location.startswith("<DistinctParty> #4, FixedRef 48603 (line ")
    assert error.problem == "unknown FeatureType ID '9999'"


def test_unknown_name_part_group(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text().replace('<NamePartGroup ID="38252" ', '<NamePartGroup ID="1" ', 1)
    error = _fails(_write(tmp_path, text))
    assert error.location.startswith("<DistinctParty> FixedRef 9639")  # found by pass 1
    assert "name part group '38252'" in error.problem


def test_dangling_references(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text()
    error = _fails(_write(tmp_path, text.replace('From-ProfileID="9639"', 'From-ProfileID="1"', 1)))
    assert error.location == "<ProfileRelationship> ID 9001"
    error = _fails(
        _write(tmp_path, text.replace('ProfileID="48603" ListID', 'ProfileID="2" ListID'))
    )
    assert error.location.startswith("<SanctionsEntry> ID 48603")
    orphan = text.replace('IdentityID="600400" ValidityID', 'IdentityID="3" ValidityID')
    error = _fails(_write(tmp_path, orphan))
    assert error.location.startswith("<IDRegDocument> ID 600004")
    error = _fails(_write(tmp_path, text.replace('LocationID="29591"', 'LocationID="4"', 1)))
    assert error.location.startswith("<DistinctParty> #3, FixedRef 19468")


def test_duplicate_party(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text().replace('<Profile ID="6944"', '<Profile ID="9639"', 1)
    error = _fails(_write(tmp_path, text))
    assert error.location.startswith("<DistinctParty> FixedRef 6944")
    assert error.problem == "profile 9639 is listed twice"


def test_bad_date(sample: Path, tmp_path: Path) -> None:
    birth = "<Year>1993</Year><Month>4</Month><Day>17</Day>"
    text = sample.read_text().replace(birth, birth.replace("17", "31"))  # 31 April
    error = _fails(_write(tmp_path, text))
    assert error.location.startswith("<DistinctParty> #4, FixedRef 48603")
    assert "bad date" in error.problem


def test_empty_wrong_and_partyless_files(sample: Path, tmp_path: Path) -> None:
    assert _fails(_write(tmp_path, "  \n")).problem == "empty file"
    assert _fails(_write(tmp_path, "<sdnList/>")).location == "<sdnList>"
    text = sample.read_text()
    start, end = text.index("<DistinctParties>"), text.index("</DistinctParties>")
    # Without parties, and without the relationships, entries and documents that need them.
    partyless = (
        text[:start] + "<DistinctParties>" + text[end : text.index("<ProfileRelationships>")]
    )
    partyless += text[text.index("<SanctionsEntryLinks />") :]
    partyless = re.sub(r"<IDRegDocuments>.*</IDRegDocuments>", "", partyless, flags=re.DOTALL)
    assert _fails(_write(tmp_path, partyless)).problem == "no <DistinctParty> records"


# --- streaming: a large synthetic file ----------------------------------------------------------

@pytest.mark.shared_lists
def test_large_synthetic_file_streams(shared_lists: Path, tmp_path: Path) -> None:
    path = tmp_path / "sdn_advanced.xml"
    write_advanced_xml(shared_lists / CONS_ADVANCED, 3, path)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        parsed = ofac_advanced.read([path], "us_ofac_sdn")
        kinds: Counter[Kind] = Counter()
        ids: set[str] = set()
        targets: list[str | None] = []
        for entity in parsed.entities:  # not kept: memory must not grow with the entities
            kinds[entity.kind] += 1
            ids.add(entity.id)
            targets += [link.target for link in entity.links]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kinds == {Kind.ORGANIZATION: 3 * 293, Kind.PERSON: 3 * 82}
    assert len(ids) == 3 * 375
    assert len(targets) == 3 * 276 and all(t in ids for t in targets)
    # Python-side peak: the compact pass-1 index and one party at a time. (libxml2's own
    # memory is not traced; measured by hand on a 120 MB file, the whole process peaks at
    # about half the file size, most of it the interpreter.)
    assert peak < size / 2, (peak, size)


# --- sniffing -----------------------------------------------------------------------------------


def test_sniff_fixture(sample: Path, tmp_path: Path) -> None:
    assert ofac_advanced.sniff(sample, read_head(sample)) == Sniffed(
        "ofac_advanced", "us_ofac_sdn", dt.date(2024, 5, 7)
    )
    renamed = tmp_path / "CONS_ADVANCED.XML"
    renamed.write_bytes(sample.read_bytes())
    found = ofac_advanced.sniff(renamed, read_head(renamed))
    assert found is not None and found.list_id == "us_ofac_cons"
    # A <Sanctions> root without the advanced schema's marks is someone else's file.
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?><Sanctions><Entry/></Sanctions>')
    assert ofac_advanced.sniff(other, read_head(other)) is None


@pytest.mark.shared_lists
def test_sniff_real_files(shared_lists: Path) -> None:
    for path in files_under(shared_lists):
        found = ofac_advanced.sniff(path, read_head(path))
        if path.name == "cons_advanced-2020-03-17.xml":
            assert found == Sniffed("ofac_advanced", "us_ofac_cons", dt.date(2020, 3, 17))
        else:
            assert found is None, path
