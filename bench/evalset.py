"""The evaluation set of the screening engine: listed names that must match, names that must not.

    python bench/evalset.py [--lists-dir ../shared/lists] [--seed 7] [--positives 3000] [--negatives 3000]
                            [--write cases.jsonl]

Positives take a real listed entity from every shared list and kind and disturb one of its names
in one named way (a typo, another word order, a dropped middle name, another script …); the
screening of the result must return that entity as a match. Negatives are real-looking people
and companies built from the name parts in ``bench/data``, and near misses made from listed
names (another number, another surname, the same name born a generation apart); no hit of
theirs may be a match. A validity filter independent of the engine throws out every negative
that a listed name covers, since hitting it would be right, not a false positive.

Everything is drawn from one seeded ``random.Random``, iterating in sorted order only, so a
seed gives the same cases in any process.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import json
import math
import os
import random
import re
import sys
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from service import catalog, sources  # noqa: E402
from service.matching.types import AddressQuery, IdentifierQuery, Query  # noqa: E402
from service.model import Entity, Kind, Name, NameType  # noqa: E402

try:
    from anyascii import anyascii as _to_ascii
except ImportError:  # pragma: no cover - the bench installs anyascii; unidecode is the fallback
    try:
        from unidecode import unidecode as _to_ascii
    except ImportError:

        def _to_ascii(string: str) -> str:
            return string


DATA = Path(__file__).resolve().parent / "data"
DEFAULT_LISTS_DIR = Path(os.environ.get("SCREENING_LISTS_DIR", ROOT.parent / "shared" / "lists"))


@dataclass(frozen=True)
class Case:
    id: str
    query: Query
    expect: str  # "match" | "no_match"
    target_entity_id: str | None
    list_id: str | None
    perturbation: str  # "typo", "alias" … for positives; "negative_person", "near_miss_dob" … for negatives
    entity_kind: str
    note: str = ""


POSITIVE_TYPES = (
    "exact",
    "typo",
    "word_order",
    "drop_middle",
    "initials",
    "case_punct",
    "diacritics",
    "translit_variant",
    "script_change",
    "original_script",
    "legal_form",
    "weak_alias",
    "alias",
    "homoglyph",
    "with_noise",
)
NEGATIVE_TYPES = ("negative_person", "negative_org", "near_miss_number", "near_miss_token", "near_miss_dob")


# ---------------------------------------------------------------- loading the lists


def load_entities(lists_dir: Path) -> list[Entity]:
    """Every entity of the newest source of each list under ``lists_dir``, as the service would load it."""
    entities: list[Entity] = []
    for list_id, found in sorted(catalog.discover(lists_dir).items()):
        entities.extend(sources.read(found.format, list(found.paths), list_id).entities)
    return entities


# ---------------------------------------------------------------- folding (the filter's own, not the engine's)

_LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("LLC", "L.L.C.", "OOO", "ООО", "Limited Liability Company", "TOV", "ТОВ"),
    ("JSC", "AO", "АО", "Joint Stock Company", "OJSC", "OAO", "PJSC", "PAO", "ПАО", "CJSC", "ZAO"),
    ("Ltd", "Ltd.", "Limited", "Co., Ltd.", "Co. Ltd", "Company Limited", "有限公司"),
    ("Inc", "Inc.", "Incorporated", "Corp.", "Corporation"),
    ("GmbH", "GmbH & Co. KG"),
    ("FZE", "FZCO", "FZC", "FZ-LLC"),
    ("S.A.", "SA", "Sociedad Anonima", "S.A. de C.V."),
    ("PLC", "Public Limited Company"),
    ("Co.", "Company"),
    # Recognised (and dropped), never swapped in.
    ("LTDA", "LTDA.", "LIMITADA", "Sdn. Bhd.", "SDN BHD", "Pte. Ltd.", "PTE LTD", "LLP", "AG", "S.p.A.", "S.R.L."),
    ("SRL", "B.V.", "BV", "SARL", "S.A.R.L.", "K.K.", "Pvt. Ltd.", "PVT LTD", "A.S.", "AB", "Oy", "N.V.", "S A"),
    ("OOD", "EOOD", "AD", "d.o.o.", "DOO", "Sp. z o.o.", "S.A.S.", "SAS", "S.L.", "SL", "PTY LTD", "(PTY) LTD."),
)
_SWAPPABLE_FAMILIES = _LEGAL_FORMS[:9]
_LEADING_FORMS = {"OOO", "ООО", "TOV", "ТОВ", "AO", "АО", "OAO", "PAO", "ПАО", "ZAO", "JSC", "OJSC", "PJSC", "CJSC"}
_TITLES = ("Mr", "Mr.", "Dr", "Dr.", "General", "Prof.")
# Words the filter ignores on a negative's side: legal forms, titles, particles. Ignoring more
# words only makes the filter stricter (more negatives count as covered by a listed name).
_IGNORED_WORDS = frozenset(
    "llc ooo tov limited liability company jsc ao joint stock ojsc oao pjsc pao cjsc zao ltd co inc incorporated"
    " corp corporation gmbh kg fze fzco fz sa sociedad anonima de cv plc public ltda limitada sdn bhd pte llp ag"
    " spa srl bv sarl kk pvt private as ab oy nv the mr mrs ms dr prof general sheikh al el bin ibn bint la le"
    " del da di van von der den".split()
)
_DOTTED_ABBREVIATION = re.compile(r"(?:\w\.){2,}\w?")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: accents stripped, other scripts transliterated."""
    text = unicodedata.normalize("NFKC", text)
    chunks = []
    for chunk in text.split():
        if _DOTTED_ABBREVIATION.fullmatch(chunk):  # "L.L.C." is one word, "A. Smith" two
            chunk = chunk.replace(".", "")
        chunks.append(chunk)
    text = " ".join(chunks)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _to_ascii(text).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def key_tokens(text: str) -> tuple[str, ...]:
    """The folded words of a name that say who it is: no legal forms, titles or particles."""
    return tuple(canonical(t) for t in fold(text).split() if t not in _IGNORED_WORDS)


_CANONICAL_ENDINGS = ((re.compile(r"(?:iy|yy|ii|y)$"), "i"), (re.compile(r"ey$"), "ei"))


def canonical(token: str) -> str:
    """One spelling for romanisations the filter must not tell apart (Aleksey = Aleksei, Mohammed = Muhammad)."""
    group = _VARIANT_CANON.get(token)
    if group is not None:
        return group
    for pattern, replacement in _CANONICAL_ENDINGS:
        token = pattern.sub(replacement, token)
    return token.replace("kh", "h").replace("ou", "u")


class ListedNames:
    """Every name of every listed entity, folded, for the negatives' validity filter."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: list[Entity] = []
        self.name_owner: list[int] = []  # name index → entity index
        self.postings: dict[str, list[int]] = defaultdict(list)  # token → name indexes
        self.name_keys: list[frozenset[str]] = []  # name index → its distinctive words
        sorted_keys: set[str] = set()
        for e_index, entity in enumerate(entities):
            self.entities.append(entity)
            for name in entity.names:
                tokens = [canonical(t) for t in fold(name.full).split()]
                n_index = len(self.name_owner)
                self.name_owner.append(e_index)
                for token in dict.fromkeys(tokens):
                    self.postings[token].append(n_index)
                keyed = [t for t in tokens if t not in _IGNORED_WORDS]
                self.name_keys.append(frozenset(keyed))
                if keyed:
                    sorted_keys.add(" ".join(sorted(keyed)))
        # By length: a ratio of r% needs the two lengths within (200 - r) / r of each other.
        self.sorted_keys = sorted(sorted_keys, key=lambda k: (len(k), k))
        self._lengths = [len(k) for k in self.sorted_keys]

    def covering(self, tokens: Sequence[str]) -> list[Entity]:
        """The entities with a name that holds every one of ``tokens`` (in any order)."""
        if not tokens:
            return []
        lists = sorted((self.postings.get(t, []) for t in set(tokens)), key=len)
        if not lists[0]:
            return []
        names = set(lists[0]).intersection(*lists[1:])
        return [self.entities[i] for i in sorted({self.name_owner[n] for n in names})]

    def covered_by(self, tokens: Sequence[str]) -> list[Entity]:
        """The entities with a name of two or more words all of which are among ``tokens``:
        the query names that listed party, with more words ("Svetlana Evgenievna
        Skvortsova" for a listed "Svetlana Skvortsova")."""
        words = set(tokens)
        names = {n for t in words for n in self.postings.get(t, ())}
        return [
            self.entities[self.name_owner[n]]
            for n in sorted(names)
            if len(self.name_keys[n]) >= 2 and self.name_keys[n] <= words
        ]

    def closest(self, tokens: Sequence[str], cutoff: float) -> tuple[str, float] | None:
        """The listed token-sorted name at ``fuzz.ratio`` ≥ cutoff from the tokens, if any."""
        query = " ".join(sorted(tokens))
        slack = (100 - cutoff) / cutoff * 2
        lo = bisect.bisect_left(self._lengths, math.floor(len(query) / (1 + slack)))
        hi = bisect.bisect_right(self._lengths, math.ceil(len(query) * (1 + slack)))
        found = process.extractOne(query, self.sorted_keys[lo:hi], scorer=fuzz.ratio, score_cutoff=cutoff)
        return (found[0], found[1]) if found else None


RATIO_CUTOFF = 92.0
MAX_NEAR_MISS_WORDS = 5  # near_miss_token changes one word of names this long at most
DOB_GAP_YEARS = 20  # a same-named listed person born this close makes a near_miss_dob query a fair hit


def invalid_reason(case: Case, listed: ListedNames) -> str | None:
    """Why a negative is not one (a listed name covers it), or None when it is a fair negative."""
    name = case.query.name or ""
    tokens = key_tokens(name)
    if not tokens:
        return "no distinctive word"
    covering = listed.covering(tokens)
    if case.perturbation == "near_miss_dob":
        year = int((case.query.birth_date or "0")[:4])
        for entity in covering:
            if entity.kind is not Kind.PERSON or not entity.birth_dates:
                return f"{entity.id} has the name and no birth date to tell it apart"
            for born in entity.birth_dates:
                years = [int(d[:4]) for d in (born.date, born.until) if d and d[:4].isdigit()]
                if any(abs(y - year) < DOB_GAP_YEARS for y in years) or not years:
                    return f"{entity.id} has the name and was born near {year}"
        return None
    if covering:
        return f"covered by {covering[0].id} ({covering[0].name})"
    if contained := listed.covered_by(tokens):
        return f"holds every word of {contained[0].id} ({contained[0].name})"
    if case.perturbation != "near_miss_number":  # another number is another vessel/company, however close
        close = listed.closest(tokens, RATIO_CUTOFF)
        if close:
            return f"ratio {close[1]:.0f} with listed '{close[0]}'"
    return None


# ---------------------------------------------------------------- name helpers


def is_latin(text: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in text)


def _recase(new: str, old: str) -> str:
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


@dataclass(frozen=True)
class PersonName:
    """A person's name split into given names and surname, rendered back in its own layout."""

    given: tuple[str, ...]
    surname: tuple[str, ...]
    layout: str  # "comma" (SURNAME, Given), "surname_first", "given_first"

    @classmethod
    def parse(cls, name: str) -> PersonName:
        if "," in name:
            head, _, tail = name.partition(",")
            return cls(tuple(tail.split()), tuple(head.split()), "comma")
        tokens = name.split()
        upper = [t.isupper() and len(t) > 1 for t in tokens]
        if any(upper) and not all(upper):  # UK style: "Given Middle SURNAME" or "SURNAME Given"
            given = tuple(t for t, u in zip(tokens, upper) if not u)
            surname = tuple(t for t, u in zip(tokens, upper) if u)
            return cls(given, surname, "surname_first" if upper[0] else "given_first")
        return cls(tuple(tokens[:-1]), tuple(tokens[-1:]), "given_first")

    def render(self) -> str:
        given, surname = " ".join(self.given), " ".join(self.surname)
        if self.layout == "comma":
            return f"{surname}, {given}" if given else surname
        parts = [surname, given] if self.layout == "surname_first" else [given, surname]
        return " ".join(p for p in parts if p)


def _source_names(entity: Entity) -> list[str]:
    """The primary name, then the strong a.k.a.s, in Latin script: what a perturbation starts from."""
    names = [entity.name] + [n.full for n in entity.names if n.type is NameType.AKA and n.full != entity.name]
    return [n for n in names if is_latin(n) and n.strip()]


# ---------------------------------------------------------------- perturbations of one name

Perturbed = tuple[str, str]  # (query name, note)
NameFn = Callable[[str, Entity, random.Random], str | None]

_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(char: str) -> str:
    low = char.lower()
    for r, row in enumerate(_KEYBOARD):
        i = row.find(low)
        if i < 0:
            continue
        near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
        for other in (r - 1, r + 1):
            if 0 <= other < len(_KEYBOARD):
                near += [_KEYBOARD[other][j] for j in (i - 1, i, i + 1) if 0 <= j < len(_KEYBOARD[other])]
        return "".join(near)
    return ""


def typo(name: str, entity: Entity, rng: random.Random) -> str | None:
    """One or two keyboard slips in a name of 8 characters or more: never in digits nor a word's first letter."""
    if len(name) < 8:
        return None
    edits = 1 if len(name) < 16 else rng.choice((1, 2))
    chars = list(name)
    for _ in range(edits):
        spots = [i for i, c in enumerate(chars) if c.isascii() and c.isalpha() and i > 0 and chars[i - 1].isalpha()]
        if not spots:
            return None
        i = rng.choice(spots)
        op = rng.choice(("substitute", "delete", "insert", "transpose"))
        near = _neighbours(chars[i])
        if op == "substitute" and near:
            chars[i] = _recase(rng.choice(near), chars[i])
        elif op == "delete":
            del chars[i]
        elif op == "insert" and near:
            chars.insert(i + 1, _recase(rng.choice(near + chars[i].lower()), chars[i]))
        elif i + 1 < len(chars) and chars[i + 1].isalpha() and chars[i + 1].lower() != chars[i].lower():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            del chars[i]
    out = "".join(chars)
    return out if out != name else None


def word_order(name: str, entity: Entity, rng: random.Random) -> str | None:
    """'SURNAME, Given' ↔ 'Given SURNAME' for persons; the words shuffled otherwise."""
    tokens = name.replace(",", " ").split()
    if len(tokens) < 2:
        return None
    if entity.kind is Kind.PERSON:
        person = PersonName.parse(name)
        if not person.given:
            return None
        if person.layout == "comma":
            out = f"{' '.join(person.given)} {' '.join(person.surname)}"
        else:
            out = f"{' '.join(person.surname)}, {' '.join(person.given)}"
        return out if fold(out) != fold(name) else None
    # Organizations, vessels: the words before the legal form in another order.
    found = _find_legal_form(name)
    bare, form = (_strip_legal_form(name, found), found[0]) if found else (name, "")
    words = bare.split()
    if len(words) < 2:
        return None
    if len(words) > 4:  # a long name gets two neighbours swapped, not a word salad
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    else:
        for _ in range(5):
            shuffled = words[:]
            rng.shuffle(shuffled)
            if shuffled != words:
                words = shuffled
                break
    out = " ".join(words)
    if form:
        out = f"{form} {out}" if found and found[1] == "start" else f"{out} {form}"
    return out if fold(out) != fold(name) else None


def drop_middle(name: str, entity: Entity, rng: random.Random) -> str | None:
    """A person of three words or more without one middle name or patronymic."""
    if entity.kind is not Kind.PERSON or len(name.replace(",", " ").split()) < 3:
        return None
    person = PersonName.parse(name)
    if len(person.given) < 2:
        return None
    drop = rng.randrange(1, len(person.given))
    return dataclasses.replace(person, given=person.given[:drop] + person.given[drop + 1 :]).render()


def initials(name: str, entity: Entity, rng: random.Random) -> str | None:
    """A person's first given name cut to its initial."""
    if entity.kind is not Kind.PERSON:
        return None
    person = PersonName.parse(name)
    if not person.given or not person.surname or len(person.given[0]) < 2 or not person.given[0][0].isalpha():
        return None
    return dataclasses.replace(person, given=(person.given[0][0].upper() + ".",) + person.given[1:]).render()


def case_punct(name: str, entity: Entity, rng: random.Random) -> str | None:
    """Other casing, hyphens, dots, commas and spacing."""
    out = name
    for _ in range(10):
        op = rng.choice(("case", "hyphen", "dots", "spaces"))
        if op == "case":
            out = rng.choice(
                (out.lower(), out.title(), out.upper()) if not out.isupper() else (out.lower(), out.title())
            )
        elif op == "hyphen":
            if "-" in out:
                out = out.replace("-", rng.choice((" ", "")))
            elif " " in out.strip():
                words = out.split()
                i = rng.randrange(len(words) - 1)
                out = " ".join(words[:i] + [words[i] + "-" + words[i + 1]] + words[i + 2 :])
        elif op == "dots":
            if re.search(r"[.,]", out):
                out = " ".join(re.sub(r"[.,]", " ", out).split())
            else:
                words = out.split()
                i = rng.randrange(len(words))
                words[i] += rng.choice((".", ","))
                out = " ".join(words)
        else:
            out = re.sub(r" ", lambda _m: rng.choice((" ", "  ", " ")), out) + rng.choice(("", " "))
            out = rng.choice(("", " ")) + out
        if out != name and fold(out) == fold(name) or op in ("hyphen", "dots") and out != name:
            return out
    return out if out != name else None


_ACCENTS = {
    "a": "áàâä",
    "e": "éèêë",
    "i": "íï",
    "o": "óöô",
    "u": "úü",
    "c": "çč",
    "s": "şš",
    "n": "ñ",
    "z": "ž",
    "g": "ğ",
    "r": "ř",
    "y": "ý",
}


def strip_accents(text: str) -> str:
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    )


def diacritics(name: str, entity: Entity, rng: random.Random) -> str | None:
    """Accents stripped from a name that has them, or put on one or two letters of one that has none."""
    stripped = strip_accents(name)
    if stripped != name:
        return stripped
    spots = [
        m.start() + j
        for m in re.finditer(r"[A-Za-z]{4,}", name)
        for j, c in enumerate(m.group())
        if c.lower() in _ACCENTS
    ]
    if not spots:
        return None
    chars = list(name)
    for i in rng.sample(spots, min(len(spots), rng.choice((1, 2)))):
        accented = rng.choice(_ACCENTS[chars[i].lower()])
        chars[i] = accented.upper() if chars[i].isupper() else accented
    return "".join(chars)


# Groups of romanisations of one name; a token in a group may become any other of the group.
_VARIANT_GROUPS = (
    "mohammed muhammad mohammad mohamed muhammed mohamad mohamad",
    "ahmed ahmad ahmet",
    "yevgeniy evgeny evgeniy yevgeny evgenii",
    "aleksandr alexander aleksander oleksandr alexandr",
    "aleksey alexey aleksei alexei oleksiy",
    "sergey sergei serguei serhiy",
    "andrey andrei andriy",
    "dmitry dmitriy dmitri dmytro",
    "yuriy yury yuri iurii",
    "nikolay nikolai mykola",
    "mikhail michail mykhailo",
    "vladimir wladimir volodymyr",
    "hussein husain hussain husayn hossein",
    "hassan hasan",
    "osama usama",
    "yusuf youssef yousef yousif",
    "omar umar",
    "khalid khaled",
    "abdul abdel abd",
    "abdullah abdallah abdulla",
    "abu abou",
    "mahmoud mahmud mahmood",
    "mustafa moustafa mostafa",
    "said saeed saeid sayed",
    "qasim qassem kassem kasim",
    "jafar jaafar jaffar",
    "nasser nasir naser",
    "ibrahim ebrahim",
    "ismail ismael esmail",
    "suleiman sulaiman soleiman",
    "salih saleh",
    "rahman rehman",
    "hizballah hezbollah hizbullah",
    "qaida qaeda",
    "tatiana tatyana tetiana",
    "natalia natalya nataliya",
    "yulia yuliya iuliia julia",
)
_VARIANTS: dict[str, tuple[str, ...]] = {}
_VARIANT_CANON: dict[str, str] = {}
for _group in _VARIANT_GROUPS:
    _members = tuple(_group.split())
    for _member in _members:
        _VARIANTS[_member] = tuple(m for m in _members if m != _member)
        _VARIANT_CANON[_member] = _members[0]

# Spelling rules seen between romanisations (pattern on a lower-case word, replacement).
_TRANSLIT_RULES = (
    (r"iy$", "y"),
    (r"(?<=[^aeiou])y$", "iy"),
    (r"ii$", "y"),
    (r"ey$", "ei"),
    (r"ei$", "ey"),
    (r"ay$", "ai"),
    (r"^ye", "e"),
    (r"^e(?=[vl])", "ye"),
    (r"kh", "h"),
    (r"ou", "u"),
    (r"oo", "u"),
    (r"ee", "i"),
    (r"^yu", "iu"),
    (r"^ya", "ia"),
    (r"iya$", "ia"),
    (r"ks", "x"),
    (r"x", "ks"),
    (r"q", "k"),
    (r"zh", "j"),
    (r"shch", "sch"),
    (r"ph", "f"),
    (r"ov$", "off"),
    (r"ev$", "eff"),
    (r"dh", "d"),
    (r"aa", "a"),
    (r"ts", "tz"),
    (r"w", "v"),
    (r"ie", "ye"),
    (r"j", "dj"),
)


def _word_variants(word: str) -> list[str]:
    low = word.lower()
    if low in _VARIANTS:
        return [_recase(v, word) for v in _VARIANTS[low]]
    out = []
    for pattern, replacement in _TRANSLIT_RULES:
        changed = re.sub(pattern, replacement, low, count=1)
        if changed != low and len(changed) >= 2:
            out.append(_recase(changed, word))
    return out


def translit_variant(name: str, entity: Entity, rng: random.Random) -> str | None:
    """One word spelt in another romanisation: Mohammed → Muhammad, Yevgeniy → Evgeniy, -iy → -y, kh → h …"""
    words = re.split(r"([^\w']+)", name)
    choices = [(i, v) for i, w in enumerate(words) if len(w) >= 3 and w.isalpha() for v in _word_variants(w)]
    known = [(i, v) for i, v in choices if words[i].lower() in _VARIANTS]
    if not choices:
        return None
    i, variant = rng.choice(known if known and rng.random() < 0.7 else choices)
    words[i] = variant
    return "".join(words)


# Latin → Cyrillic, longest first, as a Russian name is commonly romanised.
_CYRILLIC = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"),
    ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("iy", "ий"), ("yy", "ый"), ("ay", "ай"), ("ey", "ей"), ("oy", "ой"),
    ("uy", "уй"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
    ("y", "ы"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"),
    ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("w", "в"), ("x", "кс"), ("j", "дж"), ("q", "к"),
    ("'", "ь"),
)  # fmt: skip
_GREEK = (
    ("th", "θ"), ("ch", "χ"), ("ps", "ψ"), ("ou", "ου"), ("ks", "ξ"), ("a", "α"), ("b", "μπ"), ("v", "β"), ("g", "γ"),
    ("d", "δ"), ("e", "ε"), ("z", "ζ"), ("i", "ι"), ("k", "κ"), ("l", "λ"), ("m", "μ"), ("n", "ν"), ("x", "ξ"),
    ("o", "ο"), ("p", "π"), ("r", "ρ"), ("s", "σ"), ("t", "τ"), ("u", "ου"), ("f", "φ"), ("h", "χ"), ("y", "υ"),
    ("c", "κ"), ("j", "τζ"), ("w", "ου"), ("q", "κ"),
)  # fmt: skip
_ARABIC = (
    ("sh", "ش"), ("kh", "خ"), ("th", "ث"), ("dh", "ذ"), ("gh", "غ"), ("ou", "و"), ("oo", "و"), ("ee", "ي"),
    ("ai", "ي"), ("ay", "ي"), ("aa", "ا"), ("b", "ب"), ("t", "ت"), ("j", "ج"), ("h", "ح"), ("d", "د"), ("r", "ر"),
    ("z", "ز"), ("s", "س"), ("f", "ف"), ("q", "ق"), ("k", "ك"), ("l", "ل"), ("m", "م"), ("n", "ن"), ("w", "و"),
    ("y", "ي"), ("g", "ج"), ("p", "ب"), ("v", "ف"), ("c", "ك"), ("x", "كس"), ("i", "ي"), ("u", "و"), ("o", "و"),
    ("a", ""), ("e", ""),
)  # fmt: skip
# Common Arabic names as they are written, rather than letter by letter.
_ARABIC_WORDS = {
    **dict.fromkeys(("mohammed", "muhammad", "mohammad", "mohamed", "muhammed"), "محمد"),
    **dict.fromkeys(("ahmed", "ahmad"), "أحمد"),
    "ali": "علي",
    **dict.fromkeys(("abdul", "abdel", "abd"), "عبد"),
    **dict.fromkeys(("abdullah", "abdallah"), "عبد الله"),
    **dict.fromkeys(("abu", "abou"), "أبو"),
    **dict.fromkeys(("bin", "ben", "ibn"), "بن"),
    **dict.fromkeys(("omar", "umar"), "عمر"),
    **dict.fromkeys(("hassan", "hasan"), "حسن"),
    **dict.fromkeys(("hussein", "husain", "hussain", "husayn"), "حسين"),
    "ibrahim": "إبراهيم",
    **dict.fromkeys(("khalid", "khaled"), "خالد"),
    **dict.fromkeys(("yusuf", "youssef", "yousef"), "يوسف"),
    **dict.fromkeys(("mustafa", "mostafa"), "مصطفى"),
    **dict.fromkeys(("mahmoud", "mahmud"), "محمود"),
    **dict.fromkeys(("said", "saeed", "saeid"), "سعيد"),
    **dict.fromkeys(("osama", "usama"), "أسامة"),
    "ismail": "إسماعيل",
    **dict.fromkeys(("salih", "saleh"), "صالح"),
    "aziz": "عزيز",
    "rahman": "رحمن",
    **dict.fromkeys(("qasim", "qassem"), "قاسم"),
    **dict.fromkeys(("nasser", "nasir"), "ناصر"),
    "hamid": "حامد",
}
_CYRILLIC_LEGAL = {
    "OOO": "ООО", "LLC": "ООО", "AO": "АО", "JSC": "АО", "OAO": "ОАО", "OJSC": "ОАО", "PAO": "ПАО", "PJSC": "ПАО",
    "ZAO": "ЗАО", "CJSC": "ЗАО", "TOV": "ТОВ", "FGUP": "ФГУП", "NPO": "НПО", "NPP": "НПП",
}  # fmt: skip
_ARAB_COUNTRIES = frozenset("IQ SY YE SA LB JO EG LY SD PS AE KW QA BH OM DZ MA TN SO MR".split())
_SLAVIC_COUNTRIES = frozenset(("RU", "UA", "BY"))
_SLAVIC_ENDING = re.compile(r"(?:ov|ev|ova|eva|ovich|evich|ovna|evna|enko|chuk|skiy|skii|skaya|sky|iy|in|ina)$", re.I)
_ARABIC_MARKERS = frozenset(_ARABIC_WORDS) | {"al", "el"}
# Org/vessel names with one of these words are English; spelling them in Cyrillic would be nonsense.
_ENGLISH_WORDS = frozenset(
    "bank company group trading international limited joint stock center centre ship repair service services"
    " industries holding holdings plant factory state the of and for corporation enterprise research institute"
    " oil gas energy construction technologies technology agency design social airlines airline finance property"
    " investment investments capital shipping logistics management systems solutions development engineering"
    " security media network industrial products export import trust partners consulting union national".split()
)


def _map_word(word: str, table: Sequence[tuple[str, str]]) -> str:
    low, out, i = word.lower(), [], 0
    while i < len(low):
        for latin, other in table:
            if low.startswith(latin, i):
                out.append(other)
                i += len(latin)
                break
        else:
            out.append(low[i])
            i += 1
    text = "".join(out)
    if table is _GREEK and text.endswith("σ"):
        text = text[:-1] + "ς"
    if table is _ARABIC:
        return text
    return text.upper() if word.isupper() and len(word) > 1 else text[:1].upper() + text[1:]


def _arabic_word(word: str) -> str:
    low = word.lower()
    if low in _ARABIC_WORDS:
        return _ARABIC_WORDS[low]
    if low.startswith("al-") or low.startswith("el-"):
        return "ال" + _arabic_word(word[3:])
    first = {"a": "ا", "e": "إ", "i": "إ", "o": "أ", "u": "أ"}.get(low[:1], "")
    body = _map_word(low[1:] if first else low, _ARABIC)
    return first + re.sub(r"(.)\1", r"\1", body)


def _script_of(name: str, entity: Entity) -> str | None:
    words = [w.lower() for w in re.findall(r"[A-Za-z'-]+", name)]
    countries = set(entity.countries) | set(entity.nationalities)
    if not words:
        return None
    if entity.kind is Kind.PERSON and (countries & _ARAB_COUNTRIES or _ARABIC_MARKERS.intersection(words)):
        return "Arab"
    if entity.kind is not Kind.PERSON:
        # A Russian company's name spelt in Cyrillic: only when every word but the legal form reads as Russian.
        plain = [w for w in words if w.upper() not in _CYRILLIC_LEGAL]
        if countries & _SLAVIC_COUNTRIES and plain and all(len(w) >= 5 and w not in _ENGLISH_WORDS for w in plain):
            return "Cyrl"
        return None
    if entity.kind is Kind.PERSON and any(_SLAVIC_ENDING.search(w) for w in words if len(w) > 4):
        return "Cyrl"
    if entity.kind is Kind.PERSON and (countries & {"GR", "CY"} or zlib.crc32(name.encode()) % 20 == 0):
        return "Grek"  # Greek names, and a few others as a Greek clerk would spell them
    return None


def to_script(name: str, script: str) -> str:
    """A Latin name spelt in Cyrillic, Greek or Arabic letters, as a clerk might write it."""
    words = re.split(r"([\s,\"']+)", name)
    if script == "Arab":
        return "".join(w if not w.strip(" ,") else _arabic_word(w) for w in words).replace(",", "،")
    table = _CYRILLIC if script == "Cyrl" else _GREEK

    def spell(word: str) -> str:
        if not word.strip(" ,\"'"):
            return word
        if script == "Cyrl" and word.upper() in _CYRILLIC_LEGAL:
            return _CYRILLIC_LEGAL[word.upper()]
        return _map_word(word, table)

    return "".join(spell(w) for w in words)


def script_change(name: str, entity: Entity, rng: random.Random) -> str | None:
    """The Latin name spelt in the script of its likely origin: Cyrillic, Arabic or Greek."""
    script = _script_of(name, entity)
    if script is None or re.search(r"\d", name):
        return None
    return to_script(name, script)


_HOMOGLYPHS = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "j": "ј", "s": "ѕ",
    "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р", "C": "С", "T": "Т", "X": "Х",
    "I": "І",
}  # fmt: skip


def homoglyph(name: str, entity: Entity, rng: random.Random) -> str | None:
    """One or two Latin letters swapped for Cyrillic ones that look the same."""
    spots = [i for i, c in enumerate(name) if c in _HOMOGLYPHS]
    if not spots:
        return None
    chars = list(name)
    for i in rng.sample(spots, min(len(spots), rng.choice((1, 2)))):
        chars[i] = _HOMOGLYPHS[chars[i]]
    return "".join(chars)


def with_noise(name: str, entity: Entity, rng: random.Random) -> str | None:
    """A harmless title before a person's name, "The" before a company's, "MV" before a vessel's."""
    if entity.kind is Kind.PERSON:
        title = rng.choice(_TITLES)
        if "," in name:
            head, _, tail = name.partition(",")
            return f"{head}, {title} {tail.strip()}"
        return f"{title} {name}"
    if entity.kind is Kind.ORGANIZATION:
        return None if name.lower().startswith("the ") else f"The {name}"
    if entity.kind is Kind.VESSEL:
        return f"{rng.choice(('MV', 'M/V', 'MT'))} {name}"
    return None


def _find_legal_form(name: str) -> tuple[str, str, int] | None:
    """(form as written, where: "start"|"end", family index) of a legal form at either end of the name."""
    forms = sorted(((f, i) for i, family in enumerate(_LEGAL_FORMS) for f in family), key=lambda x: -len(x[0]))
    for form, family in forms:
        escaped = re.escape(form)
        if re.search(rf"(?<!\w)[\s,]*{escaped}\s*$", name, re.I) and not re.fullmatch(rf"\s*{escaped}\s*", name, re.I):
            return form, "end", family
        if re.match(rf"^\s*{escaped}(?!\w)", name, re.I) and len(name) > len(form) + 2:
            return form, "start", family
    return None


def _strip_legal_form(name: str, found: tuple[str, str, int]) -> str:
    form, where, _ = found
    pattern = rf"(?<!\w)[\s,]*{re.escape(form)}\s*$" if where == "end" else rf"^\s*{re.escape(form)}(?!\w)[\s,]*"
    return re.sub(pattern, "", name, flags=re.I).strip(" ,\"'")


_NOT_A_COMPANY = re.compile(
    r"\b(state|islamic|front|army|movement|brigades?|party|organi[sz]ation|ministry|directorate|force|forces"
    r"|committee|council|jihad|al|network|university|institute)\b",
    re.I,
)


def _looks_chinese(name: str, entity: Entity) -> bool:
    return bool({"CN", "HK"} & set(entity.countries)) or bool(
        re.search(r"\b(shenzhen|guangzhou|shanghai|beijing|zhejiang|jiangsu|ningbo|dalian|tianjin)\b", name, re.I)
    )


def legal_form(name: str, entity: Entity, rng: random.Random) -> str | None:
    """An organization's legal form swapped for an equivalent (LLC ↔ OOO ↔ ООО), dropped, or added."""
    if entity.kind is not Kind.ORGANIZATION:
        return None
    found = _find_legal_form(name)
    if found is not None:
        form, where, family = found
        bare = _strip_legal_form(name, found)
        others = (
            [f for f in _LEGAL_FORMS[family] if f.lower() != form.lower()] if family < len(_SWAPPABLE_FAMILIES) else []
        )
        if not bare:
            return None
        if not others or rng.random() < 0.3:
            return bare
        new = rng.choice(others)
    else:
        # Only what looks like a business gets a legal form added: not armed groups, ministries, long names.
        if len(name.split()) > 4 or "(" in name or _NOT_A_COMPANY.search(name):
            return None
        bare = name.strip()
        countries = set(entity.countries)
        if _looks_chinese(name, entity):
            new = rng.choice(("Co., Ltd.", "有限公司", "Limited"))
        elif countries & _SLAVIC_COUNTRIES:
            new = rng.choice(("OOO", "ООО", "AO", "АО", "LLC", "JSC"))
        else:
            new = rng.choice(("LLC", "Ltd", "Limited", "Inc.", "GmbH", "FZE", "Co., Ltd.", "JSC", "S.A."))
    if new in _LEADING_FORMS and rng.random() < 0.7:
        return f"{new} {bare}"
    return f"{bare}{',' if new.startswith(('Co.', 'Ltd', 'Inc')) and rng.random() < 0.5 else ''} {new}"


NAME_PERTURBATIONS: dict[str, NameFn] = {
    "typo": typo,
    "word_order": word_order,
    "drop_middle": drop_middle,
    "initials": initials,
    "case_punct": case_punct,
    "diacritics": diacritics,
    "translit_variant": translit_variant,
    "script_change": script_change,
    "legal_form": legal_form,
    "homoglyph": homoglyph,
    "with_noise": with_noise,
}


def perturb(kind: str, entity: Entity, rng: random.Random) -> Perturbed | None:
    """A query name for ``entity`` disturbed the ``kind`` way, with a note of where it came from; None if none fits."""
    if kind == "exact":
        return entity.name, "primary name as listed"
    if kind in ("alias", "weak_alias", "original_script"):
        wanted = {"alias": NameType.AKA, "weak_aka": NameType.WEAK_AKA}.get(kind, NameType.WEAK_AKA)
        if kind == "original_script":
            names = [
                n for n in entity.names if n.type is NameType.ORIGINAL_SCRIPT or (n.script and not is_latin(n.full))
            ]
        elif kind == "alias":
            names = [n for n in entity.names if n.type is wanted and is_latin(n.full) and n.full != entity.name]
        else:
            names = [n for n in entity.names if n.type is wanted]
        names = [n for n in names if key_tokens(n.full) or not is_latin(n.full)]
        if not names:
            return None
        chosen: Name = rng.choice(names)
        return chosen.full, f"{chosen.type.value} name of '{entity.name}'"
    fn = NAME_PERTURBATIONS[kind]
    for source in _source_names(entity):
        out = fn(source, entity, rng)
        if out is not None and out.strip() and out != source:
            return out, f"from '{source}'"
    return None


# ---------------------------------------------------------------- positives


def _query_for(name: str, entity: Entity, rng: random.Random) -> Query:
    kind = "any" if rng.random() < 1 / 3 else entity.kind.value
    country = birth = None
    if rng.random() < 0.3:
        country = (entity.countries or entity.nationalities or (None,))[0]
        if entity.kind is Kind.PERSON and entity.birth_dates:
            birth = entity.birth_dates[0].date[:4]
    return Query(name=name, kind=kind, country=country, birth_date=birth)


def _groups(entities: Iterable[Entity]) -> dict[tuple[str, str], list[Entity]]:
    groups: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for entity in entities:
        if entity.names:
            groups[(entity.list_id, entity.kind.value)].append(entity)
    return groups


def positives(entities: Sequence[Entity], total: int, rng: random.Random) -> list[Case]:
    """About ``total`` positives, an even share per perturbation, spread over lists and kinds by √size."""
    groups = _groups(entities)
    keys = sorted(groups)
    quota = math.ceil(total / len(POSITIVE_TYPES))
    weights = {k: math.sqrt(len(groups[k])) for k in keys}
    cases: list[Case] = []
    for kind in POSITIVE_TYPES:
        share = {k: max(1, round(quota * weights[k] / sum(weights.values()))) for k in keys}
        picked: list[tuple[Entity, Perturbed]] = []
        rest: list[Entity] = []
        for key in keys:
            order = groups[key][:]
            rng.shuffle(order)
            taken = 0
            for n, entity in enumerate(order):
                if taken >= share[key]:
                    rest.extend(order[n:])
                    break
                result = perturb(kind, entity, rng)
                if result is not None:
                    picked.append((entity, result))
                    taken += 1
        rng.shuffle(rest)
        for entity in rest:  # groups short of this perturbation leave their share to the others
            if len(picked) >= quota:
                break
            result = perturb(kind, entity, rng)
            if result is not None:
                picked.append((entity, result))
        for entity, (name, note) in picked[:quota]:
            cases.append(
                Case(
                    id="",
                    query=_query_for(name, entity, rng),
                    expect="match",
                    target_entity_id=entity.id,
                    list_id=entity.list_id,
                    perturbation=kind,
                    entity_kind=entity.kind.value,
                    note=note,
                )
            )
    return [dataclasses.replace(c, id=f"p{i:05d}") for i, c in enumerate(cases, 1)]


# ---------------------------------------------------------------- negatives


def _read_parts(filename: str) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    for line in (DATA / filename).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or ":" not in line:
            continue
        group, _, words = line.partition(":")
        parts[group.strip()] = words.split()
    return parts


_CULTURE_COUNTRY = {
    "anglo": "GB", "hispanic": "MX", "german": "DE", "french": "FR", "russian": "RU", "ukrainian": "UA",
    "arabic": "JO", "persian": "IR", "turkish": "TR", "chinese": "CN", "korean": "KR", "japanese": "JP",
    "indian": "IN", "african": "NG",
}  # fmt: skip


def _patronymic(given: str, female: bool, ukrainian: bool) -> str | None:
    low = given.lower()
    if low.endswith("a"):
        return None
    stem = low[:-1] + "e" if low.endswith("y") else low if low.endswith("o") else low + "o"
    if low.endswith("iy"):
        stem = low[:-2] + "ie" if not ukrainian else low[:-2] + "iio"
    suffix = ("vna" if female else ("vych" if ukrainian else "vich")) if stem.endswith(("e", "o")) else "ovich"
    return (stem + suffix).capitalize()


def _is_female(given: str, culture: str) -> bool:
    return culture in ("russian", "ukrainian") and given.lower().endswith(("a", "ya"))


def _person_name(culture: str, given: dict[str, list[str]], surnames: dict[str, list[str]], rng: random.Random) -> str:
    g = rng.choice(given[culture])
    s = rng.choice(surnames[culture])
    if culture in ("russian", "ukrainian"):
        female = _is_female(g, culture)
        if female and culture == "russian" and s.endswith(("ov", "ev", "in")):
            s += "a"
        males = [m for m in given[culture] if not m.lower().endswith("a")]
        patronymic = _patronymic(rng.choice(males), female, culture == "ukrainian")
        parts = [g, patronymic, s] if patronymic and rng.random() < 0.6 else [g, s]
    elif culture == "hispanic":
        parts = [g, s, rng.choice(surnames[culture])] if rng.random() < 0.5 else [g, s]
    elif culture == "arabic":
        father = rng.choice([m for m in given[culture][:24]])
        parts = rng.choice(([g, father, s], [g, "bin", father, s], [g, s], [g, father, "Al-" + s]))
    elif culture == "chinese":
        syllables = rng.sample(given[culture], rng.choice((1, 2)))
        parts = [s, "".join(syllables).capitalize()]
    elif culture in ("korean", "japanese"):
        parts = [s, g] if rng.random() < 0.5 else [g, s]
    else:
        middle = rng.choice(given[culture])
        parts = [g, middle, s] if rng.random() < 0.25 and middle != g else [g, s]
    style = rng.random()
    if style < 0.15:
        return f"{parts[-1].upper()}, {' '.join(parts[:-1])}"
    if style < 0.4:
        return " ".join(parts).upper()
    return " ".join(parts)


def _org_name(words: dict[str, list[str]], surnames: dict[str, list[str]], rng: random.Random) -> tuple[str, str]:
    legal = rng.choice(("LLC", "Ltd", "Ltd.", "Limited", "Inc.", "Corp.", "GmbH", "S.A.", "S.r.l.", "B.V.", "AB", "Oy"))
    place, city = rng.choice(words["place"]), rng.choice(words["city"])
    core, activity = rng.choice(words["core"]), rng.choice(words["activity"])
    template = rng.randrange(7)
    if template == 0:
        return f"{place} {core} {activity} {legal}", ""
    if template == 1:
        return f"{city} {core} {activity} {legal}", ""
    if template == 2:
        brand = "".join(rng.sample(words["pinyin"], 1))
        return f"{city} {brand} {core} {rng.choice(('Co., Ltd.', 'Company Limited', 'Trading Co., Ltd.'))}", "CN"
    if template == 3:
        culture = rng.choice(sorted(surnames))
        a, b = rng.sample(surnames[culture], 2)
        return f"{a} & {b} {rng.choice(('LLP', 'Ltd', 'GmbH', 'Partners', 'S.A.'))}", _CULTURE_COUNTRY[culture]
    if template == 4:
        ru = rng.choice(("OOO", "AO", "ООО", "LLC"))
        base = f"{place} {core} {activity}"
        return (f'{ru} "{base}"' if ru in ("OOO", "AO", "ООО") else f"{base} {ru}"), "RU"
    if template == 5:
        return f"{rng.choice(surnames['anglo'])} {core} {activity}", ""
    return f"{place} {core} {legal}", ""


def _negative(name: str, kind: str, rng: random.Random, country: str | None, note: str) -> Case:
    query_kind = "any" if rng.random() < 1 / 3 else kind
    return Case(
        id="",
        query=Query(name=name, kind=query_kind, country=country if rng.random() < 0.3 else None),
        expect="no_match",
        target_entity_id=None,
        list_id=None,
        perturbation="",
        entity_kind=kind,
        note=note,
    )


def _synthetic_people(n: int, rng: random.Random) -> Iterator[Case]:
    given, surnames = _read_parts("given_names.txt"), _read_parts("surnames.txt")
    cultures = sorted(given)
    for _ in range(n):
        culture = rng.choice(cultures)
        name = _person_name(culture, given, surnames, rng)
        case = _negative(name, "person", rng, _CULTURE_COUNTRY[culture], f"{culture} name")
        yield dataclasses.replace(case, perturbation="negative_person")


def _synthetic_orgs(n: int, rng: random.Random) -> Iterator[Case]:
    words, surnames = _read_parts("org_words.txt"), _read_parts("surnames.txt")
    for _ in range(n):
        name, country = _org_name(words, surnames, rng)
        case = _negative(name, "organization", rng, country or None, "made-up company")
        yield dataclasses.replace(case, perturbation="negative_org")


def _near_misses_number(entities: Sequence[Entity], rng: random.Random) -> Iterator[Case]:
    with_digits = [e for e in entities if e.kind is not Kind.AIRCRAFT and re.search(r"\d", e.name)]
    rng.shuffle(with_digits)
    for entity in with_digits:
        numbers = list(re.finditer(r"\d+", entity.name))
        spot = rng.choice(numbers)
        value = int(spot.group())
        new = str(value + rng.choice((1, 2, 3, 7)) if rng.random() < 0.7 or value < 2 else value - 1)
        name = entity.name[: spot.start()] + new + entity.name[spot.end() :]
        case = _negative(name, entity.kind.value, rng, None, f"from '{entity.name}' ({entity.id})")
        yield dataclasses.replace(case, perturbation="near_miss_number", list_id=entity.list_id)


_GENERIC_ORG_WORDS = (
    _IGNORED_WORDS
    | _ENGLISH_WORDS
    | set(
        "de del los las and y e of for la el sa corporacion sociedad empresa compania grupo comercial internacional"
        " inversiones general national import export trade industrial industry organization".split()
    )
)
# Parts Russian company names are built from ("Rosoboronexport" = ros + oboron + export).
_COMPOUND_PARTS = ("agro", "neft", "stroy", "prom", "tekh", "trans", "mash", "energo", "avia", "khim", "gaz", "met")


def _replacement_surname(old: str, surnames: dict[str, list[str]], rng: random.Random) -> str:
    """A real surname of the same look (the same ending when there is one) that is no respelling of the old one."""
    every = sorted({s for names in surnames.values() for s in names if len(s) >= 4})
    pool = [s for s in every if s.lower()[-2:] == old.lower()[-2:] and _unlike(s, old)]
    if len(pool) < 3:
        pool = [s for s in every if _unlike(s, old)]
    return _recase(rng.choice(pool), old)


def _unlike(a: str, b: str) -> bool:
    """Different enough that no one would take one for a typo or a romanisation of the other."""
    return fuzz.ratio(fold(a), fold(b)) < 60


def _near_misses_token(entities: Sequence[Entity], rng: random.Random) -> Iterator[Case]:
    surnames = _read_parts("surnames.txt")
    words = _read_parts("org_words.txt")
    org_words = sorted(set(words["core"] + words["place"] + words["activity"]))
    # A name with a parenthesised acronym keeps it, and the acronym alone may fairly match.
    pool = [
        e for e in entities if e.kind in (Kind.PERSON, Kind.ORGANIZATION) and is_latin(e.name) and "(" not in e.name
    ]
    rng.shuffle(pool)
    for entity in pool:
        name = entity.name
        if len(name.replace(",", " ").split()) > MAX_NEAR_MISS_WORDS:
            continue  # one word changed in a long name is still worth an analyst's look
        if entity.kind is Kind.PERSON:
            person = PersonName.parse(name)
            if not person.given or not person.surname or len(name.replace(",", " ").split()) < 2:
                continue
            i = max(range(len(person.surname)), key=lambda j: len(person.surname[j]))
            old = person.surname[i]
            if len(old) < 3 or not old.replace("-", "").isalpha():
                continue
            new = _replacement_surname(old, surnames, rng)
            surname = person.surname[:i] + (new,) + person.surname[i + 1 :]
            query = dataclasses.replace(person, surname=surname).render()
        else:
            tokens = name.split()
            distinctive = [
                i for i, t in enumerate(tokens) if t.isalpha() and len(t) > 3 and t.lower() not in _GENERIC_ORG_WORDS
            ]
            if len(distinctive) >= 2:  # another word in place of the longest distinctive one
                i = max(distinctive, key=lambda j: len(tokens[j]))
                tokens[i] = _recase(rng.choice([w for w in org_words if _unlike(w, tokens[i])]), tokens[i])
            elif len(distinctive) == 1 and len(tokens[distinctive[0]]) >= 10:  # a compound: its middle replaced
                i = distinctive[0]
                word = tokens[i]
                middle = rng.choice([p for p in _COMPOUND_PARTS if p not in word.lower()])
                tokens[i] = _recase(word[:3].lower() + middle + word[-6:].lower(), word)
            else:
                continue
            query = " ".join(tokens)
        case = _negative(query, entity.kind.value, rng, None, f"from '{name}' ({entity.id})")
        yield dataclasses.replace(case, perturbation="near_miss_token", list_id=entity.list_id)


def _near_misses_dob(entities: Sequence[Entity], rng: random.Random) -> Iterator[Case]:
    born = [e for e in entities if e.kind is Kind.PERSON and e.birth_dates and e.birth_dates[0].date[:4].isdigit()]
    rng.shuffle(born)
    for entity in born:
        years = [int(d[:4]) for b in entity.birth_dates for d in (b.date, b.until) if d and d[:4].isdigit()]
        if max(years) - min(years) > 10:
            continue
        gap = rng.randint(25, 40)
        year = min(years) - gap if min(years) - gap > 1900 and rng.random() < 0.5 else max(years) + gap
        if year > 2010:
            year = min(years) - gap
        date = f"{year}{entity.birth_dates[0].date[4:]}"
        query = Query(name=entity.name, kind="person", birth_date=date)
        yield Case(
            id="",
            query=query,
            expect="no_match",
            target_entity_id=None,
            list_id=entity.list_id,
            perturbation="near_miss_dob",
            entity_kind="person",
            note=f"'{entity.name}' ({entity.id}) born {entity.birth_dates[0].date}; query {date}",
        )


@dataclass
class NegativeReport:
    examined: Counter[str] = dataclasses.field(default_factory=Counter)
    discarded: Counter[str] = dataclasses.field(default_factory=Counter)
    examples: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)  # (type, name, reason)


def negatives(
    entities: Sequence[Entity], total: int, rng: random.Random, listed: ListedNames | None = None
) -> tuple[list[Case], NegativeReport]:
    """About ``total`` negatives that no listed name covers, and what the validity filter threw out."""
    listed = listed or ListedNames(entities)
    quotas = {
        "negative_person": round(total * 0.38),
        "negative_org": round(total * 0.30),
        "near_miss_number": round(total * 0.05),
        "near_miss_dob": round(total * 0.09),
    }
    quotas["near_miss_token"] = total - sum(quotas.values())
    streams: dict[str, Iterator[Case]] = {
        "negative_person": _synthetic_people(quotas["negative_person"] * 3, rng),
        "negative_org": _synthetic_orgs(quotas["negative_org"] * 3, rng),
        "near_miss_number": _near_misses_number(entities, rng),
        "near_miss_token": _near_misses_token(entities, rng),
        "near_miss_dob": _near_misses_dob(entities, rng),
    }
    report = NegativeReport()
    cases: list[Case] = []
    seen: set[str] = set()
    for kind in NEGATIVE_TYPES:
        taken = 0
        for case in streams[kind]:
            if taken >= quotas[kind]:
                break
            key = f"{fold(case.query.name or '')}|{case.query.birth_date}"
            if key in seen:
                continue
            seen.add(key)
            report.examined[kind] += 1
            reason = invalid_reason(case, listed)
            if reason is not None:
                report.discarded[kind] += 1
                if len(report.examples) < 400:
                    report.examples.append((kind, case.query.name or "", reason))
                continue
            cases.append(case)
            taken += 1
    return [dataclasses.replace(c, id=f"n{i:05d}") for i, c in enumerate(cases, 1)], report


# ---------------------------------------------------------------- the whole set, and its file form


def build(
    entities: Sequence[Entity], *, seed: int = 7, n_positive: int = 3000, n_negative: int = 3000
) -> tuple[list[Case], NegativeReport]:
    rng = random.Random(seed)
    pos = positives(entities, n_positive, rng)
    neg, report = negatives(entities, n_negative, rng)
    return pos + neg, report


def case_to_json(case: Case) -> dict[str, Any]:
    return dataclasses.asdict(case)


def case_from_json(data: dict[str, Any]) -> Case:
    q = dict(data["query"])
    q["address"] = AddressQuery(**q["address"]) if q.get("address") else None
    q["identifiers"] = tuple(IdentifierQuery(**i) for i in q.get("identifiers") or ())
    q["lists"] = tuple(q["lists"]) if q.get("lists") is not None else None
    return Case(**{**data, "query": Query(**q)})


def write_cases(cases: Iterable[Case], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for case in cases:
            f.write(json.dumps(case_to_json(case), ensure_ascii=False) + "\n")


def read_cases(path: Path) -> list[Case]:
    with open(path, encoding="utf-8") as f:
        return [case_from_json(json.loads(line)) for line in f if line.strip()]


def summary(cases: Sequence[Case], report: NegativeReport) -> str:
    lines = []
    pos = Counter(c.perturbation for c in cases if c.expect == "match")
    kinds = Counter(c.entity_kind for c in cases if c.expect == "match")
    lists = Counter(c.list_id for c in cases if c.expect == "match")
    lines.append(f"positives {sum(pos.values())}: " + ", ".join(f"{k} {pos[k]}" for k in POSITIVE_TYPES))
    lines.append("  by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    lines.append("  by list: " + ", ".join(f"{k} {n}" for k, n in sorted(lists.items())))
    neg = Counter(c.perturbation for c in cases if c.expect == "no_match")
    lines.append(f"negatives {sum(neg.values())}: " + ", ".join(f"{k} {neg[k]}" for k in NEGATIVE_TYPES))
    lines.append(
        "  validity filter discarded: "
        + ", ".join(f"{k} {report.discarded[k]}/{report.examined[k]}" for k in NEGATIVE_TYPES)
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists-dir", type=Path, default=DEFAULT_LISTS_DIR)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--positives", type=int, default=3000)
    parser.add_argument("--negatives", type=int, default=3000)
    parser.add_argument("--write", type=Path, help="write the cases as JSON lines")
    parser.add_argument("--show-discards", type=int, default=0, help="print this many discarded negatives")
    args = parser.parse_args()
    cases, report = build(
        load_entities(args.lists_dir), seed=args.seed, n_positive=args.positives, n_negative=args.negatives
    )
    print(summary(cases, report))
    for kind, name, reason in report.examples[: args.show_discards]:
        print(f"  discarded {kind}: {name!r} — {reason}")
    if args.write:
        write_cases(cases, args.write)
        print(f"wrote {len(cases)} cases to {args.write}")


if __name__ == "__main__":
    main()
