"""The UN Security Council consolidated list, XML (``CONSOLIDATED_LIST``, sc-sanctions.xsd).

One ``INDIVIDUAL`` or ``ENTITY`` element per listing, keyed by ``DATAID``; the reference
humans quote is ``REFERENCE_NUMBER`` ("QDi.001"). The list writes a lot of structure into
free text: aliases hold ";"-separated variants, "Name (name in its own script)" pairs and
"(original script: …)" notes; dates of birth hide months in notes ("Nov. 1973"). Those
patterns are unpacked here; anything not understood is kept verbatim in ``details``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from lxml import etree

from service.countries import to_iso
from service.errors import ParseError
from service.model import (
    Address,
    BirthDate,
    Entity,
    Identifier,
    Kind,
    Name,
    NameType,
    entity_id,
)
from service.sources.base import ParsedList, Sniffed, one_file
from service.sources.labels import id_type, script_of
from service.sources.text import MONTHS, iso_date, uniq, words
from service.sources.xml_stream import (
    expect_root,
    record_where,
    records,
    root_attributes,
)

FORMAT = "un_xml"
LIST_ID = "un_sc"

_ROOT = "CONSOLIDATED_LIST"

_Fail = Callable[[str], ParseError]  # builds the error for the record being read

# UN_LIST_TYPE → the sanctions regime it names (committee and founding resolutions).
_REGIMES = {
    "Al-Qaida": "ISIL (Da'esh) and Al-Qaida sanctions, resolutions 1267 (1999), 1989 (2011), 2253 (2015)",
    "Taliban": "1988 (2011) sanctions, Taliban",
    "DPRK": "1718 (2006) sanctions, DPRK",
    "Iran": "1737 (2006) sanctions, Iran",
    "Iraq": "1518 (2003) sanctions, Iraq",
    "DRC": "1533 (2004) sanctions, Democratic Republic of the Congo",
    "Libya": "1970 (2011) sanctions, Libya",
    "Somalia": "2713 (2023) sanctions, Al-Shabaab (formerly 751 (1992), Somalia)",
    "CAR": "2127 (2013) sanctions, Central African Republic",
    "Haiti": "2653 (2022) sanctions, Haiti",
    "Yemen": "2140 (2014) sanctions, Yemen",
    "GB": "2048 (2012) sanctions, Guinea-Bissau",
    "Sudan": "1591 (2005) sanctions, Sudan",
    "SouthSudan": "2206 (2015) sanctions, South Sudan",
    "Mali": "2374 (2017) sanctions, Mali",
    "Lebanon": "1636 (2005) sanctions, Lebanon",
}

# Alias QUALITY values: individuals carry Good/Low, entities a.k.a./f.k.a.; an empty
# quality on a non-empty alias is read as a plain a.k.a.
_QUALITY = {
    "good": NameType.AKA,
    "high": NameType.AKA,
    "low": NameType.WEAK_AKA,
    "a.k.a.": NameType.AKA,
    "n.k.a.": NameType.AKA,
    "f.k.a.": NameType.FKA,
    "": NameType.AKA,
}

_MONTH = r"([A-Za-z]{3,9})\.?"
_MONTH_YEAR = re.compile(rf"^{_MONTH}\s+(\d{{4}})$")
_MONTH_RANGE = re.compile(rf"^between\s+{_MONTH}\s+and\s+{_MONTH}\s+(\d{{4}})$", re.IGNORECASE)
_MONTH_ONLY = re.compile(rf"^{_MONTH}$")
_YEAR = re.compile(r"^\d{4}$")
# "a) …, b) …" enumerations inside one alias.
_ENUMERATOR = re.compile(r"(?:^|\s+)[a-h]\)\s+")


def sniff(path: Path, head: bytes) -> Sniffed | None:
    root = root_attributes(head, _ROOT)
    return None if root is None else Sniffed(FORMAT, LIST_ID, _published(root.get("dateGenerated")))


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    path = one_file(paths, "UN consolidated XML")
    published = _published(expect_root(path, _ROOT).get("dateGenerated"))
    return ParsedList(FORMAT, (path,), published, _entities(path, list_id))


def _published(value: str | None) -> dt.date | None:
    return iso_date(value[:10]) if value else None


def _entities(path: Path, list_id: str) -> Iterator[Entity]:
    seen = {"INDIVIDUAL": 0, "ENTITY": 0}
    for _index, elem in records(path, *seen):
        tag = str(elem.tag)
        seen[tag] += 1
        where = record_where(tag, seen[tag], elem, "DATAID", words(elem.findtext("DATAID")))
        yield _entity(path.name, where, elem, list_id)


def _entity(file: str, where: str, elem: etree._Element, list_id: str) -> Entity:
    def fail(problem: str) -> ParseError:
        return ParseError(file, where, problem)

    dataid = words(elem.findtext("DATAID"))
    if not dataid or not dataid.isdigit():
        raise fail(f"missing or non-numeric DATAID {dataid!r}")
    reference = words(elem.findtext("REFERENCE_NUMBER"))
    if not reference:
        raise fail("missing REFERENCE_NUMBER")
    person = elem.tag == "INDIVIDUAL"
    parts = [words(elem.findtext(tag)) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    primary = " ".join(p for p in parts if p) if person else parts[0]
    if not primary:
        raise fail("no name: FIRST_NAME is empty")

    details: list[tuple[str, str]] = []
    names = _names(elem, primary, person, details)
    listed = words(elem.findtext("LISTED_ON"))
    listed_on = _date(listed, fail, "LISTED_ON") if listed else None
    list_type = words(elem.findtext("UN_LIST_TYPE"))
    programs = uniq([list_type, _REGIMES.get(list_type or "")])

    nationalities: list[str] = []
    for value in elem.iterfind("NATIONALITY/VALUE"):
        text = words(value.text)
        if not text:
            continue
        code = to_iso(text)
        if code:
            nationalities.append(code)
        else:
            details.append(("nationality", text))
    if person:
        gender = words(elem.findtext("GENDER"))
        if gender:
            details.append(("gender", gender.lower()))
        details += [("title", t) for t in _values(elem, "TITLE")]
        details += [("position", d) for d in _values(elem, "DESIGNATION")]
    updated = sorted(_date(v, fail, "LAST_DAY_UPDATED") for v in _values(elem, "LAST_DAY_UPDATED"))
    if updated:
        details.append(("last_updated", updated[-1]))

    addresses = [a for a in map(_address, elem.iterfind(f"{elem.tag}_ADDRESS")) if a]
    birth_dates: list[BirthDate] = []
    birth_places: list[str] = []
    for dob in elem.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        birth_dates += _birth_date(dob, fail, details)
    for pob in elem.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        place = _joined(pob, ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY"), "NOTE")
        if place:
            birth_places.append(place)
    for alias in elem.iterfind("INDIVIDUAL_ALIAS"):
        # An alias can carry the birth data recorded under that name.
        alias_dob = words(alias.findtext("DATE_OF_BIRTH"))
        if alias_dob and alias_dob.lower() != "null":
            birth_dates.append(_alias_birth_date(alias_dob, fail))
        place = _joined(alias, ("CITY_OF_BIRTH", "COUNTRY_OF_BIRTH"))
        if place:
            birth_places.append(place)
    identifiers = _documents(elem, details)

    countries = [a.country for a in addresses if a.country] + nationalities
    return Entity(
        id=entity_id(list_id, dataid),
        list_id=list_id,
        reference=reference,
        kind=Kind.PERSON if person else Kind.ORGANIZATION,
        names=tuple(names),
        addresses=tuple(uniq(addresses)),
        countries=tuple(uniq(countries)),
        nationalities=tuple(uniq(nationalities)),
        birth_dates=tuple(uniq(birth_dates)),
        birth_places=tuple(uniq(birth_places)),
        identifiers=tuple(uniq(identifiers)),
        programs=tuple(programs),
        listed_on=listed_on,
        remarks=words(elem.findtext("COMMENTS1")),
        details=tuple(uniq(details)),
    )


def _names(elem: etree._Element, primary: str, person: bool, details: list[tuple[str, str]]) -> list[Name]:
    names = [Name(primary, NameType.PRIMARY, script_of(primary))]
    if not person:
        # Entities sometimes print two names as one: "CAGL ; GREAT LAKES BUSINESS COMPANY".
        parts = _split_top(primary)
        if len(parts) > 1:
            names += [Name(p, NameType.AKA, script_of(p)) for p in parts]
    original = words(elem.findtext("NAME_ORIGINAL_SCRIPT"))
    if original:
        names.append(Name(original, NameType.ORIGINAL_SCRIPT, script_of(original)))
    for alias in elem.iterfind(f"{elem.tag}_ALIAS"):
        text = words(alias.findtext("ALIAS_NAME"))
        if not text:
            continue
        quality = (words(alias.findtext("QUALITY")) or "").lower()
        kind = _QUALITY.get(quality, NameType.AKA)
        names += [Name(p, kind, script_of(p)) for p in alias_parts(text)]
        note = words(alias.findtext("NOTE"))
        if note:
            details.append(("alias_note", f"{text}: {note}"))
    return uniq(names)


def alias_parts(text: str) -> list[str]:
    """The separate names one UN alias string holds.

    "A; B" → A, B. "Latin (non-Latin)" and "X (original script: Y)" → X, Y.
    "X (A; B)" → X, A, B. Anything else in parentheses ("EL PARA (COMBAT NAME)",
    "(LRM)") belongs to the name and stays.
    """
    text = words(text) or ""
    text = text.rstrip(",; ").strip()
    out: list[str] = []
    for chunk in _ENUMERATOR.split(text):
        chunk = chunk.strip(" ;,")
        if not chunk:
            continue
        head, inner = _trailing_group(chunk)
        if inner is not None and _is_variant_group(head, inner):
            inner = re.sub(r"^original script:\s*", "", inner, flags=re.IGNORECASE)
            pieces = [head, *_split_top(inner)]
        else:
            pieces = _split_top(chunk)
        for piece in pieces:
            piece = re.sub(r"\s*\(original script\)$", "", piece, flags=re.IGNORECASE).strip(" ;,")
            if piece:
                out.append(piece)
    return out


def _split_top(text: str) -> list[str]:
    """Split on ";" outside parentheses."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _trailing_group(text: str) -> tuple[str, str | None]:
    """("head", "inner") for "head (inner)", matching nested parentheses from the end."""
    if not text.endswith(")"):
        return text, None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                head = text[:i].strip()
                return (head, text[i + 1 : -1].strip()) if head else (text, None)
    return text, None


def _is_variant_group(head: str, inner: str) -> bool:
    if inner.lower().startswith("original script:") or len(_split_top(inner)) > 1:
        return True
    return script_of(head) != script_of(inner)


def _birth_date(dob: etree._Element, fail: _Fail, details: list[tuple[str, str]]) -> list[BirthDate]:
    kind = (words(dob.findtext("TYPE_OF_DATE")) or "").upper()
    date = words(dob.findtext("DATE"))
    year = words(dob.findtext("YEAR"))
    start, end = words(dob.findtext("FROM_YEAR")), words(dob.findtext("TO_YEAR"))
    note = words(dob.findtext("NOTE"))
    found: BirthDate | None = None
    if date:
        found = BirthDate(_date(date, fail, "DATE"))
    elif year:
        _year(year, fail, "YEAR")
        month = _month(note, _MONTH_ONLY) if note else None
        found = BirthDate(f"{year}-{month:02d}" if month else year)
        note = None if month else note
    elif start or end:
        if not (start and end):
            raise fail(f"date of birth range with only one end: FROM_YEAR {start!r}, TO_YEAR {end!r}")
        found = BirthDate(_year(start, fail, "FROM_YEAR"), _year(end, fail, "TO_YEAR"))
    elif note:
        found = _date_from_note(note)
        note = None if found else note
    if note and note.lower() == "approximately":
        kind, note = "APPROXIMATELY", None
    if found and kind == "APPROXIMATELY":
        span = found.date + (f" to {found.until}" if found.until else "")
        details.append(("birth_date_approximate", span))
    if note:
        details.append(("birth_date_note", note))
    return [found] if found else []


def _alias_birth_date(text: str, fail: _Fail) -> BirthDate:
    """An alias's DATE_OF_BIRTH: a date, a year, or a span of years ("1965 - 1969")."""
    if _YEAR.match(text):
        return BirthDate(text)
    span = re.fullmatch(r"(\d{4})\s*-\s*(\d{4})", text)
    if span:
        return BirthDate(span[1], span[2])
    return BirthDate(_date(text, fail, "alias DATE_OF_BIRTH"))


def _date_from_note(note: str) -> BirthDate | None:
    """A month written out in a note: "Nov. 1973", "Between Aug. and Sep. 1977"."""
    match = _MONTH_YEAR.match(note)
    if match and (month := MONTHS.get(match[1][:3].lower())):
        return BirthDate(f"{match[2]}-{month:02d}")
    match = _MONTH_RANGE.match(note)
    if match:
        first, last = MONTHS.get(match[1][:3].lower()), MONTHS.get(match[2][:3].lower())
        if first and last:
            return BirthDate(f"{match[3]}-{first:02d}", f"{match[3]}-{last:02d}")
    return None


def _month(note: str, pattern: re.Pattern[str]) -> int | None:
    match = pattern.match(note)
    return MONTHS.get(match[1][:3].lower()) if match else None


def _documents(elem: etree._Element, details: list[tuple[str, str]]) -> list[Identifier]:
    found: list[Identifier] = []
    for doc in elem.iterfind("INDIVIDUAL_DOCUMENT"):
        kind = words(doc.findtext("TYPE_OF_DOCUMENT"))
        specific = (words(doc.findtext("TYPE_OF_DOCUMENT2")) or "").rstrip(":").strip()
        if re.fullmatch(r"(number|no\.?)", specific, re.IGNORECASE):
            specific = ""
        label = specific or kind
        number = words(doc.findtext("NUMBER"))
        issued, city, note = (words(doc.findtext(t)) for t in ("DATE_OF_ISSUE", "CITY_OF_ISSUE", "NOTE"))
        extra = [text for text in (issued and f"issued {issued}", city and f"in {city}", note) if text]
        if not number:
            # A document the UN describes only in words ("Libyan passport number 347834 …").
            if label or extra:
                details.append(("document", ": ".join(p for p in [label, "; ".join(extra)] if p)))
            continue
        # TYPE_OF_DOCUMENT is the UN's coarse class; TYPE_OF_DOCUMENT2 the document's own name.
        doc_type = id_type(specific) if specific else id_type(kind or "")
        if doc_type.value == "other" and kind:
            doc_type = id_type(kind)
        country_text = words(doc.findtext("ISSUING_COUNTRY")) or words(doc.findtext("COUNTRY_OF_ISSUE"))
        country = to_iso(country_text)
        # The same passport is sometimes listed once per language ("Numéro de passeport" …).
        if not any((i.type, i.value, i.country) == (doc_type, number, country) for i in found):
            found.append(Identifier(doc_type, number, country, label))
        if extra:
            details.append(("document_note", f"{label or 'document'} {number}: {'; '.join(extra)}"))
    return found


def _address(node: etree._Element) -> Address | None:
    full = _joined(node, ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"), "NOTE")
    if not full:
        return None
    return Address(
        full=full,
        street=words(node.findtext("STREET")),
        city=words(node.findtext("CITY")),
        postal_code=words(node.findtext("ZIP_CODE")),
        region=words(node.findtext("STATE_PROVINCE")),
        country=to_iso(words(node.findtext("COUNTRY"))),
    )


def _joined(node: etree._Element, tags: Sequence[str], note_tag: str | None = None) -> str | None:
    """The parts as one line, repeated parts once, a note in parentheses after them."""
    parts = uniq([w for w in (words(node.findtext(t)) for t in tags) if w])
    note = words(node.findtext(note_tag)) if note_tag else None
    text = ", ".join(parts)
    if note:
        text = f"{text} ({note})" if text else note
    return text or None


def _values(elem: etree._Element, tag: str) -> list[str]:
    return [w for w in (words(v.text) for v in elem.iterfind(f"{tag}/VALUE")) if w]


def _date(text: str, fail: _Fail, what: str) -> str:
    # LISTED_ON sometimes carries a zone offset: "2015-04-07-04:00".
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:Z|[-+]\d{2}:\d{2})?", text)
    if not match or iso_date(match[1]) is None:
        raise fail(f"{what} is not a date: {text!r}")
    return match[1]


def _year(text: str | None, fail: _Fail, what: str) -> str:
    if not text or not _YEAR.match(text):
        raise fail(f"{what} is not a year: {text!r}")
    return text
