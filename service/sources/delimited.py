"""Reading the lists published as delimited text (CSV, tab-separated): lines, rows, tables.

Each parser keeps its own checks of what a row holds; these helpers only number the rows
and turn what the csv module and the decoder reject into a ParseError that says where.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from service.errors import ParseError

__all__ = ["numbered_rows", "table", "text_lines"]


def text_lines(path: Path) -> Iterator[str]:
    """The file's lines as text: UTF-8 (BOM dropped), or Windows-1252 for a line that is not."""
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    yield raw.decode("cp1252")
                except UnicodeDecodeError:
                    problem = "neither UTF-8 nor Windows-1252 text"
                    raise ParseError(path.name, f"line {number}", problem) from None


def numbered_rows(
    lines: Iterable[str], file: str, malformed: Callable[[csv.Error], str]
) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of each CSV row of ``lines``.

    A row the csv module rejects is a ParseError at the line where that row starts, its
    problem worded by ``malformed``.
    """
    reader = csv.reader(lines, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ParseError(file, f"line {start}", malformed(exc)) from None
        yield start, reader.line_num, cells


def table(
    path: Path,
    header_problem: Callable[[list[str]], str | None],
    *,
    columns: Sequence[str] | None = None,
    delimiter: str = ",",
    what: str = "CSV",
    key: str | None = None,
) -> Iterator[tuple[str, dict[str, str]]]:
    """(location, cells by column) of each row below the header row of ``path``.

    ``header_problem`` says what is wrong with the header row, if anything. Cells are keyed
    by ``columns``, by default the header's own names, and every row must have one cell per
    column. A location reads "row 3 (line 4)", followed by ``key`` and the row's first cell
    when ``key`` is given ("row 3 (line 4), _id 1234"). An empty file, one without rows and
    malformed text (``what`` names the format) are ParseErrors.
    """
    reader = csv.reader(text_lines(path), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ParseError(path.name, "line 1", "empty file")
        problem = header_problem(header)
        if problem:
            raise ParseError(path.name, "line 1", problem)
        names = header if columns is None else columns
        count = 0
        for number, cells in enumerate(reader, 1):
            location = f"row {number} (line {reader.line_num})"
            if key and cells and cells[0].strip():
                location += f", {key} {cells[0].strip()}"
            if len(cells) != len(names):
                raise ParseError(path.name, location, f"{len(cells)} fields, expected {len(names)}")
            count += 1
            yield location, dict(zip(names, cells, strict=True))
        if count == 0:
            raise ParseError(path.name, "line 2", "no rows after the header")
    except csv.Error as exc:
        raise ParseError(path.name, f"line {reader.line_num}", f"malformed {what}: {exc}") from None
