"""Screening over HTTP against a real Redis holding the small fixture lists: hits, batches, compare, 400s, 503s."""

from __future__ import annotations

from dataclasses import replace

import pytest
import redis
from jsonschema import Draft202012Validator

from service.api.schemas import CompareRequestSchema, ScreenBatchRequestSchema, ScreenRequestSchema
from service.api.screen import as_record
from service.app import create_app
from service.config import Settings
from service.loader import load_list
from service.matching.types import AddressQuery, IdentifierQuery
from service.store import ListStore
from tests.conftest import FIXTURES

ENABLED = ("us_ofac_sdn", "un_sc")
OFAC_CSV = [FIXTURES / "ofac_csv" / name for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]
UN_XML = [FIXTURES / "un" / "consolidated-sample.xml"]

# Entities of the fixture lists (tests/fixtures/ofac_csv/sdn.csv, the SDN rows named there).
IRGC = "us_ofac_sdn:10391"  # ISLAMIC REVOLUTIONARY GUARD CORPS, organization
NAQDI = "us_ofac_sdn:12057"  # NAQDI, Mohammad Reza, individual, DOB 1951 to 1953 …
ARTAVIL = "us_ofac_sdn:15036"  # ARTAVIL, vessel, IMO 9187629


@pytest.fixture
def app(settings: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    return create_app(replace(settings, enabled_lists=ENABLED), redis_client=redis_client)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def loaded(redis_client: redis.Redis) -> dict[str, str]:
    """Both enabled lists loaded from the fixture files; list id → version."""
    store = ListStore(redis_client)
    load_list(store, "us_ofac_sdn", "ofac_csv", OFAC_CSV)
    load_list(store, "un_sc", "un_xml", UN_XML)
    return store.current()


def top(result: dict) -> dict:
    assert result["hits"], f"no hits: {result}"
    return result["hits"][0]


# --- Screening -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected", "why"),
    [
        (
            {"name": "Islamic Revolutionary Gaurd Corps", "kind": "organization"},
            IRGC,
            "two letters swapped in one word of four",
        ),
        ({"name": "Mohammad Reza Naqdi", "kind": "person", "country": "Iran"}, NAQDI, "given name first, not last"),
        ({"kind": "vessel", "identifiers": [{"type": "imo", "value": "IMO 9187629"}]}, ARTAVIL, "IMO number alone"),
    ],
)
def test_screen_finds_a_listed_entity(client, loaded, conforms, body, expected, why) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/screen", json=body)
    assert response.status_code == 200, response.json
    conforms(response, "/v1/screen", "post")
    result = response.json
    hit = top(result)
    assert hit["entity_id"] == expected, why
    assert hit["match"] is True, why
    assert hit["score"] >= result["threshold"]
    assert hit["features"] and all(f["detail"] for f in hit["features"])
    assert result["lists"] == loaded
    assert result["screening_id"] and result["algorithm"] and result["candidates"] > 0


def test_screen_explains_a_hit_and_rounds_its_scores(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/screen", json={"name": "Islamic Revolutionary Gaurd Corps", "lists": ["us_ofac_sdn"]})
    assert response.status_code == 200, response.json
    conforms(response, "/v1/screen", "post")
    hit = top(response.json)
    assert response.json["lists"] == {"us_ofac_sdn": loaded["us_ofac_sdn"]}
    assert hit["list_id"] == "us_ofac_sdn" and hit["reference"] == "10391" and hit["kind"] == "organization"
    assert hit["listed_name"] == "ISLAMIC REVOLUTIONARY GUARD CORPS"
    assert hit["matched_name"] == "ISLAMIC REVOLUTIONARY GUARD CORPS"
    assert "IRGC" in hit["programs"]
    assert "name" in {f["name"] for f in hit["features"]}
    for number in [hit["score"], *(f["contribution"] for f in hit["features"])]:
        assert round(number, 4) == number


def test_screen_threshold_and_limit_are_honoured(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/screen", json={"name": "Islamic Revolutionary Gaurd Corps", "threshold": 1, "limit": 1})
    assert response.status_code == 200, response.json
    conforms(response, "/v1/screen", "post")
    assert response.json["threshold"] == 1
    assert len(response.json["hits"]) <= 1
    assert all(hit["match"] is False for hit in response.json["hits"])  # a misspelling is never a perfect 1


def test_screen_when_a_list_is_not_loaded_is_503_with_the_reason(client, redis_client, conforms) -> None:  # type: ignore[no-untyped-def]
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", OFAC_CSV)  # un_sc is enabled, not loaded
    response = client.post("/v1/screen", json={"name": "Islamic Revolutionary Guard Corps"})
    assert response.status_code == 503
    conforms(response, "/v1/screen", "post")
    assert response.json["error"]["code"] == "unavailable"
    assert "un_sc" in response.json["error"]["message"]

    batch = client.post("/v1/screen/batch", json={"queries": [{"name": "Islamic Revolutionary Guard Corps"}]})
    assert batch.status_code == 503
    conforms(batch, "/v1/screen/batch", "post")
    assert "un_sc" in batch.json["error"]["message"]


def test_screen_when_redis_is_down_is_503(settings: Settings, conforms) -> None:  # type: ignore[no-untyped-def]
    app = create_app(
        replace(settings, enabled_lists=ENABLED), redis_client=redis.Redis(port=1, socket_connect_timeout=0.2)
    )
    response = app.test_client().post("/v1/screen", json={"name": "Islamic Revolutionary Guard Corps"})
    assert response.status_code == 503
    conforms(response, "/v1/screen", "post")


def test_batch_answers_in_the_order_of_the_queries(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    queries = [
        {"kind": "vessel", "identifiers": [{"type": "imo", "value": "9187629"}], "limit": 3},
        {"name": "Islamic Revolutionary Gaurd Corps", "kind": "organization", "limit": 3},
        {"name": "Naqdi, Mohammad Reza", "kind": "person", "limit": 3},
        {"kind": "vessel", "identifiers": [{"type": "imo", "value": "9187629"}], "limit": 3},
    ]
    response = client.post("/v1/screen/batch", json={"queries": queries})
    assert response.status_code == 200, response.json
    conforms(response, "/v1/screen/batch", "post")
    results = response.json["results"]
    assert [top(r)["entity_id"] for r in results] == [ARTAVIL, IRGC, NAQDI, ARTAVIL]
    assert all(r["lists"] == loaded for r in results)
    assert len({r["screening_id"] for r in results}) == len(results)


# --- Validation ------------------------------------------------------------------------------

SCREEN_ERRORS = [
    ({"country": "RU", "kind": "person"}, "name", "nothing to match on: no name, address or identifiers"),
    ({"identifiers": []}, "name", "an empty list of identifiers is no identifier"),
    ({"name": "   "}, "name", "a blank name"),
    ({"name": "x" * 501}, "name", "over 500 characters"),
    ({"name": 42}, "name", "not a string"),
    ({"name": "x", "kind": "ship"}, "kind", "not one of the kinds"),
    ({"name": "x", "threshold": 2}, "threshold", "a score is between 0 and 1"),
    ({"name": "x", "threshold": True}, "threshold", "a boolean is no number"),
    ({"name": "x", "limit": 0}, "limit", "at least one hit"),
    ({"name": "x", "limit": 101}, "limit", "at most 100 hits"),
    ({"name": "x", "limit": "10"}, "limit", "a number as a string"),
    ({"name": "x", "birth_date": "1990-13-45"}, "birth_date", "no month 13"),
    ({"name": "x", "birth_date": "1990-02-30"}, "birth_date", "no 30 February"),
    ({"name": "x", "birth_date": "28.07.1963"}, "birth_date", "not ISO"),
    ({"name": "x", "lists": ["no_such_list"]}, "lists", "a list the service does not know"),
    ({"name": "x", "lists": ["us_ofac_sdn", "eu_fsf"]}, "lists", "a list the service knows but does not serve"),
    ({"name": "x", "lists": []}, "lists", "no list at all"),
    ({"name": "x", "country": "Narnia"}, "country", "no such country"),
    ({"name": "x", "address": {"city": "x" * 1001}}, "address.city", "over 1000 characters"),
    ({"name": "x", "address": {}}, "address._schema", "an address with no part"),
    ({"name": "x", "address": 7}, "address", "neither a string nor an object"),
    ({"name": "x", "address": {"country": "Atlantis"}}, "address.country", "no such country"),
    ({"address": {"country": "RU"}}, "name", "a country alone is nothing to match on"),
    ({"identifiers": [{"type": "shoe_size", "value": "42"}]}, "identifiers.0.type", "not an identifier type"),
    ({"identifiers": [{"type": "imo"}]}, "identifiers.0.value", "an identifier without its value"),
    ({"name": "x", "identifiers": [{"value": str(i)} for i in range(21)]}, "identifiers", "more than 20"),
    ({"name": "x", "colour": "red"}, "colour", "an unknown field"),
]


@pytest.mark.parametrize(("body", "field", "why"), SCREEN_ERRORS)
def test_screen_rejects_a_bad_request_naming_the_field(client, conforms, body, field, why) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/screen", json=body)
    assert response.status_code == 400, why
    conforms(response, "/v1/screen", "post")
    error = response.json["error"]
    assert error["code"] == "bad_request"
    assert field in error["details"]["fields"], (why, error)
    assert field in error["message"] or field == "_schema"


def test_a_bad_request_names_every_bad_field_and_its_problem(client, conforms) -> None:  # type: ignore[no-untyped-def]
    body = {"name": "x", "kind": "ship", "threshold": 2, "birth_date": "1990-13-45", "country": "Narnia"}
    response = client.post("/v1/screen", json=body)
    assert response.status_code == 400
    conforms(response, "/v1/screen", "post")
    fields = response.json["error"]["details"]["fields"]
    assert set(fields) == {"kind", "threshold", "birth_date", "country"}
    assert fields["threshold"] == ["Must be between 0 and 1."]
    assert "Narnia" in fields["country"][0]


@pytest.mark.parametrize(
    ("data", "content_type", "problem"),
    [
        ("name=Putin", "application/x-www-form-urlencoded", "not JSON"),
        ('{"name": "Putin"', "application/json", "not JSON"),
        ("", "application/json", "not JSON"),
        ('["Putin"]', "application/json", "not an array"),
        ('"Putin"', "application/json", "not a string"),
        ("42", "application/json", "not a number"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(client, conforms, data, content_type, problem) -> None:  # type: ignore[no-untyped-def]
    for path in ("/v1/screen", "/v1/screen/batch", "/v1/compare"):
        response = client.post(path, data=data, content_type=content_type)
        assert response.status_code == 400, path
        conforms(response, path, "post")
        assert problem in response.json["error"]["details"]["fields"]["_schema"][0]


def test_json_without_its_content_type_is_still_read(client, conforms) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/screen", data='{"name": "x", "threshold": 2}', content_type="text/plain")
    assert response.status_code == 400
    assert set(response.json["error"]["details"]["fields"]) == {"threshold"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"queries": [{"name": "x"}] * 1001}, "queries"),
        ({"queries": []}, "queries"),
        ({}, "queries"),
        ({"queries": {"name": "x"}}, "queries"),
        (
            {"queries": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d", "threshold": 2}]},
            "queries.3.threshold",
        ),
        ({"queries": [{"name": "a"}, "b"]}, "queries.1._schema"),
        ({"queries": [{"name": "a"}, {"kind": "person"}]}, "queries.1.name"),
        ({"queries": [{"name": "a"}, {"name": "b", "lists": ["nope"]}]}, "queries.1.lists"),
    ],
)
def test_batch_rejects_a_bad_query_naming_its_index(client, conforms, body, field) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/screen/batch", json=body)
    assert response.status_code == 400
    conforms(response, "/v1/screen/batch", "post")
    assert field in response.json["error"]["details"]["fields"], response.json


def test_batch_of_1001_is_refused_before_its_queries_are_read(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/screen/batch", json={"queries": [{"name": "x", "threshold": 9}] * 1001})
    assert response.json["error"]["details"]["fields"] == {"queries": ["At most 1000 queries, not 1001."]}


# --- Compare ---------------------------------------------------------------------------------

ROSOBORONEXPORT = {
    "names": ["ROSOBORONEKSPORT OAO", {"full": "ROSOBORONEXPORT", "type": "aka"}],
    "kind": "organization",
    "countries": ["RU"],
    "addresses": [{"street": "27 Stromynka ul.", "city": "Moscow", "postal_code": "107076", "country": "RU"}],
}


def test_compare_scores_a_pair_and_explains_it_with_no_list_loaded(client, conforms) -> None:  # type: ignore[no-untyped-def]
    body = {
        "query": {"name": "Rosoboronexport", "kind": "organization", "country": "Russia"},
        "record": ROSOBORONEXPORT,
    }
    response = client.post("/v1/compare", json=body)
    assert response.status_code == 200, response.json
    conforms(response, "/v1/compare", "post")
    result = response.json
    assert result["match"] is True and result["score"] >= result["threshold"]
    assert result["query_name"] == "Rosoboronexport"
    assert result["matched_name"] in ("ROSOBORONEXPORT", "ROSOBORONEKSPORT OAO")
    assert "name" in {f["name"] for f in result["features"]}
    assert all(f["detail"] for f in result["features"])
    assert round(result["score"], 4) == result["score"]


def test_compare_tells_a_different_name_apart(client, conforms) -> None:  # type: ignore[no-untyped-def]
    body = {"query": {"name": "Bel-Kap-Steel LLC"}, "record": ROSOBORONEXPORT, "threshold": 0.5}
    response = client.post("/v1/compare", json=body)
    assert response.status_code == 200, response.json
    conforms(response, "/v1/compare", "post")
    assert response.json["threshold"] == 0.5
    assert response.json["match"] is False


@pytest.mark.parametrize("algorithm", ["ssm-1", "ssm-2"])
def test_compare_scores_with_the_algorithm_asked_for(client, conforms, algorithm) -> None:  # type: ignore[no-untyped-def]
    body = {"query": {"name": "R0s0b0r0nexp0rt", "algorithm": algorithm}, "record": ROSOBORONEXPORT}
    response = client.post("/v1/compare", json=body)
    assert response.status_code == 200, response.json
    conforms(response, "/v1/compare", "post")
    assert response.json["algorithm"] == algorithm
    # Digits written for letters: ssm-2 reads them as letters, ssm-1 (kept for replay) does not.
    assert response.json["match"] is (algorithm == "ssm-2")


def test_screen_uses_and_reports_the_algorithm_asked_for(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    for algorithm in ("ssm-1", "ssm-2"):
        body = {"name": "Islamic Revolutionary Guard Corps", "lists": ["us_ofac_sdn"], "algorithm": algorithm}
        response = client.post("/v1/screen", json=body)
        assert response.status_code == 200, response.json
        conforms(response, "/v1/screen", "post")
        assert response.json["algorithm"] == algorithm and top(response.json)["entity_id"] == IRGC
    batch = client.post("/v1/screen/batch", json={"queries": [{"name": "IRGC", "algorithm": "ssm-0"}]})
    assert batch.status_code == 400
    assert "queries.0.algorithm" in batch.json["error"]["details"]["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"query": {"name": "x"}}, "record"),
        ({"query": {"name": "x", "algorithm": "ssm-0"}, "record": {"names": ["x"]}}, "query.algorithm"),
        ({"record": {"names": ["x"]}}, "query"),
        ({"query": {"name": "x"}, "record": {}}, "record.names"),
        ({"query": {"name": "x"}, "record": {"names": []}}, "record.names"),
        ({"query": {"name": "x"}, "record": {"names": [""]}}, "record.names.0"),
        ({"query": {"name": "x"}, "record": {"names": [{"full": "y", "type": "nickname"}]}}, "record.names.0.type"),
        ({"query": {"name": "x"}, "record": {"names": ["y"], "birth_dates": ["1990-13-45"]}}, "record.birth_dates.0"),
        ({"query": {"name": "x"}, "record": {"names": ["y"], "countries": ["Narnia"]}}, "record.countries.0"),
        ({"query": {"name": "x"}, "record": {"names": ["y"], "kind": "any"}}, "record.kind"),
        ({"query": {"country": "RU"}, "record": {"names": ["y"]}}, "query.name"),
        ({"query": {"name": "x", "lists": ["un_sc"]}, "record": {"names": ["y"]}}, "query.lists"),
        ({"query": {"name": "x"}, "record": {"names": ["y"]}, "threshold": -0.1}, "threshold"),
    ],
)
def test_compare_rejects_a_bad_request_naming_the_field(client, conforms, body, field) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/compare", json=body)
    assert response.status_code == 400
    conforms(response, "/v1/compare", "post")
    assert field in response.json["error"]["details"]["fields"], response.json


# --- From the request to the engine's types (no Redis, no engine) ------------------------------


def test_a_screen_request_becomes_a_query() -> None:
    query = ScreenRequestSchema().load(
        {
            "name": "  Elvis Logan Morey ",
            "kind": "person",
            "country": "Belize",
            "address": "Toledo District",
            "birth_date": "1963-07",
            "identifiers": [{"type": "passport", "value": "P0017003"}, {"value": "561-77-9011"}],
            "lists": ["us_ofac_sdn", "us_ofac_sdn"],
            "threshold": 0.9,
            "limit": None,
        }
    )
    assert query.name == "Elvis Logan Morey"
    assert query.country == "BZ"
    assert query.address == AddressQuery(full="Toledo District")
    assert query.birth_date == "1963-07"
    assert query.identifiers == (IdentifierQuery("P0017003", "passport"), IdentifierQuery("561-77-9011"))
    assert query.lists == ("us_ofac_sdn",)
    assert (query.threshold, query.limit) == (0.9, 10)


def test_defaults_and_an_address_in_parts() -> None:
    query = ScreenRequestSchema().load({"address": {"street": "27 Stromynka ul.", "city": "Moscow", "country": "RU"}})
    assert (query.name, query.kind, query.lists, query.threshold, query.limit) == (None, "any", None, None, 10)
    assert query.address == AddressQuery(street="27 Stromynka ul.", city="Moscow", country="RU")


def test_a_record_becomes_an_entity_dict_as_the_store_holds_it() -> None:
    data = CompareRequestSchema().load(
        {
            "query": {"name": "x"},
            "record": {
                "names": ["ROSOBORONEKSPORT OAO", "ROSOBORONEXPORT", {"full": "ROE", "type": "weak_aka"}],
                "birth_dates": ["1993"],
                "countries": ["Russia", "RU"],
                "addresses": ["Moscow", {"street": "27 Stromynka ul.", "city": "Moscow", "country": "RU"}],
                "identifiers": [{"type": "registration_number", "value": "1117746521452"}, {"value": "7718852163"}],
            },
        }
    )
    assert as_record(data["record"]) == {
        "names": [
            {"full": "ROSOBORONEKSPORT OAO", "type": "primary"},
            {"full": "ROSOBORONEXPORT", "type": "aka"},
            {"full": "ROE", "type": "weak_aka"},
        ],
        "birth_dates": [{"date": "1993"}],
        "countries": ["RU"],
        "addresses": [
            {"full": "Moscow"},
            {"full": "27 Stromynka ul., Moscow", "street": "27 Stromynka ul.", "city": "Moscow", "country": "RU"},
        ],
        "identifiers": [
            {"type": "registration_number", "value": "1117746521452"},
            {"type": "other", "value": "7718852163"},
        ],
    }


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("/v1/screen", ScreenRequestSchema),
        ("/v1/screen/batch", ScreenBatchRequestSchema),
        ("/v1/compare", CompareRequestSchema),
    ],
)
def test_the_documented_examples_are_valid(openapi_spec: dict, path: str, schema: type) -> None:
    operation = openapi_spec["paths"][path]["post"]
    body = operation["requestBody"]["content"]["application/json"]
    examples = [body["example"]] if "example" in body else [e["value"] for e in body["examples"].values()]
    for example in examples:
        schema().load(example)
    for status, response in operation["responses"].items():
        content = response["content"]["application/json"]
        if "example" in content:
            root = {**content["schema"], "components": openapi_spec["components"]}
            errors = list(Draft202012Validator(root).iter_errors(content["example"]))
            assert not errors, f"{path} {status} example: {errors[0]}"
