"""Administration over HTTP (scope ``admin``): reload a list now, manage API keys."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from service.api.context import services
from service.api.schemas import KeyCreateSchema
from service.api.validation import invalid, load
from service.auth import KeyStore
from service.config import Settings
from service.errors import LoadError, NotFound
from service.refresh import refresh

bp = Blueprint("admin", __name__, url_prefix="/v1")
KEY_CREATE = KeyCreateSchema()


def _keys() -> KeyStore:
    return current_app.extensions["keys"]


@bp.post("/lists/<list_id>/reload")
def reload_list(list_id: str):  # type: ignore[no-untyped-def]
    """Load the newest source of one list now (from SCREENING_LISTS_DIR or its official URLs).
    ---
    post:
      tags: [admin]
      summary: Reload a list
      description: >-
        Runs what `screening lists update --list <id>` runs, in this request: the newest source is
        found or downloaded, checked and loaded as a new version, switched in atomically. A failure
        leaves the version being served untouched, and is reported here and in /v1/lists.
      parameters:
        - {in: path, name: list_id, required: true, schema: {type: string}, example: us_ofac_sdn}
      responses:
        200:
          description: The outcome; status is loaded or unchanged
          content:
            application/json:
              schema: ReloadResponseSchema
        422:
          description: >-
            The source could not be fetched or loaded (code load_failed); the version served
            before stays. details holds list_id, status failed, version (the one still served,
            or null), error, seconds
          content:
            application/json:
              schema: ErrorSchema
        404:
          description: No such list
          content:
            application/json:
              schema: ErrorSchema
    """
    svc = services()
    settings: Settings = current_app.extensions["settings"]
    if list_id not in svc.manifests:
        raise NotFound(f"no list {list_id!r}; lists: {', '.join(sorted(svc.manifests))}")
    (outcome,) = refresh(
        svc.store,
        [svc.manifests[list_id]],
        lists_dir=settings.lists_dir,
        downloads_dir=settings.downloads_dir,
        timeout=settings.download_timeout,
        retries=settings.download_retries,
    )
    body = {"list_id": list_id, "status": outcome.status, "version": None, "error": outcome.error,
            "seconds": round(outcome.seconds, 3)}  # fmt: skip
    if outcome.status == "failed":
        # Not a 200: a client (or a script with curl -f) must not take a failed load for news.
        served = body["version"] = svc.store.current().get(list_id)
        still = f"version {served} is still served" if served else "no version of it is served"
        raise LoadError(f"reloading {list_id} failed: {outcome.error}; {still}", details=body)
    body["version"] = outcome.result.version.version if outcome.result else None
    return jsonify(body)


@bp.get("/keys")
def list_keys():  # type: ignore[no-untyped-def]
    """Every API key: id, name, scopes, created, revoked, rate limit. Never a secret.
    ---
    get:
      tags: [admin]
      summary: API keys
      responses:
        200:
          description: The keys
          content:
            application/json:
              schema: KeysResponseSchema
    """
    return jsonify({"keys": [key.as_dict() for key in _keys().list()]})


@bp.post("/keys")
def create_key():  # type: ignore[no-untyped-def]
    """Create an API key; its token is in this answer and nowhere else, ever.
    ---
    post:
      tags: [admin]
      summary: Create an API key
      requestBody:
        required: true
        content:
          application/json:
            schema: KeyCreateSchema
            example: {name: payments-screening, scopes: [screen]}
      responses:
        201:
          description: The key, and its token (shown once)
          content:
            application/json:
              schema: KeyCreatedSchema
        400:
          description: A bad name, scope or rate limit
          content:
            application/json:
              schema: ErrorSchema
    """
    data = load(KEY_CREATE)
    try:
        key, token = _keys().create(data["name"], data["scopes"], data.get("rate_limit_per_minute"))
    except ValueError as exc:
        raise invalid({"scopes": [str(exc)]}) from exc
    return jsonify({"key": key.as_dict(), "token": token}), 201


@bp.delete("/keys/<key_id>")
def revoke_key(key_id: str):  # type: ignore[no-untyped-def]
    """Revoke an API key: every later request with it is refused.
    ---
    delete:
      tags: [admin]
      summary: Revoke an API key
      parameters:
        - {in: path, name: key_id, required: true, schema: {type: string}}
      responses:
        200:
          description: The key, revoked
          content:
            application/json:
              schema: KeySchema
        404:
          description: No such key
          content:
            application/json:
              schema: ErrorSchema
    """
    key = _keys().revoke(key_id)
    if key is None:
        raise NotFound(f"no API key {key_id}")
    return jsonify(key.as_dict())

