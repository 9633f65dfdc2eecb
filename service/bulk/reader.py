"""Reading a counterparty CSV as it streams in: encoding, delimiter, header, rows.

A file is read once, a line at a time, never whole: the first 64 KiB are looked at to
refuse what is not a CSV at all (a 4xx before any output), to pick the delimiter and to
map the header. Then each record becomes a :class:`Row`: a ``Query`` to screen, or an
error saying why it cannot be screened. Bad rows are never dropped; the output shows them.

Encoding: UTF-8 with or without a BOM; a byte that is not UTF-8 is read as Windows-1252
(so a cp1252 file reads right, and one odd byte in a UTF-8 file costs one character, not
the file).

Quoting: a quoted field may hold newlines, but a quote left open may not swallow the rest
of the file: a record spans at most ``MAX_RECORD_LINES`` lines, after which its first line
is reported as broken and the following lines are read again as records of their own.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from service.countries import to_iso
from service.errors import BadRequest
from service.matching.types import KINDS, AddressQuery, IdentifierQuery, Query
from service.sanitize import clean, needs_cleaning

SAMPLE_BYTES = 64 * 1024
MAX_FIELD = 1000  # characters in one cell; more is a row error
MAX_LINE = 64 * 1024  # characters in one physical line; more is a row error, read past in pieces
MAX_RECORD_LINES = 20  # physical lines one quoted record may span
DELIMITERS = (",", ";", "\t", "|")

# Formats a person may upload by mistake, recognised by their first bytes.
_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx workbook?)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document (.xls?)",
}


class NotCsv(BadRequest):
    """The upload is not a CSV file at all (binary, empty, no usable header)."""

    status = 415
    code = "not_csv"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: read the bytes that are not UTF-8 as Windows-1252 (its 5 holes as Latin-1)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), exc.end


ENCODING_ERRORS = "screening-cp1252-fallback"
codecs.register_error(ENCODING_ERRORS, _cp1252_fallback)


# --- header ---------------------------------------------------------------------------------

# Field → the header names (normalised: lower case, ASCII, words joined by "_") that mean it.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "row_id": (
        "id",
        "row_id",
        "rowid",
        "record_id",
        "ref",
        "reference",
        "customer_id",
        "client_id",
        "account_id",
        "account",
        "supplier_id",
        "vendor_id",
        "counterparty_id",
        "party_id",
        "key",
        "external_id",
    ),
    "name": (
        "name",
        "full_name",
        "fullname",
        "company",
        "company_name",
        "counterparty",
        "counterparty_name",
        "party",
        "party_name",
        "entity",
        "entity_name",
        "customer",
        "customer_name",
        "client",
        "client_name",
        "supplier",
        "supplier_name",
        "vendor",
        "vendor_name",
        "legal_name",
        "organisation",
        "organization",
        "organisation_name",
        "organization_name",
        "beneficiary",
        "beneficiary_name",
        "business_name",
        "account_name",
        "raison_sociale",
        "nom",
        "firma",
        "razon_social",
    ),
    "first_name": (
        "first_name",
        "firstname",
        "given_name",
        "given_names",
        "forename",
        "forenames",
        "prenom",
        "vorname",
    ),
    "middle_name": ("middle_name", "middle_names", "middlename"),
    "last_name": ("last_name", "lastname", "surname", "family_name", "nachname"),
    "kind": ("kind", "type", "entity_type", "party_type", "customer_type", "counterparty_type", "category"),
    "address": (
        "address",
        "full_address",
        "address_line",
        "addr",
        "postal_address",
        "registered_address",
        "adresse",
        "anschrift",
        "direccion",
    ),
    "street": (
        "street",
        "street_address",
        "address1",
        "address_1",
        "address_line_1",
        "address_line1",
        "line1",
        "line_1",
        "strasse",
    ),
    "street2": ("address2", "address_2", "address_line_2", "address_line2", "line2", "line_2"),
    "city": ("city", "town", "locality", "ville", "ort", "stadt", "ciudad"),
    "postal_code": (
        "postcode",
        "post_code",
        "postal_code",
        "postalcode",
        "zip",
        "zip_code",
        "zipcode",
        "plz",
        "code_postal",
    ),
    "region": ("region", "state", "province", "county", "state_province"),
    "country": (
        "country",
        "country_code",
        "countrycode",
        "country_iso",
        "iso_country",
        "nationality",
        "country_of_residence",
        "residence_country",
        "jurisdiction",
        "country_of_incorporation",
        "pays",
        "land",
        "pais",
    ),
    "birth_date": ("dob", "date_of_birth", "birth_date", "birthdate", "born", "birthday"),
    "identifier": ("identifier", "id_number", "document_number"),
    "imo": ("imo", "imo_number", "imo_no"),
    "passport": ("passport", "passport_number", "passport_no"),
    "swift_bic": ("bic", "swift", "swift_bic", "swift_code", "bic_code"),
    "registration_number": ("registration_number", "company_number", "reg_no", "registration_no", "ogrn"),
    "tax_number": ("tax_number", "tax_id", "tin", "vat", "vat_number", "inn"),
    "national_id": ("national_id", "national_id_number", "ssn"),
}
FIELDS = tuple(FIELD_NAMES)
_BY_HEADER = {alias: field for field, aliases in FIELD_NAMES.items() for alias in aliases}
IDENTIFIER_FIELDS = ("identifier", "imo", "passport", "swift_bic", "registration_number", "tax_number", "national_id")
_KIND_WORDS = {
    "person": "person", "individual": "person", "natural_person": "person", "natural": "person", "private": "person",
    "organization": "organization", "organisation": "organization", "company": "organization",
    "entity": "organization", "legal_person": "organization", "legal_entity": "organization",
    "business": "organization", "corporate": "organization", "vessel": "vessel", "ship": "vessel",
    "aircraft": "aircraft", "any": "any", "unknown": "any",
}  # fmt: skip
_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def normalise_header(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")


def parse_column_map(raw: str | Mapping[str, str] | None) -> dict[str, str]:
    """An explicit column map, given as ``{"name": "Customer Name"}`` or ``"name=Customer Name,country=Ctry"``."""
    if not raw:
        return {}
    if isinstance(raw, Mapping):
        pairs = list(raw.items())
    else:
        pairs = []
        for item in re.split(r"[,\n]", raw):
            if not item.strip():
                continue
            if "=" not in item:
                raise BadRequest(
                    f"column map: {item.strip()!r} is not field=Header",
                    details={"fields": {"columns": [f"{item.strip()!r} is not field=Header"]}},
                )
            key, _, value = item.partition("=")
            pairs.append((key.strip(), value.strip()))
    unknown = [key for key, _ in pairs if key not in FIELDS]
    if unknown:
        problem = f"unknown fields {', '.join(map(repr, unknown))}; known: {', '.join(FIELDS)}"
        raise BadRequest(f"column map: {problem}", details={"fields": {"columns": [problem]}})
    return {key: value for key, value in pairs}


def map_header(header: list[str], columns: Mapping[str, str] | None = None) -> dict[str, int]:
    """Field → column index: from the explicit map first, then by the header's common names."""
    mapping: dict[str, int] = {}
    normalised = [normalise_header(h) for h in header]
    for field_name, wanted in (columns or {}).items():
        for i, (given, norm) in enumerate(zip(header, normalised)):
            if given.strip() == wanted or norm == normalise_header(wanted):
                mapping[field_name] = i
                break
        else:
            problem = f"the column map names {wanted!r} for {field_name}, and the header has no such column"
            raise BadRequest(
                f"{problem}; it has: {', '.join(map(repr, header))}", details={"fields": {"columns": [problem]}}
            )
    taken = set(mapping.values())
    for i, norm in enumerate(normalised):
        known = _BY_HEADER.get(norm)
        if known and known not in mapping and i not in taken:
            mapping[known] = i
            taken.add(i)
    screenable = ("name", "first_name", "last_name", "address", "street", "city", "postal_code") + IDENTIFIER_FIELDS
    if not any(f in mapping for f in screenable):
        raise NotCsv(
            "no column to screen: the header must name a name, address or identifier column"
            f" (e.g. name, full_name, company, address, street, city, postcode) or give a column map; it has:"
            f" {', '.join(map(repr, header))}",
            details={"header": header},
        )
    return mapping


# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One input record: what to screen, or why it cannot be."""

    number: int  # 1-based, data records only (the header is not counted)
    line: int  # physical line where the record starts (the header is line 1)
    row_id: str  # the id column's value, else the record number
    fields: dict[str, str] = field(default_factory=dict)  # mapped fields as given, stripped
    error: str | None = None
    query: Query | None = None
    note: str | None = None  # something given but not used (an unknown country): screened without it

    cleaned: str | None = None  # what was removed from the cells (service.sanitize), in words

    def as_json(self) -> dict[str, Any]:
        """For storing a job's input: the query is rebuilt from the fields (``Row.from_json``)."""
        data = {"n": self.number, "l": self.line, "id": self.row_id, "f": self.fields, "e": self.error}
        return {**data, "c": self.cleaned} if self.cleaned else data

    @classmethod
    def from_json(cls, data: Mapping[str, Any], options: QueryOptions) -> Row:
        return make_row(data["n"], data["l"], data["id"], data["f"], options, error=data["e"], cleaned=data.get("c"))


@dataclass(frozen=True)
class QueryOptions:
    """What every row of one file is screened with."""

    lists: tuple[str, ...] | None = None
    threshold: float | None = None
    limit: int = 10


class RowError(ValueError):
    pass


def _identifiers(fields: Mapping[str, str]) -> tuple[IdentifierQuery, ...]:
    found = []
    for key in IDENTIFIER_FIELDS:
        value = fields.get(key)
        if value:
            found.append(IdentifierQuery(value=value, type=None if key == "identifier" else key))
    return tuple(found)


def build_query(fields: Mapping[str, str], options: QueryOptions) -> tuple[Query, str | None]:
    """The query a row's fields describe and a note on what it leaves out, or RowError naming the problem.

    An unknown country is left out, not an error: the row is screened without it (a
    country can only move a score a little), and the note says so."""
    name = fields.get("name") or " ".join(
        part for part in (fields.get("first_name"), fields.get("middle_name"), fields.get("last_name")) if part
    )
    country = None
    note = None
    if fields.get("country"):
        country = to_iso(fields["country"])
        if country is None:
            note = f"country {fields['country']!r} not recognised: screened without it"
    street = ", ".join(part for part in (fields.get("street"), fields.get("street2")) if part) or None
    parts = {
        "full": fields.get("address") or None,
        "street": street,
        "city": fields.get("city") or None,
        "postal_code": fields.get("postal_code") or None,
        "region": fields.get("region") or None,
    }
    address = AddressQuery(**parts, country=country) if any(parts.values()) else None
    identifiers = _identifiers(fields)
    if not name and address is None and not identifiers:
        raise RowError("no name and no address to screen")
    kind = "any"
    if fields.get("kind"):
        kind = _KIND_WORDS.get(normalise_header(fields["kind"]), "")
        if kind not in KINDS:
            raise RowError(f"kind: {fields['kind']!r} is not a person, organization, vessel or aircraft")
    birth_date = fields.get("birth_date") or None
    if birth_date and not _PARTIAL_DATE.match(birth_date):
        raise RowError(f"birth_date: {birth_date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return Query(
        name=name or None,
        kind=kind,
        address=address,
        country=country,
        birth_date=birth_date,
        identifiers=identifiers,
        lists=options.lists,
        threshold=options.threshold,
        limit=options.limit,
    ), note


def make_row(
    number: int,
    line: int,
    row_id: str,
    fields: dict[str, str],
    options: QueryOptions,
    error: str | None = None,
    cleaned: str | None = None,
) -> Row:
    if error is None:
        try:
            query, note = build_query(fields, options)
            note = "; ".join(n for n in (cleaned, note) if n) or None
            return Row(number, line, row_id, fields, None, query, note, cleaned)
        except RowError as exc:
            error = str(exc)
    return Row(number, line, row_id, fields, error, None, cleaned, cleaned)


def clean_cells(fields: dict[str, str]) -> tuple[dict[str, str], str | None]:
    """A row's cells cleaned (service.sanitize), and what was removed, by field, in words."""
    if not needs_cleaning("\n".join(fields.values())):  # one search for the whole row: nearly always
        return fields, None
    notes = []
    for key, value in fields.items():
        text, done = clean(value)
        if done:
            fields[key] = text.strip()
            notes.append(f"{key}: {done.describe()}")
    return {k: v for k, v in fields.items() if v}, "; ".join(notes) or None


class _Replay(io.RawIOBase):
    """The bytes already read (the sample), then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        return len(data)


def _read_sample(stream: BinaryIO) -> bytes:
    parts, size = [], 0
    while size < SAMPLE_BYTES:
        data = stream.read(SAMPLE_BYTES - size)
        if not data:
            break
        parts.append(data)
        size += len(data)
    return b"".join(parts)


def _check_text(sample: bytes) -> None:
    if not sample.strip():
        raise NotCsv("the file is empty: a CSV with a header row is needed")
    for magic, what in _MAGIC.items():
        if sample.startswith(magic):
            raise NotCsv(f"the file is {what}, not a CSV; export it as CSV first")
    if b"\x00" in sample:
        why = "UTF-16 text? save it as UTF-8" if sample[:2] in (b"\xff\xfe", b"\xfe\xff") else "binary data"
        raise NotCsv(f"the file is not a CSV text file: it holds NUL bytes ({why})")
    text = sample.decode("utf-8", errors=ENCODING_ERRORS)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > max(8, len(text) // 100):
        raise NotCsv("the file is not a CSV text file: it is full of control characters (binary data?)")


def _unquoted_count(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header row uses most (outside quotes); a comma for a one-column file."""
    counts = {d: _unquoted_count(header_line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


class CsvInput:
    """An uploaded CSV, read lazily: ``header``, ``delimiter`` and ``mapping`` once opened, then rows."""

    def __init__(
        self,
        stream: BinaryIO,
        *,
        columns: Mapping[str, str] | None = None,
        options: QueryOptions | None = None,
        max_field: int = MAX_FIELD,
    ) -> None:
        sample = _read_sample(stream)
        _check_text(sample)
        self.options = options or QueryOptions()
        self.max_field = max_field
        self.utf8_bom = sample.startswith(codecs.BOM_UTF8)
        buffered = io.BufferedReader(_Replay(sample, stream), buffer_size=SAMPLE_BYTES)
        self._text = io.TextIOWrapper(buffered, encoding="utf-8-sig", errors=ENCODING_ERRORS, newline="")
        self._pending: deque[tuple[int, str]] = deque()  # lines read ahead, to be read again
        self._line = 0
        first = self._next_record()
        while first is not None and isinstance(first[1], str) and not first[1].strip():
            first = self._next_record()  # blank lines before the header
        if first is None:
            raise NotCsv("the file is empty: a CSV with a header row is needed")
        if not isinstance(first[1], str):
            raise NotCsv(f"the header row cannot be read: {first[1][0]}")
        self.delimiter = sniff_delimiter(first[1])
        try:
            self.header = [h.strip() for h in self._split(first[1])]
        except csv.Error as exc:
            raise NotCsv(f"the header row cannot be read: {exc}") from exc
        self.mapping = map_header(self.header, columns)
        self._id_column = self.mapping.get("row_id")

    # --- records ------------------------------------------------------------------------

    def _readline(self) -> tuple[int, str, bool] | None:
        """The next physical line, its number, and whether it fitted in MAX_LINE characters."""
        if self._pending:
            number, text = self._pending.popleft()
            return number, text, True
        text = self._text.readline(MAX_LINE)
        if not text:
            return None
        self._line += 1
        if len(text) >= MAX_LINE and not text.endswith(("\n", "\r")):
            while True:  # read past the rest of the line without holding it
                more = self._text.readline(MAX_LINE)
                if not more or more.endswith(("\n", "\r")):
                    break
            return self._line, "", False
        return self._line, text, True

    def _next_record(self) -> tuple[int, str] | tuple[int, tuple[str]] | None:
        """(first line, record text), or (first line, (problem,)) for a record that cannot be read."""
        first = self._readline()
        if first is None:
            return None
        start, text, fitted = first
        if not fitted:
            return start, (f"line {start} is longer than {MAX_LINE:,} characters",)
        if text.count('"') % 2 == 0:
            return start, text
        lines = [(start, text)]
        quotes = text.count('"')
        while quotes % 2 and len(lines) < MAX_RECORD_LINES:
            more = self._readline()
            if more is None or not more[2]:
                if more is not None:
                    self._pending.append((more[0], ""))
                break
            lines.append((more[0], more[1]))
            quotes += more[1].count('"')
        if quotes % 2 == 0:
            return start, "".join(t for _, t in lines)
        # A quote left open: report the first line, read the others again as records.
        self._pending.extendleft(reversed(lines[1:]))
        return start, (f"broken quoting: a quote opened on line {start} is never closed",)

    def _split(self, text: str) -> list[str]:
        if '"' not in text:
            return text.rstrip("\r\n").split(self.delimiter)
        return next(csv.reader([text.rstrip("\r\n")], delimiter=self.delimiter, strict=True))

    def __iter__(self) -> Iterator[Row]:
        number = 0
        width = len(self.header)
        mapping = self.mapping
        id_column = self._id_column
        while True:
            record = self._next_record()
            if record is None:
                return
            line, text = record
            if isinstance(text, str) and not text.strip():
                continue  # a blank line is no record
            number += 1
            if not isinstance(text, str):
                yield Row(number, line, str(number), {}, text[0])
                continue
            try:
                cells = self._split(text)
            except csv.Error as exc:
                yield Row(number, line, str(number), {}, f"line {line}: broken quoting: {exc}")
                continue
            row_id = str(number)
            if id_column is not None and id_column < len(cells) and cells[id_column].strip():
                row_id = cells[id_column].strip()[: self.max_field]
                if needs_cleaning(row_id):
                    row_id = clean(row_id)[0] or str(number)
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                problem = (
                    f"line {line}: {len(cells)} fields where the header has {width} (a delimiter in an unquoted field?)"
                )
                yield Row(number, line, row_id, {}, problem)
                continue
            fields = {}
            too_long = None
            for key, index in mapping.items():
                if index < len(cells):
                    value = cells[index].strip()
                    if value:
                        fields[key] = value
            for index, cell in enumerate(cells):
                if len(cell) > self.max_field:
                    column = self.header[index] if index < width else f"column {index + 1}"
                    too_long = f"{column}: {len(cell):,} characters, more than the {self.max_field:,} allowed"
                    break
            fields, cleaned = clean_cells(fields)
            if too_long:
                yield Row(number, line, row_id, {k: v[:100] for k, v in fields.items()}, too_long)
                continue
            yield make_row(number, line, row_id, fields, self.options, cleaned=cleaned)
