"""Normalisation: one way of turning names, addresses and identifiers into comparable tokens.

Used at index time (when a worker builds its index of a list version) and at query time,
so both sides always agree. Every function here is pure and cached where it pays.

    fold("ООО «Ромашка»")               → "ooo romashka"
    name_tokens("ООО «Ромашка»")        → NameTokens(tokens=("romashka",), legal_forms=("llc",))
    name_tokens("PUTIN, Vladimir")      → ("vladimir", "putin")
    address_tokens("ul. Tverskaya 7")   → ("street", "tverskaya", "7")
    identifier_key("IMO 9187629")       → "9187629"
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

from service.matching.tables import (
    ADDRESS_ABBREVIATIONS,
    ARABIC_LETTERS,
    CITY_VARIANTS,
    HOMOGLYPHS,
    LEGAL_FORMS,
    NAME_VARIANTS,
    PARTICLES,
    ROMAN_NUMERALS,
)

# Zero-width and other invisible formatting characters (Unicode category Cf) and controls (Cc).
_INVISIBLE = {"Cf", "Cc"}
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
# Chinese characters and Korean syllable blocks: one syllable each.
_SYLLABIC = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002ffff]")
_ARABIC = re.compile("[" + "".join(ARABIC_LETTERS) + "]")
# Greek letter pairs that stand for one Latin sound, as names are romanised: "Μουτεμπουτσι"
# is Mutebutsi (anyascii reads each letter: "Moytempoytsi").
GREEK_DIGRAPHS = {"ου": "u", "μπ": "b", "ντ": "d", "γκ": "g", "τζ": "j", "ευ": "ev", "αυ": "av"}
_GREEK_DIGRAPH = re.compile("|".join(GREEK_DIGRAPHS), re.IGNORECASE)
_ABJAD = re.compile(r"[\u0590-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LEGAL_FORM_MAX_WORDS = max(len(phrase.split()) for phrase in LEGAL_FORMS)
_LEGAL_FORM_PHRASES = {tuple(phrase.split()): code for phrase, code in LEGAL_FORMS.items()}
_CITY_PHRASES = {tuple(phrase.split()): canonical for phrase, canonical in CITY_VARIANTS.items()}
_CITY_MAX_WORDS = max((len(p) for p in _CITY_PHRASES), default=1)
# Forms of address that neither make nor break a person's name.
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mme", "herr", "frau"})
# Words that often lead a name without being part of it: an article, a rank, an honorific.
# Dropped only from the front of a name (and only when a name remains).
LEADING_WORDS = frozenset(
    {
        "the",
        "general",
        "gen",
        "colonel",
        "col",
        "major",
        "maj",
        "captain",
        "capt",
        "lieutenant",
        "lt",
        "admiral",
        "brigadier",
        "commander",
        "sheikh",
        "shaikh",
        "sheik",
        "haji",
        "hajji",
        "mullah",
        "mawlawi",
        "maulana",
        "mufti",
        "imam",
        "ayatollah",
        "president",
        "minister",
        "judge",
        "senator",
        "hon",
    }
    | TITLES
)
# What vessel names are often written behind: motor vessel, motor tanker, steamship.
VESSEL_PREFIXES = (("m", "v"), ("m", "t"), ("mv",), ("mt",), ("ss",), ("mts",))
# Ordinals and small cardinals in words, read as numbers ("First Branch" is "1 Branch").
NUMBER_WORDS = {
    word: str(value)
    for value, words in enumerate(
        (
            ("one", "first"),
            ("two", "second"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
        ),
        start=1,
    )
    for word in words
}
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")
# Roman numerals that are safe to read as numbers (not "i", "v", "x": initials; not "xi": a surname).
_ROMAN = {k: v for k, v in ROMAN_NUMERALS.items() if len(k) > 1 and k not in ("xi", "vi")}


def _fold_homoglyphs(word: str) -> str:
    """Latin look-alikes from Cyrillic or Greek, replaced only inside a mostly-Latin word."""
    latin = sum(1 for ch in word if "a" <= ch.lower() <= "z")
    foreign = sum(1 for ch in word if ch in HOMOGLYPHS)
    if latin == 0 or foreign == 0 or latin < foreign:
        return word
    return "".join(HOMOGLYPHS.get(ch, ch) for ch in word)


def _to_latin(text: str) -> str:
    # Chinese characters and Hangul blocks transliterate to one syllable each ("习近平" →
    # "Xi Jin Ping"); keep them apart so that legal forms (有限公司 → "you xian gong si")
    # and Korean given names can be recognised. anyascii drops alef and ain ("جابر" →
    # "jbr"); the few Arabic letters that carry a vowel sound are given one first.
    if _SYLLABIC.search(text):
        text = _SYLLABIC.sub(lambda m: f" {m.group(0)} ", text)
    if _ARABIC.search(text):
        text = _ARABIC.sub(lambda m: ARABIC_LETTERS[m.group(0)], text)
    if _GREEK_DIGRAPH.search(text):
        text = _GREEK_DIGRAPH.sub(lambda m: GREEK_DIGRAPHS[m.group(0).lower()], text)
    return anyascii(text)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lowercase ASCII words separated by single spaces, whatever the script or encoding."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        # Drop invisible characters; anyascii strips diacritics itself, and marks outside
        # Latin are letters' parts (й, ガ, Hindi vowel signs) that transliteration needs.
        text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
        text = " ".join(_fold_homoglyphs(word) for word in text.split())
        text = _to_latin(text)
    text = text.lower().replace("'", "").replace("`", "").replace("\u2019", "")
    return " ".join(_WORD_SPLIT.split(text)).strip()


@dataclass(frozen=True, slots=True)
class NameTokens:
    tokens: tuple[str, ...]  # comparable tokens, in the name's order
    legal_forms: tuple[str, ...] = ()  # canonical codes of legal forms found and removed
    abjad: bool = False  # written in a script without short vowels (Arabic, Hebrew)


def _strip_phrases(
    words: list[str], phrases: dict[tuple[str, ...], str], max_words: int
) -> tuple[list[str], list[str]]:
    """Remove every known phrase (longest first) from a word list; return (rest, codes)."""
    return _strip(words, phrases.get, max_words, 1)


def _strip(
    words: list[str], find: Callable[[tuple[str, ...]], str | None], max_words: int, min_words: int
) -> tuple[list[str], list[str]]:
    """Remove every run of words ``find`` recognises (longest first); return (rest, codes)."""
    out: list[str] = []
    found: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(max_words, len(words) - i), min_words - 1, -1):
            code = find(tuple(words[i : i + size]))
            if code is not None:
                found.append(code)
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out, found


def _reorder_comma(text: str) -> str:
    """ "PUTIN, Vladimir Vladimirovich" → "Vladimir Vladimirovich PUTIN"; "Rosneft, OAO" stays."""
    head, sep, tail = text.partition(",")
    if not sep or "," in tail:
        return text
    tail_words = fold(tail).split()
    if not tail_words or len(tail_words) > 4:
        return text
    if all((w,) in _LEGAL_FORM_PHRASES for w in tail_words) or _strip_phrases(
        tail_words, _LEGAL_FORM_PHRASES, _LEGAL_FORM_MAX_WORDS
    )[1]:
        return text
    return f"{tail} {head}"


def _number(word: str, words: int) -> str | None:
    """A word that stands for a number, as digits: "II" → "2", "34th" → "34", "First" → "1"
    (the last two only inside a longer name)."""
    if word in _ROMAN:
        return _ROMAN[word]
    if word[0].isdigit() and (ordinal := _ORDINAL.match(word)):
        return ordinal.group(1)
    if words > 1 and word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    return None


@lru_cache(maxsize=200_000)
def name_tokens(text: str, keep_legal_forms: bool = False, keep_particles: bool = False) -> NameTokens:
    """The tokens a name is compared by: legal forms, particles and titles removed, spelling
    variants canonicalised, roman numerals read as numbers. Word order is kept (scoring is
    order-free, but the order helps show which word matched which). ``keep_legal_forms``:
    the name is a person's, whose "Pao" or "Ao" is a name, not a legal form (ssm-2).
    ``keep_particles``: the name was romanised from syllables (Chinese, Korean, Burmese), where
    "Da", "De", "Do" are syllables of a name, not particles (ssm-2)."""
    words = fold(_reorder_comma(text)).split()
    if not words:
        return NameTokens(())
    forms: list[str]
    if keep_legal_forms:
        rest, forms = list(words), []
    else:
        rest, forms = _strip_misspelt_phrases(words)
        rest, exact_forms = _strip_phrases(rest, _LEGAL_FORM_PHRASES, _LEGAL_FORM_MAX_WORDS)
        forms += exact_forms
    restored = not rest
    if restored:  # a name that is nothing but a legal form keeps its words
        rest, forms = words, []
    while len(rest) > 1 and rest[0] in LEADING_WORDS and (rest[0] == "the" or len(rest) > 2):
        rest = rest[1:]  # "General Jawdat Mawas" → "Jawdat Mawas"; "General Electric" stays
    for prefix in VESSEL_PREFIXES:  # "MV Marivan", "M/T Sam Jong 1"
        if len(rest) > len(prefix) and tuple(rest[: len(prefix)]) == prefix:
            rest = rest[len(prefix) :]
            break
    last = len(rest) - 1
    # A particle qualifies the word after it (al-Baghdadi, bin Laden, van Gogh): the last word
    # is never one ("EP-IBN" is a tail number); a one-letter one ("Ortega y Gasset") only
    # stands between words, first it is an initial.
    kept = [
        w
        for i, w in enumerate(rest)
        if w not in TITLES and (keep_particles or w not in PARTICLES or i == last or (len(w) == 1 and i == 0))
    ] or rest
    if abjad := bool(_ABJAD.search(text)):
        # Arabic script writes the article on the word: "الزواهري" → "alzwahry".
        kept = [w[2:] if w.startswith("al") and len(w) > 4 else w for w in kept]
    if len(kept) > 1 and not restored and not keep_legal_forms:
        # A misspelt legal form ("Limitd", "Companiy") is still a legal form.
        misspelt = [w for w in kept if w not in LEGAL_FORMS and w not in NAME_VARIANTS and _misspelt_form(w)]
        if misspelt and len(misspelt) < len(kept):
            forms += [LEGAL_FORMS[_misspelt_form(w)] for w in misspelt]  # type: ignore[index]
            kept = [w for w in kept if w not in misspelt]
    tokens = _split_abd(tuple(_number(w, len(kept)) or _variant(w) for w in kept))
    return NameTokens(tokens, tuple(dict.fromkeys(forms)), abjad)


_ABD = re.compile(r"^abd(?:ul|el|al|ol|ur|er|ar|u|e|a)?(?=[a-z]{3})")
_ALLAH = ("lah", "llah", "allah")


def _wildcards(phrases: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], list[tuple[int, str, str]]]:
    """Multi-word phrases with one long word left out: (phrase with "*") → (position, word, code)."""
    out: dict[tuple[str, ...], list[tuple[int, str, str]]] = {}
    for phrase in phrases:
        for i, word in enumerate(phrase):
            if len(phrase) > 1 and len(word) >= _FUZZY_MIN_LENGTH - 1:
                key = phrase[:i] + ("*",) + phrase[i + 1 :]
                out.setdefault(key, []).append((i, word, _LEGAL_FORM_PHRASES[phrase]))
    return out


def _strip_misspelt_phrases(words: list[str]) -> tuple[list[str], list[str]]:
    """Multi-word legal forms with one word misspelt by an edit ("Public Joint Stoick Company")."""
    if not any(w in _PHRASE_WORDS for w in words):
        return words, []  # every such phrase keeps at least one word spelt right
    return _strip(words, _misspelt_phrase, _LEGAL_FORM_MAX_WORDS, 2)


def _misspelt_phrase(window: tuple[str, ...]) -> str | None:
    """The legal form these words spell with one word off by an edit, if any."""
    for j in range(len(window)):
        for position, word, code in _MISSPELT_FORMS.get(window[:j] + ("*",) + window[j + 1 :], ()):
            if position == j and OSA.distance(window[j], word) == 1:
                return code
    return None


def _split_abd(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """One spelling for the Arabic "servant of" names, written apart or together:
    "Abdul Rahman", "Abd al-Rahman", "Abdelrahman", "Abdurrahman" → "abd", "rahman" (apart,
    so that "A. Rahman" still aligns its initial)."""
    if not any(t.startswith("abd") and len(t) > 5 for t in tokens):
        return tokens
    out: list[str] = []
    for token in tokens:
        if token.startswith("abd") and len(token) > 5:
            rest = _ABD.sub("", token)
            if rest != token and rest not in _ALLAH:
                out += ["abd", NAME_VARIANTS.get(rest, rest)]
                continue
        out.append(token)
    return tuple(out)


def _fuzzy_keys(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Deletion keys of long-enough words, for finding them one edit away."""
    keys: dict[str, set[str]] = {}
    for word in words:
        if len(word) >= _FUZZY_MIN_LENGTH:
            for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                keys.setdefault(key, set()).add(word)
    return {key: tuple(sorted(found)) for key, found in keys.items()}


def _near(word: str, keys: dict[str, tuple[str, ...]]) -> str | None:
    """The known word one edit away from ``word`` (or ``word`` itself), if any."""
    if len(word) < _FUZZY_MIN_LENGTH:
        return None
    for key in (word, *(word[:i] + word[i + 1 :] for i in range(len(word)))):
        for known in keys.get(key, ()):
            if OSA.distance(word, known) <= 1:
                return known
    return None


@lru_cache(maxsize=200_000)
def _misspelt_form(word: str) -> str | None:
    """The one-word legal form ``word`` misspells by an edit, if any."""
    return _near(word, _LEGAL_FORM_WORDS)


@lru_cache(maxsize=200_000)
def _variant(word: str) -> str:
    """The canonical spelling of a name ("Mohamed" → "muhammad"), also when misspelt by one
    letter ("Serrhiy" → the canonical of "Serhiy")."""
    canonical = NAME_VARIANTS.get(word)
    if canonical is not None:
        return canonical
    if len(word) < _FUZZY_VARIANT_LENGTH:
        return word
    near = _near(word, _VARIANT_WORDS)
    if near is None or word.startswith(near) or near.startswith(word) or word[0] != near[0]:
        return word  # "Ahmadi", "Muhammadi", "Ghassan" are names of their own, not misspellings
    return NAME_VARIANTS[near]


_FUZZY_MIN_LENGTH = 5
_FUZZY_VARIANT_LENGTH = 7
_LEGAL_FORM_WORDS = _fuzzy_keys(phrase for phrase in LEGAL_FORMS if " " not in phrase)
_VARIANT_WORDS = _fuzzy_keys(NAME_VARIANTS)
_MISSPELT_FORMS = _wildcards(_LEGAL_FORM_PHRASES)
_PHRASE_WORDS = frozenset(w for phrase in _LEGAL_FORM_PHRASES if len(phrase) > 1 for w in phrase)


_PHONETIC_DIGRAPHS = (
    ("x", "ks"),  # first: Exchange / Ekschange
    ("sch", "s"),
    ("tch", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("kh", "h"),  # Makhin / Mahin, Khalid / Halid
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("zh", "j"),
    ("dzh", "j"),
    ("dj", "j"),
    ("ts", "s"),
    ("tz", "s"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("g", "k"),  # Qaddafi / Gaddafi
    ("z", "s"),
    ("w", "v"),
    ("v", "f"),  # Klebanov / Klebanoff, Ivanov / Iwanow
    ("y", "i"),
    ("j", "i"),
)
_VOWELS = frozenset("aeiou")
_DOUBLED = re.compile(r"(.)\1")


@lru_cache(maxsize=500_000)
def phonetic(token: str) -> str:
    """A sound key that survives transliteration variants: consonant digraphs made one
    letter, vowel runs made one "a", doubled letters made single. Qaddafi / Kadhafi →
    "kadaf"; Tchaikovsky / Chaykovskiy → "kakafsk"; Putin ≠ Potanin."""
    if not token or not token.isalpha():
        return token
    t = _DOUBLED.sub(r"\1", token)  # Maddzh / Madj, Klebanoff / Klebanov
    for a, b in _PHONETIC_DIGRAPHS:
        t = t.replace(a, b)
    out = ["a" if t[0] in _VOWELS else t[0]]
    for ch in t[1:]:
        if ch == "h":
            continue
        mapped = "a" if ch in _VOWELS else ch
        if mapped != out[-1]:
            out.append(mapped)
    return "".join(out)


_SKELETON_DROP = str.maketrans({ch: None for ch in "aeiouyw"})


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """The consonants alone, doubled ones made single, as a script without short vowels
    writes a name: "Zawahiri" and "زواهري" → "zhr"; "Mohammad" and "محمد" → "mhmd"."""
    if not token.isalpha():
        return token
    out: list[str] = []
    for ch in token.replace("q", "k").translate(_SKELETON_DROP):
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=100_000)
def address_tokens(text: str) -> tuple[str, ...]:
    """Address words with abbreviations spelled one way ("St", "Str." → "street"; "ul." →
    "street") and well-known city spellings made one ("St Petersburg" → "saint petersburg")."""
    words = fold(text).split()
    words, cities = _strip_phrases(words, _CITY_PHRASES, _CITY_MAX_WORDS)
    tokens = [ADDRESS_ABBREVIATIONS.get(w, w) for w in words]
    for city in cities:
        tokens.extend(city.split())
    return tuple(tokens)


_ID_PREFIXES = ("IMO", "MMSI")


def identifier_key(value: str) -> str:
    """Identifiers compared by letters and digits only, in upper case: "IMO 9187629" and
    "9187629" agree, as do "7707 329152" and "7707329152"."""
    key = "".join(ch for ch in unicodedata.normalize("NFKC", value).upper() if ch.isalnum())
    for prefix in _ID_PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :].isdigit():
            return key[len(prefix) :]
    return key
