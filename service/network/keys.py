"""Derived links: two entities that share a normalised address or an identifier are linked.

The lists name some links themselves (ownership, directorships, family); others only show
in the data: an importer registered at the same street address as a listed drone maker, a
company with a listed company's phone number or registration number. ``link_keys`` gives
an entity's keys; entities with a key in common are linked, with the key as provenance.

An address makes a key only when it pins down a building: a house number or postcode and at
least two other words once the generic words ("street", "office") and country names are
gone, so "Moscow, Russia" links nobody. Words are compared as a set, so word order and
abbreviations ("ul." = "street") do not matter. An identifier makes a key when its type
says it belongs to one party (a registration number, an IMO number, an e-mail address …),
under its letters and digits only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from service.matching.normalize import address_tokens, identifier_key
from service.matching.score import GENERIC_ADDRESS_WORDS, is_country_word
from service.model import IdType

SAME_ADDRESS = "same_address"
SAME_IDENTIFIER = "same_identifier"

# A key shared by more entities than this is a mass-registration address or a placeholder
# ("0000000"), not evidence of a tie: it links nobody.
MAX_GROUP = 50

# Identifiers that belong to one party; a passport number may be reissued to someone else
# in another country, but two listed records with the same one are worth an analyst's look.
LINKING_IDENTIFIERS = frozenset(
    {
        IdType.REGISTRATION_NUMBER,
        IdType.TAX_NUMBER,
        IdType.IMO,
        IdType.MMSI,
        IdType.SWIFT_BIC,
        IdType.CRYPTO_ADDRESS,
        IdType.EMAIL,
        IdType.PHONE,
        IdType.WEBSITE,
        IdType.PASSPORT,
        IdType.NATIONAL_ID,
        IdType.AIRCRAFT_SERIAL,
    }
)
MIN_IDENTIFIER = 6  # letters and digits: shorter ones collide by chance
# Labels of numbers that many parties share by design: a Russian KPP is the code of a tax
# office and a reason for registration, the same for every company registered there.
SHARED_BY_DESIGN = frozenset({"kpp"})


def address_line(address: Mapping[str, Any]) -> str:
    """An address as one line, the way the scorer reads it: the printed line, else its parts."""
    full = address.get("full")
    if full:
        return str(full)
    return ", ".join(str(address[k]) for k in ("street", "postal_code", "city", "region") if address.get(k))


def address_key(line: str) -> str | None:
    words = address_words(line)
    return "a:" + " ".join(sorted(words)) if words else None


def address_words(line: str) -> frozenset[str] | None:
    """The words of an address that pin down a building, or None if they do not."""
    words = set()
    for token in address_tokens(line):
        if token in GENERIC_ADDRESS_WORDS or is_country_word(token):
            continue
        if len(token) > 1 or token.isdigit():
            words.add(token)
    numbers = [w for w in words if any(ch.isdigit() for ch in w)]
    if not numbers or len(words) - len(numbers) < 2:
        return None
    return frozenset(words)


def identifier_link_key(value: str, type: str | None, label: str | None = None) -> str | None:
    if type not in LINKING_IDENTIFIERS or (label or "").strip().lower() in SHARED_BY_DESIGN:
        return None
    key = identifier_key(value)
    return "i:" + key if len(key) >= MIN_IDENTIFIER else None


def link_keys(entity: Mapping[str, Any]) -> tuple[str, ...]:
    """An entity's keys (entity-dict form, ``service.model.to_dict``), each once."""
    keys: dict[str, None] = {}
    for address in entity.get("addresses", ()):
        if key := address_key(address_line(address)):
            keys[key] = None
    for identifier in entity.get("identifiers", ()):
        if key := identifier_link_key(identifier["value"], identifier.get("type"), identifier.get("label")):
            keys[key] = None
    return tuple(keys)


def relation_of(key: str) -> str:
    return SAME_ADDRESS if key.startswith("a:") else SAME_IDENTIFIER


def describe(key: str) -> str:
    """Provenance of a derived link, for an analyst: what the two entities share."""
    kind = "address" if key.startswith("a:") else "identifier"
    return f"derived: same {kind} ({key[2:].lower() if kind == 'address' else key[2:]})"


def groups(members: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, list[str]]:
    """Key → the ids holding it, for keys held by 2 to MAX_GROUP entities."""
    by_key: dict[str, list[str]] = {}
    for entity_id, keys in members:
        for key in keys:
            by_key.setdefault(key, []).append(entity_id)
    return {key: ids for key, ids in by_key.items() if 2 <= len(ids) <= MAX_GROUP}
