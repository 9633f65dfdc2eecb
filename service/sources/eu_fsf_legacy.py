"""The EU Financial Sanctions Files, legacy XML 1.0 (``<WHOLE Date="dd/mm/yyyy">``).

One ``ENTITY`` per listing (``Id``, ``Type`` P/E, ``programme``, ``reg_date``, ``remark``)
with ``NAME``, ``ADDRESS``, ``BIRTH``, ``PASSPORT`` and ``CITIZEN`` children, each of which
carries the legal act that added it. The entity ``Id`` is the same number the XML 1.1
export calls ``logicalId``, so both EU formats give a listing the same entity id.

Quirks handled here:

* ``WHOLE/@Date`` is day first: the 2016-02-11 subset says "11/02/2016", and no date
  in it is later than 2016-01-07.
* The list has no "primary name": every ``NAME`` has equal standing (translations, spellings).
  The first is taken as primary, the rest as a.k.a.s.
* ``PASSPORT/NUMBER`` packs the document type and notes into one string:
  "AD001095 (passport-National passport) [known to be expired](issued in …)".
* ``ADDRESS/OTHER`` holds contact numbers ("PHONE[…] FAX[…]") and notes.
* Countries are ISO alpha-3 codes ("IRQ"); free text shows them as country names.
* Notes are written as XML comments ("<!-- Comment: between 1953 and 1958 -->").
"""

from __future__ import annotations

import datetime as dt
import html
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
from service.sources.text import day_first, iso_date, uniq, uniq_by, words
from service.sources.xml_stream import (
    expect_root,
    record_where,
    records,
    root_attributes,
)

FORMAT = "eu_fsf_legacy"
LIST_ID = "eu_fsf"

_ROOT = "WHOLE"
_KINDS = {"P": Kind.PERSON, "E": Kind.ORGANIZATION}

_Fail = Callable[[str], ParseError]  # builds the error for the record being read

# The document type code inside PASSPORT/NUMBER; the same codes as identificationTypeCode
# in XML 1.1.
_DOCUMENT_CODES = {
    "passport": IdType.PASSPORT,
    "id": IdType.NATIONAL_ID,
    "ssn": IdType.NATIONAL_ID,
    "nrn": IdType.NATIONAL_ID,
    "regnumber": IdType.REGISTRATION_NUMBER,
    "fiscalcode": IdType.TAX_NUMBER,
    "taxid": IdType.TAX_NUMBER,
    "swiftbic": IdType.SWIFT_BIC,
    "imo": IdType.IMO,
}
_DOCUMENT = re.compile(r"^(?P<number>.*?)\s*\((?P<code>[A-Za-z]+)-(?P<label>[^()]*)\)\s*(?P<rest>.*)$", re.DOTALL)
_CONTACT = re.compile(r"\b(PHONE|FAX|EMAIL|WEB)\[([^\]]*)\]")
_CONTACT_TYPES = {"PHONE": IdType.PHONE, "FAX": IdType.PHONE, "EMAIL": IdType.EMAIL, "WEB": IdType.WEBSITE}
# BIRTH/DATE: "1937-04-28", "1965", "1953 - 1958", each maybe followed by "(approximative)".
_BIRTH = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:\s*-\s*(\d{4}))?\s*(\(approximative\))?$")


def sniff(path: Path, head: bytes) -> Sniffed | None:
    root = root_attributes(head, _ROOT)
    return None if root is None else Sniffed(FORMAT, LIST_ID, _day_first(root.get("Date")))


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    path = one_file(paths, "EU FSF legacy XML")
    printed = expect_root(path, _ROOT).get("Date")
    published = _day_first(printed)
    if printed and published is None:
        raise ParseError(path.name, "<WHOLE>", f"Date is not a dd/mm/yyyy date: {printed!r}")
    return ParsedList(FORMAT, (path,), published, _entities(path, list_id))


def _day_first(text: str | None) -> dt.date | None:
    return day_first((text or "").strip())


def _entities(path: Path, list_id: str) -> Iterator[Entity]:
    for index, elem in records(path, "ENTITY"):
        where = record_where("ENTITY", index, elem, "Id", (elem.get("Id") or "").strip())
        yield _entity(path.name, where, elem, list_id)


def _entity(file: str, where: str, elem: etree._Element, list_id: str) -> Entity:
    def fail(problem: str) -> ParseError:
        return ParseError(file, where, problem)

    source_id = (elem.get("Id") or "").strip()
    if not source_id.isdigit():
        raise fail(f"missing or non-numeric Id {source_id!r}")
    kind = _KINDS.get((elem.get("Type") or "").strip().upper())
    if kind is None:
        raise fail(f"unknown Type {elem.get('Type')!r}, expected P or E")
    person = kind is Kind.PERSON

    details: list[tuple[str, str]] = []
    for key, attr in (("legal_basis", "legal_basis"), ("regulation_url", "pdf_link")):
        value = words(elem.get(attr))
        if value:
            details.append((key, value))
    names: list[Name] = []
    for node in elem.iterfind("NAME"):
        name = words(node.findtext("WHOLENAME")) or " ".join(
            w for w in (words(node.findtext(t)) for t in ("FIRSTNAME", "MIDDLENAME", "LASTNAME")) if w
        )
        if not name:
            continue
        names.append(Name(name, NameType.AKA if names else NameType.PRIMARY, script_of(name)))
        gender = {"M": "male", "F": "female"}.get((node.findtext("GENDER") or "").strip().upper())
        if gender:
            details.append(("gender", gender))
        for key, tag in (("title", "TITLE"), ("position" if person else "function", "FUNCTION")):
            value = words(node.findtext(tag))
            if value:
                details.append((key, value))
        details += [("name_note", f"{name}: {c}") for c in _comments(node)]
    if not names:
        raise fail("no name: every NAME is empty")

    addresses: list[Address] = []
    identifiers: list[Identifier] = []
    for node in elem.iterfind("ADDRESS"):
        address = _address(node, identifiers, details)
        if address:
            addresses.append(address)
    birth_dates: list[BirthDate] = []
    birth_places: list[str] = []
    for node in elem.iterfind("BIRTH"):
        text = words(node.findtext("DATE"))
        if text:
            birth_dates.append(_birth_date(text, fail, details))
        place = ", ".join(p for p in (words(node.findtext("PLACE")), _country_name(node.findtext("COUNTRY"))) if p)
        if place:
            birth_places.append(place)
        details += [("birth_note", c) for c in _comments(node)]
    for node in elem.iterfind("PASSPORT"):
        _document(node, identifiers, details)
    citizenships = [to_iso(words(node.findtext("COUNTRY"))) for node in elem.iterfind("CITIZEN")]

    parts = list(elem.iterchildren(tag=etree.Element))
    dates = [d for d in (elem.get("reg_date"), *(c.get("reg_date") for c in parts)) if d and d.strip()]
    for date in dates:
        if iso_date(date.strip()) is None:
            raise fail(f"reg_date is not a date: {date!r}")
    programmes = [elem.get("programme"), *(c.get("programme") for c in parts)]
    countries = [a.country for a in addresses] + citizenships
    return Entity(
        id=entity_id(list_id, source_id),
        list_id=list_id,
        reference=source_id,
        kind=kind,
        # One name per text: the list repeats a name once per legal act that names it.
        names=tuple(uniq_by(names, lambda name: name.full)),
        addresses=tuple(uniq(addresses)),
        countries=tuple(uniq(countries)),
        nationalities=tuple(uniq(citizenships)) if person else (),
        birth_dates=tuple(uniq(birth_dates)),
        birth_places=tuple(uniq(birth_places)),
        identifiers=tuple(uniq(identifiers)),
        programs=tuple(uniq([words(p) for p in programmes])),
        # The entity's own reg_date is that of its latest legal act; the earliest date on
        # it or any of its parts is the closest the file comes to the listing date.
        listed_on=min(d.strip() for d in dates) if dates else None,
        remarks=words(elem.get("remark")),
        # Each pair once, ignoring case: the names of one listing repeat "President", "president".
        details=tuple(uniq_by(details, lambda pair: (pair[0], pair[1].casefold()))),
    )


def _address(node: etree._Element, identifiers: list[Identifier], details: list[tuple[str, str]]) -> Address | None:
    other = node.findtext("OTHER") or ""
    for key, values in _CONTACT.findall(other):
        for value in (words(v) for v in values.split(",")):
            if value:
                identifiers.append(Identifier(_CONTACT_TYPES[key], value, None, key.lower()))
    note = words(_CONTACT.sub(" ", other))
    street = " ".join(w for w in (words(node.findtext("NUMBER")), words(node.findtext("STREET"))) if w) or None
    city, postal = words(node.findtext("CITY")), words(node.findtext("ZIPCODE"))
    code = words(node.findtext("COUNTRY"))
    parts = [p for p in (street, " ".join(w for w in (postal, city) if w), _country_name(code)) if p]
    if not parts:
        if note:
            details.append(("address_note", note))
        return None
    full = ", ".join(parts) + (f" {note}" if note else "")
    return Address(full, street, city, postal, None, to_iso(code))


def _document(node: etree._Element, identifiers: list[Identifier], details: list[tuple[str, str]]) -> None:
    text = words(node.findtext("NUMBER"))
    if not text:
        return
    match = _DOCUMENT.match(text)
    if match and match["number"]:
        number, code, label, rest = match["number"], match["code"].lower(), match["label"].strip(), match["rest"]
        doc_type = _DOCUMENT_CODES.get(code) or id_type(label)
    else:
        number, label, rest, doc_type = text, "passport", "", IdType.PASSPORT
    identifiers.append(Identifier(doc_type, number, to_iso(words(node.findtext("COUNTRY"))), label or code))
    note = _unwrapped(rest)
    # "((passport))" after a "(passport-National passport)" says nothing new.
    if note and note.lower() not in label.lower():
        details.append(("document_note", f"{label or 'document'} {number}: {note}"))


def _unwrapped(text: str) -> str:
    """The text without parentheses around all of it: "((passport))" → "passport"."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _birth_date(text: str, fail: _Fail, details: list[tuple[str, str]]) -> BirthDate:
    match = _BIRTH.match(text)
    if not match or (len(match[1]) == 10 and iso_date(match[1]) is None):
        raise fail(f"BIRTH/DATE is not a date: {text!r}")
    found = BirthDate(match[1], match[2])
    if match[3]:
        details.append(("birth_date_approximate", found.date + (f" to {found.until}" if found.until else "")))
    return found


def _comments(node: etree._Element) -> list[str]:
    """The notes written as XML comments inside ``node``, each once."""
    out: list[str] = []
    for comment in node.iterchildren(tag=etree.Comment):
        # Comment text is not entity-decoded, and the generator escaped it anyway ("&apos;").
        text = re.sub(r"^\s*Comment:\s*", "", html.unescape(comment.text or ""))
        # A comment often repeats its note on a second line.
        out += [w for w in (words(line) for line in text.splitlines()) if w]
    return uniq(out)


def _country_name(code: str | None) -> str | None:
    """The country's name for free text ("Iraq" for "IRQ"): the file prints ISO alpha-3 codes."""
    code = (code or "").strip()
    if not code:
        return None
    country = pycountry.countries.get(alpha_3=code.upper())
    if country is not None:
        return str(getattr(country, "common_name", None) or country.name)
    # Withdrawn codes too: births in "YUG" predate today's states. pycountry names it
    # "Yugoslavia, (Socialist) Federal Republic of"; the short name reads better.
    withdrawn = pycountry.historic_countries.get(alpha_3=code.upper())
    return str(withdrawn.name).split(",")[0] if withdrawn is not None else code
