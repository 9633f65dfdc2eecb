"""API keys with scopes, kept hashed in Redis, and the per-key rate limit.

A key reads ``ssk_<id>_<secret>``: the id names the key in logs, the audit trail and the
CLI; the secret is 32 random bytes shown once, at creation, and stored only as its SHA-256
(a random secret of that length needs no slow hash: nobody can guess one from its digest).
A key has scopes: ``screen`` (screening and reading lists and entities), ``bulk`` (bulk CSV
and jobs) and ``admin`` (list reloads, key management), which includes the other two.

Checking a key and counting it against its rate limit is one Redis round trip: the key's
record and a fixed one-minute window counter, read and incremented in one pipeline.

Redis keys (this module owns them)::

    scr:auth:key:<id>            hash  name, scopes, hash, created_at, revoked_at, rate_limit
    scr:auth:keys                set   every key id
    scr:auth:rate:<id>:<minute>  string  requests of that key in that minute (expires)
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import redis

from service.errors import Forbidden, RateLimited, Unauthorized
from service.redis_client import failure
from service.timestamps import rfc3339, rfc3339_or_none

# monitor: the monitored book; alerts: alerts and decisions on them; webhooks: subscriptions.
SCOPES = ("screen", "bulk", "monitor", "alerts", "webhooks", "admin")
PREFIX = "ssk"
KEY = "scr:auth:key:{key_id}"
KEYS = "scr:auth:keys"
RATE = "scr:auth:rate:{key_id}:{minute}"
_TOKEN = re.compile(r"^ssk_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    scopes: tuple[str, ...]
    created_at: float
    revoked_at: float | None
    rate_limit: int  # requests per minute

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "scopes": list(self.scopes),
            "created_at": rfc3339(self.created_at),
            "revoked_at": rfc3339_or_none(self.revoked_at),
            "rate_limit_per_minute": self.rate_limit,
        }


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a key, or None. A key's name is printed one per line in logs
    and ``keys list``: a newline or a control (a bidi override, an escape) would forge lines."""
    if not name.strip():
        return "must not be blank"
    for ch in name:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            shown = f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip()
            return f"must not hold control or invisible characters ({shown})"
    return None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_digest(token: str | None) -> tuple[str, str] | None:
    """(key id, SHA-256 of the secret) of a well-formed token, else None."""
    match = _TOKEN.match(token.strip()) if token else None
    return (match[1], _digest(match[2])) if match else None


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _key(key_id: str, record: Mapping[Any, Any]) -> ApiKey:
    fields = {_text(k): _text(v) for k, v in record.items()}
    revoked = fields.get("revoked_at")
    return ApiKey(
        id=key_id,
        name=fields.get("name", ""),
        scopes=tuple(s for s in fields.get("scopes", "").split(",") if s),
        created_at=float(fields.get("created_at", 0)),
        revoked_at=float(revoked) if revoked else None,
        rate_limit=int(fields.get("rate_limit", 0)),
    )


class KeyStore:
    def __init__(self, client: redis.Redis, *, default_rate_limit: int) -> None:
        self.redis = client
        self.default_rate_limit = default_rate_limit

    def create(self, name: str, scopes: Iterable[str], rate_limit: int | None = None) -> tuple[ApiKey, str]:
        """A new key, and its token: the only time the secret is seen."""
        if (problem := name_problem(name)) is not None:
            raise ValueError(f"name {problem}")
        scopes = tuple(dict.fromkeys(scopes))
        unknown = [s for s in scopes if s not in SCOPES]
        if not scopes or unknown:
            given = f", not {', '.join(unknown)}" if unknown else ""
            raise ValueError(f"scopes must be among {', '.join(SCOPES)}{given}")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        limit = self.default_rate_limit if rate_limit is None else rate_limit
        now = time.time()
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(
            KEY.format(key_id=key_id),
            mapping={
                "name": name,
                "scopes": ",".join(scopes),
                "hash": _digest(secret),
                "created_at": repr(now),
                "rate_limit": limit,
            },
        )
        pipe.sadd(KEYS, key_id)
        pipe.execute()
        return ApiKey(key_id, name, scopes, now, None, limit), f"{PREFIX}_{key_id}_{secret}"

    def list(self) -> list[ApiKey]:
        ids = sorted(_text(i) for i in self.redis.smembers(KEYS))
        pipe = self.redis.pipeline(transaction=False)
        for key_id in ids:
            pipe.hgetall(KEY.format(key_id=key_id))
        return [_key(key_id, record) for key_id, record in zip(ids, pipe.execute()) if record]

    def get(self, key_id: str) -> ApiKey | None:
        """The key by its id (a console session holds only the id), revoked or not."""
        try:
            record = self.redis.hgetall(KEY.format(key_id=key_id))
        except redis.RedisError as exc:
            raise failure(exc) from exc
        return _key(key_id, record) if record else None

    def revoke(self, key_id: str) -> ApiKey | None:
        name = KEY.format(key_id=key_id)
        if not self.redis.exists(name):
            return None
        self.redis.hsetnx(name, "revoked_at", repr(time.time()))
        return _key(key_id, self.redis.hgetall(name))

    def authenticate(
        self, token: str | None, scope: str | None, also: Callable[[Any], None] | None = None
    ) -> tuple[ApiKey, builtins.list[Any]]:
        """The key presenting ``token``, allowed ``scope`` and within its rate limit; else
        Unauthorized, Forbidden or RateLimited (``scope`` None: any scope, as when signing in
        to the console). One round trip, which also carries the
        commands ``also`` adds to the pipeline (their replies come back second)."""
        if not token:
            raise Unauthorized("an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")
        match = _TOKEN.match(token.strip())
        if match is None:
            raise Unauthorized("the API key is not valid")
        key_id, secret = match.groups()
        now = time.time()
        minute = int(now // 60)
        rate = RATE.format(key_id=key_id, minute=minute)
        pipe = self.redis.pipeline(transaction=False)
        pipe.hgetall(KEY.format(key_id=key_id))
        pipe.incr(rate)
        pipe.expire(rate, 120)
        if also is not None:
            also(pipe)
        try:
            record, count, _, *more = pipe.execute()
        except redis.RedisError as exc:
            raise failure(exc) from exc
        return self.verdict(key_id, _digest(secret), record, count, scope, now), more

    @staticmethod
    def verdict(
        key_id: str, digest: str, record: Mapping[Any, Any], count: int, scope: str | None, now: float
    ) -> ApiKey:
        """The key, from its ``record`` and this minute's request ``count`` as read from Redis,
        if the secret's ``digest`` is its own, it is not revoked, allows ``scope`` and is within
        its rate limit; else the refusal. (service.api.one_trip's script checks the same in Redis.)"""
        if not record:
            raise Unauthorized("the API key is not valid")
        if not hmac.compare_digest(_text(record.get(b"hash", record.get("hash", b""))), digest):
            raise Unauthorized("the API key is not valid").naming(key_id)
        key = _key(key_id, record)
        if key.revoked_at is not None:
            raise Unauthorized(f"the API key {key_id} was revoked").naming(key_id)
        if scope is not None and not key.allows(scope):
            raise Forbidden(
                f"the API key {key_id} has scopes {', '.join(key.scopes)}; this endpoint needs '{scope}'",
                details={"needed_scope": scope, "key_scopes": list(key.scopes)},
            ).naming(key_id)
        if key.rate_limit and count > key.rate_limit:
            retry = 60 - int(now % 60)
            raise RateLimited(
                f"rate limit of {key.rate_limit} requests a minute exceeded for API key {key_id}; retry in {retry}s",
                retry,
            ).naming(key_id)
        return key
