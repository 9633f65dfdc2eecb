"""Candidate selection: which few listed names are worth scoring for a query.

One ``ListIndex`` per list version, built in memory from the version's entity records.
It maps each normalised token to the names that hold it, and reaches misspelt and
re-transliterated tokens through two side tables over the vocabulary:

* **deletion keys** (the "symmetric delete" trick): every token and every one-letter
  deletion of it points back to the token, so a query token finds listed tokens one or
  two edits away with a few dictionary look-ups instead of a scan;
* **sound keys** (``normalize.phonetic``): Qaddafi finds Gaddafi and Kadhafi.

Each listed name collects the inverse-document-frequency weight of the query tokens it
shares (rare tokens say more than "BANK" or "MUHAMMAD"); the best-weighted names go on to
the scorer. Tokens held by more than ``COMMON`` names are not walked at all: they only
count for names a rarer token already found, or, when a query has nothing rarer
("Muhammad Ali"), through the intersection of their postings.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import OSA

from service.matching.normalize import phonetic
from service.matching.score import (
    GENERIC_ADDRESS_WORDS,
    WEIGHTS,
    PreparedAddress,
    PreparedName,
    PreparedRecord,
    prepare_record,
    typo_budget,
)

COMMON = 2000  # an address token held by more entities than this is not walked
WALK_LIMIT = 50_000  # postings walked per listed token, at most
MIN_DELETE_LENGTH = 4  # shorter tokens must match exactly (or by sound)
EXPANSION_CACHE = 50_000  # query tokens whose expansions a worker remembers per list version


@dataclass(frozen=True, slots=True)
class IndexedEntity:
    id: str
    reference: str
    kind: str
    name: str  # the primary name, for display
    programs: tuple[str, ...]
    record: PreparedRecord


@dataclass(slots=True)
class Candidate:
    entity: int  # entity number in the index
    bound: float  # the most the token score of any of these names can be
    weight: float  # the shared tokens' rarity, for ranking
    names: list[int]  # name numbers worth scoring


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _postings() -> defaultdict[str, array]:
    return defaultdict(lambda: array("I"))


class ListIndex:
    """The searchable form of one version of one list."""

    def __init__(self, list_id: str, version: str, entities: Iterable[Mapping[str, Any]]):
        self.list_id = list_id
        self.version = version
        self.entities: list[IndexedEntity] = []
        self.names: list[PreparedName] = []
        self.name_owner = array("I")
        self.postings = _postings()  # token → name numbers
        self.address_postings = _postings()  # address token → entity numbers
        self.identifiers: dict[str, list[int]] = defaultdict(list)  # identifier key → entity numbers
        for entity in entities:
            self._add(entity)
        self.postings = dict(self.postings)  # type: ignore[assignment]
        self.address_postings = dict(self.address_postings)  # type: ignore[assignment]
        self.identifiers = dict(self.identifiers)
        self.deletion_keys: dict[str, list[str]] = defaultdict(list)
        self.sound_keys: dict[str, list[str]] = defaultdict(list)
        for token in self.postings:
            if not token.isdigit():
                self.sound_keys[phonetic(token)].append(token)
            if len(token) >= MIN_DELETE_LENGTH and not token.isdigit():
                self.deletion_keys[token].append(token)
                for key in _deletions(token):
                    self.deletion_keys[key].append(token)
        self.deletion_keys = dict(self.deletion_keys)
        self.sound_keys = dict(self.sound_keys)
        self._log_names = math.log(len(self.names) + 1)
        self._log_entities = math.log(len(self.entities) + 1)
        self._expansions: dict[str, dict[str, float]] = {}

    def __len__(self) -> int:
        return len(self.entities)

    def _add(self, entity: Mapping[str, Any]) -> None:
        number = len(self.entities)
        record = prepare_record(entity)
        names = entity.get("names") or [{"full": entity.get("id", "")}]
        primary = next((n["full"] for n in names if n.get("type", "primary") == "primary"), names[0]["full"])
        self.entities.append(
            IndexedEntity(
                id=entity["id"],
                reference=entity.get("reference", ""),
                kind=record.kind,
                name=primary,
                programs=tuple(entity.get("programs", ())),
                record=record,
            )
        )
        seen_names: set[tuple[str, ...]] = set()
        for name in record.names:
            if not name.tokens or name.tokens in seen_names:
                continue
            seen_names.add(name.tokens)
            name_no = len(self.names)
            self.names.append(name)
            self.name_owner.append(number)
            keys = set(name.tokens)
            # Written together, as a transliteration may join them: "jin ping" → "jinping".
            keys.update(a + b for a, b in zip(name.tokens, name.tokens[1:]))
            for token in keys:
                self.postings[token].append(name_no)
        address_keys = {
            t for address in record.addresses for t in address.tokens if t not in GENERIC_ADDRESS_WORDS and len(t) > 1
        }
        for token in address_keys:
            self.address_postings[token].append(number)
        for key, _ in record.identifiers:
            self.identifiers[key].append(number)

    # --- candidates ---------------------------------------------------------------------

    def _idf(self, df: int) -> float:
        return self._log_names - math.log(df + 1) + 0.1

    def expand(self, token: str) -> dict[str, float]:
        """Listed tokens that may be this query token, with their similarity."""
        cached = self._expansions.get(token)
        if cached is not None:
            return cached
        out: dict[str, float] = {}
        if token in self.postings:
            out[token] = 1.0
        if not token.isdigit() and len(token) > 1:
            if len(token) >= MIN_DELETE_LENGTH:
                budget = typo_budget(len(token))
                for key in _deletions(token) | {token}:
                    for listed in self.deletion_keys.get(key, ()):
                        if listed not in out:
                            distance = OSA.distance(token, listed)
                            if distance <= min(budget, typo_budget(len(listed))):
                                out[listed] = 1.0 - WEIGHTS.typo_step * distance
            for listed in self.sound_keys.get(phonetic(token), ()):
                out.setdefault(listed, WEIGHTS.phonetic)
        if len(self._expansions) >= EXPANSION_CACHE:
            self._expansions.clear()
        self._expansions[token] = out
        return out

    def name_candidates(self, query: PreparedName, limit: int, min_bound: float = 0.0) -> list[Candidate]:
        """The names worth scoring, grouped by entity, each entity with an upper bound of
        the token score its names can reach; names that cannot reach ``min_bound`` are
        never looked at.

        A name reaches the bound only if it shares enough of the query's tokens; so only
        the rarest tokens' postings are walked, just enough of them that a name holding
        none of those could not reach the bound, and the commoner tokens are then only
        checked for the names found ("Muhammad" is never walked when "Qaddafi" is there).
        """
        weights = [WEIGHTS.initial_weight if len(t) == 1 else 1.0 for t in query.tokens]
        total = sum(weights)
        # Initials are not looked up (too broad); count them as if they matched.
        optimistic = sum(w * WEIGHTS.initial for t, w in zip(query.tokens, weights) if len(t) == 1)
        items: list[tuple[int, float, dict[str, float]]] = []
        for token in dict.fromkeys(query.tokens):
            if len(token) > 1:
                expansions = self.expand(token)
                items.append((sum(len(self.postings[t]) for t in expansions), 1.0, expansions))
        # Written together, a pair may be one listed token: "jin ping" → "jinping".
        for a, b in zip(query.tokens, query.tokens[1:]):
            if (a + b) in self.postings:
                items.append((len(self.postings[a + b]), 2.0, {a + b: 1.0}))
        items.sort(key=lambda item: item[0])
        need = min_bound * total - optimistic
        remaining = sum(span for _, span, _ in items)
        found: dict[int, list[float]] = {}  # name number → [rarity weight, covered query weight]
        walked = 0
        for _, span, expansions in items:
            if remaining < need - 1e-9:
                break
            remaining -= span
            walked += 1
            best: dict[int, tuple[float, float]] = {}
            gains = sorted(
                ((self._idf(len(self.postings[t])) * sim, sim * span, t) for t, sim in expansions.items()),
                reverse=True,
            )
            for gain, covered, listed in gains:
                pair = (gain, covered)
                setdefault = best.setdefault
                for name_no in self.postings[listed][:WALK_LIMIT]:
                    setdefault(name_no, pair)
            for name_no, (gain, covered) in best.items():
                acc = found.get(name_no)
                if acc is None:
                    found[name_no] = [gain, covered]
                else:
                    acc[0] += gain
                    acc[1] += covered
        for _, span, expansions in items[walked:]:
            # Only names that can still reach the bound are worth checking further; they
            # are checked by their own tokens, a few look-ups each.
            found = {n: acc for n, acc in found.items() if acc[1] + remaining >= need - 1e-9}
            remaining -= span
            gain_of = {t: (self._idf(len(self.postings[t])) * sim, sim * span) for t, sim in expansions.items()}
            for name_no, acc in found.items():
                tokens = self.names[name_no].tokens
                best_gain = (0.0, 0.0)
                for token in (*tokens, *(a + b for a, b in zip(tokens, tokens[1:]))) if span > 1 else tokens:
                    token_gain = gain_of.get(token)
                    if token_gain is not None and token_gain[0] > best_gain[0]:
                        best_gain = token_gain
                acc[0] += best_gain[0]
                acc[1] += best_gain[1]
        by_entity: dict[int, Candidate] = {}
        for name_no, (weight, covered) in heapq.nlargest(limit, found.items(), key=lambda item: item[1][0]):
            bound = min(1.0, (min(covered, total) + optimistic) / total)
            if bound < min_bound:
                continue
            entity_no = self.name_owner[name_no]
            candidate = by_entity.get(entity_no)
            if candidate is None:
                by_entity[entity_no] = Candidate(entity_no, bound, weight, [name_no])
            else:
                candidate.names.append(name_no)
                candidate.bound = max(candidate.bound, bound)
        return list(by_entity.values())

    def address_candidates(self, address: PreparedAddress, limit: int) -> list[int]:
        weight: dict[int, float] = defaultdict(float)
        for token in set(address.tokens):
            if token in GENERIC_ADDRESS_WORDS:
                continue
            postings = self.address_postings.get(token)
            if not postings or len(postings) > COMMON:
                continue
            gain = self._log_entities - math.log(len(postings) + 1) + 0.1
            for number in postings:
                weight[number] += gain
        return [n for n, _ in heapq.nlargest(limit, weight.items(), key=lambda item: item[1])]

    def identifier_candidates(self, keys: Iterable[str]) -> list[int]:
        return [n for key in keys for n in self.identifiers.get(key, ())]
