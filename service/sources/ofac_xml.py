"""OFAC's ``SDN.XML`` schema (root ``sdnList``): the SDN list and the consolidated list.

One ``sdnEntry`` per listed party, with its akas, IDs, addresses, dates and places of birth
and vessel data. The namespace changed between vintages (``http://tempuri.org/sdnList.xsd``,
``https://sanctionslistservice.ofac.treas.gov/...``), so elements are matched by local name.

The file is read twice, both times streaming: a first pass counts the entries, checks the
root and ``Record_Count`` and indexes every primary name and strong a.k.a. by uid, so that
"Linked To: <name>" remarks and vessel owners resolve to entity ids; the second pass builds
the entities. A broken file therefore fails before the first entity is yielded.

This module also holds the OFAC vocabulary that :mod:`service.sources.ofac_advanced` shares:
where a labelled OFAC value ("Tax ID No.", "Gender", "Secondary sanctions risk:") goes in
the model, how a name and an address line are put together, and the entity draft.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from service.sources.base import ParsedList, Sniffed, read_head
from service.sources.labels import id_type, script_of

FORMAT = "ofac_xml"

# ---------------------------------------------------------------------------------------
# Shared OFAC vocabulary (also used by ofac_advanced)
# ---------------------------------------------------------------------------------------

KINDS = {
    "individual": Kind.PERSON,
    "entity": Kind.ORGANIZATION,
    "vessel": Kind.VESSEL,
    "aircraft": Kind.AIRCRAFT,
}

# OFAC files its sanctions annotations (directives, secondary-sanctions risk, CMIC dates)
# and descriptive facts in the same "ID" list as real identifiers; these labels are facts
# for the analyst, not numbers to screen against.
_DETAIL_LABELS = re.compile(
    r"directive|listing date|effective date|divestment date|information|determination"
    r"|sanctions risk|target type|organization type|organization established|gender|^title$"
    r"|issuer name|equity ticker|transactions prohibited|vessel (type|tonnage|gross|owner|year)"
    r"|former vessel flag|other vessel (flag|type)|aircraft (model|operator|manufacture date)"
    r"|micex|un/locode"
)
# Labels whose value is a country the party is tied to (registration, flag).
_COUNTRY_LABELS = {"nationality of registration", "registration country", "vessel flag"}
# Sanctions annotations the legacy CSV prints as whole remarks segments ("Listing Date (EO
# 14024 Directive 2): 24 Feb 2022"): the key names the kind, the value keeps OFAC's label,
# which says which order or directive, and the text, so both formats give the same detail.
_ANNOTATIONS = (
    (re.compile(r"^executive order \d+ .*(directive|information)"), "directive"),
    (re.compile(r"^listing date \("), "listing_date"),
    (re.compile(r"^effective date \("), "effective_date"),
    (re.compile(r"divestment date \("), "divestment_date"),
)
_IMO_VALUE = re.compile(r"IMO\s*(\d{7})")
# Detail keys that differ from the label in snake case, as the other OFAC parsers name them.
_DETAIL_KEYS = {
    "vessel tonnage": "tonnage",
    "vessel gross registered tonnage": "gross_registered_tonnage",
    "caatsa section 235 information": "caatsa_section_235",
    "transactions prohibited for persons owned or controlled by u.s. financial institutions": (
        "transactions_prohibited"
    ),
}


class Malformed(Exception):
    """A record-level problem; the caller turns it into a ParseError naming the record."""


@dataclass
class Draft:
    """An entity being assembled. Every field keeps list order and drops repeats."""

    names: list[Name] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)

    def add(self, field_name: str, value: Any) -> None:
        if value is None or value == "":
            return
        items = getattr(self, field_name)
        if value not in items:
            items.append(value)

    def add_name(self, full: str, kind: NameType) -> None:
        full = " ".join(full.split())
        if not full:
            return
        script = script_of(full)
        self.add("names", Name(full, NameType.ORIGINAL_SCRIPT if script else kind, script))

    def entity(
        self,
        *,
        list_id: str,
        source_id: str,
        kind: Kind,
        listed_on: str | None = None,
        remarks: str | None = None,
    ) -> Entity:
        if not self.names:
            raise Malformed("no name")
        return Entity(
            id=entity_id(list_id, source_id),
            list_id=list_id,
            reference=source_id,
            kind=kind,
            names=tuple(self.names),
            addresses=tuple(self.addresses),
            countries=tuple(self.countries),
            nationalities=tuple(self.nationalities),
            birth_dates=tuple(self.birth_dates),
            birth_places=tuple(self.birth_places),
            identifiers=tuple(self.identifiers),
            programs=tuple(self.programs),
            listed_on=listed_on,
            remarks=remarks or None,
            links=tuple(self.links),
            details=tuple(self.details),
        )


def list_id_for(path: Path) -> str:
    """OFAC names its consolidated files CONSOLIDATED.XML, CONS_ADVANCED.XML …; all else is SDN."""
    return "us_ofac_cons" if "cons" in path.name.lower() else "us_ofac_sdn"


def clean_label(label: str) -> str:
    """The label without OFAC's trailing ":" or " -" ("Secondary sanctions risk:")."""
    return label.strip().rstrip(":-").strip()


def detail_key(label: str) -> str:
    """The details key for an OFAC label, in snake case ("Target Type" → "target_type")."""
    lowered = clean_label(label).lower()
    return _DETAIL_KEYS.get(lowered) or re.sub(r"[^a-z0-9]+", "_", lowered).strip("_")


def add_labelled(draft: Draft, label: str, value: str, country: str | None = None) -> None:
    """Put one labelled OFAC value where it belongs: identifier, country or detail.

    ``country`` is the ISO code tied to the value: the issuing country of an identifier, or
    the country a country-valued label names, when the source states it separately.
    """
    key = clean_label(label)
    value = " ".join(value.split())
    if not value:
        return
    lowered = key.lower()
    if lowered in _COUNTRY_LABELS or lowered in ("nationality country", "citizenship country"):
        iso = country or to_iso(value)
        draft.add("nationalities" if lowered == "nationality country" else "countries", iso)
        if iso is None or lowered == "vessel flag":
            draft.add("details", (detail_key(key), value))
    elif _DETAIL_LABELS.search(lowered):
        for pattern, kind in _ANNOTATIONS:
            if pattern.search(lowered):
                draft.add("details", (kind, f"{label.strip()} {value}"))
                break
        else:
            draft.add("details", (detail_key(key), value))
    else:
        draft.add("identifiers", identifier(key, value, country))


def identifier(label: str, value: str, country: str | None) -> Identifier:
    """An identifier under OFAC's label. OFAC files IMO numbers under several labels
    ("Vessel Registration Identification", "Identification Number") as "IMO 9339301"."""
    if imo := _IMO_VALUE.fullmatch(value):
        return Identifier(IdType.IMO, imo.group(1), country, label)
    return Identifier(id_type(label), value, country, label)


def person_name(last: str, given: str | None) -> str:
    """The name as OFAC prints it in its legacy files: "LAST, Given" when there is a given name."""
    return f"{last}, {given}" if given else last


def make_address(
    *,
    street: Sequence[str | None],
    city: str | None,
    region: str | None,
    postal_code: str | None,
    country_name: str | None,
    country: str | None,
    extra: Sequence[str | None] = (),
) -> Address | None:
    """An address with its one-line form in OFAC's order; None when it holds nothing."""
    street_text = ", ".join(s for s in street if s) or None
    full = ", ".join(p for p in (street_text, city, region, postal_code, *extra, country_name) if p)
    if not full:
        return None
    return Address(full, street_text, city or None, postal_code or None, region or None, country)


def root_name(head: bytes) -> bytes | None:
    """The local name of the first element in ``head``, after the prolog; None if none."""
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        pos = head.find(b"<", pos)
        if pos < 0:
            return None
        if head.startswith(b"<?", pos):
            pos = head.find(b"?>", pos)
        elif head.startswith(b"<!--", pos):
            pos = head.find(b"-->", pos)
        elif head.startswith(b"<!", pos):
            pos = head.find(b">", pos)
        else:
            match = re.match(rb"<(?:[\w.\-]+:)?([A-Za-z_][\w.\-]*)", head[pos:])
            return match.group(1) if match else None
        if pos < 0:
            return None


def local(tag: object) -> str:
    """An element's tag without its namespace; "" for comments and processing instructions."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def iter_elements(path: Path, tags: Sequence[str]) -> Iterator[etree._Element]:
    """Stream the elements named ``tags`` (local names, any namespace) at their end."""
    try:
        with open(path, "rb") as f:
            for _, element in etree.iterparse(
                f, events=("end",), tag=[f"{{*}}{t}" for t in tags], resolve_entities=False
            ):
                yield element
    except etree.XMLSyntaxError as exc:
        raise ParseError(path.name, f"line {exc.lineno}", f"malformed XML: {exc.msg}") from None


def check_root(path: Path, expected: str, what: str) -> None:
    """Fail early on an empty file or one whose root element is not ``expected``."""
    head = read_head(path)
    if not head.strip():
        raise ParseError(path.name, "line 1", "empty file")
    found = root_name(head)
    if found is not None and found != expected.encode():
        root = found.decode(errors="replace")
        raise ParseError(
            path.name, f"<{root}>", f"not {what}: the root element is not <{expected}>"
        )


def release(element: etree._Element) -> None:
    """Free a handled element and the already handled siblings before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def child_text(element: etree._Element, name: str) -> str | None:
    for child in element:
        if local(child.tag) == name:
            text = " ".join((child.text or "").split())
            return text or None
    return None


def leaves(element: etree._Element) -> dict[str, str]:
    """The non-empty texts of an element's children by local name (the first of each name)."""
    found: dict[str, str] = {}
    for child in element:
        text = child.text
        if text and isinstance(child.tag, str):
            name = child.tag.rpartition("}")[2]
            if name not in found and (text := " ".join(text.split())):
                found[name] = text
    return found


# ---------------------------------------------------------------------------------------
# SDN.XML dates: "08 Feb 1980", "Feb 1980", "1980", "circa 1980", "1958 to 1962"
# ---------------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DATE = re.compile(r"(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})[a-z]*\.?\s+)?(\d{4})")


def ofac_date(text: str) -> str | None:
    """An ISO date, month or year from OFAC's "DD Mon YYYY" style; None if it is not one."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    day, month_name, year = match.groups()
    if month_name is None:
        return None if day else year
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    try:
        date = dt.date(int(year), month, int(day or 1))
    except ValueError:
        return None
    return date.isoformat() if day else date.isoformat()[:7]


def birth_date(text: str) -> BirthDate | None:
    cleaned = re.sub(
        r"^(circa|approximately|approx\.?)\s+", "", text.strip().rstrip("."), flags=re.IGNORECASE
    )
    start, sep, end = cleaned.partition(" to ")
    first = ofac_date(start)
    if not sep:
        return BirthDate(first) if first else None
    last = ofac_date(end)
    return BirthDate(first, last) if first and last else None


# ---------------------------------------------------------------------------------------
# The SDN.XML parser
# ---------------------------------------------------------------------------------------

_PUBLISH_DATE = re.compile(rb"<(?:[\w.\-]+:)?Publish_Date>\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*<")
_AKA_TYPES = {"a.k.a.": NameType.AKA, "n.k.a.": NameType.AKA, "f.k.a.": NameType.FKA}
_LINKED_TO = re.compile(r"Linked To:\s*(.+)", re.IGNORECASE | re.DOTALL)


def _publish_date(data: bytes) -> dt.date | None:
    match = _PUBLISH_DATE.search(data)
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def sniff(path: Path, head: bytes) -> Sniffed | None:
    if root_name(head) != b"sdnList":
        return None
    return Sniffed(FORMAT, list_id_for(path), _publish_date(head))


def _name_key(name: str) -> str:
    return " ".join(name.upper().split())


@dataclass
class _Index:
    """What the first pass learns: the date, the entry count and a name → uid index."""

    published: dt.date | None = None
    count: int = 0
    uids: set[str] = field(default_factory=set)
    primary: dict[str, str | None] = field(default_factory=dict)  # None: ambiguous
    aka: dict[str, str | None] = field(default_factory=dict)

    def resolve(self, name: str) -> str | None:
        for table in (self.primary, self.aka):
            key = _name_key(name)
            if key in table:
                return table[key]
        return None


def _remember(table: dict[str, str | None], name: str, uid: str) -> None:
    key = _name_key(name)
    table[key] = uid if table.get(key, uid) == uid else None


def _index(path: Path) -> _Index:
    index = _Index()
    declared: int | None = None
    root_checked = False
    for element in iter_elements(path, ("publshInformation", "sdnEntry")):
        if not root_checked:
            root = local(element.getroottree().getroot().tag)
            if root != "sdnList":
                raise ParseError(
                    path.name, f"<{root}>", "not an SDN.XML file: the root is not <sdnList>"
                )
            root_checked = True
        if local(element.tag) == "publshInformation":
            published = child_text(element, "Publish_Date")
            index.published = (
                _publish_date(f"<Publish_Date>{published}<".encode()) if published else None
            )
            count_text = child_text(element, "Record_Count")
            if count_text is not None:
                if not count_text.isdigit():
                    raise ParseError(path.name, "<Record_Count>", f"not a number: {count_text!r}")
                declared = int(count_text)
        else:
            index.count += 1
            fields = leaves(element)
            uid, last = fields.get("uid"), fields.get("lastName")
            if uid in index.uids:
                where = f"<sdnEntry> #{index.count}, uid {uid} (line {element.sourceline})"
                raise ParseError(path.name, where, "the uid is listed twice")
            if uid:
                index.uids.add(uid)
            if uid and last:
                _remember(index.primary, person_name(last, fields.get("firstName")), uid)
                for aka in element.iterfind("{*}akaList/{*}aka"):
                    aka_fields = leaves(aka)
                    aka_last = aka_fields.get("lastName")
                    if aka_last and aka_fields.get("category") != "weak":
                        aka_name = person_name(aka_last, aka_fields.get("firstName"))
                        _remember(index.aka, aka_name, uid)
        release(element)
    if index.count == 0:
        raise ParseError(path.name, "<sdnList>", "no <sdnEntry> records")
    if declared is not None and declared != index.count:
        raise ParseError(
            path.name,
            "<publshInformation>",
            f"Record_Count says {declared} entries, the file holds {index.count}",
        )
    return index


def _required(fields: dict[str, str], name: str, where: str) -> str:
    value = fields.get(name)
    if value is None:
        raise Malformed(f"<{where}> has no <{name}>")
    return value


def _add_id(draft: Draft, item: etree._Element) -> None:
    fields = leaves(item)
    label, number = _required(fields, "idType", "id"), _required(fields, "idNumber", "id")
    add_labelled(draft, label, number, to_iso(fields.get("idCountry")))
    dates = [
        f"{word} {fields[name]}"
        for word, name in (("issued", "issueDate"), ("expires", "expirationDate"))
        if name in fields
    ]
    if dates:
        draft.add(
            "details", ("document_note", f"{clean_label(label)} {number}: {', '.join(dates)}")
        )


def _add_aka(draft: Draft, aka: etree._Element) -> None:
    fields = leaves(aka)
    aka_type = _required(fields, "type", "aka").lower()
    if aka_type not in _AKA_TYPES:
        raise Malformed(f"unknown aka type {aka_type!r}")
    category = fields.get("category", "strong").lower()
    if category not in ("strong", "weak"):
        raise Malformed(f"unknown aka category {category!r}")
    # A weak f.k.a. is still weak: weakness is what screening has to know.
    name_type = NameType.WEAK_AKA if category == "weak" else _AKA_TYPES[aka_type]
    full = person_name(_required(fields, "lastName", "aka"), fields.get("firstName"))
    draft.add_name(full, name_type)


def _add_address(draft: Draft, item: etree._Element) -> None:
    fields = leaves(item)
    country_name = fields.get("country")
    country = to_iso(country_name)
    address = make_address(
        street=[fields.get(f"address{i}") for i in (1, 2, 3)],
        city=fields.get("city"),
        region=fields.get("stateOrProvince"),
        postal_code=fields.get("postalCode"),
        extra=[fields.get("region")],
        country_name=country_name,
        country=country,
    )
    draft.add("addresses", address)
    draft.add("countries", country)


def _add_country(draft: Draft, field_name: str, key: str, text: str | None) -> None:
    if text is None:
        return
    iso = to_iso(text)
    if iso is None:
        draft.add("details", (key, text))
    draft.add(field_name, iso)


def _add_vessel(draft: Draft, info: etree._Element, index: _Index, list_id: str) -> None:
    fields = leaves(info)
    call_sign = fields.get("callSign")
    if call_sign:
        draft.add("identifiers", Identifier(IdType.CALL_SIGN, call_sign, None, "Call Sign"))
    for name, label in (
        ("vesselType", "Vessel Type"),
        ("vesselFlag", "Vessel Flag"),
        ("vesselOwner", "Vessel Owner"),
        ("tonnage", "Vessel Tonnage"),
        ("grossRegisteredTonnage", "Vessel Gross Registered Tonnage"),
    ):
        if value := fields.get(name):
            add_labelled(draft, label, value)
    owner = fields.get("vesselOwner")
    if owner:
        uid = index.resolve(owner)
        target = entity_id(list_id, uid) if uid else None
        draft.add(
            "links", Link(LinkType.OWNED_BY, target, owner, None, "Vessel Owner", "vesselInfo")
        )


def linked_names(remarks: str) -> list[str]:
    """The names in "Linked To: NAME" remarks ("…; (Linked To: X)" or "…; Linked To: X.")."""
    names = []
    for segment in remarks.split(";"):
        segment = segment.strip()
        if segment.endswith(")."):
            segment = segment[:-1]
        if segment.startswith("(") and segment.endswith(")"):
            segment = segment[1:-1].strip()
        match = _LINKED_TO.match(segment)
        if match:
            names.append(" ".join(match.group(1).split()))
    return names


def _add_linked(draft: Draft, remarks: str, index: _Index, list_id: str, own_uid: str) -> None:
    for name in linked_names(remarks):
        uid = index.resolve(name)
        if uid is None and name.endswith("."):
            name = name[:-1]  # the period closing the remarks, unless the name itself has it
            uid = index.resolve(name)
        target = entity_id(list_id, uid) if uid and uid != own_uid else None
        draft.add("links", Link(LinkType.LINKED_TO, target, name, None, "Linked To", "remarks"))


def _entry(element: etree._Element, index: _Index, list_id: str) -> Entity:
    fields = leaves(element)
    uid = _required(fields, "uid", "sdnEntry")
    sdn_type = _required(fields, "sdnType", "sdnEntry")
    kind = KINDS.get(sdn_type.lower())
    if kind is None:
        raise Malformed(f"unknown sdnType {sdn_type!r}")
    draft = Draft()
    last = _required(fields, "lastName", "sdnEntry")
    draft.add_name(person_name(last, fields.get("firstName")), NameType.PRIMARY)
    title = fields.get("title")
    if title:
        draft.add("details", ("title", title))
    for child in element:
        name = local(child.tag)
        if name == "programList":
            for program in child:
                draft.add("programs", " ".join((program.text or "").split()))
        elif name == "idList":
            for item in child.iterfind("{*}id"):
                _add_id(draft, item)
        elif name == "akaList":
            for aka in child.iterfind("{*}aka"):
                _add_aka(draft, aka)
        elif name == "addressList":
            for item in child.iterfind("{*}address"):
                _add_address(draft, item)
        elif name == "nationalityList":
            for item in child.iterfind("{*}nationality"):
                _add_country(draft, "nationalities", "nationality", child_text(item, "country"))
        elif name == "citizenshipList":
            for item in child.iterfind("{*}citizenship"):
                _add_country(draft, "countries", "citizenship", child_text(item, "country"))
        elif name == "dateOfBirthList":
            for item in child.iterfind("{*}dateOfBirthItem"):
                text = child_text(item, "dateOfBirth")
                if text is None:
                    continue
                parsed = birth_date(text)
                draft.add("birth_dates", parsed)
                # Keep what the date alone cannot say, as the other list parsers do.
                if parsed is None:
                    draft.add("details", ("birth_date_note", text))
                elif "circa" in text.lower():
                    draft.add("details", ("birth_date_approximate", text))
        elif name == "placeOfBirthList":
            for item in child.iterfind("{*}placeOfBirthItem"):
                draft.add("birth_places", child_text(item, "placeOfBirth"))
        elif name == "vesselInfo":
            _add_vessel(draft, child, index, list_id)
    remarks = fields.get("remarks")
    if remarks:
        _add_linked(draft, remarks, index, list_id, uid)
    return draft.entity(list_id=list_id, source_id=uid, kind=kind, remarks=remarks)


def _entities(path: Path, list_id: str, parsed: ParsedList) -> Iterator[Entity]:
    check_root(path, "sdnList", "an SDN.XML file")
    index = _index(path)
    parsed.published = parsed.published or index.published
    for number, element in enumerate(iter_elements(path, ("sdnEntry",)), 1):
        try:
            entity = _entry(element, index, list_id)
        except Malformed as exc:
            uid = child_text(element, "uid") or "?"
            where = f"<sdnEntry> #{number}, uid {uid} (line {element.sourceline})"
            raise ParseError(path.name, where, str(exc)) from None
        release(element)
        yield entity


def single_path(paths: Sequence[Path], what: str) -> Path:
    if len(paths) != 1:
        names = ", ".join(Path(p).name for p in paths) or "(none)"
        raise ParseError(names, "files", f"expected exactly one {what} file, got {len(paths)}")
    return Path(paths[0])


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    path = single_path(paths, "SDN.XML")
    parsed = ParsedList(FORMAT, (path,), _publish_date(read_head(path)), iter(()))
    parsed.entities = _entities(path, list_id, parsed)
    return parsed


__all__ = [
    "FORMAT",
    "KINDS",
    "Draft",
    "Malformed",
    "add_labelled",
    "birth_date",
    "check_root",
    "child_text",
    "clean_label",
    "detail_key",
    "identifier",
    "iter_elements",
    "leaves",
    "linked_names",
    "list_id_for",
    "local",
    "make_address",
    "ofac_date",
    "person_name",
    "read",
    "release",
    "root_name",
    "single_path",
    "sniff",
]
