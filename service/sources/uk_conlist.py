"""The UK OFSI Consolidated List ("ConList", HM Treasury), as xlsx or CSV.

Both encodings hold one table: a first row ``Last Updated,<dd/mm/yyyy>``, a header row, then
one row per *name variant* of a listing. Rows of one listing share a ``Group ID`` (the
stable id and the reference humans quote) but are not adjacent — the file is sorted by name —
and every other fact of the listing is repeated on each of them, often as a cross product
(one row per name x date of birth x address: a single listing can span 400 rows). So the
parser reads the table once, folds the rows into compact de-duplicated facts per group, and
builds the entities after the last row; that keeps every group's facts (much smaller than the
file) and never the workbook's object model (openpyxl read-only, values only).

Layouts (by column name, so either encoding may carry either layout):

* 2018 CSV, 29 columns: identity documents as free text in ``Passport Details`` and
  ``NI Number``; ``Other Information`` free text (vessels' IMO/MMSI hide in it);
  alias types ``Prime Alias``/``AKA``/``FKA``; cp1252 encoded.
* 2022+ xlsx/CSV, 36 columns: adds ``Name Non-Latin Script`` (+ type and language),
  ``Passport Number``/``National Identification Number`` beside their details,
  ``Alias Quality`` and ``UK Sanctions List Date Designated``. ``Other Information`` is a
  chain of ``(Key):value`` segments ("(UK Sanctions List Ref):RUS0296. … (Gender):Male");
  ships keep IMO number, owner, flag, type, tonnage … there, not in columns of their own.

Names print given names first: "Name 1 … Name 5 Name 6" ("Khizri Magomedovich ABAKAROV"),
as the list's own statements of reasons do. Multi-valued cells number their values
("(1) Mullah (2) Maulavi", "1) Saudi Arabia 2) Qatar"); paired columns (passport number and
details, town and country of birth) are matched by that numbering.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import openpyxl
from lxml import etree

from service.errors import ParseError
from service.model import (
    Address,
    BirthDate,
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
from service.sources.base import ParsedList, Sniffed, one_file, read_head
from service.sources.delimited import numbered_rows
from service.sources.labels import id_type, script_of
from service.sources.text import day_first, uniq
from service.sources.uk_conlist_text import (
    birth_date,
    clean,
    countries,
    document_country,
    documents_in,
    enumerated,
    items,
    parse_info,
)

FORMAT = "uk_conlist"
LIST_ID = "gb_hmt"

_KINDS = {"individual": Kind.PERSON, "entity": Kind.ORGANIZATION, "ship": Kind.VESSEL}
_ALIAS_TYPES = {
    "primary name": NameType.PRIMARY,
    "prime alias": NameType.PRIMARY,
    "primary name variation": NameType.AKA,
    "aka": NameType.AKA,
    "alias": NameType.AKA,
    "fka": NameType.FKA,
}
# When names share a text, the strongest type is kept.
_NAME_RANK = {
    NameType.PRIMARY: 0,
    NameType.AKA: 1,
    NameType.FKA: 2,
    NameType.WEAK_AKA: 3,
    NameType.ORIGINAL_SCRIPT: 4,
}
_REQUIRED = ("Name 6", "Group Type", "Alias Type", "Group ID")

# ------------------------------------------------------------------------ group folding


@dataclass(slots=True)
class _Group:
    """The de-duplicated facts of one Group ID, folded from all of its rows."""

    gid: str
    group_type: str
    location: str
    names: dict[Name, None] = field(default_factory=dict)
    birth_dates: dict[BirthDate, None] = field(default_factory=dict)
    births: dict[tuple[str, str], None] = field(default_factory=dict)
    nationalities: dict[str, None] = field(default_factory=dict)
    titles: dict[str, None] = field(default_factory=dict)
    positions: dict[str, None] = field(default_factory=dict)
    regimes: dict[str, None] = field(default_factory=dict)
    infos: dict[str, None] = field(default_factory=dict)
    addresses: dict[tuple[str, ...], None] = field(default_factory=dict)
    passports: dict[tuple[str, str], None] = field(default_factory=dict)
    national_ids: dict[tuple[str, str], None] = field(default_factory=dict)
    listed: set[dt.date] = field(default_factory=set)
    designated: set[dt.date] = field(default_factory=set)
    updated: set[dt.date] = field(default_factory=set)


class _Cells(NamedTuple):
    """The columns of one row the parser reads ("" for a column the layout lacks)."""

    gid: str
    group_type: str
    alias_type: str
    quality: str
    name1: str
    name2: str
    name3: str
    name4: str
    name5: str
    name6: str
    native: str
    dob: str
    listed: str
    designated: str
    updated: str
    nationality: str
    title: str
    position: str
    regime: str
    info: str
    town: str
    birth_country: str
    address1: str
    address2: str
    address3: str
    address4: str
    address5: str
    address6: str
    postal_code: str
    country: str
    passport: str
    passport_details: str
    national_id: str
    national_id_details: str


# _Cells fields → the header's names for them, first name found wins.
_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("Group ID",),
    ("Group Type",),
    ("Alias Type",),
    ("Alias Quality",),
    *((f"Name {i}",) for i in range(1, 7)),
    ("Name Non-Latin Script",),
    ("DOB",),
    ("Listed On",),
    ("UK Sanctions List Date Designated",),
    ("Last Updated",),
    ("Nationality",),
    ("Title",),
    ("Position",),
    ("Regime",),
    ("Other Information",),
    ("Town of Birth",),
    ("Country of Birth",),
    *((f"Address {i}",) for i in range(1, 7)),
    ("Post/Zip Code",),
    ("Country",),
    ("Passport Number",),
    ("Passport Details",),
    ("National Identification Number", "NI Number"),  # 2022+ name, 2018 name
    ("National Identification Details",),
)
_NAME = slice(4, 10)
_ADDRESS = slice(22, 30)


class _Folder:
    """Reads the table's rows into ``groups``; raises ParseError on the first bad row."""

    def __init__(self, file_name: str, header: list[str], exact_width: bool) -> None:
        self.file = file_name
        self.width = len(header)
        self.exact_width = exact_width
        self.columns = {name: i for i, name in enumerate(header) if name}
        missing = [c for c in _REQUIRED if c not in self.columns]
        if missing:
            raise ParseError(
                file_name, "header", f"missing column(s): {', '.join(missing)}"
            )
        # A column the layout lacks reads the "" appended after the row's last cell.
        where = [
            next((self.columns[n] for n in names if n in self.columns), self.width)
            for names in _COLUMNS
        ]
        self.pick = itemgetter(*where)
        self.groups: dict[str, _Group] = {}

    def fail(self, where: str, problem: str) -> ParseError:
        return ParseError(self.file, where, problem)

    def add(self, where: str, cells: list[str]) -> None:
        if len(cells) != self.width:
            extra = [c for c in cells[self.width :] if c]
            if self.exact_width or extra:
                raise self.fail(
                    where, f"expected {self.width} fields, found {len(cells)}"
                )
            cells = cells[: self.width] + [""] * (self.width - len(cells))
        if not any(cells):
            return  # a blank row separates nothing and lists nobody
        cells.append("")
        row = _Cells._make(self.pick(cells))
        if not row.gid:
            raise self.fail(where, "no Group ID")
        if row.group_type.lower() not in _KINDS:
            raise self.fail(
                where, f"Group ID {row.gid}: unknown Group Type {row.group_type!r}"
            )
        group = self.groups.get(row.gid)
        if group is None:
            group = self.groups[row.gid] = _Group(row.gid, row.group_type, where)
        elif group.group_type.lower() != row.group_type.lower():
            raise self.fail(
                where,
                f"Group ID {row.gid}: Group Type {row.group_type!r} disagrees with "
                f"{group.group_type!r} at {group.location}",
            )
        self._names(where, row, group)
        self._dates(where, row, group)
        self._facts(row, group)

    def _names(self, where: str, row: _Cells, group: _Group) -> None:
        kind = _ALIAS_TYPES.get(row.alias_type.lower())
        if kind is None:
            raise self.fail(
                where, f"Group ID {group.gid}: unknown Alias Type {row.alias_type!r}"
            )
        if kind is NameType.AKA and row.quality.lower().startswith("low"):
            kind = NameType.WEAK_AKA
        full = clean(" ".join(row[_NAME]))
        if not full:
            raise self.fail(where, f"Group ID {group.gid}: row without a name")
        group.names[Name(full, kind)] = None
        native = clean(row.native)
        if native:
            # The column also holds Latin spellings with diacritics ("Fayçal", "Antonio
            # José BENAVIDES TORRES"): still the name as written originally, script None.
            group.names[Name(native, NameType.ORIGINAL_SCRIPT, script_of(native))] = (
                None
            )

    def _dates(self, where: str, row: _Cells, group: _Group) -> None:
        if row.dob:
            found = birth_date(row.dob)
            if found is None:
                raise self.fail(
                    where, f"Group ID {group.gid}: unreadable DOB {row.dob!r}"
                )
            group.birth_dates[found] = None
        for column, text, into in (
            ("Listed On", row.listed, group.listed),
            ("Date Designated", row.designated, group.designated),
            ("Last Updated", row.updated, group.updated),
        ):
            if text:
                day = day_first(text)
                if day is None:
                    raise self.fail(
                        where, f"Group ID {group.gid}: unreadable {column} {text!r}"
                    )
                into.add(day)

    def _facts(self, row: _Cells, group: _Group) -> None:
        for text, into in (
            (row.nationality, group.nationalities),
            (row.title, group.titles),
            (row.position, group.positions),
            (row.regime, group.regimes),
            (row.info, group.infos),
        ):
            if text:
                into[text] = None
        if row.town or row.birth_country:
            group.births[(row.town, row.birth_country)] = None
        address: tuple[str, ...] = tuple(row[_ADDRESS])
        if any(address):
            group.addresses[address] = None
        if row.passport or row.passport_details:
            group.passports[(row.passport, row.passport_details)] = None
        if row.national_id or row.national_id_details:
            group.national_ids[(row.national_id, row.national_id_details)] = None


# ----------------------------------------------------------------------- entity building


def _names(group: _Group) -> tuple[Name, ...]:
    # full text → (position of its first appearance, its strongest name)
    best: dict[str, tuple[int, Name]] = {}
    primary: str | None = None
    for position, name in enumerate(group.names):
        if name.type is NameType.PRIMARY:
            # A few groups carry several distinct primary names; the first one leads.
            primary = primary or name.full
            if name.full != primary:
                name = Name(name.full, NameType.AKA)
        held = best.get(name.full)
        if held is None:
            best[name.full] = (position, name)
        elif _NAME_RANK[name.type] < _NAME_RANK[held[1].type]:
            best[name.full] = (held[0], name)
    ordered = [name for _, name in sorted(best.values(), key=lambda pair: pair[0])]
    if not any(n.type is NameType.PRIMARY for n in ordered):
        # Two 2025 groups list only "Primary name variation" rows: the first one leads.
        lead = next(
            i for i, n in enumerate(ordered) if n.type is not NameType.ORIGINAL_SCRIPT
        )
        ordered[lead] = Name(ordered[lead].full, NameType.PRIMARY)
    ordered.sort(key=lambda n: n.type is not NameType.PRIMARY)
    return tuple(ordered)


def _birth_places(town: str, country: str) -> list[str]:
    towns, lands = enumerated(town) or [""], enumerated(country) or [""]
    if len(towns) == len(lands):
        pairs = list(zip(towns, lands))
    elif len(lands) == 1:
        pairs = [(t, lands[0]) for t in towns]
    else:  # "(1) Tiaret … (7) -" against "(1) to (5) Algeria": no safe pairing
        pairs = [(t, "") for t in towns] + [("", c) for c in lands]
    return [", ".join(p for p in pair if p) for pair in pairs if any(pair)]


def _address(parts: tuple[str, ...]) -> Address:
    *street, city, postal_code, country = parts
    codes = countries(country) if country else []
    return Address(
        full=", ".join(p for p in parts if p),
        street=", ".join(p for p in street if p) or None,
        city=city or None,
        postal_code=postal_code or None,
        country=codes[0] if len(codes) == 1 else None,
    )


def _documents(
    pairs: dict[tuple[str, str], None], column: str, default: IdType, has_numbers: bool
) -> tuple[list[Identifier], list[str]]:
    """Identifiers from a number column and its details column, paired by their numbering.

    The 2018 layout has only one column of the pair, holding numbers and notes together;
    a few later rows leave the number empty and write it into the details. Both are read
    as free text.
    """
    found: list[Identifier] = []
    notes: list[str] = []
    for number, details in pairs:
        if has_numbers and number:
            numbers, notes_of = enumerated(number), enumerated(details)
            if len(notes_of) != len(numbers):
                notes_of = [clean(details)] * len(numbers)
            for value, note in zip(numbers, notes_of):
                if not value:
                    continue
                kind = id_type(note) if note else default
                if default is IdType.PASSPORT or kind is IdType.OTHER:
                    kind = default
                found.append(
                    Identifier(kind, value, document_country(note), note or column)
                )
            continue
        for part in items(" ".join(t for t in (number, details) if t)):
            read = documents_in(part, default, first_only=default is IdType.PASSPORT)
            found += read
            if not read:
                notes.append(part)
    return found, notes


def _build(
    group: _Group, list_id: str, known: dict[str, _Group], layout_2018: bool
) -> Entity:
    details = [("title", t) for text in group.titles for t in items(text)]
    details += [("position", p) for text in group.positions for p in items(text)]

    nationalities: list[str] = []
    for text in group.nationalities:
        for part in items(text):
            codes = countries(part)
            nationalities += codes
            if not codes:
                details.append(("nationality", part))

    passports, passport_notes = _documents(
        group.passports, "Passport Number", IdType.PASSPORT, not layout_2018
    )
    national_ids, id_notes = _documents(
        group.national_ids,
        "National Identification Number",
        IdType.NATIONAL_ID,
        not layout_2018,
    )
    details += [("passport_details", n) for n in passport_notes]
    details += [("national_id_details", n) for n in id_notes]

    addresses = [_address(parts) for parts in group.addresses]
    held_in = [a.country for a in addresses if a.country]

    identifiers = passports + national_ids
    links: list[Link] = []
    remarks: list[str] = []
    for text in group.infos:
        info = parse_info(text)
        details += info.details
        identifiers += info.identifiers
        held_in += info.countries
        remarks += info.narrative
        for name, ofsi_id, label in info.owners:
            target = entity_id(list_id, ofsi_id) if ofsi_id in known else None
            links.append(
                Link(LinkType.OWNED_BY, target, name, None, label, "Other Information")
            )

    listed = min(group.listed or group.designated, default=None)
    if group.designated:
        details.append(("date_designated", min(group.designated).isoformat()))
    if group.updated:
        details.append(("last_updated", max(group.updated).isoformat()))

    return Entity(
        id=entity_id(list_id, group.gid),
        list_id=list_id,
        reference=group.gid,
        kind=_KINDS[group.group_type.lower()],
        names=_names(group),
        addresses=tuple(uniq(addresses)),
        countries=tuple(uniq(held_in)),
        nationalities=tuple(uniq(nationalities)),
        birth_dates=tuple(group.birth_dates),
        birth_places=tuple(
            uniq(p for town, country in group.births for p in _birth_places(town, country))
        ),
        identifiers=tuple(uniq(identifiers)),
        programs=tuple(group.regimes),
        listed_on=listed.isoformat() if listed else None,
        remarks="\n".join(dict.fromkeys(remarks)) or None,
        links=tuple(uniq(links)),
        details=tuple(uniq(details)),
    )


# -------------------------------------------------------------------------- the tables

_ZIP_MAGIC = b"PK\x03\x04"
# What a damaged workbook raises from zipfile, zlib, openpyxl and the XML parsers.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    SyntaxError,
)
# … and what reading its head by hand adds: a missing sheet, cell or relationship.
_HEAD_ERRORS = (*_XLSX_ERRORS, StopIteration, IndexError, AttributeError, etree.Error)


def _cell(value: object) -> str:
    """A cell as the list's text: dates as "dd/mm/yyyy", whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(path: Path) -> Iterator[tuple[str, list[str]]]:
    try:
        book = openpyxl.load_workbook(
            path, read_only=True, data_only=True, keep_links=False
        )
    except _XLSX_ERRORS as exc:
        raise ParseError(
            path.name, "file", f"not a readable xlsx workbook: {exc}"
        ) from exc
    number = 0
    try:
        sheet = book["Data"] if "Data" in book.sheetnames else book.worksheets[0]
        # The stored dimension may be wrong; trusting it would silently cut rows or columns.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield f"row {number}", [_cell(v) for v in values]
    except _XLSX_ERRORS as exc:
        raise ParseError(
            path.name, f"row {number + 1}", f"unreadable worksheet: {exc}"
        ) from exc
    finally:
        book.close()


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[str, list[str]]]:
    with open(path, encoding=encoding, newline="") as f:
        for line, _end, cells in numbered_rows(f, path.name, _malformed):
            yield f"line {line}", [c.strip() for c in cells]


def _malformed(exc: csv.Error) -> str:
    return f"malformed CSV: {exc}"


def _fold(
    path: Path, rows: Iterator[tuple[str, list[str]]], exact_width: bool
) -> _Folder:
    first = next(rows, None)
    if first is None:
        raise ParseError(path.name, "start of file", "empty file")
    where, cells = first
    if not cells or cells[0] != "Last Updated":
        raise ParseError(
            path.name, where, "expected the 'Last Updated' row of the ConList"
        )
    header = next(rows, None)
    if header is None:
        raise ParseError(path.name, f"after {where}", "no header row")
    folder = _Folder(path.name, header[1], exact_width)
    for where, cells in rows:
        folder.add(where, cells)
    if not folder.groups:
        raise ParseError(path.name, header[0], "no records after the header")
    return folder


def _read_all(path: Path) -> _Folder:
    if read_head(path, 4) == _ZIP_MAGIC:
        return _fold(path, _xlsx_rows(path), exact_width=False)
    try:
        return _fold(path, _csv_rows(path, "utf-8-sig"), exact_width=True)
    except UnicodeDecodeError:
        pass  # the 2018 export is cp1252; nothing was yielded yet, so read it again
    try:
        return _fold(path, _csv_rows(path, "cp1252"), exact_width=True)
    except UnicodeDecodeError as exc:
        raise ParseError(
            path.name, "file", f"neither UTF-8 nor cp1252 text: {exc}"
        ) from exc


# ------------------------------------------------------------------------ sniff and read

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


def _xlsx_head(path: Path, count: int = 2) -> list[list[str]]:
    """The first rows of the "Data" (else first) sheet, read straight from the zip.

    Cheap for sniffing: stops after ``count`` rows and after the shared strings they use.
    """
    with zipfile.ZipFile(path) as zf:
        book = etree.fromstring(zf.read("xl/workbook.xml"), _SAFE)
        sheets = book.findall(f"{_MAIN}sheets/{_MAIN}sheet")
        chosen = next((s for s in sheets if s.get("name") == "Data"), sheets[0])
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), _SAFE)
        target = next(
            r.get("Target") for r in rels if r.get("Id") == chosen.get(f"{_REL}id")
        )
        if target is None:
            raise KeyError("the Data sheet has no target in workbook.xml.rels")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        raw: list[list[tuple[int, str | None, str]]] = []
        with zf.open(part) as f:
            for _, row in etree.iterparse(f, tag=f"{_MAIN}row", resolve_entities=False):
                cells: list[tuple[int, str | None, str]] = []
                for c in row.iter(f"{_MAIN}c"):
                    letters = re.match(r"[A-Z]+", c.get("r", ""))
                    column = _column_index(letters[0]) if letters else len(cells)
                    text = (
                        "".join(c.find(f"{_MAIN}is").itertext())
                        if c.get("t") == "inlineStr"
                        else c.findtext(f"{_MAIN}v") or ""
                    )
                    cells.append((column, c.get("t"), text))
                raw.append(cells)
                if len(raw) == count:
                    break
        wanted = {int(v) for row in raw for _, t, v in row if t == "s"}
        strings: dict[int, str] = {}
        if wanted:
            with zf.open("xl/sharedStrings.xml") as f:
                shared = etree.iterparse(f, tag=f"{_MAIN}si", resolve_entities=False)
                for i, (_, si) in enumerate(shared):
                    if i in wanted:
                        strings[i] = "".join(t.text or "" for t in si.iter(f"{_MAIN}t"))
                    if i >= max(wanted):
                        break
    out = []
    for row in raw:
        values = [""] * (max((col for col, _, _ in row), default=-1) + 1)
        for col, kind, text in row:
            if kind == "s":
                values[col] = strings.get(int(text), "").strip()
            elif kind in (None, "n") and re.fullmatch(r"\d{5}(\.0+)?", text):
                # a date cell: Excel's serial day number
                values[col] = _cell(
                    dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
                )
            else:
                values[col] = text.strip()
        out.append(values)
    return out


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _csv_head(head: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut by the head's end
                text = head[: exc.start].decode(encoding)
                break
    else:
        return []
    lines = text.splitlines()[:2]
    try:
        return [[c.strip() for c in row] for row in csv.reader(lines, strict=True)]
    except csv.Error:
        return []


def _published(rows: list[list[str]]) -> tuple[bool, dt.date | None]:
    """Whether two head rows are a ConList's, and the date its first row states."""
    if len(rows) < 2 or not rows[0] or rows[0][0] != "Last Updated":
        return False, None
    if "Group ID" not in rows[1] or "Group Type" not in rows[1]:
        return False, None
    return True, day_first(rows[0][1]) if len(rows[0]) > 1 else None


def sniff(path: Path, head: bytes) -> Sniffed | None:
    if head.startswith(_ZIP_MAGIC):
        try:
            rows = _xlsx_head(path)
        except _HEAD_ERRORS:
            return None
    elif head.removeprefix(b"\xef\xbb\xbf").lstrip(b'"').startswith(b"Last Updated"):
        rows = _csv_head(head)
    else:
        return None
    ours, published = _published(rows)
    return Sniffed(FORMAT, LIST_ID, published) if ours else None


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    path = one_file(paths, "ConList")
    head = read_head(path, 65536)
    try:
        rows = _xlsx_head(path) if head.startswith(_ZIP_MAGIC) else _csv_head(head)
    except _HEAD_ERRORS as exc:
        raise ParseError(
            path.name, "file", f"not a readable xlsx workbook: {exc}"
        ) from exc
    published = _published(rows)[1]
    return ParsedList(FORMAT, (path,), published, _entities(path, list_id))


def _entities(path: Path, list_id: str) -> Iterator[Entity]:
    folder = _read_all(path)
    layout_2018 = "Passport Number" not in folder.columns
    for group in folder.groups.values():
        yield _build(group, list_id, folder.groups, layout_2018)
