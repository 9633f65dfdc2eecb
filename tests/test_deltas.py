"""What each new version of a list changed: computed at commit, kept in Redis, served at
GET /v1/lists/{id}/changes. Against a real Redis."""

from __future__ import annotations

from dataclasses import replace

import pytest
import redis

from service import deltas
from service import store as store_module
from service.app import create_app
from service.config import Settings
from service.loader import load_list
from service.model import Entity, Kind, Name
from service.store import ListStore, ListVersion, version_key
from tests.conftest import FIXTURES


def person(n: int, name: str | None = None) -> Entity:
    return Entity(
        id=f"un_sc:{n}",
        list_id="un_sc",
        reference=f"QDi.{n:03d}",
        kind=Kind.PERSON,
        names=(Name(name or f"PERSON {n}"),),
    )


def load(store: ListStore, entities: list[Entity], checksum: str) -> ListVersion:
    writer = store.begin("un_sc", fmt="un_xml", files=[], checksum=checksum)
    for entity in entities:
        writer.add(entity)
    return writer.commit(published="2026-11-29")


def test_diff_counts_exactly_and_keeps_the_first_ids() -> None:
    previous = {"a": "1", "b": "2", "c": "3", "d": "4"}
    new = {"a": "1", "b": "9", "e": "5", "f": "6", "g": "7"}
    found = deltas.diff(
        previous.items(),
        new.items(),
        lambda ids: [new.get(i) for i in ids],
        lambda ids: [i in previous for i in ids],
        cap=2,
    )
    assert found.counts == {"added": 3, "removed": 2, "changed": 1}
    assert found.ids["removed"] == ["c", "d"] and found.ids["changed"] == ["b"]
    assert len(found.ids["added"]) == 2 and found.truncated


def test_a_new_version_records_what_it_added_removed_and_changed(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client)
    first = load(store, [person(1), person(2), person(3)], "a" * 64)
    assert store.changes("un_sc") == []  # loaded once: nothing changed yet
    second = load(store, [person(1), person(2, "PERSON TWO RENAMED"), person(4)], "b" * 64)
    (change,) = store.changes("un_sc")
    assert change["version"] == second.version and change["previous_version"] == first.version
    assert change["loaded_at"] == second.loaded_at
    assert change["counts"] == {"added": 1, "removed": 1, "changed": 1}
    assert change["added"] == [{"id": "un_sc:4", "name": "PERSON 4", "kind": "person"}]
    assert change["removed"] == [{"id": "un_sc:3", "name": "PERSON 3", "kind": "person"}]  # as listed before
    assert change["changed"] == [{"id": "un_sc:2", "name": "PERSON TWO RENAMED", "kind": "person"}]
    assert change["truncated"] is False
    # The digests live and expire with their version.
    assert redis_client.ttl(version_key("un_sc", second.version, "hashes")) == -1
    assert 0 < redis_client.ttl(version_key("un_sc", first.version, "hashes")) <= store.grace_seconds


def test_a_new_file_with_the_same_entities_is_a_version_with_no_changes(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client)
    load(store, [person(1), person(2)], "a" * 64)
    load(store, [person(2), person(1)], "b" * 64)
    (change,) = store.changes("un_sc")
    assert change["counts"] == {"added": 0, "removed": 0, "changed": 0}
    assert change["added"] == change["removed"] == change["changed"] == []


def test_an_unchanged_file_records_nothing(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client)
    sample = FIXTURES / "un" / "consolidated-sample.xml"
    load_list(store, "un_sc", "un_xml", [sample])
    assert load_list(store, "un_sc", "un_xml", [sample]).unchanged
    assert store.changes("un_sc") == []


def test_history_and_ids_are_capped_but_counts_exact(
    redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "CHANGE_IDS", 2)
    monkeypatch.setattr(store_module, "CHANGES_KEPT", 3)
    store = ListStore(redis_client)
    versions = [load(store, [person(n) for n in range(i * 5, i * 5 + 5)], str(i) * 64) for i in range(5)]
    changes = store.changes("un_sc")
    assert [c["version"] for c in changes] == [v.version for v in reversed(versions[2:])]
    assert changes[0]["counts"] == {"added": 5, "removed": 5, "changed": 0}
    assert len(changes[0]["added"]) == 2 and len(changes[0]["removed"]) == 2
    assert changes[0]["truncated"] is True


def test_a_version_loaded_before_digests_were_kept_is_compared_by_its_entities(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client)
    first = load(store, [person(1), person(2)], "a" * 64)
    redis_client.delete(version_key("un_sc", first.version, "hashes"))
    load(store, [person(1), person(2, "CHANGED")], "b" * 64)
    (change,) = store.changes("un_sc")
    assert change["counts"] == {"added": 0, "removed": 0, "changed": 1}


def test_a_replaced_version_that_vanished_costs_the_delta_not_the_load(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client)
    first = load(store, [person(1)], "a" * 64)
    redis_client.delete(version_key("un_sc", first.version, "meta"))  # evicted, say
    second = load(store, [person(1), person(2)], "b" * 64)
    assert store.version("un_sc").version == second.version
    assert store.changes("un_sc") == []


# --- the endpoint ------------------------------------------------------------------------------


@pytest.fixture
def client(settings: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    return create_app(replace(settings, enabled_lists=("un_sc",)), redis_client=redis_client).test_client()


def test_changes_endpoint(client, redis_client: redis.Redis, conforms) -> None:  # type: ignore[no-untyped-def]
    empty = client.get("/v1/lists/un_sc/changes")
    assert empty.status_code == 200
    conforms(empty, "/v1/lists/{list_id}/changes")
    assert empty.json == {"list_id": "un_sc", "version": None, "changes": []}

    store = ListStore(redis_client)
    v1 = load(store, [person(1), person(2)], "a" * 64)
    once = client.get("/v1/lists/un_sc/changes")
    assert once.json == {"list_id": "un_sc", "version": v1.version, "changes": []}
    v2 = load(store, [person(1), person(3)], "b" * 64)
    v3 = load(store, [person(1, "ONE"), person(3)], "c" * 64)

    response = client.get("/v1/lists/un_sc/changes")
    assert response.status_code == 200
    conforms(response, "/v1/lists/{list_id}/changes")
    body = response.json
    assert body["version"] == v3.version
    assert [(c["version"], c["previous_version"]) for c in body["changes"]] == [
        (v3.version, v2.version),
        (v2.version, v1.version),
    ]
    assert body["changes"][0]["changed"] == [{"id": "un_sc:1", "name": "ONE", "kind": "person"}]
    assert body["changes"][1]["counts"] == {"added": 1, "removed": 1, "changed": 0}
    assert body["changes"][1]["loaded_at"].startswith("20")

    assert [c["version"] for c in client.get("/v1/lists/un_sc/changes?limit=1").json["changes"]] == [v3.version]
    since = client.get(f"/v1/lists/un_sc/changes?since={v2.version}").json["changes"]
    assert [c["version"] for c in since] == [v3.version]
    assert len(client.get(f"/v1/lists/un_sc/changes?since={v1.version}").json["changes"]) == 2
    assert client.get(f"/v1/lists/un_sc/changes?since={v3.version}").json["changes"] == []


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/v1/lists/no_such_list/changes", 404, "no list 'no_such_list'"),
        ("/v1/lists/un_sc/changes?limit=0", 400, "limit"),
        ("/v1/lists/un_sc/changes?limit=many", 400, "limit"),
        ("/v1/lists/un_sc/changes?since=20200101T000000Z-0000000000", 404, "not kept"),
    ],
)
def test_changes_endpoint_refuses_clearly(client, conforms, path: str, status: int, words: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == status
    conforms(response, "/v1/lists/{list_id}/changes")
    assert words in response.json["error"]["message"]


def test_changes_endpoint_fails_closed_without_redis(settings: Settings, conforms) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings, redis_client=redis.Redis(port=1, socket_connect_timeout=0.2))
    response = app.test_client().get("/v1/lists/un_sc/changes")
    assert response.status_code == 503
    conforms(response, "/v1/lists/{list_id}/changes")
