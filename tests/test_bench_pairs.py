"""The labelled pair set of bench/pairs.py: its invariants on a sample built from two real lists,
and its hand-made writers of other scripts and languages on names whose spelling is known."""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench import pairs, renderings, scripts
from service import catalog, sources
from service.model import Entity

SAMPLE_LISTS = ("un_sc", "opensanctions")  # small and quick to parse: people, companies, original scripts
SCALE = 0.15


@pytest.fixture(scope="module")
def entities(shared_lists: Path) -> list[Entity]:
    found = catalog.discover(shared_lists)
    out: list[Entity] = []
    for list_id in SAMPLE_LISTS:
        source = found[list_id]
        out.extend(sources.read(source.format, list(source.paths), list_id).entities)
    return out


@pytest.fixture(scope="module")
def sample(entities: list[Entity]) -> list[pairs.Pair]:
    return pairs.build(entities, seed=pairs.DEFAULT_SEED, scale=SCALE)


def test_same_seed_same_pairs_other_seed_other_pairs(entities: list[Entity], sample: list[pairs.Pair]) -> None:
    assert pairs.build(list(reversed(entities)), seed=pairs.DEFAULT_SEED, scale=SCALE) == sample
    other = pairs.build(entities, seed=pairs.DEFAULT_SEED + 1, scale=SCALE)
    assert [p["query"]["name"] for p in other] != [p["query"]["name"] for p in sample]


def test_another_process_builds_the_same_pairs(shared_lists: Path) -> None:
    """Nothing may hang on str hashes (salted per process) or set order: a child with another salt agrees."""
    script = (
        "import json, sys; from pathlib import Path; from service import catalog, sources; from bench import pairs\n"
        "s = catalog.discover(Path(sys.argv[1]))['us_bis_dpl']\n"
        "print(json.dumps(pairs.build(sources.read(s.format, list(s.paths), 'us_bis_dpl').entities, scale=0.1)))"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(shared_lists)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"}, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    source = catalog.discover(shared_lists)["us_bis_dpl"]
    here = pairs.build(sources.read(source.format, list(source.paths), "us_bis_dpl").entities, scale=0.1)
    there = json.loads(child.communicate(timeout=60)[0])
    assert child.returncode == 0 and len(here) > 30 and there == here


def test_ids_and_pairs_are_unique(sample: list[pairs.Pair]) -> None:
    assert len({p["id"] for p in sample}) == len(sample)
    assert len({(p["query"]["name"], tuple(p["record"]["names"])) for p in sample}) == len(sample)


def test_every_pair_has_the_documented_shape(sample: list[pairs.Pair]) -> None:
    categories = {c.name: c for c in pairs.CATEGORIES}
    for p in sample:
        assert set(p) == {"id", "kind", "label", "query", "record", "why", "entity"}, p["id"]
        assert p["label"] is categories[p["kind"]].label, p["id"]
        assert p["query"]["name"].strip() and p["why"].strip(), p["id"]
        assert set(p["query"]) <= {"name", "kind", "country", "birth_date"}, p["id"]
        assert p["record"]["kind"] in ("person", "organization", "vessel", "aircraft"), p["id"]
        assert p["record"]["names"] and all(n.strip() for n in p["record"]["names"]), p["id"]
        assert set(p["record"]) <= {"kind", "names", "countries", "birth_dates"}, p["id"]
        if not p["label"]:  # a negative's query states nothing that would tell the two apart besides the name
            assert "birth_date" not in p["query"], p["id"]


def test_the_sample_has_every_required_class_in_its_share(sample: list[pairs.Pair]) -> None:
    counts = pairs.counts(sample)
    total = pairs.REQUIRED["total"]
    for key in ("non_latin", "company", "negative"):
        # The full set must hold REQUIRED[key] of at least REQUIRED["total"] pairs; a sample keeps the share.
        assert counts[key] / counts["total"] >= pairs.REQUIRED[key] / total, (key, counts)
    groups = Counter(c.group for c in pairs.CATEGORIES for p in sample if p["kind"] == c.name)
    assert set(groups) == {"edit", "language", "script", "company", "negative"}


def test_full_quotas_reach_the_required_counts() -> None:
    quota = Counter()
    for c in pairs.CATEGORIES:
        quota["total"] += c.quota
        quota["negative"] += 0 if c.label else c.quota
    assert quota["total"] >= 4000 and quota["negative"] >= pairs.REQUIRED["negative"] * 2


def test_sample_covers_the_kinds_the_issue_names(sample: list[pairs.Pair]) -> None:
    present = {p["kind"] for p in sample}
    for kind in (
        "edit_final_letter", "edit_two_letters", "edit_particles_joined", "edit_digits", "edit_trailing_vowel",
        "lang_turkish", "lang_title", "script_listed_arabic", "script_hebrew", "script_devanagari",
        "org_plural", "org_word_order", "org_abbreviation", "neg_relative", "neg_same_given", "neg_org_word",
    ):  # fmt: skip
        assert kind in present, kind


@pytest.mark.parametrize(
    ("latin", "script", "written"),
    [
        ("Vladimir Putin", "Hebr", "ולדימיר פוטין"),  # as Israeli papers spell him
        ("Sergey Lavrov", "Hebr", "סרגיי לברוב"),
        ("Kim Jong Un", "Hang", "김정은"),  # surname and given name written together
        ("Zhang Wei", "Hani", "张伟"),
        ("Min Aung Hlaing", "Mymr", "မင်း အောင် လှိုင်"),
        ("Tanaka", "Jpan", "田中"),
        ("Sergey", "Jpan", "セルゲイ"),
        ("Putin", "Deva", "पुतिन"),
        ("Putin", "Geor", "პუტინ"),
        ("Vladimir", "Arab-European", "فلاديمير"),
    ],
)
def test_script_writers(latin: str, script: str, written: str) -> None:
    assert scripts.write(latin, script) == written


@pytest.mark.parametrize(
    ("cyrillic", "language", "written"),
    [
        ("Путин", "lithuanian", "Putinas"),
        ("Сергей", "latvian", "Sergejs"),
        ("Хрущёв", "german", "Chruschtschow"),
        ("Шойгу", "hungarian", "Sojgu"),
        ("Жуков", "polish", "Żukow"),
        ("Чернышев", "french", "Tchernychev"),
        ("Путин", "dutch", "Poetin"),
        ("Шойгу", "turkish", "Şoygu"),
    ],
)
def test_language_renderings(cyrillic: str, language: str, written: str) -> None:
    assert renderings.romanise(cyrillic, language) == written


def test_turkish_spelling_of_arabic_names() -> None:
    assert [renderings.turkish_arabic(w) for w in ("Khalid", "Qasim", "Jafar", "HUSSEIN")] == [
        "Halit", "Kasım", "Cafer", "HÜSEYIN",
    ]  # fmt: skip


PAIRS = [  # made up: one positive found, one missed, one negative scored high
    {"id": "a", "kind": "edit_digits", "label": True, "query": {"name": "S0K0L0V Ivan", "kind": "person"},
     "record": {"kind": "person", "names": ["SOKOLOV, Ivan", "Ivan SOKOLOFF"], "countries": ["RU"],
                "birth_dates": ["1960"]}, "why": "o as 0", "entity": None},
    {"id": "b", "kind": "edit_digits", "label": True, "query": {"name": "Ivan Sokolov", "country": "RU"},
     "record": {"kind": "person", "names": ["SOKOLOV, Ivan"]}, "why": "same", "entity": None},
    {"id": "c", "kind": "neg_relative", "label": False, "query": {"name": "Petr Sokolov"},
     "record": {"kind": "person", "names": ["SOKOLOV, Ivan"]}, "why": "brother", "entity": None},
]  # fmt: skip


def test_records_are_built_as_v1_compare_builds_them() -> None:
    from bench.pair_accuracy import record_of
    from service.api.screen import as_record

    for pair in PAIRS:
        given = {**pair["record"], "names": [{"full": n} for n in pair["record"]["names"]]}
        assert record_of(pair) == as_record(given)


def test_scorers_fall_back_to_the_default_and_skip_unknown_algorithms(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import pair_accuracy
    from service.matching import score

    if "algorithm" not in inspect.signature(score.compare).parameters:
        assert list(pair_accuracy.scorers(["ssm-1", "ssm-2"])) == [score.ALGORITHM]
    original = score.compare

    def compare(query, record, algorithm="ssm-1"):  # type: ignore[no-untyped-def]
        if algorithm not in ("ssm-1", "ssm-x"):
            raise ValueError(f"no algorithm {algorithm}")
        return (
            original(query, record) if algorithm == "ssm-1" else dataclasses.replace(original(query, record), score=1)
        )

    monkeypatch.setattr(score, "compare", compare)
    found = pair_accuracy.scorers(["ssm-1", "ssm-x", "ssm-9"])
    assert list(found) == ["ssm-1", "ssm-x"]
    scored = pair_accuracy.score_all(PAIRS, found)
    assert scored.scores["ssm-x"] == [1, 1, 1]
    labels = [p["label"] for p in PAIRS]
    assert pair_accuracy.rates(labels, scored.scores["ssm-x"]) == (2, 2, 2, 1, 1)
    assert pair_accuracy.f1(labels, [0.9, 0.5, 0.85], 0.8) == pytest.approx(2 * 1 / (2 * 1 + 1 + 1))
