"""The synthetic list generator of bench/synthetic_names.py: same seed, same file; a file that
looks like a sanctions list and that the project's own FtM parser reads."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench.synthetic_names import Generator, imo_number, write
from service import sources
from service.model import Kind, NameType
from service.sources.labels import script_of

N = 1000


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "synth.ftm.json"
    write(path, N, seed=7)
    return path


def test_same_seed_same_file_and_another_seed_another(synthetic: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again.json", tmp_path / "other.json"
    write(again, N, seed=7)
    write(other, N, seed=8)
    assert again.read_bytes() == synthetic.read_bytes()
    assert other.read_bytes() != synthetic.read_bytes()


def test_the_project_parser_reads_every_entity(synthetic: Path) -> None:
    parsed = sources.read("ftm", [synthetic], "opensanctions")
    entities = list(parsed.entities)
    assert len(entities) == N
    kinds = Counter(e.kind for e in entities)
    # About 60 / 35 / 5 per cent.
    assert 0.5 * N < kinds[Kind.PERSON] < 0.7 * N
    assert 0.25 * N < kinds[Kind.ORGANIZATION] < 0.45 * N
    assert 0.02 * N < kinds[Kind.VESSEL] < 0.09 * N
    assert all(e.names and e.names[0].type is NameType.PRIMARY and e.names[0].full.strip() for e in entities)
    types = Counter(n.type for e in entities for n in e.names)
    assert types[NameType.AKA] and types[NameType.WEAK_AKA] and types[NameType.ORIGINAL_SCRIPT]
    with_alias = sum(1 for e in entities if len(e.names) > 1)
    assert 0.3 * N < with_alias < 0.55 * N
    assert all(len(e.names) <= 5 for e in entities)  # primary, 1-3 aliases, one weak alias
    assert parsed.published is not None


def test_names_come_from_many_cultures_and_scripts(synthetic: Path) -> None:
    records = [json.loads(line) for line in synthetic.read_text(encoding="utf-8").splitlines()]
    names = [n for r in records for n in r["properties"].get("name", []) + r["properties"].get("alias", [])]
    scripts = Counter(script_of(n) for n in names)
    assert {"Cyrl", "Arab", "Hani"} <= set(scripts), scripts
    words = Counter(w.lower() for r in records for w in r["caption"].replace(",", " ").split())
    # Zipf-like: the commonest names and words are very common, as in real lists.
    assert words["mohammed"] >= 10 and words["trading"] >= 10
    countries = {c for r in records for c in r["properties"].get("nationality", [])}
    assert len(countries) >= 25


def test_vessels_carry_valid_imo_numbers(synthetic: Path) -> None:
    for line in synthetic.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for imo in record["properties"].get("imoNumber", []):
            digits = list(map(int, imo))
            assert len(digits) == 7 and sum(d * w for d, w in zip(digits, range(7, 1, -1))) % 10 == digits[6]


def test_generator_gives_people_and_companies_for_queries() -> None:
    generator = Generator(3)
    people = [generator.person_name()[1].primary for _ in range(50)]
    companies = [generator.org_name().primary for _ in range(50)]
    assert len(set(people)) > 40 and len(set(companies)) > 40
    assert imo_number(generator.rng).isdigit()
