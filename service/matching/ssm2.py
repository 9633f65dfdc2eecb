"""Scoring algorithm ``ssm-2``: one model of name similarity, every feature a bounded contribution.

ssm-1 (``score.py``) stays as it was, selectable per request and for replaying audit records.
ssm-2 keeps its qualifiers (kind, birth date, country, identifiers, address) and replaces how
two names are compared:

1. **Tokens** come from the same normalisation (``normalize.name_tokens``) and are then
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
   consonants for a name written in Arabic or Hebrew script. Short words (East-Asian
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
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA, Levenshtein

from service.matching import score as ssm1
from service.matching.normalize import (
    _PHRASE_WORDS,
    LEADING_WORDS,
    _fuzzy_keys,
    _near,
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
    cheap_edit: float = 0.95  # a doubled letter, digits for letters, a particle written on
    ending: float = 0.9  # an ending more or less: -s, -as, -es, plural, a trailing vowel
    gender_ending: float = 0.75  # Petrov / Petrova: a relative as often as a typo
    phonetic_same: float = 0.9  # the same sound key (Kadhafi / Qaddafi)
    phonetic_edit: float = 0.9  # × the edit similarity of the sound keys …
    sound_letters: float = 0.6  # … of words at least this alike in letters
    consonants_same: float = 0.88  # Arabic/Hebrew script against Latin: the same consonants
    consonants_edit: float = 0.8  # … one consonant apart
    consonants_short: float = 0.75  # … the same two consonants only
    joined: float = 0.97  # × a token against two of the other side written together
    initial: float = 0.85  # "V" against "Vladimir" (a person's name)
    other_syllable: float = 0.5  # Maung / Kaung, Chol / Chon: another syllable, another name
    romanised_syllable: float = 0.88  # Kwang / Gwang, Yeon / Yon: one syllable romanised two ways
    abbreviation: float = 0.85  # Est. / Establishment, Mgmt / Management (in an organisation's name)
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
            "von", "al", "el", "ibn", "bin", "abu"}, key=len, reverse=True)
)
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
# Digits written for the letters they look like.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"})
_LEET_DIGITS = frozenset("0134578")
_DIGIT = re.compile(r"\d")
_VOWELS = frozenset("aeiouy")
_DOUBLED = re.compile(r"(.)\1+")
_BRACKETS = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")
_ENDINGS = ("ies", "es", "as", "is", "us", "ys", "s")  # plural, Baltic and Greek case endings
_GENDER_ENDINGS = ("a", "aya", "aia", "ova", "eva", "ina", "ska", "skaya", "skaia")


_ARMENIAN = re.compile(r"[\u0530-\u058f]")
# Indic scripts write a consonant's inherent vowel with no sign, and transliteration leaves
# it out ("नदीम" → "ndim" for Nadeem): such names are compared by consonants, as abjads are.
_INDIC = re.compile(r"[\u0900-\u0dff\u1000-\u109f]")
# Devanagari letters with a nukta stand for the sounds Persian and Arabic names bring (f, z, q).
_NUKTA = {"\u092b\u093c": "f", "\u091c\u093c": "z", "\u0915\u093c": "q", "\u0916\u093c": "kh", "\u0917\u093c": "gh"}
_NUKTA_FORMS = re.compile("|".join(_NUKTA) + "|[\u0958-\u095e]")


@dataclass(frozen=True, slots=True)
class Name2:
    """A name made ready for ssm-2."""

    full: str
    type: str
    tokens: tuple[str, ...]
    alternates: tuple[str | None, ...]  # the token read without a particle written onto it
    weights: tuple[float, ...]
    numbers: frozenset[str]
    digits: frozenset[str]  # the digits of words written with digits, as written (before digits for letters)
    abjad: bool
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
    """ "s0kol0v" → "sokolov": only a word mostly of letters, whose digits all look like letters."""
    if token.isalpha():
        return token
    digits = sum(ch.isdigit() for ch in token)
    if not digits or digits * 2 >= len(token) or not set(ch for ch in token if ch.isdigit()) <= _LEET_DIGITS:
        return token
    return token.translate(_LEET)


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
    for particle in _JOINED_PARTICLES:
        if token.startswith(particle) and len(token) - len(particle) >= 4:
            rest = token[len(particle) :]
            return without_particle(rest) or rest
    return None


@lru_cache(maxsize=100_000)
def _is_title(word: str) -> bool:
    return word in TITLE_WORDS or (len(word) >= 5 and _near(word, _TITLE_KEYS) is not None)


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
    if _NUKTA_FORMS.search(full):
        full_text = _NUKTA_FORMS.sub(lambda m: _NUKTA[m.group(0)], unicodedata.normalize("NFD", full))
    else:
        full_text = full
    parsed = name_tokens(full_text, keep_legal_forms=person)
    words = [leet(t) for t in parsed.tokens]
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
        word for inside in _BRACKETS.findall(full) for word in fold(inside).split()
    ) if "(" in full or "[" in full else frozenset()
    if len(bracketed) >= len(tokens):
        bracketed = frozenset()
    organisation = not person
    return Name2(
        full=full,
        type=type,
        tokens=tokens,
        alternates=tuple(without_particle(t) for t in tokens),
        weights=tuple(W.title_weight if t in titles else _weight(t, bracketed, organisation) for t in tokens),
        numbers=frozenset(t for t in tokens if not t.isalpha() and any(ch.isdigit() for ch in t)),
        digits=frozenset("".join(ch for ch in t if ch.isdigit()) for t in parsed.tokens if not t.isalpha()) - {""},
        abjad=parsed.abjad or _INDIC.search(full) is not None,
        concat="".join(tokens),
        titles=titles,
        person_form=person,
    )


_BROAD = str.maketrans({"p": "b", "v": "f", "q": "k", "c": "k", "g": "k", "z": "s", "j": "i", "x": "ks"})
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
    for a, b in _BROAD_DIGRAPHS:
        token = token.replace(a, b)
    if without_v:
        token = token.replace("v", "")
    return skeleton(token.replace("w", "").replace("h", "").translate(_BROAD))


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


# Vowels romanisations write either way (Korean eo / o / u, yo / yu, ae / e; ee / i).
_ROMANISED_VOWELS = (("eo", "o"), ("u", "o"), ("ae", "e"), ("oe", "o"), ("ee", "i"), ("ie", "i"), ("ei", "e"))


@lru_cache(maxsize=200_000)  # asked for each word of every pair of words compared
def _syllable_parts(word: str) -> tuple[str, str, str] | None:
    match = _SYLLABLE.match(word)
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
def token_similarity(a: str, b: str, abjad: bool = False, initials: bool = True) -> tuple[float, str]:
    """How alike two tokens are (0..1) and by which channel; 0.8 and over: the same word."""
    if a == b:
        return 1.0, "exact"
    if (not a.isalpha() and _DIGIT.search(a)) or (not b.isalpha() and _DIGIT.search(b)):
        return 0.0, ""  # numbers, registration marks and codes agree exactly or not at all
    if len(a) == 1 or len(b) == 1:
        return (W.initial, "initial") if initials and a[0] == b[0] else (0.0, "")
    if not abjad and a[0] != b[0] and Levenshtein.normalized_similarity(a, b) < 0.5 and sound(a)[:1] != sound(b)[:1]:
        # Most pairs of a comparison are two unrelated words: no channel can find them alike.
        if not (_SPELLINGS.get(a) or _SPELLINGS.get(b)):
            return 0.0, ""
    if not abjad and another_syllable(a, b):  # (across scripts the vowels and codas are guesses)
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
            sim, how = token_similarity(pa_, pb_, abjad, False)
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
            # The same sound key: how much, by how alike the letters still are.
            sim = W.phonetic_same * (0.85 + 0.15 * Levenshtein.normalized_similarity(a, b))
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
        ):
            best, how = W.abbreviation, "abbreviation"
    if best < 0.8:
        # A canonical name form against a misspelling of one of the spellings it stands for.
        for x, y in ((a, b), (b, a)):
            for spelling in _SPELLINGS.get(y, ()):
                if spelling[0] != x[0] or abs(len(spelling) - len(x)) > 2:
                    continue  # too far apart for this channel to find them alike
                sim, via = token_similarity(x, spelling, abjad, initials)
                if via == "spelling" and sim >= 0.75 and sim > best:  # (the slip itself already costs)
                    best, how = sim, "spelling of a variant"
    if abjad and best < W.consonants_same:
        for without_v in (False, True):
            ka, kb = broad_skeleton(a, without_v), broad_skeleton(b, without_v)
            if len(ka) >= 3 and ka == kb:
                best, how = W.consonants_same, "consonants"
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


@lru_cache(maxsize=200_000)  # the same two words meet in many comparisons
def _pair_similarity(
    token_a: str, alternate_a: str | None, token_b: str, alternate_b: str | None, abjad: bool, initials: bool
) -> tuple[float, str]:
    """Two names' tokens compared as written, and each read without a particle written on."""
    sim, how = token_similarity(token_a, token_b, abjad, initials)
    if sim < 1.0:
        for a, b in ((alternate_a, token_b), (token_a, alternate_b)):
            if a is not None and b is not None:
                alt, _ = token_similarity(a, b, abjad, initials)
                if alt * W.cheap_edit > sim:
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
    for i, (t, w) in enumerate(zip(name.tokens, name.weights)):
        if not person:
            factor = W.listed_org_leftover
        elif ssm1.is_patronymic(t):
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
    abjad = q.abjad != c.abjad
    candidates, paired_q, paired_c = _same_words(q.tokens, c.tokens)
    # The other pairs only among the words left: none with a paired word could be taken.
    left = len(paired_q) < len(q.tokens) and len(paired_c) < len(c.tokens)
    for i, (a, alternate_a) in enumerate(zip(q.tokens, q.alternates) if left else ()):
        if i in paired_q:
            continue
        for j, (b, alternate_b) in enumerate(zip(c.tokens, c.alternates)):
            if j in paired_c:
                continue
            if alternate_a is None and alternate_b is None:
                sim, how = token_similarity(a, b, abjad, person)
            else:
                sim, how = _pair_similarity(a, alternate_a, b, alternate_b, abjad, person)
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
                if abs(len(joined) - len(token)) > 2 or j in paired_two or j + 1 in paired_two:
                    continue
                sim, _ = token_similarity(token, joined, abjad, False)
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
        weight = min(sum(map(q.weights.__getitem__, qs)), sum(map(c.weights.__getitem__, cs)))
        matched += _evidence(sim) * weight
        matched_weight += weight
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
        if person and ssm1.is_patronymic(t):
            factor = W.query_patronymic_leftover
        elif around:
            factor = W.query_around_listed
        else:
            factor = W.query_leftover
        query_left.append((t, _round3(w * factor)))
    denominator = matched_weight + sum(cost for _, cost in query_left) + sum(cost for _, cost in listed_left)
    if person and query_left and listed_left:
        # Both give a patronymic and they differ: another father, so another person.
        if any(ssm1.is_patronymic(t) for t, _ in query_left) and any(ssm1.is_patronymic(t) for t, _ in listed_left):
            denominator += sum(w * (1 - W.query_patronymic_leftover) for t, w in zip(q.tokens, q.weights)
                               if ssm1.is_patronymic(t) and t in dict(query_left))
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


def best_name(pq: ssm1.PreparedQuery, record: ssm1.PreparedRecord) -> tuple[NameMatch2, Name2, Name2] | None:
    person = record.kind == "person"
    q = _query_name(pq, person)
    if q is None:
        return None
    memo = pq.memo2
    best: tuple[float, NameMatch2, Name2] | None = None
    for listed in record.names:
        c = prepare(listed.full, listed.type, person)
        key = (c.tokens, c.abjad, person, q.person_form)
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
    an ending taken off, a particle written onto it taken off."""
    forms = dict.fromkeys([token, leet(token)])
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
    return _search_name(pq.name)


@lru_cache(maxsize=20_000)
def _search_name(name: ssm1.PreparedName) -> ssm1.PreparedName:
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
