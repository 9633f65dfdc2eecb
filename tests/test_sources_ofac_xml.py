"""The OFAC SDN.XML parser (``sdnList``/``sdnEntry``), on the real consolidated list and a fixture."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
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
from service.sources import ofac_xml
from service.sources.base import Sniffed, read_head
from tests.sources_helpers import by_reference, files_under, parse_error

CONS_XML = "ofac/consolidated-xml-2024-05-06.xml"


def _read(path: Path, list_id: str = "us_ofac_cons") -> list[Entity]:
    return list(ofac_xml.read([path], list_id).entities)


@pytest.fixture(scope="module")
def sample(fixtures: Path) -> Path:
    return fixtures / "ofac_xml" / "sdn_sample.xml"


@pytest.fixture(scope="module")
def sample_entities(sample: Path) -> dict[str, Entity]:
    return by_reference(_read(sample, "us_ofac_sdn"))


@pytest.fixture(scope="module")
def cons(shared_lists: Path) -> dict[str, Entity]:
    return by_reference(_read(shared_lists / CONS_XML))


# --- the real consolidated list -----------------------------------------------------------------


@pytest.mark.shared_lists
def test_real_counts(shared_lists: Path, cons: dict[str, Entity]) -> None:
    raw = (shared_lists / CONS_XML).read_text()
    parsed = ofac_xml.read([shared_lists / CONS_XML], "us_ofac_cons")
    assert parsed.published == dt.date(2024, 5, 6)
    entities = list(cons.values())
    assert len(entities) == 443 == raw.count("<sdnEntry>")  # MANIFEST: 443 entries
    assert len({e.id for e in entities}) == 443
    assert Counter(e.kind for e in entities) == {Kind.ORGANIZATION: 364, Kind.PERSON: 79}

    names = Counter(n.type for e in entities for n in e.names)
    # Counted in the raw file: 66 <category>weak</category> (63 a.k.a., 3 f.k.a.); 982 a.k.a.
    # and 144 f.k.a. in all. A weak f.k.a. is WEAK_AKA. No entry repeats an aka of its own.
    assert raw.count("<category>weak</category>") == 66
    assert raw.count("<type>a.k.a.</type>") == 982 and raw.count("<type>f.k.a.</type>") == 144
    assert names == {
        NameType.PRIMARY: 443,
        NameType.AKA: 982 - 63,
        NameType.FKA: 144 - 3,
        NameType.WEAK_AKA: 66,
    }

    assert sum(len(e.addresses) for e in entities) == 503 == raw.count("<address>")
    assert sum(len(e.birth_dates) for e in entities) == 74
    assert sum(len(e.birth_places) for e in entities) == 20
    # 2,366 <id> items: 1,175 are directives, dates, target types … (details); of the other
    # 1,191, two repeat an ISIN of the same entry (uids 30926 and 30938).
    assert raw.count("<id>") == 2366
    assert sum(len(e.identifiers) for e in entities) == 1189
    details = Counter(k for e in entities for k, _ in e.details)
    assert details["directive"] == 307 + 40 + 2  # EO 13662, EO 14024, EO 14014
    assert details["secondary_sanctions_risk"] == 289
    assert details["gender"] == 2

    # 284 "Linked To:" remarks; all but HAMAS (on the SDN list, not this one) resolve here.
    links = [link for e in entities for link in e.links]
    assert len(links) == 284 == len(re.findall("Linked To:", raw))
    assert {link.type for link in links} == {LinkType.LINKED_TO}
    unresolved = [link.target_name for link in links if link.target is None]
    assert unresolved == ["HAMAS"]
    ids = {e.id for e in entities}
    assert all(link.target in ids for link in links if link.target)


@pytest.mark.shared_lists
def test_real_spot_checks(cons: dict[str, Entity]) -> None:
    haniya = cons["9639"]
    assert haniya.id == "us_ofac_cons:9639"
    assert haniya.kind is Kind.PERSON
    assert haniya.names == (
        Name("HANIYA, Ismail Abdul Salah"),
        Name("HANIYA, Ismail", NameType.AKA),
        Name("HANIYYA, Ismaeel", NameType.AKA),
    )
    assert haniya.birth_dates == (BirthDate("1962"),)
    assert haniya.birth_places == ("Shati",)
    assert haniya.programs == ("NS-PLC",)

    gazprom = cons["17250"]
    assert gazprom.name == "PUBLIC JOINT STOCK COMPANY GAZPROM"
    assert Identifier(IdType.TAX_NUMBER, "7736050003", "RU", "Tax ID No.") in gazprom.identifiers
    assert gazprom.programs == ("UKRAINE-EO13662", "RUSSIA-EO14024")

    yamburg = cons["19468"]
    assert yamburg.links == (
        Link(
            LinkType.LINKED_TO,
            "us_ofac_cons:17250",
            "PUBLIC JOINT STOCK COMPANY GAZPROM",
            label="Linked To",
            source="remarks",
        ),
    )

    vtb = cons["17013"]
    assert Name("JSC VTB BANK", NameType.FKA) in vtb.names
    assert Name("VTB BANK PAO", NameType.AKA) in vtb.names

    moge = cons["46072"]
    assert [n for n in moge.names if n.type is NameType.WEAK_AKA] == [
        Name("MOGE", NameType.WEAK_AKA),
        Name("M.O.G.E.", NameType.WEAK_AKA),
    ]
    assert moge.addresses[0] == Address(
        "Complex No. 44, Nay Pyi Taw, Naypyidaw Union Territory, Burma",
        "Complex No. 44",
        "Nay Pyi Taw",
        None,
        "Naypyidaw Union Territory",
        "MM",
    )
    assert cons["9647"].nationalities == ("PS",)  # <nationality><country>Palestinian
    assert cons["26182"].countries == ("TR",)  # <citizenship><country>Turkey


# --- the hand-made fixture ----------------------------------------------------------------------


def test_fixture_people(sample_entities: dict[str, Entity]) -> None:
    assert list(sample_entities) == [
        "9639", "17250", "19468", "46072", "18812", "47371", "6944", "12057", "10485", "4234",
        "48727",
    ]  # fmt: skip
    sharif = sample_entities["6944"]
    assert sharif == Entity(
        id="us_ofac_sdn:6944",
        list_id="us_ofac_sdn",
        reference="6944",
        kind=Kind.PERSON,
        names=(Name("AL-SHARIF, Sa'd Abdullah Hussein"),),
        nationalities=("SA",),
        birth_dates=(BirthDate("1969"), BirthDate("1963"), BirthDate("1964-02-11")),
        birth_places=("Al-Medinah, Saudi Arabia",),
        identifiers=(
            Identifier(IdType.PASSPORT, "B 960789", None, "Passport"),
            Identifier(IdType.PASSPORT, "G 649385", None, "Passport"),
        ),
        programs=("SDGT",),
        details=(("document_note", "Passport G 649385: issued 08 Sep 2006, expires 17 Jul 2011"),),
    )
    naqdi = sample_entities["12057"]
    assert naqdi.names == (
        Name("NAQDI, Mohammad Reza"),
        Name("NAGHDI, Mohammad Reza", NameType.AKA),
    )
    assert naqdi.birth_dates == (BirthDate("1951", "1953"), BirthDate("1961-04"))
    assert naqdi.birth_places == ("Najaf, Iraq", "Tehran, Iran")
    assert naqdi.nationalities == ("IR",)
    assert naqdi.details == (
        ("title", "Brigadier General and Commander of the IRGC Basij Resistance Force"),
        ("additional_sanctions_information", "Subject to Secondary Sanctions"),
        ("gender", "Male"),
    )
    sheibani = sample_entities["10485"]
    assert sheibani.countries == ("IR", "IQ")  # two citizenships
    assert sheibani.birth_dates == (BirthDate("1959"),)
    assert sheibani.details == (("birth_date_approximate", "circa 1959"),)


def test_fixture_organizations(sample_entities: dict[str, Entity]) -> None:
    gazprom = sample_entities["17250"]
    assert gazprom.names == (
        Name("PUBLIC JOINT STOCK COMPANY GAZPROM"),
        Name("PJSC GAZPROM", NameType.AKA),
        Name("GAZPROM", NameType.AKA),
    )
    assert gazprom.addresses == (
        Address(
            "2/3 Lakhtinsky Avenue, Bldg. 1, St. Petersburg, Russia, 197229, Russia",
            "2/3 Lakhtinsky Avenue, Bldg. 1",
            "St. Petersburg",
            "197229",
            "Russia",
            "RU",
        ),
    )
    assert gazprom.countries == ("RU",)
    assert gazprom.identifiers == (Identifier(IdType.TAX_NUMBER, "7736050003", "RU", "Tax ID No."),)
    assert gazprom.details == (
        ("directive", "Executive Order 13662 Directive Determination - Subject to Directive 4"),
        ("listing_date", "Listing Date (EO 14024 Directive 3): 24 Feb 2022"),
        (
            "secondary_sanctions_risk",
            "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209",
        ),
    )
    assert gazprom.remarks is not None and gazprom.remarks.startswith("For more information")

    yamburg = sample_entities["19468"]
    assert yamburg.links == (
        Link(
            LinkType.LINKED_TO,
            "us_ofac_sdn:17250",
            "PUBLIC JOINT STOCK COMPANY GAZPROM",
            label="Linked To",
            source="remarks",
        ),
    )
    assert yamburg.identifiers == (
        Identifier(IdType.REGISTRATION_NUMBER, "1028900624576", None, "Registration ID"),
        Identifier(IdType.WEBSITE, "yamburg-dobycha.gazprom.ru", None, "Website"),
    )

    nmz = sample_entities["18812"]
    assert nmz.names[1:] == (
        Name("OPEN JOINT STOCK COMPANY NOVOVYATSK MECHANICAL PLANT", NameType.AKA),
        Name("NMZ OJSC", NameType.WEAK_AKA),
        Name("NMZ OAO", NameType.WEAK_AKA),  # a weak f.k.a.
    )
    assert nmz.links == (
        Link(
            LinkType.LINKED_TO,
            None,
            "STATE CORPORATION ROSTEC",
            label="Linked To",
            source="remarks",
        ),
    )
    assert sample_entities["46072"].details == (
        ("organization_established_date", "1963"),
        ("target_type", "State-Owned Enterprise"),
    )


def test_fixture_vessels_and_aircraft(sample_entities: dict[str, Entity]) -> None:
    leader = sample_entities["47371"]
    assert leader.kind is Kind.VESSEL
    assert leader.identifiers == (
        Identifier(IdType.IMO, "9339301", None, "Identification Number"),
        Identifier(IdType.MMSI, "636013272", None, "MMSI"),
        Identifier(IdType.CALL_SIGN, "A8LU7", None, "Call Sign"),
    )
    assert leader.countries == ("GA",)
    assert leader.details == (
        ("secondary_sanctions_risk", "See Section 11 of Executive Order 14024."),
        ("vessel_type", "Crude Oil Tanker"),
        ("vessel_flag", "Gabon"),
    )
    assert leader.links == (
        Link(
            LinkType.LINKED_TO,
            None,
            "NS LEADER SHIPPING INCORPORATED",
            label="Linked To",
            source="remarks",
        ),
    )
    hermann = sample_entities["4234"]
    assert hermann.details == (
        ("vessel_type", "General Cargo"),
        ("vessel_flag", "Cuba"),
        ("vessel_owner", "Compania Navegacion Golfo S.A."),
        ("tonnage", "2597"),
        ("gross_registered_tonnage", "1098"),
    )
    assert hermann.links == (
        Link(
            LinkType.OWNED_BY,
            None,
            "Compania Navegacion Golfo S.A.",
            label="Vessel Owner",
            source="vesselInfo",
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
        ("aircraft_manufacture_date", "1992"),
        ("aircraft_model", "Ilyushin IL-76TD"),
    )
    assert [link.target_name for link in aircraft.links] == ["POUYA AIR"]


def test_fixture_published_and_ids(sample: Path) -> None:
    parsed = ofac_xml.read([sample], "us_ofac_sdn")
    assert parsed.published == dt.date(2024, 5, 6)
    assert parsed.format == "ofac_xml"
    assert all(e.id == f"us_ofac_sdn:{e.reference}" for e in parsed.entities)


def test_linked_names() -> None:
    assert ofac_xml.linked_names("All offices; (Linked To: X CO.)") == ["X CO."]
    assert ofac_xml.linked_names("Linked To: A (B)-C; Linked To: D.") == ["A (B)-C", "D."]
    assert ofac_xml.linked_names("no links") == []


def test_birth_dates() -> None:
    assert ofac_xml.birth_date("08 Feb 1980") == BirthDate("1980-02-08")
    assert ofac_xml.birth_date("01 Jan 1960 to 31 Dec 1962") == BirthDate(
        "1960-01-01", "1962-12-31"
    )
    assert ofac_xml.birth_date("Mar 1960 to Mar 1962") == BirthDate("1960-03", "1962-03")
    assert ofac_xml.birth_date("1960.") == BirthDate("1960")
    assert ofac_xml.birth_date("30 Feb 1980") is None
    assert ofac_xml.birth_date("unknown") is None


# --- malformed input ----------------------------------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "sdn.xml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _fails(path: Path) -> ParseError:
    return parse_error(_read, path)


def test_truncated_file(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text()
    error = _fails(_write(tmp_path, text[: len(text) // 2]))
    assert error.file == "sdn.xml"
    assert re.fullmatch(r"line \d+", error.location)
    assert "malformed XML" in error.problem


def test_nothing_is_yielded_before_a_late_error(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text()
    path = _write(tmp_path, text[: text.rindex("</sdnEntry>")])
    entities = ofac_xml.read([path], "us_ofac_sdn").entities
    with pytest.raises(ParseError):
        next(entities)  # the first pass reads the whole file before the first entity


def test_entry_without_uid(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text().replace("<uid>17250</uid>", "", 1)
    error = _fails(_write(tmp_path, text))
    assert error.location.startswith("<sdnEntry> #2, uid ?")
    assert "no <uid>" in error.problem
    assert "sdn.xml: <sdnEntry> #2" in str(error)


def test_unknown_sdn_type(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text().replace("<sdnType>Vessel</sdnType>", "<sdnType>Boat</sdnType>", 1)
    error = _fails(_write(tmp_path, text))
    assert error.location.startswith("<sdnEntry> #6, uid 47371")
    assert "sdnType 'Boat'" in error.problem


def test_unknown_aka_type(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text().replace("<type>a.k.a.</type>", "<type>aka</type>", 1)
    error = _fails(_write(tmp_path, text))
    assert error.location.startswith("<sdnEntry> #1, uid 9639")


def test_duplicate_uid(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text().replace("<uid>19468</uid>", "<uid>17250</uid>", 1)
    error = _fails(_write(tmp_path, text))
    assert error.location.startswith("<sdnEntry> #3, uid 17250")
    assert error.problem == "the uid is listed twice"


def test_record_count_mismatch(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text().replace("<Record_Count>11<", "<Record_Count>12<")
    error = _fails(_write(tmp_path, text))
    assert error.location == "<publshInformation>"
    assert "12" in error.problem and "11" in error.problem


def test_empty_and_recordless_files(tmp_path: Path) -> None:
    assert _fails(_write(tmp_path, "")).problem == "empty file"
    recordless = '<?xml version="1.0"?>\n<sdnList xmlns="http://tempuri.org/sdnList.xsd"/>\n'
    error = _fails(_write(tmp_path, recordless))
    assert error.problem == "no <sdnEntry> records"


def test_wrong_root(tmp_path: Path) -> None:
    error = _fails(_write(tmp_path, "<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>"))
    assert error.location == "<CONSOLIDATED_LIST>"


def test_one_file_only(sample: Path) -> None:
    with pytest.raises(ParseError):
        ofac_xml.read([sample, sample], "us_ofac_sdn")


# --- sniffing -----------------------------------------------------------------------------------


def test_sniff_fixture(sample: Path, tmp_path: Path) -> None:
    assert ofac_xml.sniff(sample, read_head(sample)) == Sniffed(
        "ofac_xml", "us_ofac_sdn", dt.date(2024, 5, 6)
    )
    renamed = tmp_path / "CONSOLIDATED.XML"
    renamed.write_bytes(sample.read_bytes())
    assert ofac_xml.sniff(renamed, read_head(renamed)).list_id == "us_ofac_cons"  # type: ignore[union-attr]


@pytest.mark.shared_lists
def test_sniff_real_files(shared_lists: Path) -> None:
    for path in files_under(shared_lists):
        found = ofac_xml.sniff(path, read_head(path))
        if path.name == "consolidated-xml-2024-05-06.xml":
            assert found == Sniffed("ofac_xml", "us_ofac_cons", dt.date(2024, 5, 6))
        else:
            assert found is None, path
