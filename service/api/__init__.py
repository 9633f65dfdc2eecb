"""The HTTP API: thin blueprints over the domain modules, and one JSON shape for every error."""

from __future__ import annotations

import logging

import redis
from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from service.errors import ScreeningError
from service.redis_client import failure

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str, details: object = None):  # type: ignore[no-untyped-def]
    body = {"error": {"code": code, "message": message, "details": details}}
    return jsonify(body), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ScreeningError)
    def domain_error(exc: ScreeningError):  # type: ignore[no-untyped-def]
        body, status = error_response(exc.status, exc.code, exc.message, exc.details)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:  # 429: when to try again
            body.headers["Retry-After"] = str(retry_after)
        return body, status

    @app.errorhandler(redis.RedisError)
    def redis_error(exc: redis.RedisError):  # type: ignore[no-untyped-def]
        # Never answer from a half-read store: Redis trouble is "unavailable", not "no match".
        log.warning("redis error: %s", exc)
        return domain_error(failure(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        code = (exc.name or "error").lower().replace(" ", "_")
        body, status = error_response(exc.code or 500, code, exc.description or exc.name)
        for name, value in exc.get_headers():  # a 405 names the methods allowed (RFC 9110): Allow
            if name.lower() != "content-type":
                body.headers[name] = value
        return body, status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        return error_response(500, "internal_error", "internal error; it has been logged")
