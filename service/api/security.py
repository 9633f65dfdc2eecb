"""Who may call what, and how much: API keys and scopes, body size limits, per-key rate limits.

The access policy in one table: every ``/v1`` endpoint needs a key with the scope its
blueprint (or the endpoint itself) is given here; an endpoint missing from the table needs
``admin``, so a new endpoint is closed until someone opens it. The console's pages (``/ui``)
take their scope from the same table, for the key of the session (``service.ui``). Health, metrics and the
OpenAPI document are outside ``/v1`` and open.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from service.api import one_trip
from service.api.context import services
from service.auth import KeyStore, token_digest
from service.config import Settings
from service.errors import Refused
from service.store import ListStore

log = logging.getLogger(__name__)

SCOPE_OF_BLUEPRINT = {
    "lists": "screen",
    "entities": "screen",
    "screen": "screen",
    "screenings": "screen",
    "bulk": "bulk",
    "monitored": "monitor",
    "alerts": "alerts",
    "webhooks": "webhooks",
    "admin": "admin",
}
SCOPE_OF_ENDPOINT = {
    "lists.reload_list": "admin",
    # The console (service/ui), page by page: a page missing here needs admin, as for /v1.
    "ui.screen": "screen",
    "ui.entity": "screen",
    "ui.lists": "screen",
    "ui.list_changes": "screen",
    "ui.audit": "screen",
    "ui.bulk": "bulk",
    "ui.job": "bulk",
    "ui.job_progress": "bulk",
    "ui.job_results": "bulk",
    "ui.alerts": "alerts",
    "ui.alert": "alerts",
    "ui.decide_alert": "alerts",
    "ui.keys": "admin",
    "ui.revoke_key": "admin",
}
# Console pages anyone may open: signing in and out, and the console's own scripts and styles.
OPEN_UI = frozenset({"ui.signin", "ui.signout", "ui.static"})
# … and any signed-in key: the console's front door, which sends each key to a page it may use.
ANY_KEY_UI = frozenset({"ui.home"})
# The console's pages run only the scripts and styles it ships (no inline script or style,
# no third-party origin): a name from a list that smuggles markup cannot run anything.
CONSOLE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
AUTH_OFF_WARNING = (
    "AUTHENTICATION IS OFF (SCREENING_AUTH=off): every /v1 endpoint answers anyone. For local development only."
)


def scope_of(endpoint: str | None) -> str:
    if endpoint is None:
        return "admin"
    if endpoint in SCOPE_OF_ENDPOINT:
        return SCOPE_OF_ENDPOINT[endpoint]
    return SCOPE_OF_BLUEPRINT.get(endpoint.partition(".")[0], "admin")


def presented_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return request.headers.get("X-API-Key") or None


def upload_limit(endpoint: str | None, settings: Settings) -> int:
    """The largest body this endpoint takes: bulk uploads have their own limits."""
    if endpoint == "bulk.create_job":
        return settings.job_max_bytes
    if endpoint == "bulk.screen_csv":
        return settings.bulk_inline_max_bytes
    return settings.max_body_bytes


def body_limit(endpoint: str | None, settings: Settings) -> int | None:
    """The limit werkzeug enforces while this endpoint reads its body."""
    if endpoint == "bulk.screen_csv":
        return None  # the endpoint refuses what it cannot screen in time, with its own message
    return upload_limit(endpoint, settings)


def refuses_body(app: Flask, method: str, path: str, length: int | None) -> bool:
    """Whether the endpoint at ``path`` answers a body of ``length`` bytes with a 413 unread."""
    if length is None:
        return False
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method)
    except HTTPException:
        return False  # a 404 or 405: answered without reading the body either, but not ours to judge
    return length > upload_limit(str(endpoint), app.extensions["settings"])


# Screening endpoints: the key check's round trip also reads what the screener reads first.
PREFETCH_SERVING = frozenset({"screen.screen", "screen.screen_batch"})


def install(app: Flask, settings: Settings, keys: KeyStore) -> None:
    if settings.auth == "off":
        for _ in range(3):
            log.warning(AUTH_OFF_WARNING)

    @app.before_request
    def guard() -> None:
        request.max_content_length = body_limit(request.endpoint, settings)
        g.api_key = None
        g.serving = None
        if not request.path.startswith("/v1/") or request.endpoint is None:
            return  # open endpoints, and 404s (which say nothing)
        if settings.auth == "off":
            return
        scope = scope_of(request.endpoint)
        token = presented_token()
        try:
            if request.endpoint not in PREFETCH_SERVING:
                g.api_key, _ = keys.authenticate(token, scope)
                return
            parts = token_digest(token)
            if parts is not None and app.extensions.get("one_trip") is not None:
                key, serving = one_trip.known(*parts), one_trip.last_serving()
                if key is not None and serving is not None:
                    # Checked in Redis with the record, in one round trip (service.api.one_trip).
                    g.api_key, g.serving, g.unconfirmed = key, serving, (*parts, scope)
                    return
            held = services().screener.held()
            g.api_key, replies = keys.authenticate(token, scope, lambda pipe: ListStore.queue_serving(pipe, held))
        except Refused as exc:
            g.refused_key_id = exc.key_id  # the access line of a 401/403/429 names the key
            raise
        g.serving = one_trip.read(ListStore.read_serving(held, replies))
        if parts is not None:
            one_trip.remember(*parts, g.api_key)

    @app.after_request
    def console_headers(response: Response) -> Response:
        if request.path.startswith("/ui/") or request.path == "/ui":
            response.headers.update(CONSOLE_HEADERS)
            if request.endpoint != "ui.static":
                response.headers["Cache-Control"] = "no-store"  # pages show screening results
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge):  # type: ignore[no-untyped-def]
        from service.api import error_response

        limit = request.max_content_length
        return error_response(
            413,
            "payload_too_large",
            f"the request body is larger than this endpoint takes ({limit:,} bytes)" if limit else "too large",
            {"max_bytes": limit},
        )


@contextmanager
def key_checked_first() -> Iterator[None]:
    """A request whose key is checked with its record (service.api.one_trip) that fails
    before it is recorded (a 400, a 503) has its key checked first: a refusal is answered
    before anything else, as when the key is checked up front."""
    try:
        yield
    except Exception:
        pending = g.pop("unconfirmed", None)
        if pending is not None:
            try:
                g.api_key, _ = current_app.extensions["keys"].authenticate(presented_token(), pending[2])
            except Refused as exc:
                one_trip.forget(pending[0])
                g.refused_key_id = exc.key_id
                raise
        raise


def key_id() -> str | None:
    """The id of the key that made this request, or None (auth off, or an open endpoint)."""
    key = getattr(g, "api_key", None)
    return key.id if key is not None else None
