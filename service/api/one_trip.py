"""A screening in one Redis round trip: the API key's check, the lists' check and the audit record.

A screening needs three things of Redis: the key (valid, not revoked, allowed, within its
rate limit), the lists (the versions screened still current, confirmed recently enough,
intact) and its record in the audit stream, written before it is answered. Asked in that
order they take two round trips, the key and lists before screening and the record after;
each wakes Redis and then this worker, which on a busy machine cost more than everything
else a request does besides matching (bench/hot_path.py).

So once a key has passed in this worker (``remember``), its next screenings are made first,
on the list versions this worker last read (``last_serving``), and then one Lua script
checks the key and the lists and appends the records only if every check passes, returning
what it read either way. The worker judges those replies with the usual code
(``KeyStore.verdict``, ``Screener.indexes``): a refusal is answered as ever, and nothing was
recorded; lists that moved on (a new version, a load's check) are screened again on what was
read and recorded in a round trip of their own. Nothing is answered unrecorded and nothing
refused is recorded. A key not seen pass in this worker takes the two round trips, so that no
one has a screening made without a valid key; so does a Redis Cluster (the script's keys lie
in several slots).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import redis

from service.audit import STREAM, AuditTrail, record_of
from service.auth import KEY, RATE, ApiKey, KeyStore
from service.matching.types import Query, ScreenResult
from service.redis_client import failure
from service.store import CHECKED, CURRENT, ListStore, Serving, version_key

# KEYS: the key's record, its rate counter, current versions, check times, the audit stream,
# then each list version's meta. ARGV: the secret's digest, the scope needed, the stream's
# oldest id kept, then per list its id, its version and the oldest check time allowed, then
# the records. Mirrors KeyStore.verdict and Screener.indexes: what they refuse, it does not record.
SCRIPT = """
local key = redis.call('HGETALL', KEYS[1])
local count = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], 120)
local current = redis.call('HGETALL', KEYS[3])
local checked = redis.call('HGETALL', KEYS[4])
local statuses = {}
for i = 6, #KEYS do statuses[i - 5] = redis.call('HGET', KEYS[i], 'status') end
local read = {key, count, current, checked, statuses}
local f = {}
for i = 1, #key, 2 do f[key[i]] = key[i + 1] end
local scopes = ',' .. (f['scopes'] or '') .. ','
local limit = tonumber(f['rate_limit'] or '0') or 0
if f['hash'] ~= ARGV[1] or (f['revoked_at'] or '') ~= ''
    or not (scopes:find(',' .. ARGV[2] .. ',', 1, true) or scopes:find(',admin,', 1, true))
    or (limit > 0 and count > limit) then
  return read
end
local cur, chk = {}, {}
for i = 1, #current, 2 do cur[current[i]] = current[i + 1] end
for i = 1, #checked, 2 do chk[checked[i]] = checked[i + 1] end
local lists = (#KEYS - 5)
for i = 1, lists do
  local id, version, oldest = ARGV[3 + 3 * i - 2], ARGV[3 + 3 * i - 1], ARGV[3 + 3 * i]
  if cur[id] ~= version or statuses[i] ~= 'ready' or (tonumber(chk[id] or '0') or 0) < tonumber(oldest) then
    return read
  end
end
local ids = {}
for i = 4 + 3 * lists, #ARGV do
  ids[#ids + 1] = redis.call('XADD', KEYS[5], 'MINID', ARGV[3], '*', 'record', ARGV[i])
end
read[6] = ids
return read
"""

KNOWN_KEYS = 10_000  # keys remembered per worker (forgotten all at once past it)
_known: dict[str, tuple[str, ApiKey]] = {}  # key id → (digest of the secret that passed, the key)
_last_serving: list[Serving] = []  # the last state of the lists this worker read


def usable(client: redis.Redis) -> bool:
    """A script's keys must share a slot on a Redis Cluster: there, two round trips."""
    return isinstance(client, redis.Redis)


def remember(key_id: str, digest: str, key: ApiKey) -> None:
    if len(_known) >= KNOWN_KEYS:
        _known.clear()
    _known[key_id] = (digest, key)


def known(key_id: str, digest: str) -> ApiKey | None:
    """The key, if this secret of it passed in this worker before (checked again in Redis)."""
    found = _known.get(key_id)
    return found[1] if found is not None and found[0] == digest else None


def forget(key_id: str) -> None:
    _known.pop(key_id, None)


def read(serving: Serving) -> Serving:
    """Note the lists' state just read (the next screening assumes it); returns it."""
    _last_serving[:] = [serving]
    return serving


def last_serving() -> Serving | None:
    return _last_serving[0] if _last_serving else None


class OneTrip:
    def __init__(self, client: redis.Redis, trail: AuditTrail, manifests: dict[str, Any]) -> None:
        self.script = client.register_script(SCRIPT)
        self.trail = trail
        self.manifests = manifests

    def record(
        self,
        key_id: str,
        digest: str,
        scope: str,
        queries: Sequence[Query],
        results: Sequence[ScreenResult],
        context: dict[str, Any],
        cleaned: Sequence[Sequence[dict[str, Any]]],
    ) -> tuple[ApiKey, Serving, list[str] | None]:
        """Check the key and the lists the results were made on, and record them if both
        pass: the key (or its refusal, raised), the lists' state as read, and the records'
        ids (None: the lists moved on, nothing recorded)."""
        lists: dict[str, str] = {}
        for result in results:
            lists.update(result.lists)
        now = time.time()
        keys = [KEY.format(key_id=key_id), RATE.format(key_id=key_id, minute=int(now // 60)), CURRENT, CHECKED]
        keys += [STREAM, *(version_key(list_id, version, "meta") for list_id, version in lists.items())]
        args: list[Any] = [digest, scope, self.trail.oldest_id()]
        for list_id, version in lists.items():
            args += [list_id, version, repr(now - self.manifests[list_id].max_age.total_seconds())]
        args += [
            self.trail.body(record_of(q, r, context, n)) for q, r, n in zip(queries, results, cleaned, strict=True)
        ]
        try:
            replies = self.script(keys=keys, args=args)
        except redis.RedisError as exc:
            raise failure(exc, "cannot record the screening in the audit trail") from exc
        record, count, current, checked, statuses, *ids = replies
        serving = read(ListStore.read_serving(lists, [_pairs(current), _pairs(checked), *statuses]))
        try:
            key = KeyStore.verdict(key_id, digest, _pairs(record), count, scope, now)
        except Exception:
            forget(key_id)
            raise
        return key, serving, [_text(i) for i in ids[0]] if ids else None


def _pairs(flat: list[Any]) -> dict[Any, Any]:
    return dict(zip(flat[::2], flat[1::2]))


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
