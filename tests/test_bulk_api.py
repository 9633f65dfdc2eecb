"""Bulk screening over HTTP against a real Redis holding the small fixture lists: streamed CSV and jobs."""

from __future__ import annotations

import csv
import io
import json

import pytest
import redis

from service.app import create_app
from service.config import Settings
from service.store import CURRENT
from tests.bulk_helpers import ARTAVIL, BULK, IRGC, NAQDI, bulk_settings, drain, load_fixture_lists, parse


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    return bulk_settings(settings, job_chunk_rows=2)


@pytest.fixture
def client(app_settings: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    return create_app(app_settings, redis_client=redis_client).test_client()


@pytest.fixture
def loaded(redis_client: redis.Redis) -> dict[str, str]:
    return load_fixture_lists(redis_client)


def post_csv(client, data: bytes, query: str = ""):  # type: ignore[no-untyped-def]
    return client.post(f"/v1/screen/csv{query}", data=data, content_type="text/csv")


def streamed(text: str) -> list[dict[str, str]]:
    """The rows of a streamed answer, which must end with its trailer saying it is complete."""
    *rows, end = parse(text)
    assert end["row"] == "end" and end["decision"] == "complete", end
    assert end["note"].endswith(" rows screened") and end["error"] == ""
    return rows


# --- POST /v1/screen/csv -----------------------------------------------------------------------


def test_a_csv_streams_back_one_row_per_input_row_with_decisions(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    response = post_csv(client, (BULK / "customers-utf8-bom.csv").read_bytes())
    assert response.status_code == 200, response.data
    conforms(response, "/v1/screen/csv", "post")
    assert response.is_streamed
    rows = streamed(response.get_data(as_text=True))
    assert [r["row_id"] for r in rows] == ["C-001", "C-002", "C-003", "C-004", "C-005", "C-006"]
    by_id = {r["row_id"]: r for r in rows}
    assert by_id["C-001"]["decision"] == "hit" and by_id["C-001"]["entity_id"] == IRGC
    assert by_id["C-002"]["decision"] == "hit" and by_id["C-002"]["entity_id"] == NAQDI
    assert by_id["C-006"]["entity_id"] == ARTAVIL
    assert by_id["C-003"]["decision"] == "clear" and by_id["C-003"]["name"] == "Zoë Brontë-Müller"
    assert by_id["C-005"]["decision"] == "error" and by_id["C-005"]["error"] == "no name and no address to screen"
    assert by_id["C-001"]["explanation"].startswith("name ")
    assert float(by_id["C-001"]["best_score"]) >= 0.8
    assert by_id["C-004"]["name"].startswith("'="), "a formula is neutralised"


def test_every_cell_that_would_run_as_a_formula_is_neutralised(client, loaded) -> None:  # type: ignore[no-untyped-def]
    data = b"id,name,city\n=1+2,@Acme,-Minus\n+3,Zeta Widgets,\tTabbed\n"
    text = post_csv(client, data).get_data(as_text=True)
    for row in streamed(text):
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)


def test_bad_rows_appear_with_their_error_and_good_ones_are_screened(client, loaded) -> None:  # type: ignore[no-untyped-def]
    rows = streamed(post_csv(client, (BULK / "broken.csv").read_bytes()).get_data(as_text=True))
    assert [r["row"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [r["decision"] == "error" for r in rows] == [False, True, True, True, False, True, False]
    assert rows[0]["decision"] == "hit"  # Mohammad Hassan Akhund, UN list


def test_windows_1252_and_semicolons(client, loaded) -> None:  # type: ignore[no-untyped-def]
    rows = streamed(post_csv(client, (BULK / "suppliers-cp1252.csv").read_bytes()).get_data(as_text=True))
    assert rows[1]["name"] == "Müller & Söhne GmbH" and "Deutschland" in rows[1]["note"]
    assert rows[2]["decision"] == "hit" and rows[2]["entity_id"] == IRGC


def test_json_lines_per_hit_and_a_column_map(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    data = (BULK / "mapped.tsv").read_bytes()
    query = "?format=jsonl&columns=name%3DCounterparty%20Legal%20Name,country%3DCtry,row_id%3DAcct"
    response = post_csv(client, data, query)
    assert response.status_code == 200, response.data
    conforms(response, "/v1/screen/csv", "post")
    assert response.mimetype == "application/x-ndjson"
    *records, end = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    counts = {"row": "end", "decision": "complete", "rows_screened": 2, "rows_total": 2, "error": None}
    assert end.items() >= counts.items() and set(end) >= set(records[0]), "a row line's keys, and the counts"
    assert [r["row_id"] for r in records] == ["A1", "A2"]
    assert records[0]["decision"] == "hit" and records[0]["hits"][0]["entity_id"] == IRGC
    per_hit = streamed(post_csv(client, (BULK / "customers-utf8-bom.csv").read_bytes(), "?per_hit=true").get_data(True))
    assert "hit_rank" in per_hit[0] and {r["row_id"] for r in per_hit} >= {"C-001", "C-003", "C-005"}


def test_thresholds_change_the_decision(client, loaded) -> None:  # type: ignore[no-untyped-def]
    data = b"name\nIslamic Revolutionary Gaurd Corps\n"
    assert streamed(post_csv(client, data).get_data(True))[0]["decision"] == "hit"
    strict = streamed(post_csv(client, data, "?threshold=0.999&review_threshold=0.5").get_data(True))
    assert strict[0]["decision"] == "review"


@pytest.mark.parametrize(
    ("data", "query", "status", "words"),
    [
        (b"PK\x03\x04" + bytes(200), "", 415, "ZIP"),
        (bytes(range(256)) * 8, "", 415, "NUL"),
        (b"", "", 415, "empty"),
        (b"foo,bar\n1,2\n", "", 415, "no column to screen"),
        (b"name\nAcme\n", "?threshold=2", 400, "threshold"),
        (b"name\nAcme\n", "?lists=nope", 400, "nope"),
        (b"name\nAcme\n", "?columns=nmae%3DX", 400, "nmae"),
        (b"name\nAcme\n", "?threshold=0.8&review_threshold=0.9", 400, "review_threshold"),
    ],
)
def test_what_cannot_be_screened_is_a_clear_4xx(client, loaded, conforms, data, query, status, words) -> None:  # type: ignore[no-untyped-def]
    response = post_csv(client, data, query)
    assert response.status_code == status, response.data
    conforms(response, "/v1/screen/csv", "post")
    assert words in response.json["error"]["message"]


def test_a_file_over_the_inline_limit_is_sent_to_the_jobs_endpoint(app_settings, redis_client, loaded) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    small = create_app(replace(app_settings, bulk_inline_max_bytes=10), redis_client=redis_client).test_client()
    response = post_csv(small, b"name\nAcme Widgets\n")
    assert response.status_code == 413 and "/v1/jobs" in response.json["error"]["message"]


def _bulk_records(redis_client: redis.Redis) -> list[dict]:
    from service.audit import AuditTrail

    trail = AuditTrail(redis_client, retention_seconds=86400)
    return [r for r in trail.export() if r.get("type", "").startswith("bulk_csv")]


def _many_rows(count: int) -> bytes:
    """A file of ``count`` rows: the customers of the fixture file, again and again, each row its own id."""
    rows = parse((BULK / "customers-utf8-bom.csv").read_text(encoding="utf-8-sig"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for n in range(count):
        writer.writerow({**rows[n % len(rows)], "Customer ID": f"R-{n}"})
    return out.getvalue().encode()


def test_a_stream_that_runs_out_of_time_ends_saying_so_and_the_audit_record_counts_its_rows(  # type: ignore[no-untyped-def]
    app_settings, redis_client, loaded, conforms
) -> None:
    from dataclasses import replace

    # No time at all: the first batch is screened (the answer's status depends on it), then it stops.
    hurried = create_app(replace(app_settings, bulk_inline_seconds=0.0), redis_client=redis_client).test_client()
    response = post_csv(hurried, _many_rows(250))
    assert response.status_code == 200
    conforms(response, "/v1/screen/csv", "post")
    *rows, end = parse(response.get_data(as_text=True))
    assert len(rows) == 100 and [r["row_id"] for r in rows[:2]] == ["R-0", "R-1"]
    assert end["row"] == "end" and end["decision"] == "incomplete"
    assert end["note"] == "100 of 250 rows screened"
    assert "stopped after 100 rows" in end["error"] and "POST /v1/jobs" in end["error"]
    start, finish = _bulk_records(redis_client)
    assert start["type"] == "bulk_csv" and start["rows"] == 250
    assert finish["type"] == "bulk_csv_end" and finish["request_id"] == start["request_id"]
    assert finish["rows_screened"] == 100 and finish["rows_total"] == 250 and finish["complete"] is False
    assert "ran out" in finish["reason"]

    jsonl = post_csv(hurried, _many_rows(250), "?format=jsonl").get_data(as_text=True).splitlines()
    last = json.loads(jsonl[-1])
    assert last["row"] == "end" and last["decision"] == "incomplete" and last["rows_screened"] == 100
    assert len(jsonl) == 101


def test_a_stream_in_time_ends_with_a_complete_trailer_and_record(client, redis_client, loaded) -> None:  # type: ignore[no-untyped-def]
    rows = streamed(post_csv(client, _many_rows(250)).get_data(as_text=True))
    assert [r["row_id"] for r in rows] == [f"R-{n}" for n in range(250)]
    finish = _bulk_records(redis_client)[-1]
    assert finish["type"] == "bulk_csv_end" and finish["complete"] is True and finish["reason"] is None
    assert finish["rows_screened"] == finish["rows_total"] == 250


def test_a_file_of_more_rows_than_the_endpoint_screens_in_time_is_sent_to_the_jobs_endpoint(  # type: ignore[no-untyped-def]
    app_settings, redis_client, loaded, conforms
) -> None:
    from dataclasses import replace

    short = create_app(replace(app_settings, bulk_inline_max_rows=5), redis_client=redis_client).test_client()
    response = post_csv(short, _many_rows(6))
    assert response.status_code == 413, response.data
    conforms(response, "/v1/screen/csv", "post")
    assert "6 rows" in response.json["error"]["message"] and "/v1/jobs" in response.json["error"]["message"]
    assert response.json["error"]["details"] == {"limit_rows": 5}
    assert len(streamed(post_csv(short, _many_rows(5)).get_data(as_text=True))) == 5


def test_no_list_loaded_is_a_503_not_a_clear(client, redis_client) -> None:  # type: ignore[no-untyped-def]
    response = post_csv(client, b"name\nAcme\n")
    assert response.status_code == 503
    assert "not loaded" in response.json["error"]["message"]
    finish = _bulk_records(redis_client)[-1]
    assert finish["type"] == "bulk_csv_end" and finish["rows_screened"] == 0 and "not loaded" in finish["reason"]


# --- jobs ----------------------------------------------------------------------------------


def upload(client, path, **form):  # type: ignore[no-untyped-def]
    data = {"file": (io.BytesIO(path.read_bytes()), path.name), **form}
    return client.post("/v1/jobs", data=data, content_type="multipart/form-data")


def test_a_job_runs_on_the_workers_and_its_results_hold_every_row_once(
    client, app_settings, redis_client, loaded, conforms
) -> None:  # type: ignore[no-untyped-def]
    response = upload(client, BULK / "customers-utf8-bom.csv")
    assert response.status_code == 202, response.data
    conforms(response, "/v1/jobs", "post")
    job = response.json
    assert response.headers["Location"] == f"/v1/jobs/{job['job_id']}"
    assert job["status"] == "queued" and job["rows_total"] == 6 and job["filename"] == "customers-utf8-bom.csv"
    early = client.get(f"/v1/jobs/{job['job_id']}/results")
    assert early.status_code == 409
    conforms(early, "/v1/jobs/{job_id}/results")

    drain(app_settings, redis_client)

    status = client.get(f"/v1/jobs/{job['job_id']}")
    conforms(status, "/v1/jobs/{job_id}")
    body = status.json
    assert body["status"] == "done" and body["rows_done"] == 6
    summary = body["summary"]
    assert summary["rows"] == 6 and summary["hits"] == 3 and summary["errors"] == 1
    assert summary["hits_by_list"] == {"us_ofac_sdn": 3}
    results = client.get(f"/v1/jobs/{job['job_id']}/results")
    assert results.status_code == 200
    conforms(results, "/v1/jobs/{job_id}/results")
    rows = parse(results.get_data(as_text=True))
    assert [r["row_id"] for r in rows] == ["C-001", "C-002", "C-003", "C-004", "C-005", "C-006"]
    assert rows[0]["entity_id"] == IRGC and rows[4]["decision"] == "error"


def test_a_job_cancelled_screens_nothing_more(client, app_settings, redis_client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    job_id = upload(client, BULK / "broken.csv").json["job_id"]
    cancelled = client.post(f"/v1/jobs/{job_id}/cancel")
    assert cancelled.status_code == 200
    conforms(cancelled, "/v1/jobs/{job_id}/cancel", "post")
    drain(app_settings, redis_client)
    body = client.get(f"/v1/jobs/{job_id}").json
    assert body["status"] == "cancelled" and body["rows_done"] == 0
    again = client.post(f"/v1/jobs/{job_id}/cancel")
    assert again.status_code == 409
    conforms(again, "/v1/jobs/{job_id}/cancel", "post")


def test_a_job_whose_lists_vanish_fails_with_the_reason(client, app_settings, redis_client, loaded) -> None:  # type: ignore[no-untyped-def]
    job_id = upload(client, BULK / "customers-utf8-bom.csv").json["job_id"]
    redis_client.hdel(CURRENT, "un_sc")
    drain(app_settings, redis_client)
    body = client.get(f"/v1/jobs/{job_id}").json
    assert body["status"] == "failed" and "un_sc is not loaded" in body["reason"]
    assert body["rows_done"] == 0, "no row is reported as clear"
    assert client.get(f"/v1/jobs/{job_id}/results").status_code == 409


def test_job_errors(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    missing = client.get("/v1/jobs/nope")
    assert missing.status_code == 404
    conforms(missing, "/v1/jobs/{job_id}")
    raw = client.post("/v1/jobs", data=b"name\nAcme\n", content_type="text/csv")
    assert raw.status_code == 400 and "multipart" in raw.json["error"]["message"]
    binary = client.post(
        "/v1/jobs", data={"file": (io.BytesIO(b"%PDF-1.4 \x00\x01"), "x.pdf")}, content_type="multipart/form-data"
    )
    assert binary.status_code == 415
    conforms(binary, "/v1/jobs", "post")


def test_a_row_matching_a_company_owned_by_a_listed_person_is_a_hit_through_the_link(  # type: ignore[no-untyped-def]
    settings: Settings, redis_client: redis.Redis, conforms
) -> None:
    from dataclasses import replace

    from service.loader import load_list
    from service.store import ListStore
    from tests.conftest import FIXTURES

    load_list(ListStore(redis_client), "opensanctions", "ftm", [FIXTURES / "network" / "evasion.ftm.json"])
    app = create_app(replace(settings, enabled_lists=("opensanctions",)), redis_client=redis_client)
    body = "id,name,country\nK-1,Kama Precision Instruments LLC,RU\nK-2,Loop Alpha Ltd,TR\n"
    response = app.test_client().post("/v1/screen/csv?per_hit=true", data=body.encode(), content_type="text/csv")
    assert response.status_code == 200, response.data
    rows = streamed(response.get_data(as_text=True))
    kama = [r for r in rows if r["row_id"] == "K-1"]
    assert {r["entity_id"] for r in kama} == {"opensanctions:p-alpha", "opensanctions:p-bravo"}
    assert all(r["decision"] == "hit" and r["link"] == "owned_by" and r["blocked_by_extension"] == "true" for r in kama)
    assert "Kama Precision Instruments LLC" in kama[0]["explanation"]
    assert [r["decision"] for r in rows if r["row_id"] == "K-2"] == ["clear"], "owned only by an unlisted ring"
