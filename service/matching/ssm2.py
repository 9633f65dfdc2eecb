"""Scoring algorithm ``ssm-2``: one model of name similarity, every feature a bounded contribution.

ssm-1 (``score.py``) stays as it was, selectable per request and for replaying audit records.
ssm-2 keeps its qualifiers (kind, birth date, country, identifiers, address) and replaces how
two names are compared:

1. **Tokens** come from the same normalisation (``normalize.name_tokens``), after the
   scripts anyascii reads letter by letter are romanised as names are spelt in Latin
   (``transliterate``: Burmese, Hangul, kana, Devanagari, Bengali, Hebrew, Chinese company
   words, Japanese names in kanji), and are then
   made comparable across the ways people write names: digits written for letters
   ("S0kol0v"), titles in other languages ("Präsident", "Президент") dropped, runs of single
   letters joined ("U.K." → "uk"), a few country names made one ("United Kingdom" → "uk"),
   particles written onto a word ("Delacruz") also read without them, and words that say
   little about *which* party it is (Group, Holding, Concern, "and", a place in brackets)
   weighed lightly. A person's name keeps words that would be legal forms in a company's
   ("Pao", "Ao" are names).
2. **Token similarity** is the best of a few channels, each calibrated and capped below 1:
   the letters (edit distance relative to length; a doubled or dropped letter, a trailing
   vowel, an ending (-s, -as, plural) cost less than another letter), the sound key
   (``phonetic``: kh/h, ks/x, sch/sh, w/v …, compared by edit distance too), and the
   consonants for a name written in a script that leaves vowels out (Arabic, Hebrew, an
   Indic inherent a, a syllabary's silent vowels: ``vowelless_fit``). Short words (East-Asian
   syllables) lose more per letter: "Wei" is not "Wen".
3. **Alignment**: query and listed tokens are paired one to one, best first; a token may
   also pair with two adjacent tokens of the other side written together ("Soko lov",
   "Jin Ping"). The score is the matched weight times similarity over the matched weight
   plus what every unmatched word costs, on **both** sides: a listed first or last name
   the query lacks costs more than a middle name or patronymic, an organisation's listed
   word costs as much as a query word, and light words cost little.
4. **Whole-name channel**: the names written without spaces, compared by edit distance,
   for splits the alignment cannot see; the better of the two counts.
5. **Numbers** must agree ("Sea Star 1" is not "Sea Star 2").

Every contribution is bounded: no single channel or rule can take a near-identical pair
from 0.95 to 0.2, and the explanation lists the matched pairs (how and how alike), the
unmatched words of both sides with what each cost, and each qualifier.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA, Levenshtein

from service.matching import score as ssm1
from service.matching import spellings, transliterate
from service.matching.normalize import (
    _PHRASE_WORDS,
    LEADING_WORDS,
    _fuzzy_keys,
    _near,
    _variant,
    fold,
    name_tokens,
    phonetic,
    skeleton,
)
from service.matching.tables import COMMON_NAME_WORDS, LEGAL_FORMS, NAME_VARIANTS
from service.matching.types import Comparison, Feature, Query

ALGORITHM = "ssm-2"


@dataclass(frozen=True)
class Weights2:
    """Every tunable number of ssm-2, in one place."""

    # token similarity channels (each capped below 1: only the same word is 1)
    edit_per_length: float = 0.75  # lost per edit, relative to the longer word's length …
    short_edit_per_length: float = 1.5  # … in a word of 3 letters or fewer (syllables: Wei / Wen) …
    four_edit_per_length: float = 1.0  # … of 4 letters (Yang / Wang, Dong / Tong)
    reading: float = 0.95  # × the similarity of a word read in another language's Latin spelling …
    read_below: float = 0.88  # … of a word no word of the other side is this alike as written
    cheap_edit: float = 0.95  # a doubled letter, digits for letters, a particle written on
    ending: float = 0.9  # an ending more or less: -s, -as, -es, plural, a trailing vowel
    gender_ending: float = 0.75  # Petrov / Petrova: a relative as often as a typo
    phonetic_same: float = 0.9  # the same sound key (Kadhafi / Qaddafi)
    phonetic_edit: float = 0.9  # × the edit similarity of the sound keys …
    sound_letters: float = 0.6  # … of words at least this alike in letters
    consonants_same: float = 0.88  # Arabic/Hebrew script against Latin: the same consonants
    consonants_unfit: float = 0.8  # … but its vowel letters (vav, yod, alef) not where the Latin word has vowels
    consonants_edit: float = 0.8  # … one consonant apart
    consonants_short: float = 0.75  # … the same two consonants only
    joined: float = 0.97  # × a token against two of the other side written together
    initial: float = 0.85  # "V" against "Vladimir" (a person's name)
    nisba: float = 0.7  # a name and the family name made from it with -i: Ahmad / Ahmadi
    sound_letters_base_abjad: float = 0.85
    sound_letters_base: float = 0.7  # the same sound key counts this much, the rest by how alike the letters are
    sound_few_consonants: float = 0.72  # at most, for a sound key of two consonants or fewer (Sara / Seraj)
    other_syllable: float = 0.5  # Maung / Kaung, Chol / Chon: another syllable, another name
    romanised_syllable: float = 0.88  # Kwang / Gwang, Yeon / Yon: one syllable romanised two ways
    abbreviation: float = 0.85  # Est. / Establishment, Mgmt / Management (in an organisation's name)
    other_first_letter: float = 0.9  # × two edits or more apart and another first sound: Nikitin / Rakitin
    shared_ending_cost: float = 0.15  # at most, for two edits in the stem before a shared surname ending
    # token weights
    initial_weight: float = 0.4
    short_weight: float = 0.8  # a word of two or three letters
    common_weight: float = 0.5  # a very common name word (Muhammad, Trading)
    light_weight: float = 0.15  # Group, Holding, Concern, "and", "of"
    title_weight: float = 0.1  # a person's title or office, in any language
    bracket_weight: float = 0.3  # a word in brackets: usually a place
    # unmatched words cost (× their weight)
    query_leftover: float = 1.0
    query_patronymic_leftover: float = 0.3
    query_around_listed: float = 0.45  # an organisation's query words around a listed name it holds whole
    listed_end_leftover: float = 0.6  # a listed person's first or last name the query lacks
    listed_middle_leftover: float = 0.3
    listed_patronymic_leftover: float = 0.2
    listed_org_leftover: float = 0.8  # a listed organisation's word the query lacks
    # a near pair of a heavy word and a light (common) one: the heavy side's extra weight,
    # × what the pair falls short of the same word, counts as unmatched (Awad / Ahmad)
    near_common_shortfall: float = 1.0
    # calibration of a pair's similarity into evidence (see _evidence)
    same_word: float = 0.8
    evidence_floor: float = 0.55
    # whole-name channel
    whole_per_length: float = 1.5  # lost per edit relative to the length, names written without spaces
    whole_cap: float = 0.97
    # numbers
    numbers_differ: float = 0.55
    number_missing: float = 0.8


W = Weights2()

# Words that say little about which organisation it is: a party keeps its identity without them.
LIGHT_WORDS = frozenset(
    {
        "and", "of", "the", "for", "und", "et", "y", "i", "ve", "va", "og", "och",
        "group", "groups", "grupo", "gruppa", "grup", "groupe", "gruppe", "grupa",
        "holding", "holdings", "kholding", "kholdingi", "holdinq",
        "concern", "kontsern", "konzern", "koncern",
        "company", "co", "companies", "corporation", "corp", "incorporated",
        "goskorporatsiia", "goskorporatsiya", "goskorporaciya", "gosudarstvennaia", "gosudarstvennaya",
        "korporatsiia", "korporatsiya", "state", "stateowned",
        "international", "intl", "global", "worldwide",
        "enterprise", "enterprises", "industries", "industry", "industrial",
        "trading", "trade", "commercial", "services", "service",
        "federal", "national", "unitary", "predpriiatie", "predpriyatie", "federalnoe",
        "gosudarstvennoe", "unitarnoe",
        "research", "production", "scientific", "association", "design", "bureau", "budgetary",
        "institution", "plant", "factory", "zavod", "kombinat", "combine", "obedinenie", "obyedinenie",
        "nauchno", "proizvodstvennoe", "proizvodstvennoye", "npo", "nii", "okb", "kb", "fgup", "fgbu",
        "gup", "mup", "ao", "oao", "zao", "pao", "ooo",
        # Trading House (Торговый дом), Private Security Company (ЧОП): a kind of company, not which
        "house", "dom", "torgovyi", "torgovyy", "torgovyj", "security", "private", "chastnoe", "okhrannoe",
    }
)
# Abbreviations of organisation-name words that are not the word's first letters.
ABBREVIATIONS = {
    "mgmt": "management", "mgt": "management", "intl": "international", "natl": "national",
    "assn": "association", "dept": "department", "mfg": "manufacturing", "bros": "brothers",
    "ind": "industries", "inds": "industries", "svcs": "services", "tech": "technology",
    "univ": "university", "govt": "government", "hldgs": "holdings", "grp": "group",
}
# Words that join a name's parts in any name: "and", "of", and the articles normalisation keeps.
FUNCTION_WORDS = frozenset({"and", "of", "the", "und", "et", "la", "le", "los", "las", "les", "du", "des", "y"})
# Titles and offices in other languages, left in a name as people copy it ("Präsident Putin").
TITLE_WORDS = frozenset(
    {
        "president", "prasident", "praesident", "presidente", "prezident", "presiden", "prezydent",
        "presidentti", "elnok", "baskan", "cumhurbaskani", "rais", "raees", "raeis",
        "ministre", "minister", "ministr", "ministro", "premier", "premierminister",
        "general", "generalissimo", "colonel", "polkovnik", "senator", "deputat",
        "chairman", "direktor", "gendirektor",
        "sheikh", "shaikh", "sheik", "seyh", "shaykh", "sheykh", "cheikh",
        "mullah", "mulla", "maulawi", "mawlawi", "maulvi", "molvi", "maulana", "mawlana", "haji", "hajji",
        "alhaji", "mufti", "qari", "ustad", "hafiz",
        "mr", "mrs", "ms", "dr", "prof", "herr", "frau", "gospodin", "gospozha",
        "hon", "excellency",
        "jenderal", "generaal", "generale", "generał", "tabornok", "kenraali",
        "governor", "gobernador", "gouverneur", "gubernur", "governatore", "gubernator", "gubernatori",
        "docteur", "doktor", "dottore", "doutor", "doctor", "professor", "profesor",
        "coronel", "colonnello", "oberst", "kolonel", "pulkovnik", "kapitan", "capitan", "capitaine",
        "kaptan", "ambassador", "embajador", "ambassadeur", "botschafter", "senador", "senatore",
        "menteri", "ministerin", "bakan", "vazir", "wazir",
        # honorifics and offices of other languages: Italian, Spanish, Portuguese, French,
        # German, Turkish, Russian (посол: ambassador)
        "dott", "dottssa", "signor", "signora", "senor", "senora", "senhor", "senhora", "monsieur", "madame",
        "jeque", "scheich", "scheik", "sayin", "sayyin", "posol", "posolstvo",
        "abgeordneter", "abgeordnete", "depute", "deputee", "diputado", "diputada", "deputado", "deputada",
        "milletvekili", "amiral", "admiral", "almirante", "ammiraglio", "admiraal",
        "ambasador", "ambasciatore", "embaixador",
    }
) | LEADING_WORDS
# Countries and other phrases written both in full and abbreviated (after single letters are joined).
PHRASES = {
    ("united", "kingdom"): "uk",
    ("great", "britain"): "uk",
    ("united", "states"): "us",
    ("united", "states", "of", "america"): "us",
    ("usa",): "us",
    ("united", "arab", "emirates"): "uae",
    ("hong", "kong"): "hk",
    ("hongkong",): "hk",
    # Госкорпорация: the state corporation (ssm-1 strips "corporation" as a legal form).
    ("goskorporatsiya",): "state",
    ("goskorporatsiia",): "state",
    ("goskorporaciya",): "state",
}
_PHRASE_MAX = max(len(p) for p in PHRASES)
_PHRASE_FIRST = frozenset(p[0] for p in PHRASES)  # a word no phrase starts with is looked up no further
# Particles a name may be written with, on the word: "Delacruz", "Vandenberg", "Alzawahiri".
_JOINED_PARTICLES = tuple(
    sorted({"dela", "delas", "delos", "della", "del", "de", "van", "vander", "vanden", "vande",
            "von", "al", "el", "ibn", "bin", "ben", "bint", "abu", "das", "dos", "ter"}, key=len, reverse=True)
)
_PARTICLE_HEADS = frozenset(p[:2] for p in _JOINED_PARTICLES)
# The Arabic article joins a word of three letters too: Aldin (al-Din), Altai (al-Tai).
_ARTICLES = frozenset({"al", "el"})
# Titles and legal-form words misspelt by an edit are still what they are ("Colonep", "Obshchesvto").
_TITLE_KEYS = _fuzzy_keys(w for w in TITLE_WORDS if len(w) >= 5)
_FORM_WORDS = frozenset(_PHRASE_WORDS) | frozenset(p for p in LEGAL_FORMS if " " not in p and len(p) >= 5)
_FORM_KEYS = _fuzzy_keys(w for w in _FORM_WORDS if len(w) >= 5)
# Every spelling the variant tables make one ("Faycal", "Faisal" → "faisal"): a misspelt query
# word is compared with the spellings, not only with the canonical form it missed.
_SPELLINGS: dict[str, tuple[str, ...]] = {}
for _spelling, _canonical in NAME_VARIANTS.items():
    if _spelling != _canonical:
        _SPELLINGS[_canonical] = (*_SPELLINGS.get(_canonical, ()), _spelling)
# The canonical given names of the variant tables: two different ones are two names.
_CANONICAL_NAMES = frozenset(NAME_VARIANTS.values())
# Digits written for the letters they look like.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a", "$": "s"}
)
_LEET_DIGITS = frozenset("01345789")
# A number at the end of a word ("MiG29", "A320") or an ordinal ("7th", "21st"): not letters.
_NUMBER_IN_WORD = re.compile(r"[^\W\d_]\d{2,}$|^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_BETWEEN_LETTERS = re.compile(r"[^\W\d_]\d+[^\W\d_]")
_ALNUM_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
_VOWELS = frozenset("aeiouy")
_DOUBLED = re.compile(r"(.)\1+")
_BRACKETS = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")
_ENDINGS = ("ies", "es", "as", "is", "us", "ys", "s")  # plural, Baltic and Greek case endings
_GENDER_ENDINGS = ("a", "aya", "aia", "ova", "eva", "ina", "ska", "skaya", "skaia")


_ARMENIAN = re.compile(r"[\u0530-\u058f]")


@dataclass(frozen=True, slots=True)
class Name2:
    """A name made ready for ssm-2."""

    full: str
    type: str
    tokens: tuple[str, ...]
    alternates: tuple[str | None, ...]  # the token read without a particle written onto it
    readings: tuple[tuple[str, ...], ...]  # the token in another language's Latin spelling, read the English way
    patronymic: tuple[bool, ...]  # the token is a patronymic, in any of those spellings
    weights: tuple[float, ...]
    numbers: frozenset[str]
    digits: frozenset[str]  # the digits of words written with digits, as written (before digits for letters)
    abjad: bool  # vowels partly unwritten: Arabic, Hebrew, Indic, kana (see transliterate.script_of)
    script: str  # transliterate.script_of the name as written
    concat: str
    titles: tuple[str, ...]  # title words, weighed lightly
    person_form: bool  # tokenised as a person's name (legal-form words kept)
    # What every comparison of the name reads, worked out once when it is prepared (a listed
    # name is prepared once per index, and compared with every query that selects it).
    joined: tuple[str, ...] = field(init=False, compare=False)  # each two adjacent tokens written together
    listed_costs: tuple[float, ...] = field(init=False, compare=False)  # unmatched, as a name of its person_form

    def __post_init__(self) -> None:
        tokens = self.tokens
        object.__setattr__(self, "joined", tuple(a + b for a, b in zip(tokens, tokens[1:])))
        object.__setattr__(self, "listed_costs", tuple(_listed_costs(self, self.person_form)))


def leet(token: str) -> str:
    """ "s0kol0v" → "sokolov", "m4j1d1" → "majidi": a word mostly of letters, or with digits
    between letters, whose digits all look like letters; not a number at the end of a word
    ("MiG29", "A320")."""
    if token.isalpha():
        return token
    digits = sum(ch.isdigit() for ch in token)
    if not digits or not set(ch for ch in token if ch.isdigit()) <= _LEET_DIGITS or _NUMBER_IN_WORD.search(token):
        return token
    if digits * 2 >= len(token) and not _BETWEEN_LETTERS.search(token):
        return token
    return token.translate(_LEET)


def _leet_text(text: str) -> str:
    """Digits for letters read as letters in each word of a name, before it is tokenised, so
    that the word then splits and canonicalises as written in letters ("A8dul" → "abd ul")."""
    return _ALNUM_WORD.sub(lambda m: leet(m.group(0)) if _DIGIT.search(m.group(0)) else m.group(0), text)


def _join_letters(tokens: list[str]) -> list[str]:
    """Runs of two or more single letters are one abbreviation: "u k" → "uk"."""
    out: list[str] = []
    run: list[str] = []
    for token in tokens + [""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        out.extend(["".join(run)] if len(run) > 1 else run)
        run = []
        if token:
            out.append(token)
    return out


# Number words past ten, read as digits inside a longer name ("Star Eighteen" is "Star 18";
# normalisation reads one to ten).
NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        ("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
         "twenty"),
        start=11,
    )
} | {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
      "ninety": "90", "hundred": "100"}


def _phrases(tokens: list[str]) -> list[str]:
    if len(tokens) > 1:
        tokens = [NUMBER_WORDS.get(t, t) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in _PHRASE_FIRST:
            out.append(tokens[i])
            i += 1
            continue
        for size in range(min(_PHRASE_MAX, len(tokens) - i), 0, -1):
            found = PHRASES.get(tuple(tokens[i : i + size]))
            if found is not None:
                out.append(found)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=200_000)
def without_particle(token: str) -> str | None:
    if token[:2] not in _PARTICLE_HEADS:
        return None  # most words: no particle begins them
    for particle in _JOINED_PARTICLES:
        if token.startswith(particle) and len(token) - len(particle) >= (3 if particle in _ARTICLES else 4):
            rest = token[len(particle) :]
            return without_particle(rest) or rest
    return None


@lru_cache(maxsize=100_000)
def _is_title(word: str) -> bool:
    # Only a long title is recognised misspelt: a six-letter word one edit from a title is as
    # often a surname (Kaplan / Kaptan).
    return word in TITLE_WORDS or (len(word) >= 7 and _near(word, _TITLE_KEYS) is not None)


@lru_cache(maxsize=100_000)
def _is_form_word(word: str) -> bool:
    """A word of a legal form left in the name (misspelt past what normalisation strips)."""
    return word in _FORM_WORDS or (len(word) >= 6 and _near(word, _FORM_KEYS) is not None)


def _weight(token: str, bracketed: frozenset[str], organisation: bool) -> float:
    if len(token) == 1:
        return W.initial_weight
    if token in bracketed:
        return W.bracket_weight
    if organisation and (token in LIGHT_WORDS or _is_form_word(token)):
        return W.light_weight
    if token in FUNCTION_WORDS:
        return W.light_weight
    if token in COMMON_NAME_WORDS:
        return W.common_weight
    if len(token) <= 3 and not token.isdigit():
        return W.short_weight
    return 1.0


@lru_cache(maxsize=300_000)
def prepare(full: str, type: str = "primary", person: bool = False) -> Name2:
    """``person``: the name is a person's (or may be), so words that are legal forms in a
    company's name ("Pao", "Ao") are kept as name words."""
    script = transliterate.script_of(full)
    syllabic = transliterate.syllabic(full)
    full_text = transliterate.romanise(full)
    if _DIGIT.search(full_text):
        # The digits as written, for telling CheapShop5You from CheapShop4You, before they are read as letters.
        as_written = name_tokens(full_text, keep_legal_forms=person, keep_particles=syllabic)
        written_digits = frozenset(
            "".join(ch for ch in t if ch.isdigit()) for t in as_written.tokens if not t.isalpha()
        )
        parsed = name_tokens(_leet_text(full_text), keep_legal_forms=person, keep_particles=syllabic)
    else:
        written_digits = frozenset()
        parsed = name_tokens(full_text, keep_legal_forms=person, keep_particles=syllabic)
    words = list(parsed.tokens)
    if _ARMENIAN.search(full):  # the Armenian vowel ու is u ("Պուտին" → "powtin" → "putin")
        words = [w.replace("ow", "u") for w in words]
    if not person:
        words = _join_letters(words)
    # "Abdeul", "Abddul" split as "abd" + a fragment: the fragment is the misspelt connector.
    words = [w for i, w in enumerate(words) if not (i and words[i - 1] == "abd" and len(w) <= 3 and w.endswith("l"))]
    words = _phrases(words)
    tokens = tuple(words) or parsed.tokens
    # A person's title may stand anywhere ("Putin, Präsident") and weighs little; an
    # organisation's name keeps its words ("Ministry", "General" are part of it).
    titles = tuple(t for t in tokens if _is_title(t)) if person and len(tokens) > 1 else ()
    bracketed = frozenset(
        word for inside in _BRACKETS.findall(full) for word in _phrases(fold(inside).split())
    ) if "(" in full or "[" in full else frozenset()
    if all(t in bracketed for t in tokens):
        bracketed = frozenset()  # the whole name is in brackets
    organisation = not person
    read = (
        _written_readings(full, tokens)
        if not full.isascii() and spellings.CONVENTION_LETTERS.search(full)
        else ((),) * len(tokens)
    )
    return Name2(
        full=full,
        type=type,
        tokens=tokens,
        alternates=tuple(without_particle(t) for t in tokens),
        readings=read,
        patronymic=tuple(
            _is_patronymic(t) or any(ssm1.is_patronymic(r) for r in rs) for t, rs in zip(tokens, read)
        )
        if any(read)
        else tuple(map(_is_patronymic, tokens)),
        weights=tuple(W.title_weight if t in titles else _weight(t, bracketed, organisation) for t in tokens),
        # (a number in brackets is an address's: "(Tehran, 16588)")
        numbers=frozenset(
            t for t in tokens if not t.isalpha() and any(ch.isdigit() for ch in t) and t not in bracketed
        ),
        digits=written_digits - {""},
        abjad=parsed.abjad or script != "",
        script=script,
        concat="".join(tokens),
        titles=titles,
        person_form=person,
    )


_RAW_WORD = re.compile(r"[^\W\d_]+")


def _written_readings(full: str, tokens: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each token's readings (``spellings.readings``) by the word as written, where its
    diacritics say which spelling it is (Šors, Vladimirovičs); the words of a name written
    without them are read when compared (``_readings_of``)."""
    found: dict[str, tuple[str, ...]] = {}
    for raw in _RAW_WORD.findall(full.replace("'", "")):
        if not raw.isascii() and (read := spellings.readings(raw.lower())):
            found[fold(raw)] = read
    if not found:
        return ((),) * len(tokens)
    found.update({_variant(w): read for w, read in list(found.items())})
    return tuple(_english_forms(t, found.get(t, ())) for t in tokens)


def _english_forms(token: str, read: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r for r in (NAME_VARIANTS.get(r, r) for r in read) if r != token))


@lru_cache(maxsize=100_000)
def _token_readings(token: str) -> tuple[str, ...]:
    return _english_forms(token, spellings.readings(token))


def _readings_of(name: Name2, i: int) -> tuple[str, ...]:
    """A token's readings in other languages' Latin spellings: by its diacritics, else, in a
    query, by its letters (also a name transliterated from another script: Georgian
    "Iurievich"). A listed name is read by its diacritics only: lists write their names in
    English romanisation, queries in any."""
    return name.readings[i] or (_token_readings(name.tokens[i]) if name.type == "query" else ())


# A patronymic in other languages' spellings, as folded: -owitsch, -ovitsj, -owicz, -ovics,
# -ovičs, -ovičas, -oviç, -ovitch; -avich (Belarusian); -owna.
_FOREIGN_PATRONYMIC = re.compile(r"[aoe][vw]i(?:tsch|tsj|tch|cz|cs|cas|ch|c|s)$|[aoe][vw]na$")


@lru_cache(maxsize=100_000)
def _is_patronymic(token: str) -> bool:
    return ssm1.is_patronymic(token) or (len(token) > 6 and _FOREIGN_PATRONYMIC.search(token) is not None)


_BROAD = str.maketrans({"p": "b", "v": "f", "q": "k", "c": "k", "g": "k", "z": "s", "j": "i", "x": "ks"})
_VOWELS_OUT = str.maketrans({ch: None for ch in "aeiouyw"})
_BROAD_DIGRAPHS = (
    ("tsh", "c"), ("tch", "c"), ("ch", "c"), ("ts", "c"), ("sh", "s"), ("kh", "k"), ("ph", "f"), ("th", "t")
)


@lru_cache(maxsize=500_000)
def broad_skeleton(token: str, without_v: bool = False) -> str:
    """Consonants alone, with the letters an abjad or an Indic script confuses made one
    (p/b, v/f, ch/tsh/ts, sh/s, kh/k): "Shapovalov" and "شابوفالوف" → "sbflf".
    ``without_v``: v left out too, as Hebrew writes vav for v, o and u alike."""
    if not token.isalpha():
        return token
    token = _DOUBLED.sub(r"\1", token)  # a doubled letter is written once (shadda, dagesh)
    for a, b in _BROAD_DIGRAPHS:
        token = token.replace(a, b)
    if without_v:
        token = token.replace("v", "")
    # Vowels out, but consonants a vowel separates stay two: Potanin is "ptnn", not Putin's "ptn".
    return token.replace("w", "").replace("h", "").translate(_BROAD).translate(_VOWELS_OUT)


# Latin spellings of what a script that leaves vowels out writes: its consonant letters (as
# transliterated) and vowel letters. A digraph first. Each is (spellings, at least, at most
# times): a consonant may be doubled; a vowel letter (alef, vav, yod, a matra) stands for some
# vowel; alef and an Indic inherent "a" may be silent.
_MANY = 99
_VOWEL_LETTERS = tuple("aeiouy")
_Unit = tuple[tuple[str, ...], int, int]
_FIT_UNITS: dict[str, _Unit] = {
    key: (tuple(spellings.split()), least, most)
    for key, (spellings, least, most) in {
        "kh": ("kh ch h k x", 1, _MANY), "sh": ("sch sh ch s sz", 1, _MANY), "th": ("th t s", 1, _MANY),
        "dh": ("dh d z th", 1, _MANY), "gh": ("gh g", 1, _MANY), "ch": ("tch tsh ch c cz ts", 1, _MANY),
        "ts": ("ts tz c z s", 1, _MANY), "zh": ("zh j z g", 1, _MANY), "a": ("a e i o u y", 0, _MANY),
        "e": ("a e i o u y", 1, _MANY), "i": ("a e i o u y", 1, _MANY), "o": ("a e i o u y", 1, _MANY),
        "u": ("a e i o u y", 1, _MANY), "w": ("w v u o", 1, _MANY), "y": ("y i e j", 1, _MANY),
        "v": ("v w b f", 1, _MANY), "b": ("b p v", 1, _MANY), "p": ("p b f ph", 1, _MANY),
        "f": ("f ph v p", 1, _MANY), "k": ("ck kh k c q", 1, _MANY), "q": ("q k c g gh", 1, _MANY),
        "g": ("gh g j q", 1, _MANY), "j": ("dzh dj zh j g z", 1, _MANY), "z": ("z s dh zh th", 1, _MANY),
        "s": ("s c z th ts", 1, _MANY), "t": ("th t", 1, _MANY), "d": ("dh d", 1, _MANY), "h": ("h", 0, 1),
        "x": ("ks x kh h", 1, _MANY), "c": ("ch c k ts", 1, _MANY),
    }.items()
}  # fmt: skip
# A syllabary has one letter for l and r, and writes v and f with b and p (ラブロフ, 라브로프: Lavrov);
# it writes a vowel after every consonant, spoken or not.
_SYLLABARY_UNITS: dict[str, _Unit] = {
    "r": (("r", "l"), 1, _MANY), "l": (("r", "l"), 1, _MANY), "b": (("b", "p", "v", "f"), 1, _MANY),
    "p": (("p", "b", "f", "ph", "v"), 1, _MANY), **{v: (_VOWEL_LETTERS, 0, _MANY) for v in "aeiou"},
}  # fmt: skip
_FILLER: _Unit = (_VOWEL_LETTERS, 0, _MANY)  # short vowels, unwritten, between letters
_OPEN_TAIL = ((_VOWEL_LETTERS + ("h",), 0, _MANY),)  # an Indic inherent a, a syllabary's vowel
_ABJAD_TAIL = ((("e",), 0, 1), (("h",), 0, 1))  # an abjad writes a final vowel (Petrova פטרובה); Hocine
_LONG_VOWEL = re.compile(r"([aeiou])\1")
_FIT_SPLIT = re.compile("|".join(sorted(_FIT_UNITS, key=len, reverse=True)) + "|.")


@lru_cache(maxsize=200_000)
def _fit_units(token: str, script: str) -> tuple[tuple[_Unit, ...], int]:
    """The units ``token`` is spelt by in Latin, short vowels between them, and how many are
    letters that must be there (consonants, vav, yod)."""
    table = _SYLLABARY_UNITS if script == "syllabary" else {}
    units: list[_Unit] = []
    consonants = 0
    for letter in _FIT_SPLIT.findall(token):
        unit = table.get(letter) or _FIT_UNITS.get(letter) or ((letter,), 1, _MANY)
        units += [unit, _FILLER]
        consonants += unit[1] > 0 and letter not in "aeiouh"
    tail = _OPEN_TAIL if script in ("indic", "syllabary") else _ABJAD_TAIL
    return tuple(units[:-1]) + tail, consonants


def _spells(units: tuple[_Unit, ...], latin: str) -> bool:
    """Whether ``latin`` is exactly these units in order (a memoised walk, never exponential)."""
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    end = (len(units), len(latin))
    while stack:
        state = stack.pop()
        if state == end:
            return True
        if state in seen or state[0] == len(units):
            continue
        seen.add(state)
        i, at = state
        spellings, least, most = units[i]
        reach = {at}
        for count in range(1, most + 1):
            reach = {p + len(s) for p in reach for s in spellings if latin.startswith(s, p)}
            if not reach:
                break
            if count >= least:
                stack += [(i + 1, p) for p in reach]
        if least == 0:
            stack.append((i + 1, at))
    return False


@lru_cache(maxsize=500_000)
def vowelless_fit(written: str, latin: str, script: str = "abjad") -> int:
    """How many consonants and vowel letters of ``written`` (a word in a script that leaves
    short vowels out, transliterated) ``latin`` spells in order, short vowels filled in
    ("kml" in Kamel, "atya" in Attia, "muhamad" in Muhammad); 0 if it does not."""
    if len(written) < 2 or len(latin) < 3 or len(written) > 24 or len(latin) > 30 or not written.isalpha():
        return 0
    if script == "syllabary":  # ッ doubles a consonant the Latin spelling may not (キリッル, Kirill)
        written = _DOUBLED.sub(r"\1", written)
    written = _LONG_VOWEL.sub(r"\1", written)  # a long vowel is one vowel (आली "alee": Ali)
    units, consonants = _fit_units(written, script)
    if consonants < 2 or not _spells(units, latin):
        return 0
    return consonants


# --- token similarity -----------------------------------------------------------------------


def _edit_similarity(a: str, b: str, per_length: float) -> float:
    longest = max(len(a), len(b))
    distance = OSA.distance(a, b)
    allowed = 1 if longest <= 5 else 2 if longest <= 10 else 3
    if distance > allowed:
        return 0.0
    return max(0.0, 1.0 - per_length * distance / longest)


@lru_cache(maxsize=500_000)
def sound(token: str) -> str:
    """``phonetic``, with "kh" read as the k it is as often as the h ("Rostekh" / "Rostec"),
    and "c" as the ts it is in Central European spellings ("Kuznecov" / "Kuznetsov")."""
    return phonetic(token.replace("kh", "k").replace("ts", "c").replace("tz", "c"))


_SURNAME_ENDINGS = ("ov", "ev", "in", "ova", "eva", "ina", "sky", "skiy", "skaya")
_PATRONYMIC_END = re.compile(r"(ovich|evich|ovna|evna|ichna|ivna|ogly|oglu|kyzy|qizi|uly)$")
# A syllable as East-Asian names are romanised (Maung, Kyong, Hwang, Chol, Wei): an onset,
# a vowel run, a coda. Two of them differing in the onset or the coda are two syllables,
# two names (Maung / Kaung, Chol / Chon); in the vowel only, often one romanised two ways
# (Myong / Myung).
_SYLLABLE = re.compile(r"^([bcdfghjklmnpqrstvwxz]{0,3})([aeiouy]{1,3}w?)(ng|n|l|k|p|t|m|r)?$")


# Consonants that romanisations of one syllable write either way (Korean McCune-Reischauer
# and Revised: Kim / Gim, Tong / Dong, Pak / Bak, Chong / Jong; Ri / Li).
_ROMANISED = str.maketrans({"k": "g", "t": "d", "p": "b", "l": "r"})


# Vowels romanisations write either way (Korean eo / o / u, eu / u, yo / yu, ae / e; Burmese
# oo / u, ay / e, oe / o; ee / i).
_ROMANISED_VOWELS = (
    ("oo", "u"), ("eu", "u"), ("eo", "o"), ("u", "o"), ("ae", "e"), ("ay", "e"), ("oe", "o"), ("ee", "i"), ("ie", "i"),
    ("ei", "e"),
)
# Aspirates are written with an h before (Burmese Htun, Hpone) or after (Korean Thae, Khang,
# Phyong) or not at all (Tun, Tae, Pyong).
_ASPIRATE = re.compile(r"^h(?=[tps])|(?<=^[tpk])h")


@lru_cache(maxsize=200_000)  # asked for each word of every pair of words compared
def _syllable_parts(word: str) -> tuple[str, str, str] | None:
    match = _SYLLABLE.match(_ASPIRATE.sub("", _DOUBLED.sub(r"\1", word)))
    if match is None:
        return None
    onset = match.group(1).replace("ch", "j").translate(_ROMANISED)
    vowels = match.group(2)
    for a, b in _ROMANISED_VOWELS:
        vowels = vowels.replace(a, b)
    return onset, vowels, (match.group(3) or "").translate(_ROMANISED)


@lru_cache(maxsize=200_000)
def another_syllable(a: str, b: str) -> bool:
    """Both words are one syllable and they differ beyond what romanisations write either
    way (Maung / Kaung, Chol / Chon, Kim / Kum; not Kwang / Gwang, Jeong / Jong)."""
    if len(a) > 6 or len(b) > 6:
        return False
    sa, sb = _syllable_parts(a), _syllable_parts(b)
    if sa is None or sb is None:
        return False
    return sa[0] != sb[0] or sa[2] != sb[2] or sa[1] != sb[1]


# A Chinese given name of two syllables written as one word (Leiqing, Jinping): pinyin
# initials and finals, so that a word splits only when both halves are syllables of pinyin.
_PINYIN = re.compile(
    r"^((?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|a|o|e|i|u))"
    r"((?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|a|o|e|i|u))$"
)


@lru_cache(maxsize=200_000)
def _pinyin_halves(word: str) -> tuple[str, ...] | None:
    """A word's two pinyin syllables, or None (matched once per word, not once per pair)."""
    match = _PINYIN.match(word)
    return None if match is None else match.groups()


@lru_cache(maxsize=200_000)
def another_pinyin_syllable(a: str, b: str) -> bool:
    """Both words are two pinyin syllables, two edits or more apart, and a syllable of one
    begins with another consonant than the other's (Leiqing / Lecheng: qing is not cheng):
    another given name, as with one syllable. (A vowel or a final consonant more or less is
    left to the spelling channels: Hana / Hanna, Xiaoping / Xiaopeng.)"""
    if len(a) > 12 or len(b) > 12:
        return False
    ma, mb = _pinyin_halves(a), _pinyin_halves(b)
    if ma is None or mb is None or OSA.distance(a, b) < 2:
        return False
    for x, y in zip(ma, mb):
        px, py = _syllable_parts(x), _syllable_parts(y)
        if px is not None and py is not None and px[0] != py[0]:
            return True
    return False


def _same_syllable(a: str, b: str) -> bool:
    """One syllable romanised two ways: Kwang / Gwang, Yeon / Yon, Jeong / Jong."""
    if len(a) > 6 or len(b) > 6:
        return False
    sa, sb = _syllable_parts(a), _syllable_parts(b)
    return sa is not None and sb is not None and sa == sb


@lru_cache(maxsize=200_000)
def _undoubled(token: str) -> str:
    return _DOUBLED.sub(r"\1", token)


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    for ending in _ENDINGS:
        if token.endswith(ending) and len(token) - len(ending) >= 4:
            return token[: -len(ending)]
    if token[-1] in _VOWELS and len(token) >= 5:
        return token[:-1]
    return token


@lru_cache(maxsize=1_000_000)
def token_similarity(
    a: str, b: str, abjad: bool = False, initials: bool = True, script: str = "abjad"
) -> tuple[float, str]:
    """How alike two tokens are (0..1) and by which channel; 0.8 and over: the same word.
    ``abjad``: one side was written in a script that leaves vowels out (see ``broad_skeleton``
    and ``vowelless_fit``); ``script``: which kind (``transliterate.script_of``): "abjad",
    "hebrew", "indic", or "syllabary" (a foreign name in Japanese kana or Korean Hangul, where
    l and r are one letter, b and p stand for v and f, and a vowel may be written where none
    is spoken)."""
    if a == b:
        return 1.0, "exact"
    if (not a.isalpha() and _DIGIT.search(a)) or (not b.isalpha() and _DIGIT.search(b)):
        return 0.0, ""  # numbers, registration marks and codes agree exactly or not at all
    if len(a) == 1 or len(b) == 1:
        if not abjad and _same_syllable(a, b):  # Burmese U / Oo
            return W.romanised_syllable, "romanised syllable"
        return (W.initial, "initial") if initials and a[0] == b[0] else (0.0, "")
    if not abjad and a[0] != b[0] and Levenshtein.normalized_similarity(a, b) < 0.5 and sound(a)[:1] != sound(b)[:1]:
        # Most pairs of a comparison are two unrelated words: no channel can find them alike
        # (but one syllable romanised two ways may start differently: Jo / Cho, Tae / Dae).
        if not (_SPELLINGS.get(a) or _SPELLINGS.get(b)) and not _same_syllable(a, b):
            return 0.0, ""
    if a in _CANONICAL_NAMES and b in _CANONICAL_NAMES:
        # Both are given names the tables know, and not the same one: Mahmud is not Muhammad.
        # They are left unmatched, so that both cost what an unmatched word costs.
        return 0.0, "another name"
    if (a in _CANONICAL_NAMES or b in _CANONICAL_NAMES) and (_is_nisba(a, b) or _is_nisba(b, a)):
        return W.nisba, "family name from a given name"
    if not abjad and (another_syllable(a, b) or (initials and another_pinyin_syllable(a, b))):
        # (across scripts the vowels and codas are guesses; a two-syllable word is judged so
        # only in a person's name: a vessel's or a company's is romanised more loosely)
        return W.other_syllable, "another syllable"
    if not abjad and _same_syllable(a, b):
        return W.romanised_syllable, "romanised syllable"
    if ssm1.is_patronymic(a) != ssm1.is_patronymic(b) and (len(a) > 6 and len(b) > 6):
        # A surname against a patronymic made from it (Mikhailov / Mikhailovich): a relative.
        # (Not a patronymic as another language writes it: Vasilevičas / Vasilyevich.)
        surname = b if ssm1.is_patronymic(a) else a
        if surname.endswith(_SURNAME_ENDINGS) and _PATRONYMIC_END.sub("", a)[:5] == _PATRONYMIC_END.sub("", b)[:5]:
            return W.gender_ending, "surname and patronymic"
    if ssm1.is_patronymic(a) and ssm1.is_patronymic(b):
        # Two patronymics are alike as the fathers' names are: Vadimovich is not Vladimirovich.
        pa_, pb_ = _PATRONYMIC_END.sub("", a), _PATRONYMIC_END.sub("", b)
        if pa_ != pb_ and OSA.distance(pa_, pb_) > 1:
            sim, how = token_similarity(pa_, pb_, abjad, False, script)
            return sim * W.cheap_edit if sim >= W.same_word else 0.0, "patronymic " + how
    shortest = min(len(a), len(b))
    best, how = 0.0, ""
    per_length = (
        W.short_edit_per_length if shortest <= 3 else W.four_edit_per_length if shortest == 4 else W.edit_per_length
    )
    if (sim := _edit_similarity(a, b, per_length)) > best:
        best, how = sim, "spelling"
    if shortest >= 4:
        if _undoubled(a) == _undoubled(b) and W.cheap_edit > best:
            best, how = W.cheap_edit, "doubled letter"
        sa, sb = _stem(a), _stem(b)
        if (sa != a or sb != b) and (
            sa == sb
            or (min(len(sa), len(sb)) >= 5 and sa[0] == sb[0] and (OSA.distance(sa, sb) == 1 or sound(sa) == sound(sb)))
        ):
            # An ending more or less, the rest the same, one letter or one sound apart.
            sim = W.ending if sa == sb else W.ending - W.edit_per_length / max(len(sa), len(sb))
            if sim > best:
                best, how = sim, "ending"
        pa, pb = sound(a), sound(b)
        if pa == pb and len(pa) >= 3:
            # The same sound key: how much, by how alike the letters still are. A key of few
            # consonants says little: many names share it (Sara / Seraj, Yadav / Jadhav).
            letters = Levenshtein.normalized_similarity(a, b)
            base = W.sound_letters_base_abjad if abjad else W.sound_letters_base  # (an abjad writes few vowels)
            sim = W.phonetic_same * (base + (1 - base) * letters)
            if not abjad and sum(ch != "a" for ch in pa) <= 2:  # (across an abjad the letters are guesses)
                sim = min(sim, W.sound_few_consonants)
            if sim > best:
                best, how = sim, "sound"
        elif (
            min(len(pa), len(pb)) >= 4
            and pa[0] == pb[0]
            and OSA.distance(pa, pb) == 1
            and abs(len(a) - len(b)) <= 1
            and Levenshtein.normalized_similarity(a, b) >= W.sound_letters
        ):
            # Sounds one edit apart (Prigoschin / Prigozhin): sound keys are coarse, so only
            # words still alike in letters, and never more than this.
            sim = W.phonetic_edit * _edit_similarity(pa, pb, W.edit_per_length)
            if sim > best:
                best, how = sim, "sound"
    if (
        best
        and not abjad
        and shortest >= 5
        and not _first_sounds_agree(a, b)
        and not (ssm1.is_patronymic(a) or ssm1.is_patronymic(b))  # (a father's name: see above)
        and OSA.distance(a, b) >= 2
    ):
        # A slip rarely touches a word's first letter, and never together with another: two
        # names that begin with other sounds and differ again further on are two names.
        best *= W.other_first_letter
    if (
        how == "spelling"
        and not abjad
        and shortest >= 6
        and len(a) == len(b)
        and (ending := _shared_surname_ending(a, b))
    ):
        # Two letters replaced before the same surname ending (Tkachenko / Timchenko,
        # Kolesnikov / Kotelnikov): thousands of families share the ending, so the stem says
        # which family. The stems are compared alone, and the word loses at most
        # shared_ending_cost by it. (Letters written in or left out, Ishenko / Ishchenko, and
        # words alike in sound, are spellings of one name: other channels judge them.)
        stem_a, stem_b = a[: -len(ending)], b[: -len(ending)]
        distance = OSA.distance(stem_a, stem_b)  # (two letters swapped are one slip)
        if distance >= 2:
            stems = max(0.0, 1.0 - W.edit_per_length * distance / max(len(stem_a), len(stem_b)))
            best = min(best, max(stems, best - W.shared_ending_cost))
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if (
        best > W.gender_ending
        and shorter[-1] not in _VOWELS
        and longer.startswith(shorter)
        and longer[len(shorter) :] in _GENDER_ENDINGS
    ):
        best, how = W.gender_ending, "gender ending"  # Petrov / Petrova: a relative as often as a typo
    if not initials and best < W.abbreviation:
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        if ABBREVIATIONS.get(shorter) == longer or (
            len(shorter) >= 3 and len(longer) >= 6 and longer.startswith(shorter) and shorter not in LIGHT_WORDS
        ) or _consonant_abbreviation(shorter, longer):
            best, how = W.abbreviation, "abbreviation"
    if best < 0.8:
        # A canonical name form against a misspelling of one of the spellings it stands for.
        for x, y in ((a, b), (b, a)):
            for spelling in _SPELLINGS.get(y, ()):
                if spelling[0] != x[0] or abs(len(spelling) - len(x)) > 2:
                    continue  # too far apart for this channel to find them alike
                sim, via = token_similarity(x, spelling, abjad, initials, script)
                if via == "spelling" and sim >= 0.75 and sim > best:  # (the slip itself already costs)
                    best, how = sim, "spelling of a variant"
    if abjad and best < W.consonants_same:
        fit = vowelless_fit(a, b, script) or vowelless_fit(b, a, script)
        if fit >= 3 or (fit == 2 and W.consonants_short > best):
            best, how = (W.consonants_same if fit >= 3 else W.consonants_short), "consonants"
    if abjad and best < W.consonants_same and script != "indic":
        # Consonants alone (an Indic word, its vowels written, is compared by the fit only).
        for without_v in (False, True):
            ka, kb = broad_skeleton(a, without_v), broad_skeleton(b, without_v)
            if script == "syllabary":
                ka, kb = ka.replace("l", "r"), kb.replace("l", "r")
            if len(ka) >= 3 and ka == kb:
                # The same consonants, but the vowel letters the script wrote do not fit.
                if W.consonants_unfit > best:
                    best, how = W.consonants_unfit, "consonants"
                break
            if len(ka) == 2 and ka == kb:
                # Two consonants say less: the abjad word's letters must be written in the
                # Latin one, in order (عمر in Omar; not محمد in Majid).
                within = ssm1._written_within(a, b) or ssm1._written_within(b, a)
                sim = W.consonants_same if within else W.consonants_short
                if sim > best:
                    best, how = sim, "consonants"
            if min(len(ka), len(kb)) >= 3 and OSA.distance(ka, kb) == 1 and W.consonants_edit > best:
                best, how = W.consonants_edit, "consonants"
    return best, how


# First letters that spellings of one name write either way: a vowel or a glide (Ebrahim /
# Ibrahim, Yevgeniy / Evgeniy, Jusuf / Yusuf), a voiced or unvoiced consonant, c / k / q / g,
# z / s, w / v.
_FIRST_SOUND = str.maketrans(
    {**{ch: "a" for ch in "aeiouyj"}, "p": "b", "v": "f", "w": "f", "q": "k", "c": "k", "g": "k", "z": "s"}
)


def _first_sounds_agree(a: str, b: str) -> bool:
    """Whether two words may begin with one sound: the same first letter or one a spelling
    writes for it, an aspirate written or not (Khaled / Haled), or the same first sound key
    (Shamil / Chamil / Schamil)."""
    return (
        a[0].translate(_FIRST_SOUND) == b[0].translate(_FIRST_SOUND)
        or "h" in (a[0], b[0])
        or sound(a)[:1] == sound(b)[:1]
    )


# Endings of family names shared by thousands of families (Slavic, Caucasian, Armenian,
# Turkic, Persian, Greek, Romanian), longest first: the part before them says which family.
_SURNAME_SUFFIXES = tuple(
    sorted(
        (
            "enko", "chenko", "nikov", "nikova", "ov", "ova", "ev", "eva", "in", "ina", "yn", "yna",
            "sky", "skiy", "skii", "ski", "skaya", "ska", "uk", "yuk", "chuk", "shvili", "dze", "yan",
            "ian", "oglu", "zadeh", "zade", "poulos", "escu", "ovic", "evic", "enco",
        ),
        key=len,
        reverse=True,
    )
)


def _shared_surname_ending(a: str, b: str) -> str:
    """The longest family-name ending both words end with, leaving a stem of three letters
    or more on each; "" when none."""
    for ending in _SURNAME_SUFFIXES:
        if a.endswith(ending) and b.endswith(ending) and min(len(a), len(b)) - len(ending) >= 3:
            return ending
    return ""


def _consonant_abbreviation(short: str, long: str) -> bool:
    """An organisation's word abbreviated by its consonants, in order: Trdg. (Trading), Shpg.
    (Shipping), Mgmt (Management)."""
    if len(short) < 3 or len(long) < 6 or short[0] != long[0] or short[-1] != long[-1] or set(short) & _VOWELS:
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)


def _may_be_alike(a: str, b: str) -> bool:
    """A cheap test that two words begin alike enough for some channel to find them alike:
    the same first letter, or the same two after it, or one an initial letter longer
    (Yevgeniy / Evgeniy)."""
    return a[0] == b[0] or a[1:3] == b[1:3] or a[1:3] == b[:2] or a[:2] == b[1:3]


def _is_nisba(longer: str, shorter: str) -> bool:
    """Ahmadi, Mohammadi: a given name with the -i that makes it a family name."""
    if longer[-1] not in "iy" or longer[0] != shorter[0] or abs(len(longer) - 1 - len(shorter)) > 2:
        return False
    stem = longer[:-1]
    return shorter in _CANONICAL_NAMES and NAME_VARIANTS.get(stem, stem) == shorter


@lru_cache(maxsize=200_000)  # the same two words meet in many comparisons
def _pair_similarity(
    token_a: str,
    alternate_a: str | None,
    token_b: str,
    alternate_b: str | None,
    abjad: bool,
    initials: bool,
    script: str = "abjad",
) -> tuple[float, str]:
    """Two names' tokens compared as written, and each read without a particle written on."""
    sim, how = token_similarity(token_a, token_b, abjad, initials, script)
    if sim < 1.0:
        for a, b, rest in ((alternate_a, token_b, alternate_a), (token_a, alternate_b, alternate_b)):
            if a is not None and b is not None and rest is not None:
                alt, _ = token_similarity(a, b, abjad, initials, script)
                # (a three-letter rest must be the other word: Aldan is Dan, not Danilov)
                if alt * W.cheap_edit > sim and (alt == 1.0 or len(rest) >= 4):
                    sim, how = alt * W.cheap_edit, "particle written on"
    return sim, how


# --- names ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameMatch2:
    score: float
    pairs: tuple[tuple[str, str, str, float], ...]  # (query word(s), listed word(s), how, similarity)
    query_left: tuple[tuple[str, float], ...]  # query words nobody matched, with what each cost
    listed_left: tuple[tuple[str, float], ...]  # listed words nobody matched, with what each cost
    method: str  # "tokens" or "whole name"
    numbers: str | None


@lru_cache(maxsize=100_000)
def _round3(value: float) -> float:
    """round(value, 3), cached: the same few similarities and costs are rounded for every
    comparison, and round() to decimals is slow (a decimal conversion and back)."""
    return round(value, 3)


def _evidence(sim: float) -> float:
    """What a pair of this similarity adds to the name: its similarity from "the same word"
    (0.8) up; below that, fading fast, so that two different surnames that merely sound a
    little alike (Kravchenko / Sergeenko) add almost nothing."""
    if sim >= W.same_word:
        return sim
    return sim * max(0.0, (sim - W.evidence_floor) / (W.same_word - W.evidence_floor))


def _listed_costs(name: Name2, person: bool) -> list[float]:
    last = len(name.tokens) - 1
    costs = []
    for i, w in enumerate(name.weights):
        if not person:
            factor = W.listed_org_leftover
        elif name.patronymic[i]:
            factor = W.listed_patronymic_leftover
        elif i in (0, last):
            factor = W.listed_end_leftover
        else:
            factor = W.listed_middle_leftover
        costs.append(w * factor)
    return costs


def _whole(q: Name2, c: Name2) -> float:
    """The names written without spaces, the listed one in each rotation; 0 unless near."""
    if len(q.concat) < 6:
        return 0.0
    written_length = sum(map(len, c.tokens))  # of every rotation
    if abs(len(q.concat) - written_length) > max(len(q.concat), written_length) // 10:
        return 0.0  # more edits apart than any rotation may be
    best = 0.0
    tokens = c.tokens
    for start in range(len(tokens)):
        written = "".join(tokens[start:] + tokens[:start])
        longest = max(len(q.concat), len(written))
        cutoff = longest // 10
        distance = Levenshtein.distance(q.concat, written, score_cutoff=cutoff)
        if distance <= cutoff:
            best = max(best, W.whole_cap * (1.0 - W.whole_per_length * distance / longest))
    return best


def _same_words(
    q: tuple[str, ...], c: tuple[str, ...]
) -> tuple[list[tuple[float, tuple[int, ...], tuple[int, ...], str]], set[int], set[int]]:
    """The pairs of the same word on both sides, as the alignment takes them: only the same
    word is 1, so these come first, in order, each query word with the first listed one left;
    and the positions they pair."""
    pairs: list[tuple[float, tuple[int, ...], tuple[int, ...], str]] = []
    paired_q: set[int] = set()
    paired_c: set[int] = set()
    for i, a in enumerate(q):
        if a in c:
            for j, b in enumerate(c):
                if b == a and j not in paired_c:
                    pairs.append((1.0, (i,), (j,), "exact"))
                    paired_q.add(i)
                    paired_c.add(j)
                    break
    return pairs, paired_q, paired_c


def compare_names(q: Name2, c: Name2, person: bool = True) -> NameMatch2:
    """ssm-2's similarity of two prepared names, explained."""
    if not q.tokens or not c.tokens:
        return NameMatch2(0.0, (), (), (), "tokens", None)
    # One side written without (some) vowels, the other with them or in another such script
    # (Hebrew against Arabic: each reads its own letters).
    abjad = q.abjad != c.abjad or (q.abjad and q.script != c.script)
    kinds = {q.script, c.script} - {""}
    script = "syllabary" if "syllabary" in kinds else "indic" if kinds == {"indic"} else "abjad"
    candidates, paired_q, paired_c = _same_words(q.tokens, c.tokens)
    nq, nc = len(q.tokens), len(c.tokens)
    # The other pairs only among the words left: none with a paired word could be taken.
    left = len(paired_q) < nq and len(paired_c) < nc
    sims: dict[tuple[int, int], tuple[float, str]] = {}

    def sim_at(i: int, j: int) -> tuple[float, str]:
        found = sims.get((i, j))
        if found is None:
            a, alternate_a, b, alternate_b = q.tokens[i], q.alternates[i], c.tokens[j], c.alternates[j]
            if alternate_a is None and alternate_b is None:
                found = token_similarity(a, b, abjad, person, script)
            else:
                found = _pair_similarity(a, alternate_a, b, alternate_b, abjad, person, script)
            sims[i, j] = found
        return found

    unpaired_q = [i for i in range(nq) if i not in paired_q] if left else []
    unpaired_c = [j for j in range(nc) if j not in paired_c] if left else []
    for i in unpaired_q:
        for j in unpaired_c:
            sim_at(i, j)
    def read(reads: tuple[str, ...], other: str, listed_reads: bool) -> float:
        """The best of one word's readings against a word of the other side (query word first)."""
        best = 0.0
        for a in reads:
            if abs(len(a) - len(other)) < 4 and _may_be_alike(a, other):
                query_word, listed_word = (other, a) if listed_reads else (a, other)
                best = max(best, token_similarity(query_word, listed_word, abjad, person, script)[0] * W.reading)
        return best

    # A word no word of the other side is as alike as a reading would be may be written in
    # another language's Latin spelling (Schirow / Zhirov): read it the English way. So may a
    # listed word written with another language's letters (Šors).
    for i in unpaired_q:
        if (reads := _readings_of(q, i)) and max(sim_at(i, j)[0] for j in range(nc)) < W.read_below:
            for j in unpaired_c:
                if (similarity := read(reads, c.tokens[j], False)) > sims[i, j][0]:
                    sims[i, j] = (similarity, "another spelling")
    if left and any(c.readings):
        for j in unpaired_c:
            if (reads := _readings_of(c, j)) and max(sim_at(i, j)[0] for i in range(nq)) < W.read_below:
                for i in unpaired_q:
                    if (similarity := read(reads, q.tokens[i], True)) > sims[i, j][0]:
                        sims[i, j] = (similarity, "another spelling")
    for i in unpaired_q:
        for j in unpaired_c:
            sim, how = sims[i, j]
            if sim > 0.3:
                candidates.append((sim, (i,), (j,), how))
    # A word against two adjacent words of the other side written together ("Soko lov").
    for side, one, two in ((0, q, c), (1, c, q)):
        if not left or not two.joined:
            continue
        paired_one, paired_two = (paired_q, paired_c) if side == 0 else (paired_c, paired_q)
        for i, token in enumerate(one.tokens):
            if len(token) < 5 or i in paired_one:
                continue
            for j, joined in enumerate(two.joined):
                if (
                    abs(len(joined) - len(token)) > 2
                    or j in paired_two
                    or j + 1 in paired_two
                    or not (abjad or _may_be_alike(token, joined))
                ):
                    continue
                sim, _ = token_similarity(token, joined, abjad, False, script)
                if sim < 0.85 and (canonical := NAME_VARIANTS.get(joined, joined)) != joined:  # "Moh amed" is Mohamed
                    sim = max(sim, token_similarity(token, canonical, abjad, False, script)[0])
                if sim >= 0.85:
                    pair = ((i,), (j, j + 1)) if side == 0 else ((j, j + 1), (i,))
                    candidates.append((sim * W.joined, pair[0], pair[1], "written together"))
    candidates.sort(key=lambda item: (-item[0], len(item[1]) + len(item[2])))
    used_q: set[int] = set()
    used_c: set[int] = set()
    matched = matched_weight = 0.0
    pairs = []
    for sim, qs, cs, how in candidates:
        if not used_q.isdisjoint(qs) or not used_c.isdisjoint(cs):
            continue
        used_q.update(qs)
        used_c.update(cs)
        query_weight, listed_weight = sum(map(q.weights.__getitem__, qs)), sum(map(c.weights.__getitem__, cs))
        weight = min(query_weight, listed_weight)
        matched += _evidence(sim) * weight
        matched_weight += weight
        if (
            person
            and sim < W.same_word
            and min(query_weight, listed_weight) == W.common_weight
            and max(query_weight, listed_weight) > W.common_weight
            and not abjad
            and how not in ("family name from a given name", "spelling of a variant")
        ):
            # A word only near a common one, not the same word (Awad / Ahmad), is only partly
            # that word: the rest of the heavier word's weight counts as unmatched, by how far
            # the pair falls short. (A misspelt common word, "the same word", keeps its pair's
            # weight, as does a spelling of a variant the common word stands for, or a family
            # name made from it; across scripts a common word is not known as common.)
            matched_weight += (max(query_weight, listed_weight) - weight) * (1.0 - sim) * W.near_common_shortfall
        pairs.append((" ".join(q.tokens[i] for i in qs), " ".join(c.tokens[j] for j in cs), how, _round3(sim)))
        if len(used_q) == len(q.tokens) or len(used_c) == len(c.tokens):
            break  # every word of one side is taken: no other pair can be
    listed_costs = c.listed_costs if person == c.person_form else _listed_costs(c, person)
    listed_left = tuple((c.tokens[j], _round3(listed_costs[j])) for j in range(len(c.tokens)) if j not in used_c)
    around = not person and not listed_left and pairs and max(len(t) for t in c.tokens) >= 5
    query_left = []
    for i, (t, w) in enumerate(zip(q.tokens, q.weights)):
        if i in used_q:
            continue
        if person and q.patronymic[i]:
            factor = W.query_patronymic_leftover
        elif around:
            factor = W.query_around_listed
        else:
            factor = W.query_leftover
        query_left.append((t, _round3(w * factor)))
    denominator = matched_weight + sum(cost for _, cost in query_left) + sum(cost for _, cost in listed_left)
    if person and query_left and listed_left:
        # Both give a patronymic and they differ: another father, so another person.
        query_fathers = [i for i in range(len(q.tokens)) if i not in used_q and q.patronymic[i]]
        if query_fathers and any(c.patronymic[j] for j in range(len(c.tokens)) if j not in used_c):
            denominator += sum(q.weights[i] * (1 - W.query_patronymic_leftover) for i in query_fathers)
    result = matched / denominator if denominator else 0.0
    method = "tokens"
    if len(q.tokens) != len(c.tokens):  # split or joined differently: "Soko lov", "Jin Ping"
        whole = _whole(q, c)
        if whole > result:
            result, method = whole, "whole name"
    numbers = None
    if q.digits and c.digits and q.digits != c.digits and q.numbers == c.numbers:
        # Both written with digits, other digits: CheapShop5You is not CheapShop4You.
        result *= W.numbers_differ
        numbers = "differ"
    elif q.numbers != c.numbers:
        if q.numbers and c.numbers:
            result *= W.numbers_differ
            numbers = "differ"
        else:
            result *= W.number_missing
            numbers = "missing"
    return NameMatch2(result, tuple(pairs), tuple(query_left), tuple(listed_left), method, numbers)


def _detail(q: Name2, listed: Name2, match: NameMatch2) -> str:
    aligned = "; ".join(
        f"{a}~{b}" + ("" if how == "exact" else f" ({how} {s:.2f})") for a, b, how, s in match.pairs
    )
    detail = f"'{q.full}' ~ '{listed.full}' ({match.method}: {aligned})"
    if match.query_left:
        detail += "; query words unmatched: " + ", ".join(f"{t} (costs {c:.2f})" for t, c in match.query_left)
    if match.listed_left:
        detail += "; listed words unmatched: " + ", ".join(f"{t} (costs {c:.2f})" for t, c in match.listed_left)
    if q.titles or listed.titles:
        detail += "; titles, weighed lightly: " + ", ".join(q.titles + listed.titles)
    if match.numbers == "differ":
        detail += "; the numbers differ"
    elif match.numbers == "missing":
        detail += "; a number appears on one side only"
    return detail


# --- the whole record -----------------------------------------------------------------------


def _query_name(pq: ssm1.PreparedQuery, person: bool) -> Name2 | None:
    if pq.name is None:
        return None
    return prepare(pq.name.full, "query", person and pq.query.kind in ("person", "any"))


def _may_be_person(pq: ssm1.PreparedQuery, record: ssm1.PreparedRecord) -> bool:
    """Whether the record's names are read as a person's: a person, or a record of unknown kind
    (a /v1/compare record need not say) that no legal form marks as an organisation, unless
    the query says it is something else."""
    if record.kind != ssm1.UNKNOWN_KIND:
        return record.kind == "person"
    if pq.query.kind not in ("person", ssm1.UNKNOWN_KIND):
        return False
    return not any(name_tokens(name.full, keep_legal_forms=False).legal_forms for name in record.names)


def best_name(pq: ssm1.PreparedQuery, record: ssm1.PreparedRecord) -> tuple[NameMatch2, Name2, Name2] | None:
    person = _may_be_person(pq, record)
    q = _query_name(pq, person)
    if q is None:
        return None
    memo = pq.memo2
    best: tuple[float, NameMatch2, Name2] | None = None
    for listed in record.names:
        c = prepare(listed.full, listed.type, person)
        key = (c.tokens, c.abjad, c.script, person, q.person_form)
        match = memo.get(key)
        if match is None:
            match = memo[key] = compare_names(q, c, person)
        adjusted = match.score + (
            ssm1.WEIGHTS.weak_alias if c.type == "weak_aka" else ssm1.WEIGHTS.former_name if c.type == "fka" else 0.0
        )
        if best is None or adjusted > best[0]:
            best = (adjusted, match, c)
    return (best[1], q, best[2]) if best else None


def score(pq: ssm1.PreparedQuery, record: ssm1.PreparedRecord, floor: float = 0.0) -> Comparison:
    """ssm-2's score of a prepared query against a prepared record: the name by this module's
    model, the qualifiers as ssm-1 has them."""
    found = best_name(pq, record)
    base = None
    if found is not None:
        match, q, listed = found
        if match.score + ssm1.max_bonus(pq) < floor and not pq.identifiers:
            return Comparison(round(max(0.0, min(1.0, match.score)), 4), q.full, listed.full, ())
        base = (Feature("name", round(match.score, 4), _detail(q, listed, match)), listed.full, listed.type)
    return ssm1.score_with_name(pq, record, base)


def compare(query: Query, record: Mapping[str, Any]) -> Comparison:
    """Score a counterparty against one record given as an entity dict. The names are left
    to this module to prepare (ssm-1's preparation of them would be wasted)."""
    return score(ssm1.prepare_query(query, name_as_written=True), ssm1.prepare_record(record, names_as_written=True))


# --- candidate search ------------------------------------------------------------------------


@lru_cache(maxsize=50_000)
def search_forms(token: str) -> tuple[str, ...]:
    """The forms a query word is looked up by: as written, digits for letters made letters,
    read as other languages' Latin spellings (Schirow → shirov), an ending taken off, a
    particle written onto it taken off."""
    forms = dict.fromkeys([token, leet(token), *(_variant(r) for r in spellings.readings(token))])
    for form in list(forms):
        if len(form) >= 5:
            forms[_stem(form)] = None
        if (alternate := without_particle(form)) is not None:
            forms[alternate] = None
    return tuple(forms)


def search_similarity(token: str, listed: str) -> float:
    """ssm-2's similarity of a query word and a listed word, through any of its search forms."""
    best = 0.0
    for form in search_forms(token):
        sim, _ = token_similarity(form, listed)
        best = max(best, sim if form == token else sim * W.cheap_edit)
    return best


def search_name(pq: ssm1.PreparedQuery) -> ssm1.PreparedName | None:
    """The query name as candidate selection should look it up for ssm-2: ssm-2's tokens
    (titles dropped, digits for letters read as letters) with ssm-2's weights, so that the
    index's bound on the score follows ssm-2's costs (a light word left over costs little)."""
    if pq.name is None:
        return None
    return search_form(pq.name)


@lru_cache(maxsize=20_000)
def search_form(name: ssm1.PreparedName) -> ssm1.PreparedName:
    """One prepared name as ssm-2's candidate selection looks it up (see ``search_name``)."""
    n = prepare(name.full, "query", False)
    if n.tokens == name.tokens and n.weights == name.weights and n.abjad == name.abjad:
        return name
    return ssm1.PreparedName(
        full=name.full,
        type=name.type,
        tokens=n.tokens,
        phonetics=tuple(phonetic(t) for t in n.tokens),
        concat=n.concat,
        numbers=n.numbers,
        legal_forms=name.legal_forms,
        abjad=n.abjad,  # Indic scripts too: looked up by consonants
        skeletons=tuple(skeleton(t) for t in n.tokens),
        weights=n.weights,
        query_costs=n.weights,
        listed_costs=n.weights,
    )
