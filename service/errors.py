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


def failure_message(exc: Exception) -> str:
    """What to tell an operator about a failure: our own message, else the exception."""
    return exc.message if isinstance(exc, ScreeningError) else f"{type(exc).__name__}: {exc}"
