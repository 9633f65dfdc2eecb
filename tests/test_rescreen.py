"""Re-screening the book when a list changes, by the delta, on the real OFAC SDN files.

The two SDN vintages in ../shared/lists/ofac (2024-04-26 and 2024-05-03) differ by 305
entities added and 8 removed, none changed (MANIFEST.md); a changed record is made by
editing one entity in a temporary copy of the real file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import redis

from service import sources
from service.app import create_app
from service.config import Settings
from service.loader import load_list
from service.matching.types import Query
from service.monitoring.book import Counterparty
from service.monitoring.rescreen import Rescreener, delta_between
from service.store import ListStore

pytestmark = [pytest.mark.shared_lists, pytest.mark.slow]

SDN = "us_ofac_sdn"


def sdn(shared_lists: Path, day: str) -> Path:
    return shared_lists / "ofac" / f"sdn-only-2024-{day}.csv"


@pytest.fixture
def world(settings: Settings, database_url: str, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    app = create_app(replace(settings, database_url=database_url, enabled_lists=(SDN,)), redis_client=redis_client)
    monitor = app.extensions["monitor"]
    store = ListStore(redis_client)
    return store, monitor, Rescreener(monitor, store, [SDN])


def alerts_of(monitor, client_id: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from service.monitoring import alerts

    with monitor.db.engine.connect() as connection:
        return {a["entity_id"]: a["state"] for a in alerts.page(connection, client_id=client_id, limit=100)}


def party(client_id: str, entity: dict) -> Counterparty:
    kind = entity["kind"] if entity["kind"] in ("person", "organization", "vessel", "aircraft") else "any"
    return Counterparty.of(client_id, Query(name=entity["names"][0]["full"], kind=kind))


def test_names_a_new_version_adds_raise_alerts_when_it_is_loaded(world, shared_lists) -> None:  # type: ignore[no-untyped-def]
    store, monitor, rescreener = world
    load_list(store, SDN, "ofac_csv", [sdn(shared_lists, "04-26")])
    older = store.current()[SDN]
    newer = _entities(shared_lists, "05-03")
    added = [e for e, there in zip(newer, store.holds(SDN, older, [e["id"] for e in newer])) if not there]
    assert len(added) == 305
    planted = [e for e in added if e["kind"] in ("person", "organization") and len(e["names"][0]["full"]) > 8][::12]
    book = [party(f"P-{i}", e) for i, e in enumerate(planted)]
    book += [Counterparty.of(f"N-{i}", Query(name=f"Harmless Trading {word} Ltd")) for i, word in enumerate(NOISE)]
    monitor.put(book)  # screened against 2024-04-26
    before = {p.client_id: alerts_of(monitor, p.client_id) for p in book[: len(planted)]}

    load_list(store, SDN, "ofac_csv", [sdn(shared_lists, "05-03")])
    report = rescreener.run_once()

    assert "305 added" in report.lists[SDN] and "8 removed" in report.lists[SDN]
    assert report.screened < len(book), "only what the delta reaches is screened again"
    for i, entity in enumerate(planted):
        found = alerts_of(monitor, f"P-{i}")
        assert found.get(entity["id"]) == "open", (entity["names"][0]["full"], before[f"P-{i}"], found)
    assert all(not alerts_of(monitor, f"N-{i}") for i in range(len(NOISE)))
    assert rescreener.run_once().lists == {}, "up to date: nothing to do"


def test_a_cleared_alert_holds_across_reloads_and_reopens_when_its_record_changes(world, shared_lists, tmp_path):  # type: ignore[no-untyped-def]
    store, monitor, rescreener = world
    real = sdn(shared_lists, "05-03")
    load_list(store, SDN, "ofac_csv", [real])
    target = "us_ofac_sdn:36"  # AEROCARIBBEAN AIRLINES, the file's first row
    [entity] = store.entities(SDN, store.current()[SDN], [target])
    monitor.put([party("C-1", entity)])
    alert_id = _alert_id(monitor, "C-1", target)
    _decide(monitor, alert_id, "cleared")

    data = real.read_bytes()
    body, eof = data[:-1], data[-1:]
    rows = body.split(b"\r\n")[:-1]
    for turn in range(1, 4):  # three reloads of the same records (rows in another order: a new version)
        copy = tmp_path / f"reload-{turn}" / "sdn.csv"
        copy.parent.mkdir()
        copy.write_bytes(b"\r\n".join(rows[turn:] + rows[:turn]) + b"\r\n" + eof)
        assert not load_list(store, SDN, "ofac_csv", [copy]).unchanged
        report = rescreener.run_once()
        assert "0 added, 0 changed, 0 removed" in report.lists[SDN]
        assert alerts_of(monitor, "C-1") == {target: "cleared"}
    monitor.rescreen(["C-1"], "test")  # screened again in full: still cleared
    assert alerts_of(monitor, "C-1") == {target: "cleared"}

    edited = tmp_path / "edited" / "sdn.csv"
    edited.parent.mkdir()
    first = rows[0]
    assert first.startswith(b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"')
    rows[0] = first.replace(b'"CUBA"', b'"CUBA] [SDGT"')  # one more program on the listed record
    edited.write_bytes(b"\r\n".join(rows) + b"\r\n" + eof)
    load_list(store, SDN, "ofac_csv", [edited])
    report = rescreener.run_once()
    assert "0 added, 1 changed, 0 removed" in report.lists[SDN] and report.reopened == 1
    assert alerts_of(monitor, "C-1") == {target: "open"}
    history = _history(monitor, alert_id)
    assert history[-1]["event"] == "reopened" and history[-1]["details"]["listed_record_changed"] == ["programs"]

    removed = tmp_path / "removed" / "sdn.csv"
    removed.parent.mkdir()
    removed.write_bytes(b"\r\n".join(rows[1:]) + b"\r\n" + eof)
    load_list(store, SDN, "ofac_csv", [removed])
    report = rescreener.run_once()
    assert "1 removed" in report.lists[SDN] and report.closed == 1
    assert alerts_of(monitor, "C-1") == {target: "closed"}


def test_deltas_compose_across_versions_and_fail_when_the_chain_breaks(redis_client, shared_lists) -> None:  # type: ignore[no-untyped-def]
    store = ListStore(redis_client)
    load_list(store, SDN, "ofac_csv", [sdn(shared_lists, "04-26")])
    first = store.current()[SDN]
    load_list(store, SDN, "ofac_csv", [sdn(shared_lists, "05-03")])
    second = store.current()[SDN]
    delta = delta_between(store, SDN, first, second)
    assert delta is not None and (len(delta.added), len(delta.changed), len(delta.removed)) == (305, 0, 8)
    assert delta_between(store, SDN, "no-such-version", second) is None


NOISE = ["Alder", "Birch", "Cedar", "Damson", "Elm", "Fir", "Ginkgo", "Hazel", "Ilex", "Juniper"]


def _entities(shared_lists: Path, day: str) -> list[dict]:
    from service.model import to_dict

    parsed = sources.read("ofac_csv", [sdn(shared_lists, day)], SDN)
    return [to_dict(e) for e in parsed.entities]


def _alert_id(monitor, client_id: str, entity_id: str) -> int:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from service.database import alerts

    with monitor.db.engine.connect() as connection:
        return connection.execute(
            sa.select(alerts.c.id).where(alerts.c.client_id == client_id, alerts.c.entity_id == entity_id)
        ).scalar_one()


def _decide(monitor, alert_id: int, decision: str) -> None:  # type: ignore[no-untyped-def]
    from service.monitoring import alerts
    from service.monitoring.monitor import now

    with monitor.db.engine.begin() as connection:
        alerts.decide(connection, alert_id, decision, "analyst-1", "a false positive", now())


def _history(monitor, alert_id: int) -> list[dict]:  # type: ignore[no-untyped-def]
    from service.monitoring import alerts

    with monitor.db.engine.connect() as connection:
        return alerts.get(connection, alert_id)["history"]
