"""Other languages' Latin spellings of a name, read the way English romanisation writes it.

A Russian, Belarusian or Ukrainian name reaches a list in one romanisation (mostly English:
"Vyacheslavovich", "Zhirov", "Yuriy") and a query in another: German writes "Wjatscheslawowitsch",
"Schirow"; Dutch "Vjatsjeslavovitsj", "Joeri"; Polish "Wiaczesławowicz", "Żyrow"; Hungarian
"Vjacseszlavovics", "Zsirov"; Latvian "Vjačeslavovičs", "Jurijs"; Lithuanian
"Viačeslavovičas", "Jurijus"; Turkish "Vyaçeslavoviç", and Turkish spells Arabic names with
c for j ("Cihat" for Jihad). Each convention is a few letter groups, so a word is read
through every convention whose letter groups it holds, and ssm-2 compares those readings
with the other side's word at a small discount (``Weights2.reading``). Where the letters of
two spellings differ a sound key does not recover them all (Schirow / Zhirov, Jurijus /
Yuriy), and a sound key loose enough to would find Sara in Seraj.

The conventions are written from how each language spells its own sounds; none of them is
fitted to a test set.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Letters with a diacritic that stand for a digraph of the English romanisation. They are
# written as placeholders in capitals, so that no convention below rewrites them again.
_DIACRITICS = str.maketrans(
    {
        "š": "SH", "ž": "ZH", "č": "CH", "ş": "SH", "ç": "CH", "ż": "ZH", "ś": "SH", "ć": "CH",
        "ł": "L", "ğ": "", "ı": "I", "ő": "O", "ű": "U", "ö": "O", "ü": "U",
    }
)
# Any of those letters in a text (a name without them needs no reading by its diacritics).
CONVENTION_LETTERS = re.compile("[" + "".join(chr(k) for k in _DIACRITICS) + "]", re.IGNORECASE)
_CONSONANTS = "bcdfghjklmnpqrstvwxz"

# Each convention: the letter groups that show a word may be written in it, and the rewrites
# that read it the English way (in order; capitals are already English and stay).
_CONVENTION_GROUPS: tuple[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    # German: Schirow, Wiktorowitsch, Jakowlewitsch, Michail
    (("sch", "w"), (("tsch", "CH"), ("sch", "SH"), ("ch", "KH"), ("w", "V"), ("j", "Y"))),
    # Dutch: Vjatsjeslavovitsj, Zjirov, Joeri, Isajevitsj, Mochmad
    (("tsj", "sj", "zj", "oe"), (("tsj", "CH"), ("sj", "SH"), ("zj", "ZH"), ("oe", "U"), ("ch", "KH"), ("j", "Y"))),
    # Polish: Szczetinin, Aleksandrowicz, Ananczenko, Wedjachin, Luckij
    (
        ("cz", "sz", "rz", "w"),
        (("szcz", "SHCH"), ("cz", "CH"), ("sz", "SH"), ("rz", "ZH"), ("ch", "KH"), ("w", "V"), ("j", "Y"), ("c", "TS")),
    ),
    # French: Chevtchenko, Iouri, Gueorguievitch, Djamel
    (
        ("tch", "ou", "gu", "dj"),
        (("tch", "CH"), ("ch", "SH"), ("iou", "YU"), ("ou", "U"), ("gue", "GE"), ("gui", "GI"), ("dj", "J")),
    ),
    # An i before a vowel for the English y (French, Georgian, Romanian: Iouri, Ievgenievich, Iurievich)
    (("ia", "ie", "iu", "io"), (("ia", "YA"), ("ie", "YE"), ("iu", "YU"), ("io", "YO"))),
    # Hungarian: Csernisov, Nadezsda, Vaszilevna, Vladimirovics
    (("cs", "zs", "sz"), (("cs", "CH"), ("zs", "ZH"), ("sz", "S"), ("s", "SH"), ("j", "Y"))),
)
# Turkish: Cihat, Hacci (Jihad, Hajji): a c that no other convention writes in a group (its ç
# and ş are read above as CH and SH).
_TURKISH_C = re.compile(r"c(?![hzsk])")
# Latvian and Lithuanian case endings on a name: Jurijs / Jurijus (Yuriy), Andrejs (Andrey),
# Bibilovs, Solovjovas, Vladimirovičs, Vladimirovičas.
_BALTIC_YOT = re.compile(r"([aeiou])[jY](?:us|s)$")
_BALTIC_ENDING = re.compile(rf"(?<=[{_CONSONANTS}CHSZ])(?:as|us|is|s)$")
# … taken off a stem that ends as Slavic names do (Martynovas, Germanas), or a word written
# with Baltic letters (Šors): not off Thomas or Markus.
_SLAVIC_STEMS = ("ov", "ev", "yov", "in", "yn", "ich", "CH", "ko", "sky", "ski", "uk", "an", "ndr", "ur", "ar", "or")
_VOWEL_GROUPS = re.compile(r"[aeiouyAEIOUY]+")
# A patronymic's ending in any of these spellings, once read: -ovich / -evich.
_PATRONYMIC = re.compile(r"([oea])vi(?:ch|tch)$")


def _vich(m: re.Match[str]) -> str:
    return m.group(1) + "vich"


# Conventions found by their letter groups in one search each.
_CONVENTIONS = tuple((re.compile("|".join(triggers)), rewrites) for triggers, rewrites in _CONVENTION_GROUPS)
# Any letter group that some reading below rewrites.
_ANY_TRIGGER = re.compile("|".join(t.pattern for t, _ in _CONVENTIONS) + r"|c(?![hzsk])|j|s$|vitch$")


def _english(word: str, rewrites: tuple[tuple[str, str], ...]) -> str:
    for a, b in rewrites:
        word = word.replace(a, b)
    return word


@lru_cache(maxsize=100_000)
def readings(raw: str) -> tuple[str, ...]:
    """The ways ``raw`` (one word as written, lower case, diacritics kept) reads the English
    way, other than its plain folding: "schirow" → ("shirov",), "jurijus" → ("yuriy",).
    Lower-case ASCII; empty when no convention applies."""
    if raw.isascii():
        if _ANY_TRIGGER.search(raw) is None:
            return ()  # most words: nothing another convention would write
        expanded = raw
    else:
        expanded = raw.translate(_DIACRITICS)
        if not expanded.isascii():
            return ()  # another script, or diacritics of no convention here
    forms = {expanded}
    for triggers, rewrites in _CONVENTIONS:
        if triggers.search(expanded):
            forms.add(_english(expanded, rewrites))
    if "c" in expanded and "cz" not in expanded and _TURKISH_C.search(expanded):
        forms.add(_TURKISH_C.sub("J", expanded))
    out: dict[str, None] = {}
    for form in forms:
        if len(form) >= 5 and form[-1] == "s":
            form = _BALTIC_YOT.sub(lambda m: m.group(1).upper() + "Y", form)
            if len(form) >= 5:
                stem = _BALTIC_ENDING.sub("", form)
                if stem != form and (expanded != raw or stem.endswith(_SLAVIC_STEMS)):
                    form = stem.replace("ch", "KH")  # Lithuanian writes х as ch (Chanas: Khan)
        if "j" in form and len(_VOWEL_GROUPS.findall(form)) >= 2:
            # j for the English y, in any of them (Jurij, Andrej, Sergej); not in one
            # syllable, where it is a consonant of its own (Jing is not Ying).
            form = form.replace("j", "y")
        form = form.lower()
        if "vi" in form:
            form = _PATRONYMIC.sub(_vich, form)
        out[form] = None
    plain = "".join(ch for ch in raw if ch.isascii())
    return tuple(form for form in out if form != plain and form.isalpha())
