"""A territory and the state it belongs to name one place for screening: a counterparty in
Hong Kong agrees with a record listed at "Hong Kong, China". The explanation never says a
country is not listed when the record lists the place."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import redis

from service.app import create_app
from service.config import Settings
from service.countries import placed_in, same_place
from tests.test_hostile_input import real_sdn

CHANG_AN = "us_ofac_sdn:23763"  # CHANG AN SHIPPING & TECHNOLOGY: add.csv of 2021-07-07, "Chai Wan, Hong Kong", "China"


@pytest.mark.parametrize(
    ("a", "b", "same", "why"),
    [
        ("HK", "CN", True, "Hong Kong is a special administrative region of China"),
        ("CN", "HK", True, "either way round"),
        ("MO", "CN", True, "Macau likewise"),
        ("HK", "MO", False, "two territories of one state are two places"),
        ("PR", "US", True, "Puerto Rico, a US territory"),
        ("JE", "GB", True, "Jersey, a Crown Dependency"),
        ("RE", "FR", True, "Réunion, an overseas department"),
        ("CW", "NL", True, "Curaçao, a country of the Kingdom of the Netherlands"),
        ("TW", "CN", False, "disputed: not assumed"),
        ("XK", "RS", False, "disputed: not assumed"),
        ("RU", "CN", False, "two states"),
        ("CN", "CN", True, "the same code"),
    ],
)
def test_same_place(a: str, b: str, same: bool, why: str) -> None:
    assert same_place(a, b) is same, why


def test_placed_in_prefers_the_exact_code() -> None:
    assert placed_in("HK", frozenset({"CN", "HK"})) == "HK"
    assert placed_in("HK", frozenset({"CN", "RU"})) == "CN"
    assert placed_in("HK", frozenset({"RU"})) is None


def compare_body(country: str) -> dict:
    return {
        "query": {"name": "Asia Pacific Links Ltd", "kind": "organization", "country": country},
        "record": {
            "names": ["ASIA PACIFIC LINKS LIMITED"],
            "kind": "organization",
            "addresses": [{"street": "Room 1502, 80 Queen's Road East", "city": "Wan Chai, Hong Kong",
                           "country": "China"}],  # fmt: skip
        },
    }


@pytest.fixture
def empty(settings: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    return create_app(replace(settings, enabled_lists=()), redis_client=redis_client).test_client()


def country_feature(features: list[dict]) -> dict:
    (feature,) = [f for f in features if f["name"] == "country"]
    return feature


def test_hong_kong_agrees_with_an_address_in_hong_kong_china(empty, conforms) -> None:  # type: ignore[no-untyped-def]
    response = empty.post("/v1/compare", json=compare_body("HK"))
    assert response.status_code == 200, response.json
    conforms(response, "/v1/compare", "post")
    feature = country_feature(response.json["features"])
    assert feature["contribution"] > 0, feature
    assert feature["detail"] == "HK is part of CN, a listed country"
    assert not any("not among" in f["detail"] for f in response.json["features"])

    china = country_feature(empty.post("/v1/compare", json=compare_body("China")).json["features"])
    assert china["contribution"] > 0 and china["detail"] == "CN is among the listed countries"
    russia = country_feature(empty.post("/v1/compare", json=compare_body("RU")).json["features"])
    assert russia["contribution"] < 0 and "not among the listed countries (CN)" in russia["detail"]


def test_a_listed_company_in_hong_kong_screened_with_country_hk(
    settings: Settings, redis_client: redis.Redis, shared_lists: Path, conforms
) -> None:
    real_sdn(redis_client, shared_lists)
    http = create_app(replace(settings, enabled_lists=("us_ofac_sdn",)), redis_client=redis_client).test_client()
    body = {"name": "Chang An Shipping and Technology", "kind": "organization", "country": "HK"}
    response = http.post("/v1/screen", json=body)
    assert response.status_code == 200, response.json
    conforms(response, "/v1/screen", "post")
    hit = response.json["hits"][0]
    assert hit["entity_id"] == CHANG_AN and hit["match"] is True
    feature = country_feature(hit["features"])
    assert feature["contribution"] > 0 and feature["detail"] == "HK is part of CN, a listed country"
    entity = http.get(f"/v1/entities/{CHANG_AN}").json["entity"]
    assert [a["country"] for a in entity["addresses"]] == ["CN"]  # the record says China: the words agree with it
    assert "Hong Kong" in entity["addresses"][0]["full"]
