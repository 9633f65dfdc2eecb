"""The Flask app factory: reads configuration once and wires the blueprints to the store."""

from __future__ import annotations

import logging

import redis
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

from service import catalog
from service.api import register_error_handlers
from service.api.context import Services
from service.config import Settings, from_env
from service.redis_client import connect, embedded_url, start_embedded
from service.screening import Screener
from service.store import ListStore


class JSONProvider(DefaultJSONProvider):
    sort_keys = False  # keep fields in schema order: id and names first
    ensure_ascii = False  # names in their own scripts stay readable


def create_app(settings: Settings | None = None, *, redis_client: redis.Redis | None = None) -> Flask:
    settings = settings or from_env()
    app = Flask(__name__)
    app.json = JSONProvider(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

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
    screener = Screener(store, manifests, enabled, background=settings.index_build == "background")
    app.extensions["screening"] = Services(store=store, manifests=manifests, enabled=enabled, screener=screener)
    screener.warm()  # background mode: this worker starts building its indexes now

    from service.api import bulk, entities, health, lists, screen
    from service.api.openapi import spec_yaml

    for blueprint in (health.bp, lists.bp, entities.bp, screen.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(bulk.bp, settings=settings)
    register_error_handlers(app)

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
                  schema: {type: string}
        """
        return Response(spec_yaml(app), mimetype="application/yaml")

    return app
