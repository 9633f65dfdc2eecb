"""The small readings every list parser makes of its values: whitespace, repeats and dates.

One copy, so that the parsers agree on what "the same name" and "a date" are.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from typing import TypeVar

__all__ = ["MONTHS", "day_first", "iso_date", "month_first", "uniq", "uniq_by", "words"]

_H = TypeVar("_H", bound=Hashable)
_T = TypeVar("_T")

# The lists spell months in English, in full or cut short ("Feb", "February", "Sept."):
# the first three letters, lowercased, name the month.
MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}

_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def words(text: str | None) -> str | None:
    """The text with runs of whitespace made single spaces; None when nothing is left."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def uniq(items: Iterable[_H | None]) -> list[_H]:
    """The items without None and repeats, in first-seen order."""
    return [item for item in dict.fromkeys(items) if item is not None]


def uniq_by(items: Iterable[_T], key: Callable[[_T], Hashable]) -> list[_T]:
    """The items without those whose ``key`` an earlier item already had, in first-seen order."""
    seen: set[Hashable] = set()
    out: list[_T] = []
    for item in items:
        mark = key(item)
        if mark not in seen:
            seen.add(mark)
            out.append(item)
    return out


def iso_date(text: str) -> dt.date | None:
    """The date ``text`` writes in ISO 8601, as :meth:`datetime.date.fromisoformat` reads it;
    None when it is not one."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


# Cached: the UK ConList repeats a listing's dates on every one of its rows.
@lru_cache(maxsize=8192)
def day_first(text: str) -> dt.date | None:
    """A "dd/mm/yyyy" date, as Europe writes it; None when ``text`` is not one."""
    found = _SLASHED.fullmatch(text)
    return _date(int(found[3]), int(found[2]), int(found[1])) if found else None


def month_first(text: str) -> dt.date | None:
    """A "mm/dd/yyyy" date, as the US writes it; None when ``text`` is not one."""
    found = _SLASHED.fullmatch(text)
    return _date(int(found[3]), int(found[1]), int(found[2])) if found else None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
