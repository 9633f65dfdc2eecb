"""The UN Security Council consolidated list XML parser."""

from __future__ import annotations

import datetime as dt
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
from service.sources import un_xml
from service.sources.base import Sniffed, read_head
from tests.sources_helpers import by_reference, files_under, garble, parse_error

UN_2026 = "un/consolidated-2026-02-27.xml"
UN_2024 = "un/consolidated-2024-05-15.xml"


def _read(path: Path) -> list[Entity]:
    return list(un_xml.read([path], "un_sc").entities)


@pytest.fixture(scope="module")
def sample(fixtures: Path) -> Path:
    return fixtures / "un" / "consolidated-sample.xml"


@pytest.fixture(scope="module")
def un_2026(shared_lists: Path) -> dict[str, Entity]:
    return by_reference(_read(shared_lists / UN_2026))


# --- the real lists ---------------------------------------------------------------------------


@pytest.mark.shared_lists
def test_2026_counts_match_the_manifest(shared_lists: Path, un_2026: dict[str, Entity]) -> None:
    parsed = un_xml.read([shared_lists / UN_2026], "un_sc")
    assert parsed.published == dt.date(2026, 2, 27)
    entities = list(un_2026.values())
    assert len(entities) == 1_003
    assert Counter(e.kind for e in entities) == {Kind.PERSON: 730, Kind.ORGANIZATION: 273}
    assert len({e.id for e in entities}) == 1_003

    names = Counter(n.type for e in entities for n in e.names)
    assert names[NameType.PRIMARY] == 1_003
    assert names[NameType.ORIGINAL_SCRIPT] == 378  # MANIFEST: 378 names in original script
    # MANIFEST: 2,752 aliases. They hold 2,853 names (49 list several: "A; B", "X (original
    # script: Y)", "Latin (Arabic)"); 10 repeat a name of the same entity and type and are
    # dropped; CDe.003's printed name "CAGL ; GLBC" adds 2 a.k.a.s: 2,853 - 10 + 2 = 2,845.
    assert names[NameType.AKA] == 2_198
    assert names[NameType.WEAK_AKA] == 628  # quality Low
    assert names[NameType.FKA] == 19
    assert names[NameType.AKA] + names[NameType.WEAK_AKA] + names[NameType.FKA] == 2_845

    assert sum(len(e.addresses) for e in entities) == 809
    assert sum(len(e.identifiers) for e in entities) == 448
    assert sum(len(e.birth_dates) for e in entities) == 893
    assert all(e.programs and e.listed_on for e in entities)


@pytest.mark.shared_lists
def test_2026_raw_aliases_and_their_split(shared_lists: Path) -> None:
    raw = [un_xml.words(e.text) for e in etree.parse(shared_lists / UN_2026).iter("ALIAS_NAME")]
    aliases = [a for a in raw if a]
    assert len(aliases) == 2_752
    assert sum(len(un_xml.alias_parts(a)) for a in aliases) == 2_853


@pytest.mark.shared_lists
def test_2024_counts(shared_lists: Path) -> None:
    parsed = un_xml.read([shared_lists / UN_2024], "un_sc")
    assert parsed.published == dt.date(2024, 5, 15)
    entities = list(parsed.entities)
    assert Counter(e.kind for e in entities) == {Kind.PERSON: 682, Kind.ORGANIZATION: 193}


@pytest.mark.shared_lists
def test_2026_spot_checks(un_2026: dict[str, Entity]) -> None:
    zidane = un_2026["QDi.001"]
    assert zidane.id == "un_sc:113219"
    assert zidane.name == "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE"
    assert Name("محمد صلاح الدين عبدالحليم زيدان", NameType.ORIGINAL_SCRIPT, "Arab") in zidane.names
    assert Name("Seif al Adel", NameType.WEAK_AKA) in zidane.names
    assert zidane.birth_dates[:2] == (BirthDate("1963-04-11"), BirthDate("1960-04-11"))
    assert zidane.nationalities == ("EG",)

    # The passport is printed three times, in French, Spanish and English.
    ra = un_2026["KPi.008"]
    assert ra.identifiers == (Identifier(IdType.PASSPORT, "645120196", "KP", "Numéro de passeport"),)

    akhund = un_2026["TAi.002"]
    assert akhund.birth_dates == (BirthDate("1955", "1958"), BirthDate("1945", "1950"))

    cagl = un_2026["CDe.003"]
    assert cagl.kind is Kind.ORGANIZATION
    assert Name("GREAT LAKES BUSINESS COMPANY (GLBC)", NameType.AKA) in cagl.names
    assert Address("PO BOX 315, Goma, Democratic Republic of the Congo", "PO BOX 315", "Goma", None, None, "CD") in (
        cagl.addresses
    )

    nusra = un_2026["QDe.137"]
    assert Name("هيئة تحرير الشام", NameType.AKA, "Arab") in nusra.names
    assert Name("Jabhat al-Nusrah", NameType.AKA) in nusra.names


# --- the hand-written sample, field by field ------------------------------------------------


def test_sample_person_with_month_note(sample: Path) -> None:
    parsed = un_xml.read([sample], "un_sc")
    assert parsed.format == "un_xml"
    assert parsed.published == dt.date(2026, 2, 27)
    kaina = next(parsed.entities)
    assert kaina == Entity(
        id="un_sc:6907996",
        list_id="un_sc",
        reference="CDi.004",
        kind=Kind.PERSON,
        names=(
            Name("INNOCENT KAINA", NameType.PRIMARY),
            Name("Colonel Innocent KAINA", NameType.AKA),
            Name("India Queen", NameType.WEAK_AKA),
        ),
        addresses=(Address("Uganda (as of early 2016)", country="UG"),),
        countries=("UG",),
        birth_dates=(BirthDate("1973-11"),),
        birth_places=("Bunagana, Rutshuru territory, Democratic Republic of the Congo",),
        programs=("DRC", "1533 (2004) sanctions, Democratic Republic of the Congo"),
        listed_on="2012-11-30",
        remarks="Fled to Uganda in November 2013. In Uganda as of early 2016.",
        details=(
            ("gender", "male"),
            ("position", "Former M23 Deputy Commander"),
            ("last_updated", "2016-10-13"),
        ),
    )


def test_sample_all_records(sample: Path) -> None:
    entities = by_reference(_read(sample))
    assert list(entities) == ["CDi.004", "KPi.008", "TAi.002", "QDi.299", "CDe.001", "CDe.003"]

    ra = entities["KPi.008"]
    assert ra.name == "RA KY'ONG-SU"
    assert ra.names == (
        Name("RA KY'ONG-SU"),
        Name("Ra Kyung-Su", NameType.AKA),
        Name("Chang Myong Ho", NameType.AKA),  # printed twice, kept once
    )
    assert ra.identifiers == (Identifier(IdType.PASSPORT, "645120196", "KP", "Numéro de passeport"),)
    assert ra.nationalities == ("KP",) and ra.countries == ("KP",)
    assert ra.birth_dates == (BirthDate("1954-06-04"),)
    assert ("last_updated", "2023-06-29") in ra.details  # the latest, not the last printed

    akhund = entities["TAi.002"]
    assert akhund.names == (
        Name("MOHAMMAD HASSAN AKHUND"),
        Name("محمد حسن آخوند", NameType.ORIGINAL_SCRIPT, "Arab"),
    )
    assert akhund.birth_dates == (BirthDate("1955", "1958"), BirthDate("1958-09"))
    assert akhund.details == (
        ("title", "Mullah"),
        ("title", "Haji"),
        ("position", "Foreign Minister under the Taliban regime"),
        ("last_updated", "2011-11-29"),
        ("birth_date_approximate", "1955 to 1958"),
        ("birth_date_approximate", "1958-09"),
    )
    assert akhund.programs == ("Taliban", "1988 (2011) sanctions, Taliban")

    baghdadi = entities["QDi.299"]
    assert baghdadi.name == "IBRAHIM AWWAD IBRAHIM ALI AL-BADRI AL-SAMARRAI"
    assert baghdadi.names[2:] == (
        Name("أبو دعاء", NameType.WEAK_AKA, "Arab"),
        Name("أبو بكر البغدادي الحسيني القريشي", NameType.WEAK_AKA, "Arab"),
        Name("Abu Bakr al-Baghdadi al-Husayni al-Quraishi", NameType.WEAK_AKA),
        Name("Abu Bakr al-Baghdadi", NameType.WEAK_AKA),
    )
    assert baghdadi.listed_on == "2011-10-05"
    assert baghdadi.birth_dates == (BirthDate("1971"),)
    assert baghdadi.birth_places == ("Iraq", "Samarra, Iraq")
    assert baghdadi.identifiers == (Identifier(IdType.NATIONAL_ID, "0134852", None, "Ration card number"),)
    assert baghdadi.countries == ("IQ", "SY")
    assert ("alias_note", "أبو دعاء: (Abu Du’a; Abu Duaa’) prominently known by this nom de guerre") in (
        baghdadi.details
    )

    adf = entities["CDe.001"]
    assert adf.kind is Kind.ORGANIZATION
    assert adf.names == (
        Name("ADF"),
        Name("Allied Democratic Forces", NameType.AKA),
        Name("ADF/NALU", NameType.FKA),
    )
    assert adf.addresses == (
        Address("North Kivu, Democratic Republic of the Congo", region="North Kivu", country="CD"),
    )

    cagl = entities["CDe.003"]
    assert cagl.names == (
        Name("COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)"),
        Name("COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)", NameType.AKA),
        Name("GREAT LAKES BUSINESS COMPANY (GLBC)", NameType.AKA),
        Name("CAGL", NameType.AKA),
    )
    assert cagl.countries == ("CD", "RW")
    assert cagl.addresses[0] == Address(
        "Avenue Président Mobutu, Goma, Democratic Republic of the Congo",
        street="Avenue Président Mobutu",
        city="Goma",
        country="CD",
    )


@pytest.mark.parametrize(
    ("alias", "parts"),
    [
        ("Azim Adhajani; Azim Agha-Jani", ["Azim Adhajani", "Azim Agha-Jani"]),
        ("Amir Khazmat (original script: Амир Хазмат)", ["Amir Khazmat", "Амир Хазмат"]),
        ("Jin Tiesan (金铁三)", ["Jin Tiesan", "金铁三"]),
        (
            "أنصار الشريعة بليبيا (Ansar al Charia in Libya (ASL))",
            ["أنصار الشريعة بليبيا", "Ansar al Charia in Libya (ASL)"],
        ),
        (
            "Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet",
            ["Mohammed Sabet", "Mohammad Sabet", "M. Javad Kareemi Sabet"],
        ),
        ("EL PARA (COMBAT NAME)", ["EL PARA (COMBAT NAME)"]),
        ("Lord’s Resistance Movement (LRM)", ["Lord’s Resistance Movement (LRM)"]),
        ("華信船務(香港)有限公司", ["華信船務(香港)有限公司"]),
    ],
)
def test_alias_parts(alias: str, parts: list[str]) -> None:
    assert un_xml.alias_parts(alias) == parts


# --- malformed input ------------------------------------------------------------------------


def _expect_error(path: Path) -> ParseError:
    return parse_error(_read, path)


def test_truncated_file(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    cut = tmp_path / "truncated.xml"
    cut.write_text(text[: text.index("<DATAID>2975516")], encoding="utf-8")
    error = _expect_error(cut)
    assert error.location.startswith("line ")
    assert "truncated.xml: line " in str(error)


def test_truncated_file_yields_complete_records_first(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    cut = tmp_path / "truncated.xml"
    cut.write_text(text[: text.index("<DATAID>2975516")], encoding="utf-8")
    entities = un_xml.read([cut], "un_sc").entities
    assert [next(entities).reference for _ in range(3)] == ["CDi.004", "KPi.008", "TAi.002"]
    with pytest.raises(ParseError):
        next(entities)


def test_record_without_dataid(sample: Path, tmp_path: Path) -> None:
    garbled = garble(sample, tmp_path, "<DATAID>690744</DATAID>", "<DATAID/>")
    error = _expect_error(garbled)
    assert error.location.startswith("<INDIVIDUAL> #2 (line ")
    assert "DATAID" in error.problem


def test_record_with_bad_date(sample: Path, tmp_path: Path) -> None:
    garbled = garble(sample, tmp_path, "<DATE>1954-06-04</DATE>", "<DATE>1954-13-04</DATE>")
    error = _expect_error(garbled)
    assert error.location.startswith("<INDIVIDUAL> #2, DATAID 690744 (line ")
    assert "'1954-13-04'" in error.problem


def test_record_without_name(sample: Path, tmp_path: Path) -> None:
    garbled = garble(sample, tmp_path, "<FIRST_NAME>ADF</FIRST_NAME>", "<FIRST_NAME> </FIRST_NAME>")
    error = _expect_error(garbled)
    assert error.location.startswith("<ENTITY> #1, DATAID 6908402")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    _expect_error(empty)


def test_no_records(tmp_path: Path) -> None:
    bare = tmp_path / "bare.xml"
    bare.write_text('<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS/></CONSOLIDATED_LIST>')
    error = _expect_error(bare)
    assert "no <INDIVIDUAL> or <ENTITY> records" in error.problem


def test_other_root(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<sdnList><sdnEntry/></sdnList>")
    assert "<sdnList>" in _expect_error(other).problem


# --- sniffing -------------------------------------------------------------------------------


def test_sniff_sample(sample: Path) -> None:
    assert un_xml.sniff(sample, read_head(sample)) == Sniffed("un_xml", "un_sc", dt.date(2026, 2, 27))


@pytest.mark.shared_lists
def test_sniff_real_files(shared_lists: Path) -> None:
    for name, day in ((UN_2026, dt.date(2026, 2, 27)), (UN_2024, dt.date(2024, 5, 15))):
        path = shared_lists / name
        assert un_xml.sniff(path, read_head(path)) == Sniffed("un_xml", "un_sc", day)


@pytest.mark.shared_lists
def test_sniff_leaves_other_formats_alone(shared_lists: Path, fixtures: Path) -> None:
    others = [p for p in files_under(shared_lists) if p.parent.name != "un"]
    others += [p for p in files_under(fixtures) if p.parent.name != "un"]
    assert others
    for path in others:
        assert un_xml.sniff(path, read_head(path)) is None, path
