"""One listed entity, with the entities it links to and from, one hop out."""

from __future__ import annotations

from flask import Blueprint, jsonify

from service.api.context import services
from service.errors import NotFound, Unavailable
from service.model import INVERSE_LINK, LinkType

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
    ids = [link["target"] for link in outgoing if link.get("target")] + [link["source"] for link in incoming]
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
    return jsonify({"entity": entity, "list_version": version, "related": related})
