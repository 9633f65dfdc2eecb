"""List status: what is loaded, from which file, how old; and what each new version changed."""

from __future__ import annotations

from flask import Blueprint, jsonify

from service.api.context import services
from service.api.schemas import ChangesQuerySchema, ChangesResponseSchema, ListsResponseSchema
from service.api.validation import load_args
from service.errors import NotFound
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


CHANGES_QUERY = ChangesQuerySchema()


@bp.get("/lists/<list_id>/changes")
def get_changes(list_id: str):  # type: ignore[no-untyped-def]
    """What each new version of a list changed: entities added, removed and changed.
    ---
    get:
      tags: [lists]
      summary: List changes
      description: >-
        One record per version loaded over an earlier one, newest first, for the last 30
        versions: the counts of entities added, removed and changed (same id, different
        record), and at most 500 ids of each kind with the entity's name. A list loaded once
        has no changes yet.
      parameters:
        - in: path
          name: list_id
          required: true
          schema: {type: string}
          example: us_ofac_sdn
        - in: query
          schema: ChangesQuerySchema
      responses:
        200:
          description: The list's recent changes
          content:
            application/json:
              schema: ChangesResponseSchema
        400:
          description: A bad limit
          content:
            application/json:
              schema: ErrorSchema
        404:
          description: No such list, or `since` is not a version whose later changes are kept
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: Redis is unreachable
          content:
            application/json:
              schema: ErrorSchema
    """
    args = load_args(CHANGES_QUERY)
    svc = services()
    if list_id not in svc.manifests:
        raise NotFound(f"no list {list_id!r}; known: {', '.join(sorted(svc.manifests))}")
    changes = svc.store.changes(list_id)
    served = svc.store.current().get(list_id)
    since = args.get("since")
    if since is not None:
        versions = [c["version"] for c in changes]
        if since in versions:
            changes = changes[: versions.index(since)]
        elif since == served:
            changes = []
        elif not (changes and since == changes[-1]["previous_version"]):
            raise NotFound(f"changes of {list_id} since version {since} are not kept (the last 30 versions are)")
    body = {"list_id": list_id, "version": served, "changes": changes[: args["limit"]]}
    return jsonify(ChangesResponseSchema().dump(body))
