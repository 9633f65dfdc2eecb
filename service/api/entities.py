"""One listed entity, with the entities it links to and from, one hop out; and its network,
as far out as asked."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from service.api.context import services
from service.api.schemas import NetworkQuerySchema
from service.api.validation import load_args
from service.errors import NotFound, Unavailable
from service.model import INVERSE_LINK, LinkType
from service.network.graph import GraphLink, Network, Node

bp = Blueprint("entities", __name__, url_prefix="/v1")


@bp.get("/entities/<path:entity_id>")
def get_entity(entity_id: str):  # type: ignore[no-untyped-def]
    """An entity as listed, with its links resolved to names.
    ---
    get:
      tags: [entities]
      summary: Entity by id
      parameters:
        - in: path
          name: entity_id
          required: true
          schema: {type: string}
          description: Stable id, "<list id>:<the list's own id>"
          example: "us_ofac_sdn:10278"
      responses:
        200:
          description: The entity, the list version it was read from, and its related entities
          content:
            application/json:
              schema: EntityResponseSchema
        404:
          description: No such list or entity
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: The entity's list is not loaded, or Redis is unreachable
          content:
            application/json:
              schema: ErrorSchema
    """
    return jsonify(entity_detail(entity_id))


def entity_detail(entity_id: str) -> dict[str, Any]:
    """The entity, its list version, related entities and ownership (the API and the console)."""
    svc = services()
    list_id, sep, _ = entity_id.partition(":")
    if not sep or list_id not in svc.manifests:
        raise NotFound(f"no list {list_id!r}: entity ids look like 'us_ofac_sdn:10278'")
    version = svc.store.current().get(list_id)
    if version is None:
        raise Unavailable(f"list {list_id} is not loaded")
    (entity,) = svc.store.entities(list_id, version, [entity_id])
    if entity is None:
        if svc.store.version(list_id, version) is None:
            raise Unavailable(f"list {list_id} version {version} is missing from Redis")
        raise NotFound(f"no entity {entity_id} in {list_id} version {version}")

    outgoing = entity.get("links", [])
    incoming = svc.store.links_in(list_id, version, entity_id)
    network = svc.store.network(list_id, version, [entity_id]).get(entity_id, {})
    derived = network.get("derived", [])
    ids = [link["target"] for link in outgoing if link.get("target")] + [link["source"] for link in incoming]
    ids += [link["target"] for link in derived]
    found = dict(zip(ids, svc.store.entities(list_id, version, ids)))

    def name_kind(other_id: str | None) -> tuple[str | None, str | None]:
        other = found.get(other_id) if other_id else None
        if other is None:
            return None, None
        names = other["names"]
        primary = next((n["full"] for n in names if n["type"] == "primary"), names[0]["full"])
        return primary, other["kind"]

    related = []
    for link in outgoing:
        name, kind = name_kind(link.get("target"))
        related.append(
            {
                "direction": "out",
                "type": link["type"],
                "entity_id": link.get("target"),
                "name": name or link.get("target_name"),
                "kind": kind,
                **{k: link[k] for k in ("share", "label", "source") if k in link},
            }
        )
    for link in incoming:
        name, kind = name_kind(link["source"])
        related.append(
            {
                "direction": "in",
                "type": INVERSE_LINK[LinkType(link["type"])],
                "entity_id": link["source"],
                "name": name,
                "kind": kind,
                **{k: link[k] for k in ("share", "label") if k in link},
            }
        )
    for link in derived:
        name, kind = name_kind(link["target"])
        related.append(
            {"direction": "derived", "type": link["type"], "entity_id": link["target"], "name": name, "kind": kind}
            | {"source": link["source"]}
        )
    return {"entity": entity, "list_version": version, "related": related, "ownership": network.get("ownership")}


NETWORK_QUERY = NetworkQuerySchema()
MAX_NODES = 500  # entities in one network answer, at most, whatever the depth


@bp.get("/entities/<path:entity_id>/network")
def get_network(entity_id: str):  # type: ignore[no-untyped-def]
    """The entities linked to one, as far out as asked: nodes and edges with types and sources.
    ---
    get:
      tags: [entities]
      summary: Entity network
      description: >-
        Breadth first from the entity, over the links the lists give (ownership, directorship,
        family, association) and the derived ones (same address, same identifier, across every
        list served), at most 500 entities. Edges come nearest first, a page at a time; the
        nodes of a page are the entity and the ends of its edges.
      parameters:
        - in: path
          name: entity_id
          required: true
          schema: {type: string}
          example: "opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw"
        - in: query
          schema: NetworkQuerySchema
      responses:
        200:
          description: One page of the network
          content:
            application/json:
              schema: NetworkResponseSchema
        400:
          description: A bad depth, limit or offset
          content:
            application/json:
              schema: ErrorSchema
        404:
          description: No such list or entity
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: A list served is not loaded or is stale, this worker is still building its graph, or
            Redis is unreachable
          content:
            application/json:
              schema: ErrorSchema
    """
    return jsonify(network_page(entity_id, load_args(NETWORK_QUERY)))


def network_page(entity_id: str, args: dict[str, Any]) -> dict[str, Any]:
    """One page (``depth``, ``limit``, ``offset``) of the entity's network (the API and the console)."""
    svc = services()
    list_id, sep, _ = entity_id.partition(":")
    if not sep or list_id not in svc.manifests:
        raise NotFound(f"no list {list_id!r}: entity ids look like 'us_ofac_sdn:10278'")
    if list_id not in svc.enabled:
        raise NotFound(f"list {list_id} is not one this service screens against")
    network = svc.screener.network()
    root = network.find(entity_id)
    if root is None:  # not an entity, or one with no link at all
        version = network.lists[list_id][0].version
        (entity,) = svc.store.entities(list_id, version, [entity_id])
        if entity is None:
            raise NotFound(f"no entity {entity_id} in {list_id} version {version}")
        return _page(entity_id, args, [_lone_node(entity)], [], False)
    distance, links, truncated = network.neighbourhood(root, args["depth"], MAX_NODES)
    links.sort(key=lambda link: (max(distance[link.holder], distance[link.target]), network.entity(link.holder).id))
    start, stop = args["offset"], args["offset"] + args["limit"]
    shown = links[start:stop]
    on_page = {root} | {link.holder for link in shown} | {link.target for link in shown}
    nodes = [_node(network, node, distance[node]) for node in sorted(on_page, key=lambda n: (distance[n], n))]
    edges = [_edge(network, link) for link in shown]
    body = _page(entity_id, args, nodes, edges, truncated)
    body.update(total_nodes=len(distance), total_edges=len(links))
    body["next_offset"] = stop if stop < len(links) else None
    return body


def _page(
    entity_id: str, args: dict[str, Any], nodes: list[dict[str, Any]], edges: list[dict[str, Any]], truncated: bool
) -> dict[str, Any]:
    return {
        "entity_id": entity_id,
        "depth": args["depth"],
        "offset": args["offset"],
        "limit": args["limit"],
        "total_nodes": len(nodes),
        "total_edges": len(edges),
        "next_offset": None,
        "truncated": truncated,
        "nodes": nodes,
        "edges": edges,
    }


def _node(network: Network, node: Node, distance: int) -> dict[str, Any]:
    entity = network.entity(node)
    out: dict[str, Any] = {
        "id": entity.id,
        "name": entity.name,
        "list_id": node[0],
        "kind": entity.kind,
        "listed": entity.listed,
        "programs": list(entity.programs),
        "distance": distance,
    }
    ownership = network.ownership(node)
    if ownership is not None:
        out["ownership"] = {"share": ownership.share, "blocked": ownership.blocked, "controlled": ownership.controlled}
    return out


def _lone_node(entity: dict[str, Any]) -> dict[str, Any]:
    names = entity["names"]
    return {
        "id": entity["id"],
        "name": next((n["full"] for n in names if n.get("type", "primary") == "primary"), names[0]["full"]),
        "list_id": entity["list_id"],
        "kind": entity["kind"],
        "listed": entity.get("listed", True),
        "programs": entity.get("programs", []),
        "distance": 0,
    }


def _edge(network: Network, link: GraphLink) -> dict[str, Any]:
    return {
        "from": network.entity(link.holder).id,
        "to": network.entity(link.target).id,
        "type": link.relation,
        "share": link.share,
        "label": link.label,
        "source": link.source,
    }
