"""A body left unread is read before the connection closes, so that the client reads the answer.

Most HTTP clients send a whole body before they read the answer. When the service answers
without reading the body (a 413 for a body too large, a 401) and the connection closes with
the body's bytes still arriving, the kernel resets it, and the client, still sending, sees a
broken pipe instead of the answer (about 1 time in 25 for 30 MB to /v1/screen under sync
workers). So once the answer is sent, what is left of the body is read and thrown away: up
to ``DRAIN_BYTES``, for at most ``DRAIN_SECONDS`` (a client that stops sending holds the
thread no longer). A larger body is not drained: the connection closes after the answer.

``Expect: 100-continue`` is honoured: gunicorn is told not to invite a body that will be
refused (``service.gunicorn_conf.pre_request``), so such a client reads the 413 without
sending it; the connection then closes, with nothing to drain.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.wsgi import ClosingIterator

from service.api.security import refuses_body

log = logging.getLogger(__name__)

DRAIN_BYTES = 64 * 1024 * 1024  # a 30 MB body to a 2 MB endpoint is drained in ~0.1 s on loopback
DRAIN_SECONDS = 10.0
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class DrainUnreadBody:
    """WSGI middleware around the Flask app's ``wsgi_app``."""

    def __init__(self, app: Flask, wsgi_app: WsgiApp, *, max_bytes: int = DRAIN_BYTES, seconds: float = DRAIN_SECONDS):
        self.app = app
        self.wsgi_app = wsgi_app
        self.max_bytes = max_bytes
        self.seconds = seconds

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = _declared_length(environ)
        uninvited = environ.get("HTTP_EXPECT", "").lower() == "100-continue" and refuses_body(
            self.app, environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", ""), length
        )
        too_much = length is not None and length > self.max_bytes
        body = self.wsgi_app(environ, start_response)
        if uninvited or too_much:  # gunicorn closes these connections (see pre_request)
            return body
        return ClosingIterator(body, [lambda: self._drain(environ)])

    def _drain(self, environ: dict[str, Any]) -> None:
        """Called when the answer has been sent: read what is left of the body, within bounds."""
        stream = environ.get("wsgi.input")
        sock = environ.get("gunicorn.socket")  # None outside gunicorn: nothing can stall there
        if stream is None:
            return
        deadline = time.monotonic() + self.seconds
        left = self.max_bytes
        previous = sock.gettimeout() if sock is not None else None
        try:
            while left > 0:
                wait = deadline - time.monotonic()
                if wait <= 0:
                    log.info("stopped reading an unread request body after %.0f s", self.seconds)
                    return
                if sock is not None:
                    sock.settimeout(wait)
                chunk = stream.read(min(65536, left))
                if not chunk:
                    return
                left -= len(chunk)
        except (OSError, ValueError) as exc:  # timed out, or the client went: the connection closes
            log.info("stopped reading an unread request body: %s", exc)
        finally:
            if sock is not None:
                try:
                    sock.settimeout(previous)
                except OSError:
                    pass


def _declared_length(environ: dict[str, Any]) -> int | None:
    raw = environ.get("CONTENT_LENGTH") or ""
    return int(raw) if raw.isdigit() else None
