"""The EU Financial Sanctions Files legacy XML 1.0 parser."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from service.errors import ParseError
from service.model import (
    Address,
    BirthDate,
    Entity,
    Identifier,
    IdType,
    Kind,
    Name,
    NameType,
)
from service.sources import eu_fsf_legacy
from service.sources.base import Sniffed, read_head
from tests.sources_helpers import by_reference, files_under, garble, parse_error

LEGACY = "eu/legacy-global-subset-2016-02-11.xml"


def _read(path: Path) -> list[Entity]:
    return list(eu_fsf_legacy.read([path], "eu_fsf").entities)


@pytest.fixture(scope="module")
def sample(fixtures: Path) -> Path:
    return fixtures / "eu" / "legacy-sample.xml"


@pytest.fixture(scope="module")
def legacy(shared_lists: Path) -> dict[str, Entity]:
    return by_reference(_read(shared_lists / LEGACY))


# --- the real subset ------------------------------------------------------------------------


@pytest.mark.shared_lists
def test_counts_match_the_manifest(shared_lists: Path, legacy: dict[str, Entity]) -> None:
    assert eu_fsf_legacy.read([shared_lists / LEGACY], "eu_fsf").published == dt.date(2016, 2, 11)
    entities = list(legacy.values())
    assert len(entities) == 595  # MANIFEST
    assert Counter(e.kind for e in entities) == {Kind.PERSON: 319, Kind.ORGANIZATION: 276}
    names = Counter(n.type for e in entities for n in e.names)
    # 2,993 NAME elements; the list repeats a name once per legal act naming it, each kept once.
    assert names == {NameType.PRIMARY: 595, NameType.AKA: 2_102}
    assert sum(len(e.addresses) for e in entities) == 497
    identifiers = Counter(i.type for e in entities for i in e.identifiers)
    # 125 documents from PASSPORT elements, 10 phone and fax numbers from ADDRESS/OTHER.
    assert identifiers == {IdType.PASSPORT: 68, IdType.NATIONAL_ID: 53, IdType.OTHER: 4, IdType.PHONE: 10}
    assert sum(len(e.birth_dates) for e in entities) == 405
    assert sum(1 for e in entities for n in e.names if n.script) == 127


@pytest.mark.shared_lists
def test_date_is_day_first(shared_lists: Path, legacy: dict[str, Entity]) -> None:
    root = etree.parse(shared_lists / LEGACY).getroot()
    assert root.get("Date") == "11/02/2016"
    reg_dates = sorted(e.get("reg_date") for e in root.iter() if e.get("reg_date"))
    # Read month first, "11/02/2016" would be 2 Nov 2016; nothing in the file is dated after
    # 7 Jan 2016, and the file is the export of 11 Feb 2016.
    assert reg_dates[-1] == "2016-01-07"
    published = eu_fsf_legacy.read([shared_lists / LEGACY], "eu_fsf").published
    assert published == dt.date(2016, 2, 11)
    assert all(e.listed_on and e.listed_on <= published.isoformat() for e in legacy.values())


@pytest.mark.shared_lists
def test_spot_checks(legacy: dict[str, Entity]) -> None:
    saddam = legacy["13"]
    assert saddam.id == "eu_fsf:13"
    assert saddam.names == (
        Name("Saddam Hussein Al-Tikriti"),
        Name("Abu Ali", NameType.AKA),
        Name("Abou Ali", NameType.AKA),
    )
    assert saddam.birth_dates == (BirthDate("1937-04-28"),)
    assert saddam.birth_places == ("al-Awja, near Tikrit, Iraq",)
    assert saddam.nationalities == ("IQ",)

    zulkifli = legacy["1034"]
    assert Identifier(IdType.PASSPORT, "A 11263265", "MY", "National passport") in zulkifli.identifiers
    assert zulkifli.birth_dates == (BirthDate("1966-01-05"), BirthDate("1966-10-05"))

    akhund = legacy["521"]
    assert akhund.birth_dates == (BirthDate("1953", "1958"),)
    assert akhund.programs == ("AFG", "TAQA")

    abu_nidal = legacy["201"]
    assert abu_nidal.kind is Kind.ORGANIZATION
    assert Name("Μαύρος Σεπτέµβρης", NameType.AKA, "Grek") in abu_nidal.names

    trust = legacy["330"]
    assert Identifier(IdType.PHONE, "662 38 14", None, "fax") in trust.identifiers


# --- the hand-written sample, field by field ------------------------------------------------


def test_sample_records(sample: Path) -> None:
    parsed = eu_fsf_legacy.read([sample], "eu_fsf")
    assert (parsed.format, parsed.published) == ("eu_fsf_legacy", dt.date(2016, 2, 11))
    entities = by_reference(parsed.entities)
    assert list(entities) == ["1", "13", "521", "1023", "330"]

    assert entities["1"] == Entity(
        id="eu_fsf:1",
        list_id="eu_fsf",
        reference="1",
        kind=Kind.PERSON,
        names=(Name("Robert Gabriel Mugabe"),),  # named twice, by two legal acts
        birth_dates=(BirthDate("1924-02-21"),),
        birth_places=("Kutama",),
        identifiers=(Identifier(IdType.PASSPORT, "AD001095", None, "National passport"),),
        programs=("ZWE",),
        listed_on="2002-09-13",  # the earliest legal act in the record, not the entity's own
        remarks=(
            "(Entity is sanctioned in regime 310/2002 (OJ L50) of programme ZWE, "
            "in regime 314/2004 (OJ L55) of programme ZWE)"
        ),
        details=(
            ("legal_basis", "151/2012 (OJ L49)"),
            ("regulation_url", "http://eur-lex.europa.eu/LexUriServ/LexUriServ.do?uri=OJ:L:2012:049:0002:0016:EN:PDF"),
            ("gender", "male"),
            ("position", "President"),  # "president" again in the second NAME
        ),
    )

    akhund = entities["521"]
    assert akhund.names == (Name("Akhund, Ahmed Jan"), Name("Haji Ahmad Jan", NameType.AKA))
    assert akhund.birth_dates == (BirthDate("1953", "1958"),)
    assert akhund.birth_places == ("Kandahar province, Afghanistan",)
    assert akhund.programs == ("AFG", "TAQA")
    assert akhund.listed_on == "2007-10-24"
    assert akhund.details[2:] == (
        ("title", "Mullah"),
        ("position", "Minister of Water and Electricity"),
        ("birth_date_approximate", "1953 to 1958"),
        ("birth_note", "between 1953 and 1958"),  # from an XML comment, written twice
    )

    jarraya = entities["1023"]
    assert jarraya.addresses == (Address("Nuoro, Italy", city="Nuoro", country="IT"),)
    assert jarraya.countries == ("IT", "TN")
    assert jarraya.nationalities == ("TN",)
    assert jarraya.birth_places == ("Sereka, Yugoslavia",)
    assert jarraya.identifiers == (Identifier(IdType.PASSPORT, "K989895", "TN", "National passport"),)
    note = (
        "National passport K989895: [known to be expired](passport issued on 1995-07-26 in genoa, italy, "
        "expired on 2000-07-25)"
    )
    assert ("document_note", note) in jarraya.details

    trust = entities["330"]
    assert trust.kind is Kind.ORGANIZATION
    assert trust.nationalities == ()
    assert trust.names == (
        Name("Al Rashid Trust"),
        Name("Aid Organisation of the Ulema, Pakistan", NameType.AKA),
        Name("Организация за подпомагане на Ulema, Пакистан", NameType.AKA, "Cyrl"),
    )
    assert trust.addresses == (
        Address(
            "Jamia Masjid Sulaiman Park Begum Pura, Lahore, Pakistan",
            street="Jamia Masjid Sulaiman Park Begum Pura",
            city="Lahore",
            country="PK",
        ),
        Address(
            "Kitab Ghar, Darul Ifta Wal Irshad, Nazimbad No 4, Karachi, Pakistan",
            street="Kitab Ghar, Darul Ifta Wal Irshad, Nazimbad No 4",
            city="Karachi",
            country="PK",
        ),
    )
    assert trust.identifiers == (
        Identifier(IdType.PHONE, "042-681 20 81", None, "phone"),
        Identifier(IdType.PHONE, "0300-820 91 99", None, "phone"),
        Identifier(IdType.PHONE, "668 33 01", None, "phone"),
        Identifier(IdType.PHONE, "662 38 14", None, "fax"),
    )
    assert trust.listed_on == "2002-05-29"


def test_same_entity_id_as_xml_1_1(sample: Path) -> None:
    # ENTITY/@Id is the sanctionEntity/@logicalId of the 1.1 export (13 is Saddam Hussein in both).
    assert _read(sample)[1].id == "eu_fsf:13"


# --- malformed input ------------------------------------------------------------------------


def _expect_error(path: Path) -> ParseError:
    return parse_error(_read, path)


def test_truncated_file(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    cut = tmp_path / "truncated.xml"
    cut.write_text(text[: text.index('<ENTITY Id="330"') + 40], encoding="utf-8")
    entities = eu_fsf_legacy.read([cut], "eu_fsf").entities
    assert [next(entities).reference for _ in range(4)] == ["1", "13", "521", "1023"]
    with pytest.raises(ParseError) as caught:
        next(entities)
    assert caught.value.file == "truncated.xml"
    assert caught.value.location.startswith("line ")


def test_unknown_type(sample: Path, tmp_path: Path) -> None:
    error = _expect_error(garble(sample, tmp_path, '<ENTITY Id="13" Type="P"', '<ENTITY Id="13" Type="X"'))
    assert error.location.startswith("<ENTITY> #2, Id 13 (line ")
    assert "'X'" in error.problem


def test_missing_id(sample: Path, tmp_path: Path) -> None:
    error = _expect_error(garble(sample, tmp_path, '<ENTITY Id="521"', "<ENTITY"))
    assert error.location.startswith("<ENTITY> #3 (line ")


def test_bad_birth_date(sample: Path, tmp_path: Path) -> None:
    error = _expect_error(garble(sample, tmp_path, "<DATE>1937-04-28</DATE>", "<DATE>28 April 1937</DATE>"))
    assert error.location.startswith("<ENTITY> #2, Id 13")
    assert "28 April 1937" in error.problem


def test_bad_reg_date(sample: Path, tmp_path: Path) -> None:
    error = _expect_error(garble(sample, tmp_path, 'reg_date="2003-07-07"', 'reg_date="07/07/2003"'))
    assert "reg_date" in error.problem


def test_nameless_entity(sample: Path, tmp_path: Path) -> None:
    head, tail = sample.read_text(encoding="utf-8").split('<ENTITY Id="330"')
    path = tmp_path / "nameless.xml"
    path.write_text(head + '<ENTITY Id="330"' + re.sub(r"<WHOLENAME>[^<]*</WHOLENAME>", "<WHOLENAME/>", tail))
    error = _expect_error(path)
    assert error.location.startswith("<ENTITY> #5, Id 330")
    assert "no name" in error.problem


def test_bad_published_date(sample: Path, tmp_path: Path) -> None:
    error = _expect_error(garble(sample, tmp_path, 'Date="11/02/2016"', 'Date="2016-02-11"'))
    assert error.location == "<WHOLE>"


def test_empty_and_recordless_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    _expect_error(empty)
    bare = tmp_path / "bare.xml"
    bare.write_text('<?xml version="1.0"?>\n<WHOLE Date="11/02/2016">\n</WHOLE>\n')
    assert "no <ENTITY> records" in _expect_error(bare).problem


# --- sniffing -------------------------------------------------------------------------------


def test_sniff_sample(sample: Path) -> None:
    assert eu_fsf_legacy.sniff(sample, read_head(sample)) == Sniffed("eu_fsf_legacy", "eu_fsf", dt.date(2016, 2, 11))


@pytest.mark.shared_lists
def test_sniff_real_file(shared_lists: Path) -> None:
    path = shared_lists / LEGACY
    assert eu_fsf_legacy.sniff(path, read_head(path)) == Sniffed("eu_fsf_legacy", "eu_fsf", dt.date(2016, 2, 11))


@pytest.mark.shared_lists
def test_sniff_leaves_other_formats_alone(shared_lists: Path, fixtures: Path) -> None:
    others = [p for p in files_under(shared_lists) if p.name != Path(LEGACY).name]
    others += [p for p in files_under(fixtures) if p.name != "legacy-sample.xml"]
    for path in others:
        assert eu_fsf_legacy.sniff(path, read_head(path)) is None, path
