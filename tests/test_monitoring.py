"""The monitored book and its alerts over HTTP: counterparties screened when put, alerts with
decisions that hold on the listed record decided on, an append-only history, CSV import, scopes."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from service import database
from service.app import create_app
from service.audit import STREAM
from service.auth import KeyStore
from service.config import Settings
from service.loader import load_list
from service.monitoring import book
from service.store import ListStore
from tests.conftest import FIXTURES

OFAC = [FIXTURES / "ofac_csv" / name for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]
LOGAN = "us_ofac_sdn:10278"  # "LOGAN MOREY, Elvis Angus", born 28 Jul 1963 (tests/fixtures/ofac_csv/sdn.csv)


@pytest.fixture
def served(settings: Settings, database_url: str, redis_client: redis.Redis) -> Settings:
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", OFAC)
    return replace(settings, database_url=database_url, enabled_lists=("us_ofac_sdn",))


@pytest.fixture
def http(served: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    return create_app(served, redis_client=redis_client).test_client()


def logan(http, client_id: str = "C-1", **extra):  # type: ignore[no-untyped-def]
    return http.put(f"/v1/monitored/{client_id}", json={"name": "Elvis Logan Morey", "kind": "person", **extra})


def edited_copy(tmp_path: Path) -> list[Path]:
    """The fixture list with one entity's record changed (Logan's remarks gain an alias)."""
    folder = tmp_path / "edited"
    folder.mkdir()
    for path in OFAC:
        shutil.copy(path, folder / path.name)
    sdn = folder / "sdn.csv"
    text = sdn.read_text(encoding="latin-1")
    assert "a.k.a. 'BURTON BURGESS'." in text
    sdn.write_text(
        text.replace("a.k.a. 'BURTON BURGESS'.", "a.k.a. 'BURTON BURGESS'; a.k.a. 'E. L. MOREY'."), encoding="latin-1"
    )
    return [folder / path.name for path in OFAC]


def test_a_counterparty_put_is_screened_and_its_match_is_an_open_alert(http, conforms, redis_client) -> None:  # type: ignore[no-untyped-def]
    put = logan(http, tags=["retail"])
    assert put.status_code == 200, put.json
    conforms(put, "/v1/monitored/{client_id}", "put")
    assert put.json["counterparty"]["tags"] == ["retail"] and put.json["counterparty"]["kind"] == "person"
    [alert] = put.json["alerts"]
    assert (alert["entity_id"], alert["state"], alert["match_kind"]) == (LOGAN, "open", "direct")
    assert alert["entity_digest"] and put.json["changes"] == [
        {"alert_id": alert["id"], "event": "opened", "entity_id": LOGAN}
    ]
    assert redis_client.xlen(STREAM) == 1, "the screening is in the audit trail"
    got = http.get("/v1/monitored/C-1")
    conforms(got, "/v1/monitored/{client_id}")
    assert got.json["alerts"] == put.json["alerts"]
    again = logan(http, tags=["retail"])
    assert again.json["changes"] == [] and again.json["alerts"][0]["id"] == alert["id"], "one alert per pair"


def test_the_book_pages_in_client_id_order(http, conforms) -> None:  # type: ignore[no-untyped-def]
    for client_id in ("b", "a", "c"):
        assert http.put(f"/v1/monitored/{client_id}", json={"name": f"Nobody {client_id}"}).status_code == 200
    first = http.get("/v1/monitored?limit=2")
    conforms(first, "/v1/monitored")
    assert [p["client_id"] for p in first.json["counterparties"]] == ["a", "b"] and first.json["next_after"] == "b"
    rest = http.get("/v1/monitored?limit=2&after=b").json
    assert [p["client_id"] for p in rest["counterparties"]] == ["c"] and rest["next_after"] is None
    assert http.get("/v1/monitored?limit=0").status_code == 400


def test_bad_counterparties_are_refused_naming_the_field(http, conforms) -> None:  # type: ignore[no-untyped-def]
    empty = http.put("/v1/monitored/C-1", json={"kind": "person"})
    assert empty.status_code == 400 and "name" in empty.json["error"]["details"]["fields"]
    conforms(empty, "/v1/monitored/{client_id}", "put")
    assert http.put("/v1/monitored/" + "x" * 201, json={"name": "A B"}).status_code == 400
    assert http.get("/v1/monitored/C-1").status_code == 404


def test_nothing_is_stored_when_the_lists_cannot_be_screened(settings, database_url, redis_client) -> None:  # type: ignore[no-untyped-def]
    missing = replace(settings, database_url=database_url, enabled_lists=("us_ofac_sdn",))
    http = create_app(missing, redis_client=redis_client).test_client()
    answer = logan(http)
    assert answer.status_code == 503 and "not loaded" in answer.json["error"]["message"]
    assert http.get("/v1/monitored/C-1").status_code == 404


def test_a_cleared_hit_is_suppressed_with_its_decision_and_stays_cleared(http, conforms, redis_client) -> None:  # type: ignore[no-untyped-def]
    alert = logan(http).json["alerts"][0]
    decided = http.post(f"/v1/alerts/{alert['id']}/decision", json={"state": "cleared", "note": "born 1980"})
    assert decided.status_code == 200, decided.json
    conforms(decided, "/v1/alerts/{alert_id}/decision", "post")
    assert decided.json["state"] == "cleared" and decided.json["decision"]["note"] == "born 1980"
    assert decided.json["decision"]["digest"] == alert["entity_digest"]
    assert [e["event"] for e in decided.json["history"]] == ["opened", "decided"]
    audited = [f for _, f in redis_client.xrange(STREAM) if b'"type":"decision"' in f[b"record"]]
    assert len(audited) == 1 and alert["entity_digest"].encode() in audited[0][b"record"]

    screened = http.post("/v1/screen", json={"name": "Elvis Logan Morey", "counterparty_id": "C-1"})
    conforms(screened, "/v1/screen", "post")
    [hit] = [h for h in screened.json["hits"] if h["entity_id"] == LOGAN]
    assert hit["match"] is True, "reported, never dropped"
    assert hit["suppressed"]["alert_id"] == alert["id"] and hit["suppressed"]["note"] == "born 1980"
    plain = http.post("/v1/screen", json={"name": "Elvis Logan Morey"}).json
    assert "suppressed" not in plain["hits"][0]
    other = http.post("/v1/screen", json={"name": "Elvis Logan Morey", "counterparty_id": "C-2"}).json
    assert "suppressed" not in other["hits"][0], "a decision is for its counterparty only"
    assert logan(http).json["alerts"][0]["state"] == "cleared", "screened again: still cleared"
    batch = http.post(
        "/v1/screen/batch", json={"queries": [{"name": "Elvis Logan Morey", "counterparty_id": "C-1"}, {"name": "X Y"}]}
    )
    conforms(batch, "/v1/screen/batch", "post")
    assert batch.json["results"][0]["hits"][0]["suppressed"]["alert_id"] == alert["id"], "in a batch too"


def test_a_cleared_alert_reopens_when_the_listed_record_changes(http, redis_client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    alert = logan(http).json["alerts"][0]
    http.post(f"/v1/alerts/{alert['id']}/decision", json={"state": "cleared"})
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", edited_copy(tmp_path))
    reopened = logan(http).json
    assert reopened["changes"] == [{"alert_id": alert["id"], "event": "reopened", "entity_id": LOGAN}]
    full = http.get(f"/v1/alerts/{alert['id']}").json
    assert full["state"] == "open" and full["entity_digest"] != alert["entity_digest"]
    assert full["history"][-1]["details"]["listed_record_changed"] == ["names", "remarks"]
    screened = http.post("/v1/screen", json={"name": "Elvis Logan Morey", "counterparty_id": "C-1"}).json
    assert "suppressed" not in screened["hits"][0], "decided on a record that is no longer the listed one"


def test_alerts_close_when_the_counterparty_stops_matching_or_leaves(http, conforms) -> None:  # type: ignore[no-untyped-def]
    alert = logan(http).json["alerts"][0]
    changed = http.put("/v1/monitored/C-1", json={"name": "Somebody Else Entirely"}).json
    assert changed["alerts"] == [] and changed["changes"] == [
        {"alert_id": alert["id"], "event": "closed", "entity_id": LOGAN}
    ]
    assert logan(http).json["changes"][0]["event"] == "reopened"
    removed = http.delete("/v1/monitored/C-1")
    conforms(removed, "/v1/monitored/{client_id}", "delete")
    assert removed.json["changes"][0]["event"] == "closed"
    assert http.delete("/v1/monitored/C-1").status_code == 404
    history = http.get(f"/v1/alerts/{alert['id']}").json["history"]
    assert [e["event"] for e in history] == ["opened", "closed", "reopened", "closed"]
    closed = http.get("/v1/alerts?state=closed")
    conforms(closed, "/v1/alerts")
    assert [a["id"] for a in closed.json["alerts"]] == [alert["id"]]
    refused = http.post(f"/v1/alerts/{alert['id']}/decision", json={"state": "cleared"})
    assert refused.status_code == 400
    assert http.post("/v1/alerts/999999/decision", json={"state": "cleared"}).status_code == 404
    bad = http.post(f"/v1/alerts/{alert['id']}/decision", json={"state": "maybe"})
    assert bad.status_code == 400 and "state" in bad.json["error"]["details"]["fields"]


def test_a_csv_import_reports_each_bad_row_and_screens_every_good_one(http, conforms) -> None:  # type: ignore[no-untyped-def]
    csv = (
        "id,name,country,dob\n"
        "C-1,Elvis Logan Morey,,1963-07-28\n"
        ",No Id Given,US,\n"
        "C-2,,,\n"
        "C-3,Harmless Trading Ltd,GB,\n"
        "C-1,Elvis Again,,\n"
    )
    answer = http.post("/v1/monitored", data=csv.encode(), content_type="text/csv")
    assert answer.status_code == 200, answer.json
    conforms(answer, "/v1/monitored", "post")
    assert (answer.json["rows"], answer.json["imported"], answer.json["alerts_opened"]) == (5, 2, 1)
    assert [(e["row"], e["client_id"]) for e in answer.json["errors"]] == [(3, None), (4, "C-2"), (6, "C-1")]
    assert "twice" in answer.json["errors"][2]["error"]
    assert [p["client_id"] for p in http.get("/v1/monitored").json["counterparties"]] == ["C-1", "C-3"]
    no_id = http.post("/v1/monitored", data=b"name\nA B\n", content_type="text/csv")
    assert no_id.status_code == 415 and "id column" in no_id.json["error"]["message"]


def _import(served: Settings, redis_client: redis.Redis, text: str, **options):  # type: ignore[no-untyped-def]
    import io

    from service.monitoring.importer import import_csv

    app = create_app(served, redis_client=redis_client)
    return app, import_csv(app.extensions["monitor"], io.BytesIO(text.encode()), **options)


def _alerted(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.extensions["monitor"].db.engine.connect() as connection:
        rows = connection.execute(sa.select(database.alerts.c.client_id, database.alerts.c.entity_id)).all()
    return sorted(client_id for client_id, entity_id in rows if entity_id == LOGAN)


@pytest.mark.parametrize("processes", [1, 2])
def test_an_import_screens_each_distinct_counterparty_once_on_any_number_of_processes(  # type: ignore[no-untyped-def]
    served, redis_client, processes
) -> None:
    csv = (
        "id,name\n"
        "C-1,Elvis Logan Morey\n"
        "C-2,Harmless Trading Ltd\n"
        "C-3,Elvis Logan Morey\n"  # the same as C-1: one screening for both
        "C-4,\n"  # nothing to screen: a bad row, the rest imported
        "C-5,Elvis Logan Morey\n"
        "C-6,Another Harmless Company\n"
    )
    app, report = _import(served, redis_client, csv, batch_size=2, processes=processes)
    assert (report["rows"], report["imported"], report["alerts_opened"]) == (6, 5, 3)
    assert report["screened"] == 3, "Logan and the two companies: each once"
    [error] = report["errors"]
    assert (error["row"], error["client_id"]) == (5, "C-4")
    assert _alerted(app) == ["C-1", "C-3", "C-5"]
    with app.extensions["monitor"].db.engine.connect() as connection:
        assert len(book.page(connection, after=None, limit=10)) == 5


def test_a_query_the_screener_refuses_is_told_apart_from_its_batch(served, redis_client) -> None:  # type: ignore[no-untyped-def]
    from service.matching.types import Query
    from service.monitoring.screening_pool import screen

    screener = create_app(served, redis_client=redis_client).extensions["monitor"].screener
    good, refused = screen(screener, [Query(name="Elvis Logan Morey"), Query(name="A B", algorithm="nope")])
    assert not isinstance(good, str) and [hit.entity_id for hit in good.hits] == [LOGAN]
    assert isinstance(refused, str) and "nope" in refused


def test_an_import_stopped_half_way_keeps_the_batches_committed_and_says_how_far(  # type: ignore[no-untyped-def]
    served, redis_client
) -> None:
    from service.errors import Unavailable

    csv = "id,name\nC-1,Elvis Logan Morey\nC-2,Harmless Trading Ltd\nC-3,Another Harmless Company\n"

    def the_list_goes(imported: int) -> None:  # after the first batch is committed
        redis_client.flushdb()

    with pytest.raises(Unavailable) as stopped:
        _import(served, redis_client, csv, batch_size=1, progress=the_list_goes)
    assert "import stopped: 1 counterparties imported, up to line 2" in stopped.value.message
    app = create_app(served, redis_client=redis_client)
    with app.extensions["monitor"].db.engine.connect() as connection:
        assert [p.client_id for p in book.page(connection, after=None, limit=10)] == ["C-1"]
    assert _alerted(app) == ["C-1"]


def test_the_history_is_append_only_in_the_database(http, served) -> None:  # type: ignore[no-untyped-def]
    logan(http)
    engine = database.make_engine(served.database_url)
    for statement in ("UPDATE alert_events SET note = 'rewritten'", "DELETE FROM alert_events"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(sa.text(statement))
    engine.dispose()


def test_the_book_alerts_and_webhooks_have_scopes_of_their_own(served, redis_client) -> None:  # type: ignore[no-untyped-def]
    http = create_app(replace(served, auth="on"), redis_client=redis_client).test_client()
    keys = KeyStore(redis_client, default_rate_limit=0)
    _, screen = keys.create("screen", ["screen"])
    _, book = keys.create("book", ["monitor"])
    analyst, alerts = keys.create("analyst", ["alerts"])

    def call(method, path, token, **kw):  # type: ignore[no-untyped-def]
        return getattr(http, method)(path, headers={"Authorization": f"Bearer {token}"}, **kw)

    body = {"name": "Elvis Logan Morey"}
    assert call("put", "/v1/monitored/C-1", screen, json=body).status_code == 403
    alert = call("put", "/v1/monitored/C-1", book, json=body).json["alerts"][0]
    assert call("get", "/v1/alerts", book).status_code == 403
    assert call("get", "/v1/monitored", alerts).status_code == 403
    decided = call("post", f"/v1/alerts/{alert['id']}/decision", alerts, json={"state": "confirmed"})
    assert decided.status_code == 200 and decided.json["decision"]["by"] == analyst.id
    assert decided.json["history"][-1]["actor"] == analyst.id


def test_the_cli_imports_a_book_and_reports_bad_rows(served, redis_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from service.cli import main

    book = tmp_path / "book.csv"
    book.write_text("id;name;country\nC-1;Elvis Logan Morey;\nC-2;;\n", encoding="utf-8")
    env = {
        "REDIS_URL": redis_url,
        "DATABASE_URL": served.database_url,
        "SCREENING_DATA_DIR": str(tmp_path),
        "SCREENING_LISTS": "us_ofac_sdn",
    }
    done = CliRunner().invoke(main, ["monitored", "import", str(book)], env=env)
    assert done.exit_code == 0, done.output
    assert "2 rows: 1 counterparties imported and screened, 1 alerts opened, 1 bad rows" in done.output
    assert "line 3:" in done.output


def test_a_new_matcher_rescreens_the_whole_book_as_a_resumable_rq_job(  # type: ignore[no-untyped-def]
    http, served, redis_client, redis_url, tmp_path, monkeypatch
) -> None:
    from rq import Queue, SimpleWorker
    from rq.job import Job

    from service.bulk.keys import QUEUE
    from service.matching.algorithms import DEFAULT_ALGORITHM as ALGORITHM
    from service.monitoring import jobs, state
    from service.monitoring.monitor import now
    from service.monitoring.rescreen import Rescreener

    for i, name in enumerate(["Elvis Logan Morey", "Nobody One", "Nobody Two", "Nobody Three", "Nobody Four"]):
        assert http.put(f"/v1/monitored/C-{i}", json={"name": name}).status_code == 200
    monitor = http.application.extensions["monitor"]
    with monitor.db.engine.begin() as connection:  # a new matcher; a run was killed after C-1
        state.write(connection, state.ALGORITHM_KEY, {"version": "ssm-0", "after": "C-1"}, now())
    rescreener = Rescreener(
        monitor, ListStore(redis_client), ["us_ofac_sdn"], enqueue_all=lambda: jobs.enqueue(redis_client)
    )
    assert rescreener.run_once().lists["*"].endswith("whole book queued (RQ)")
    assert "already queued or running" in rescreener.run_once().lists["*"], "one job at a time"

    for name, value in {
        "REDIS_URL": redis_url,
        "DATABASE_URL": served.database_url,
        "SCREENING_LISTS": "us_ofac_sdn",
        "SCREENING_DATA_DIR": str(tmp_path),
    }.items():
        monkeypatch.setenv(name, value)
    SimpleWorker([Queue(QUEUE, connection=redis_client)], connection=redis_client).work(burst=True)
    job = Job.fetch(jobs.JOB_ID, connection=redis_client)
    assert job.is_finished, job.latest_result()
    assert job.return_value()["screened"] == 3, "resumed after the checkpoint: C-2, C-3, C-4"
    with monitor.db.engine.connect() as connection:
        assert state.read(connection)[state.ALGORITHM_KEY] == {"version": ALGORITHM, "after": None}
    assert rescreener.run_once().lists == {}
