"""OFAC's ``SDN.XML`` schema (root ``sdnList``): the SDN list and the consolidated list.

One ``sdnEntry`` per listed party, with its akas, IDs, addresses, dates and places of birth
and vessel data. The namespace changed between vintages (``http://tempuri.org/sdnList.xsd``,
``https://sanctionslistservice.ofac.treas.gov/...``), so elements are matched by local name.

The file is read twice, both times streaming: a first pass counts the entries, checks the
root and ``Record_Count`` and indexes every primary name and strong a.k.a. by uid, so that
"Linked To: <name>" remarks and vessel owners resolve to entity ids; the second pass builds
the entities. A broken file therefore fails before the first entity is yielded.

What this parser shares with :mod:`service.sources.ofac_advanced` (OFAC's labels, the entity
draft) is in :mod:`service.sources.ofac_common`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from service.countries import to_iso
from service.errors import ParseError
from service.model import (
    BirthDate,
    Entity,
    Identifier,
    IdType,
    Link,
    LinkType,
    NameType,
    entity_id,
)
from service.sources.base import ParsedList, Sniffed, one_file, read_head
from service.sources.ofac_common import (
    KINDS,
    Draft,
    Malformed,
    add_labelled,
    check_root,
    clean_label,
    list_id_for,
    make_address,
    person_name,
)
from service.sources.text import MONTHS, month_first
from service.sources.xml_stream import (
    child_text,
    elements,
    in_any_namespace,
    leaves,
    local,
    release,
    root_name,
)

FORMAT = "ofac_xml"

# ---------------------------------------------------------------------------------------
# SDN.XML dates: "08 Feb 1980", "Feb 1980", "1980", "circa 1980", "1958 to 1962"
# ---------------------------------------------------------------------------------------

_DATE = re.compile(r"(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})[a-z]*\.?\s+)?(\d{4})")


def ofac_date(text: str) -> str | None:
    """An ISO date, month or year from OFAC's "DD Mon YYYY" style; None if it is not one."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    day, month_name, year = match.groups()
    if month_name is None:
        return None if day else year
    month = MONTHS.get(month_name.lower())
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

_PUBLISH_DATE = re.compile(rb"<(?:[\w.\-]+:)?Publish_Date>\s*(\d{1,2}/\d{1,2}/\d{4})\s*<")
_AKA_TYPES = {"a.k.a.": NameType.AKA, "n.k.a.": NameType.AKA, "f.k.a.": NameType.FKA}
_LINKED_TO = re.compile(r"Linked To:\s*(.+)", re.IGNORECASE | re.DOTALL)


def _publish_date(data: bytes) -> dt.date | None:
    match = _PUBLISH_DATE.search(data)
    return month_first(match.group(1).decode("ascii")) if match else None


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
    for element in elements(path, in_any_namespace("publshInformation", "sdnEntry")):
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
    for number, element in enumerate(elements(path, in_any_namespace("sdnEntry")), 1):
        try:
            entity = _entry(element, index, list_id)
        except Malformed as exc:
            uid = child_text(element, "uid") or "?"
            where = f"<sdnEntry> #{number}, uid {uid} (line {element.sourceline})"
            raise ParseError(path.name, where, str(exc)) from None
        release(element)
        yield entity


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    path = one_file(paths, "SDN.XML")
    parsed = ParsedList(FORMAT, (path,), _publish_date(read_head(path)), iter(()))
    parsed.entities = _entities(path, list_id, parsed)
    return parsed


__all__ = ["FORMAT", "birth_date", "linked_names", "ofac_date", "read", "sniff"]
