"""What the OFAC XML parsers share: OFAC's vocabulary and the entity draft.

Both :mod:`service.sources.ofac_xml` (``SDN.XML``) and :mod:`service.sources.ofac_advanced`
(the advanced schema) label the same facts the same way ("Tax ID No.", "Gender", "Secondary
sanctions risk:"). This module says where a labelled OFAC value goes in the model, how a name
and an address line are put together, how a file's root is checked, and holds the draft an
entity is assembled in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    Name,
    NameType,
    entity_id,
)
from service.sources.base import read_head
from service.sources.labels import id_type, script_of
from service.sources.xml_stream import root_name

__all__ = [
    "KINDS", "Draft", "Malformed", "add_labelled", "check_root", "clean_label", "detail_key",
    "identifier", "list_id_for", "make_address", "person_name",
]  # fmt: skip

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

