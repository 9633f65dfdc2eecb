"""What goes into a screening and what comes out of it, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("person", "organization", "vessel", "aircraft", "any")


@dataclass(frozen=True)
class AddressQuery:
    """An address as one line (``full``), as parts, or both."""

    full: str | None = None
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    region: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2

    def one_line(self) -> str:
        parts = [self.full, self.street, self.postal_code, self.city, self.region]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class IdentifierQuery:
    value: str
    type: str | None = None  # an IdType value, or None for "any type"


@dataclass(frozen=True)
class Query:
    """One counterparty to screen. A name, an address or an identifier is needed."""

    name: str | None = None
    kind: str = "any"  # one of KINDS
    address: AddressQuery | None = None
    country: str | None = None  # ISO 3166-1 alpha-2: residence, registration, nationality
    birth_date: str | None = None  # "1963-07-28", "1963-07" or "1963"
    identifiers: tuple[IdentifierQuery, ...] = ()
    lists: tuple[str, ...] | None = None  # restrict to these list ids
    threshold: float | None = None  # None: the algorithm's default
    limit: int = 10
    network_depth: int = 2  # links followed from a matched entity to a listed party; 0: none


@dataclass(frozen=True)
class Feature:
    """One ingredient of a score: what it is, how much it moved the score, and why."""

    name: str  # "name", "address", "identifier", "country", "birth_date", "kind", "alias_weakness" …
    contribution: float  # signed change to the score (the name feature carries the base score)
    detail: str  # for a person: "query 'vladimir putin' ~ listed 'putin vladimir vladimirovich'"


@dataclass(frozen=True)
class Comparison:
    """The score of one counterparty against one listed record, explained."""

    score: float  # 0..1
    query_name: str | None  # the query's name as given, when a name took part
    matched_name: str | None  # the listed name (as listed) that matched best, if any
    features: tuple[Feature, ...]


@dataclass(frozen=True)
class Hit:
    entity_id: str
    list_id: str
    reference: str
    kind: str
    listed_name: str  # the entity's primary name
    matched_name: str | None  # the listed name that matched (may be an alias)
    score: float
    match: bool  # score >= threshold
    features: tuple[Feature, ...]
    programs: tuple[str, ...] = ()


@dataclass(frozen=True)
class PathStep:
    """One link on the way from what the counterparty matched to a listed party."""

    from_id: str | None  # None: the counterparty itself (it shares an address with ``to_id``)
    from_name: str
    relation: str  # how ``from`` relates to ``to``: "owned_by", "same_address" … (service.network.graph)
    to_id: str
    to_name: str
    share: float | None  # ownership share in percent, where the link gives one
    source: str  # provenance: the list and record it was read from, or "derived: same address (…)"


@dataclass(frozen=True)
class LinkedHit:
    """A listed party reached through links from what the counterparty matched: an entity the
    list carries only as linked (a company a listed person owns), one that shares an address
    or identifier with a listed party, or the counterparty's own address."""

    entity_id: str  # the listed party reached
    list_id: str
    reference: str
    kind: str
    listed_name: str
    programs: tuple[str, ...]
    score: float  # the match score times the weight of every link on the path
    match: bool  # score >= threshold
    relation: str  # the first link's type, from the matched entity (or the counterparty)
    distance: int  # links on the path
    path: tuple[PathStep, ...]
    explanation: str  # the path in words
    matched_entity_id: str | None  # what the counterparty matched; None: its address did
    matched_name: str | None
    match_score: float  # how well the counterparty matched it
    features: tuple[Feature, ...]  # how the counterparty matched it
    blocked_by_extension: bool = False  # the matched entity is ≥ 50% owned by blocked parties
    ownership_share: float | None = None  # what listed/blocked parties hold of the matched entity


@dataclass(frozen=True)
class ScreenResult:
    screening_id: str
    algorithm: str  # e.g. "ssm-1"
    threshold: float
    lists: dict[str, str]  # list id → version used
    hits: tuple[Hit, ...]  # listed parties the counterparty itself matched
    candidates: int  # how many listed entities were scored (each on every one of its names)
    extra: dict[str, Any] = field(default_factory=dict)
    linked_hits: tuple[LinkedHit, ...] = ()  # listed parties reached through links

    def decision(self, review_threshold: float | None = None) -> str:
        """``hit`` if any hit or linked hit is a match, ``review`` if some were reported but
        none matches (only those scoring ``review_threshold`` or more, when given), else
        ``clear``. The one place a screening becomes a decision: /v1/screen, the CSV and jobs."""
        found: list[Hit | LinkedHit] = [*self.hits, *self.linked_hits]
        if any(hit.match for hit in found):
            return "hit"
        floor = -1.0 if review_threshold is None else review_threshold
        if any(hit.score >= floor for hit in found):
            return "review"
        return "clear"
