"""List status: what is loaded, from which file, how old."""

from __future__ import annotations

from flask import Blueprint, jsonify

from service.api.context import services
from service.api.schemas import ListsResponseSchema
from service.status import list_statuses

bp = Blueprint("lists", __name__, url_prefix="/v1")


@bp.get("/lists")
def get_lists():  # type: ignore[no-untyped-def]
    """Every enabled list: version, counts, file date, load time, age and staleness.
    ---
    get:
      tags: [lists]
      summary: List status
      responses:
        200:
          description: One entry per enabled list, then any other list the store holds
          content:
            application/json:
              schema: ListsResponseSchema
        503:
          description: Redis is unreachable
          content:
            application/json:
              schema: ErrorSchema
    """
    svc = services()
    statuses = list_statuses(svc.store, svc.manifests, svc.enabled)
    body = {"lists": [s.as_record() for s in statuses], "links_across_lists": svc.screener.links_across_lists()}
    return jsonify(ListsResponseSchema().dump(body))
