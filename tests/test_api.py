"""The HTTP API against a real Redis: list status, entities, readiness, failing closed."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
import redis

from service.app import create_app
from service.config import Settings
from service.model import Entity, Kind, Link, LinkType, Name, NameType
from service.store import CHECKED, ListStore
from tests.conftest import RedisServer

ALL_LISTS = "us_ofac_sdn,un_sc"


def company(n: int, **kw) -> Entity:  # type: ignore[no-untyped-def]
    return Entity(
        id=f"us_ofac_sdn:{n}",
        list_id="us_ofac_sdn",
        reference=str(n),
        kind=Kind.ORGANIZATION,
        names=(Name(f"COMPANY {n} LLC"), Name(f"CO {n}", NameType.AKA)),
        programs=("RUSSIA-EO14024",),
        **kw,
    )


def fill(
    client: redis.Redis, list_id: str, entities: list[Entity], checksum: str = "a" * 64, published: str = "2026-11-28"
) -> None:
    writer = ListStore(client).begin(
        list_id, fmt="ofac_csv", files=[{"name": "sdn.csv", "sha256": checksum, "bytes": 9}], checksum=checksum
    )
    for entity in entities:
        writer.add(entity)
    writer.commit(published=published, published_from="file")


def person(n: int) -> Entity:
    return Entity(
        id=f"un_sc:{n}", list_id="un_sc", reference=f"QDi.{n:03d}", kind=Kind.PERSON, names=(Name(f"PERSON {n}"),)
    )


@pytest.fixture
def app(settings: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    return create_app(replace(settings, enabled_lists=tuple(ALL_LISTS.split(","))), redis_client=redis_client)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def loaded(redis_client: redis.Redis) -> None:
    owner = company(1)
    owned = company(2, links=(Link(LinkType.OWNED_BY, "us_ofac_sdn:1", share=51.0, label="Owned or Controlled By"),))
    linked = company(3, links=(Link(LinkType.LINKED_TO, None, target_name="SOMEONE UNLISTED", label="Linked To"),))
    fill(redis_client, "us_ofac_sdn", [owner, owned, linked])
    fill(redis_client, "un_sc", [person(1), person(2)])


def test_healthz_answers_without_redis(settings: Settings, conforms) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings, redis_client=redis.Redis(port=1, socket_connect_timeout=0.2))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    conforms(response, "/healthz")


def test_readyz_names_every_list_that_is_not_loaded(client, conforms) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/readyz")
    assert response.status_code == 503
    conforms(response, "/readyz")
    reasons = response.json["error"]["details"]["reasons"]
    assert reasons == ["list us_ofac_sdn is not loaded", "list un_sc is not loaded"]


def test_ready_when_every_list_is_loaded_and_fresh(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    conforms(response, "/readyz")
    assert set(response.json["lists"]) == {"us_ofac_sdn", "un_sc"}


def test_a_stale_list_makes_the_service_not_ready(client, loaded, redis_client) -> None:  # type: ignore[no-untyped-def]
    three_days_ago = time.time() - 3 * 86400
    redis_client.hset(CHECKED, "us_ofac_sdn", repr(three_days_ago))
    response = client.get("/readyz")
    assert response.status_code == 503
    (reason,) = response.json["error"]["details"]["reasons"]
    assert reason.startswith("list us_ofac_sdn is stale")
    lists = {entry["id"]: entry for entry in client.get("/v1/lists").json["lists"]}
    assert lists["us_ofac_sdn"]["stale"] is True
    assert lists["un_sc"]["stale"] is False


def test_lists_report_version_counts_dates_and_age(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/v1/lists")
    assert response.status_code == 200
    conforms(response, "/v1/lists")
    sdn = response.json["lists"][0]
    assert sdn["id"] == "us_ofac_sdn"
    assert sdn["loaded"] is True
    assert sdn["counts"]["entities"] == 3
    assert sdn["counts"]["organization"] == 3
    assert sdn["published"] == "2026-11-28"
    assert sdn["files"] == [{"name": "sdn.csv", "sha256": "a" * 64, "bytes": 9}]
    assert 0 <= sdn["age_seconds"] < 60
    assert sdn["max_age_seconds"] == 36 * 3600


def test_an_old_publication_warns_but_stays_ready(client, redis_client, conforms) -> None:  # type: ignore[no-untyped-def]
    """A list loaded today from a 2016 file is not "fresh": its publication's age is reported,
    and past its manifest's max_publication_age_days /readyz warns (still ready: see status.py)."""
    fill(redis_client, "us_ofac_sdn", [company(1)])
    fill(redis_client, "un_sc", [person(1)], published="2016-02-11")
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    conforms(response, "/readyz")
    (warning,) = [w for w in response.json["warnings"] if w.startswith("list ")]  # (auth is off in these tests)
    assert warning.startswith("list un_sc: its publication of 2016-02-11 is ") and "more than the 60" in warning
    body = client.get("/v1/lists")
    conforms(body, "/v1/lists")
    lists = {entry["id"]: entry for entry in body.json["lists"]}
    un, sdn = lists["un_sc"], lists["us_ofac_sdn"]
    assert un["stale"] is False and un["outdated"] is True and un["max_publication_age_days"] == 60
    assert un["publication_age_days"] > 3000 and un["warnings"] == [warning]
    assert sdn["outdated"] is False and sdn["warnings"] == [] and sdn["published_from"] == "file"
    assert 0 <= sdn["publication_age_days"] <= (time.time() - 1795824000) // 86400 + 1  # since 2026-11-28


def test_an_entity_with_its_links_one_hop_out(client, loaded, conforms) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/v1/entities/us_ofac_sdn:1")
    assert response.status_code == 200
    conforms(response, "/v1/entities/{entity_id}")
    body = response.json
    assert body["entity"]["names"][0] == {"full": "COMPANY 1 LLC", "type": "primary"}
    assert body["related"] == [
        {
            "direction": "in",
            "type": "owns",
            "entity_id": "us_ofac_sdn:2",
            "name": "COMPANY 2 LLC",
            "kind": "organization",
            "share": 51.0,
            "label": "Owned or Controlled By",
        }
    ]
    owned = client.get("/v1/entities/us_ofac_sdn:2").json["related"]
    assert owned[0]["direction"] == "out" and owned[0]["name"] == "COMPANY 1 LLC"
    unresolved = client.get("/v1/entities/us_ofac_sdn:3").json["related"]
    assert unresolved[0]["entity_id"] is None and unresolved[0]["name"] == "SOMEONE UNLISTED"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/v1/entities/us_ofac_sdn:999", 404, "not_found"),
        ("/v1/entities/no_such_list:1", 404, "not_found"),
        ("/v1/entities/justtext", 404, "not_found"),
        ("/v1/nothing-here", 404, "not_found"),
    ],
)
def test_errors_have_one_shape(client, loaded, conforms, path, status, code) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    if path.startswith("/v1/entities"):
        conforms(response, "/v1/entities/{entity_id}")


def test_wrong_method_is_405_in_the_same_shape(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/lists")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"


def test_an_entity_of_a_list_that_is_not_loaded_is_503_not_404(client, conforms) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/v1/entities/un_sc:1")
    assert response.status_code == 503
    conforms(response, "/v1/entities/{entity_id}")
    assert "un_sc is not loaded" in response.json["error"]["message"]


def test_redis_restarted_while_serving(settings: Settings, redis_server: RedisServer, conforms) -> None:  # type: ignore[no-untyped-def]
    """Redis dies: 503 with the reason. It comes back empty: 503, lists not loaded. Reload: 200."""
    url_settings = replace(settings, redis_url=redis_server.url, enabled_lists=("us_ofac_sdn",))
    app = create_app(url_settings)
    client = app.test_client()
    fill(redis.Redis.from_url(redis_server.url), "us_ofac_sdn", [company(1)])
    assert client.get("/readyz").status_code == 200
    assert client.get("/v1/entities/us_ofac_sdn:1").status_code == 200

    redis_server.stop()
    for path in ("/readyz", "/v1/lists", "/v1/entities/us_ofac_sdn:1"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "Redis is unreachable" in response.json["error"]["message"]
    conforms(client.get("/v1/lists"), "/v1/lists")
    assert client.get("/healthz").status_code == 200

    redis_server.start()  # without persistence: it comes back empty
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["error"]["details"]["reasons"] == ["list us_ofac_sdn is not loaded"]
    assert client.get("/v1/entities/us_ofac_sdn:1").status_code == 503

    fill(redis.Redis.from_url(redis_server.url), "us_ofac_sdn", [company(1)])
    assert client.get("/readyz").status_code == 200


def test_a_redis_out_of_memory_makes_the_service_not_ready(  # type: ignore[no-untyped-def]
    settings: Settings, redis_server: RedisServer, conforms
) -> None:
    """Redis answers reads but refuses writes (maxmemory under noeviction): screenings cannot be
    recorded, so the service is not ready, and says why."""
    client = create_app(replace(settings, redis_url=redis_server.url, enabled_lists=("us_ofac_sdn",))).test_client()
    admin = redis.Redis.from_url(redis_server.url)
    fill(admin, "us_ofac_sdn", [company(1)])
    assert client.get("/readyz").status_code == 200
    admin.config_set("maxmemory-policy", "noeviction")
    admin.config_set("maxmemory", "1")  # one byte: every write is now refused
    try:
        response = client.get("/readyz")
        assert response.status_code == 503, response.json
        conforms(response, "/readyz")
        (reason,) = response.json["error"]["details"]["reasons"]
        assert reason.startswith("Redis refuses writes: it is out of memory"), reason
        assert client.get("/healthz").status_code == 200
    finally:
        admin.config_set("maxmemory", "0")
    assert client.get("/readyz").status_code == 200


def test_redis_restarted_with_its_data(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = RedisServer(tmp_path, persist=True)
    server.start()
    try:
        app = create_app(replace(settings, redis_url=server.url, enabled_lists=("us_ofac_sdn",)))
        client = app.test_client()
        fill(redis.Redis.from_url(server.url), "us_ofac_sdn", [company(1)])
        assert client.get("/readyz").status_code == 200
        server.stop()
        assert client.get("/readyz").status_code == 503
        server.start()
        assert client.get("/readyz").status_code == 200
        assert client.get("/v1/entities/us_ofac_sdn:1").json["entity"]["id"] == "us_ofac_sdn:1"
    finally:
        server.stop()
