"""The versioned store on a real Redis: whole versions, atomic switches, clean-up."""

from __future__ import annotations

import threading
import time

import pytest
import redis
from redis.crc import key_slot

from service.errors import LoadError
from service.model import Entity, Identifier, IdType, Kind, Link, LinkType, Name, from_dict
from service.store import CURRENT, ListStore, version_keys


def people(tag: str, n: int, list_id: str = "un_sc") -> list[Entity]:
    """``n`` made-up entities whose remarks say which load wrote them; each pair of
    neighbours is linked by the list, and every two share a (made-up) phone number."""
    return [
        Entity(
            id=f"{list_id}:{i}",
            list_id=list_id,
            reference=str(i),
            kind=Kind.PERSON,
            names=(Name(f"PERSON {i}"),),
            remarks=tag,
            links=(Link(LinkType.ASSOCIATE_OF, f"{list_id}:{(i + 1) % n}"),),
            identifiers=(Identifier(IdType.PHONE, f"+7 495 000 {i // 2:04d}"),),
        )
        for i in range(n)
    ]


def load(store: ListStore, entities: list[Entity], checksum: str, list_id: str = "un_sc"):
    writer = store.begin(
        list_id, fmt="un_xml", files=[{"name": "x.xml", "sha256": checksum, "bytes": 1}], checksum=checksum
    )
    for entity in entities:
        writer.add(entity)
    return writer.commit(published="2026-02-27")


def test_a_committed_version_is_served_whole(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client)
    version = load(store, people("v1", 2500), "a" * 64)
    assert store.current() == {"un_sc": version.version}
    assert version.counts["entities"] == 2500
    assert version.counts["person"] == 2500
    assert version.published == "2026-02-27"
    (first,) = store.entities("un_sc", version.version, ["un_sc:0"])
    assert from_dict(first).names[0].full == "PERSON 0"
    assert store.links_in("un_sc", version.version, "un_sc:1") == [{"source": "un_sc:0", "type": "associate_of"}]
    for key in version_keys("un_sc", version.version):
        assert redis_client.ttl(key) == -1, f"{key} of the served version must not expire"


def test_nothing_is_visible_before_commit(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client)
    writer = store.begin("un_sc", fmt="un_xml", files=[], checksum="b" * 64)
    for entity in people("v1", 1500):
        writer.add(entity)
    assert store.current() == {}
    assert store.version("un_sc") is None
    # Half-written keys expire by themselves if the load never finishes.
    for key in version_keys("un_sc", writer.version)[:2]:
        assert 0 < redis_client.ttl(key) <= 3600


def test_a_new_version_replaces_the_old_which_expires_after_the_grace_period(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client, grace_seconds=120)
    old = load(store, people("v1", 10), "a" * 64)
    new = load(store, people("v2", 12), "b" * 64)
    assert store.current()["un_sc"] == new.version
    for key in version_keys("un_sc", old.version):
        assert 0 < redis_client.ttl(key) <= 120
    # Readers that started on the old version can still finish during the grace period.
    (entity,) = store.entities("un_sc", old.version, ["un_sc:3"])
    assert entity["remarks"] == "v1"


def test_an_empty_load_and_a_duplicate_id_are_refused(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client)
    writer = store.begin("un_sc", fmt="un_xml", files=[], checksum="c" * 64)
    with pytest.raises(LoadError, match="no entities"):
        writer.commit(published=None)
    writer = store.begin("un_sc", fmt="un_xml", files=[], checksum="d" * 64)
    writer.add(people("v1", 1)[0])
    with pytest.raises(LoadError, match="appears twice"):
        writer.add(people("v1", 1)[0])


def test_a_killed_load_leaves_the_served_version_and_is_cleaned_up_later(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client, grace_seconds=60)
    served = load(store, people("v1", 10), "a" * 64)
    # A load dies after writing part of its entities, and even after making them permanent
    # but before switching the pointer: simulate the worse case.
    orphan = store.begin("un_sc", fmt="un_xml", files=[], checksum="e" * 64)
    for entity in people("v2", 1200):
        orphan.add(entity)
    orphan._flush()
    for key in version_keys("un_sc", orphan.version):
        redis_client.persist(key)
    assert store.current()["un_sc"] == served.version
    assert store.version("un_sc").version == served.version
    # The next load expires what the dead one left behind.
    load(store, people("v3", 10), "f" * 64)
    for key in version_keys("un_sc", orphan.version):
        assert redis_client.ttl(key) in (-2,) or 0 < redis_client.ttl(key) <= 60


def test_readers_never_see_a_mix_of_two_versions(redis_client: redis.Redis, redis_url: str) -> None:
    writer_store = ListStore(redis_client)
    load(writer_store, people("v0", 300), "0" * 64)
    ids = [f"un_sc:{i}" for i in range(300)]
    problems: list[str] = []
    reads = 0
    stop = threading.Event()

    def reader() -> None:
        nonlocal reads
        store = ListStore(redis.Redis.from_url(redis_url))
        while not stop.is_set():
            version = store.current()["un_sc"]
            # A screening request reads many entities after it read the pointer once.
            entities = store.entities("un_sc", version, ids[:150]) + store.entities("un_sc", version, ids[150:])
            tags = {e["remarks"] if e else None for e in entities}
            if len(tags) != 1 or None in tags:
                problems.append(f"version {version}: {tags}")
            reads += 1

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for n in range(1, 16):
            load(writer_store, people(f"v{n}", 300), f"{n:064d}")
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert reads > 50
    assert problems == []


def test_a_versions_keys_share_one_cluster_slot() -> None:
    keys = version_keys("us_ofac_sdn", "20261129T204300Z-0123456789")
    assert len({key_slot(k.encode()) for k in keys}) == 1
    other = version_keys("us_ofac_sdn", "20261130T204300Z-abcdef0123")
    # Different versions may land on different nodes: the tag holds list id and version.
    assert keys[0] != other[0]


def test_a_missing_version_is_reported_not_served(redis_client: redis.Redis) -> None:
    """The pointer survives but the version's keys are gone (evicted, or a partial restore)."""
    store = ListStore(redis_client)
    version = load(store, people("v1", 5), "a" * 64)
    redis_client.delete(*version_keys("un_sc", version.version))
    assert store.versions() == {"un_sc": None}
    assert redis_client.hget(CURRENT, "un_sc") is not None


def test_only_one_load_of_a_list_at_a_time(redis_client: redis.Redis) -> None:
    store = ListStore(redis_client)
    with store.lock("un_sc"):
        with pytest.raises(LoadError, match="another load"):
            with store.lock("un_sc"):
                pass
    with store.lock("un_sc"):
        pass  # released


def test_a_running_load_keeps_its_short_lease_renewed(redis_client: redis.Redis) -> None:
    """The lease is short so that a killed load's lock lapses soon; a live load renews it."""
    store = ListStore(redis_client, lock_lease=0.6)
    with store.lock("un_sc"):
        time.sleep(1.5)  # two and a half leases
        assert 0 < redis_client.pttl("scr:lock:un_sc") <= 600
        with pytest.raises(LoadError, match="another load"):
            with store.lock("un_sc", wait=0.8):  # waiting longer than a lease does not help
                pass
    assert not redis_client.exists("scr:lock:un_sc")


def test_a_version_whose_keys_vanished_during_the_load_is_never_published(redis_client: redis.Redis) -> None:
    """A load that stalls past its keys' TTL, or a Redis flushed mid-load, must not go live."""
    store = ListStore(redis_client)
    served = load(store, people("v1", 10), "a" * 64)
    writer = store.begin("un_sc", fmt="un_xml", files=[], checksum="b" * 64)
    for entity in people("v2", 2500):
        writer.add(entity)
    redis_client.delete(version_keys("un_sc", writer.version)[1])  # the entities expired
    with pytest.raises(LoadError, match="vanished"):
        writer.commit(published=None)
    assert store.current() == {"un_sc": served.version}
