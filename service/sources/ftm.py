"""OpenSanctions FollowTheMoney (FtM) JSON lines: one entity of any schema per line.

Only *things* become entities: Person → person; Company, Organization, LegalEntity and
PublicBody → organization; Vessel → vessel; Airplane → aircraft. The other schemata are
attached to a thing by id, and may come before or after it, so the file is read twice:

pass 1 (in :func:`read`, which also gives ``published``) keeps the small attached records —
Address, Identification/Passport, CryptoWallet, Sanction and the link schemata — keyed by
the id they attach to, plus the caption of every other record (a link target's name);
pass 2 (the ``entities`` iterator) streams the things again and builds each entity whole.

References:

* A link endpoint (Ownership owner/asset, Directorship director/organization, Family,
  Associate, UnknownLink, Representation, Employment, Membership, Occupancy, a vehicle's
  owner/operator) that names no record in the file is a ParseError, raised by pass 1.
  An endpoint that is a record but not a thing (an Occupancy's Position, a RealEstate
  asset) gives a link with ``target=None`` and the record's caption as ``target_name``;
  a link whose holder is not a thing has no entity to sit on and is dropped.
* ``addressEntity``, Sanction ``entity`` and Identification ``holder`` references that
  resolve nowhere are ignored: OpenSanctions exports keep address ids of addresses they
  do not export (zala.ftm.json has 16 such, t1.ftm.json 2), and the thing's own ``address``
  text property still carries the address.
* An Identification or Passport without a ``number`` gives no identifier (zala.ftm.json
  has one Passport that names only its holder).

Names: the caption (when it is among ``name``, else the first ``name``) is PRIMARY, the
other names and ``alias`` AKA, ``previousName``/``pastNames`` FKA, ``weakAlias`` and
``abbreviation`` WEAK_AKA. A non-Latin AKA becomes ORIGINAL_SCRIPT; a non-Latin PRIMARY,
FKA or WEAK_AKA keeps its type (it says more) and carries its script. Same text twice keeps
the first, stronger, type.

Ownership shares: "51", "51%", "51.00", "0,5" → that number; a range "50-75" → its lower
bound, the share known for certain ("> 50" likewise 50); anything else, or outside 0-100,
→ no share. The raw text goes into the link label whenever it was not a plain number.

``listed_on`` is the earliest Sanction listingDate (startDate when a sanction has none),
else the thing's earliest ``createdAt``. A thing is ``listed`` when the record says it is a
``target`` (OpenSanctions also exports the companies and relatives its targets link to),
or, where the record does not say, when a Sanction names it. ``published`` is the latest ``last_change`` or
``last_seen`` date in the file. OpenSanctions data is CC BY-NC 4.0.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from service.sources.base import ParsedList, Sniffed
from service.sources.labels import id_type, script_of
from service.sources.text import uniq, uniq_by

FORMAT = "ftm"
LIST_ID = "opensanctions"

_THING_KINDS = {
    "Person": Kind.PERSON,
    "Company": Kind.ORGANIZATION,
    "Organization": Kind.ORGANIZATION,
    "LegalEntity": Kind.ORGANIZATION,
    "PublicBody": Kind.ORGANIZATION,
    "Vessel": Kind.VESSEL,
    "Airplane": Kind.AIRCRAFT,
}


@dataclass(frozen=True)
class _LinkSpec:
    holder: str  # the property naming the entity the link sits on
    target: str
    type: LinkType
    wording: str = "role"  # the property holding the list's own words for the link


_LINK_SPECS = {
    "Ownership": _LinkSpec("asset", "owner", LinkType.OWNED_BY),
    "Directorship": _LinkSpec("director", "organization", LinkType.DIRECTOR_OF),
    "Family": _LinkSpec("person", "relative", LinkType.FAMILY_OF, "relationship"),
    "Associate": _LinkSpec("person", "associate", LinkType.ASSOCIATE_OF, "relationship"),
    "UnknownLink": _LinkSpec("subject", "object", LinkType.LINKED_TO),
    "Representation": _LinkSpec("agent", "client", LinkType.LINKED_TO),
    "Employment": _LinkSpec("employee", "employer", LinkType.LINKED_TO),
    "Membership": _LinkSpec("member", "organization", LinkType.LINKED_TO),
    "Occupancy": _LinkSpec("holder", "post", LinkType.LINKED_TO),
}
# Vessels and airplanes name their owner and operator inside the thing itself.
_VEHICLE_REFS = (
    ("owner", LinkType.OWNED_BY, "Owner"),
    ("operator", LinkType.LINKED_TO, "Operator"),
)

# Identifier properties of things → the label that labels.id_type reads.
_ID_PROPS = (
    ("registrationNumber", "Registration Number"),
    ("idNumber", "ID Number"),
    ("passportNumber", "Passport Number"),
    ("taxNumber", "Tax Number"),
    ("innCode", "INN"),
    ("ogrnCode", "OGRN"),
    ("kppCode", "KPP"),
    ("okpoCode", "OKPO"),
    ("vatCode", "VAT Number"),
    ("leiCode", "LEI"),
    ("dunsCode", "DUNS"),
    ("uniqueEntityId", "UEI"),
    ("permId", "PermID"),
    ("swiftBic", "SWIFT/BIC"),
    ("imoNumber", "IMO Number"),
    ("mmsi", "MMSI"),
    ("callSign", "Call Sign"),
    ("serialNumber", "Serial Number"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("website", "Website"),
)
# Schemata only ever attached to a thing: pass 1 keeps their content, not their captions.
_ATTACHED = frozenset(
    {"Address", "Identification", "Passport", "CryptoWallet", "Sanction", *_LINK_SPECS}
)
_AIRCRAFT_REGISTRATION = (
    "Aircraft Registration"  # an Airplane's registrationNumber is its tail mark
)

_DETAIL_PROPS = (
    "gender", "title", "position", "legalForm", "status", "sector", "incorporationDate",
    "dissolutionDate", "birthCountry", "deathDate", "type", "model", "manufacturer",
    "buildDate", "tonnage", "grossRegisteredTonnage", "registrationPort", "pastFlags",
    "icaoCode", "topics", "sourceUrl",
)  # fmt: skip

_COUNTRY_DETAILS = frozenset({"birthCountry", "pastFlags"})  # FtM country codes, shown as ISO

_DATE = re.compile(r"(\d{4}(-\d{2}(-\d{2})?)?)([T ].*)?")
_NUMBER = r"(\d+(?:\.\d+)?)"
_SHARE_PLAIN = re.compile(_NUMBER)
_SHARE_RANGE = re.compile(_NUMBER + r"\s*(?:-|\u2013|to)\s*" + _NUMBER)
_SHARE_FLOOR = re.compile(r"(?:>=?|≥|more than|over|at least)\s*" + _NUMBER)


@dataclass(frozen=True)
class _Sanction:
    programs: tuple[str, ...]
    listed: str | None
    summary: str


@dataclass(frozen=True)
class _RawLink:
    type: LinkType
    target_ref: str
    share: float | None
    label: str
    source: str


@dataclass
class _Graph:
    """What pass 1 keeps: the attached records, by the id of the thing they attach to."""

    captions: dict[str, str] = field(default_factory=dict)  # things and other link targets
    attached_ids: set[str] = field(default_factory=set)  # the rest, whose captions say nothing
    things: set[str] = field(default_factory=set)
    addresses: dict[str, Address] = field(default_factory=dict)
    identifiers: defaultdict[str, list[Identifier]] = field(
        default_factory=lambda: defaultdict(list)
    )
    sanctions: defaultdict[str, list[_Sanction]] = field(default_factory=lambda: defaultdict(list))
    links: defaultdict[str, list[_RawLink]] = field(default_factory=lambda: defaultdict(list))
    endpoints: list[tuple[str, str, str]] = field(default_factory=list)  # (ref, file, location)
    latest: dt.date | None = None


def sniff(path: Path, head: bytes) -> Sniffed | None:
    if not path.name.lower().endswith((".json", ".jsonl", ".ndjson")):
        return None
    line = head.split(b"\n", 1)[0] if b"\n" in head else _first_line(path)
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if (
        isinstance(record, dict)
        and "schema" in record
        and isinstance(record.get("properties"), dict)
    ):
        return Sniffed(FORMAT, LIST_ID, None)
    return None


def _first_line(path: Path, limit: int = 1 << 20) -> bytes:
    # FtM lines of big entities run past the sniffing head; read on, but never unbounded.
    with open(path, "rb") as f:
        return f.readline(limit)


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    """Pass 1 runs here, so structural errors and dangling links raise from ``read``."""
    files = tuple(paths)
    graph = _Graph()
    for path in files:
        for location, record in _records(path):
            _collect(graph, path.name, location, record)
    if not graph.captions and not graph.attached_ids:
        raise ParseError(files[0].name if files else "?", "line 1", "no FtM entities in the file")
    if not graph.things:
        raise ParseError(
            files[0].name, "whole file", "no Person, organization, Vessel or Airplane entity"
        )
    for ref, file, location in graph.endpoints:
        if ref not in graph.captions and ref not in graph.attached_ids:
            raise ParseError(file, location, f"link endpoint {ref!r} is not an entity in the file")
    return ParsedList(FORMAT, files, graph.latest, _entities(files, graph, list_id))


def _records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            location = f"line {number}"
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ParseError(path.name, location, f"not a JSON object: {exc}") from None
            if not isinstance(record, dict):
                raise ParseError(path.name, location, "not a JSON object")
            for key in ("id", "schema"):
                if not isinstance(record.get(key), str) or not record[key]:
                    raise ParseError(path.name, location, f"no {key!r}")
            location = f"{location}, id {record['id']}"
            props = record.get("properties")
            if not isinstance(props, dict):
                raise ParseError(path.name, location, "no 'properties' object")
            for name, values in props.items():
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    raise ParseError(
                        path.name, location, f"property {name!r} is not a list of strings"
                    )
            yield location, record


def _collect(graph: _Graph, file: str, location: str, record: dict[str, Any]) -> None:
    rid, schema, props = record["id"], record["schema"], record["properties"]
    if rid in graph.captions or rid in graph.attached_ids:
        raise ParseError(file, location, "duplicate id")
    if schema in _ATTACHED:
        graph.attached_ids.add(rid)
    else:
        graph.captions[rid] = _caption(record)
    for key in ("last_change", "last_seen"):
        value = record.get(key)
        if value:
            day = _day(value, file, location, key)
            if graph.latest is None or day > graph.latest:
                graph.latest = day
    source = f"{schema} {rid}"
    if schema in _THING_KINDS:
        graph.things.add(rid)
        for prop, link_type, label in _VEHICLE_REFS if schema in ("Vessel", "Airplane") else ():
            for ref in props.get(prop, []):
                graph.endpoints.append((ref, file, location))
                graph.links[rid].append(_RawLink(link_type, ref, None, label, source))
    elif schema == "Address":
        address = _address(props, record.get("caption"))
        if address is not None:
            graph.addresses[rid] = address
    elif schema in ("Identification", "Passport", "CryptoWallet"):
        identifier = _identifier(schema, props)
        if identifier is not None:
            for holder in props.get("holder", []):
                graph.identifiers[holder].append(identifier)
    elif schema == "Sanction":
        sanction = _sanction(props, record.get("caption"), file, location)
        for target in props.get("entity", []):
            graph.sanctions[target].append(sanction)
    elif schema in _LINK_SPECS:
        spec = _LINK_SPECS[schema]
        holders, targets = props.get(spec.holder, []), props.get(spec.target, [])
        for prop, refs in ((spec.holder, holders), (spec.target, targets)):
            if not refs:
                raise ParseError(file, location, f"{schema} without {prop!r}")
            graph.endpoints.extend((ref, file, location) for ref in refs)
        share, label = _link_wording(schema, spec, props, file, location)
        for holder in holders:
            for target in targets:
                graph.links[holder].append(_RawLink(spec.type, target, share, label, source))


def _caption(record: dict[str, Any]) -> str:
    caption = record.get("caption")
    if isinstance(caption, str) and caption.strip():
        return caption.strip()
    names = record["properties"].get("name") or []
    return names[0] if names else record["id"]


def _date(value: str, file: str, location: str, what: str) -> str:
    """The ISO (partial) date at the start of an FtM date value ("2023-11-02T16:38:16")."""
    found = _DATE.fullmatch(value.strip())
    if not found:
        raise ParseError(file, location, f"{what} {value!r} is not an ISO date")
    return found.group(1)


def _day(value: Any, file: str, location: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ParseError(file, location, f"{what} {value!r} is not an ISO date") from None


def _first(props: dict[str, list[str]], name: str) -> str | None:
    for value in props.get(name, []):
        if value.strip():
            return value.strip()
    return None


def _address(props: dict[str, list[str]], caption: Any) -> Address | None:
    street, city = _first(props, "street"), _first(props, "city")
    postal, region = _first(props, "postalCode"), _first(props, "region")
    country = to_iso(_first(props, "country"))
    full = _first(props, "full") or (caption.strip() if isinstance(caption, str) else None)
    if not full:
        full = ", ".join(p for p in (street, city, postal, region, _first(props, "country")) if p)
    if not full:
        return None
    return Address(full, street, city, postal, region, country)


def _identifier(schema: str, props: dict[str, list[str]]) -> Identifier | None:
    if schema == "CryptoWallet":
        key = _first(props, "publicKey")
        currency = _first(props, "currency")
        label = f"Crypto Wallet - {currency}" if currency else "Crypto Wallet"
        return Identifier(IdType.CRYPTO_ADDRESS, key, None, label) if key else None
    number = _first(props, "number")
    if not number:
        return None
    label = _first(props, "type") or ("Passport" if schema == "Passport" else "Identification")
    kind = IdType.PASSPORT if schema == "Passport" else id_type(label)
    return Identifier(kind, number, to_iso(_first(props, "country")), label)


def _sanction(props: dict[str, list[str]], caption: Any, file: str, location: str) -> _Sanction:
    programs = tuple(props.get("programId") or props.get("program") or ())
    dates = [_date(v, file, location, "listingDate") for v in props.get("listingDate", [])]
    if not dates:
        dates = [_date(v, file, location, "startDate") for v in props.get("startDate", [])]
    listed = min(dates) if dates else None
    authority = _first(props, "authority")
    program = _first(props, "program") or _first(props, "programId")
    summary = ": ".join(p for p in (authority, program) if p) or str(caption or "Sanction")
    if listed:
        summary += f" (listed {listed})"
    return _Sanction(programs, listed, summary)


def _link_wording(
    schema: str, spec: _LinkSpec, props: dict[str, list[str]], file: str, location: str
) -> tuple[float | None, str]:
    share = None
    notes: list[str] = []
    percentage = _first(props, "percentage")
    if percentage is not None:
        share = parse_share(percentage)
        if share is None or not _SHARE_PLAIN.fullmatch(percentage.rstrip("% ")):
            notes.append(f"{percentage.rstrip('% ')}%")
    start = [_date(v, file, location, "startDate") for v in props.get("startDate", [])]
    end = [_date(v, file, location, "endDate") for v in props.get("endDate", [])]
    if start and end:
        notes.append(f"{min(start)} to {max(end)}")
    elif start:
        notes.append(f"since {min(start)}")
    elif end:
        notes.append(f"until {max(end)}")
    label = _first(props, spec.wording) or schema
    return share, f"{label} ({'; '.join(notes)})" if notes else label


def parse_share(text: str) -> float | None:
    """An ownership percentage as a number; a range gives its lower bound."""
    cleaned = text.replace("%", "").replace(",", ".").strip().lower()
    for pattern in (_SHARE_PLAIN, _SHARE_RANGE, _SHARE_FLOOR):
        found = pattern.fullmatch(cleaned)
        if found:
            value = float(found.group(1))
            return value if 0 <= value <= 100 else None
    return None


def _entities(files: tuple[Path, ...], graph: _Graph, list_id: str) -> Iterator[Entity]:
    for path in files:
        for location, record in _records(path):
            if record["schema"] in _THING_KINDS:
                yield _entity(record, graph, list_id, path.name, location)


def _entity(
    record: dict[str, Any], graph: _Graph, list_id: str, file: str, location: str
) -> Entity:
    rid, schema, props = record["id"], record["schema"], record["properties"]
    kind = _THING_KINDS[schema]
    sanctions = graph.sanctions.get(rid, [])

    addresses = [
        graph.addresses[ref] for ref in props.get("addressEntity", []) if ref in graph.addresses
    ]
    known = {a.full.casefold() for a in addresses}
    for text in props.get("address", []):
        if text.strip() and text.strip().casefold() not in known:
            known.add(text.strip().casefold())
            addresses.append(Address(text.strip()))

    details: list[tuple[str, str]] = []
    countries: list[str] = []
    for prop in ("country", "jurisdiction", "citizenship", "flag"):
        for value in props.get(prop, []):
            code = to_iso(value)
            if code:
                countries.append(code)
            else:
                details.append(("country_code", value))
    countries.extend(a.country for a in addresses if a.country)
    nationalities = [
        c for v in props.get("nationality", []) + props.get("citizenship", []) if (c := to_iso(v))
    ]

    for prop in _DETAIL_PROPS:
        key = f"{kind.value}_type" if prop == "type" else _snake(prop)
        for value in props.get(prop, []):
            if prop in _COUNTRY_DETAILS:
                value = to_iso(value) or value
            if value.strip():
                details.append((key, value))
    details.extend(("sanction", s.summary) for s in sanctions)
    details.extend(("dataset", d) for d in record.get("datasets") or [] if isinstance(d, str))
    if isinstance(record.get("target"), bool):
        details.append(("target", "true" if record["target"] else "false"))

    listed = [s.listed for s in sanctions if s.listed]
    if not listed:
        listed = [_date(v, file, location, "createdAt") for v in props.get("createdAt", [])]
    programs = list(props.get("programId", [])) + list(props.get("program", []))
    programs.extend(p for s in sanctions for p in s.programs)
    remarks = uniq(
        v.strip() for v in props.get("notes", []) + props.get("summary", []) if v.strip()
    )

    return Entity(
        id=entity_id(list_id, rid),
        list_id=list_id,
        reference=rid,
        kind=kind,
        names=_names(record, file, location),
        addresses=tuple(uniq(addresses)),
        countries=tuple(uniq(countries)),
        nationalities=tuple(uniq(nationalities)),
        birth_dates=tuple(
            uniq(
                BirthDate(_date(v, file, location, "birthDate")) for v in props.get("birthDate", [])
            )
        ),
        birth_places=tuple(uniq(v.strip() for v in props.get("birthPlace", []) if v.strip())),
        identifiers=_identifiers(kind, props, graph.identifiers.get(rid, [])),
        programs=tuple(uniq(p.strip() for p in programs if p.strip())),
        listed_on=min(listed) if listed else None,
        remarks="\n".join(remarks) or None,
        links=tuple(uniq(_resolve(link, graph, list_id) for link in graph.links.get(rid, []))),
        details=tuple(uniq(details)),
        listed=record["target"] if isinstance(record.get("target"), bool) else bool(sanctions),
    )


def _names(record: dict[str, Any], file: str, location: str) -> tuple[Name, ...]:
    props = record["properties"]
    names = props.get("name", [])
    caption = record.get("caption")
    primary = (
        caption if isinstance(caption, str) and caption in names else next(iter(names), caption)
    )
    if not isinstance(primary, str) or not primary.strip():
        raise ParseError(file, location, "entity without a name")
    ordered = [(primary, NameType.PRIMARY)]
    ordered += [(n, NameType.AKA) for n in names + props.get("alias", [])]
    ordered += [
        (n, NameType.FKA) for n in props.get("previousName", []) + props.get("pastNames", [])
    ]
    ordered += [
        (n, NameType.WEAK_AKA) for n in props.get("weakAlias", []) + props.get("abbreviation", [])
    ]
    out: list[Name] = []
    seen: set[str] = set()
    for text, kind in ordered:
        text = " ".join(text.split())
        if not text or text in seen:
            continue
        seen.add(text)
        script = script_of(text)
        if script and kind is NameType.AKA:
            kind = NameType.ORIGINAL_SCRIPT
        out.append(Name(text, kind, script))
    return tuple(out)


def _identifiers(
    kind: Kind, props: dict[str, list[str]], attached: list[Identifier]
) -> tuple[Identifier, ...]:
    out: list[Identifier] = []
    for prop, label in _ID_PROPS:
        if kind is Kind.AIRCRAFT and prop == "registrationNumber":
            label = _AIRCRAFT_REGISTRATION
        for value in props.get(prop, []):
            if value.strip():
                out.append(Identifier(id_type(label), value.strip(), None, label))
    out.extend(attached)
    return tuple(uniq_by(out, lambda identifier: (identifier.type, identifier.value)))


def _resolve(link: _RawLink, graph: _Graph, list_id: str) -> Link:
    target = entity_id(list_id, link.target_ref) if link.target_ref in graph.things else None
    return Link(
        link.type, target, graph.captions.get(link.target_ref), link.share, link.label, link.source
    )


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
