"""The common entity model every list parser produces and every later stage reads.

Entities are frozen: a parser builds each one whole, the store serialises it, readers get
fresh copies back. ``to_dict``/``from_dict`` give the compact JSON form kept in Redis and
served by the API; empty fields are left out of it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


class NameType(StrEnum):
    PRIMARY = "primary"
    AKA = "aka"  # strong a.k.a.: as good as the primary name
    WEAK_AKA = "weak_aka"  # low-quality a.k.a. (OFAC "weak", UN "Low", UK "low quality")
    FKA = "fka"  # formerly known as / previous name
    ORIGINAL_SCRIPT = "original_script"  # the name as written in its own script


class IdType(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    TAX_NUMBER = "tax_number"  # INN, TIN, NIT, VAT, …
    REGISTRATION_NUMBER = "registration_number"  # OGRN, company number, business registration …
    IMO = "imo"
    MMSI = "mmsi"
    CALL_SIGN = "call_sign"
    AIRCRAFT_SERIAL = "aircraft_serial"  # manufacturer's serial number (MSN)
    AIRCRAFT_TAIL = "aircraft_tail"  # tail / registration mark
    SWIFT_BIC = "swift_bic"
    CRYPTO_ADDRESS = "crypto_address"
    EMAIL = "email"
    PHONE = "phone"
    WEBSITE = "website"
    OTHER = "other"


class LinkType(StrEnum):
    """How the entity that holds the link relates to its target: "<entity> <type> <target>"."""

    OWNED_BY = "owned_by"  # owned or controlled by (OFAC), Ownership (FtM, owner = target)
    DIRECTOR_OF = "director_of"  # director, officer, leader or official of the target
    FAMILY_OF = "family_of"
    ASSOCIATE_OF = "associate_of"
    LINKED_TO = "linked_to"  # any other or unspecified link (OFAC "Linked To:", FtM UnknownLink)


# What a link reads like from its target's side, for showing links one hop out.
INVERSE_LINK = {
    LinkType.OWNED_BY: "owns",
    LinkType.DIRECTOR_OF: "directed_by",
    LinkType.FAMILY_OF: "family_of",
    LinkType.ASSOCIATE_OF: "associate_of",
    LinkType.LINKED_TO: "linked_to",
}


@dataclass(frozen=True)
class Name:
    full: str
    type: NameType = NameType.PRIMARY
    script: str | None = None  # ISO 15924 code when known and not Latin ("Cyrl", "Arab", "Hani" …)


@dataclass(frozen=True)
class Address:
    full: str  # the whole address as one line, as printed in the list
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    region: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class BirthDate:
    """An exact date, a month, a year ("1963-07-28", "1963-07", "1963"), or a range."""

    date: str  # ISO 8601, possibly partial; the start of a range
    until: str | None = None  # the end of a range ("1960" … "1965"), inclusive


@dataclass(frozen=True)
class Identifier:
    type: IdType
    value: str
    country: str | None = None  # issuing country, ISO 3166-1 alpha-2
    label: str | None = None  # the list's own label: "INN", "Digital Currency Address - ETH" …


@dataclass(frozen=True)
class Link:
    type: LinkType
    target: str | None  # stable entity id of the target, when the list resolves it
    target_name: str | None = None  # the target's name as the list gives it
    share: float | None = None  # ownership share in percent, where given
    label: str | None = None  # the list's own wording: "Owned or Controlled By" …
    source: str | None = None  # provenance: where in the list this link was read


@dataclass(frozen=True)
class Entity:
    id: str  # "<list_id>:<source id>", stable across versions of the list
    list_id: str
    reference: str  # the list's own reference: OFAC ent_num, UN reference number, UK Group ID …
    kind: Kind
    names: tuple[Name, ...]
    addresses: tuple[Address, ...] = ()
    countries: tuple[str, ...] = ()  # ISO alpha-2: residence, registration, citizenship, flag …
    nationalities: tuple[str, ...] = ()  # ISO alpha-2
    birth_dates: tuple[BirthDate, ...] = ()
    birth_places: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programs: tuple[str, ...] = ()
    listed_on: str | None = None  # ISO date the party was listed
    remarks: str | None = None
    links: tuple[Link, ...] = ()
    # Anything else worth showing an analyst: gender, title, position, vessel type, flag,
    # tonnage, aircraft model … as (key, value) pairs in list order.
    details: tuple[tuple[str, str], ...] = ()
    # False for a party a source carries only because it is linked to listed ones (an
    # OpenSanctions record that is not a target: a company owned by a listed person).
    listed: bool = True

    @property
    def name(self) -> str:
        """The primary name (the first name of the entity if none is marked primary)."""
        for name in self.names:
            if name.type is NameType.PRIMARY:
                return name.full
        return self.names[0].full


_NESTED = {
    "names": Name,
    "addresses": Address,
    "birth_dates": BirthDate,
    "identifiers": Identifier,
    "links": Link,
}
_ENUM_FIELDS = {
    (Entity, "kind"): Kind,
    (Name, "type"): NameType,
    (Identifier, "type"): IdType,
    (Link, "type"): LinkType,
}


def _compact(obj: Any) -> Any:
    if isinstance(obj, tuple) and obj and isinstance(obj[0], tuple):
        return [list(pair) for pair in obj]
    if isinstance(obj, tuple):
        return [_compact(item) for item in obj]
    if hasattr(obj, "__dataclass_fields__"):
        out = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            if value is None or value == () or (value is True and f.default is True):
                continue
            out[f.name] = _compact(value)
        return out
    if isinstance(obj, StrEnum):
        return obj.value
    return obj


def to_dict(entity: Entity) -> dict[str, Any]:
    """The entity as plain JSON-able data, without empty fields."""
    return _compact(entity)


def _build(cls: type, data: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        enum = _ENUM_FIELDS.get((cls, f.name))
        if enum is not None:
            value = enum(value)
        elif f.name in _NESTED and cls is Entity:
            value = tuple(_build(_NESTED[f.name], item) for item in value)
        elif f.name == "details":
            value = tuple((k, v) for k, v in value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def from_dict(data: dict[str, Any]) -> Entity:
    """The inverse of :func:`to_dict`."""
    return _build(Entity, data)


def entity_id(list_id: str, source_id: str) -> str:
    return f"{list_id}:{source_id}"


__all__ = [
    "Address",
    "BirthDate",
    "Entity",
    "IdType",
    "INVERSE_LINK",
    "Identifier",
    "Kind",
    "Link",
    "LinkType",
    "Name",
    "NameType",
    "entity_id",
    "from_dict",
    "to_dict",
]
