"""A property of ssm-2 over the real lists' names: one edit in one word of five letters or
more never takes a name under the default threshold.

A seeded sample of names from three shared lists (UN, EU, OFAC non-SDN): each name gets one
word of five letters or more changed by one edit (a letter dropped, doubled, replaced,
inserted, or two neighbours swapped) and is compared with the listed record it came from.
A word of the name is one the normaliser keeps as a token: legal forms ("Obshchestvo"),
ranks and honorifics ("Sheikh") and number words ("Third") are what a name is *said* with,
and are left out of the property. So is an edit that turns one syllable of an East-Asian
name into another (Maung -> Kaung, Chol -> Chon): that is another name, not a slip.
"""

from __future__ import annotations

import random
import string

import pytest

from service import catalog, sources
from service.matching.algorithms import compare
from service.matching.normalize import fold, name_tokens
from service.matching.score import DEFAULT_THRESHOLD
from service.matching.ssm2 import another_syllable
from service.matching.types import Query

SAMPLE = 3000
LISTS = ("un_sc", "eu_fsf", "us_ofac_cons")


def _edit(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    kind = rng.choice(("drop", "double", "replace", "insert", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[: i + 1] + word[i] + word[i + 1 :]
    if kind == "replace":
        return word[:i] + rng.choice([c for c in string.ascii_lowercase if c != word[i].lower()]) + word[i + 1 :]
    if kind == "insert":
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i:]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


@pytest.fixture(scope="module")
def listed_names(shared_lists):  # type: ignore[no-untyped-def]
    found = catalog.discover(shared_lists)
    names = []
    for list_id in LISTS:
        if list_id not in found:
            continue
        for entity in sources.read(found[list_id].format, list(found[list_id].paths), list_id).entities:
            for name in entity.names:
                if name.full.isascii():
                    names.append((entity.kind.value, name.full))
    if not names:
        pytest.skip("none of the lists found")
    return sorted(set(names))


def test_one_edit_in_a_word_of_five_letters_or_more_stays_a_match(listed_names) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(12)
    failures = []
    tried = 0
    for kind, full in rng.sample(listed_names, min(SAMPLE, len(listed_names))):
        words = full.split()
        tokens = set(name_tokens(full).tokens)
        long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and fold(w) in tokens]
        if not long_words:
            continue
        i = rng.choice(long_words)
        slip = _edit(words[i], rng)
        if another_syllable(fold(slip), fold(words[i])):
            continue
        edited = " ".join(words[:i] + [slip] + words[i + 1 :])
        tried += 1
        result = compare(Query(name=edited), {"kind": kind, "names": [{"full": full}]}, "ssm-2")
        if result.score < DEFAULT_THRESHOLD:
            failures.append((edited, full, result.score))
    assert tried > SAMPLE // 2
    assert not failures, f"{len(failures)} of {tried} edited names under {DEFAULT_THRESHOLD}: {failures[:20]}"
