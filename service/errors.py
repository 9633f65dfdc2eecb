"""The service's errors. Each carries the HTTP status it maps to; the API has one handler."""

from __future__ import annotations

from typing import Any


class ScreeningError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadRequest(ScreeningError):
    status = 400
    code = "bad_request"


class NotFound(ScreeningError):
    status = 404
    code = "not_found"


class Unavailable(ScreeningError):
    """The service cannot answer truthfully: Redis is down, or a list is missing or stale."""

    status = 503
    code = "unavailable"


class RedisOutOfMemory(Unavailable):
    """Redis answers but refuses writes: it reached its maxmemory (noeviction). Not an outage
    of the network: an operator must free or add memory, so the answer says which."""

    code = "redis_out_of_memory"


class Refused(ScreeningError):
    """An API key refused. ``key_id`` names the key the token named, when it is one the
    service holds (a wrong secret, a revoked key, a missing scope): the access log shows it."""

    key_id: str | None = None

    def naming(self, key_id: str | None) -> Refused:
        self.key_id = key_id
        return self


class Unauthorized(Refused):
    """No API key, or one that is not valid or was revoked."""

    status = 401
    code = "unauthorized"


class Forbidden(Refused):
    status = 403
    code = "forbidden"


class RateLimited(Refused):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, details={"retry_after_seconds": retry_after})
        self.retry_after = retry_after


class TooLarge(ScreeningError):
    status = 413
    code = "too_large"


class LengthRequired(ScreeningError):
    status = 411
    code = "length_required"


class Conflict(ScreeningError):
    status = 409
    code = "conflict"


class ParseError(ScreeningError):
    """A list file is malformed. Names the file, where in it, and what is wrong."""

    status = 422
    code = "malformed_list"

    def __init__(self, file: str, location: str, problem: str) -> None:
        super().__init__(f"{file}: {location}: {problem}")
        self.file = file
        self.location = location
        self.problem = problem


class LoadError(ScreeningError):
    """A list could not be loaded (no source file, failed download, failed sanity check)."""

    status = 422
    code = "load_failed"


class OlderPublication(LoadError):
    """The files are an older publication than the version served: loading them would take
    the list back in time (``--allow-older`` forces it)."""

    code = "older_publication"


class NetworkUnreachable(LoadError):
    """No download can succeed: the name of the issuer's host does not resolve or the network
    is unreachable. Not retried; the message says how to load lists from a folder instead."""

    code = "network_unreachable"


def failure_message(exc: Exception) -> str:
    """What to tell an operator about a failure: our own message, else the exception."""
    return exc.message if isinstance(exc, ScreeningError) else f"{type(exc).__name__}: {exc}"
