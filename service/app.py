"""The Flask app factory: reads configuration once and wires the blueprints to the store."""

from __future__ import annotations

import redis
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

from service import catalog, database, observability
from service.api import one_trip, register_error_handlers, security
from service.api.context import Services
from service.api.drain import DrainUnreadBody
from service.api.one_trip import OneTrip
from service.archive import AuditArchive
from service.audit import AuditTrail
from service.auth import KeyStore
from service.config import Settings, from_env
from service.monitoring.monitor import Monitor
from service.observability import configure_logging
from service.redis_client import connect, embedded_url, start_embedded
from service.screening import Screener
from service.store import ListStore
from service.ui.sessions import SessionStore


class JSONProvider(DefaultJSONProvider):
    sort_keys = False  # keep fields in schema order: id and names first
    ensure_ascii = False  # names in their own scripts stay readable


def create_app(settings: Settings | None = None, *, redis_client: redis.Redis | None = None) -> Flask:
    settings = settings or from_env()
    app = Flask(__name__)
    app.json = JSONProvider(app)
    configure_logging(settings.log_format)

    if redis_client is None:
        if settings.redis_url:
            redis_client = connect(settings.redis_url)
        else:
            embedded = start_embedded(settings.embedded_redis_path)
            app.logger.info("embedded Redis at %s", embedded_url(embedded))
            redis_client = embedded
    manifests = catalog.load_manifests(settings.manifests_dir)
    enabled = [m.id for m in catalog.enabled(manifests, settings.enabled_lists)]
    store = ListStore(redis_client, grace_seconds=settings.grace_seconds)
    screener = Screener(
        store, manifests, enabled, background=settings.index_build == "background", index_dir=settings.index_dir
    )
    app.extensions["screening"] = Services(store=store, manifests=manifests, enabled=enabled, screener=screener)
    screener.warm()  # opens the machine's index files, or (background mode) starts building them
    keys = KeyStore(redis_client, default_rate_limit=settings.rate_limit_per_minute)
    app.extensions["keys"] = keys
    app.extensions["settings"] = settings
    app.extensions["audit"] = trail = AuditTrail(redis_client, retention_seconds=settings.audit_retention_seconds)
    app.extensions["one_trip"] = OneTrip(redis_client, trail, manifests) if one_trip.usable(redis_client) else None
    app.extensions["ui_sessions"] = SessionStore(redis_client, idle_seconds=settings.ui_idle_seconds)
    # The database is reached only when first needed (the OpenAPI document never needs it).
    db = database.from_settings(settings.database_url, settings.data_dir)
    app.extensions["archive"] = AuditArchive(db)
    app.extensions["monitor"] = Monitor(db, screener, store)
    observability.install(app, store)  # first: request ids and timing for every answer, 401s included
    security.install(app, settings, keys)

    from service import ui
    from service.api import admin, alerts, bulk, entities, health, lists, monitored, screen, screenings, webhooks
    from service.api.openapi import spec_yaml

    blueprints = (
        *(health.bp, lists.bp, entities.bp, screen.bp, screenings.bp),
        *(monitored.bp, alerts.bp, webhooks.bp, admin.bp),
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(bulk.bp, settings=settings)
    app.register_blueprint(ui.bp)  # the analyst console, /ui
    register_error_handlers(app)
    app.wsgi_app = DrainUnreadBody(app, app.wsgi_app)  # type: ignore[method-assign]

    @app.get("/openapi.yaml")
    def openapi():  # type: ignore[no-untyped-def]
        """The OpenAPI document of this service.
        ---
        get:
          tags: [meta]
          summary: OpenAPI document
          security: []
          responses:
            200:
              description: This document, as YAML
              content:
                application/yaml:
                  schema: {type: object, description: An OpenAPI 3.1 document}
        """
        return Response(spec_yaml(app), mimetype="application/yaml")

    return app
