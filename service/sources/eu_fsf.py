"""The EU Financial Sanctions Files, XML 1.1 (``<export xmlns="http://eu.europa.ec/fpi/fsd/export">``).

One ``sanctionEntity`` per listing: ``logicalId`` (stable, the source id), ``euReferenceNumber``
("EU.27.28", the reference humans quote), ``designationDate``, ``unitedNationId``; children
``regulation`` (programme and legal act), ``subjectType`` (person/enterprise), ``nameAlias``
(one per name and language, ``strong="false"`` for weak aliases), ``citizenship``,
``birthdate``, ``address`` (with ``contactInfo``) and ``identification``. Every child may
carry ``remark`` elements; ``regulationSummary`` children only repeat legal acts.

Quirks handled here:

* There is no primary name, and aliases come in no set order: the first strong ``nameAlias``
  without a ``nameLanguage`` (or in English) is taken as primary.
* Unknown countries are written ``countryIso2Code="00" countryDescription="UNKNOWN"``.
* A birth date is a full ``birthdate``, or ``year``/``monthOfYear``/``dayOfMonth`` parts, or a
  ``yearRangeFrom``/``yearRangeTo`` span, with ``circa`` for approximate ones.
* Weak aliases are sometimes flagged only by a remark ("low quality").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pycountry
from lxml import etree

from service.countries import to_iso
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
    entity_id,
)
from service.sources.base import ParsedList, Sniffed, one_file
from service.sources.labels import id_type, script_of
from service.sources.text import iso_date, uniq, words
from service.sources.xml_stream import (
    expect_root,
    record_where,
    records,
    root_attributes,
)

FORMAT = "eu_fsf"
LIST_ID = "eu_fsf"

NS = "http://eu.europa.ec/fpi/fsd/export"
_ROOT = f"{{{NS}}}export"

_Fail = Callable[[str], ParseError]  # builds the error for the record being read

_KINDS = {"person": Kind.PERSON, "p": Kind.PERSON, "enterprise": Kind.ORGANIZATION, "e": Kind.ORGANIZATION}
# identificationTypeCode → IdType; codes not here (other, birthcert, drivinglicence,
# travelcardid, …) are typed from their description.
_ID_CODES = {
    "passport": IdType.PASSPORT,
    "id": IdType.NATIONAL_ID,
    "ssn": IdType.NATIONAL_ID,
    "nrn": IdType.NATIONAL_ID,
    "regnumber": IdType.REGISTRATION_NUMBER,
    "tradelic": IdType.REGISTRATION_NUMBER,
    "fiscalcode": IdType.TAX_NUMBER,
    "taxid": IdType.TAX_NUMBER,
    "swiftbic": IdType.SWIFT_BIC,
    "imo": IdType.IMO,
}
_CONTACTS = {"PHONE": IdType.PHONE, "FAX": IdType.PHONE, "EMAIL": IdType.EMAIL, "WEB": IdType.WEBSITE}
_DOCUMENT_FLAGS = (
    ("diplomatic", "diplomatic"),
    ("knownExpired", "known to be expired"),
    ("knownFalse", "known to be false"),
    ("reportedLost", "reported lost"),
    ("revokedByIssuer", "revoked by issuer"),
)


def sniff(path: Path, head: bytes) -> Sniffed | None:
    root = root_attributes(head, _ROOT)
    return None if root is None else Sniffed(FORMAT, LIST_ID, _date_part(root.get("generationDate")))


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    path = one_file(paths, "EU FSF XML")
    root = expect_root(path, _ROOT, f'<export xmlns="{NS}">')
    published = _date_part(root.get("generationDate"))
    return ParsedList(FORMAT, (path,), published, _entities(path, list_id))


def _date_part(value: str | None) -> dt.date | None:
    return iso_date(value[:10]) if value else None


def _entities(path: Path, list_id: str) -> Iterator[Entity]:
    for index, elem in records(path, _q("sanctionEntity")):
        logical = (elem.get("logicalId") or "").strip()
        where = record_where("sanctionEntity", index, elem, "logicalId", logical)
        yield _entity(path.name, where, elem, list_id)


def _entity(file: str, where: str, elem: etree._Element, list_id: str) -> Entity:
    def fail(problem: str) -> ParseError:
        return ParseError(file, where, problem)

    logical = (elem.get("logicalId") or "").strip()
    if not logical:
        raise fail("missing logicalId")
    subject = elem.find(_q("subjectType"))
    if subject is None:
        raise fail("missing <subjectType>")
    kind = _KINDS.get((subject.get("code") or "").strip().lower()) or _KINDS.get(
        (subject.get("classificationCode") or "").strip().lower()
    )
    if kind is None:
        raise fail(f"unknown subjectType code {subject.get('code')!r} / {subject.get('classificationCode')!r}")
    person = kind is Kind.PERSON

    details: list[tuple[str, str]] = []
    for key, attr in (("designation_details", "designationDetails"), ("un_id", "unitedNationId")):
        value = words(elem.get(attr))
        if value:
            details.append((key, value))
    names = _names(elem, person, details)
    if not names:
        raise fail("no name: no <nameAlias> has a wholeName or name parts")

    programs: list[str | None] = []
    acts: list[str] = []
    for regulation in elem.iterfind(_q("regulation")):
        programs.append(words(regulation.get("programme")))
        for key, value in (
            ("legal_basis", regulation.get("numberTitle")),
            ("regulation_url", regulation.findtext(_q("publicationUrl"))),
        ):
            if words(value):
                details.append((key, words(value) or ""))
        acts += [d for d in (regulation.get("publicationDate"), regulation.get("entryIntoForceDate")) if d]
    # Names, birth dates … each cite the legal act that added them.
    acts += [d for d in (s.get("publicationDate") for s in elem.iter(_q("regulationSummary"))) if d]
    designated = words(elem.get("designationDate"))
    for date in [designated, *acts]:
        if date and iso_date(date) is None:
            raise fail(f"not a date: {date!r}")
    # Without a designationDate, the earliest legal act is the closest thing to a listing date.
    listed_on = designated or (min(acts) if acts else None)

    nationalities: list[str | None] = []
    for node in elem.iterfind(_q("citizenship")):
        nationalities.append(_country(node))
        details += [("citizenship_note", r) for r in _remarks(node)]
    birth_dates: list[BirthDate] = []
    birth_places: list[str] = []
    for node in elem.iterfind(_q("birthdate")):
        found = _birth_date(node, fail, details)
        if found:
            birth_dates.append(found)
        place = _joined(node.get("place"), node.get("city"), node.get("region"), _country_name(node))
        if place:
            birth_places.append(place)
        details += [("birth_note", r) for r in _remarks(node)]
    identifiers: list[Identifier] = []
    addresses: list[Address] = []
    for node in elem.iterfind(_q("address")):
        address = _address(node, identifiers, details)
        if address:
            addresses.append(address)
    for node in elem.iterfind(_q("identification")):
        _identification(node, identifiers, details)

    remarks = [words(r.text) for r in elem.iterfind(_q("remark"))]
    countries = [a.country for a in addresses] + nationalities
    return Entity(
        id=entity_id(list_id, logical),
        list_id=list_id,
        reference=words(elem.get("euReferenceNumber")) or logical,
        kind=kind,
        names=tuple(names),
        addresses=tuple(uniq(addresses)),
        countries=tuple(uniq(countries)),
        # For an enterprise "citizenship" is the country it belongs to, not a nationality.
        nationalities=tuple(uniq(nationalities)) if person else (),
        birth_dates=tuple(uniq(birth_dates)),
        birth_places=tuple(uniq(birth_places)),
        identifiers=tuple(uniq(identifiers)),
        programs=tuple(uniq(programs)),
        listed_on=listed_on,
        remarks="\n".join(uniq(remarks)) or None,
        details=tuple(uniq(details)),
    )


def _names(elem: etree._Element, person: bool, details: list[tuple[str, str]]) -> list[Name]:
    found: list[tuple[str, bool, bool]] = []  # name, strong, in no particular language
    for node in elem.iterfind(_q("nameAlias")):
        whole = words(node.get("wholeName")) or _joined(
            node.get("firstName"), node.get("middleName"), node.get("lastName"), sep=" "
        )
        if not whole:
            continue
        strong = (node.get("strong") or "true").strip().lower() != "false"
        for remark in _remarks(node):
            if re.search(r"\blow? quality", remark, re.IGNORECASE):
                strong = False
            elif not re.search(r"\b(good|high|god) quality", remark, re.IGNORECASE):
                details.append(("alias_note", f"{whole}: {remark}"))
        found.append((whole, strong, (node.get("nameLanguage") or "").strip().upper() in ("", "EN")))
        gender = {"M": "male", "F": "female"}.get((node.get("gender") or "").strip().upper())
        if gender:
            details.append(("gender", gender))
        for key, value in (("title", node.get("title")), ("position" if person else "function", node.get("function"))):
            if words(value):
                details.append((key, words(value) or ""))
    if not found:
        return []
    # The aliases come in no set order (Putin's Swedish spelling precedes the English one):
    # the primary is the first strong name not tagged as a translation.
    primary = next(
        (n for n, strong, plain in found if strong and plain),
        next((n for n, strong, _ in found if strong), found[0][0]),
    )
    # One name per text (the list repeats a name once per language version); a text given
    # both strong and weak counts as strong.
    types = {primary: NameType.PRIMARY}
    for name, strong, _ in found:
        if name not in types or (strong and types[name] is NameType.WEAK_AKA):
            types[name] = NameType.AKA if strong else NameType.WEAK_AKA
    return [Name(name, kind, script_of(name)) for name, kind in types.items()]


def _birth_date(node: etree._Element, fail: _Fail, details: list[tuple[str, str]]) -> BirthDate | None:
    full = words(node.get("birthdate"))
    # A zero part ("0", "00") means the part is unknown, as an empty one does.
    year, month, day, start, end = (
        None if re.fullmatch(r"0*", value or "") else words(value)
        for value in (node.get(a) for a in ("year", "monthOfYear", "dayOfMonth", "yearRangeFrom", "yearRangeTo"))
    )
    found: BirthDate | None = None
    if full:
        if iso_date(full) is None:
            raise fail(f"birthdate is not a date: {full!r}")
        found = BirthDate(full)
    elif year:
        text = _year(year, fail)
        if month:
            if not month.isdigit() or not 1 <= int(month) <= 12:
                raise fail(f"monthOfYear is not a month: {month!r}")
            text += f"-{int(month):02d}"
            if day:
                if not day.isdigit() or iso_date(f"{text}-{int(day):02d}") is None:
                    raise fail(f"not a date: year {year!r}, monthOfYear {month!r}, dayOfMonth {day!r}")
                text += f"-{int(day):02d}"
        found = BirthDate(text)
    elif start and end:
        found = BirthDate(_year(start, fail), _year(end, fail))
    elif start:
        # A span open at one end: keep the year given and say which end it is.
        found = BirthDate(_year(start, fail))
        details.append(("birth_date_note", f"in or after {start}"))
    elif end:
        found = BirthDate(_year(end, fail))
        details.append(("birth_date_note", f"in or before {end}"))
    if found and (node.get("circa") or "").strip().lower() == "true":
        details.append(("birth_date_approximate", found.date + (f" to {found.until}" if found.until else "")))
    return found


def _address(node: etree._Element, identifiers: list[Identifier], details: list[tuple[str, str]]) -> Address | None:
    for contact in node.iterfind(_q("contactInfo")):
        key = (contact.get("key") or "").strip().upper()
        for value in re.split(r"[,;]", contact.get("value") or ""):
            if words(value):
                identifiers.append(Identifier(_CONTACTS.get(key, IdType.OTHER), words(value) or "", None, key.lower()))
    street, city, region = words(node.get("street")), words(node.get("city")), words(node.get("region"))
    postal, box, place = words(node.get("zipCode")), words(node.get("poBox")), words(node.get("place"))
    if box and "box" not in box.lower():
        box = f"P.O. Box {box}"
    full = _joined(street, box, place, _joined(postal, city, sep=" "), region, _country_name(node))
    remarks = _remarks(node)
    if not full:
        details += [("address_note", r) for r in remarks]
        return None
    if remarks:
        full += "".join(f" ({r})" for r in remarks)
    return Address(full, street, city, postal, region, _country(node))


def _identification(node: etree._Element, identifiers: list[Identifier], details: list[tuple[str, str]]) -> None:
    code = (node.get("identificationTypeCode") or "").strip()
    label = words(node.get("identificationTypeDescription")) or code or "document"
    number, latin = words(node.get("number")), words(node.get("latinNumber"))
    notes = [text for attr, text in _DOCUMENT_FLAGS if (node.get(attr) or "").strip().lower() == "true"]
    for key, attr in (("issued by", "issuedBy"), ("issued on", "issueDate"), ("name on document", "nameOnDocument")):
        if words(node.get(attr)):
            notes.append(f"{key} {words(node.get(attr))}")
    notes += _remarks(node)
    if not (number or latin):
        if notes:
            details.append(("document", f"{label}: {'; '.join(notes)}"))
        return
    doc_type = _ID_CODES.get(code.lower()) or id_type(label)
    country = _country(node)
    for value in uniq([number, latin]):
        identifiers.append(Identifier(doc_type, value, country, label))
    if notes:
        details.append(("document_note", f"{label} {number or latin}: {'; '.join(notes)}"))


def _country(node: etree._Element) -> str | None:
    code = (node.get("countryIso2Code") or "").strip()
    if code and code != "00":
        return to_iso(code)
    description = words(node.get("countryDescription"))
    return to_iso(description) if description and description.upper() != "UNKNOWN" else None


def _country_name(node: etree._Element) -> str | None:
    """The country for free text: "Iraq" rather than the list's "IRAQ"."""
    code = _country(node)
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is not None:
        return str(getattr(country, "common_name", None) or country.name)
    description = words(node.get("countryDescription"))
    return description if description and description.upper() != "UNKNOWN" else None


def _remarks(node: etree._Element) -> list[str]:
    return uniq([words(r.text) for r in node.iterfind(_q("remark"))])


def _joined(*parts: str | None, sep: str = ", ") -> str | None:
    return sep.join(uniq([words(p) for p in parts])) or None


def _year(text: str, fail: _Fail) -> str:
    if not re.fullmatch(r"\d{4}", text):
        raise fail(f"not a year: {text!r}")
    return text


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"
