"""OFAC's own typed relationships (advanced XML) become typed, sourced links of the graph."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import redis

from service.app import create_app
from service.config import Settings
from service.loader import load_list
from service.store import ListStore


def test_the_advanced_xml_relationships_are_typed_sourced_links(
    shared_lists: Path, redis_client: redis.Redis, settings: Settings, conforms
) -> None:  # type: ignore[no-untyped-def]
    store = ListStore(redis_client)
    # The shared 2020 Consolidated list in OFAC's advanced XML: 276 "Owned or Controlled By" relationships
    load_list(store, "us_ofac_cons", "ofac_advanced", [shared_lists / "ofac" / "cons_advanced-2020-03-17.xml"])
    http = create_app(replace(settings, enabled_lists=("us_ofac_cons",)), redis_client=redis_client).test_client()
    links = http.get("/v1/lists").json["lists"][0]["links"]
    assert links["by_type"]["owned_by"] == 276 and links["by_source"]["list"] == 276

    version = store.current()["us_ofac_cons"]
    entities = store.iter_entities("us_ofac_cons", version)
    owned = next(e for e in entities if any(link.get("target") for link in e.get("links", [])))
    response = http.get(f"/v1/entities/{owned['id']}/network")
    conforms(response, "/v1/entities/{entity_id}/network")
    edges = [e for e in response.json["edges"] if e["from"] == owned["id"] and e["type"] == "owned_by"]
    assert edges, response.json
    assert edges[0]["label"] == "Owned or Controlled By"
    assert edges[0]["source"].startswith("us_ofac_cons: ProfileRelationship")
