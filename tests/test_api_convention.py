"""One convention across the API (issue 11, item 8), on a real Redis holding the small fixture lists:
a decision on every screening, bulk rows whose screening ids resolve, RFC 3339 times everywhere,
typed JSON lines, a failed reload that is no 200, and 405s that say what is allowed."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from service.api.bulk import STREAM_ROWS
from service.app import create_app
from service.auth import KeyStore
from service.config import Settings
from service.loader import load_list
from service.store import ListStore
from tests.bulk_helpers import IRGC, NAQDI, OFAC_CSV, bulk_settings, drain, load_fixture_lists, parse

RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
CSV = (
    "id,name,country\n"
    "A-1,Islamic Revolutionary Gaurd Corps,IR\n"  # a hit (a typo of the listed name)
    "A-2,Zoë Brontë-Müller,DE\n"  # nobody listed
    "A-3,,\n"  # nothing to screen: an error row, no screening
    "A-4,Mohammad Reza Naghdy,\n"  # a hit on an alias, no country
).encode()


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    return bulk_settings(settings, job_chunk_rows=2)


@pytest.fixture
def client(app_settings: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    return create_app(app_settings, redis_client=redis_client).test_client()


@pytest.fixture
def loaded(redis_client: redis.Redis) -> dict[str, str]:
    return load_fixture_lists(redis_client)


# --- a decision on POST /v1/screen, the same as the CSV's ---------------------------------------


@pytest.mark.parametrize(
    ("name", "decision"),
    [
        ("Islamic Revolutionary Gaurd Corps", "hit"),  # scores above the threshold
        ("Zoë Brontë-Müller", "clear"),  # nothing reported
    ],
)
def test_screen_answers_the_decision_the_csv_gives(client, loaded, conforms, name, decision) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/screen", json={"name": name})
    conforms(response, "/v1/screen", "post")
    assert response.json["decision"] == decision
    row = parse(client.post("/v1/screen/csv", data=f"name\n{name}\n".encode(), content_type="text/csv").get_data(True))
    assert row[0]["decision"] == decision


def test_screen_says_review_when_hits_are_reported_and_none_matches(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/screen", json={"name": "Islamic Revolutionary Gaurd Corps", "threshold": 1})
    conforms(response, "/v1/screen", "post")
    assert response.json["hits"] and not any(hit["match"] for hit in response.json["hits"])
    assert response.json["decision"] == "review"
    batch = client.post("/v1/screen/batch", json={"queries": [{"name": "Islamic Revolutionary Gaurd Corps"}]})
    conforms(batch, "/v1/screen/batch", "post")
    assert batch.json["results"][0]["decision"] == "hit"


# --- the screening id of a bulk row resolves -----------------------------------------------------


def _resolves(client, conforms, row: dict) -> dict:  # type: ignore[no-untyped-def]
    response = client.get(f"/v1/screenings/{row['screening_id']}")
    assert response.status_code == 200, (row, response.json)
    conforms(response, "/v1/screenings/{screening_id}")
    return response.json  # type: ignore[no-any-return]


def streamed(text: str) -> list[dict[str, str]]:
    """The rows of a streamed CSV answer, its trailer (the last row: whole or not) checked and left out."""
    *rows, trailer = parse(text)
    assert trailer["row"] == "end" and trailer["decision"] == "complete", trailer
    return rows


def test_each_row_of_a_streamed_csv_resolves_to_its_own_screening(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    rows = streamed(client.post("/v1/screen/csv", data=CSV, content_type="text/csv").get_data(as_text=True))
    assert [r["row_id"] for r in rows] == ["A-1", "A-2", "A-3", "A-4"]
    assert rows[2]["decision"] == "error" and rows[2]["screening_id"] == "", "nothing screened, nothing recorded"
    for row in (rows[0], rows[1], rows[3]):
        record = _resolves(client, conforms, row)
        assert record["screening_id"] == row["screening_id"]
        assert record["row"] == int(row["row"]) and record["row_id"] == row["row_id"]
        assert record["decision"] == row["decision"] and record["endpoint"] == "/v1/screen/csv"
        assert record["input"]["name"] == row["name"] and record["bulk_id"]
        assert RFC3339_UTC.match(record["recorded_at"])
    assert _resolves(client, conforms, rows[0])["hits"][0]["entity_id"] == IRGC
    assert _resolves(client, conforms, rows[3])["hits"][0]["entity_id"] == NAQDI
    assert _resolves(client, conforms, rows[1])["hits"] == []
    # The row number is part of the id: another number of the same batch is no screening.
    batch_id = rows[0]["screening_id"].split(":")[0]
    assert client.get(f"/v1/screenings/{batch_id}:3").status_code == 404, "row 3 was an error, never screened"
    assert client.get(f"/v1/screenings/{batch_id}").status_code == 404, "a batch is not one screening"


def test_rows_of_every_batch_of_a_long_stream_resolve(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    # More rows than one batch (service.bulk.engine.BATCH_ROWS): the later batches are screened
    # and recorded while the answer streams.
    lines = ["id,name"] + [f"r{i},{'Artavil' if i % 250 == 0 else f'Nordwind Handels {i} GmbH'}" for i in range(1201)]
    text = client.post("/v1/screen/csv", data="\n".join(lines).encode(), content_type="text/csv").get_data(True)
    rows = streamed(text)
    assert len(rows) == 1201 and all(row["decision"] != "error" for row in rows)
    batches = -(-1201 // STREAM_ROWS)
    assert len({row["screening_id"].split(":")[0] for row in rows}) == batches, "one record per batch streamed"
    last = _resolves(client, conforms, rows[1000])
    assert last["row"] == 1001 and last["row_id"] == "r1000" and last["decision"] == "hit"


def test_each_row_of_a_job_resolves_to_its_own_screening(client, loaded, app_settings, redis_client, conforms) -> None:  # type: ignore[no-untyped-def]
    created = client.post("/v1/jobs", data={"file": (io.BytesIO(CSV), "book.csv")}, content_type="multipart/form-data")
    assert created.status_code == 202, created.json
    conforms(created, "/v1/jobs", "post")
    for moment in ("created_at",):
        assert RFC3339_UTC.match(created.json[moment]), created.json
    drain(app_settings, redis_client)
    job_id = created.json["job_id"]
    status = client.get(f"/v1/jobs/{job_id}")
    conforms(status, "/v1/jobs/{job_id}")
    for moment in ("created_at", "started_at", "finished_at"):
        assert RFC3339_UTC.match(status.json[moment]), status.json
    rows = parse(client.get(f"/v1/jobs/{job_id}/results").get_data(as_text=True))
    assert len({r["screening_id"].split(":")[0] for r in rows if r["screening_id"]}) == 2, "chunks of 2 rows"
    record = _resolves(client, conforms, rows[3])
    assert record["job_id"] == job_id and record["endpoint"] == "/v1/jobs" and record["row_id"] == "A-4"
    assert record["decision"] == "hit" and record["hits"][0]["entity_id"] == NAQDI


def test_a_key_reads_only_its_own_bulk_rows(settings, redis_client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    on = replace(bulk_settings(settings), auth="on")
    http = create_app(on, redis_client=redis_client).test_client()
    keys = KeyStore(redis_client, default_rate_limit=0)
    _, mine = keys.create("mine", ["bulk", "screen"])
    _, other = keys.create("other", ["screen"])
    _, admin = keys.create("ops", ["admin"])
    text = http.post("/v1/screen/csv", data=CSV, content_type="text/csv", headers={"X-API-Key": mine})
    row = parse(text.get_data(as_text=True))[0]
    path = f"/v1/screenings/{row['screening_id']}"
    assert http.get(path, headers={"X-API-Key": mine}).status_code == 200
    assert http.get(path, headers={"X-API-Key": admin}).status_code == 200
    refused = http.get(path, headers={"X-API-Key": other})
    assert refused.status_code == 404
    conforms(refused, "/v1/screenings/{screening_id}")


# --- every time is RFC 3339, UTC -----------------------------------------------------------------


def test_every_timestamp_is_rfc3339_utc(client, loaded, redis_client, conforms) -> None:  # type: ignore[no-untyped-def]
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", OFAC_CSV[:1])  # a second version: a change
    lists = client.get("/v1/lists")
    conforms(lists, "/v1/lists")
    for status in lists.json["lists"]:
        assert RFC3339_UTC.match(status["loaded_at"]) and RFC3339_UTC.match(status["checked_at"]), status
    changes = client.get("/v1/lists/us_ofac_sdn/changes")
    conforms(changes, "/v1/lists/{list_id}/changes")
    assert changes.json["changes"] and all(RFC3339_UTC.match(c["loaded_at"]) for c in changes.json["changes"])
    screening = client.post("/v1/screen", json={"name": "Artavil"}).json["screening_id"]
    record = client.get(f"/v1/screenings/{screening}")
    conforms(record, "/v1/screenings/{screening_id}")
    assert RFC3339_UTC.match(record.json["recorded_at"])
    created = client.post("/v1/keys", json={"name": "crm", "scopes": ["screen"]})
    conforms(created, "/v1/keys", "post")
    assert RFC3339_UTC.match(created.json["key"]["created_at"]) and created.json["key"]["revoked_at"] is None
    revoked = client.delete(f"/v1/keys/{created.json['key']['id']}")
    conforms(revoked, "/v1/keys/{key_id}", "delete")
    assert RFC3339_UTC.match(revoked.json["revoked_at"])
    listed = client.get("/v1/keys")
    conforms(listed, "/v1/keys")
    assert all(RFC3339_UTC.match(key["created_at"]) for key in listed.json["keys"])


# --- JSON lines with real types ------------------------------------------------------------------


def test_json_lines_have_real_types(client, loaded) -> None:  # type: ignore[no-untyped-def]
    text = client.post("/v1/screen/csv?format=jsonl", data=CSV, content_type="text/csv").get_data(as_text=True)
    *lines, trailer = map(json.loads, text.splitlines())
    assert trailer["row"] == "end" and trailer["decision"] == "complete" and trailer["rows_screened"] == 4
    records = {r["row_id"]: r for r in lines}
    hit = records["A-1"]
    assert hit["row"] == 1 and isinstance(hit["best_score"], float)
    assert hit["error"] is None and hit["note"] is None
    first = hit["hits"][0]
    assert isinstance(first["programs"], list) and all(isinstance(p, str) for p in first["programs"])
    assert first["match"] is True and first["link"] is None and first["blocked_by_extension"] is None
    assert records["A-4"]["country"] is None, "no country given: null, not an empty string"
    clear = records["A-2"]
    assert clear["hits"] == [] and clear["best_score"] is None
    error = records["A-3"]
    assert error["decision"] == "error" and error["screening_id"] is None and isinstance(error["error"], str)
    assert set(error) == set(hit), "every line has the same keys"
    assert set(hit) <= set(trailer), "the trailer has a row's keys (null) and its counts"
    for record in records.values():
        assert "" not in record.values(), record


def test_csv_cells_are_unchanged_by_the_typed_records(client, loaded) -> None:  # type: ignore[no-untyped-def]
    rows = parse(client.post("/v1/screen/csv", data=CSV, content_type="text/csv").get_data(as_text=True))
    assert re.fullmatch(r"0\.\d{4}|1\.0000", rows[0]["best_score"]) and rows[0]["link"] == ""
    assert rows[0]["programs"] and "[" not in rows[0]["programs"]
    assert rows[1]["best_score"] == "" and rows[1]["hits"] == "0" and rows[1]["error"] == ""
    per_hit = parse(client.post("/v1/screen/csv?per_hit=true", data=CSV, content_type="text/csv").get_data(True))
    assert per_hit[0]["match"] == "true" and per_hit[0]["blocked_by_extension"] == ""


# --- a failed reload is not a 200 ----------------------------------------------------------------


def test_a_failed_reload_is_a_422_and_the_served_version_stays(  # type: ignore[no-untyped-def]
    settings, redis_client, loaded, tmp_path: Path, conforms
) -> None:
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    http = create_app(replace(settings, lists_dir=empty), redis_client=redis_client).test_client()
    response = http.post("/v1/lists/us_ofac_sdn/reload")
    assert response.status_code == 422 and response.json["error"]["code"] == "load_failed", response.json
    conforms(response, "/v1/lists/{list_id}/reload", "post")
    details = response.json["error"]["details"]
    assert details["status"] == "failed" and details["version"] == loaded["us_ofac_sdn"] and details["error"]
    assert loaded["us_ofac_sdn"] in response.json["error"]["message"]


# --- 405 names what is allowed -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", "/v1/screen", {"POST"}),
        ("put", "/v1/keys", {"GET", "POST"}),
        ("post", "/v1/screenings/1-0", {"GET"}),
        ("delete", "/v1/lists", {"GET"}),
    ],
)
def test_a_405_says_which_methods_are_allowed(client, method, path, allowed) -> None:  # type: ignore[no-untyped-def]
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert allowed <= {m.strip() for m in response.headers.get("Allow", "").split(",")}, response.headers
    assert response.json["error"]["code"] == "method_not_allowed"


# --- /v1/compare with a record that does not say what it is -------------------------------------


def _features(response) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {feature["name"]: feature for feature in response.json["features"]}


def test_compare_assumes_no_kind_for_a_record_that_gives_none(client, conforms) -> None:  # type: ignore[no-untyped-def]
    body = {"query": {"name": "Elvis Logan Morey", "kind": "person"}, "record": {"names": ["LOGAN MOREY, Elvis Angus"]}}
    response = client.post("/v1/compare", json=body)
    conforms(response, "/v1/compare", "post")
    assert "kind" not in _features(response), "an unknown kind is no mismatch"
    assert "organization" not in response.get_data(as_text=True)
    said = client.post("/v1/compare", json={**body, "record": {**body["record"], "kind": "person"}})
    assert said.json["score"] == response.json["score"]


def test_compare_counts_a_birth_date_when_the_record_gives_no_kind(client, conforms) -> None:  # type: ignore[no-untyped-def]
    record = {"names": ["LOGAN MOREY, Elvis Angus"], "birth_dates": ["1963-07-28"]}
    agrees = client.post("/v1/compare", json={"query": {"name": "Elvis Logan Morey", "birth_date": "1963-07-28"},
                                              "record": record})  # fmt: skip
    conforms(agrees, "/v1/compare", "post")
    assert _features(agrees)["birth_date"]["contribution"] > 0
    far = client.post(
        "/v1/compare", json={"query": {"name": "Elvis Logan Morey", "birth_date": "1990"}, "record": record}
    )
    assert _features(far)["birth_date"]["contribution"] < 0
    assert far.json["score"] < agrees.json["score"]


def test_compare_speaks_of_an_organization(client) -> None:  # type: ignore[no-untyped-def]
    body = {"query": {"name": "Artavil", "kind": "vessel"}, "record": {"names": ["ARTAVIL"], "kind": "organization"}}
    detail = _features(client.post("/v1/compare", json=body))["kind"]["detail"]
    assert detail == "query is a vessel, listed entity is an organization"


# --- hits exactly 0.10 under the threshold are reported ------------------------------------------


def test_a_hit_scoring_exactly_the_reporting_floor_is_reported(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    # "Artavil Shipping" scores 0.6667 against the vessel ARTAVIL. With the threshold 0.7667 the
    # reporting floor is 0.6667, but 0.7667 - 0.1 is 0.6667000000000001 in floating point (as
    # 0.8 - 0.1 is 0.7000000000000001): a hit exactly on the floor must still be reported.
    # ssm-1's score is the one with the trap (ssm-2 scores this pair 0.8163, which has none).
    first = client.post("/v1/screen", json={"name": "Artavil Shipping", "threshold": 0.5, "algorithm": "ssm-1"})
    (score,) = [hit["score"] for hit in first.json["hits"]]
    threshold = round(score + 0.1, 4)
    assert threshold - 0.1 > score, "the float trap this test is about"
    response = client.post(
        "/v1/screen", json={"name": "Artavil Shipping", "threshold": threshold, "algorithm": "ssm-1"}
    )
    conforms(response, "/v1/screen", "post")
    assert [hit["score"] for hit in response.json["hits"]] == [score]
    assert response.json["decision"] == "review"


def test_a_hit_scoring_exactly_the_threshold_matches(client, loaded) -> None:  # type: ignore[no-untyped-def]
    first = client.post("/v1/screen", json={"name": "Islamic Revolutionary Gaurd Corps"}).json["hits"][0]
    again = client.post("/v1/screen", json={"name": "Islamic Revolutionary Gaurd Corps", "threshold": first["score"]})
    assert again.json["hits"][0]["match"] is True and again.json["decision"] == "hit"


def test_candidates_is_documented_as_entities_scored(openapi_spec) -> None:  # type: ignore[no-untyped-def]
    for schema in ("ScreenResponse", "ScreeningRecord"):
        described = openapi_spec["components"]["schemas"][schema]["properties"]["candidates"]["description"]
        assert "entities" in described and "scorer" in described and "not a count of hits" in described
