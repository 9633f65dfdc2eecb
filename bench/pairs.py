"""Labelled name pairs: a counterparty's name and one listed record, the same party or not.

    python -m bench.pairs [--lists-dir ../shared/lists] [--seed 12] [--scale 1.0] [--write pairs.jsonl]

Where ``bench/evalset.py`` screens perturbed names against whole lists, this set judges the
scorer pair by pair, by kind of name variation (issue 12): small edits, other languages'
renderings, other scripts, company names as people write them, and hard negatives. Each pair
starts from a real listed entity of the shared lists (read with the project's parsers) and
changes its name by one rule written down in ``bench`` (this module, ``bench/renderings.py``,
``bench/scripts.py``); negatives take other given names, surnames and company words from
``bench/data``. A positive is the same name as an analyst would accept it; a negative names
another person or company. Groups: ``edit`` (final letter, one and two slips, a space inside
a word, particles joined, digits for letters, trailing vowel), ``language`` (nine
romanisations of the lists' Cyrillic, Turkish spellings, titles in other languages),
``script`` (the lists' own original-script names, and Arabic, Hebrew, Greek, Armenian,
Georgian, Devanagari, Bengali, Burmese, Japanese, Chinese and Korean spellings of Latin
names), ``company`` (plural, word order, a generic word added, a long descriptive form,
Russian legal forms spelt out, state-corporation short forms, transliteration, number words,
abbreviations, places in brackets) and ``negative`` (relatives, other patronymics, other
numbers, one similar word, East-Asian syllables one letter apart, names that read as legal
forms, same given names, another company word).

One pair, as JSON::

    {"id": "edit_digits-0007", "kind": "edit_digits", "label": true,
     "query": {"name": "S0K0L0V, Ivan", "kind": "person", "country": "RU"},
     "record": {"kind": "person", "names": ["SOKOLOV, Ivan"], "countries": ["RU"]},
     "why": "o written as the digit 0", "entity": "gb_hmt:12345"}

``entity`` names the listed entity whose name the record holds (the selection check of
``bench/pair_accuracy.py`` looks for it among the index's candidates), or is null when the
record is made up. Each category draws from its own ``random.Random`` seeded from the seed and
its name, over entities in id order, so a seed gives the same pairs in any process and one
category's change moves no other's pairs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from bench import evalset, renderings, scripts  # noqa: E402
from service.model import Entity, Kind, NameType  # noqa: E402

Pair = dict[str, Any]
DEFAULT_SEED = 12


# ---------------------------------------------------------------- the entities a rule may start from


# Letters of the scripts after Latin in Unicode (Greek, Cyrillic … Ethiopic, CJK, kana, Hangul):
# a fast test where ``evalset.is_latin`` names every character.
_NON_LATIN = re.compile(r"[\u0370-\u1dff\u2e80-\ua6ff\uac00-\ud7ff\uf900-\ufaff\ufb1d-\ufdff\ufe70-\ufeff]")
_LATIN_NAMES: dict[tuple[str, tuple[Any, ...]], list[str]] = {}


def is_latin(text: str) -> bool:
    return not _NON_LATIN.search(text)


def _latin_names(entity: Entity) -> list[str]:
    """The primary name, then the strong a.k.a.s, in Latin script (cached: every rule asks)."""
    key = (entity.id, entity.names)
    names = _LATIN_NAMES.get(key)
    if names is None:
        candidates = [entity.name] + [n.full for n in entity.names if n.type is NameType.AKA and n.full != entity.name]
        names = _LATIN_NAMES[key] = [n for n in candidates if n.strip() and is_latin(n)]
    return names


def _words(name: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", name)


_RU_FORMS = re.compile(r"\b(OOO|ООО|AO|АО|OAO|ОАО|PAO|ПАО|ZAO|ЗАО|FGUP|NPO|NPP|LLC|JSC|OJSC|PJSC|CJSC)\b")
_EX_USSR = frozenset("RU BY UA KZ AM GE AZ UZ KG TJ TM MD".split())
_ARAB = evalset._ARAB_COUNTRIES
_SOUTH_ASIA = frozenset("IN PK BD NP LK AF".split())


def _countries(entity: Entity) -> set[str]:
    return set(entity.countries) | set(entity.nationalities) | {a.country for a in entity.addresses if a.country}


_SLAVIC = re.compile(r"(?:ov|ev|ova|eva|ovich|evich|ovna|evna|ovych|ivna|enko|chuk|skiy|skii|sky|skaya|ska)$", re.I)


def is_russian_person(entity: Entity, name: str) -> bool:
    """A person of the former USSR, or one whose name has Slavic endings (the lists' "Russian" names)."""
    words = _words(name)
    return entity.kind is Kind.PERSON and (
        bool(_countries(entity) & _EX_USSR) or sum(bool(_SLAVIC.search(w)) for w in words if len(w) > 4) >= 1
    )


def is_arab_person(entity: Entity, name: str) -> bool:
    """A person of an Arab country, or with two words of the Arabic name table (or al-, bin, abu)."""
    words = [w.lower() for w in _words(name)]
    markers = sum(w in evalset._ARABIC_MARKERS for w in words) + sum(w in ("bin", "ibn", "abu", "bint") for w in words)
    return entity.kind is Kind.PERSON and bool(_countries(entity) & _ARAB or markers >= 2)


# ---------------------------------------------------------------- records and queries


def record_of(entity: Entity, names: Sequence[str]) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": entity.kind.value, "names": list(names)}
    countries = sorted(set(entity.countries) | set(entity.nationalities))
    if countries:
        record["countries"] = countries[:4]
    if entity.kind is Kind.PERSON and entity.birth_dates:
        record["birth_dates"] = [b.date for b in entity.birth_dates[:3]]
    return record


def query_of(name: str, entity: Entity, rng: random.Random, facts: bool = True) -> dict[str, Any]:
    """The query as a client sends it: the kind two times in three, the country or birth year now and then."""
    query: dict[str, Any] = {"name": name}
    if rng.random() < 2 / 3:
        query["kind"] = entity.kind.value
    if facts and rng.random() < 0.3:
        countries = sorted(set(entity.countries) | set(entity.nationalities))
        if countries:
            query["country"] = countries[0]
        if entity.kind is Kind.PERSON and entity.birth_dates and rng.random() < 0.5:
            query["birth_date"] = entity.birth_dates[0].date[:4]
    return query


@dataclass(frozen=True)
class Made:
    """What a rule made of one entity: the query name, the record's names, why they are (not) one."""

    query: str
    names: tuple[str, ...]
    why: str


Rule = Callable[[Entity, random.Random], "Made | None"]


@dataclass(frozen=True)
class Category:
    name: str
    label: bool
    group: str  # "edit", "language", "script", "company", "negative"
    rule: Rule
    eligible: Callable[[Entity], bool]
    quota: int
    facts: bool = True  # may the query carry the entity's country and birth year
    prefer: Callable[[Entity], bool] | None = None  # these entities first (a script's own people)


# ---------------------------------------------------------------- small edits

_VOWEL = "aeiouAEIOU"


def _word_spots(name: str, low: int, high: int = 99) -> list[re.Match[str]]:
    return [m for m in re.finditer(r"[A-Za-z]+", name) if low <= len(m.group()) <= high]


def _replace(name: str, m: re.Match[str], new: str) -> str:
    return name[: m.start()] + new + name[m.end() :]


def _pick(name: str, rng: random.Random, low: int, high: int = 99) -> re.Match[str] | None:
    spots = _word_spots(name, low, high)
    return rng.choice(spots) if spots else None


def _first_latin(entity: Entity, rng: random.Random, low: int = 5, high: int = 99) -> tuple[str, re.Match[str]] | None:
    for name in _latin_names(entity)[:2]:
        if re.search(r"\d", name):
            continue
        m = _pick(name, rng, low, high)
        if m is not None:
            return name, m
    return None


def final_letter(entity: Entity, rng: random.Random) -> Made | None:
    found = _first_latin(entity, rng)
    if found is None:
        return None
    name, m = found
    word = m.group()
    last = word[-1]
    if last in _VOWEL or rng.random() < 0.5:
        new, why = word + last, f"final letter of '{word}' doubled"
    else:
        new, why = word[:-1], f"final letter of '{word}' dropped"
    return Made(_replace(name, m, new), (name,), why)


def one_edit(entity: Entity, rng: random.Random) -> Made | None:
    """One keyboard slip inside one word of five letters or more (never its first letter)."""
    found = _first_latin(entity, rng)
    if found is None:
        return None
    name, m = found
    word = list(m.group())
    i = rng.randrange(1, len(word))
    op = rng.choice(("substitute", "delete", "insert", "transpose"))
    near = evalset._neighbours(word[i]) or "e"
    if op == "substitute":
        word[i] = evalset._recase(rng.choice(near), word[i])
    elif op == "delete":
        del word[i]
    elif op == "insert":
        word.insert(i, evalset._recase(rng.choice(near), word[i]))
    elif i + 1 < len(word) and word[i].lower() != word[i + 1].lower():
        word[i], word[i + 1] = word[i + 1], word[i]
    else:
        del word[i]
    new = "".join(word)
    if new.lower() == m.group().lower():
        return None
    return Made(_replace(name, m, new), (name,), f"one {op} in '{m.group()}'")


def two_edits(entity: Entity, rng: random.Random) -> Made | None:
    """Two slips in one word of six to eight letters: the most a careless clerk leaves in a surname."""
    found = _first_latin(entity, rng, 6, 8)
    if found is None:
        return None
    name, m = found
    word = list(m.group())
    spots = rng.sample(range(1, len(word)), 2)
    for i in sorted(spots, reverse=True):
        if rng.random() < 0.6:
            word[i] = evalset._recase(rng.choice(evalset._neighbours(word[i]) or "e"), word[i])
        else:
            del word[i]
    new = "".join(word)
    if sum(a != b for a, b in zip(new.lower(), m.group().lower())) + abs(len(new) - len(m.group())) < 2:
        return None
    return Made(_replace(name, m, new), (name,), f"two slips in '{m.group()}'")


def space_in_word(entity: Entity, rng: random.Random) -> Made | None:
    found = _first_latin(entity, rng, 6)
    if found is None:
        return None
    name, m = found
    word = m.group()
    cut = rng.randrange(3, len(word) - 2)
    return Made(_replace(name, m, word[:cut] + " " + word[cut:]), (name,), f"a space inside '{word}'")


# Particles that are written apart or joined to the name they lead (de la Cruz / Delacruz).
_PARTICLES = re.compile(
    r"\b(de la|de los|de las|van der|van den|von der|de|del|della|da|das|dos|di|du|van|von|le|la|al|el|ul|ud|"
    r"bin|ben|ibn|abu|abd|bou|mac|mc|st|ter|ten|op)[\s-]+(?=[A-Za-z]{3,})",
    re.I,
)


def particles_joined(entity: Entity, rng: random.Random) -> Made | None:
    for name in _latin_names(entity)[:3]:
        spots = list(_PARTICLES.finditer(name))
        if not spots:
            continue
        m = rng.choice(spots)
        particle = m.group(1).replace(" ", "")
        rest = name[m.end() :]
        # "AL HASSAN" → "ALHASSAN", "de la Cruz" → "delacruz" → "Delacruz" as one word.
        joined = particle + (rest if rest[:2].isupper() else rest[:1].lower() + rest[1:])
        if not particle.isupper() or not rest[:2].isupper():
            joined = joined[:1].upper() + joined[1:]
        out = name[: m.start()] + joined
        return Made(out, (name,), f"particle '{m.group(1)}' joined to the next word")
    return None


_DIGITS = {"o": "0", "i": "1", "l": "1", "e": "3", "a": "4", "s": "5", "b": "8", "t": "7", "g": "9"}


def digits_for_letters(entity: Entity, rng: random.Random) -> Made | None:
    found = _first_latin(entity, rng, 4)
    if found is None:
        return None
    name, m = found
    letters = [c for c in dict.fromkeys(m.group().lower()) if c in _DIGITS and c != m.group()[0].lower()]
    if not letters:
        return None
    chosen = set(rng.sample(letters, min(len(letters), rng.choice((1, 1, 2)))))
    whole = rng.random() < 0.4  # the whole name, or the one word
    target = name if whole else m.group()
    new = "".join(_DIGITS[c.lower()] if c.lower() in chosen else c for c in target)
    out = new if whole else _replace(name, m, new)
    if out == name:
        return None
    return Made(out, (name,), f"{', '.join(sorted(chosen))} written as digits")


def trailing_vowel(entity: Entity, rng: random.Random) -> Made | None:
    """A vowel added to a word that ends in a consonant, or a word's final vowel dropped (not a
    Slavic feminine -a, which names another person)."""
    found = _first_latin(entity, rng, 4)
    if found is None:
        return None
    name, m = found
    word = m.group()
    if _PATRONYMIC.match(word):
        return None
    if word[-1] in _VOWEL:
        if word.lower().endswith(("ova", "eva", "ina", "aya", "ska", "yna")) or len(word) < 5:
            return None
        return Made(_replace(name, m, word[:-1]), (name,), f"final vowel of '{word}' dropped")
    vowel = rng.choice("aeiou")
    new = word + (vowel.upper() if word.isupper() else vowel)
    return Made(_replace(name, m, new), (name,), f"vowel '{vowel}' added to '{word}'")


# ---------------------------------------------------------------- other languages' renderings


def _cyrillic_of(entity: Entity, latin: str) -> str | None:
    """The entity's own Cyrillic name when the list gives one of as many words, else the Latin spelt in Cyrillic."""
    count = len(_words(latin))
    for n in entity.names:
        if n.script == "Cyrl" and len(_words(n.full)) == count:
            return n.full
    if re.search(r"\d", latin):
        return None
    return evalset.to_script(latin, "Cyrl")


def _language_rule(language: str) -> Rule:
    def rule(entity: Entity, rng: random.Random) -> Made | None:
        for latin in _latin_names(entity)[:1]:
            cyrillic = _cyrillic_of(entity, latin)
            if not cyrillic:
                return None
            out = re.sub(r"[^\W\d_]+", lambda m: renderings.romanise(m.group(), language), cyrillic)
            out = out.replace(",", "").strip()
            if evalset.fold(out) == evalset.fold(latin) or not is_latin(evalset.strip_accents(out)):
                return None
            return Made(out, (latin,), f"the Russian name as {language} writes it (from '{cyrillic}')")
        return None

    return rule


def turkish(entity: Entity, rng: random.Random) -> Made | None:
    for latin in _latin_names(entity)[:1]:
        if is_russian_person(entity, latin) and not is_arab_person(entity, latin):
            cyrillic = _cyrillic_of(entity, latin)
            if not cyrillic:
                return None
            out = re.sub(r"[^\W\d_]+", lambda m: renderings.romanise(m.group(), "turkish"), cyrillic)
            why = f"the Russian name as Turkish writes it (from '{cyrillic}')"
        else:
            out = re.sub(r"[A-Za-z]+", lambda m: renderings.turkish_arabic(m.group()), latin)
            why = "the Arabic name as Turkish spells it"
        out = out.replace(",", "").strip()
        if evalset.fold(out) == evalset.fold(latin):
            return None
        return Made(out, (latin,), why)
    return None


def title_in_name(entity: Entity, rng: random.Random) -> Made | None:
    names = _latin_names(entity)
    if not names:
        return None
    name = names[0]
    title = rng.choice(renderings.TITLES)
    person = evalset.PersonName.parse(name)
    plain = " ".join(person.given + person.surname) if person.layout == "comma" else name
    out = f"{title} {plain}" if rng.random() < 0.85 else f"{plain} ({title})"
    return Made(out, (name,), f"the title '{title}' left in the name")


# ---------------------------------------------------------------- scripts


def listed_script(script: str | None) -> Rule:
    """The list's own name in another script against the entity's Latin names."""

    def rule(entity: Entity, rng: random.Random) -> Made | None:
        latin = _latin_names(entity)[:5]
        others = [
            n.full
            for n in entity.names
            if not is_latin(n.full)
            and (script is None and n.script not in ("Cyrl", "Arab") or n.script == script)
            and _sounds_like_one_of(n.full, latin)
        ]
        if not latin or not others:
            return None
        chosen = rng.choice(others)
        return Made(chosen, tuple(latin), f"the list's own {scripts_name(chosen)} name")

    return rule


_CJK = re.compile(r"([\u2e80-\u9fff\uac00-\ud7ff\uf900-\ufaff])")


def _sounds_like_one_of(original: str, latin: Sequence[str]) -> bool:
    """Whether the original-script name renders a Latin name's sounds rather than translating it
    (the lists give both: 'Российские железные дороги' is RUSSIAN RAILWAYS translated): half its
    words of three letters or more, transliterated, are close to words of the Latin names; in
    Chinese, Japanese and Korean (a syllable a character) two syllables together are one."""
    listed = {w for name in latin for w in evalset.fold(name).split() if len(w) >= 3}

    def close(word: str) -> bool:
        return any(fuzz.ratio(word, x) >= 75 for x in listed)

    if _CJK.search(original):
        syllables = evalset.fold(_CJK.sub(r" \1 ", original)).split()
        return any(close(a + b) for a, b in zip(syllables, syllables[1:]))  # 巨航 → "ju hang" → "juhang"
    words = [w for w in evalset.fold(original).split() if len(w) >= 3]
    return bool(words) and sum(close(w) for w in words) * 2 >= len(words)


def scripts_name(text: str) -> str:
    for c in text:
        if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"):
            return unicodedata.name(c, "?").split()[0].title()
    return "Latin"


def written_in(script: str, person_only: bool = True) -> Rule:
    def rule(entity: Entity, rng: random.Random) -> Made | None:
        for listed in _latin_names(entity)[:2]:
            if re.search(r"\d", listed):
                continue
            latin = re.sub(r"[‘’`ʿʾ]", "", listed)  # ain and hamza marks: the script writes its own letters
            person = evalset.PersonName.parse(latin)
            # Scripts write a person's name in its own order: given names first, except in East Asia.
            plain = " ".join(person.given + person.surname) if person.layout == "comma" else latin
            tokens = latin.replace(",", " ").split()
            east_asian = script in ("Hani", "Hang") or script == "Jpan" and "JP" in _countries(entity)
            if east_asian and (person.layout == "comma" or not all(t.isupper() for t in tokens)):
                plain = " ".join(person.surname + person.given)  # "Yong Nam KIM" → 김용남
            out = scripts.write(plain, script)
            if out and not is_latin(out) and out.strip():
                return Made(out, (listed,), f"'{plain}' written in {script}")
        return None

    return rule


# ---------------------------------------------------------------- companies


Bare = tuple[str, str, "tuple[str, str, int] | None"]
_BARE: dict[tuple[str, tuple[Any, ...]], Bare | None] = {}


def _org_bare(entity: Entity) -> Bare | None:
    """(listed name, its words without the legal form, the legal form found); cached."""
    key = (entity.id, entity.names)
    if key not in _BARE:
        _BARE[key] = None
        for name in _latin_names(entity)[:2]:
            found = evalset._find_legal_form(name)
            bare = evalset._strip_legal_form(name, found) if found else name.strip()
            if bare:
                _BARE[key] = (name, bare, found)
                break
    return _BARE[key]


_PLURALS = (
    ("industries", "industry"), ("holdings", "holding"), ("systems", "system"), ("technologies", "technology"),
    ("services", "service"), ("solutions", "solution"), ("products", "product"), ("resources", "resource"),
    ("enterprises", "enterprise"), ("investments", "investment"), ("communications", "communication"),
    ("materials", "material"), ("metals", "metal"), ("chemicals", "chemical"), ("electronics", "electronic"),
    ("engineers", "engineer"), ("partners", "partner"), ("ventures", "venture"), ("logistics", "logistic"),
    ("exchanges", "exchange"), ("minerals", "mineral"), ("instruments", "instrument"), ("supplies", "supply"),
    ("factories", "factory"), ("works", "work"), ("brothers", "brother"),
    ("trades", "trade"), ("goods", "good"), ("stars", "star"), ("lines", "line"), ("forces", "force"),
    ("funds", "fund"), ("shipyards", "shipyard"), ("laboratories", "laboratory"), ("plants", "plant"),
)  # fmt: skip
_TO_SINGULAR = {p: s for p, s in _PLURALS}
_TO_PLURAL = {s: p for p, s in _PLURALS}


def plural(entity: Entity, rng: random.Random) -> Made | None:
    for name in _latin_names(entity)[:3]:
        spots = [
            m
            for m in re.finditer(r"[A-Za-z]+", name)
            if m.group().lower() in _TO_SINGULAR or m.group().lower() in _TO_PLURAL
        ]
        if spots:
            m = rng.choice(spots)
            low = m.group().lower()
            new = _TO_SINGULAR.get(low) or _TO_PLURAL[low]
            return Made(_replace(name, m, evalset._recase(new, m.group())), (name,), f"'{m.group()}' ↔ '{new}'")
    return None


# Heads that English names put before "of Y" (Bank of Y, Ministry of Y), not Company or Group.
_HEADS = ("bank", "ministry", "institute", "university", "academy", "organization", "organisation", "center",
          "centre", "agency", "committee", "council", "office", "department", "authority", "foundation",
          "association", "union", "society", "school", "college", "port", "fund")  # fmt: skip


def of_order(entity: Entity, rng: random.Random) -> Made | None:
    """ "X of Y" written "Y X", and "Y X" written "X of Y" for a one-word Y."""
    found = _org_bare(entity)
    if found is None:
        return None
    name, bare, _ = found
    m = re.fullmatch(r"(?:the\s+)?(.+?)\s+of\s+(?:the\s+)?(.+)", bare, re.I)
    # Only "<head> of <name>" (Ministry of Defence, Bank of Moscow), not "Group of Companies" or a date.
    if (
        m
        and len(m.group(1).split()) <= 4
        and m.group(1).split()[-1].lower() in _HEADS + _OF_HEADS
        and len(m.group(2).split()) <= 3
        and re.fullmatch(r"[A-Za-z' -]+", m.group(2))
        and m.group(2).lower() not in ("companies", "the companies")
        and not re.search(r"\b(for|to|and|of)\b|[&(]", m.group(1) + " " + m.group(2), re.I)
    ):
        return Made(f"{m.group(2)} {m.group(1)}", (name,), "'X of Y' written 'Y X'")
    words = bare.split()
    # Only a proper name goes after "of": Mellat Bank → Bank of Mellat, not Central Bank → Bank of Central.
    proper = (
        len(words) == 2
        and words[0].isalpha()
        and len(words[0]) >= 4
        and words[0].lower() not in _GENERIC_WORDS | _ADJECTIVES
    )
    if proper and words[1].lower() in _HEADS:
        of = "OF" if bare.isupper() else "of"
        return Made(f"{words[1]} {of} {words[0]}", (name,), "'Y X' written 'X of Y'")
    if len(words) == 2 and words[0].lower() in _HEADS and words[1].isalpha():
        return Made(f"{words[1]} {words[0]}", (name,), "'X Y' written 'Y X' (Bank Sepah / Sepah Bank)")
    return None


# More heads that take "of Y" when the name is written that way round.
_OF_HEADS = ("directorate", "command", "corporation", "army", "movement", "front", "establishment", "division",
             "federation", "party", "brigade", "brigades", "battalion", "league", "commission", "service", "chamber",
             "court", "conspiracy", "revival", "guard", "guards", "forces", "force", "ministry")  # fmt: skip
_ADJECTIVES = frozenset(
    "central national international united general state federal islamic russian arab iranian people popular"
    " first new great higher supreme joint military industrial commercial agricultural".split()
)
_GENERIC = ("Group", "Holding", "Concern", "Holdings", "Group of Companies", "Company", "Corporation")


def generic_word(entity: Entity, rng: random.Random) -> Made | None:
    found = _org_bare(entity)
    if found is None:
        return None
    name, bare, _ = found
    if len(bare.split()) != 1 or len(bare) < 4 or not re.fullmatch(r"[A-Za-z][\w.-]+", bare):
        return None
    word = rng.choice(_GENERIC)
    out = f"{word} {bare}" if word in ("Concern", "Group") and rng.random() < 0.4 else f"{bare} {word}"
    return Made(out, (name,), f"the generic word '{word}' added to the one-word name")


_DESCRIPTORS = (
    "Joint Stock Company", "Open Joint Stock Company", "Public Joint Stock Company", "Closed Joint Stock Company",
    "Limited Liability Company", "Federal State Unitary Enterprise", "Federal State Budgetary Institution",
    "Joint Stock Company Scientific Production Association", "Research and Production Enterprise",
    "Limited Liability Company Trading House", "Joint Stock Company Research and Production Corporation",
    "Scientific Production Association", "Joint Stock Company Concern",
    "Limited Liability Company Private Security Company",
    "Joint Stock Company Design Bureau", "Federal State Unitary Enterprise Plant",
)  # fmt: skip


def descriptive(entity: Entity, rng: random.Random) -> Made | None:
    if not (_countries(entity) & _EX_USSR):
        return None
    found = _org_bare(entity)
    if found is None:
        return None
    name, bare, _ = found
    if len(bare.split()) > 2:
        return None
    core = bare.strip("\"'«» ")
    quoted = rng.choice((f'"{core}"', f"«{core}»", core))
    descriptor = rng.choice(_DESCRIPTORS)
    return Made(f"{descriptor} {quoted}", (name,), f"the long descriptive form '{descriptor} …' around the short name")


_RU_FULL = {
    ("OOO", "ООО", "LLC"): ("Общество с ограниченной ответственностью", "Obshchestvo s Ogranichennoi Otvetstvennostyu"),
    ("AO", "АО", "JSC"): ("Акционерное общество", "Aktsionernoe Obshchestvo"),
    ("PAO", "ПАО", "PJSC"): ("Публичное акционерное общество", "Publichnoe Aktsionernoe Obshchestvo"),
    ("OAO", "ОАО", "OJSC"): ("Открытое акционерное общество", "Otkrytoe Aktsionernoe Obshchestvo"),
    ("ZAO", "ЗАО", "CJSC"): ("Закрытое акционерное общество", "Zakrytoe Aktsionernoe Obshchestvo"),
    ("FGUP",): (
        "Федеральное государственное унитарное предприятие", "Federalnoe Gosudarstvennoe Unitarnoe Predpriyatie"
    ),
}  # fmt: skip


_TO_CYRILLIC = str.maketrans("AOPEKMTHXCB", "АОРЕКМТНХСВ")


def _strip_ru_form(cyrillic: str) -> str:
    """The name without its legal form, found also when spelt with Latin look-alikes (ПAO)."""
    found = _RU_FORMS.search(cyrillic.translate(_TO_CYRILLIC))  # one character for one: the spans agree
    if found:
        cyrillic = cyrillic[: found.start()] + cyrillic[found.end() :]
    return cyrillic.strip(" ,\"'«»")


def ru_legal_full(entity: Entity, rng: random.Random) -> Made | None:
    for name in _latin_names(entity)[:2]:
        m = _RU_FORMS.search(name)
        if not m:
            continue
        full = next((v for k, v in _RU_FULL.items() if m.group(1) in k), None)
        if full is None:
            return None
        bare = " ".join((name[: m.start()] + " " + name[m.end() :]).replace(",", " ").split()).strip("\"'«» ")
        if not bare:
            return None
        if rng.random() < 0.6:
            cyrillic = next((n.full for n in entity.names if n.script == "Cyrl"), None)
            # A list may spell the form with Latin look-alikes (ПAO): read them as Cyrillic first.
            core = _strip_ru_form(cyrillic) if cyrillic else None
            if not core:
                if any(w.lower() in evalset._ENGLISH_WORDS for w in _words(bare)) or re.search(r"\d", bare):
                    return None
                core = evalset.to_script(bare, "Cyrl")
            return Made(
                f"{full[0]} «{core}»", (name,), f"legal form {m.group(1)} spelt out in Russian, name in Cyrillic"
            )
        return Made(f'{full[1]} "{bare}"', (name,), f"legal form {m.group(1)} spelt out in transliterated Russian")
    return None


# Russian state corporations: the short name each goes by, in Latin and in Cyrillic.
_STATE_CORPORATIONS = {
    "ROSTEC": "Ростех", "ROSTEKH": "Ростех", "ROSATOM": "Росатом", "ROSKOSMOS": "Роскосмос", "ROSCOSMOS": "Роскосмос",
    "VNESHECONOMBANK": "Внешэкономбанк", "VNESHEKONOMBANK": "Внешэкономбанк", "VEB.RF": "ВЭБ.РФ",
    "ROSNANO": "Роснано", "AVTODOR": "Автодор", "ROSKHIMZASHCHITA": "Росхимзащита", "RUSNANO": "Роснано",
}  # fmt: skip
_STATE_CORP = re.compile(r"\bstate\b.*\bcorporation\b|\bgoskorporatsiya\b", re.I)
_STATE_FORMS = ("Госкорпорация «{cyr}»", "Госкорпорация {cyr}", "Goskorporatsiya {lat}", "Goskorporatsiya «{lat}»",
                "GK {lat}", "State Corp. {lat}", "ГК «{cyr}»", "Государственная корпорация «{cyr}»")  # fmt: skip


def goskorp(entity: Entity, rng: random.Random) -> Made | None:
    """A state corporation by its short form: Госкорпорация «Ростех» for the listed State Corporation Rostec."""
    for name in _latin_names(entity)[:3]:
        short = next((w for w in _STATE_CORPORATIONS if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", name, re.I)), None)
        if short is None:
            continue
        found = evalset._find_legal_form(name)
        bare = evalset._strip_legal_form(name, found) if found else name
        # The corporation itself, not a company named after it (LLC Rosatom Additive Technologies).
        if not (_STATE_CORP.search(name) or evalset.fold(bare) == evalset.fold(short)):
            continue
        form = rng.choice(_STATE_FORMS)
        return Made(
            form.format(cyr=_STATE_CORPORATIONS[short], lat=short.title()),
            (name,),
            f"the state corporation {short} by its short form",
        )
    return None


# Russian company words in the spellings of different transliteration schemes (scholarly vs common).
_ORG_TRANSLIT = (
    (r"ks", "x"), (r"x", "ks"), (r"kh", "h"), (r"tekh", "tech"), (r"kh", "ch"), (r"^ts", "c"), (r"ye", "e"),
    (r"iya$", "ia"), (r"ia$", "iya"), (r"yy$", "iy"), (r"iy$", "y"), (r"zh", "j"), (r"yu", "iu"), (r"ya", "ia"),
    (r"shch", "sch"), (r"ts", "tz"),
)  # fmt: skip
_NOT_RUSSIAN = frozenset(
    "scientific production enterprise joint stock state trading design bureau research institute plant factory"
    " central federal unitary public closed open limited liability company association corporation concern"
    " engineering machine building works shipyard aviation systems instruments electronics academy military"
    " special regional moscow saint petersburg russian russia siberian ural volga north south east west".split()
)
_ENGLISHY = re.compile(r"(tion|tions|ity|ing|ment|ments|ness|ics|ical|ance|ence|ship|ware|port)$", re.I)


def org_translit(entity: Entity, rng: random.Random) -> Made | None:
    if not (_countries(entity) & _EX_USSR):
        return None
    found = _org_bare(entity)
    if found is None:
        return None
    name = found[0]
    spots = [
        m
        for m in re.finditer(r"[A-Za-z]{5,}", name)
        if m.group().lower() not in evalset._ENGLISH_WORDS
        and m.group().lower() not in evalset._IGNORED_WORDS
        and not _ENGLISHY.search(m.group())
        and m.group().lower() not in _NOT_RUSSIAN
    ]
    rng.shuffle(spots)
    for m in spots:
        low = m.group().lower()
        rules = list(_ORG_TRANSLIT)
        rng.shuffle(rules)
        for pattern, replacement in rules:
            new = re.sub(pattern, replacement, low, count=1)
            if new != low:
                new = new.upper() if m.group().isupper() else evalset._recase(new, m.group())
                return Made(
                    _replace(name, m, new),
                    (name,),
                    f"'{m.group()}' in another transliteration ({pattern} → {replacement})",
                )
    return None


_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen twenty"
).split()
_ORDINALS = ("zeroth first second third fourth fifth sixth seventh eighth ninth tenth").split()


def number_words(entity: Entity, rng: random.Random) -> Made | None:
    for name in _latin_names(entity)[:3]:
        m = re.search(r"\b(\d{1,2})\b(?![./-]\d)", name)
        if m and int(m.group(1)) <= 20:
            word = _NUMBERS[int(m.group(1))]
            return Made(
                _replace(name, m, evalset._recase(word.title(), "X" if not name.isupper() else "XX")),
                (name,),
                f"{m.group(1)} written as '{word}'",
            )
        m = re.search(r"\b(\d{1,2})(st|nd|rd|th)\b", name, re.I)
        if m and int(m.group(1)) <= 10:
            return Made(_replace(name, m, _ORDINALS[int(m.group(1))].title()), (name,), "ordinal written as a word")
        for m in re.finditer(r"[A-Za-z]+", name):
            low = m.group().lower()
            if low in _NUMBERS[1:]:
                return Made(_replace(name, m, str(_NUMBERS.index(low))), (name,), f"'{m.group()}' written as a digit")
            if low in _ORDINALS[1:]:
                n = _ORDINALS.index(low)
                suffix = {1: "st", 2: "nd", 3: "rd"}.get(n, "th")
                return Made(_replace(name, m, f"{n}{suffix}"), (name,), f"'{m.group()}' written as {n}{suffix}")
    return None


_ABBREVIATIONS = (
    ("&", "and"), ("International", "Intl"), ("Company", "Co."), ("Corporation", "Corp."), ("Limited", "Ltd"),
    ("Brothers", "Bros."), ("Manufacturing", "Mfg."), ("United Kingdom", "U.K."), ("United Arab Emirates", "U.A.E."),
    ("Saint", "St."), ("Industries", "Inds."), ("Technology", "Tech."), ("Association", "Assn."),
    ("National", "Natl."), ("Department", "Dept."), ("Engineering", "Eng."), ("Services", "Svcs."),
    ("Establishment", "Est."), ("Incorporated", "Inc."), ("Import and Export", "Imp. & Exp."),
    ("General", "Gen."), ("Trading", "Trdg."), ("Investment", "Invest."), ("Development", "Dev."),
    ("Organization", "Org."), ("Management", "Mgmt."), ("Shipping", "Shpg."), ("Industrial", "Ind."),
    ("Building", "Bldg."), ("Center", "Ctr."), ("Mountain", "Mt."), ("Republic", "Rep."), ("Government", "Govt."),
    ("Islamic Republic of Iran", "I.R. Iran"), ("United States", "U.S."), ("Hong Kong", "HK"),
)  # fmt: skip


def abbreviation(entity: Entity, rng: random.Random) -> Made | None:
    for name in _latin_names(entity)[:3]:
        options = []
        for long, short in _ABBREVIATIONS:
            for a, b in ((long, short), (short, long)):
                pattern = re.escape(a) if not a[0].isalnum() else rf"(?<!\w){re.escape(a)}(?![\w])"
                if re.search(pattern, name, re.I):
                    options.append((pattern, a, b))
        if options:
            pattern, a, b = rng.choice(options)
            repl = b.upper() if name.isupper() else b
            out = re.sub(pattern, repl.replace("\\", "\\\\"), name, count=1, flags=re.I)
            out = " ".join(out.split())
            if out != name:
                return Made(out, (name,), f"'{a}' written '{b}'")
    return None


# Places the lists put in brackets after a name (and the entity's own cities): an acronym (LTTE),
# a code or a former name in brackets is not a place and makes no pair of this kind.
_PLACES = frozenset(
    "hong kong|h.k.|hk|dubai|uae|u.a.e.|sharjah|ajman|shenzhen|shanghai|beijing|guangzhou|singapore|moscow"
    "|st. petersburg|crimea|sevastopol|tanzania|kenya|namibia|pakistan|afghanistan|somalia|indonesia|bosnia"
    "|albania|netherlands|ethiopia|nigeria|bangladesh|iran|iraq|syria|lebanon|turkey|cyprus|malta|panama|belize"
    "|seychelles|bvi|london|uk|usa|china|russia|kazakhstan|uzbekistan|ukraine|belarus|germany|switzerland|latvia"
    "|macau|taiwan|malaysia|thailand|vietnam|india|sri lanka|yemen|jordan|egypt|libya|sudan|tunisia|algeria"
    "|morocco|mexico|colombia|venezuela|ecuador|peru|brazil|argentina|chile|cuba|north korea|dprk|pyongyang".split("|")
)


def _is_place(text: str, entity: Entity) -> bool:
    low = text.lower().strip()
    cities = {a.city.lower() for a in entity.addresses if a.city}
    return low in _PLACES or low in cities


def place_brackets(entity: Entity, rng: random.Random) -> Made | None:
    """A listed place in brackets left out or written without them, or the entity's city added in brackets."""
    for name in _latin_names(entity)[:2]:
        m = re.search(r"\s*\(([^()]{3,40})\)", name)
        # A place, not an acronym (LTTE), a code (KPE.018) or a former name (f.k.a. …).
        if m and _is_place(m.group(1), entity):
            place = m.group(1)
            if rng.random() < 0.5:
                return Made(" ".join(_replace(name, m, " ").split()), (name,), f"the place '({place})' left out")
            return Made(
                " ".join(_replace(name, m, f" {place} ").split()), (name,), f"the place '{place}' without brackets"
            )
    cities = sorted({a.city for a in entity.addresses if a.city and len(a.city) < 25 and is_latin(a.city)})
    found = _org_bare(entity)
    if not cities or found is None:
        return None
    name, bare, form = found
    city = rng.choice(cities)
    if form is not None and form[1] == "end":
        out = f"{bare} ({city}) {form[0]}"
    else:
        out = f"{name} ({city})"
    return Made(out, (name,), f"the place '({city})' added in brackets")


# ---------------------------------------------------------------- hard negatives

_GIVEN = evalset._read_parts("given_names.txt")
_SURNAMES = evalset._read_parts("surnames.txt")


def _culture(entity: Entity, name: str) -> str:
    countries = _countries(entity)
    if is_arab_person(entity, name):
        return "arabic"
    for culture, country in evalset._CULTURE_COUNTRY.items():
        if country in countries:
            return culture
    if countries & {"KP"}:
        return "korean"
    if countries & {"IR", "AF"}:
        return "persian"
    if is_russian_person(entity, name):
        return "russian"
    return "anglo"


def _unrelated(a: str, b: str) -> bool:
    """Two given names or surnames that are not spellings of one name."""
    ca, cb = evalset.canonical(a.lower()), evalset.canonical(b.lower())
    return ca != cb and ca[:3] != cb[:3] and evalset.fold(a) != evalset.fold(b)


def _person(entity: Entity) -> tuple[str, evalset.PersonName] | None:
    for name in _latin_names(entity)[:1]:
        if re.search(r"\d", name):
            return None
        person = evalset.PersonName.parse(name)
        words = person.given + person.surname
        if person.given and person.surname and all(len(w) > 1 and "." not in w for w in words):
            return name, person
    return None


def relative(entity: Entity, rng: random.Random) -> Made | None:
    """Another person of the same family: the surname kept, the given names another's."""
    found = _person(entity)
    if found is None:
        return None
    name, person = found
    culture = _culture(entity, name)
    first = person.given[0]
    others = [g for g in _GIVEN[culture] if _unrelated(g, first)]
    new_given = rng.choice(others)
    surname = list(person.surname)
    why = f"'{new_given}' of the {' '.join(surname)} family, not '{' '.join(person.given)}'"
    if (
        culture in ("russian", "ukrainian")
        and new_given.endswith("a")
        and surname[-1].lower().endswith(("ov", "ev", "in"))
    ):
        surname[-1] = surname[-1] + ("A" if surname[-1].isupper() else "a")
    given = (new_given.upper() if person.given[0].isupper() and len(person.given[0]) > 1 else new_given,)
    out = evalset.PersonName(given, tuple(surname), person.layout).render()
    return Made(out, (name,), why)


_PATRONYMIC = re.compile(r"^[A-Za-z]+(ovich|evich|ovych|evych|ich|ovna|evna|ichna|ivna)$", re.I)


def other_patronymic(entity: Entity, rng: random.Random) -> Made | None:
    found = _person(entity)
    if found is None:
        return None
    name, person = found
    spots = [i for i, g in enumerate(person.given) if _PATRONYMIC.match(g)]
    if not spots or len(person.given) < 2:
        return None
    i = spots[0]
    old = person.given[i]
    female = old.lower().endswith(("na",))
    ukrainian = old.lower().endswith(("ych", "ivna"))
    fathers = [g for g in _GIVEN["ukrainian" if ukrainian else "russian"] if not g.endswith("a")]
    for _ in range(10):
        new = evalset._patronymic(rng.choice(fathers), female, ukrainian)
        if new and _unrelated(new, old):
            new = new.upper() if old.isupper() else new
            given = person.given[:i] + (new,) + person.given[i + 1 :]
            return Made(
                evalset.PersonName(given, person.surname, person.layout).render(),
                (name,),
                f"another father: '{new}' for '{old}'",
            )
    return None


def other_number(entity: Entity, rng: random.Random) -> Made | None:
    for name in _latin_names(entity)[:2]:
        spots = list(re.finditer(r"(?<![\d.])\d{1,4}(?![\d.])", name))
        roman = list(re.finditer(r"(?<![\w.])(I{1,3}|IV|V|VI{1,3}|IX|X)(?![\w.])", name))
        if spots:
            m = rng.choice(spots)
            value = int(m.group())
            new = str(max(0, value + rng.choice((-2, -1, 1, 1, 2, 3))))
            if new != m.group():
                return Made(
                    _replace(name, m, new), (name,), f"number {new}, not {m.group()}: another fund, vessel or unit"
                )
        if roman and len(name.split()) > 1:
            m = rng.choice(roman)
            numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
            new = rng.choice([r for r in numerals if r != m.group()])
            return Made(_replace(name, m, new), (name,), f"numeral {new}, not {m.group()}")
    return None


_FILLER = tuple(w for group in ("place", "core", "activity") for w in evalset._read_parts("org_words.txt")[group])


def one_similar_word(entity: Entity, rng: random.Random) -> Made | None:
    """A two-word name sharing one (slightly misspelt) word with a listed name of four words or more."""
    found = _org_bare(entity) if entity.kind is not Kind.PERSON else None
    name = found[0] if found else (_latin_names(entity) or [""])[0]
    words = [w for w in re.findall(r"[A-Za-z]+", found[1] if found else name)]
    if len(words) < 4:
        return None
    keys = [w for w in words if len(w) >= 5 and w.lower() not in evalset._IGNORED_WORDS]
    if not keys:
        return None
    shared = rng.choice(keys)
    if rng.random() < 0.5:
        i = rng.randrange(1, len(shared))
        shared = shared[:i] + shared[i + 1 :]
    pool = (
        [g for c in ("anglo", "german", "french") for g in _SURNAMES[c]]
        if entity.kind is Kind.PERSON
        else list(_FILLER)
    )
    other = rng.choice([w for w in pool if w.lower() not in name.lower()])
    out = f"{shared} {other}" if rng.random() < 0.5 else f"{other} {shared}"
    return Made(out, (name,), f"two words, one like '{shared}', against a {len(words)}-word name")


# Letters that romanisations of one syllable trade (Kwang/Gwang, Chao/Zhao, Pak/Bak, Ri/Li): a
# syllable that differs only there may be the same one, so it makes no negative.
_SAME_SOUND = [frozenset(p) for p in ("kg", "pb", "td", "cz", "cj", "zj", "sx", "rl", "rn", "yi", "qc", "hk")]


def _syllable_swap(syllable: str, inventory: Iterable[str], rng: random.Random) -> str | None:
    """Another syllable of the inventory one consonant away: a vowel change may be a romanisation
    (Sung/Song, Chon/Chun, Aung/Oung), and so may a trade of ``_SAME_SOUND`` letters."""
    low = syllable.lower()
    options = []
    for s in sorted(inventory):
        if s == low or not s.isalpha() or len(s) != len(low):
            continue
        diff = [(a, b) for a, b in zip(s, low) if a != b]
        if len(diff) != 1:
            continue
        a, b = diff[0]
        if a in "aeiouy" or b in "aeiouy" or frozenset((a, b)) in _SAME_SOUND:
            continue
        options.append(s)
    return rng.choice(options) if options else None


def east_asian_letter(entity: Entity, rng: random.Random) -> Made | None:
    """A Chinese, Korean or Burmese given-name syllable one letter away: another person."""
    names = _latin_names(entity)
    if not names or re.search(r"\d", names[0]):
        return None
    name = names[0]
    countries = _countries(entity)
    inventory: Iterable[str]
    if countries & {"KP", "KR"}:
        inventory = scripts.HANGUL_WORDS
    elif countries & {"CN", "HK", "TW"}:
        inventory = scripts.HANZI
    elif countries & {"MM"}:
        inventory = scripts.BURMESE_WORDS
    else:
        return None
    # East Asian names put the surname first: "KIM Jong Un", "ZHANG, Wei"; Burmese names have none.
    tokens = list(re.finditer(r"[A-Za-z]+", name))
    if "," in name:
        given = [m for m in tokens if m.start() > name.index(",")]
    else:
        given = tokens if countries & {"MM"} else tokens[1:]
    if not given or not all(m.group().lower() in inventory for m in given):
        return None  # only names made of the script's syllables
    spots = [m for m in given if 2 <= len(m.group()) <= 6]
    rng.shuffle(spots)
    for m in spots:
        new = _syllable_swap(m.group(), inventory, rng)
        if new:
            new = new.upper() if m.group().isupper() else new.capitalize()
            return Made(_replace(name, m, new), (name,), f"syllable '{new}' for '{m.group()}': another person")
    return None


# Real given names and surnames that are also legal forms (PAO, AO, SA): Pao and Ao are Chinese
# and Hmong names, Sa a Korean and a Portuguese one.
_LEGAL_LOOKING = ("Pao", "Ao", "Sa")


def legal_word_person(entity: Entity, rng: random.Random) -> Made | None:
    """A person one of whose names reads as a legal form (Pao, Ao, Sa …), against a person with
    another name in its place: what remains after stripping is the same, the people are not."""
    found = _person(entity)
    if found is None:
        return None
    name, person = found
    culture = _culture(entity, name)
    word = rng.choice(_LEGAL_LOOKING)
    surname = person.surname
    listed = evalset.PersonName((word,), surname, person.layout).render()
    other = rng.choice([g for g in _GIVEN.get(culture, _GIVEN["chinese"]) if len(g) <= 5 and g.lower() != word.lower()])
    query = evalset.PersonName((other,), surname, person.layout).render()
    return Made(query, (listed,), f"'{other}' is not '{word}' (a name that reads like a legal form)")


def same_given(entity: Entity, rng: random.Random) -> Made | None:
    found = _person(entity)
    if found is None:
        return None
    name, person = found
    culture = _culture(entity, name)
    old = person.surname[-1]
    shaped = [s for s in _SURNAMES[culture] if _unrelated(s, old) and s[0].lower() == old[0].lower()]
    pool = shaped or [s for s in _SURNAMES[culture] if _unrelated(s, old)]
    new = rng.choice(pool)
    new = new.upper() if old.isupper() else new
    if (
        culture == "russian"
        and old.lower().endswith(("ova", "eva", "ina"))
        and new.lower().endswith(("ov", "ev", "in"))
    ):
        new += "A" if new.isupper() else "a"
    surname = person.surname[:-1] + (new,)
    return Made(
        evalset.PersonName(person.given, surname, person.layout).render(),
        (name,),
        f"same given names, surname '{new}' not '{old}'",
    )


# Words that say what a company is, in several languages: replacing one leaves the same company.
_GENERIC_WORDS = frozenset(
    "compania empresa sociedad societe société gesellschaft firma sirketi şirketi sherkat sherkate company companies"
    " corporation trading group general international national establishment est enterprise enterprises industries"
    " industrial holding holdings services service center centre office branch organization organisation agency"
    " factory plant bank institute commercial comercial import export importacion exportacion negocios servicios"
    " grupo inversiones internacional nacional trade limited firm".split()
)


def other_org_word(entity: Entity, rng: random.Random) -> Made | None:
    """A company with one distinctive word of a listed company's name replaced: another company."""
    found = _org_bare(entity)
    if found is None:
        return None
    name, bare, _ = found
    spots = [
        m
        for m in re.finditer(r"[A-Za-z]{4,}", name)
        if m.group().lower() not in evalset._IGNORED_WORDS
        and m.group().lower() not in evalset._ENGLISH_WORDS
        and m.group().lower() not in _GENERIC_WORDS
    ]
    words = re.findall(r"[A-Za-z]+", bare)
    if not spots or len(words) < 2:
        return None
    m = rng.choice(spots)
    new = rng.choice([w for w in _FILLER if _unrelated(w, m.group())])
    return Made(
        _replace(name, m, new.upper() if m.group().isupper() else new),
        (name,),
        f"'{new}' in place of '{m.group()}': another company",
    )


# ---------------------------------------------------------------- the categories


def _kind(*kinds: Kind) -> Callable[[Entity], bool]:
    return lambda e: e.kind in kinds


def _person_from(
    countries: frozenset[str] | set[str] | None = None, test: Callable[[Entity], bool] | None = None
) -> Callable[[Entity], bool]:
    def eligible(entity: Entity) -> bool:
        if entity.kind is not Kind.PERSON:
            return False
        if countries is not None and not (_countries(entity) & countries):
            return test is not None and test(entity)
        return True

    return eligible


def _russian(entity: Entity) -> bool:
    names = _latin_names(entity)
    return bool(names) and is_russian_person(entity, names[0]) and not is_arab_person(entity, names[0])


def _slavic(entity: Entity) -> bool:
    """A person whose Latin name has a Slavic surname or patronymic: where a Russian name in another language starts."""
    names = _latin_names(entity)
    return entity.kind is Kind.PERSON and bool(names) and any(_SLAVIC.search(w) for w in _words(names[0]) if len(w) > 4)


def _arab(entity: Entity) -> bool:
    names = _latin_names(entity)
    return bool(names) and is_arab_person(entity, names[0])


def _from(*countries: str) -> Callable[[Entity], bool]:
    return lambda e: bool(_countries(e) & set(countries))


def _russian_or(countries: Iterable[str]) -> Callable[[Entity], bool]:
    """A Russian-named person, or a person of these countries (whose script it is)."""
    return _person_from(frozenset(countries), test=_russian)


def _russian_or_arab(entity: Entity) -> bool:
    return _russian(entity) or _arab(entity)


def _chinese(entity: Entity) -> bool:
    return entity.kind in (Kind.PERSON, Kind.ORGANIZATION) and bool(_countries(entity) & {"CN", "HK", "TW"})


_PEOPLE_AND_ORGS = _kind(Kind.PERSON, Kind.ORGANIZATION)
_ORG = _kind(Kind.ORGANIZATION)
_NUMBERED = _kind(Kind.ORGANIZATION, Kind.VESSEL, Kind.AIRCRAFT)
_EUROPEAN = _person_from(frozenset(), test=_russian)

CATEGORIES: tuple[Category, ...] = (
    Category("edit_final_letter", True, "edit", final_letter, _PEOPLE_AND_ORGS, 160),
    Category("edit_one_letter", True, "edit", one_edit, _PEOPLE_AND_ORGS, 200),
    Category("edit_two_letters", True, "edit", two_edits, _PEOPLE_AND_ORGS, 160),
    Category("edit_space_in_word", True, "edit", space_in_word, _PEOPLE_AND_ORGS, 140),
    Category("edit_particles_joined", True, "edit", particles_joined, _PEOPLE_AND_ORGS, 140),
    Category("edit_digits", True, "edit", digits_for_letters, _PEOPLE_AND_ORGS, 140),
    Category("edit_trailing_vowel", True, "edit", trailing_vowel, _kind(Kind.PERSON), 140),
    *(
        Category(f"lang_{language}", True, "language", _language_rule(language), _slavic, 70)
        for language in ("french", "german", "dutch", "polish", "hungarian", "czech", "latvian", "lithuanian")
    ),
    Category("lang_turkish", True, "language", turkish, lambda e: _russian(e) or _arab(e), 120),
    Category("lang_title", True, "language", title_in_name, _kind(Kind.PERSON), 140),
    Category("script_listed_cyrillic", True, "script", listed_script("Cyrl"), _PEOPLE_AND_ORGS, 120),
    Category("script_listed_arabic", True, "script", listed_script("Arab"), _PEOPLE_AND_ORGS, 120),
    Category("script_listed_other", True, "script", listed_script(None), _PEOPLE_AND_ORGS, 150),
    Category("script_arabic", True, "script", written_in("Arab"), _arab, 70),
    Category("script_arabic_european", True, "script", written_in("Arab-European"), _russian, 70),
    Category("script_hebrew", True, "script", written_in("Hebr"), _russian_or_arab, 70, prefer=_from("IL")),
    Category("script_greek", True, "script", written_in("Grek"), _russian, 70, prefer=_from("GR", "CY")),
    Category("script_armenian", True, "script", written_in("Armn"), _russian_or(("AM",)), 70, prefer=_from("AM")),
    Category("script_georgian", True, "script", written_in("Geor"), _russian_or(("GE",)), 70, prefer=_from("GE")),
    Category(
        "script_devanagari",
        True,
        "script",
        written_in("Deva"),
        _russian_or(_SOUTH_ASIA),
        70,
        prefer=_from("IN", "NP", "PK"),
    ),
    Category(
        "script_bengali",
        True,
        "script",
        written_in("Beng"),
        _russian_or(_SOUTH_ASIA | {"MM"}),
        70,
        prefer=_from("BD", "IN", "MM"),
    ),
    Category("script_burmese", True, "script", written_in("Mymr"), _person_from(frozenset({"MM"})), 70),
    Category("script_japanese", True, "script", written_in("Jpan"), _russian_or(("JP",)), 70, prefer=_from("JP")),
    Category("script_chinese", True, "script", written_in("Hani"), _chinese, 80),
    Category("script_korean", True, "script", written_in("Hang"), _person_from(frozenset({"KP", "KR"})), 80),
    Category("org_plural", True, "company", plural, _ORG, 90),
    Category("org_word_order", True, "company", of_order, _ORG, 90),
    Category("org_generic_word", True, "company", generic_word, _ORG, 90),
    Category("org_descriptive", True, "company", descriptive, _ORG, 80),
    Category("org_ru_legal_full", True, "company", ru_legal_full, _ORG, 90),
    Category("org_goskorp", True, "company", goskorp, _ORG, 30),
    Category("org_translit", True, "company", org_translit, _ORG, 90),
    Category("org_number_words", True, "company", number_words, _NUMBERED, 80),
    Category("org_abbreviation", True, "company", abbreviation, _ORG, 110),
    Category("org_place_brackets", True, "company", place_brackets, _ORG, 90, prefer=lambda e: "(" in e.name),
    Category("neg_relative", False, "negative", relative, _kind(Kind.PERSON), 110, facts=False),
    Category("neg_patronymic", False, "negative", other_patronymic, _kind(Kind.PERSON), 90, facts=False),
    Category("neg_number", False, "negative", other_number, _NUMBERED, 100, facts=False),
    Category("neg_one_similar_word", False, "negative", one_similar_word, _PEOPLE_AND_ORGS, 90, facts=False),
    Category("neg_east_asian_letter", False, "negative", east_asian_letter, _kind(Kind.PERSON), 90, facts=False),
    Category(
        "neg_legal_word_person",
        False,
        "negative",
        legal_word_person,
        _person_from(frozenset({"CN", "HK", "TW", "VN", "KP", "KR", "LA", "TH", "MM"})),
        60,
        facts=False,
    ),
    Category("neg_same_given", False, "negative", same_given, _kind(Kind.PERSON), 100, facts=False),
    Category("neg_org_word", False, "negative", other_org_word, _ORG, 100, facts=False),
)
REQUIRED = {"non_latin": 500, "company": 500, "negative": 300, "total": 3000}


def is_non_latin(pair: Pair) -> bool:
    texts = [pair["query"]["name"], *pair["record"]["names"]]
    return any(not is_latin(t) for t in texts)


def is_company(pair: Pair) -> bool:
    return pair["record"]["kind"] == "organization"


def build(entities: Sequence[Entity], seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[Pair]:
    """Every category's pairs, up to its quota times ``scale``, from entities in id order."""
    ordered = sorted((e for e in entities if e.names), key=lambda e: e.id)
    pairs: list[Pair] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for category in CATEGORIES:
        rng = random.Random(f"{seed}:{category.name}")  # a category's pairs do not move when another changes
        pool = [e for e in ordered if category.eligible(e)]
        rng.shuffle(pool)
        if category.prefer is not None:  # the script's own people first, shuffled among themselves
            prefer = category.prefer
            pool.sort(key=lambda e: not prefer(e))
        quota = max(1, round(category.quota * scale))
        made = 0
        for entity in pool:
            if made >= quota:
                break
            result = category.rule(entity, rng)
            if result is None or not result.query.strip() or not all(n.strip() for n in result.names):
                continue
            if (
                category.label
                and evalset.fold(result.query) in {evalset.fold(n) for n in result.names}
                and is_latin(result.query)
            ):
                continue  # no change an analyst could see
            key = (result.query, result.names)
            if key in seen:
                continue
            seen.add(key)
            made += 1
            pairs.append(
                {
                    "id": f"{category.name}-{made:04d}",
                    "kind": category.name,
                    "label": category.label,
                    "query": query_of(result.query, entity, rng, facts=category.facts),
                    "record": record_of(entity, result.names),
                    "why": result.why,
                    "entity": entity.id if result.names[0] in {n.full for n in entity.names} else None,
                }
            )
    return pairs


def counts(pairs: Sequence[Pair]) -> dict[str, int]:
    return {
        "total": len(pairs),
        "non_latin": sum(is_non_latin(p) for p in pairs),
        "company": sum(is_company(p) for p in pairs),
        "negative": sum(not p["label"] for p in pairs),
    }


def write_pairs(pairs: Iterable[Pair], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(json.dumps(pair, ensure_ascii=False) + "\n")


def read_pairs(path: Path) -> list[Pair]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists-dir", type=Path, default=evalset.DEFAULT_LISTS_DIR)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every category's quota")
    parser.add_argument("--write", type=Path, help="write the pairs as JSON lines")
    parser.add_argument("--show", type=int, default=3, help="examples printed per category")
    args = parser.parse_args()
    pairs = build(evalset.load_entities(args.lists_dir), args.seed, args.scale)
    by_kind = Counter(p["kind"] for p in pairs)
    for category in CATEGORIES:
        print(f"{category.name:28} {by_kind[category.name]:5} {'+' if category.label else '-'}")
        for pair in [p for p in pairs if p["kind"] == category.name][: args.show]:
            print(f"    {pair['query']['name']!r}  ~  {pair['record']['names'][0]!r}   ({pair['why']})")
    print(counts(pairs), "required:", REQUIRED)
    if args.write:
        write_pairs(pairs, args.write)
        print(f"wrote {len(pairs)} pairs to {args.write}")


if __name__ == "__main__":
    main()
