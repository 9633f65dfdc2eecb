"""What every list parser offers. One module per format implements it.

A parser module defines:

``FORMAT``
    its format id, e.g. ``"ofac_csv"``.
``sniff(path: Path, head: bytes) -> Sniffed | None``
    whether ``path`` (whose first bytes are ``head``) is the main file of this format, and
    which list it most likely belongs to. Cheap: it never reads the whole file.
``read(paths: Sequence[Path], list_id: str) -> ParsedList``
    parse the file(s) of one list source into entities, streaming: ``entities`` is an
    iterator, and the parser never holds a whole file's tree in memory. Malformed input
    raises :class:`service.errors.ParseError` naming the file, the line or element, and the
    problem — during iteration, before the bad record is yielded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from service.errors import ParseError
from service.model import Entity

__all__ = ["ParseError", "ParsedList", "Sniffed", "date_in_name", "one_file", "read_head"]


@dataclass(frozen=True)
class Sniffed:
    format: str
    list_id: str  # the list this file most likely belongs to ("us_ofac_sdn" …)
    published: dt.date | None = None  # the date printed in the file, when the head shows it


@dataclass
class ParsedList:
    format: str
    files: tuple[Path, ...]
    published: dt.date | None  # the date printed in the file (publish date, "Last Updated" …)
    entities: Iterator[Entity]
    # False when ``published`` is only the latest date of an entry (the file prints none): the
    # list was published that day or later, and a date in the file's name is closer.
    published_exact: bool = True


def one_file(paths: Sequence[Path], what: str) -> Path:
    """The single file of a one-file format; a clear ParseError when given none or several."""
    if len(paths) != 1:
        names = ", ".join(Path(p).name for p in paths) or "(none)"
        raise ParseError(names, "files", f"expected exactly one {what} file, got {len(paths)}")
    return Path(paths[0])


def read_head(path: Path, size: int = 4096) -> bytes:
    with open(path, "rb") as f:
        return f.read(size)


_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def date_in_name(path: Path) -> dt.date | None:
    """The date in a file's name, else in its folder's (``sdn-only-2024-05-03.csv``,
    ``sdn-2021-07-07/sdn.csv``): how archives and mirrors date the formats that print none.
    Folders further up are not asked: a backup folder's date says nothing of the file."""
    for part in (path.name, path.parent.name):
        for match in _DATE_IN_NAME.finditer(part):
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                continue
    return None
