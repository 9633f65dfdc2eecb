"""trade.gov Consolidated Screening List (CSL), the CSV download: one row per listing.

The CSL merges the Commerce (BIS Entity List EL, Denied Persons DPL, Unverified UVL,
Military End User MEU), State (ITAR Debarred DTC, Nonproliferation ISN) and Treasury
(SDN, SSI, FSE, PLC, CAPTA, CMIC, NS-MBS) lists. The short code in parentheses in the
``source`` column ("Entity List (EL) - Bureau of Industry and Security" → "EL") is the first
program and the ``source_list`` detail; the full source text is the ``source`` detail.

Multi-valued cells are joined with "; ": alt_names, addresses, programs, citizenships,
nationalities, dates_of_birth, places_of_birth, ids. The quirks:

* addresses are the API's address, city, state, postal_code and country joined with ", ",
  empty parts left out, so only the last part can be placed: the country (ISO code, or a
  country name). Entity List addresses run on with "; and 21 Changsheng Street, …": each
  piece is an address, its leading "and " dropped.
* ids are "type, number[, country]" joined with ", "; the number can hold commas itself
  ("Secondary sanctions risk:, North Korea Sanctions Regulations, sections 510.201 and
  510.210"), so the country is the last part only when it is a two-letter country code and
  trailing ISO dates are the document's issue/expiry dates. Entries that are statements, not
  identifiers (Gender, Secondary sanctions risk, directive determinations, vessel and
  aircraft facts …, see ``_STATEMENTS``) go into details.
* a name can carry a scope after ";" ("Sinobright Import and Export Company; and any
  successor, sub-unit, or subsidiary thereof"): the name is the part before it, the scope a
  ``name_note`` detail.
* dates_of_birth: "1955", "1978-12-05", and the OFAC wordings "circa 1955",
  "1955 to 1957", "12 Dec 1955", "Dec 1955"; anything else is kept as a
  ``date_of_birth`` detail rather than guessed.

Kind from ``type``: Individual → person, Entity → organization, Vessel, Aircraft; an empty
type is an organization, except on the Denied Persons and ITAR Debarred lists, which list
people without a type: there the name decides (``us_bis_dpl.looks_like_organization``).
Text is UTF-8 (a BOM is dropped; a line that is not UTF-8 is read as Windows-1252).
Source id = ``_id``; reference = ``entity_number`` (OFAC's) when given, else ``_id``.
The file prints no publication date: ``published`` is the latest ``start_date`` not in the future.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

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
from service.sources.delimited import table
from service.sources.labels import id_type, script_of
from service.sources.text import uniq_by
from service.sources.us_bis_dpl import looks_like_organization

FORMAT = "us_csl"
LIST_ID = "us_trade_csl"

COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
    "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
)  # fmt: skip

_KINDS = {
    "individual": Kind.PERSON,
    "entity": Kind.ORGANIZATION,
    "vessel": Kind.VESSEL,
    "aircraft": Kind.AIRCRAFT,
}
_NAME_DECIDES_KIND = frozenset({"DPL", "DTC"})  # lists of people and companies with no type

# Columns shown to an analyst as they are, in this order.
_DETAIL_COLUMNS = (
    "title", "federal_register_notice", "end_date", "standard_order", "license_requirement",
    "license_policy", "vessel_type", "gross_tonnage", "gross_registered_tonnage", "vessel_flag",
    "source_list_url", "source_information_url",
)  # fmt: skip

# "ids" entries that state a fact about the party rather than identify it.
_STATEMENTS = re.compile(
    r"^(gender|title|secondary sanctions risk|transactions prohibited|executive order"
    r"|additional sanctions information|organization (established date|type)|target type"
    r"|aircraft (model|operator|manufacture date|mode s)|vessel (year of build|type|flag)"
    r"|(other|former) vessel|nationality of registration|caatsa|ifca|peesa|effective date"
    r"|listing date|purchase/sales|eo ?\d|registration country|identification type)",
    re.IGNORECASE,
)
_SOURCE_CODE = re.compile(r"\(([A-Z][A-Z0-9-]*)(?: List)?\)")
_SCOPE = re.compile(r"^(and )?any (successors?|sub-units?|subsidiar)", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_RANGE = re.compile(
    r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*(?:to|-|\u2013)\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)"
)
_WORDY_DATES = (("%d %b %Y", 10), ("%d %B %Y", 10), ("%b %Y", 7), ("%B %Y", 7))


def sniff(path: Path, head: bytes) -> Sniffed | None:
    if head.removeprefix(b"\xef\xbb\xbf").startswith(b"_id,source,entity_number"):
        return Sniffed(FORMAT, LIST_ID, None)
    return None


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    files = tuple(paths)
    parsed = ParsedList(FORMAT, files, None, iter(()), published_exact=False)
    parsed.entities = _entities(files, list_id, parsed)
    return parsed


def _entities(files: tuple[Path, ...], list_id: str, parsed: ParsedList) -> Iterator[Entity]:
    seen: dict[str, str] = {}  # _id → where it was first read
    today = dt.date.today()
    latest: dt.date | None = None
    for path in files:
        for location, row in _rows(path):
            rid = row["_id"]
            if rid in seen:
                raise ParseError(path.name, location, f"_id {rid!r} again (first at {seen[rid]})")
            seen[rid] = location
            entity = _entity(row, list_id, path.name, location)
            day = _day(entity.listed_on)
            if day is not None and day <= today and (latest is None or day > latest):
                latest = day
            yield entity
    # The file prints no date; the latest listing in it is the nearest the content tells
    # (the list was published that day or later).
    parsed.published = latest


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def _rows(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    for location, cells in table(path, _header_problem, key="_id"):
        row = {k: " ".join(v.split()) for k, v in cells.items()}
        for column in ("_id", "source", "name"):
            if not row[column]:
                raise ParseError(path.name, location, f"no {column}")
        yield location, row


def _header_problem(header: list[str]) -> str | None:
    missing = [c for c in COLUMNS if c not in header]
    return f"not the CSL header: no {', '.join(missing)}" if missing else None


def source_code(source: str) -> str:
    """The list's short code: "Entity List (EL) - Bureau of Industry and Security" → "EL"."""
    found = _SOURCE_CODE.search(source)
    return found.group(1) if found else source


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _entity(row: dict[str, str], list_id: str, file: str, location: str) -> Entity:
    code = source_code(row["source"])
    details: list[tuple[str, str]] = [("source_list", code), ("source", row["source"])]
    if row["entity_number"]:
        details.append(("entity_number", row["entity_number"]))

    kind_text = row["type"].lower()
    if kind_text in _KINDS:
        kind = _KINDS[kind_text]
    elif not kind_text and code in _NAME_DECIDES_KIND:
        kind = Kind.ORGANIZATION if looks_like_organization(row["name"]) else Kind.PERSON
    else:
        kind = Kind.ORGANIZATION
        if kind_text:
            details.append(("type", row["type"]))

    name, *scope = _split(row["name"])
    names = [Name(name, NameType.PRIMARY, script_of(name))]
    for part in scope:
        if _SCOPE.match(part):
            details.append(("name_note", part))
        else:
            names.append(Name(part.removeprefix("and ").strip(), NameType.AKA))
    for alt in _split(row["alt_names"]):
        alt = alt.removeprefix("and ").strip()
        script = script_of(alt)
        names.append(Name(alt, NameType.ORIGINAL_SCRIPT if script else NameType.AKA, script))

    addresses = [_address(part) for part in _split(row["addresses"])]
    citizenships = [c for v in _split(row["citizenships"]) if (c := to_iso(v))]
    flag = to_iso(row["vessel_flag"])
    countries = (
        [a.country for a in addresses if a.country] + citizenships + ([flag] if flag else [])
    )
    nationalities = [c for v in _split(row["nationalities"]) if (c := to_iso(v))] + citizenships

    birth_dates: list[BirthDate] = []
    for text in _split(row["dates_of_birth"]):
        parsed = birth_date(text)
        if parsed is None:
            details.append(("date_of_birth", text))
        else:
            birth_dates.append(parsed)

    identifiers: list[Identifier] = []
    if row["call_sign"]:
        identifiers.append(Identifier(IdType.CALL_SIGN, row["call_sign"], None, "Call Sign"))
    for entry in _split(row["ids"]):
        identifier = _identifier(entry, details)
        if identifier is not None:
            identifiers.append(identifier)

    details.extend((column, row[column]) for column in _DETAIL_COLUMNS if row[column])
    links: tuple[Link, ...] = ()
    if row["vessel_owner"]:
        links = (
            Link(
                LinkType.OWNED_BY, None, row["vessel_owner"], None, "Vessel Owner", "vessel_owner"
            ),
        )

    return Entity(
        id=entity_id(list_id, row["_id"]),
        list_id=list_id,
        reference=row["entity_number"] or row["_id"],
        kind=kind,
        names=tuple(uniq_by((n for n in names if n.full), lambda name: name.full)),
        addresses=tuple(dict.fromkeys(addresses)),
        countries=tuple(dict.fromkeys(countries)),
        nationalities=tuple(dict.fromkeys(nationalities)),
        birth_dates=tuple(dict.fromkeys(birth_dates)),
        birth_places=tuple(dict.fromkeys(_split(row["places_of_birth"]))),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programs=tuple(dict.fromkeys([code, *_split(row["programs"])])),
        listed_on=_iso_day(row["start_date"], file, location, "start_date"),
        remarks=row["remarks"] or None,
        links=links,
        details=tuple(dict.fromkeys(details)),
    )


def _address(text: str) -> Address:
    text = text.removeprefix("and ").strip()
    last = text.rsplit(",", 1)[-1].strip()
    return Address(text, country=to_iso(last))


def _identifier(entry: str, details: list[tuple[str, str]]) -> Identifier | None:
    """An "ids" entry as an Identifier; a statement entry goes into ``details`` instead."""
    label, _, rest = (part.strip() for part in entry.partition(","))
    parts = [p.strip() for p in rest.split(",")] if rest else []
    if _STATEMENTS.match(label) or not parts:
        key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "id"
        details.append((key, rest or label))
        return None
    dates: list[str] = []
    while len(parts) > 1 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", parts[-1]):
        dates.insert(0, parts.pop())
    country = None
    if len(parts) > 1 and len(parts[-1]) == 2 and to_iso(parts[-1]):
        country = to_iso(parts.pop())
    value = ", ".join(parts)
    if dates:
        details.append(("id_dates", f"{label} {value}: {' / '.join(dates)}"))
    return Identifier(id_type(label), value, country, label)


def birth_date(text: str) -> BirthDate | None:
    """A CSL date of birth as ISO (partial) date or range; None when not a date we can read."""
    cleaned = re.sub(
        r"^(circa|ca\.?|approximately|about)\s+", "", text.strip(), flags=re.IGNORECASE
    )
    if _ISO_DATE.fullmatch(cleaned):
        return BirthDate(cleaned)
    found = _RANGE.fullmatch(cleaned)
    if found:
        return BirthDate(found.group(1), found.group(2))
    for pattern, size in _WORDY_DATES:
        try:
            return BirthDate(dt.datetime.strptime(cleaned, pattern).date().isoformat()[:size])
        except ValueError:
            continue
    return None


def _iso_day(value: str, file: str, location: str, column: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ParseError(file, location, f"{column} {value!r} is not an ISO date") from None
