"""OFAC's advanced sanctions XML (``sdn_advanced.xsd``, root ``Sanctions``): SDN and consolidated.

The file is normalised: look-up tables (``ReferenceValueSets``) first, then ``Locations`` and
``IDRegDocuments``, then one ``DistinctParty`` per listed party, then ``ProfileRelationships``
(typed links between profiles) and ``SanctionsEntries`` (lists, programs, listing dates).
The namespace differs between vintages (``http://www.un.org/sanctions/1.0``, the Sanctions
List Service's own), so elements are matched by local name.

The full SDN file is ~120 MB, so it is read twice, streaming. Pass 1 keeps only compact,
per-party data: the look-up tables, each location's address, each document's identifier
(keyed by identity), each party's primary name, the relationships and the sanctions entries,
as small tuples of shared strings; every element is cleared once read. Pass 2 streams the parties and builds
each entity whole, and stops at the end of ``DistinctParties``. Pass 1 also checks that every
reference resolves, so a broken file fails before the first entity is yielded.

Names: each ``Alias``/``DocumentedName`` is one name; its parts are typed by the identity's
``NamePartGroups``. A Latin-script name with a "Last Name" part is written as OFAC's legacy
files print it, "LAST, Given …", the given parts (first, middle, patronymic …) in document
order; any other name joins its parts in document order, so original-script names read as
written. A non-Latin name is typed ORIGINAL_SCRIPT whatever its alias type.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypeVar

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
    Link,
    LinkType,
    Name,
    NameType,
    entity_id,
)
from service.sources.base import ParsedList, Sniffed, one_file, read_head
from service.sources.labels import script_of
from service.sources.ofac_common import (
    KINDS,
    Draft,
    Malformed,
    add_labelled,
    check_root,
    identifier,
    list_id_for,
    make_address,
)
from service.sources.text import words
from service.sources.xml_stream import (
    child_text,
    elements,
    in_any_namespace,
    local,
    release,
    root_name,
)

FORMAT = "ofac_advanced"
_T = TypeVar("_T")

# Any of these in the head, with a <Sanctions> root, marks the advanced schema.
_MARKERS = (b"sdn_advanced", b"un.org/sanctions", b"ADVANCED_XML", b"ReferenceValueSets")
_ISSUE_DATE = re.compile(
    rb"<(?:[\w.\-]+:)?DateOfIssue\b[^>]*>\s*<(?:[\w.\-]+:)?Year>(\d{4})</(?:[\w.\-]+:)?Year>\s*"
    rb"<(?:[\w.\-]+:)?Month>(\d{1,2})</(?:[\w.\-]+:)?Month>\s*<(?:[\w.\-]+:)?Day>(\d{1,2})<"
)
_LINK_TYPES = {
    "owned or controlled by": LinkType.OWNED_BY,
    "associate of": LinkType.ASSOCIATE_OF,
    "family member of": LinkType.FAMILY_OF,
    "leader or official of": LinkType.DIRECTOR_OF,
    "principal executive officer": LinkType.DIRECTOR_OF,
    "playing a significant role in": LinkType.DIRECTOR_OF,
}
_ALIAS_TYPES = {
    "a.k.a.": NameType.AKA,
    "n.k.a.": NameType.AKA,
    "f.k.a.": NameType.FKA,
    "name": NameType.AKA,
}
# Name parts that carry the family name in OFAC's "LAST, Given" form.
_SURNAME = "last name"
_WHOLE_NAMES = {"entity name", "vessel name", "aircraft name"}


def sniff(path: Path, head: bytes) -> Sniffed | None:
    if root_name(head) != b"Sanctions" or not any(marker in head for marker in _MARKERS):
        return None
    return Sniffed(FORMAT, list_id_for(path), _issue_date(head))


def _issue_date(data: bytes) -> dt.date | None:
    match = _ISSUE_DATE.search(data)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------
# Look-up tables and compact records kept between the passes
# ---------------------------------------------------------------------------------------


class _Ref(NamedTuple):
    text: str
    attrs: dict[str, str]


class _Refs:
    """The ReferenceValueSets: table name ("AliasType", "Country" …) → ID → value."""

    def __init__(self, element: etree._Element) -> None:
        self._tables: dict[str, dict[str, _Ref]] = defaultdict(dict)
        for values in element:
            for item in values:
                if local(item.tag):
                    ref = _Ref(words(item.text) or "", {str(k): str(v) for k, v in item.attrib.items()})
                    self._tables[local(item.tag)][item.get("ID", "")] = ref

    def get(self, table: str, ref_id: str | None) -> _Ref:
        found = self._tables[table].get(ref_id or "")
        if found is None:
            raise Malformed(f"unknown {table} ID {ref_id!r}")
        return found

    def text(self, table: str, ref_id: str | None) -> str:
        return self.get(table, ref_id).text

    def country(self, ref_id: str | None) -> tuple[str | None, str | None]:
        """The (name, ISO code) of a Country; (None, None) for "undetermined"."""
        ref = self.get("Country", ref_id)
        iso = ref.attrs.get("ISO2") or to_iso(ref.text)
        return (ref.text, iso) if iso else (None, None)


# Pass 1 keeps tens of thousands of these for the full SDN file, so they hold plain tuples of
# shared strings (see _Index.keep); the model objects are built when a party needs them.


class _Place(NamedTuple):
    fields: tuple[str | None, ...] | None  # Address(full, street, city, postal code, region, ISO)
    country: str | None  # ISO
    country_name: str | None

    @property
    def address(self) -> Address | None:
        return Address(*self.fields) if self.fields else None  # type: ignore[arg-type]


class _Doc(NamedTuple):
    fields: tuple[IdType, str, str | None, str | None]  # Identifier(type, value, country, label)
    note: str | None  # dates, issuing authority, comment

    @property
    def identifier(self) -> Identifier:
        return Identifier(*self.fields)


class _Relation(NamedTuple):
    rel_id: str
    to_profile: str
    label: str
    link_type: LinkType


class _Entry(NamedTuple):
    dates: tuple[str, ...]  # ISO
    programs: tuple[str, ...]
    details: tuple[tuple[str, str], ...]


@dataclass
class _Index:
    published: dt.date | None = None
    refs: _Refs | None = None
    places: dict[str, _Place] = field(default_factory=dict)
    documents: dict[str, list[_Doc]] = field(default_factory=lambda: defaultdict(list))
    doc_where: dict[str, str] = field(default_factory=dict)  # IdentityID → one document's ID
    parties: dict[str, tuple[str, str]] = field(default_factory=dict)  # profile → (FixedRef, name)
    identities: set[str] = field(default_factory=set)
    relations: dict[str, list[_Relation]] = field(default_factory=lambda: defaultdict(list))
    entries: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    entry_where: dict[str, str] = field(default_factory=dict)  # ProfileID → one entry's ID
    _kept: dict[object, object] = field(default_factory=dict)

    def keep(self, value: _T) -> _T:
        """One shared object for equal values: cities, programs, list names repeat a lot."""
        return self._kept.setdefault(value, value)  # type: ignore[return-value]

    def tables(self) -> _Refs:
        if self.refs is None:
            raise Malformed("data before <ReferenceValueSets>")
        return self.refs


# ---------------------------------------------------------------------------------------
# Element readers
# ---------------------------------------------------------------------------------------


def _date(element: etree._Element | None, last: bool = False) -> dt.date:
    """A Year/Month/Day element; missing parts fill to the start (or the ``last`` day)."""
    if element is None:
        raise Malformed("missing date")
    try:
        year = int(child_text(element, "Year") or "")
        month = int(child_text(element, "Month") or (12 if last else 1))
        day_text = child_text(element, "Day")
        day = int(day_text) if day_text else (calendar.monthrange(year, month)[1] if last else 1)
        return dt.date(year, month, day)
    except ValueError:
        raise Malformed(f"bad date in <{local(element.tag)}> (line {element.sourceline})") from None


def _first(element: etree._Element, *paths: str) -> etree._Element | None:
    for path in paths:
        found = element.find("{*}" + path)
        if found is not None:
            return found
    return None


def _period(period: etree._Element) -> BirthDate:
    """A DatePeriod as the model's date: a day, month or year when the period spans exactly
    that (OFAC writes a year of birth as 1 Jan … 31 Dec), else a range."""
    # The earliest start and the latest end; either half may be missing from a period.
    low = _date(_first(period, "Start/{*}From", "Start/{*}To", "End/{*}From", "End/{*}To"))
    high = _date(_first(period, "End/{*}To", "End/{*}From", "Start/{*}To", "Start/{*}From"), True)
    if low > high:
        raise Malformed(f"<DatePeriod> ends before it starts (line {period.sourceline})")
    if low == high:
        return BirthDate(low.isoformat())
    if low.day == 1 and high.day == calendar.monthrange(high.year, high.month)[1]:
        if low.month == 1 and high.month == 12:
            return BirthDate(str(low.year), str(high.year) if high.year != low.year else None)
        first, last = low.isoformat()[:7], high.isoformat()[:7]
        return BirthDate(first, last if last != first else None)
    return BirthDate(low.isoformat(), high.isoformat())


def _shown(date: BirthDate) -> str:
    return f"{date.date} to {date.until}" if date.until else date.date


def _place(element: etree._Element, index: _Index) -> _Place:
    refs, keep = index.tables(), index.keep
    parts: dict[str, str] = {}
    for part in element.iterfind("{*}LocationPart"):
        values = part.findall("{*}LocationPartValue")
        chosen = next(
            (v for v in values if v.get("Primary") == "true"), values[0] if values else None
        )
        text = child_text(chosen, "Value") if chosen is not None else None
        if text:
            parts[refs.text("LocPartType", part.get("LocPartTypeID")).upper()] = text
    country_name: str | None = None
    country: str | None = None
    located = element.find("{*}LocationCountry")
    if located is not None:
        country_name, country = refs.country(located.get("CountryID"))
    else:
        area = element.find("{*}LocationAreaCode")
        if area is not None:
            ref = refs.get("AreaCode", area.get("AreaCodeID"))
            if to_iso(ref.text):
                country_name, country = ref.attrs.get("Description") or ref.text, to_iso(ref.text)
    unknown = parts.pop("UNKNOWN", None)
    # Country features point at a location whose only part is the country's name.
    if unknown and (unknown == country_name or (country is None and to_iso(unknown))):
        country_name, country, unknown = unknown, country or to_iso(unknown), None
    state, region = parts.get("STATE/PROVINCE"), parts.get("REGION")
    address = make_address(
        street=[parts.get(f"ADDRESS{i}") for i in (1, 2, 3)],
        city=parts.get("CITY"),
        region=state or region,
        postal_code=parts.get("POSTAL CODE"),
        extra=[region if state else None, unknown],
        country_name=country_name,
        country=country,
    )
    if address is None:
        return _Place(None, country, country_name)
    fields = (address.full, address.street, address.city, address.postal_code, address.region)
    return keep(_Place(tuple(keep(f) for f in (*fields, country)), country, keep(country_name)))


def _document(element: etree._Element, index: _Index) -> _Doc | None:
    refs, keep = index.tables(), index.keep
    number = child_text(element, "IDRegistrationNo")
    if number is None:
        return None  # a document OFAC lists without a number has nothing to screen
    label = refs.text("IDRegDocType", element.get("IDRegDocTypeID"))
    country = None
    if element.get("IssuedBy-CountryID"):
        country = refs.country(element.get("IssuedBy-CountryID"))[1]
    notes = []
    for doc_date in element.iterfind("{*}DocumentDate"):
        kind = refs.text("IDRegDocDateType", doc_date.get("IDRegDocDateTypeID")).lower()
        period = doc_date.find("{*}DatePeriod")
        if period is not None:
            notes.append(f"{kind} {_shown(_period(period))}")
    for name in ("IssuingAuthority", "Comment"):
        if text := child_text(element, name):
            notes.append(text)
    note = f"{label} {number}: {'; '.join(notes)}" if notes else None
    found = identifier(label, number, country)
    return _Doc((found.type, found.value, keep(country), keep(label)), note)


def _entry(element: etree._Element, index: _Index) -> _Entry:
    refs, keep = index.tables(), index.keep
    list_name = refs.text("List", element.get("ListID"))
    details: list[tuple[str, str]] = [("list", list_name)]
    dates = []
    for event in element.iterfind("{*}EntryEvent"):
        dates.append(keep(_date(event.find("{*}Date")).isoformat()))
        if event.get("LegalBasisID"):
            basis = refs.text("LegalBasis", event.get("LegalBasisID"))
            if basis != "Unknown":
                details.append(("legal_basis", basis))
    programs = []
    for measure in element.iterfind("{*}SanctionsMeasure"):
        kind = refs.text("SanctionsType", measure.get("SanctionsTypeID"))
        if kind == "Program":
            if program := child_text(measure, "Comment"):
                programs.append(keep(program))
        else:
            details.append(("sanctions_measure", kind))
    # Whole entries repeat too: same list, date, program and measures for a batch of parties.
    return keep(_Entry(tuple(dates), tuple(programs), tuple(keep(pair) for pair in details)))


def _relation(element: etree._Element, refs: _Refs) -> _Relation:
    label = refs.text("RelationType", element.get("RelationTypeID"))
    link_type = _LINK_TYPES.get(label.lower(), LinkType.LINKED_TO)
    if element.get("Former") == "true":
        label += " (former)"
    to_profile = element.get("To-ProfileID")
    if not to_profile:
        raise Malformed("no To-ProfileID")
    return _Relation(element.get("ID", "?"), to_profile, label, link_type)


def _kind(profile: etree._Element, refs: _Refs) -> Kind:
    sub_type = refs.get("PartySubType", profile.get("PartySubTypeID"))
    name = sub_type.text
    if name.lower() == "unknown":
        name = refs.text("PartyType", sub_type.attrs.get("PartyTypeID"))
    # "Other Entity" is OFAC's party type for groups that are not legal persons.
    kind = KINDS.get(name.lower()) or (
        Kind.ORGANIZATION if name.lower() == "other entity" else None
    )
    if kind is None:
        raise Malformed(f"unsupported party type {name!r}")
    return kind


def _compose(parts: list[tuple[str, str]], latin: bool) -> str:
    surname = [text for part_type, text in parts if part_type == _SURNAME]
    given = [
        text for part_type, text in parts if part_type != _SURNAME and part_type not in _WHOLE_NAMES
    ]
    if latin and surname and len(surname) + len(given) == len(parts):
        return " ".join(surname) + (", " + " ".join(given) if given else "")
    return " ".join(text for _, text in parts)


def _names(identity: etree._Element, refs: _Refs) -> list[tuple[str, NameType, str | None]]:
    """(full, type, script) of every name of an identity, in document order."""
    groups = {
        group.get("ID", ""): refs.text("NamePartType", group.get("NamePartTypeID")).lower()
        for group in identity.iterfind("{*}NamePartGroups/{*}MasterNamePartGroup/{*}NamePartGroup")
    }
    names = []
    for alias in identity.iterfind("{*}Alias"):
        alias_type = refs.text("AliasType", alias.get("AliasTypeID")).lower()
        if alias.get("Primary") == "true":
            name_type = NameType.PRIMARY
        elif alias.get("LowQuality") == "true":
            # Weakness is what screening has to know, even of an f.k.a.
            name_type = NameType.WEAK_AKA
        elif alias_type in _ALIAS_TYPES:
            name_type = _ALIAS_TYPES[alias_type]
        else:
            raise Malformed(f"unknown alias type {alias_type!r}")
        for documented in alias.iterfind("{*}DocumentedName"):
            parts: list[tuple[str, str]] = []
            scripts: set[str] = set()
            for value in documented.iterfind("{*}DocumentedNamePart/{*}NamePartValue"):
                group = value.get("NamePartGroupID", "")
                if group not in groups:
                    raise Malformed(f"name part group {group!r} is not in <NamePartGroups>")
                if value.get("ScriptID"):
                    scripts.add(refs.text("Script", value.get("ScriptID")))
                if text := words(value.text):
                    parts.append((groups[group], text))
            latin = scripts <= {"Latin"}
            full = _compose(parts, latin and script_of(" ".join(t for _, t in parts)) is None)
            script = script_of(full)
            if full:
                names.append(
                    (full, NameType.ORIGINAL_SCRIPT if script or not latin else name_type, script)
                )
    return names


# ---------------------------------------------------------------------------------------
# Pass 1: the compact index
# ---------------------------------------------------------------------------------------

_PASS1 = (
    "DateOfIssue",
    "ReferenceValueSets",
    "Location",
    "IDRegDocument",
    "DistinctParty",
    "ProfileRelationship",
    "SanctionsEntry",
)


def _where(name: str, element: etree._Element) -> str:
    key = "FixedRef" if element.get("FixedRef") else "ID"
    return f"<{name}> {key} {element.get(key) or '?'} (line {element.sourceline})"


def _index_one(index: _Index, name: str, element: etree._Element) -> None:
    if name == "DateOfIssue":
        index.published = _date(element)
    elif name == "ReferenceValueSets":
        index.refs = _Refs(element)
    elif name == "Location":
        index.places[element.get("ID", "")] = _place(element, index)
    elif name == "IDRegDocument":
        doc = _document(element, index)
        if doc is not None:
            identity = element.get("IdentityID", "")
            index.documents[identity].append(doc)
            index.doc_where.setdefault(identity, element.get("ID", "?"))
    elif name == "DistinctParty":
        profile = _one_profile(element)
        identities = profile.findall("{*}Identity")
        index.identities.update(i.get("ID", "") for i in identities)
        names = [n for identity in identities for n in _names(identity, index.tables())]
        primary = next((full for full, kind, _ in names if kind is NameType.PRIMARY), None)
        if primary is None:
            primary = names[0][0] if names else None
        if primary is None:
            raise Malformed("no name")
        if profile.get("ID", "") in index.parties:
            raise Malformed(f"profile {profile.get('ID')} is listed twice")
        index.parties[profile.get("ID", "")] = (element.get("FixedRef", ""), primary)
    elif name == "ProfileRelationship":
        index.relations[element.get("From-ProfileID", "")].append(
            _relation(element, index.tables())
        )
    elif name == "SanctionsEntry":
        profile_id = element.get("ProfileID", "")
        index.entries[profile_id].append(_entry(element, index))
        index.entry_where.setdefault(profile_id, element.get("ID", "?"))


def _one_profile(party: etree._Element) -> etree._Element:
    if not party.get("FixedRef"):
        raise Malformed("no FixedRef")
    profiles = party.findall("{*}Profile")
    if len(profiles) != 1 or not profiles[0].get("ID"):
        raise Malformed(f"expected one <Profile> with an ID, found {len(profiles)}")
    return profiles[0]


def _index(path: Path) -> _Index:
    index = _Index()
    root_checked = False
    for element in elements(path, in_any_namespace(*_PASS1)):
        name = local(element.tag)
        if not root_checked:
            root = local(element.getroottree().getroot().tag)
            if root != "Sanctions":
                raise ParseError(
                    path.name,
                    f"<{root}>",
                    "not an advanced sanctions XML: the root is not <Sanctions>",
                )
            root_checked = True
        try:
            _index_one(index, name, element)
        except Malformed as exc:
            raise ParseError(path.name, _where(name, element), str(exc)) from None
        release(element)
    if not index.parties:
        raise ParseError(path.name, "<DistinctParties>", "no <DistinctParty> records")
    # Every reference must land on a party, or its data would be silently lost.
    for identity, doc_id in index.doc_where.items():
        if identity not in index.identities:
            where = f"<IDRegDocument> ID {doc_id}"
            raise ParseError(path.name, where, f"refers to identity {identity}, which no party has")
    for profile, entry_id in index.entry_where.items():
        if profile not in index.parties:
            where = f"<SanctionsEntry> ID {entry_id}"
            raise ParseError(path.name, where, f"refers to profile {profile}, which no party has")
    for profile, relations in index.relations.items():
        if profile not in index.parties:
            where = f"<ProfileRelationship> ID {relations[0].rel_id}"
            raise ParseError(path.name, where, f"From-ProfileID {profile} is no party in the file")
    return index


# ---------------------------------------------------------------------------------------
# Pass 2: the entities
# ---------------------------------------------------------------------------------------


def _feature(draft: Draft, feature: etree._Element, index: _Index) -> None:
    refs = index.tables()
    label = refs.text("FeatureType", feature.get("FeatureTypeID"))
    lowered = label.lower()
    for version in feature.iterfind("{*}FeatureVersion"):
        period = version.find("{*}DatePeriod")
        detail = version.find("{*}VersionDetail")
        text = None
        if detail is not None:
            reference = detail.get("DetailReferenceID")
            text = (
                refs.text("DetailReference", reference)
                if reference
                else child_text(version, "VersionDetail")
            )
        places = []
        for located in version.iterfind("{*}VersionLocation"):
            place = index.places.get(located.get("LocationID", ""))
            if place is None:
                location = located.get("LocationID")
                raise Malformed(
                    f"feature {feature.get('ID')} refers to unknown location {location}"
                )
            places.append(place)
        if lowered == "birthdate":
            if period is None:
                raise Malformed(f"birthdate feature {feature.get('ID')} has no <DatePeriod>")
            draft.add("birth_dates", _period(period))
        elif lowered == "place of birth":
            draft.add(
                "birth_places", text or next((p.address.full for p in places if p.address), None)
            )
        elif lowered == "location":
            for place in places:
                draft.add("addresses", place.address)
                draft.add("countries", place.country)
        else:
            if period is not None:
                add_labelled(draft, label, _shown(_period(period)))
            if text:
                add_labelled(draft, label, text)
            for place in places:
                if place.address is not None:
                    add_labelled(
                        draft, label, place.country_name or place.address.full, place.country
                    )


def _party(element: etree._Element, index: _Index, list_id: str) -> Entity:
    refs = index.tables()
    profile = _one_profile(element)
    profile_id = profile.get("ID", "")
    kind = _kind(profile, refs)
    draft = Draft()
    identities = profile.findall("{*}Identity")
    for identity in identities:
        for full, name_type, script in _names(identity, refs):
            draft.add("names", Name(full, name_type, script))
    for identity in identities:
        for doc in index.documents.get(identity.get("ID", ""), ()):
            draft.add("identifiers", doc.identifier)
            if doc.note:
                draft.add("details", ("document_note", doc.note))
    for feature in profile.iterfind("{*}Feature"):
        _feature(draft, feature, index)
    listed: str | None = None
    for entry in index.entries.get(profile_id, ()):
        for program in entry.programs:
            draft.add("programs", program)
        for pair in entry.details:
            draft.add("details", pair)
        if entry.dates:
            listed = min(entry.dates) if listed is None else min(listed, *entry.dates)
    for relation in index.relations.get(profile_id, ()):
        target = index.parties.get(relation.to_profile)
        draft.add(
            "links",
            Link(
                relation.link_type,
                entity_id(list_id, target[0]) if target else None,
                target[1] if target else None,
                None,
                relation.label,
                f"ProfileRelationship {relation.rel_id}",
            ),
        )
    return draft.entity(
        list_id=list_id,
        source_id=element.get("FixedRef", ""),
        kind=kind,
        listed_on=listed,
        remarks=child_text(element, "Comment"),
    )


def _entities(path: Path, list_id: str, parsed: ParsedList) -> Iterator[Entity]:
    check_root(path, "Sanctions", "an advanced sanctions XML file")
    index = _index(path)
    parsed.published = parsed.published or index.published
    number = 0
    # Locations and documents were taken in pass 1; here they are only released.
    tags = in_any_namespace("Location", "IDRegDocument", "DistinctParty", "DistinctParties")
    for element in elements(path, tags):
        name = local(element.tag)
        if name == "DistinctParties":
            break  # relationships and sanctions entries were taken in pass 1
        if name == "DistinctParty":
            number += 1
            try:
                entity = _party(element, index, list_id)
            except Malformed as exc:
                ref, line = element.get("FixedRef"), element.sourceline
                where = f"<DistinctParty> #{number}, FixedRef {ref} (line {line})"
                raise ParseError(path.name, where, str(exc)) from None
            release(element)
            yield entity
        else:
            release(element)


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    path = one_file(paths, "advanced sanctions XML")
    parsed = ParsedList(FORMAT, (path,), _issue_date(read_head(path)), iter(()))
    parsed.entities = _entities(path, list_id, parsed)
    return parsed


__all__ = ["FORMAT", "read", "sniff"]
