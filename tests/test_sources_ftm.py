"""The OpenSanctions FollowTheMoney (FtM) JSON-lines parser."""

from __future__ import annotations

import collections
import datetime as dt
import json
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
from service.sources import ftm
from service.sources.base import Sniffed, read_head
from tests.sources_helpers import by_reference, files_under, parse_error

LIST_ID = "opensanctions"


def parse(path: Path) -> tuple[dt.date | None, list[Entity]]:
    parsed = ftm.read([path], LIST_ID)
    return parsed.published, list(parsed.entities)


def schema_counts(path: Path) -> collections.Counter[str]:
    with open(path, encoding="utf-8") as f:
        return collections.Counter(json.loads(line)["schema"] for line in f if line.strip())


# --- the real files ---------------------------------------------------------------------


@pytest.mark.shared_lists
def test_zala_counts(shared_lists: Path) -> None:
    path = shared_lists / "opensanctions" / "zala.ftm.json"
    # MANIFEST's "91 entities" counts every line, of every schema.
    assert schema_counts(path) == {
        "Sanction": 41, "Ownership": 14, "Company": 11, "Address": 11, "Person": 6,
        "Family": 4, "Directorship": 3, "Passport": 1,
    }  # fmt: skip
    published, entities = parse(path)
    assert published == dt.date(2026, 4, 29)
    assert len(entities) == 17
    assert collections.Counter(e.kind for e in entities) == {Kind.ORGANIZATION: 11, Kind.PERSON: 6}
    links = [link for e in entities for link in e.links]
    assert collections.Counter(link.type for link in links) == {
        LinkType.OWNED_BY: 14,
        LinkType.FAMILY_OF: 4,
        LinkType.DIRECTOR_OF: 3,
    }
    ids = {e.id for e in entities}
    assert all(link.target in ids for link in links), "every link resolves in-file"
    # All 11 Address records are attached (the dangling addressEntity ids are not).
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    address_fulls = {r["properties"]["full"][0] for r in records if r["schema"] == "Address"}
    attached = {a.full for e in entities for a in e.addresses}
    assert address_fulls <= attached
    assert all(len(e.names) == len({n.full for n in e.names}) for e in entities)


@pytest.mark.shared_lists
def test_zala_spot_checks(shared_lists: Path) -> None:
    _, entities = parse(shared_lists / "opensanctions" / "zala.ftm.json")
    found = by_reference(entities)

    zakharov = found["NK-aU5ybkbRFJucf8YMwsJvDw"]
    assert zakharov.kind is Kind.PERSON
    assert zakharov.name == "Alexander Vyacheslavovich ZAKHAROV"
    assert (
        Name("Александр Вячеславович Захаров", NameType.ORIGINAL_SCRIPT, "Cyrl") in zakharov.names
    )
    assert zakharov.birth_dates == (BirthDate("1965-09-21"),)
    assert Identifier(IdType.TAX_NUMBER, "183111242406", None, "Tax Number") in zakharov.identifiers
    assert "EU-UKR" in zakharov.programs and "US-RUSHAR" in zakharov.programs
    assert Address(
        "272 Pushkinskaya Street, Apt 41, Izhevsk, 426008",
        "272 Pushkinskaya Street, Apt 41", "Izhevsk", "426008", None, "RU",
    ) in zakharov.addresses  # fmt: skip
    assert (
        Link(
            LinkType.DIRECTOR_OF,
            "opensanctions:NK-abdzbEBkqyT29GyREbiURZ",
            "LLC CST",
            None,
            "Leader or official of",
            "Directorship ofac-d8ecdd62dca8ba39b832a77c170926630683ea05",
        )
        in zakharov.links
    )

    cst = found["NK-abdzbEBkqyT29GyREbiURZ"]
    assert cst.name == "LLC CST"
    owners = {(link.target_name, link.share, link.label) for link in cst.links}
    assert ("Alexander Vyacheslavovich ZAKHAROV", 51.0, "Ownership (since 2015-11-25)") in owners
    assert ("JSC Kalashnikov Concern", None, "subsidiary of") in owners
    assert len(cst.links) == 7

    son = found["NK-hUAjuiA3vTKXF6v2X6MYnS"]
    assert Identifier(IdType.PASSPORT, "089132114", None, "Passport Number") in son.identifiers
    assert son.birth_dates == (BirthDate("1999-02-26"),)

    maria = found["NK-2Tbri3s6GgNtAwsSXh4qpL"]
    assert Name("Maria Aleksandrovna Zakharova", NameType.FKA) in maria.names
    assert Name("Мария Александровна Захарова", NameType.FKA, "Cyrl") in maria.names
    assert [(link.type, link.target) for link in maria.links] == [
        (LinkType.FAMILY_OF, "opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw")
    ]

    dissolved = found["ru-inn-5920040846"]  # a company only present as an ownership asset
    assert ("target", "false") in dissolved.details
    assert dissolved.links[0].share == 100.0


@pytest.mark.shared_lists
def test_t1(shared_lists: Path) -> None:
    path = shared_lists / "opensanctions" / "t1.ftm.json"
    assert sum(schema_counts(path).values()) == 7
    published, entities = parse(path)
    assert published == dt.date(2024, 6, 1)
    assert collections.Counter(e.kind for e in entities) == {Kind.PERSON: 4, Kind.ORGANIZATION: 2}
    found = by_reference(entities)
    irgc = found["NK-2PacmNpiLUmoz4XD2mSt7A"]
    assert [n.full for n in irgc.names] == ["IRGC", "Iranian Revolutionary Guard Corps"]
    assert irgc.countries == ("IR",)
    soyko = found["NK-2Myxbs6wX9xFKGoQn3sLaY"]
    assert soyko.birth_places == ("BELARUS, Komsomolskaya",)
    assert ("title", "Colonel") in soyko.details
    assert Identifier(IdType.REGISTRATION_NUMBER, "808000714", None, "Registration Number") in (
        found["NK-2GdmHtZTeNXjNVrBGEXZNj"].identifiers
    )


@pytest.mark.shared_lists
def test_sniff_real_files(shared_lists: Path) -> None:
    for path in files_under(shared_lists):
        found = ftm.sniff(path, read_head(path))
        if path.parent.name == "opensanctions":
            assert found == Sniffed("ftm", "opensanctions", None), path
        else:
            assert found is None, path


# --- the hand-written fixture -----------------------------------------------------------


def test_fixture_field_by_field(fixtures: Path) -> None:
    published, entities = parse(fixtures / "ftm" / "cluster.ftm.json")
    assert published == dt.date(2024, 5, 1)
    assert [e.reference for e in entities] == ["fx-ivan", "fx-northwind", "fx-anna", "fx-vessel"]
    ivan, northwind, anna, vessel = entities

    assert ivan == Entity(
        id="opensanctions:fx-ivan",
        list_id=LIST_ID,
        reference="fx-ivan",
        kind=Kind.PERSON,
        names=(
            Name("Ivan Petrovich SIDOROV", NameType.PRIMARY),
            Name("Иван Петрович Сидоров", NameType.ORIGINAL_SCRIPT, "Cyrl"),
            Name("Ivan SIDOROV", NameType.AKA),
            Name("Vanya Sidorov", NameType.AKA),
            Name("Ivan Petrovich KOZLOV", NameType.FKA),
            Name("Vanya", NameType.WEAK_AKA),
        ),
        addresses=(
            Address("Tverskaya 1, Moscow, 125009", "Tverskaya 1", "Moscow", "125009", None, "RU"),
            Address("Arch. Makariou III 2, Nicosia"),
        ),
        countries=("RU", "CY"),
        nationalities=("RU", "CY"),
        birth_dates=(BirthDate("1970-05"),),
        birth_places=("Tula, Russia",),
        identifiers=(
            Identifier(IdType.PASSPORT, "4509 123456", None, "Passport Number"),
            Identifier(IdType.TAX_NUMBER, "771234567890", None, "INN"),
            Identifier(IdType.PASSPORT, "72 1234567", "RU", "Foreign passport"),
        ),
        programs=("EU-UKR", "RUSSIA-EO14024"),
        listed_on="2022-04-08",
        remarks="Fictional person for parser tests.",
        links=(
            Link(
                LinkType.LINKED_TO,
                None,
                "Member of the Duma",
                None,
                "Occupancy (since 2021)",
                "Occupancy fx-occupancy-1",
            ),
        ),
        details=(
            ("gender", "male"),
            ("position", "Chairman of Northwind Trading LLC"),
            ("topics", "sanction"),
            ("sanction", "Council of the European Union: UKR (listed 2022-04-08)"),
            ("sanction", "OFAC: RUSSIA-EO14024 (listed 2022-06-02)"),
            ("dataset", "fixture"),
            ("target", "true"),
        ),
    )

    assert northwind.kind is Kind.ORGANIZATION
    assert northwind.names == (
        Name("Northwind Trading LLC"),
        Name("ООО «Нордвинд Трейдинг»", NameType.ORIGINAL_SCRIPT, "Cyrl"),
        Name("Northwind Import LLC", NameType.FKA),
    )
    assert northwind.addresses == (
        Address(
            "2 Arch. Makariou III, 1065 Nicosia, Cyprus",
            "2 Arch. Makariou III",
            "Nicosia",
            "1065",
            None,
            "CY",
        ),
    )
    assert northwind.countries == ("CY",)
    assert northwind.identifiers == (
        Identifier(IdType.REGISTRATION_NUMBER, "HE 123456", None, "Registration Number"),
        Identifier(IdType.EMAIL, "info@northwind.example", None, "Email"),
        Identifier(IdType.WEBSITE, "https://northwind.example", None, "Website"),
    )
    assert northwind.links == (
        Link(
            LinkType.OWNED_BY,
            "opensanctions:fx-ivan",
            "Ivan Petrovich SIDOROV",
            60.0,
            "shareholder (since 2019-04-01)",
            "Ownership fx-ownership-1",
        ),
    )
    assert northwind.listed_on is None and northwind.programs == ()
    assert northwind.details == (
        ("legal_form", "Limited liability company"),
        ("incorporation_date", "2015-06-01"),
        ("topics", "sanction.linked"),
        ("dataset", "fixture"),
        ("target", "false"),
    )

    assert anna.names == (Name("Anna SMIRNOVA"),)
    assert anna.birth_dates == (BirthDate("1981-02-03"),)
    assert anna.nationalities == ("RU",)
    assert anna.identifiers == (
        Identifier(IdType.NATIONAL_ID, "123-456-789 01", None, "ID Number"),
    )
    assert anna.links == (
        Link(
            LinkType.DIRECTOR_OF,
            "opensanctions:fx-northwind",
            "Northwind Trading LLC",
            None,
            "General Director (2020-01-10 to 2023-12-31)",
            "Directorship fx-directorship-1",
        ),
    )

    assert vessel.kind is Kind.VESSEL
    assert vessel.names == (Name("NORTHWIND STAR"), Name("NORDIC STAR", NameType.FKA))
    assert vessel.countries == ("RU",)
    assert vessel.identifiers == (
        Identifier(IdType.IMO, "9123456", None, "IMO Number"),
        Identifier(IdType.MMSI, "273111222", None, "MMSI"),
        Identifier(IdType.CALL_SIGN, "UBCD7", None, "Call Sign"),
    )
    assert vessel.links == (
        Link(
            LinkType.OWNED_BY,
            "opensanctions:fx-northwind",
            "Northwind Trading LLC",
            None,
            "Owner",
            "Vessel fx-vessel",
        ),
    )
    assert vessel.details == (
        ("vessel_type", "Oil tanker"),
        ("build_date", "2004"),
        ("tonnage", "29000"),
        ("dataset", "fixture"),
        ("target", "true"),
    )


def test_fixture_sniff(fixtures: Path, tmp_path: Path) -> None:
    path = fixtures / "ftm" / "cluster.ftm.json"
    assert ftm.sniff(path, read_head(path)) == Sniffed("ftm", "opensanctions", None)
    other = tmp_path / "other.json"
    other.write_text('{"results": [{"schema": "x"}]}\n')
    assert ftm.sniff(other, read_head(other)) is None
    renamed = tmp_path / "cluster.csv"
    renamed.write_bytes(path.read_bytes())
    assert ftm.sniff(renamed, read_head(renamed)) is None


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("51", 51.0),
        ("51%", 51.0),
        ("51.00", 51.0),
        (" 0,5 % ", 0.5),
        ("50-75", 50.0),
        ("50%-75%", 50.0),
        ("25 to 50", 25.0),
        ("> 50", 50.0),
        ("majority", None),
        ("150", None),
    ],
)
def test_parse_share(text: str, share: float | None) -> None:
    assert ftm.parse_share(text) == share


def test_share_range_keeps_raw_text_in_label(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "ftm" / "cluster.ftm.json").read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace('"60%"', '"50-75"')
    path = tmp_path / "range.ftm.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, entities = parse(path)
    (link,) = by_reference(entities)["fx-northwind"].links
    assert (link.share, link.label) == (50.0, "shareholder (50-75%; since 2019-04-01)")


# --- malformed input --------------------------------------------------------------------


def write_lines(tmp_path: Path, fixtures: Path, change: dict[int, str | None]) -> Path:
    """The fixture with line i (0-based) replaced by change[i], or dropped when None."""
    lines = (fixtures / "ftm" / "cluster.ftm.json").read_text(encoding="utf-8").splitlines()
    out = [change.get(i, line) for i, line in enumerate(lines)]
    path = tmp_path / "bad.ftm.json"
    path.write_text("\n".join(line for line in out if line is not None) + "\n", encoding="utf-8")
    return path


def expect_error(path: Path, location: str) -> ParseError:
    error = parse_error(parse, path, location)
    assert path.name in str(error)
    return error


def test_truncated_file(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "ftm" / "cluster.ftm.json").read_bytes()
    path = tmp_path / "truncated.ftm.json"
    path.write_bytes(data[: len(data) - 40])
    expect_error(path, "line 13")


def test_garbled_line(fixtures: Path, tmp_path: Path) -> None:
    expect_error(
        write_lines(tmp_path, fixtures, {3: '{"id": "fx-northwind", "schema": "Company", '}),
        "line 4",
    )


def test_bad_properties(fixtures: Path, tmp_path: Path) -> None:
    line = json.dumps({"id": "fx-x", "schema": "Person", "properties": {"name": "not a list"}})
    error = expect_error(write_lines(tmp_path, fixtures, {6: line}), "line 7, id fx-x")
    assert "'name'" in error.problem
    no_schema = json.dumps({"id": "fx-x", "properties": {}})
    expect_error(write_lines(tmp_path, fixtures, {6: no_schema}), "line 7")


def test_dangling_link_endpoint(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "ftm" / "cluster.ftm.json").read_text(encoding="utf-8").splitlines()
    path = write_lines(
        tmp_path, fixtures, {0: lines[0].replace('"owner": ["fx-ivan"]', '"owner": ["fx-gone"]')}
    )
    error = expect_error(path, "line 1, id fx-ownership-1")
    assert "fx-gone" in error.problem


def test_link_without_endpoint(fixtures: Path, tmp_path: Path) -> None:
    line = json.dumps({"id": "fx-fam", "schema": "Family", "properties": {"person": ["fx-ivan"]}})
    expect_error(write_lines(tmp_path, fixtures, {11: line}), "line 12, id fx-fam")


def test_duplicate_id(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "ftm" / "cluster.ftm.json").read_text(encoding="utf-8").splitlines()
    expect_error(write_lines(tmp_path, fixtures, {12: lines[1]}), "line 13, id fx-ivan")


def test_bad_birth_date_raises_before_the_entity(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "ftm" / "cluster.ftm.json").read_text(encoding="utf-8").splitlines()
    path = write_lines(tmp_path, fixtures, {6: lines[6].replace('"1981-02-03"', '"3 Feb 1981"')})
    entities = ftm.read([path], LIST_ID).entities
    assert next(entities).reference == "fx-ivan"
    assert next(entities).reference == "fx-northwind"
    with pytest.raises(ParseError) as caught:
        next(entities)
    assert caught.value.location == "line 7, id fx-anna"


def test_empty_and_thingless_files(fixtures: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.ftm.json"
    empty.write_text("\n")
    expect_error(empty, "line 1")
    lines = (fixtures / "ftm" / "cluster.ftm.json").read_text(encoding="utf-8").splitlines()
    only_addresses = tmp_path / "addresses.ftm.json"
    only_addresses.write_text(lines[2] + "\n" + lines[4] + "\n", encoding="utf-8")
    expect_error(only_addresses, "whole file")


def test_other_schemata(tmp_path: Path) -> None:
    """Airplane, CryptoWallet, Identification, UnknownLink, Associate, and an unknown schema."""
    records = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Jane ROE"]}},
        {"id": "p2", "schema": "Person", "properties": {"name": ["John DOE"]}},
        {"id": "a1", "schema": "Airplane", "caption": "EX-123", "properties": {
            "name": ["EX-123"], "registrationNumber": ["EX-123"], "serialNumber": ["4711"],
            "model": ["Tu-204"], "operator": ["o1"]}},
        {"id": "o1", "schema": "PublicBody", "properties": {"name": ["Air Ministry"]}},
        {"id": "w1", "schema": "CryptoWallet", "properties": {
            "holder": ["p1"], "publicKey": ["0xabc"], "currency": ["ETH"]}},
        {"id": "i1", "schema": "Identification", "properties": {
            "holder": ["p1"], "number": ["AB123"], "type": ["National ID"], "country": ["de"]}},
        {"id": "u1", "schema": "UnknownLink", "properties": {
            "subject": ["p1"], "object": ["a1"], "role": ["pilot"]}},
        {"id": "s1", "schema": "Associate", "properties": {
            "person": ["p2"], "associate": ["p1"], "relationship": ["business partner"]}},
        {"id": "n1", "schema": "Note", "properties": {"entity": ["p1"]}},
    ]  # fmt: skip
    path = tmp_path / "other.ftm.json"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    published, entities = parse(path)
    assert published is None
    jane, john, plane, ministry = entities
    assert jane.identifiers == (
        Identifier(IdType.CRYPTO_ADDRESS, "0xabc", None, "Crypto Wallet - ETH"),
        Identifier(IdType.NATIONAL_ID, "AB123", "DE", "National ID"),
    )
    assert jane.links == (
        Link(LinkType.LINKED_TO, "opensanctions:a1", "EX-123", None, "pilot", "UnknownLink u1"),
    )
    assert john.links == (
        Link(
            LinkType.ASSOCIATE_OF,
            "opensanctions:p1",
            "Jane ROE",
            None,
            "business partner",
            "Associate s1",
        ),
    )
    assert plane.kind is Kind.AIRCRAFT
    assert plane.identifiers == (
        Identifier(IdType.AIRCRAFT_TAIL, "EX-123", None, "Aircraft Registration"),
        Identifier(IdType.AIRCRAFT_SERIAL, "4711", None, "Serial Number"),
    )
    assert plane.links == (
        Link(
            LinkType.LINKED_TO, "opensanctions:o1", "Air Ministry", None, "Operator", "Airplane a1"
        ),
    )
    assert ("model", "Tu-204") in plane.details
    assert ministry.kind is Kind.ORGANIZATION
