"""Scoring: how well one counterparty matches one listed record, explained feature by feature.

The algorithm is named and versioned (``ALGORITHM``); its weights live in ``Weights``. Every
function here is pure: the same query and record always give the same score, whether the
record came from a list (``/v1/screen``) or from the request (``/v1/compare``).

How a score is made:
1. **name** (the base): each query token is aligned with its best listed token. Tokens agree
   exactly, within a typo budget that grows with their length, by sound (``phonetic``), as
   an initial (in a person's name), or by consonants (Arabic script against Latin); very
   common name words count half. The aligned share of the query's weight, with words left
   over costing by position (a dropped middle name or patronymic little, a first or last
   name more, a query word in full), is the token score. Names split or joined differently
   are compared written without spaces ("Jinping" / "Jin Ping"); the better of the two
   counts. Numbers must agree: "Sea Star 1" is not "Sea Star 2".
2. **alias**: a weak or former alias counts a little less than a strong name.
3. **qualifiers** move the score when both sides state them: entity kind, birth date,
   country. An identifier that agrees exactly (IMO, passport, registration number, BIC,
   crypto address …) is a strong hit on its own; a vessel with another IMO number is not
   the same vessel.
4. **address**: alone, it is the score; beside a name, an agreeing address adds a little.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pycountry
from rapidfuzz.distance import OSA, Levenshtein

from service.countries import placed_detail, placed_in, same_place, to_iso
from service.matching.normalize import address_tokens, fold, identifier_key, name_tokens, phonetic, skeleton
from service.matching.tables import COMMON_NAME_WORDS
from service.matching.types import Comparison, Feature, Query

ALGORITHM = "ssm-1"
DEFAULT_THRESHOLD = 0.80
UNKNOWN_KIND = "any"  # a query, or a record compared with one, that does not say what it is


@dataclass(frozen=True)
class Weights:
    """Every tunable number of the algorithm, in one place."""

    typo_step: float = 0.08  # lost per edit within the typo budget
    short_typo_step: float = 0.16  # … in a word of four letters or fewer (Dong / Tong, Yang / Jang)
    phonetic: float = 0.88  # tokens that sound alike but are spelled beyond the budget …
    phonetic_letters: float = 0.7  # … and still share this much of their letters
    consonants: float = 0.85  # Arabic-script and Latin tokens with the same consonants
    initial: float = 0.85  # "V" against "Vladimir"
    initial_weight: float = 0.4  # how much an initial counts among a name's tokens
    common_word: float = 0.5  # how much a very common name word (Muhammad, Trading) counts
    query_patronymic_leftover: float = 0.3  # a query patronymic nobody matched costs this much …
    listed_end_leftover: float = 0.6  # … a listed first or last name nobody matched …
    listed_middle_leftover: float = 0.3  # … a listed middle name …
    listed_patronymic_leftover: float = 0.2  # … a listed patronymic
    all_inexact: float = 0.92  # × a short name none of whose words agrees exactly
    concat_step: float = 0.05  # lost per edit when comparing the names without spaces
    numbers_differ: float = 0.55  # × score when both names carry numbers and they differ
    number_missing: float = 0.8  # × score when only one side carries a number
    weak_alias: float = -0.06
    former_name: float = -0.02
    kind_mismatch: float = -0.10  # organisation vs vessel, …
    person_mismatch: float = -0.20  # person vs anything else
    birth_exact: float = 0.05
    birth_year: float = 0.03
    birth_one_year: float = -0.03
    birth_few_years: float = -0.12  # 2–5 years apart
    birth_far: float = -0.30  # more than 5 years apart
    country_match: float = 0.03
    country_mismatch: float = -0.05
    identifier_match: float = 0.97  # the score an agreeing identifier lifts a record to
    imo_mismatch: float = -0.30
    address_bonus: float = 0.05  # a name hit whose address agrees too
    address_bonus_floor: float = 0.75  # address similarity needed for the bonus
    address_unspecific: float = 0.5  # the most an address agreeing in under two real words scores


WEIGHTS = Weights()
# The most the qualifiers can add to a name's score (birth date, country, address).
MAX_BONUS = WEIGHTS.birth_exact + WEIGHTS.country_match + WEIGHTS.address_bonus


def max_bonus(pq: PreparedQuery) -> float:
    """The most this query's qualifiers can add to a name's score: only those it states."""
    return (
        (WEIGHTS.birth_exact if pq.birth is not None else 0.0)
        + (WEIGHTS.country_match if pq.query.country else 0.0)
        + (WEIGHTS.address_bonus if pq.address is not None else 0.0)
    )

# Identifier types that name one thing only: a match is decisive.
STRONG_IDENTIFIERS = frozenset(
    {
        "imo",
        "mmsi",
        "passport",
        "national_id",
        "tax_number",
        "registration_number",
        "swift_bic",
        "crypto_address",
        "aircraft_serial",
        "aircraft_tail",
        "email",
    }
)
# Words of country names (ISO 3166, via pycountry): in an address they say where, not who.
COUNTRY_WORDS = frozenset(
    word
    for country in pycountry.countries
    for name in (country.name, getattr(country, "common_name", ""), getattr(country, "official_name", ""))
    for word in fold(name).split()
    if len(word) > 2
)
# Address words that say little on their own.
GENERIC_ADDRESS_WORDS = frozenset(
    {
        "street",
        "road",
        "avenue",
        "lane",
        "building",
        "floor",
        "apartment",
        "suite",
        "office",
        "room",
        "number",
        "house",
        "city",
        "district",
        "region",
        "province",
        "block",
        "unit",
        "po",
        "box",
        "the",
        "of",
    }
)


# --- prepared forms ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreparedName:
    full: str  # as written
    type: str  # a NameType value
    tokens: tuple[str, ...]
    phonetics: tuple[str, ...]
    concat: str  # the tokens written without spaces
    numbers: frozenset[str]
    legal_forms: tuple[str, ...]
    abjad: bool  # written in Arabic or Hebrew script: compared by consonants with Latin names
    skeletons: tuple[str, ...]
    weights: tuple[float, ...]  # how much each token counts (token_weight)
    query_costs: tuple[float, ...]  # what each token costs when the name is a query and it goes unmatched
    listed_costs: tuple[float, ...]  # … when the name is listed and it goes unmatched


@dataclass(frozen=True, slots=True)
class PreparedAddress:
    full: str
    tokens: tuple[str, ...]
    country: str | None


@dataclass(frozen=True, slots=True)
class BirthSpan:
    first: int  # year
    last: int  # year (== first unless a range)
    date: str | None  # the full date, when exact


@dataclass(frozen=True, slots=True)
class PreparedRecord:
    kind: str
    names: tuple[PreparedName, ...]
    countries: frozenset[str]
    births: tuple[BirthSpan, ...]
    identifiers: tuple[tuple[str, str | None], ...]  # (key, type)
    addresses: tuple[PreparedAddress, ...]


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    query: Query
    name: PreparedName | None
    address: PreparedAddress | None
    birth: BirthSpan | None
    identifiers: tuple[tuple[str, str | None], ...]
    # Name comparisons made for this query so far: (listed tokens, abjad, person) → match.
    memo: dict[tuple[tuple[str, ...], bool, bool], NameMatch] = field(default_factory=dict, compare=False)


def _prepare_name(full: str, type: str = "primary") -> PreparedName:
    parsed = name_tokens(full)
    tokens = parsed.tokens
    return PreparedName(
        full=full,
        type=type,
        tokens=tokens,
        phonetics=tuple(phonetic(t) for t in tokens),
        concat="".join(tokens),
        numbers=frozenset(t for t in tokens if _has_digit(t)),
        legal_forms=parsed.legal_forms,
        abjad=parsed.abjad,
        skeletons=tuple(skeleton(t) for t in tokens),
        weights=tuple(token_weight(t) for t in tokens),
        query_costs=_query_costs(tokens),
        listed_costs=_listed_costs(tokens),
    )


# Listed names are prepared once per index build, and a worker holds every list's names;
# queries get a cache of their own, small, so that a bulk file of a million distinct
# names cannot push the listed ones out or grow a worker's memory by gigabytes.
prepare_name = lru_cache(maxsize=300_000)(_prepare_name)
prepare_query_name = lru_cache(maxsize=20_000)(_prepare_name)


def prepare_address(full: str, country: str | None = None) -> PreparedAddress:
    return PreparedAddress(full=full, tokens=address_tokens(full), country=country)


def _birth_span(date: str, until: str | None = None) -> BirthSpan | None:
    try:
        first = int(date[:4])
        last = int(until[:4]) if until else first
    except (TypeError, ValueError):
        return None
    return BirthSpan(first, last, date if len(date) == 10 and not until else None)


def prepare_record(record: Mapping[str, Any]) -> PreparedRecord:
    """An entity dict (``service.model.to_dict`` form) made ready for scoring."""
    names = tuple(
        prepare_name(n["full"], n.get("type", "primary")) for n in record.get("names", ()) if n.get("full")
    )
    countries = set(record.get("countries", ())) | set(record.get("nationalities", ()))
    addresses = []
    for a in record.get("addresses", ()):
        if a.get("country"):
            countries.add(a["country"])
        line = a.get("full") or ", ".join(
            a[k] for k in ("street", "postal_code", "city", "region") if a.get(k)
        )
        if line:
            addresses.append(prepare_address(line, a.get("country")))
    births = tuple(
        span for b in record.get("birth_dates", ()) if (span := _birth_span(b["date"], b.get("until")))
    )
    identifiers = tuple(
        (key, i.get("type")) for i in record.get("identifiers", ()) if (key := identifier_key(i["value"]))
    )
    return PreparedRecord(
        kind=record.get("kind", UNKNOWN_KIND),
        names=names,
        countries=frozenset(countries),
        births=births,
        identifiers=identifiers,
        addresses=tuple(addresses),
    )


def prepare_query(query: Query) -> PreparedQuery:
    address = None
    if query.address is not None:
        line = query.address.one_line()
        if line:
            address = prepare_address(line, query.address.country)
    birth = _birth_span(query.birth_date) if query.birth_date else None
    identifiers = tuple(
        (key, i.type) for i in query.identifiers if (key := identifier_key(i.value))
    )
    name = prepare_query_name(query.name, "query") if query.name and query.name.strip() else None
    return PreparedQuery(query=query, name=name, address=address, birth=birth, identifiers=identifiers)


# --- names ------------------------------------------------------------------------------


def typo_budget(length: int) -> int:
    """Edits a token of this length may carry and still be the same word."""
    if length <= 3:
        return 0
    if length <= 8:
        return 1
    return 2


@lru_cache(maxsize=500_000)
def token_similarity(a: str, pa: str, b: str, pb: str, initials: bool = True) -> float:
    """How alike two tokens are, 0..1; 0.8 and over means "the same word". ``initials``: a
    letter may stand for a word (in a person's name; in a company's it is an acronym's)."""
    if a == b:
        return 1.0
    if _has_digit(a) or _has_digit(b):
        return 0.0  # numbers, registration marks and codes agree exactly or not at all
    if len(a) == 1 or len(b) == 1:
        return WEIGHTS.initial if initials and a[0] == b[0] else 0.0
    if _suffixed(a, b) or _suffixed(b, a):
        return 0.0  # Ahmad / Ahmadi, Petrov / Petrova: a name of its own, not a typo
    distance = OSA.distance(a, b)
    if distance <= typo_budget(min(len(a), len(b))) and (distance < 2 or a[0] == b[0]):
        step = WEIGHTS.short_typo_step if min(len(a), len(b)) <= 4 else WEIGHTS.typo_step
        return 1.0 - step * distance
    if distance == 1 and len(a) == len(b) == 3 and sorted(a) == sorted(b):
        return 1.0 - 2.5 * WEIGHTS.typo_step  # two letters swapped in a short word: San / Sna
    if distance == 1 and min(len(a), len(b)) in (2, 3) and len(a) != len(b):
        return 1.0 - 2.5 * WEIGHTS.typo_step  # a letter more or less in a short name: Kil / Kiil, Un / Eun
    similarity = Levenshtein.normalized_similarity(a, b)
    # Alike in sound and still mostly alike in letters: a transliteration variant
    # (Qaddafi / Kadhafi, Makhin / Mahin), not two short names that merely share a skeleton.
    if pa == pb and min(len(a), len(b)) >= 5 and max(len(a), len(b)) >= 6 and similarity >= WEIGHTS.phonetic_letters:
        return WEIGHTS.phonetic
    return 0.0


# What a letter of an Arabic-script name, transliterated, may be written as in Latin.
_ABJAD_LETTERS = {"y": "yie", "w": "wuov", "a": "aeiou", "q": "qkg", "k": "kqc", "j": "jgd"}


def _written_within(abjad: str, latin: str) -> bool:
    """Whether the letters an Arabic-script token writes (consonants and long vowels)
    appear in order in a Latin token: "zwahry" within "zawahiri", not within "zuhair"."""
    position = 0
    for letter in abjad:
        allowed = _ABJAD_LETTERS.get(letter, letter)
        while position < len(latin) and latin[position] not in allowed:
            position += 1
        if position == len(latin):
            return False
        position += 1
    return True


def consonant_similarity(a: str, b: str) -> float:
    """Tokens compared by their consonants alone, for a name written in a script without
    short vowels against a Latin one ("zwhry" / "zawahiri")."""
    if a == b and a.isalpha():
        return WEIGHTS.consonants
    if len(a) >= 4 and len(b) >= 4 and a.isalpha() and b.isalpha() and OSA.distance(a, b) == 1:
        return WEIGHTS.consonants - WEIGHTS.typo_step
    return 0.0


def _suffixed(a: str, b: str) -> bool:
    return len(b) >= 4 and len(a) == len(b) + 1 and a.startswith(b) and a[-1] in "iya"


_DIGIT = re.compile(r"\d")


def _has_digit(token: str) -> bool:
    return token.isalpha() is False and _DIGIT.search(token) is not None


def token_weight(token: str) -> float:
    if len(token) == 1:
        return WEIGHTS.initial_weight
    return WEIGHTS.common_word if token in COMMON_NAME_WORDS else 1.0


@dataclass(frozen=True, slots=True)
class NameMatch:
    score: float
    pairs: tuple[tuple[str, str, float], ...]  # (query token, listed token, similarity)
    method: str  # "tokens" or "concatenated"
    numbers: str | None  # "differ" / "missing" when numbers disagreed


PATRONYMIC = re.compile(r"(ovich|evich|ovna|evna|ichna|ivna|ogly|oglu|kyzy|qizi|uly)$")


@lru_cache(maxsize=100_000)  # asked for every token of every name comparison
def is_patronymic(token: str) -> bool:
    return len(token) > 6 and PATRONYMIC.search(token) is not None


def _query_costs(tokens: Sequence[str]) -> tuple[float, ...]:
    """What query tokens nobody matched cost: a patronymic the list leaves out ("Vladimir
    Vladimirovich Putin" against "Vladimir Putin") a little, any other word in full."""
    return tuple(token_weight(t) * (WEIGHTS.query_patronymic_leftover if is_patronymic(t) else 1.0) for t in tokens)


def _listed_costs(tokens: Sequence[str]) -> tuple[float, ...]:
    """What listed tokens nobody matched cost: a middle name or patronymic (dropped by the
    query) less than a first or last name."""
    last = len(tokens) - 1
    return tuple(
        token_weight(t)
        * (
            WEIGHTS.listed_end_leftover
            if i in (0, last)
            else WEIGHTS.listed_patronymic_leftover
            if is_patronymic(t)
            else WEIGHTS.listed_middle_leftover
        )
        for i, t in enumerate(tokens)
    )


def _patronymics_differ(q: PreparedName, used_q: set[int], c: PreparedName, used_c: set[int]) -> float:
    """Both names give a patronymic and they differ: another father, so another person.
    The query's patronymic then costs in full."""
    left_q = [i for i in _patronymic_positions(q.tokens) if i not in used_q]
    if left_q and any(j not in used_c for j in _patronymic_positions(c.tokens)):
        return sum(q.weights[i] - q.query_costs[i] for i in left_q)
    return 0.0


@lru_cache(maxsize=100_000)  # asked twice for every name comparison
def _patronymic_positions(tokens: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(i for i, t in enumerate(tokens) if is_patronymic(t))


def _concatenated(q: PreparedName, c: PreparedName) -> float:
    """The names compared written without spaces, the listed one in each of its rotations
    ("Xi Jin Ping" against "XI Jinping" and against "Jinping XI"); 0 unless nearly equal."""
    tokens = c.tokens
    best = 0.0
    for start in range(len(tokens)):
        written = "".join(tokens[start:] + tokens[:start])
        distance = Levenshtein.distance(q.concat, written, score_cutoff=len(q.concat) // 12)
        if distance <= len(q.concat) // 12:
            best = max(best, 1.0 - WEIGHTS.concat_step * distance)
    return best


def compare_names(q: PreparedName, c: PreparedName, person: bool = True) -> NameMatch:
    """Token-aligned and whole-name similarity of two prepared names; ``person``: the
    listed party may be a person, so a single letter may be an initial."""
    if not q.tokens or not c.tokens:
        return NameMatch(0.0, (), "tokens", None)
    if q.tokens == c.tokens and not q.numbers:  # the same words in the same order
        return NameMatch(1.0, tuple((t, t, 1.0) for t in q.tokens), "tokens", None)
    # Greedy one-to-one alignment, best pairs first (names are a handful of tokens).
    consonants = q.abjad != c.abjad  # one side written without short vowels
    candidates = []
    for i, (qt, qp) in enumerate(zip(q.tokens, q.phonetics)):
        for j, (ct, cp) in enumerate(zip(c.tokens, c.phonetics)):
            sim = 1.0 if qt == ct else token_similarity(qt, qp, ct, cp, person)
            if consonants and sim < WEIGHTS.consonants:
                abjad, latin = (qt, ct) if q.abjad else (ct, qt)
                if len(abjad) >= 3 and _written_within(abjad, latin):
                    sim = max(sim, consonant_similarity(q.skeletons[i], c.skeletons[j]))
            if sim > 0.0:
                candidates.append((sim, i, j))
    candidates.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs = []
    matched = 0.0
    matched_weight = 0.0
    for sim, i, j in candidates:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        weight = min(q.weights[i], c.weights[j])
        matched += sim * weight
        matched_weight += weight
        pairs.append((q.tokens[i], c.tokens[j], round(sim, 3)))
    denominator = (
        matched_weight
        + sum(cost for i, cost in enumerate(q.query_costs) if i not in used_q)
        + sum(cost for j, cost in enumerate(c.listed_costs) if j not in used_c)
        + _patronymics_differ(q, used_q, c, used_c)
    )
    score = matched / denominator if denominator else 0.0
    if pairs and all(sim < 1.0 for _, _, sim in pairs) and len(q.tokens) <= 2:
        # A short name of which no word agrees exactly; across scripts (never exact), a
        # one-word name only.
        if not consonants or len(q.tokens) == 1:
            score *= WEIGHTS.all_inexact
    method = "tokens"
    # Written without spaces, for names split or joined differently ("Jin Ping" / "Jinping").
    if len(q.tokens) != len(c.tokens) and len(q.concat) >= 4:
        concat_score = _concatenated(q, c)
        if concat_score > score:
            score, method = concat_score, "concatenated"

    numbers = None
    if q.numbers != c.numbers:
        if q.numbers and c.numbers:
            score *= WEIGHTS.numbers_differ
            numbers = "differ"
        else:
            score *= WEIGHTS.number_missing
            numbers = "missing"
    return NameMatch(score, tuple(pairs), method, numbers)


# --- qualifiers -------------------------------------------------------------------------


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _kind_feature(query_kind: str, kind: str) -> Feature | None:
    if UNKNOWN_KIND in (query_kind, kind) or query_kind == kind:
        return None
    delta = WEIGHTS.person_mismatch if "person" in (query_kind, kind) else WEIGHTS.kind_mismatch
    return Feature("kind", delta, f"query is {_a(query_kind)}, listed entity is {_a(kind)}")


def _birth_feature(birth: BirthSpan | None, record: PreparedRecord) -> Feature | None:
    # A record of unknown kind that gives a birth date is taken at its word: only people have one.
    if birth is None or not record.births or record.kind not in ("person", UNKNOWN_KIND):
        return None
    if birth.date and any(span.date == birth.date for span in record.births):
        return Feature("birth_date", WEIGHTS.birth_exact, f"birth date {birth.date} agrees")
    gap = min(
        0 if span.first <= birth.first <= span.last else min(abs(birth.first - s) for s in (span.first, span.last))
        for span in record.births
    )
    listed = ", ".join(
        span.date or (str(span.first) if span.first == span.last else f"{span.first}-{span.last}")
        for span in record.births
    )
    if gap == 0:
        exact_both = birth.date and all(span.date for span in record.births)
        if exact_both:  # same year, another day
            return Feature("birth_date", 0.0, f"birth year {birth.first} agrees, the date differs ({listed})")
        return Feature("birth_date", WEIGHTS.birth_year, f"birth year {birth.first} agrees ({listed})")
    if gap == 1:
        delta = WEIGHTS.birth_one_year
    elif gap <= 5:
        delta = WEIGHTS.birth_few_years
    else:
        delta = WEIGHTS.birth_far
    return Feature("birth_date", delta, f"born {birth.first}, listed {listed}: {gap} years apart")


def _country_feature(country: str | None, record: PreparedRecord) -> Feature | None:
    if not country or not record.countries:
        return None
    if (place := placed_in(country, record.countries)) is not None:  # also HK and a listed "Hong Kong, China"
        return Feature("country", WEIGHTS.country_match, placed_detail(country, place))
    listed = ", ".join(sorted(record.countries))
    return Feature("country", WEIGHTS.country_mismatch, f"{country} is not among the listed countries ({listed})")


def _compatible(type_a: str | None, type_b: str | None) -> bool:
    return type_a is None or type_b is None or type_a == type_b or "other" in (type_a, type_b)


def identifier_match(
    query_ids: Sequence[tuple[str, str | None]], record: PreparedRecord
) -> tuple[str, str | None] | None:
    """The first identifier the query and the record share (same value, compatible type)."""
    for key, qtype in query_ids:
        for lkey, ltype in record.identifiers:
            if key == lkey and _compatible(qtype, ltype) and len(key) >= 4:
                return key, ltype or qtype
    return None


def _imo_conflict(query_ids: Sequence[tuple[str, str | None]], record: PreparedRecord) -> tuple[str, str] | None:
    query_imo = {k for k, t in query_ids if t == "imo"}
    listed_imo = {k for k, t in record.identifiers if t == "imo"}
    if query_imo and listed_imo and not query_imo & listed_imo:
        return min(query_imo), min(listed_imo)
    return None


# --- addresses --------------------------------------------------------------------------


@lru_cache(maxsize=50_000)
def is_country_word(token: str) -> bool:
    return token in COUNTRY_WORDS or (len(token) > 3 and to_iso(token) is not None)


def _address_token_weight(token: str) -> float:
    if token in GENERIC_ADDRESS_WORDS or is_country_word(token):
        return 0.2
    if token.isdigit():
        return 1.0
    return 1.0 if len(token) > 2 else 0.3


def address_similarity(q: PreparedAddress, c: PreparedAddress) -> float:
    """Matched weight over both addresses' weight: 1 when they say the same, low when one
    names only a city the other is in."""
    if not q.tokens or not c.tokens:
        return 0.0
    remaining = list(c.tokens)
    matched = 0.0
    distinctive = 0  # agreeing words that are not generic (street, building …)
    for token in q.tokens:
        best, best_sim = None, 0.0
        for other in remaining:
            if token == other:
                best, best_sim = other, 1.0
                break
            if not token.isdigit() and not other.isdigit() and len(token) > 3:
                sim = 1.0 - WEIGHTS.typo_step * OSA.distance(token, other)
                if OSA.distance(token, other) <= typo_budget(min(len(token), len(other))) and sim > best_sim:
                    best, best_sim = other, sim
        if best is not None:
            remaining.remove(best)
            matched += best_sim * _address_token_weight(token)
            distinctive += token not in GENERIC_ADDRESS_WORDS and not is_country_word(token)
    total = sum(map(_address_token_weight, q.tokens)) + sum(map(_address_token_weight, c.tokens))
    similarity = 2 * matched / total if total else 0.0
    if distinctive < 2:
        # A city or a country alone says where, not who: never a hit on its own.
        similarity = min(similarity, WEIGHTS.address_unspecific)
    if q.country and c.country and not same_place(q.country, c.country):
        similarity *= 0.5
    return similarity


def best_address(q: PreparedAddress, addresses: Iterable[PreparedAddress]) -> tuple[float, PreparedAddress | None]:
    best: tuple[float, PreparedAddress | None] = (0.0, None)
    for address in addresses:
        sim = address_similarity(q, address)
        if sim > best[0]:
            best = (sim, address)
    return best


# --- the whole record -------------------------------------------------------------------


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def _alias_feature(name: PreparedName) -> Feature | None:
    if name.type == "weak_aka":
        return Feature("alias", WEIGHTS.weak_alias, f"'{name.full}' is a weak (low-quality) alias")
    if name.type == "fka":
        return Feature("alias", WEIGHTS.former_name, f"'{name.full}' is a former name")
    return None


def best_name(
    q: PreparedName,
    names: Iterable[PreparedName],
    person: bool = True,
    memo: dict[tuple[tuple[str, ...], bool, bool], NameMatch] | None = None,
) -> tuple[NameMatch, PreparedName] | None:
    """The listed name that matches the query name best, weak aliases discounted.
    ``memo``: comparisons already made for this query (the same name is listed by several
    lists, and under several entities)."""
    best: tuple[float, NameMatch, PreparedName] | None = None
    for name in names:
        if memo is None:
            match = compare_names(q, name, person)
        else:
            key = (name.tokens, name.abjad, person)
            match = memo.get(key)  # type: ignore[assignment]
            if match is None:
                match = memo[key] = compare_names(q, name, person)
        adjusted = match.score + (
            WEIGHTS.weak_alias if name.type == "weak_aka" else WEIGHTS.former_name if name.type == "fka" else 0.0
        )
        if best is None or adjusted > best[0]:
            best = (adjusted, match, name)
    return (best[1], best[2]) if best else None


def _name_detail(query: PreparedName, listed: PreparedName, match: NameMatch) -> str:
    aligned = ", ".join(f"{a}~{b}" + ("" if s == 1.0 else f" {s:.2f}") for a, b, s in match.pairs)
    detail = f"'{query.full}' ~ '{listed.full}' ({match.method}: {aligned})"
    if match.numbers == "differ":
        detail += "; the numbers differ"
    elif match.numbers == "missing":
        detail += "; a number appears on one side only"
    return detail


def score(pq: PreparedQuery, record: PreparedRecord, floor: float = 0.0) -> Comparison:
    """Score one prepared query against one prepared record, on all its names. A record
    whose name cannot bring it to ``floor`` is not explained (its features are empty)."""
    base: Feature | None = None  # the name (or, for an address-only query, the address)
    adjustments: list[Feature] = []
    matched_name: str | None = None
    person = record.kind in ("person", UNKNOWN_KIND)  # may be a person: a letter may be an initial
    if pq.name is not None and (found := best_name(pq.name, record.names, person, pq.memo)) is not None:
        match, listed = found
        if match.score + max_bonus(pq) < floor and not pq.identifiers:
            return Comparison(round(_clamp(match.score), 4), pq.name.full, listed.full, ())
        matched_name = listed.full
        base = Feature("name", round(match.score, 4), _name_detail(pq.name, listed, match))
        if (alias := _alias_feature(listed)) is not None:
            adjustments.append(alias)

    if pq.address is not None and record.addresses:
        similarity, address = best_address(pq.address, record.addresses)
        if address is not None and pq.name is None:
            base = Feature("address", round(similarity, 4), f"'{pq.address.full}' ~ '{address.full}'")
        elif address is not None and similarity >= WEIGHTS.address_bonus_floor:
            adjustments.append(
                Feature("address", WEIGHTS.address_bonus, f"address '{address.full}' agrees ({similarity:.2f})")
            )

    query = pq.query
    for feature in (
        _kind_feature(query.kind, record.kind),
        _birth_feature(pq.birth, record),
        _country_feature(query.country, record),
    ):
        if feature is not None:
            adjustments.append(feature)

    total = (base.contribution if base else 0.0) + sum(f.contribution for f in adjustments)
    if pq.identifiers:
        shared = identifier_match(pq.identifiers, record)
        if shared is not None:
            key, id_type = shared
            lifted = max(total, WEIGHTS.identifier_match)
            adjustments.append(
                Feature("identifier", round(lifted - total, 4), f"{id_type or 'identifier'} {key} agrees exactly")
            )
            total = lifted
        elif (conflict := _imo_conflict(pq.identifiers, record)) is not None:
            adjustments.append(
                Feature("identifier", WEIGHTS.imo_mismatch, f"IMO {conflict[0]} is not the listed IMO {conflict[1]}")
            )
            total += WEIGHTS.imo_mismatch

    return Comparison(
        score=round(_clamp(total), 4),
        query_name=pq.name.full if pq.name is not None else None,
        matched_name=matched_name,
        features=((base,) if base else ()) + tuple(adjustments),
    )


def compare(query: Query, record: Mapping[str, Any]) -> Comparison:
    """Score a counterparty against one record given as an entity dict."""
    return score(prepare_query(query), prepare_record(record))
