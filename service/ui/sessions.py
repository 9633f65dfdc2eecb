"""Console sessions, kept in Redis: the browser holds only a random session id.

Signing in with an API key makes a session that remembers the key's id (never its secret)
and a CSRF token for the session's forms. Each request renews the session's expiry, so a
session unused for ``idle_seconds`` is gone; signing out deletes it at once. The key itself
is read again on every request (``KeyStore.get``), so a revoked key ends its sessions.

Redis keys (this module owns them)::

    scr:ui:session:<id>   hash  key_id, csrf, created_at   (expires after idle_seconds unused)
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import redis

from service.errors import Unavailable

SESSION = "scr:ui:session:{session_id}"


@dataclass(frozen=True)
class Session:
    id: str
    key_id: str
    csrf: str
    created_at: float


class SessionStore:
    def __init__(self, client: redis.Redis, *, idle_seconds: int) -> None:
        self.redis = client
        self.idle_seconds = idle_seconds

    def create(self, key_id: str) -> Session:
        session = Session(secrets.token_urlsafe(32), key_id, secrets.token_urlsafe(32), time.time())
        name = SESSION.format(session_id=session.id)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(name, mapping={"key_id": key_id, "csrf": session.csrf, "created_at": repr(session.created_at)})
        pipe.expire(name, self.idle_seconds)
        self._run(pipe)
        return session

    def touch(self, session_id: str) -> Session | None:
        """The session, its idle expiry renewed; None when it has expired or never was."""
        if not session_id or len(session_id) > 100:
            return None
        name = SESSION.format(session_id=session_id)
        pipe = self.redis.pipeline(transaction=False)
        pipe.hgetall(name)
        pipe.expire(name, self.idle_seconds)
        record, _ = self._run(pipe)
        if not record:
            return None
        fields = {k.decode(): v.decode() for k, v in record.items()}
        return Session(session_id, fields["key_id"], fields["csrf"], float(fields["created_at"]))

    def delete(self, session_id: str) -> None:
        self.redis.delete(SESSION.format(session_id=session_id))

    @staticmethod
    def _run(pipe: redis.client.Pipeline) -> list[Any]:
        try:
            return pipe.execute()
        except redis.RedisError as exc:
            raise Unavailable(f"Redis is unreachable: {exc}") from exc
