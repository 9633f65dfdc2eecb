"""Candidate selection: which few listed names are worth scoring for a query.

One ``ListIndex`` per list version, built in memory from the version's entity records:
each normalised token → the names that hold it (and each pair of adjacent tokens written
together, for names split or joined differently). Misspelt and re-transliterated query
tokens reach listed ones through a ``Vocabulary`` shared by every list's index:

* **deletion keys** (the "symmetric delete" trick): every word and each of its one-letter
  deletions (two-letter, for words of nine letters and more) point back to it, so a query
  word finds listed words an edit or two away with a few look-ups instead of a scan;
* **sound keys** (``normalize.phonetic``): Qaddafi finds Kadhafi;
* **consonant keys** (``normalize.skeleton``), for Arabic-script queries;
* **sound deletion keys** (ssm-2's sound key and its one-letter deletions): renderings in
  other languages and scripts whose letters differ a lot but whose sounds are an edit apart
  ("Prigoschin" / "Prigozhin", "Vladimiras" / "Vladimir").

A query word is also looked up as ssm-2 reads it: digits for letters made letters
("S0kol0v"), an ending taken off ("Putinas"), a particle written onto it taken off
("Delacruz"); a listed word with a particle written on it is also indexed without it.

Every candidate is verified with the scorer's own ``token_similarity``, so selection and
scoring agree on what "the same word" is.

A name can reach the reporting floor only if it shares enough of the query's weight. So
only the rarest query tokens' postings are walked, just enough of them that a name holding
none could not reach the floor (``_token_score_bound`` follows the scorer's costs); the
commoner tokens ("BANK", "MUHAMMAD") are then only checked on the names already found.
Names are ranked by the query weight they cover, then by the rarity (inverse document
frequency) of what they share; the best go on to the scorer.
"""

from __future__ import annotations

import heapq
import math
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from service.matching import ssm2
from service.matching.normalize import phonetic, skeleton
from service.matching.score import (
    GENERIC_ADDRESS_WORDS,
    WEIGHTS,
    PreparedAddress,
    PreparedName,
    PreparedRecord,
    consonant_similarity,
    is_patronymic,
    prepare_record,
    token_similarity,
)

if TYPE_CHECKING:
    from service.network.graph import ListNetwork

COMMON_ADDRESS_WORD = 2000  # an address word held by more entities than this is not walked
WALK_LIMIT = 50_000  # postings walked per listed token, at most
MIN_DELETE_LENGTH = 3  # shorter tokens must match exactly (or by sound)
TWO_EDIT_LENGTH = 9  # words this long may be two edits away (score.typo_budget): two-letter deletion keys
MIN_CONSONANTS = 2  # a one-consonant skeleton is too common to look up
EXPANSION_CACHE = 50_000  # query tokens whose expansions a worker remembers per list version
QUERY_TWO_EDIT_LENGTH = 6  # query words this long are looked up two deletions deep
MIN_SOUND_DELETE = 4  # shorter sound keys are too common to look up one letter apart
SEARCH_SIMILARITY = 0.75  # the least similarity (ssm-1's or ssm-2's) a listed word needs to be an expansion


@dataclass(frozen=True, slots=True)
class IndexedEntity:
    id: str
    reference: str
    kind: str
    name: str  # the primary name, for display
    programs: tuple[str, ...]
    record: PreparedRecord
    listed: bool = True  # False: the list carries it only as linked to listed parties


@dataclass(slots=True)
class Candidate:
    entity: int  # entity number in the index
    bound: float  # the most the token score of any of these names can be
    weight: float  # the shared tokens' rarity, for ranking
    names: list[int]  # name numbers worth scoring


def indexed_entity(entity: Mapping[str, Any]) -> IndexedEntity:
    """An entity record as the scorer and the hits need it (its names, qualifiers and
    display fields prepared once)."""
    record = prepare_record(entity)
    names = entity.get("names") or [{"full": entity.get("id", "")}]
    primary = next((n["full"] for n in names if n.get("type", "primary") == "primary"), names[0]["full"])
    return IndexedEntity(
        id=entity["id"],
        reference=entity.get("reference", ""),
        kind=record.kind,
        name=primary,
        programs=tuple(entity.get("programs", ())),
        record=record,
        listed=entity.get("listed", True),
    )


def _deletions(token: str, depth: int = 1) -> set[str]:
    """The token with one letter left out (and, at depth 2, with two)."""
    keys = {token[:i] + token[i + 1 :] for i in range(len(token))}
    if depth > 1:
        keys |= {key[:i] + key[i + 1 :] for key in list(keys) for i in range(len(key))}
    return keys


def _postings() -> defaultdict[str, array]:
    return defaultdict(lambda: array("I"))


def _token_score_bound(query: PreparedName, leftover: float = 1.0) -> Callable[[float], float]:
    """The most the scorer's token score can be for a name that covers query weight x.
    The query weight left uncovered costs at least its cheapest tokens' costs: a
    patronymic the list lacks costs ``query_patronymic_leftover`` of its weight, any other
    word ``leftover`` of it (ssm-1: all of it)."""
    total = sum(query.weights)
    patronymic = sum(w for t, w in zip(query.tokens, query.weights) if is_patronymic(t))
    cheap = min(WEIGHTS.query_patronymic_leftover, leftover)

    def bound(x: float) -> float:
        uncovered = max(0.0, total - x)
        cost = cheap * min(uncovered, patronymic) + leftover * max(0.0, uncovered - patronymic)
        return x / (x + cost) if x + cost > 0 else 0.0

    return bound


@lru_cache(maxsize=4096)
def _query_terms(
    tokens: tuple[str, ...], weights: tuple[float, ...], min_bound: float, leftover: float = 1.0
) -> tuple[Callable[[float], float], float]:
    """``_token_score_bound`` and ``_weight_needed`` of a query name: the same for every
    list a query is screened against, so made once per query, not once per list."""
    name = _Terms(tokens, weights)
    return _token_score_bound(name, leftover), _weight_needed(name, min_bound, leftover)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class _Terms:
    tokens: tuple[str, ...]
    weights: tuple[float, ...]


def _weight_needed(query: PreparedName, min_bound: float, leftover: float = 1.0) -> float:
    """The least covered weight x at which ``_token_score_bound`` reaches min_bound:
    x / (x + cost(total − x)) ≥ b, solved where the uncovered weight is more than the
    patronymics' (cost rises 1 per weight) and, failing that, where it is less (``cheap``)."""
    total = sum(query.weights)
    if min_bound <= 0 or total <= 0:
        return 0.0
    if min_bound >= 1:
        return total
    patronymic = sum(w for t, w in zip(query.tokens, query.weights) if is_patronymic(t))
    cheap = min(WEIGHTS.query_patronymic_leftover, leftover)
    k = min_bound / (1 - min_bound)  # x ≥ k · cost
    # Where the uncovered weight is more than the patronymics': cost = cheap·p + leftover·(total − x − p).
    x = k * leftover * (total - patronymic * (1 - cheap / leftover)) / (1 + k * leftover)
    if x < total - patronymic:
        return x
    return max(total - patronymic, k * cheap * total / (1 + k * cheap))


class Vocabulary:
    """Every word of the lists a worker holds, and the side tables that find a word's near
    spellings: deletion keys (the "symmetric delete" trick: every word and each of its
    one-letter deletions point back to it, so words an edit or two away are a few look-ups
    away), sound keys (``phonetic``) and consonant keys (``skeleton``). Shared by the lists'
    indexes; words are only ever added (a word of a replaced version costs a little memory
    and finds nothing, as no posting holds it)."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.deletion_keys: dict[str, list[str]] = {}
        self.sound_keys: dict[str, list[str]] = {}
        self.consonant_keys: dict[str, list[str]] = {}
        self.sound_deletion_keys: dict[str, list[str]] = {}
        self.broad_keys: dict[str, list[str]] = {}
        self._expansions: dict[tuple[str, bool], dict[str, float]] = {}
        self._lock = threading.Lock()

    def add(self, words: Iterable[str]) -> None:
        with self._lock:
            new = [w for w in words if w not in self.words and not w.isdigit()]
            for token in new:
                self.words.add(token)
                self.sound_keys.setdefault(phonetic(token), []).append(token)
                # Listed words by their ssm-2 sound as is (one key a word: every key is an
                # object a full garbage collection walks, which stalls requests while a
                # worker builds its index); a query's sound is also looked up with each of
                # its letters left out.
                self.sound_deletion_keys.setdefault(ssm2.sound(token), []).append(token)
                if len(consonants := skeleton(token)) >= MIN_CONSONANTS:
                    # A consonant more or less (al-Zahrani written together) is one edit.
                    keys = _deletions(consonants) | {consonants} if len(consonants) >= 4 else {consonants}
                    for key in keys:
                        self.consonant_keys.setdefault(key, []).append(token)
                # ssm-2's consonants as abjads and Indic scripts confuse them (p/b, v/f, ch/tsh).
                for key in {ssm2.broad_skeleton(token), ssm2.broad_skeleton(token, True)}:
                    if len(key) >= MIN_CONSONANTS:
                        self.broad_keys.setdefault(key, []).append(token)
                if len(token) >= MIN_DELETE_LENGTH:
                    for key in _deletions(token, 2 if len(token) >= TWO_EDIT_LENGTH else 1) | {token}:
                        self.deletion_keys.setdefault(key, []).append(token)
                elif len(token) > 1:  # "ra" is found from "ras", one letter more
                    self.deletion_keys.setdefault(token, []).append(token)
            if new:
                self._expansions = {}  # new words may be near spellings of cached ones

    def expand(self, token: str, abjad: bool = False) -> dict[str, float]:
        """Words that may be this query token, with their similarity (the scorer's own
        ``token_similarity``, so selection and scoring agree). ``abjad``: the query was
        written without short vowels, so words with the same consonants count too."""
        cache = self._expansions
        cached = cache.get((token, abjad))
        if cached is not None:
            return cached
        out: dict[str, float] = {}
        if token in self.words:
            out[token] = 1.0
        if not token.isdigit() and len(token) > 1:
            sound = phonetic(token)
            near: set[str] = set(self.sound_keys.get(sound, ()))
            for form in ssm2.search_forms(token):
                if form in self.words:
                    near.add(form)
                if len(form) >= MIN_DELETE_LENGTH:
                    # Two letters left out of a query word of six or more: with the listed
                    # words' own one-letter deletions, two slips in a 6-8 letter word meet.
                    for key in _deletions(form, 2 if len(form) >= QUERY_TWO_EDIT_LENGTH else 1) | {form}:
                        near.update(self.deletion_keys.get(key, ()))
                if len(form_sound := ssm2.sound(form)) >= MIN_SOUND_DELETE:
                    for key in _deletions(form_sound) | {form_sound}:
                        near.update(self.sound_deletion_keys.get(key, ()))
            for listed in near:
                if listed in out:
                    continue
                sim = max(
                    token_similarity(token, sound, listed, phonetic(listed)), ssm2.search_similarity(token, listed)
                )
                if sim >= SEARCH_SIMILARITY:
                    out[listed] = sim
            if abjad and len(consonants := skeleton(token)) >= MIN_CONSONANTS:
                keys = _deletions(consonants) | {consonants} if len(consonants) >= 4 else {consonants}
                for key in keys:
                    for listed in self.consonant_keys.get(key, ()):
                        out[listed] = max(out.get(listed, 0.0), consonant_similarity(consonants, skeleton(listed)))
            if abjad:
                for broad in {ssm2.broad_skeleton(token), ssm2.broad_skeleton(token, True)}:
                    keys = _deletions(broad) | {broad} if len(broad) >= 4 else {broad}
                    for key in keys:
                        for listed in self.broad_keys.get(key, ()):
                            sim, _ = ssm2.token_similarity(token, listed, True)
                            if sim >= SEARCH_SIMILARITY:
                                out[listed] = max(out.get(listed, 0.0), sim)
        if len(cache) >= EXPANSION_CACHE:
            cache.clear()
        cache[(token, abjad)] = out
        return out


class ListIndex:
    """The searchable form of one version of one list."""

    def __init__(
        self,
        list_id: str,
        version: str,
        entities: Iterable[Mapping[str, Any]],
        vocabulary: Vocabulary | None = None,
        records: Callable[[IndexedEntity], None] | None = None,
    ):
        """``vocabulary``: shared with the indexes of the other lists, so that a query word
        is looked up among near spellings once, not once per list. ``records``: where each
        prepared entity goes instead of ``self.entities`` (``service.index_file`` writes them
        to a file as they come; only the look-up tables are kept here)."""
        self.list_id = list_id
        self.version = version
        self._keep_records = records is None
        self._count = 0
        self._records: list[IndexedEntity] = []
        self.entities: Sequence[IndexedEntity] = self._records
        self._record_sink = self._records.append if records is None else records
        self.names: list[PreparedName] = []
        self.name_owner = array("I")
        self.name_keys: list[tuple[str, ...]] = []  # name number → its tokens and adjacent pairs
        self.postings = _postings()  # token → name numbers
        self.address_postings = _postings()  # address token → entity numbers
        self.identifiers: dict[str, list[int]] = defaultdict(list)  # identifier key → entity numbers
        self._words: set[str] = set()
        for entity in entities:
            self._add(entity)
        self.postings = dict(self.postings)  # type: ignore[assignment]
        self.address_postings = dict(self.address_postings)  # type: ignore[assignment]
        self.identifiers = dict(self.identifiers)
        self.vocabulary = Vocabulary() if vocabulary is None else vocabulary
        self.vocabulary.add(self._words)
        del self._words
        self._finish(self._count, len(self.name_owner))

    def _finish(self, entities: int, names: int) -> None:
        self.entity_count = entities
        self._log_names = math.log(names + 1)
        self._log_entities = math.log(entities + 1)
        self._expansions: dict[tuple[str, bool], dict[str, float]] = {}
        self._sizes: dict[tuple[str, bool], tuple[int, list[tuple[float, str]]]] = {}
        self.network: ListNetwork | None = None  # the version's links, set by whoever built it

    @classmethod
    def from_tables(
        cls,
        list_id: str,
        version: str,
        *,
        entities: Sequence[IndexedEntity],
        name_owner: Sequence[int],
        name_keys: Sequence[tuple[str, ...]],
        postings: Any,
        address_postings: Any,
        identifiers: Any,
        vocabulary: Vocabulary,
    ) -> ListIndex:
        """An index over tables built elsewhere (``service.index_file``: a memory-mapped file
        shared by the machine's processes). The tables answer as the dicts and lists built
        by ``__init__`` do (``get``, ``[]``, ``in``, ``len``), so the candidate selection
        below is one code for both."""
        index = cls.__new__(cls)
        index.list_id = list_id
        index.version = version
        index.entities = entities
        index.names = []
        index.name_owner = name_owner  # type: ignore[assignment]
        index.name_keys = name_keys  # type: ignore[assignment]
        index.postings = postings
        index.address_postings = address_postings
        index.identifiers = identifiers
        index.vocabulary = vocabulary
        index._finish(len(entities), len(name_owner))
        return index

    def __len__(self) -> int:
        return self.entity_count

    def _add(self, entity: Mapping[str, Any]) -> None:
        number = self._count
        self._count += 1
        indexed = indexed_entity(entity)
        record = indexed.record
        self._record_sink(indexed)
        seen_names: set[tuple[str, ...]] = set()
        for name in record.names:
            if not name.tokens or name.tokens in seen_names:
                continue
            seen_names.add(name.tokens)
            name_no = len(self.name_owner)
            if self._keep_records:
                self.names.append(name)
            self.name_owner.append(number)
            keys = set(name.tokens)
            # A particle written onto a word ("Delacruz") is found as the word without it.
            keys.update(alternate for t in name.tokens if (alternate := ssm2.without_particle(t)))
            self._words.update(keys)
            # Written together, as a transliteration may join them: "jin ping" → "jinping".
            keys.update(a + b for a, b in zip(name.tokens, name.tokens[1:]))
            self.name_keys.append(tuple(keys))
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

    def expand_sized(self, token: str, abjad: bool = False) -> tuple[dict[str, float], int]:
        """``expand``, with the number of names the expansions hold."""
        expansions, size, _ = self._expand_ranked(token, abjad)
        return expansions, size

    def _expand_ranked(self, token: str, abjad: bool = False) -> tuple[dict[str, float], int, list[tuple[float, str]]]:
        """``expand``, with the number of names the expansions hold and their ``_gains``
        (both remembered with the expansions: a bulk run asks for the same tokens again and again)."""
        key = (token, abjad)
        expansions = self.expand(token, abjad)
        sized = self._sizes.get(key)
        if sized is None:
            sized = self._sizes[key] = (sum(len(self.postings[t]) for t in expansions), self._gains(expansions))
        return expansions, sized[0], sized[1]

    def expand(self, token: str, abjad: bool = False) -> dict[str, float]:
        """This list's tokens that may be the query token, with their similarity: the
        vocabulary's near spellings that this list holds, and a listed pair written together
        ("jinping" for a listed "Jin Ping")."""
        cached = self._expansions.get((token, abjad))
        if cached is not None:
            return cached
        postings = self.postings
        out = {t: sim for t, sim in self.vocabulary.expand(token, abjad).items() if t in postings}
        if token in postings:
            out[token] = 1.0
        if len(self._expansions) >= EXPANSION_CACHE:
            self._expansions.clear()
            self._sizes.clear()
        self._expansions[(token, abjad)] = out
        return out

    def _gains(self, expansions: dict[str, float]) -> list[tuple[float, str]]:
        """(rarity × similarity, listed token) of a query token's expansions, weakest first."""
        return sorted((self._idf(len(self.postings[t])) * sim, t) for t, sim in expansions.items())

    def _walk(self, gains: list[tuple[float, str]]) -> dict[int, float]:
        """Every name holding one of the expansions (their ``_gains``) → the best gain among
        those it holds (dict updates in C: the strongest expansion is applied last and wins)."""
        best: dict[int, float] = {}
        for gain, listed in gains:
            postings = self.postings[listed]
            best.update(dict.fromkeys(postings if len(postings) <= WALK_LIMIT else postings[:WALK_LIMIT], gain))
        return best

    def _check(self, names: list[int], gains: list[tuple[float, str]], size: int) -> dict[int, float]:
        """Which of ``names`` hold one of the expansions (their ``_gains``; ``size``: the
        names those hold) → the best gain: by each name's own words when they are few, else
        by intersecting postings (in C)."""
        out: dict[int, float] = {}
        if size > 20 * len(names):  # a Python step per name costs about 20 C steps per posting
            gain_of = {t: g for g, t in gains}
            for name_no in names:
                found = [gain_of[t] for t in self.name_keys[name_no] if t in gain_of]
                if found:
                    out[name_no] = max(found)
        else:
            alive = set(names)
            for gain, listed in gains:
                out.update(dict.fromkeys(alive.intersection(self.postings[listed]), gain))
        return out

    def _after_one_walk(
        self,
        unwalked: list[tuple[int, float, list[tuple[float, str]]]],
        weight: dict[int, float],
        cover: dict[int, float],
        need: float,
        remaining: float,
    ) -> list[tuple[float, float, int]]:
        """``name_candidates`` after walking one token: every name found covers the same
        ``base``; only the names a later token adds to can rise above it."""
        base = next(iter(cover.values()), 0.0)
        extra: dict[int, float] = {}
        for size, span, gains in unwalked:
            if base + remaining >= need - 1e-9:
                alive: list[int] = list(cover)
            else:
                alive = [n for n, e in extra.items() if base + e + remaining >= need - 1e-9]
            remaining -= span
            for name_no, gain in self._check(alive, gains, size).items():
                weight[name_no] += gain
                extra[name_no] = extra.get(name_no, 0.0) + span
        for name_no, e in extra.items():
            cover[name_no] = base + e
        if base >= need - 1e-9:
            return [(cover[n], weight[n], n) for n in cover]
        return [(base + e, weight[n], n) for n, e in extra.items() if base + e >= need - 1e-9]

    def name_candidates(
        self, query: PreparedName, limit: int, min_bound: float = 0.0, leftover: float = 1.0
    ) -> list[Candidate]:
        """The names worth scoring, grouped by entity, each entity with an upper bound of
        the token score its names can reach; names that cannot reach ``min_bound`` are
        never looked at.

        A name reaches the bound only if it shares enough of the query's tokens; so only
        the rarest tokens' postings are walked, just enough of them that a name holding
        none of those could not reach the bound, and the commoner tokens are then only
        checked for the names found ("Muhammad" is never walked when "Qaddafi" is there).
        """
        weights = dict(zip(query.tokens, query.weights))
        total = sum(query.weights)
        # Initials are not looked up (too broad); count them as if they matched.
        optimistic = sum(w for t, w in weights.items() if len(t) == 1)
        short: set[str] = set()
        if query.abjad:
            # Consonant skeletons too short to look up ("mn" of "Ayman") may still match.
            # (ssm-2's broad skeleton keeps consonants a vowel separates: Hebrew ינון "ynwn" is "nn".)
            short = {
                t
                for t, c in zip(query.tokens, query.skeletons)
                if len(t) > 1 and len(c) < MIN_CONSONANTS and len(ssm2.broad_skeleton(t)) < MIN_CONSONANTS
            }
            optimistic += sum(weights[t] for t in short)
        items: list[tuple[int, float, list[tuple[float, str]]]] = []  # (size, span, gains)
        for token in dict.fromkeys(query.tokens):
            if len(token) > 1 and token not in short:
                _, size, gains = self._expand_ranked(token, query.abjad)
                span = weights[token] * query.tokens.count(token)  # "Ahmad, Ahmad" covers both
                items.append((size, span, gains))
        # Written together, a pair may be one listed token: "jin ping" → "jinping".
        for a, b in zip(query.tokens, query.tokens[1:]):
            if (a + b) in self.postings:
                items.append((len(self.postings[a + b]), weights[a] + weights[b], self._gains({a + b: 1.0})))
        items.sort(key=lambda item: item[0])
        bound, needed = _query_terms(query.tokens, query.weights, min_bound, leftover)
        need = needed - optimistic - 1e-9
        remaining = sum(span for _, span, _ in items)
        weight: dict[int, float] = {}  # name number → rarity of the query tokens it holds
        cover: dict[int, float] = {}  # name number → query weight it covers
        walked = 0
        for _, span, gains in items:
            if remaining < need - 1e-9:
                break
            remaining -= span
            walked += 1
            best = self._walk(gains)
            if not weight:
                weight, cover = best, dict.fromkeys(best, span)
                continue
            for name_no, gain in best.items():
                weight[name_no] = weight.get(name_no, 0.0) + gain
                cover[name_no] = cover.get(name_no, 0.0) + span
        if walked == 1:
            # Every name found so far covers the same weight: decide for all of them at once
            # and follow only the names the commoner tokens add to (no scans of all of them).
            reaching = self._after_one_walk(items[walked:], weight, cover, need, remaining)
        else:
            alive: Iterable[int] = cover
            for size, span, gains in items[walked:]:
                # Only names that can still reach the bound are worth checking further.
                alive = [n for n in alive if cover[n] + remaining >= need - 1e-9]
                remaining -= span
                for name_no, gain in self._check(alive, gains, size).items():
                    weight[name_no] += gain
                    cover[name_no] += span
            # A name reaches min_bound exactly when it covers the weight needed.
            reaching = [(cover[n], weight[n], n) for n in alive if cover[n] >= need - 1e-9]
        # Ranked by how much of the query a name covers, then by the rarity of what it shares.
        by_entity: dict[int, Candidate] = {}
        for _, name_weight, name_no in heapq.nlargest(limit, reaching):
            name_bound = bound(min(cover[name_no] + optimistic, total))
            entity_no = self.name_owner[name_no]
            candidate = by_entity.get(entity_no)
            if candidate is None:
                by_entity[entity_no] = Candidate(entity_no, name_bound, name_weight, [name_no])
            else:
                candidate.names.append(name_no)
                candidate.bound = max(candidate.bound, name_bound)
        return list(by_entity.values())

    def address_candidates(self, address: PreparedAddress, limit: int) -> list[int]:
        weight: dict[int, float] = defaultdict(float)
        for token in set(address.tokens):
            if token in GENERIC_ADDRESS_WORDS:
                continue
            postings = self.address_postings.get(token)
            if not postings or len(postings) > COMMON_ADDRESS_WORD:
                continue
            gain = self._log_entities - math.log(len(postings) + 1) + 0.1
            for number in postings:
                weight[number] += gain
        return [n for n, _ in heapq.nlargest(limit, weight.items(), key=lambda item: item[1])]

    def identifier_candidates(self, keys: Iterable[str]) -> list[int]:
        return [n for key in keys for n in self.identifiers.get(key, ())]
