"""Linked entities: derived links, the 50% rule, screening through the network, the network API.

The evasion patterns run on the real files: the OFAC SDN 2021 CSV set and the OpenSanctions
cluster zala.ftm.json, loaded with the hand-made ``tests/fixtures/network/evasion.ftm.json``
(its README says what it holds) as one OpenSanctions list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from service.app import create_app
from service.config import Settings, from_env
from service.loader import load_list
from service.matching.types import AddressQuery, Query
from service.network.keys import address_key, identifier_link_key, link_keys
from service.network.ownership import Stake, aggregate
from service.store import ListStore
from tests.conftest import FIXTURES, _claim, _wipe

LISTS = ("us_ofac_sdn", "opensanctions")
EVASION = FIXTURES / "network" / "evasion.ftm.json"

# The hand-made fixture (tests/fixtures/network/evasion.ftm.json)
ALPHIN = "opensanctions:p-alpha"
BRAVIN = "opensanctions:p-bravo"
DRONES = "opensanctions:c-drones"
TRANSOIL = "us_ofac_sdn:16807"  # real: 18A Petrogradskaya nab., St. Petersburg 197046
# The real OpenSanctions cluster (zala.ftm.json)
ZAKHAROV = "opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw"  # Alexander Vyacheslavovich ZAKHAROV, listed
SPS = "opensanctions:NK-9Xa4Kg7Y7nfccE7VcZt6Q6"  # ООО "СПС": 75% Zakharov, not a target
TSST = "opensanctions:NK-ERScv7cLkkvZ3ejz7xiToj"  # ООО "ЦСТ": 100% Zakharov, not a target
IZHTELEKOM = "opensanctions:NK-56Edov9bas9puzaChH5pBy"  # ООО "ИЖТЕЛЕКОМ": owned, no share given
LLC_CST = "opensanctions:NK-abdzbEBkqyT29GyREbiURZ"  # LLC CST, listed: Zakharov 51%, Kalashnikov 49% …


# --- Keys of derived links -------------------------------------------------------------------


def test_an_address_key_ignores_word_order_abbreviations_and_the_country() -> None:
    one = address_key("7 Sverdlovskaya nab., St. Petersburg 195027, Russia")
    assert one is not None
    assert address_key("Saint Petersburg 195027, Sverdlovskaya nab. 7") == one
    assert address_key("7 Sverdlovskaya nab., St. Petersburg 195028") != one


@pytest.mark.parametrize(
    "line", ["Moscow, Russia", "St. Petersburg 197046", "Sverdlovskaya nab., St. Petersburg", "Dubai, UAE"]
)
def test_an_address_that_names_no_building_links_nobody(line: str) -> None:
    assert address_key(line) is None


def test_only_identifiers_of_one_party_link() -> None:
    assert identifier_link_key("1127847000001", "registration_number") == "i:1127847000001"
    assert identifier_link_key("IMO 9187629", "imo") == "i:9187629"
    assert identifier_link_key("772701001", "tax_number", "KPP") is None  # a tax office's code, shared
    assert identifier_link_key("12345", "registration_number") is None  # too short to be unique
    assert identifier_link_key("ABCDEF1234", "other") is None
    entity = {
        "addresses": [{"full": "7 Sverdlovskaya nab., St. Petersburg 195027"}, {"full": "Moscow"}],
        "identifiers": [{"type": "email", "value": "info@okhta-uav.example"}],
    }
    assert len(link_keys(entity)) == 2


# --- The 50% rule ------------------------------------------------------------------------------


def stake(owner: str, asset: str, share: float | None) -> Stake:
    return Stake(owner, asset, share, f"{owner} owns {asset}")


def test_stakes_of_listed_owners_add_up_to_the_50_percent_rule() -> None:
    owned = aggregate([stake("A", "X", 30), stake("B", "X", 25)], listed={"A", "B"})
    assert owned["X"].share == 55 and owned["X"].blocked
    assert {chain[0].owner for chain in owned["X"].chains} == {"A", "B"}


def test_30_percent_is_linked_but_not_blocked() -> None:
    owned = aggregate([stake("A", "Y", 30), stake("C", "Y", 70)], listed={"A"})
    assert owned["Y"].share == 30 and not owned["Y"].blocked
    assert [[step.owner for step in chain] for chain in owned["Y"].chains] == [["A"]]


def test_a_blocked_company_passes_its_whole_stake_down_a_chain() -> None:
    owned = aggregate([stake("A", "H", 60), stake("H", "Z", 50), stake("Z", "Q", 20)], listed={"A"})
    assert owned["H"].blocked and owned["Z"].blocked
    assert owned["Z"].share == 50
    assert [[step.owner for step in chain] for chain in owned["Z"].chains] == [["H", "A"]]
    assert owned["Q"].share == 20 and not owned["Q"].blocked, "a blocked owner's 20% is 20%"


def test_a_minority_holding_passes_nothing_down() -> None:
    owned = aggregate([stake("A", "H", 30), stake("H", "Z", 100)], listed={"A"})
    assert not owned["H"].blocked and not owned["Z"].blocked
    assert owned["Z"].share == 0 and len(owned["Z"].chains[0]) == 2, "still linked, through two steps"


def test_ownership_cycles_end() -> None:
    stakes = [stake("R1", "R2", 60), stake("R2", "R1", 40), stake("A", "R1", 50), stake("L1", "L2", 70)]
    stakes.append(stake("L2", "L1", 70))
    owned = aggregate(stakes, listed={"A"})
    assert owned["R1"].blocked and owned["R2"].blocked
    assert "L1" not in owned and "L2" not in owned, "a ring with no listed owner is nobody's"


def test_one_owner_counts_once_at_its_largest_stake_and_no_share_is_control() -> None:
    owned = aggregate([stake("A", "X", 48), stake("A", "X", 51), stake("A", "X", None)], listed={"A"})
    assert owned["X"].share == 51 and owned["X"].blocked
    controlled = aggregate([stake("A", "Y", None)], listed={"A"})["Y"]
    assert controlled.controlled and not controlled.blocked and controlled.share == 0


# --- On the real files ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(redis_url: str, shared_lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The real SDN 2021 CSV set and zala.ftm.json with the hand-made cases, loaded once."""
    client = redis.Redis.from_url(redis_url)
    _claim(client)
    _wipe(client)
    store = ListStore(client)
    sdn = shared_lists / "ofac" / "sdn-2021-07-07"
    files = [sdn / name for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]
    load_list(store, "us_ofac_sdn", "ofac_csv", files)
    both = tmp_path_factory.mktemp("ftm") / "opensanctions.ftm.json"
    both.write_text(
        (shared_lists / "opensanctions" / "zala.ftm.json").read_text(encoding="utf-8") + EVASION.read_text("utf-8"),
        encoding="utf-8",
    )
    load_list(store, "opensanctions", "ftm", [both])
    settings = from_env(
        {
            "REDIS_URL": redis_url,
            "SCREENING_DATA_DIR": str(tmp_path_factory.mktemp("var")),
            "SCREENING_INDEX_BUILD": "inline",
            "SCREENING_AUTH": "off",  # access is tested in tests/test_auth.py
        }
    )
    yield replace(settings, enabled_lists=LISTS)
    client.close()


@pytest.fixture(scope="module")
def app(world: Settings):  # type: ignore[no-untyped-def]
    return create_app(world)


@pytest.fixture(scope="module")
def http(app):  # type: ignore[no-untyped-def]
    return app.test_client()


def screen(http, conforms, **body):  # type: ignore[no-untyped-def]
    response = http.post("/v1/screen", json=body)
    conforms(response, "/v1/screen", "post")
    assert response.status_code == 200, response.json
    return response.json


def linked(result: dict, party: str) -> dict:
    found = [hit for hit in result["linked_hits"] if hit["entity_id"] == party]
    assert found, f"{party} not among the linked hits: {[h['explanation'] for h in result['linked_hits']]}"
    return found[0]


def test_lists_count_links_by_type_and_source(http, conforms) -> None:  # type: ignore[no-untyped-def]
    response = http.get("/v1/lists")
    conforms(response, "/v1/lists")
    links = {entry["id"]: entry["links"] for entry in response.json["lists"]}
    zala = links["opensanctions"]
    # zala: Ownership 14, Family 4, Directorship 3; the fixture: 12 ownerships, 1 directorship.
    assert zala["by_type"]["owned_by"] == 14 + 12
    assert zala["by_type"]["family_of"] == 4
    assert zala["by_type"]["director_of"] == 3 + 1
    assert zala["by_source"]["list"] == sum(zala["by_type"][t] for t in ("owned_by", "family_of", "director_of"))
    # Izhevsk, 272 Pushkinskaya (five listed people), and the fixture's two at the drone maker's address
    assert zala["by_type"]["same_address"] == zala["by_source"]["derived: same address"] >= 10 + 1
    assert zala["by_type"]["same_identifier"] == zala["by_source"]["derived: same identifier"] >= 1
    # zala: СПС (75%) and ЦСТ (100%); the fixture: X (55%), holding and subsidiary, the ring's two
    assert zala["blocked_by_extension"] == 2 + 5
    assert links["us_ofac_sdn"]["by_source"]["list"] > 0
    http.post("/v1/screen", json={"name": "anything"})  # the worker holds both lists' graphs from now on
    across = http.get("/v1/lists").json["links_across_lists"]
    assert across["same_address"] >= 1, "the importer at TRANSOIL's address"


def test_the_50_percent_rule_on_the_real_cluster(world: Settings) -> None:
    store = ListStore(redis.Redis.from_url(world.redis_url))
    version = store.current()["opensanctions"]
    network = store.network("opensanctions", version, [SPS, TSST, IZHTELEKOM, LLC_CST])
    assert network[SPS]["ownership"]["blocked"] and network[SPS]["ownership"]["share"] == 75
    assert network[SPS]["ownership"]["chains"][0][0]["owner"] == ZAKHAROV
    assert network[TSST]["ownership"]["blocked"] and network[TSST]["ownership"]["share"] == 100
    izhtelekom = network[IZHTELEKOM]["ownership"]
    assert (izhtelekom["share"], izhtelekom["blocked"], izhtelekom["controlled"]) == (0, False, True)
    assert [[(step["owner"], "share" in step) for step in chain] for chain in izhtelekom["chains"]] == [
        [(ZAKHAROV, False)]
    ]
    # LLC CST: Zakharov's largest stake (51%), Kalashnikov 49%, 2% and 1% by listed owners: all 100%.
    assert network[LLC_CST]["ownership"]["share"] == 100


def test_an_unlisted_company_owned_by_a_listed_person_is_flagged_though_no_list_names_it(http, conforms) -> None:  # type: ignore[no-untyped-def]
    result = screen(http, conforms, name="OOO SPS", country="RU")
    assert result["hits"] == [], "a company no list names is not a direct hit"
    hit = linked(result, ZAKHAROV)
    assert hit["match"] and hit["blocked_by_extension"] and hit["ownership_share"] == 75
    assert hit["matched_entity_id"] == SPS and hit["relation"] == "owned_by" and hit["distance"] == 1
    assert hit["path"][0]["share"] == 75 and hit["path"][0]["source"].startswith("opensanctions")
    assert "owned 75% by" in hit["explanation"] and "not listed" in hit["explanation"]


def test_a_company_50_percent_owned_by_two_listed_persons_together_is_blocked(http, conforms) -> None:  # type: ignore[no-untyped-def]
    result = screen(http, conforms, name="Kama Precision Instruments", kind="organization")
    for party in (ALPHIN, BRAVIN):
        hit = linked(result, party)
        assert hit["blocked_by_extension"] and hit["ownership_share"] == 55 and hit["match"]
    assert result["hits"] == []


def test_a_company_30_percent_owned_is_linked_but_not_blocked(http, conforms) -> None:  # type: ignore[no-untyped-def]
    result = screen(http, conforms, name="Volga Optical Trading LLC")
    hit = linked(result, ALPHIN)
    assert not hit["blocked_by_extension"] and hit["ownership_share"] == 30
    assert hit["relation"] == "owned_by" and hit["path"][0]["share"] == 30
    assert hit["score"] < hit["match_score"], "a minority stake weighs less than the match"


def test_ownership_through_two_levels(http, conforms) -> None:  # type: ignore[no-untyped-def]
    blocked = linked(screen(http, conforms, name="Baltic Radio Components"), ALPHIN)
    assert blocked["blocked_by_extension"] and blocked["distance"] == 2
    assert [step["relation"] for step in blocked["path"]] == ["owned_by", "owned_by"]
    minority = linked(screen(http, conforms, name="Altai Sensor Systems LLP"), BRAVIN)
    assert not minority["blocked_by_extension"] and minority["distance"] == 2
    assert minority["score"] < blocked["score"]


def test_an_ownership_ring_is_walked_once(http, conforms) -> None:  # type: ignore[no-untyped-def]
    hit = linked(screen(http, conforms, name="Ring Two Logistics FZE"), BRAVIN)
    assert hit["blocked_by_extension"]
    result = screen(http, conforms, name="Loop Alpha Ltd")
    assert result["hits"] == [] and result["linked_hits"] == []


def test_an_importer_at_a_listed_makers_address_is_flagged_through_the_address(http, conforms) -> None:  # type: ignore[no-untyped-def]
    result = screen(http, conforms, name="Neva Electronic Components Import LLC", country="RU")
    hit = linked(result, DRONES)
    assert hit["match"] and hit["relation"] == "same_address" and hit["distance"] == 1
    assert hit["path"][0]["source"].startswith("derived: same address")
    assert "— same address as — 'Okhta Unmanned Aviation Plant JSC' (opensanctions)" in hit["explanation"]


def test_a_derived_link_crosses_lists(http, conforms) -> None:  # type: ignore[no-untyped-def]
    result = screen(http, conforms, name="Petrograd Microchip Supply")
    hit = linked(result, TRANSOIL)
    assert hit["list_id"] == "us_ofac_sdn" and hit["relation"] == "same_address" and hit["match"]
    assert hit["matched_entity_id"] == "opensanctions:c-importer2"


def test_a_counterparty_at_a_listed_address_is_flagged_whatever_its_name(http, conforms) -> None:  # type: ignore[no-untyped-def]
    result = screen(
        http,
        conforms,
        name="Hong Kong Bright Star Trading Ltd",
        address={"street": "18A Petrogradskaya nab.", "city": "St. Petersburg", "postal_code": "197046"},
    )
    hit = linked(result, TRANSOIL)
    assert hit["matched_entity_id"] is None and hit["path"][0]["from_id"] is None
    assert hit["explanation"].startswith("the counterparty 'Hong Kong Bright Star Trading Ltd' — same address as")


def test_an_address_alone_finds_every_listed_and_linked_party_there(http, conforms) -> None:  # type: ignore[no-untyped-def]
    result = screen(http, conforms, address="7 Sverdlovskaya nab., St. Petersburg 195027, Russia")
    assert DRONES in [hit["entity_id"] for hit in result["hits"]]
    importer = linked(result, DRONES)
    assert importer["matched_entity_id"] == "opensanctions:c-importer"


def test_shared_identifiers_and_directorships_link(http, conforms) -> None:  # type: ignore[no-untyped-def]
    assert linked(screen(http, conforms, name="Okhta Service Company"), DRONES)["relation"] == "same_identifier"
    assert linked(screen(http, conforms, name="Caspian Freight Forwarding"), BRAVIN)["relation"] == "directed_by"


def test_network_depth_0_screens_the_lists_alone(http, conforms) -> None:  # type: ignore[no-untyped-def]
    result = screen(http, conforms, name="OOO SPS", network_depth=0)
    assert result["hits"] == [] and result["linked_hits"] == []
    response = http.post("/v1/screen", json={"name": "OOO SPS", "network_depth": 4})
    assert response.status_code == 400 and "network_depth" in response.json["error"]["details"]["fields"]


def test_a_listed_party_is_a_direct_hit_not_a_linked_one(http, conforms) -> None:  # type: ignore[no-untyped-def]
    result = screen(http, conforms, name="Okhta Unmanned Aviation Plant")
    assert result["hits"][0]["entity_id"] == DRONES
    assert DRONES not in [hit["entity_id"] for hit in result["linked_hits"]]


# --- GET /v1/entities/{id}/network ---------------------------------------------------------------


NETWORK = "/v1/entities/{entity_id}/network"


def test_the_network_of_an_entity_has_typed_sourced_edges(http, conforms) -> None:  # type: ignore[no-untyped-def]
    response = http.get(f"/v1/entities/{ZAKHAROV}/network")
    conforms(response, NETWORK)
    body = response.json
    assert body["entity_id"] == ZAKHAROV and body["depth"] == 1 and not body["truncated"]
    edges = {(e["from"], e["type"], e["to"]) for e in body["edges"]}
    assert (SPS, "owned_by", ZAKHAROV) in edges, "each link once, as its holder states it"
    assert (ZAKHAROV, "owns", SPS) not in edges
    assert all(e["source"] for e in body["edges"])
    nodes = {n["id"]: n for n in body["nodes"]}
    assert nodes[ZAKHAROV]["distance"] == 0 and nodes[SPS]["listed"] is False
    assert nodes[SPS]["ownership"]["blocked"]


def test_the_network_is_paginated_and_every_edge_comes_once(http, conforms) -> None:  # type: ignore[no-untyped-def]
    whole = http.get(f"/v1/entities/{ZAKHAROV}/network?depth=2&limit=500").json
    assert whole["next_offset"] is None and whole["total_edges"] == len(whole["edges"]) > 10
    seen, offset = [], 0
    while offset is not None:
        response = http.get(f"/v1/entities/{ZAKHAROV}/network?depth=2&limit=7&offset={offset}")
        conforms(response, NETWORK)
        page = response.json
        assert len(page["edges"]) <= 7
        seen += [(e["from"], e["type"], e["to"], e["source"]) for e in page["edges"]]
        offset = page["next_offset"]
    assert sorted(seen) == sorted((e["from"], e["type"], e["to"], e["source"]) for e in whole["edges"])
    assert len(set(seen)) == len(seen)


def test_a_derived_edge_across_lists_shows_in_the_network(http, conforms) -> None:  # type: ignore[no-untyped-def]
    body = http.get(f"/v1/entities/{TRANSOIL}/network").json
    assert ("opensanctions:c-importer2", "same_address") in {
        (e["from"] if e["to"] == TRANSOIL else e["to"], e["type"]) for e in body["edges"]
    }


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/v1/entities/{ZAKHAROV}/network?depth=9", 400),
        (f"/v1/entities/{ZAKHAROV}/network?limit=0", 400),
        (f"/v1/entities/{ZAKHAROV}/network?offset=-1", 400),
        ("/v1/entities/opensanctions:no-such-entity/network", 404),
        ("/v1/entities/nolist:1/network", 404),
    ],
)
def test_network_bad_requests(http, conforms, path: str, status: int) -> None:  # type: ignore[no-untyped-def]
    response = http.get(path)
    conforms(response, NETWORK)
    assert response.status_code == status


def test_an_entity_with_no_links_is_a_network_of_one(http, conforms) -> None:  # type: ignore[no-untyped-def]
    response = http.get("/v1/entities/us_ofac_sdn:16826/network")  # AVIA GROUP NORD LLC: no address key, no link
    conforms(response, NETWORK)
    assert [n["id"] for n in response.json["nodes"]] == ["us_ofac_sdn:16826"] and response.json["edges"] == []


def test_the_entity_view_shows_derived_links_and_ownership(http, conforms) -> None:  # type: ignore[no-untyped-def]
    response = http.get(f"/v1/entities/{SPS}")
    conforms(response, "/v1/entities/{entity_id}")
    assert response.json["ownership"]["blocked"] and response.json["entity"]["listed"] is False
    assert "derived" not in {r["direction"] for r in response.json["related"]} or all(
        r["source"].startswith("derived") for r in response.json["related"] if r["direction"] == "derived"
    )


def test_screening_in_process_uses_the_same_graph(world: Settings) -> None:
    app = create_app(world)
    screener = app.extensions["screening"].screener
    result = screener.screen(Query(address=AddressQuery(full="18A Petrogradskaya nab., St. Petersburg 197046")))
    assert TRANSOIL in [hit.entity_id for hit in result.hits]
