"""The EU Financial Sanctions Files XML 1.1 parser.

No real 1.1 export is in the shared lists, so the records are checked on the hand-written
fixture; the real files are used to show that the sniffer claims none of them.
"""

from __future__ import annotations

import datetime as dt
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
    Name,
    NameType,
)
from service.sources import eu_fsf
from service.sources.base import Sniffed, read_head
from tests.sources_helpers import by_id, files_under, garble, parse_error

NS = 'xmlns="http://eu.europa.ec/fpi/fsd/export"'


def _read(path: Path) -> list[Entity]:
    return list(eu_fsf.read([path], "eu_fsf").entities)


@pytest.fixture(scope="module")
def sample(fixtures: Path) -> Path:
    return fixtures / "eu" / "eu_fsf_1_1.xml"


@pytest.fixture(scope="module")
def entities(sample: Path) -> dict[str, Entity]:
    return by_id(_read(sample))


def _one(tmp_path: Path, body: str) -> Entity:
    """The entity of a one-record export around ``body`` (a sanctionEntity's children)."""
    path = tmp_path / "one.xml"
    path.write_text(
        f'<export {NS} generationDate="2024-12-11T21:24:35+01:00">'
        f'<sanctionEntity logicalId="9" euReferenceNumber="EU.9.9">'
        f'<subjectType code="person" classificationCode="P"/><nameAlias wholeName="Test Person" strong="true"/>'
        f"{body}</sanctionEntity></export>",
        encoding="utf-8",
    )
    (entity,) = _read(path)
    return entity


# --- the hand-written sample, field by field ------------------------------------------------


def test_published_and_order(sample: Path) -> None:
    parsed = eu_fsf.read([sample], "eu_fsf")
    assert (parsed.format, parsed.published) == ("eu_fsf", dt.date(2024, 12, 11))
    assert [e.reference for e in parsed.entities] == ["EU.36.64", "135909", "EU.3523.13", "EU.7808.66", "596", "521"]


def test_person_with_passport(entities: dict[str, Entity]) -> None:
    assert entities["eu_fsf:1"] == Entity(
        id="eu_fsf:1",
        list_id="eu_fsf",
        reference="EU.36.64",
        kind=Kind.PERSON,
        names=(Name("Robert Gabriel Mugabe"),),
        birth_dates=(BirthDate("1924-02-21"),),
        # countryIso2Code="00" / "UNKNOWN": no country
        identifiers=(Identifier(IdType.PASSPORT, "AD001095", None, "National passport"),),
        programs=("ZWE",),
        listed_on="2005-06-16",  # no designationDate: the earliest legal act cited
        details=(
            ("gender", "male"),
            ("position", "Former President"),
            ("legal_basis", "2018/223 (OJ L43)"),
            ("regulation_url", "http://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:32018R0223&from=EN"),
            ("document_note", "National passport AD001095: (passport)"),
        ),
    )


def test_primary_name_is_not_a_translation(entities: dict[str, Entity]) -> None:
    putin = entities["eu_fsf:135909"]
    assert putin.reference == "135909"  # no euReferenceNumber
    assert putin.names == (
        Name("Vladimir Vladimirovich PUTIN"),  # listed after the Swedish spelling
        Name("Vladimir Vladimirovitj PUTIN", NameType.AKA),
        Name("Владимир Владимирович ПУТИН", NameType.AKA, "Cyrl"),
    )
    assert putin.listed_on == "2022-02-25"
    assert putin.nationalities == ("RU",) and putin.countries == ("RU",)
    assert putin.birth_dates == (BirthDate("1952-10-07"),)
    assert putin.birth_places == ("Leningrad (now Saint-Petersburg), Russian Federation",)
    assert ("birth_note", "Leningrad (now Saint-Petersburg), ex USSR (now Russian Federation)") in putin.details
    assert ("position", "President of the Russian Federation") in putin.details


def test_organisation_names_in_many_scripts(entities: dict[str, Entity]) -> None:
    front = entities["eu_fsf:207"]
    assert front.kind is Kind.ORGANIZATION
    assert front.reference == "EU.3523.13"
    assert front.names == (
        Name("İslami Büyük Doğu Akıncılar Cephesi"),
        Name("Great Islamic Eastern Warriors Front", NameType.AKA),
        Name("Фронт на великите ислямски източни воини", NameType.AKA, "Cyrl"),
        # The list writes the Greek mu as the micro sign (U+00B5), as the real file does.
        Name("Μέγα Ισλαµικό Μέτωπο των Πολεµιστών της Ανατολής", NameType.AKA, "Grek"),
        Name("Front islamique des combattants du Grand Orient", NameType.AKA),
        Name("IBDA-C", NameType.AKA),
    )
    assert front.programs == ("TERR",)
    assert front.listed_on == "2018-03-22"


def test_enterprise_with_address_and_registration(entities: dict[str, Entity]) -> None:
    roe = entities["eu_fsf:137718"]
    assert roe == Entity(
        id="eu_fsf:137718",
        list_id="eu_fsf",
        reference="EU.7808.66",
        kind=Kind.ORGANIZATION,
        names=(
            Name("JSC ROSOBORONEXPORT"),
            Name("AO Рособоронэкспорт", NameType.AKA, "Cyrl"),
            Name("Rosoboroneksport", NameType.AKA),
        ),
        addresses=(
            Address(
                "27 Stromynka Street, 107076 Moscow, Russian Federation",
                street="27 Stromynka Street",
                city="Moscow",
                postal_code="107076",
                country="RU",
            ),
        ),
        countries=("RU",),  # an enterprise's citizenship is a country, not a nationality
        identifiers=(
            Identifier(IdType.WEBSITE, "https://roe.ru", None, "web"),
            Identifier(IdType.REGISTRATION_NUMBER, "1117746521452", "RU", "Registration Number"),
            Identifier(IdType.TAX_NUMBER, "7718852163", "RU", "Tax Identification Number"),
        ),
        programs=("UKR",),
        listed_on="2022-03-15",
        details=(
            ("legal_basis", "2023/571 (OJ L75 I)"),
            ("regulation_url", "https://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:32023R0571"),
            ("document_note", "Registration Number 1117746521452: OGRN"),
            ("document_note", "Tax Identification Number 7718852163: Tax number"),
        ),
    )


def test_year_only_circa_birth_and_weak_alias(entities: dict[str, Entity]) -> None:
    hanif = entities["eu_fsf:596"]
    assert hanif.names == (
        Name("Din Mohammad Hanif"),  # wholeName empty: first and last name joined
        Name("Qari Din Mohammad", NameType.AKA),
        Name("Iadena Mohammad", NameType.WEAK_AKA),
    )
    assert hanif.birth_dates == (BirthDate("1955"), BirthDate("1969-01-01"))
    assert hanif.birth_places == (
        "Shakarlab village, Yaftali Pain District, Badakhshan Province, Afghanistan",
        "Badakhshan, Afghanistan",
    )
    assert hanif.identifiers == (Identifier(IdType.PASSPORT, "OA 454044", None, "National passport"),)
    assert hanif.remarks == (
        "(Entity is sanctioned in regime 753/2011 (OJ L199) of programme AFG, "
        "in regime 881/2002 (OJ L139) of programme TAQA)"
    )
    assert hanif.details == (
        ("gender", "male"),
        ("title", "Qari"),
        ("position", "Minister of Planning under the Taliban regime"),
        ("alias_note", "Iadena Mohammad: as written in passport OA 454044"),
        ("legal_basis", "1139/2012 (OJ L332)"),
        ("regulation_url", "http://eur-lex.europa.eu/LexUriServ/LexUriServ.do?uri=OJ:L:2012:332:0001:0007:EN:PDF"),
        ("birth_date_approximate", "1955"),
        ("birth_note", "as Iadena Mohammad"),
        ("document_note", "National passport OA 454044: name on document Iadena Mohammad"),
    )


def test_year_range_and_two_programmes(entities: dict[str, Entity]) -> None:
    akhund = entities["eu_fsf:521"]
    assert akhund.birth_dates == (BirthDate("1953", "1958"),)
    assert ("birth_date_approximate", "1953 to 1958") in akhund.details
    assert akhund.programs == ("AFG", "TAQA")
    assert akhund.listed_on == "2007-10-24"


# --- smaller cases, one record each ---------------------------------------------------------


def test_month_and_year_parts(tmp_path: Path) -> None:
    entity = _one(tmp_path, '<birthdate circa="false" year="1961" monthOfYear="3" countryIso2Code="00"/>')
    assert entity.birth_dates == (BirthDate("1961-03"),)


def test_zero_parts_are_unknown(tmp_path: Path) -> None:
    entity = _one(tmp_path, '<birthdate year="1970" monthOfYear="0" dayOfMonth="0" countryIso2Code="00"/>')
    assert entity.birth_dates == (BirthDate("1970"),)


def test_span_open_below(tmp_path: Path) -> None:
    entity = _one(tmp_path, '<birthdate circa="true" yearRangeTo="1960" countryIso2Code="00"/>')
    assert entity.birth_dates == (BirthDate("1960"),)
    assert entity.details == (("birth_date_note", "in or before 1960"), ("birth_date_approximate", "1960"))


def test_low_quality_remark_makes_an_alias_weak(tmp_path: Path) -> None:
    alias = '<nameAlias wholeName="Abu Test" strong="true"><remark>Low quality alias</remark></nameAlias>'
    entity = _one(tmp_path, alias)
    assert entity.names == (Name("Test Person"), Name("Abu Test", NameType.WEAK_AKA))
    assert entity.details == ()


def test_contact_info_and_document_flags(tmp_path: Path) -> None:
    entity = _one(
        tmp_path,
        '<address city="Pyongyang" countryIso2Code="KP" countryDescription="NORTH KOREA" poBox="1234">'
        '<remark>as at listing</remark><contactInfo key="PHONE" value="+850 2 18111, +850 2 3814410"/>'
        '<contactInfo key="EMAIL" value="info@example.kp"/></address>'
        '<identification number="123" latinNumber="ABC-123" identificationTypeCode="id" '
        'identificationTypeDescription="National identification card" knownFalse="true" diplomatic="false" '
        'countryIso2Code="KP"/>',
    )
    assert entity.addresses == (
        Address("P.O. Box 1234, Pyongyang, North Korea (as at listing)", city="Pyongyang", country="KP"),
    )
    assert entity.identifiers == (
        Identifier(IdType.PHONE, "+850 2 18111", None, "phone"),
        Identifier(IdType.PHONE, "+850 2 3814410", None, "phone"),
        Identifier(IdType.EMAIL, "info@example.kp", None, "email"),
        Identifier(IdType.NATIONAL_ID, "123", "KP", "National identification card"),
        Identifier(IdType.NATIONAL_ID, "ABC-123", "KP", "National identification card"),
    )
    assert ("document_note", "National identification card 123: known to be false") in entity.details


# --- malformed input ------------------------------------------------------------------------


def _expect_error(path: Path) -> ParseError:
    return parse_error(_read, path)


def test_truncated_file(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    cut = tmp_path / "truncated.xml"
    cut.write_text(text[: text.index('logicalId="137718"') + 200], encoding="utf-8")
    entities = eu_fsf.read([cut], "eu_fsf").entities
    assert [next(entities).reference for _ in range(3)] == ["EU.36.64", "135909", "EU.3523.13"]
    with pytest.raises(ParseError) as caught:
        next(entities)
    assert caught.value.file == "truncated.xml"
    assert caught.value.location.startswith("line ")


def test_missing_subject_type(sample: Path, tmp_path: Path) -> None:
    path = garble(sample, tmp_path, '<subjectType code="enterprise" classificationCode="E"/>', "")
    error = _expect_error(path)
    assert error.location.startswith("<sanctionEntity> #3, logicalId 207 (line ")
    assert "subjectType" in error.problem


def test_unknown_subject_type(sample: Path, tmp_path: Path) -> None:
    path = garble(sample, tmp_path, 'code="person" classificationCode="P"', 'code="vessel" classificationCode="V"')
    assert "'vessel'" in _expect_error(path).problem


def test_missing_logical_id(sample: Path, tmp_path: Path) -> None:
    path = garble(sample, tmp_path, 'euReferenceNumber="EU.36.64" logicalId="1"', 'euReferenceNumber="EU.36.64"')
    assert _expect_error(path).location.startswith("<sanctionEntity> #1 (line ")


def test_bad_birth_date(sample: Path, tmp_path: Path) -> None:
    path = garble(sample, tmp_path, 'birthdate="1952-10-07"', 'birthdate="07/10/1952"')
    error = _expect_error(path)
    assert error.location.startswith("<sanctionEntity> #2, logicalId 135909")
    assert "07/10/1952" in error.problem


def test_bad_designation_date(sample: Path, tmp_path: Path) -> None:
    path = garble(sample, tmp_path, 'designationDate="2022-03-15"', 'designationDate="2022-15-03"')
    assert "2022-15-03" in _expect_error(path).problem


def test_nameless_entity(sample: Path, tmp_path: Path) -> None:
    path = garble(sample, tmp_path, 'wholeName="Robert Gabriel Mugabe"', 'wholeName=""')
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'firstName="Robert" middleName="Gabriel" lastName="Mugabe"', 'firstName="" middleName="" lastName=""'
        ),
        encoding="utf-8",
    )
    assert "no name" in _expect_error(path).problem


def test_empty_recordless_and_foreign_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    _expect_error(empty)
    bare = tmp_path / "bare.xml"
    bare.write_text(f'<export {NS} generationDate="2024-12-11T21:24:35+01:00"></export>')
    assert "no <sanctionEntity> records" in _expect_error(bare).problem
    # The right root name in no namespace is some other document.
    plain = tmp_path / "plain.xml"
    plain.write_text('<export generationDate="2024-12-11"><sanctionEntity logicalId="1"/></export>')
    assert "expected <export" in _expect_error(plain).problem


# --- sniffing -------------------------------------------------------------------------------


def test_sniff_sample(sample: Path) -> None:
    assert eu_fsf.sniff(sample, read_head(sample)) == Sniffed("eu_fsf", "eu_fsf", dt.date(2024, 12, 11))


def test_sniff_with_prefix_and_declaration(tmp_path: Path) -> None:
    path = tmp_path / "prefixed.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<fsd:export xmlns:fsd="http://eu.europa.ec/fpi/fsd/export" generationDate="2018-12-21T14:39:54.511+01:00">'
        "</fsd:export>"
    )
    assert eu_fsf.sniff(path, read_head(path)) == Sniffed("eu_fsf", "eu_fsf", dt.date(2018, 12, 21))


@pytest.mark.shared_lists
def test_sniff_leaves_other_formats_alone(shared_lists: Path, fixtures: Path) -> None:
    others = files_under(shared_lists)
    others += [p for p in files_under(fixtures) if p.name != "eu_fsf_1_1.xml"]
    for path in others:
        assert eu_fsf.sniff(path, read_head(path)) is None, path
