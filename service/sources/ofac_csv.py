"""OFAC's legacy CSV lists: the SDN set (sdn, add, alt, sdn_comments) and the consolidated
non-SDN set (cons_prim, cons_add, cons_alt, cons_comments).

The files have no header row; "-0-" (often with a trailing space) stands for an empty cell;
lines end in CRLF and a DOS end-of-file byte (0x1A) may follow the last line. The text is
Windows-1252. Entries are keyed by ``ent_num``; addresses, aliases and remark continuations
live in the companion files and refer to it. Remarks longer than 1,000 characters are cut
(mid-word) and continue in the comments file, so the pieces are joined without a separator.

Reading streams the main file twice: a cheap first pass collects every ``ent_num`` and name
(to check the companion files and resolve "Linked To:" remarks by name), the second builds
the entities. The companion files are small and are held in dicts keyed by ``ent_num``.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from service.countries import to_iso
from service.errors import ParseError
from service.model import (
    Address,
    Entity,
    Identifier,
    IdType,
    Kind,
    Link,
    LinkType,
    Name,
    NameType,
    entity_id,
)
from service.sources.base import ParsedList, Sniffed
from service.sources.delimited import numbered_rows
from service.sources.labels import script_of
from service.sources.ofac_remarks import parse_remarks
from service.sources.text import uniq

__all__ = ["FORMAT", "read", "sniff", "source_files"]

FORMAT = "ofac_csv"

_EMPTY = "-0-"
_EOF = "\x1a"
_KINDS = {
    "individual": Kind.PERSON,
    "vessel": Kind.VESSEL,
    "aircraft": Kind.AIRCRAFT,
    _EMPTY: Kind.ORGANIZATION,
}
_ALT_TYPES = {"aka": NameType.AKA, "fka": NameType.FKA, "nka": NameType.AKA}

# Which file of a set a name is; downloads come upper-case (SDN.CSV), archives dated.
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("comments", re.compile(r"(sdn|cons)_comments([-_. ].*)?\.csv")),
    ("add", re.compile(r"(cons_)?add([-_. ].*)?\.csv")),
    ("alt", re.compile(r"(cons_)?alt([-_. ].*)?\.csv")),
    ("main", re.compile(r"(sdn|cons_prim)([-_. ].*)?\.csv")),
)
_COLUMNS = {"main": 12, "add": 6, "alt": 5, "comments": 2}
_COMPANIONS = {
    "sdn.csv": {"add": "add.csv", "alt": "alt.csv", "comments": "sdn_comments.csv"},
    "cons_prim.csv": {"add": "cons_add.csv", "alt": "cons_alt.csv", "comments": "cons_comments.csv"},
}

_DECODE_ERRORS = "ofac_cp1252_latin1"


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    # cp1252 leaves five bytes undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D); latin-1 maps them to
    # the C1 controls, which keeps every byte instead of failing a whole list on one.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(_DECODE_ERRORS, _latin1_fallback)


def _role(path: Path) -> str | None:
    name = path.name.lower()
    for role, pattern in _ROLES:
        if pattern.fullmatch(name):
            return role
    return None


def _cell(raw: str) -> str | None:
    value = raw.strip()
    return None if value in ("", _EMPTY) else value


# --- sniffing and companions -------------------------------------------------------------


def sniff(path: Path, head: bytes) -> Sniffed | None:
    """A main file of either set: sdn*.csv or cons_prim*.csv whose first row has the twelve
    columns, a numeric ent_num and a known SDN_Type. The CSV prints no publication date: the
    loader takes it from the file's (or its folder's) name."""
    if _role(path) != "main":
        return None
    text = head.decode("cp1252", errors=_DECODE_ERRORS)
    end = text.find("\n")
    if end < 0:
        return None  # a first row longer than the head is no OFAC row
    try:
        row = next(csv.reader([text[: end + 1]], strict=True))
    except (csv.Error, StopIteration):
        return None
    if len(row) != _COLUMNS["main"] or not row[0].strip().isdigit():
        return None
    if row[2].strip() not in _KINDS or not row[1].strip():
        return None
    list_id = "us_ofac_cons" if path.name.lower().startswith("cons") else "us_ofac_sdn"
    return Sniffed(FORMAT, list_id)


def source_files(main: Path) -> tuple[Path, ...]:
    """The files of the set ``main`` belongs to; empty when its add or alt file is missing.

    Used when scanning a folder. A main file under its published name (sdn.csv,
    cons_prim.csv) needs its companions beside it: without them it is a set half copied. A
    main file named otherwise (sdn-only-2024-05-03.csv) is a source of its own, the list
    without its aliases and addresses (the load warns of what it lacks).
    """
    companions = _COMPANIONS.get(main.name.lower())
    if companions is None:
        return (main,)
    present = {p.name.lower(): p for p in main.parent.iterdir() if p.is_file()}
    found = [main]
    for role, name in companions.items():
        if name in present:
            found.append(present[name])
        elif role != "comments":
            return ()
    return tuple(found)


# --- rows ----------------------------------------------------------------------------------


def _lines(f: TextIO, name: str) -> Iterator[str]:
    """The file's lines, without the end-of-file byte; a last line without its line break
    means the file was cut short."""
    for number, line in enumerate(f, 1):
        if _EOF in line:
            if line.index(_EOF) != len(line) - 1 or f.read():
                raise ParseError(name, f"line {number}", "data after the end-of-file byte (0x1A)")
            line = line[:-1]
            if not line:
                return
        if not line.endswith("\n"):
            raise ParseError(name, f"line {number}", "the last line has no line break: the file is truncated")
        yield line


def _rows(path: Path, role: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each row of ``path``, checked for shape."""
    columns = _COLUMNS[role]
    with open(path, encoding="cp1252", errors=_DECODE_ERRORS, newline="") as f:
        for start, end, row in numbered_rows(_lines(f, path.name), path.name, _malformed):
            if end != start:
                raise ParseError(
                    path.name, f"line {start}", "a quoted cell runs over a line break: an unterminated quote"
                )
            if len(row) != columns:
                raise ParseError(
                    path.name, f"line {start}", f"{len(row)} columns where {role} rows have {columns}"
                )
            if not row[0].strip().isdigit():
                raise ParseError(path.name, f"line {start}", f"ent_num {row[0]!r} is not a number")
            if role in ("add", "alt") and not row[1].strip().isdigit():
                raise ParseError(path.name, f"line {start}", f"{role}_num {row[1]!r} is not a number")
            yield start, row


def _malformed(exc: csv.Error) -> str:
    return f"malformed CSV ({exc}): an unterminated or stray quote"


def _kind(path: Path, line: int, row: list[str]) -> Kind:
    kind = _KINDS.get(row[2].strip())
    if kind is None:
        raise ParseError(path.name, f"line {line}", f"unknown SDN_Type {row[2]!r}")
    if not _cell(row[1]):
        raise ParseError(path.name, f"line {line}", f"ent_num {row[0].strip()} has no name")
    return kind


def _name_key(name: str) -> str:
    return " ".join(name.casefold().rstrip(".").split())


@dataclass
class _Index:
    """What the first pass over the main file learns: every entry, and who bears which name."""

    names: dict[str, str | None] = field(default_factory=dict)  # name key → ent_num, None if shared
    printed: dict[str, str] = field(default_factory=dict)  # ent_num → its name as printed
    count: int = 0


def _index(main: Path) -> _Index:
    index = _Index()
    for line, row in _rows(main, "main"):
        _kind(main, line, row)
        ent_num, name = row[0].strip(), row[1].strip()
        if ent_num in index.printed:
            raise ParseError(main.name, f"line {line}", f"ent_num {ent_num} appears twice")
        index.printed[ent_num] = name
        key = _name_key(name)
        index.names[key] = None if key in index.names else ent_num
        index.count += 1
    if index.count == 0:
        raise ParseError(main.name, "line 1", "no records: the file is empty")
    return index


def _side(path: Path | None, role: str, main: Path, index: _Index) -> dict[str, list[list[str]]]:
    """The rows of a companion file by ent_num, each checked to belong to an entry."""
    rows: dict[str, list[list[str]]] = {}
    if path is None:
        return rows
    for line, row in _rows(path, role):
        ent_num = row[0].strip()
        if ent_num not in index.printed:
            raise ParseError(
                path.name, f"line {line}", f"ent_num {ent_num} is not in {main.name}: the set is inconsistent"
            )
        if role == "alt" and row[2].strip().lower() not in _ALT_TYPES:
            raise ParseError(path.name, f"line {line}", f"unknown alt_type {row[2]!r}")
        if role == "alt" and not _cell(row[3]):
            raise ParseError(path.name, f"line {line}", "alias without a name")
        rows.setdefault(ent_num, []).append(row)
    return rows


# --- entities ------------------------------------------------------------------------------


def _programs(raw: str) -> tuple[str, ...]:
    value = _cell(raw)
    if value is None:
        return ()
    return tuple(p.strip() for p in value.strip("[]").split("] [") if p.strip())


_POSTAL = re.compile(r"(?:C\.P\.\s*)?[A-Z]{0,3}-?\d[\w-]*")


def _address(row: list[str]) -> Address | None:
    """One add.csv row; None for a row whose every cell is empty (OFAC lists those for
    entries with no known address)."""
    street, place, country_name = _cell(row[2]), _cell(row[3]), _cell(row[4])
    parts = [p for p in (street, place, country_name) if p]
    if not parts:
        return None
    city = region = postal = None
    if place:
        # "Moscow 123317", "Miami, FL 33130", "Zapopan, Jalisco C.P. 45110": the trailing
        # tokens with digits are the postal code, the first comma part the city.
        tokens = place.split()
        tail: list[str] = []
        while len(tokens) > 1 and _POSTAL.fullmatch(tokens[-1]) and any(c.isdigit() for c in tokens[-1]):
            tail.insert(0, tokens.pop())
        if tokens and tokens[-1] == "C.P." and tail:
            tail.insert(0, tokens.pop())
        postal = " ".join(tail) or None
        head = " ".join(tokens).rstrip(",")
        city, _, rest = head.partition(", ")
        region = rest.strip() or None
        city = city.strip() or None
    return Address(
        full=", ".join(parts),
        street=street,
        city=city,
        postal_code=postal,
        region=region,
        country=to_iso(country_name) if country_name else None,
    )


@dataclass(frozen=True)
class _Set:
    main: Path
    list_id: str
    index: _Index
    addresses: dict[str, list[list[str]]]
    aliases: dict[str, list[list[str]]]
    comments: dict[str, list[list[str]]]


def _link(target_text: str, own: str, parsed: _Set) -> Link:
    target = parsed.index.names.get(_name_key(target_text))
    if target is None or target == own:
        return Link(LinkType.LINKED_TO, None, target_text.rstrip("."), label="Linked To", source="remarks")
    return Link(
        LinkType.LINKED_TO,
        entity_id(parsed.list_id, target),
        parsed.index.printed[target],
        label="Linked To",
        source="remarks",
    )


def _entity(row: list[str], line: int, parsed: _Set) -> Entity:
    kind = _kind(parsed.main, line, row)
    ent_num, primary = row[0].strip(), row[1].strip()
    title, call_sign, vessel_type, tonnage, grt, flag, owner = (_cell(c) for c in row[4:11])

    remarks = "" if _cell(row[11]) is None else row[11]
    for comment in parsed.comments.get(ent_num, ()):
        remarks += "" if _cell(comment[1]) is None else comment[1]
    remarks = remarks.strip()
    # Several titles share the Title cell, "; "-separated like the remarks that repeat them.
    titles = [t.strip() for t in title.split("; ") if t.strip()] if title else []
    facts = parse_remarks(remarks, titles)

    names = [Name(primary, NameType.PRIMARY, script_of(primary))]
    details: list[tuple[str, str]] = []
    for alias in parsed.aliases.get(ent_num, ()):
        full = alias[3].strip()
        names.append(Name(full, _ALT_TYPES[alias[2].strip().lower()], script_of(full)))
        if note := _cell(alias[4]):
            details.append(("alias_remarks", f"{full}: {note}"))
    names.extend(facts.names)

    addresses: list[Address] = []
    for add in parsed.addresses.get(ent_num, ()):
        address = _address(add)
        if address is not None:
            addresses.append(address)
        if note := _cell(add[5]):
            details.append(("address_remarks", note))

    identifiers: list[Identifier] = []
    if call_sign:
        identifiers.append(Identifier(IdType.CALL_SIGN, call_sign, None, "Call Sign"))
    identifiers.extend(facts.identifiers)

    flag_iso = to_iso(flag) if flag else None
    details.extend(("title", t) for t in titles)
    for key, value in (
        ("vessel_type", vessel_type),
        ("tonnage", tonnage),
        ("gross_registered_tonnage", grt),
        ("vessel_flag", flag),
        ("vessel_owner", owner),
    ):
        if value:
            details.append((key, value))
    details.extend(facts.details)

    countries = [a.country for a in addresses if a.country]
    countries += [flag_iso] if flag_iso else []
    countries += [*facts.citizenships, *facts.registration_countries]

    return Entity(
        id=entity_id(parsed.list_id, ent_num),
        list_id=parsed.list_id,
        reference=ent_num,
        kind=kind,
        names=tuple(uniq(names)),
        addresses=tuple(uniq(addresses)),
        countries=tuple(uniq(countries)),
        nationalities=facts.nationalities,
        birth_dates=facts.birth_dates,
        birth_places=facts.birth_places,
        identifiers=tuple(uniq(identifiers)),
        programs=_programs(row[3]),
        remarks=remarks or None,
        links=tuple(uniq(_link(text, ent_num, parsed) for text in facts.linked_to)),
        details=tuple(uniq(details)),
    )


def _entities(files: dict[str, Path], list_id: str) -> Iterator[Entity]:
    main = files["main"]
    index = _index(main)
    parsed = _Set(
        main=main,
        list_id=list_id,
        index=index,
        addresses=_side(files.get("add"), "add", main, index),
        aliases=_side(files.get("alt"), "alt", main, index),
        comments=_side(files.get("comments"), "comments", main, index),
    )
    for line, row in _rows(main, "main"):
        yield _entity(row, line, parsed)


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    """The entities of one CSV set. ``paths`` are its files in any order, told apart by name;
    only the main file (sdn.csv or cons_prim.csv) is required."""
    files: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw)
        role = _role(path)
        if role is None:
            raise ParseError(
                path.name, "file name", "not a file of an OFAC CSV set (sdn, add, alt, sdn_comments, cons_*)"
            )
        if role in files:
            raise ParseError(path.name, "file name", f"a second {role} file beside {files[role].name}")
        files[role] = path
    if "main" not in files:
        names = ", ".join(Path(p).name for p in paths) or "no files"
        raise ParseError(names, "file set", "no main file (sdn.csv or cons_prim.csv)")
    ordered = tuple(files[r] for r in ("main", "add", "alt", "comments") if r in files)
    return ParsedList(format=FORMAT, files=ordered, published=None, entities=_entities(files, list_id))
