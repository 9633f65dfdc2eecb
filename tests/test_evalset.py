"""The evaluation-set generator of bench/evalset.py, on a handful of made-up entities (no shared lists)."""

from __future__ import annotations

import random

import pytest

from bench import evalset
from bench.evalset import Case, ListedNames, invalid_reason
from service.matching.types import Query
from service.model import BirthDate, Entity, Kind, Name, NameType


def _entity(ref: str, kind: Kind, names: list[tuple[str, NameType]], **more: object) -> Entity:
    return Entity(
        id=f"test:{ref}",
        list_id="test",
        reference=ref,
        kind=kind,
        names=tuple(Name(full, type_, "Cyrl" if type_ is NameType.ORIGINAL_SCRIPT else None) for full, type_ in names),
        **more,  # type: ignore[arg-type]
    )


# Made up for these tests; shaped like OFAC and UK rows (comma layout, UPPER-case surnames).
ENTITIES = [
    _entity(
        "1",
        Kind.PERSON,
        [
            ("SIDOROV, Ivan Petrovich", NameType.PRIMARY),
            ("Ivan Petrovich SIDOROFF", NameType.AKA),
            ("Vanya", NameType.WEAK_AKA),
            ("Сидоров Иван Петрович", NameType.ORIGINAL_SCRIPT),
        ],
        countries=("RU",),
        birth_dates=(BirthDate("1960-04-02"),),
    ),
    _entity(
        "2",
        Kind.ORGANIZATION,
        [("Baltic Timber Export OOO", NameType.PRIMARY), ("Baltlesexport", NameType.AKA)],
        countries=("RU",),
    ),
    _entity("3", Kind.VESSEL, [("SEA STAR 1", NameType.PRIMARY)], countries=("PA",)),
    _entity(
        "4",
        Kind.PERSON,
        [("Mohammed Abdul AL-RASHID", NameType.PRIMARY), ("Abu Bakr", NameType.WEAK_AKA)],
        countries=("IQ",),
        birth_dates=(BirthDate("1971"),),
    ),
]


def _key(cases: list[Case]) -> list[dict[str, object]]:
    return [evalset.case_to_json(c) for c in cases]


def test_same_seed_same_cases() -> None:
    first, _ = evalset.build(ENTITIES, seed=3, n_positive=45, n_negative=40)
    again, _ = evalset.build(ENTITIES, seed=3, n_positive=45, n_negative=40)
    other, _ = evalset.build(ENTITIES, seed=4, n_positive=45, n_negative=40)
    assert _key(first) == _key(again)
    assert _key(first) != _key(other)
    assert {c.expect for c in first} == {"match", "no_match"}


@pytest.mark.parametrize("kind", evalset.POSITIVE_TYPES)
def test_every_perturbation_changes_a_name(kind: str) -> None:
    produced = []
    for seed in range(20):
        for entity in ENTITIES:
            result = evalset.perturb(kind, entity, random.Random(seed))
            if result is None:
                continue
            name, note = result
            assert name.strip(), (kind, entity.name)
            if kind == "exact":
                assert name == entity.name
            else:
                assert name not in evalset._source_names(entity) or kind == "alias", (kind, name)
                assert name != entity.name, (kind, name)
            produced.append(name)
    assert produced, f"{kind} applied to none of the test entities"


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("word_order", "SIDOROV, Ivan Petrovich", "Ivan Petrovich SIDOROV"),
        ("drop_middle", "SIDOROV, Ivan Petrovich", "SIDOROV, Ivan"),
        ("initials", "SIDOROV, Ivan Petrovich", "SIDOROV, I. Petrovich"),
        ("script_change", "SIDOROV, Ivan Petrovich", "СИДОРОВ, Иван Петрович"),
    ],
)
def test_person_perturbations_keep_the_layout(kind: str, name: str, expected: str) -> None:
    assert evalset.NAME_PERTURBATIONS[kind](name, ENTITIES[0], random.Random(1)) == expected


def test_legal_form_swaps_within_its_family() -> None:
    seen = {evalset.legal_form("Baltic Timber Export OOO", ENTITIES[1], random.Random(s)) for s in range(30)}
    assert "Baltic Timber Export" in seen  # dropped
    assert seen & {"ООО Baltic Timber Export", "LLC Baltic Timber Export", "Baltic Timber Export LLC"}
    assert not any(s and "GmbH" in s for s in seen)


def test_fold_is_the_filters_own() -> None:
    assert evalset.fold("Şahin  L.L.C.") == "sahin llc"
    assert evalset.fold("Сидоров Иван") == "sidorov ivan"
    assert evalset.key_tokens("The Northwind Trading Co., Ltd.") == ("northwind", "trading")


def _negative(name: str, kind: str = "negative_person", birth_date: str | None = None) -> Case:
    query = Query(name=name, kind="person", birth_date=birth_date)
    return Case("n", query, "no_match", None, None, kind, "person")


def test_validity_filter_discards_what_a_listed_name_covers() -> None:
    listed = ListedNames(ENTITIES)
    assert invalid_reason(_negative("Ivan Sidorov"), listed)  # every word in a listed name
    assert invalid_reason(_negative("Mr Ivan SIDOROV"), listed)  # titles do not count
    assert invalid_reason(_negative("Иван Сидоров"), listed)  # nor the script
    assert invalid_reason(_negative("Ivan Petrovich Sidorof"), listed)  # ratio ≥ 92 with a listed name
    assert invalid_reason(_negative("Baltic Timber Export LLC", "negative_org"), listed)
    assert invalid_reason(_negative("Ivan Petrovich Kuznetsov"), listed) is None
    assert invalid_reason(_negative("SEA STAR 2", "near_miss_number"), listed) is None


def test_validity_filter_of_birth_dates() -> None:
    listed = ListedNames(ENTITIES)
    assert invalid_reason(_negative("SIDOROV, Ivan Petrovich", "near_miss_dob", "1995-04-02"), listed) is None
    assert invalid_reason(_negative("SIDOROV, Ivan Petrovich", "near_miss_dob", "1965-04-02"), listed)
    no_date = ListedNames([*ENTITIES, _entity("5", Kind.PERSON, [("Ivan Petrovich SIDOROV", NameType.PRIMARY)])])
    assert invalid_reason(_negative("SIDOROV, Ivan Petrovich", "near_miss_dob", "1995-04-02"), no_date)


def test_generated_negatives_pass_the_filter() -> None:
    negatives, report = evalset.negatives(ENTITIES, 60, random.Random(5))
    listed = ListedNames(ENTITIES)
    assert negatives and all(invalid_reason(c, listed) is None for c in negatives)
    assert {c.perturbation for c in negatives} >= {"negative_person", "negative_org", "near_miss_dob"}
    assert sum(report.examined.values()) - sum(report.discarded.values()) == len(negatives)


def test_cases_survive_json_lines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases, _ = evalset.build(ENTITIES, seed=1, n_positive=30, n_negative=20)
    path = tmp_path / "cases.jsonl"
    evalset.write_cases(cases, path)
    assert evalset.read_cases(path) == cases
