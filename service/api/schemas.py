"""Marshmallow schemas of what the API takes and returns. The OpenAPI document is generated from them."""

from __future__ import annotations

import datetime
import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from service.auth import SCOPES, name_problem
from service.countries import to_iso
from service.matching.algorithms import ALGORITHMS, DEFAULT_ALGORITHM
from service.matching.score import DEFAULT_THRESHOLD
from service.matching.types import KINDS, AddressQuery, IdentifierQuery, Query
from service.model import IdType, Kind, LinkType, NameType
from service.screening import REVIEW_MARGIN
from service.timestamps import rfc3339

CANDIDATES_DESCRIPTION = (
    "How many entities of the lists candidate selection passed to the scorer (each scored on every one of its"
    " names; entities a list carries only as linked count too); not a count of hits"
)


class Timestamp(fields.DateTime):
    """A moment, kept as Unix seconds, given out as RFC 3339 UTC (service.timestamps): the one
    form of every time in the API. Documented as a string of format date-time."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else rfc3339(value)


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "Machine-readable error code"})
    message = fields.String(required=True, metadata={"description": "What went wrong, for a person"})
    details = fields.Raw(allow_none=True, metadata={"description": "Structured detail: fields, reasons …"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class NameSchema(Schema):
    full = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in NameType]))
    script = fields.String(metadata={"description": "ISO 15924 script code of a non-Latin name"})


class AddressSchema(Schema):
    full = fields.String(required=True)
    street = fields.String()
    city = fields.String()
    postal_code = fields.String()
    region = fields.String()
    country = fields.String(metadata={"description": "ISO 3166-1 alpha-2"})


class BirthDateSchema(Schema):
    date = fields.String(required=True, metadata={"description": "ISO date, year-month or year"})
    until = fields.String(metadata={"description": "End of a range, inclusive"})


class IdentifierSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in IdType]))
    value = fields.String(required=True)
    country = fields.String()
    label = fields.String()


class LinkSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in LinkType]))
    target = fields.String(allow_none=True)
    target_name = fields.String()
    share = fields.Float(metadata={"description": "Ownership share in percent"})
    label = fields.String()
    source = fields.String()


class EntitySchema(Schema):
    id = fields.String(required=True, metadata={"example": "us_ofac_sdn:10278"})
    list_id = fields.String(required=True)
    reference = fields.String(required=True, metadata={"description": "The list's own reference"})
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in Kind]))
    names = fields.List(fields.Nested(NameSchema), required=True)
    addresses = fields.List(fields.Nested(AddressSchema))
    countries = fields.List(fields.String())
    nationalities = fields.List(fields.String())
    birth_dates = fields.List(fields.Nested(BirthDateSchema))
    birth_places = fields.List(fields.String())
    identifiers = fields.List(fields.Nested(IdentifierSchema))
    programs = fields.List(fields.String())
    listed_on = fields.String()
    remarks = fields.String()
    links = fields.List(fields.Nested(LinkSchema))
    details = fields.List(fields.List(fields.String()), metadata={"description": "[key, value] pairs"})
    listed = fields.Boolean(
        metadata={"description": "Present and false for a party a list carries only as linked to listed ones"}
    )


class RelatedSchema(Schema):
    direction = fields.String(
        required=True,
        validate=validate.OneOf(["out", "in", "derived"]),
        metadata={"description": "out: a link it holds; in: one held by the other; derived: a shared address or id"},
    )
    type = fields.String(required=True, metadata={"description": "Read as '<entity> <type> <related>'"})
    entity_id = fields.String(allow_none=True, required=True)
    name = fields.String(allow_none=True, required=True)
    kind = fields.String(allow_none=True)
    share = fields.Float()
    label = fields.String()
    source = fields.String()


class ChainStepSchema(Schema):
    asset = fields.String(required=True)
    owner = fields.String(required=True)
    share = fields.Float(metadata={"description": "Percent; absent when the source gives none"})
    source = fields.String(required=True)


class OwnershipSchema(Schema):
    share = fields.Float(
        required=True,
        metadata={"description": "Percent held by listed parties and parties blocked by extension, added up"},
    )
    blocked = fields.Boolean(required=True, metadata={"description": "share >= 50: blocked by extension"})
    controlled = fields.Boolean(
        required=True, metadata={"description": "Owned or controlled by a listed party, share not given"}
    )
    chains = fields.List(
        fields.List(fields.Nested(ChainStepSchema)),
        metadata={"description": "Ownership chains from the entity up to a listed party"},
    )


class EntityResponseSchema(Schema):
    entity = fields.Nested(EntitySchema, required=True)
    list_version = fields.String(required=True)
    related = fields.List(fields.Nested(RelatedSchema), required=True)
    ownership = fields.Nested(
        OwnershipSchema, allow_none=True, metadata={"description": "What listed parties own of it, if anything"}
    )


class NetworkQuerySchema(Schema):
    depth = fields.Integer(load_default=1, validate=validate.Range(1, 3), metadata={"description": "Links out; 1"})
    limit = fields.Integer(
        load_default=100, validate=validate.Range(1, 500), metadata={"description": "Edges per page; 100"}
    )
    offset = fields.Integer(load_default=0, validate=validate.Range(0), metadata={"description": "Edges skipped"})


class NetworkNodeOwnershipSchema(Schema):
    share = fields.Float(required=True)
    blocked = fields.Boolean(required=True)
    controlled = fields.Boolean(required=True)


class NetworkNodeSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    list_id = fields.String(required=True)
    kind = fields.String(required=True)
    listed = fields.Boolean(required=True, metadata={"description": "false: a list carries it only as linked"})
    programs = fields.List(fields.String(), required=True)
    distance = fields.Integer(required=True, metadata={"description": "Links from the entity asked about"})
    ownership = fields.Nested(NetworkNodeOwnershipSchema)


class NetworkEdgeSchema(Schema):
    from_ = fields.String(required=True, data_key="from")
    to = fields.String(required=True)
    type = fields.String(
        required=True,
        metadata={
            "description": "Read '<from> <type> <to>': owned_by, director_of, family_of, associate_of, linked_to,"
            " same_address, same_identifier"
        },
    )
    share = fields.Float(allow_none=True, required=True)
    label = fields.String(allow_none=True, required=True, metadata={"description": "The list's own words"})
    source = fields.String(required=True, metadata={"description": "Provenance"})


class NetworkResponseSchema(Schema):
    entity_id = fields.String(required=True)
    depth = fields.Integer(required=True)
    offset = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    total_nodes = fields.Integer(required=True, metadata={"description": "Entities within the depth (≤ 500)"})
    total_edges = fields.Integer(required=True)
    next_offset = fields.Integer(allow_none=True, required=True, metadata={"description": "null on the last page"})
    truncated = fields.Boolean(required=True, metadata={"description": "The 500-entity bound cut the network"})
    nodes = fields.List(fields.Nested(NetworkNodeSchema), required=True)
    edges = fields.List(fields.Nested(NetworkEdgeSchema), required=True)


class FileSchema(Schema):
    name = fields.String(required=True)
    sha256 = fields.String(required=True)
    bytes = fields.Integer(required=True)


class LinkCountsSchema(Schema):
    by_type = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"example": {"owned_by": 14, "family_of": 4, "same_address": 6, "same_identifier": 2}},
    )
    by_source = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={
            "description": '"list": links the list gives; "derived: same address|identifier": pairs of its'
            " entities that share one (pairs across lists are derived by the screening workers)",
            "example": {"list": 21, "derived: same address": 6, "derived: same identifier": 2},
        },
    )
    blocked_by_extension = fields.Integer(
        metadata={"description": "Entities not listed themselves but owned 50% or more by listed parties"}
    )


class ListStatusSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    issuer = fields.String(required=True)
    enabled = fields.Boolean(required=True)
    loaded = fields.Boolean(required=True)
    version = fields.String(allow_none=True, required=True)
    format = fields.String(allow_none=True)
    files = fields.List(fields.Nested(FileSchema))
    published = fields.String(
        allow_none=True,
        metadata={"description": "Date the served version was published (see published_from), ISO; null when unknown"},
    )
    published_from = fields.String(
        allow_none=True,
        validate=validate.OneOf(["file", "file name", "latest entry"]),
        metadata={
            "description": "How published is known: printed in the file, the date in its name, or the latest"
            " entry's date (the file prints none: a lower bound)"
        },
    )
    publication_age_days = fields.Integer(
        allow_none=True, metadata={"description": "Days since published: the issuer's clock, not the load's"}
    )
    max_publication_age_days = fields.Integer(
        allow_none=True,
        metadata={"description": "The list manifest's limit on publication_age_days past which it warns; null: none"},
    )
    outdated = fields.Boolean(
        required=True,
        metadata={
            "description": "publication_age_days is past max_publication_age_days: a warning (in /readyz too),"
            " the list is still served"
        },
    )
    allowed_older = fields.Boolean(
        required=True,
        metadata={"description": "The version was loaded with --allow-older over a newer publication"},
    )
    warnings = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "What an operator should know: an outdated publication, aliases or addresses the"
            " load lost against the previous version, an older publication forced"
        },
    )
    loaded_at = Timestamp(allow_none=True)
    checked_at = Timestamp(
        allow_none=True, metadata={"description": "Last time the source was confirmed current"}
    )
    age_seconds = fields.Integer(allow_none=True, metadata={"description": "Seconds since checked_at"})
    max_age_seconds = fields.Integer(required=True)
    stale = fields.Boolean(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    links = fields.Nested(
        LinkCountsSchema,
        metadata={"description": "The version's links (those the list gives, and derived inside it)"},
    )
    last_error = fields.Dict(allow_none=True)
    license = fields.String(allow_none=True)


class ListsResponseSchema(Schema):
    lists = fields.List(fields.Nested(ListStatusSchema), required=True)
    links_across_lists = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        allow_none=True,
        metadata={
            "description": "Derived links between entities of different lists (pairs sharing an address or an"
            " identifier), as the answering worker's link graph holds them; null while it is still building it",
            "example": {"same_address": 120, "same_identifier": 45},
        },
    )


class SanitizedSchema(Schema):
    class Meta:
        description = (
            "Characters removed from a field before it was screened: bidi controls (an override is"
            " resolved to the order the text displays in), zero-width and other invisible characters,"
            " variation selectors, emoji, control characters and ANSI escapes"
        )

    field = fields.String(required=True, metadata={"description": "The field's dotted path", "example": "name"})
    removed = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Each character removed, by code point and name, with how many times",
            "example": ["U+202E RIGHT-TO-LEFT OVERRIDE"],
        },
    )
    reordered = fields.Boolean(
        required=True, metadata={"description": "A right-to-left override was resolved: the text reads as it displays"}
    )


SANITIZED_DESCRIPTION = (
    "What was removed from the request's text before screening (see SanitizedSchema); empty when nothing"
)


class ScreeningRecordSchema(Schema):
    class Meta:
        description = (
            "A screening as the audit trail recorded it when it was answered: one of /v1/screen or"
            " /v1/screen/batch, or one row of a bulk CSV (row, row_id, and bulk_id or job_id)."
        )

    screening_id = fields.String(required=True, metadata={"example": "1764463200123-0"})
    recorded_at = Timestamp(required=True)
    endpoint = fields.String(required=True)
    key_id = fields.String(allow_none=True, required=True, metadata={"description": "null: authentication off"})
    request_id = fields.String(allow_none=True, required=True)
    decision = fields.String(
        validate=validate.OneOf(["hit", "review", "clear"]),
        metadata={"description": "As answered (a bulk row's under its request's review_threshold)"},
    )
    row = fields.Integer(metadata={"description": "A bulk row: its number in the file (the header not counted)"})
    row_id = fields.String(metadata={"description": "A bulk row: the value of its id column, else its number"})
    bulk_id = fields.String(
        metadata={"description": "A row of POST /v1/screen/csv: the request's own audit record (file, options)"}
    )
    job_id = fields.String(metadata={"description": "A row of a job: the job"})
    input = fields.Dict(required=True, metadata={"description": "The query as given"})
    normalised = fields.Dict(required=True, metadata={"description": "Name and address tokens, identifier keys"})
    lists = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    algorithm = fields.String(required=True)
    threshold = fields.Float(required=True)
    candidates = fields.Integer(required=True, metadata={"description": CANDIDATES_DESCRIPTION})
    hits = fields.List(fields.Dict(), required=True)
    linked_hits = fields.List(fields.Dict(), required=True)
    sanitized = fields.List(
        fields.Nested(SanitizedSchema), metadata={"description": "What was removed from the input's text, if anything"}
    )


class KeySchema(Schema):
    id = fields.String(required=True, metadata={"example": "3f9c2a7e5b7d"})
    name = fields.String(required=True)
    scopes = fields.List(fields.String(validate=validate.OneOf(SCOPES)), required=True)
    created_at = Timestamp(required=True)
    revoked_at = Timestamp(allow_none=True, required=True, metadata={"description": "null: not revoked"})
    rate_limit_per_minute = fields.Integer(required=True, metadata={"description": "0: no limit"})


class KeysResponseSchema(Schema):
    keys = fields.List(fields.Nested(KeySchema), required=True)


def _key_name(name: str) -> None:
    if (problem := name_problem(name)) is not None:
        raise ValidationError(problem[0].upper() + problem[1:] + ".")


class KeyCreateSchema(Schema):
    name = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=100), _key_name],
        metadata={"description": "Printable text: no control, bidi or zero-width characters"},
    )
    scopes = fields.List(
        fields.String(validate=validate.OneOf(SCOPES)),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "screen: screening, lists, entities; bulk: CSV and jobs; admin: everything"},
    )
    rate_limit_per_minute = fields.Integer(
        strict=True,
        validate=validate.Range(0),
        metadata={"description": "Default SCREENING_RATE_LIMIT; 0: no limit"},
    )


class KeyCreatedSchema(Schema):
    key = fields.Nested(KeySchema, required=True)
    token = fields.String(
        required=True,
        metadata={"description": "Send as 'Authorization: Bearer <token>' or 'X-API-Key: <token>'. Shown once."},
    )


class ReloadResponseSchema(Schema):
    list_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["loaded", "unchanged"]))
    version = fields.String(allow_none=True, required=True)
    error = fields.String(allow_none=True, required=True)
    seconds = fields.Float(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


class ReadySchema(Schema):
    status = fields.String(required=True, metadata={"example": "ready"})
    warnings = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "What an operator must know though the service is ready: authentication off, a list"
            " whose publication is older than its manifest allows, a load that lost aliases or addresses"
        },
    )
    lists = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "list id → version served"}
    )


# --- Screening: what comes in -----------------------------------------------------------------
#
# Input is checked here, at the edge, and leaves as the frozen types of service.matching.
# Every problem is reported against the field it concerns; see service.api.screen for the
# shape of the 400.

NAME_MAX = 500
ADDRESS_MAX = 1000
IDENTIFIER_MAX = 200
MAX_IDENTIFIERS = 20
MAX_BATCH = 1000
MAX_NETWORK_DEPTH = 3
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# What the spec says of a Text: something other than whitespace (a JSON Schema pattern is
# searched, not anchored; Python's \s, used by str.strip below, is Unicode's whitespace).
NOT_BLANK = r"\S"


class Text(fields.String):
    """A string without its surrounding whitespace; a blank one is an error, not an empty value."""

    default_error_messages = {"blank": "Must not be blank."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**kwargs, "metadata": {"pattern": NOT_BLANK, **kwargs.get("metadata", {})}})

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise self.make_error("blank")
        return text


class Country(fields.String):
    """A country as an ISO 3166-1 alpha-2 code or a name ("Russia", "Korea, North"), loaded as the code."""

    default_error_messages = {"unknown": "Unknown country {input!r}: give an ISO 3166-1 alpha-2 code or a name."}

    def __init__(self, **kwargs: Any) -> None:
        # A blank is no country: the spec says so, as the loader does.
        super().__init__(metadata={"pattern": NOT_BLANK, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        code = to_iso(text)
        if code is None:
            raise self.make_error("unknown", input=text)
        return code


def _real_date(value: str) -> None:
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise ValidationError("Must be YYYY, YYYY-MM or YYYY-MM-DD.")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError as exc:
        raise ValidationError(f"Not a real date: {exc}.") from exc


class PartialDate(fields.String):
    """A date as precise as it is known: "1963", "1963-07" or "1963-07-28"."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": _PARTIAL_DATE.pattern, "example": "1963-07-28", **kwargs.pop("metadata", {})}
        super().__init__(validate=_real_date, metadata=metadata, **kwargs)


class StringOrObject(fields.Field):
    """A value given either as one string or as an object; the string stands for ``{key: string}``."""

    def __init__(self, nested: type[Schema], key: str, max_length: int, **kwargs: Any) -> None:
        ref = {"$ref": f"#/components/schemas/{nested.__name__.removesuffix('Schema')}"}
        # An empty object says nothing and is refused: the spec says so (minProperties).
        choices: list[dict[str, Any]] = [
            {"type": "string", "maxLength": max_length, "pattern": NOT_BLANK},
            {**ref, "minProperties": 1},
        ]
        if kwargs.get("allow_none"):
            choices.append({"type": "null"})
        super().__init__(metadata={"oneOf": choices, **kwargs.pop("metadata", {})}, **kwargs)
        self.nested = nested
        self.key = key

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            try:
                return self.nested().load({self.key: value})
            except ValidationError as exc:  # about the string itself, not a key the caller never wrote
                raise ValidationError(exc.messages.get(self.key, exc.messages)) from exc  # type: ignore[union-attr]
        if isinstance(value, dict):
            return self.nested().load(value)
        raise ValidationError("Must be a string or an object.")


def _between(low: float, high: float) -> validate.Range:
    return validate.Range(low, high, error=f"Must be between {low:g} and {high:g}.")


class AddressQuerySchema(Schema):
    full = Text(validate=validate.Length(max=ADDRESS_MAX), metadata={"description": "The address on one line"})
    street = Text(validate=validate.Length(max=ADDRESS_MAX))
    city = Text(validate=validate.Length(max=ADDRESS_MAX))
    postal_code = Text(validate=validate.Length(max=ADDRESS_MAX))
    region = Text(validate=validate.Length(max=ADDRESS_MAX))
    country = Country(metadata={"description": "ISO 3166-1 alpha-2 code or country name"})

    @validates_schema
    def _not_empty(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError("Give the address on one line (full) or in parts.")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> AddressQuery:
        return AddressQuery(**data)


class IdentifierQuerySchema(Schema):
    type = fields.String(
        allow_none=True,
        validate=validate.OneOf([t.value for t in IdType]),
        metadata={"description": "Omit to match the value against identifiers of any type"},
    )
    value = Text(required=True, validate=validate.Length(max=IDENTIFIER_MAX), metadata={"example": "9187629"})

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> IdentifierQuery:
        return IdentifierQuery(value=data["value"], type=data.get("type"))


class CompareQuerySchema(Schema):
    class Meta:
        description = "One counterparty. A name, an address or identifiers are required."

    name = Text(allow_none=True, validate=validate.Length(max=NAME_MAX), metadata={"example": "Rosoboronexport"})
    kind = fields.String(
        allow_none=True,
        validate=validate.OneOf(KINDS),
        metadata={"description": "What the counterparty is; `any` (the default) when unknown"},
    )
    address = StringOrObject(
        AddressQuerySchema,
        "full",
        ADDRESS_MAX,
        allow_none=True,
        metadata={"description": f"One line, or an object of parts; at most {ADDRESS_MAX} characters a part"},
    )
    country = Country(
        allow_none=True,
        metadata={"description": "Residence, registration or nationality: ISO 3166-1 alpha-2 code or name"},
    )
    birth_date = PartialDate(allow_none=True, metadata={"description": "YYYY, YYYY-MM or YYYY-MM-DD"})
    identifiers = fields.List(
        fields.Nested(IdentifierQuerySchema), allow_none=True, validate=validate.Length(max=MAX_IDENTIFIERS)
    )
    algorithm = fields.String(
        allow_none=True,
        validate=validate.OneOf(list(ALGORITHMS)),
        metadata={
            "description": f"The scoring algorithm; default {DEFAULT_ALGORITHM}. ssm-1 stays selectable, to"
            " compare and to replay earlier screenings"
        },
    )

    @validates_schema
    def _something_to_match(self, data: dict[str, Any], **kwargs: Any) -> None:
        address = data.get("address")
        if not (data.get("name") or (address and address.one_line()) or data.get("identifiers")):
            raise ValidationError("A name, an address or identifiers are required.", "name")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Query:
        given = {key: value for key, value in data.items() if value is not None}  # null means "not given"
        given.pop("counterparty_id", None)  # not part of the query: the view reads it (suppression)
        if "identifiers" in given:
            given["identifiers"] = tuple(given["identifiers"])
        if "lists" in given:
            given["lists"] = tuple(dict.fromkeys(given["lists"]))
        return Query(**given)


class ScreenRequestSchema(CompareQuerySchema):
    class Meta:
        description = (
            "One counterparty to screen, and how: against which lists, from which score, how many hits."
            " A name, an address or identifiers are required."
        )

    lists = fields.List(
        Text(),
        allow_none=True,
        validate=validate.Length(min=1),
        metadata={"description": "Screen against these list ids only; default: every list the service serves"},
    )
    threshold = fields.Float(
        allow_none=True,
        validate=_between(0, 1),
        metadata={
            "description": f"Score from which a hit is a match; default {DEFAULT_THRESHOLD:.2f} ({DEFAULT_ALGORITHM})."
            f" Hits up to {REVIEW_MARGIN:.2f} below it are reported too, with match false, for review"
        },
    )
    limit = fields.Integer(
        strict=True,
        allow_none=True,
        validate=_between(1, 100),
        metadata={"description": "Most hits returned, and most linked hits; 10"},
    )
    counterparty_id = Text(
        allow_none=True,
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "The client id of a monitored counterparty: hits an analyst cleared for it, on the"
            " listed record as it still is, come back with `suppressed` (reported, never dropped)"
        },
    )
    network_depth = fields.Integer(
        strict=True,
        allow_none=True,
        validate=_between(0, MAX_NETWORK_DEPTH),
        metadata={
            "description": "Links followed from what the counterparty matched to a listed party (linked_hits);"
            " 2, or 0 for none"
        },
    )


class ScreenBatchRequestSchema(Schema):
    queries = fields.List(
        fields.Nested(ScreenRequestSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_BATCH),
        metadata={"description": f"1 to {MAX_BATCH} screenings, answered in the same order"},
    )

    @pre_load
    def _not_too_many(self, data: Any, **kwargs: Any) -> Any:
        # Refuse an oversized batch before checking every one of its queries.
        queries = data.get("queries") if isinstance(data, dict) else None
        if isinstance(queries, list) and len(queries) > MAX_BATCH:
            raise ValidationError(f"At most {MAX_BATCH} queries, not {len(queries)}.", "queries")
        return data


class RecordNameSchema(Schema):
    full = Text(required=True, validate=validate.Length(max=NAME_MAX))
    type = fields.String(
        validate=validate.OneOf([t.value for t in NameType]),
        metadata={"description": "Default: primary for the first name, aka for the others"},
    )


class CompareRecordSchema(Schema):
    class Meta:
        description = "A record to compare with, as a list would hold it."

    names = fields.List(
        StringOrObject(RecordNameSchema, "full", NAME_MAX),
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"example": ["ROSOBORONEKSPORT OAO", "ROSOBORONEXPORT"]},
    )
    kind = fields.String(validate=validate.OneOf([k.value for k in Kind]))
    birth_dates = fields.List(PartialDate(), validate=validate.Length(max=20))
    countries = fields.List(
        Country(), validate=validate.Length(max=20), metadata={"description": "ISO 3166-1 alpha-2 codes or names"}
    )
    addresses = fields.List(StringOrObject(AddressQuerySchema, "full", ADDRESS_MAX), validate=validate.Length(max=20))
    identifiers = fields.List(fields.Nested(IdentifierQuerySchema), validate=validate.Length(max=MAX_IDENTIFIERS))


class CompareRequestSchema(Schema):
    query = fields.Nested(CompareQuerySchema, required=True)
    record = fields.Nested(CompareRecordSchema, required=True)
    threshold = fields.Float(
        allow_none=True,
        validate=_between(0, 1),
        metadata={
            "description": f"Score from which the pair is a match; default {DEFAULT_THRESHOLD:.2f}"
            f" ({DEFAULT_ALGORITHM})"
        },
    )


# --- Screening: what goes out ----------------------------------------------------------------


class Score(fields.Float):
    """A score or a share of one, to four decimal places."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> float | None:
        return None if value is None else round(float(value), 4)


class FeatureSchema(Schema):
    name = fields.String(required=True, metadata={"example": "name"})
    contribution = Score(required=True, metadata={"description": "Signed change to the score"})
    detail = fields.String(required=True, metadata={"description": "Why, in words"})


class SuppressionSchema(Schema):
    class Meta:
        description = (
            "An analyst cleared this hit as a false positive for the counterparty_id given, on the"
            " listed record as it still is"
        )

    alert_id = fields.Integer(required=True)
    state = fields.String(required=True, metadata={"description": "cleared"})
    by = fields.String(allow_none=True, required=True, metadata={"description": "The API key id that decided"})
    at = fields.String(required=True, metadata={"description": "When it was decided (RFC 3339, UTC)"})
    note = fields.String(allow_none=True, required=True)
    digest = fields.String(allow_none=True, required=True, metadata={"description": "The listed record's digest"})


class HitSchema(Schema):
    entity_id = fields.String(required=True, metadata={"example": "us_ofac_sdn:10278"})
    list_id = fields.String(required=True)
    reference = fields.String(required=True, metadata={"description": "The list's own reference"})
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in Kind]))
    listed_name = fields.String(required=True, metadata={"description": "The entity's primary name"})
    matched_name = fields.String(
        allow_none=True, required=True, metadata={"description": "The listed name that matched, maybe an alias"}
    )
    score = Score(required=True)
    match = fields.Boolean(required=True, metadata={"description": "score >= threshold"})
    programs = fields.List(fields.String(), required=True)
    features = fields.List(fields.Nested(FeatureSchema), required=True)
    suppressed = fields.Nested(
        SuppressionSchema, metadata={"description": "Only with counterparty_id: see Suppression"}
    )


class PathStepSchema(Schema):
    from_id = fields.String(
        allow_none=True, required=True, metadata={"description": "null: the counterparty itself"}
    )
    from_name = fields.String(required=True)
    relation = fields.String(
        required=True,
        metadata={
            "description": "How from relates to to: owned_by, owns, director_of, directed_by, family_of,"
            " associate_of, linked_to, same_address, same_identifier"
        },
    )
    to_id = fields.String(required=True)
    to_name = fields.String(required=True)
    share = fields.Float(allow_none=True, required=True, metadata={"description": "Ownership share in percent"})
    source = fields.String(
        required=True, metadata={"description": "Provenance: the list and record, or the shared address or identifier"}
    )


class LinkedHitSchema(Schema):
    entity_id = fields.String(required=True, metadata={"description": "The listed party reached"})
    list_id = fields.String(required=True)
    reference = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in Kind]))
    listed_name = fields.String(required=True)
    programs = fields.List(fields.String(), required=True)
    score = Score(
        required=True, metadata={"description": "match_score times the weight of every link on the path"}
    )
    match = fields.Boolean(required=True, metadata={"description": "score >= threshold"})
    relation = fields.String(required=True, metadata={"description": "The first link on the path"})
    distance = fields.Integer(required=True, metadata={"description": "Links on the path"})
    path = fields.List(fields.Nested(PathStepSchema), required=True)
    explanation = fields.String(required=True, metadata={"description": "The path in words"})
    matched_entity_id = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The entity the counterparty matched; null when its address did"},
    )
    matched_name = fields.String(allow_none=True, required=True)
    match_score = Score(required=True, metadata={"description": "How well the counterparty matched it"})
    features = fields.List(fields.Nested(FeatureSchema), required=True)
    blocked_by_extension = fields.Boolean(
        required=True,
        metadata={"description": "The matched entity is 50% or more owned by blocked parties (OFAC 50% rule)"},
    )
    ownership_share = Score(
        allow_none=True,
        required=True,
        metadata={"description": "Percent of the matched entity held by listed or blocked parties"},
    )
    suppressed = fields.Nested(
        SuppressionSchema, metadata={"description": "Only with counterparty_id: see Suppression"}
    )


class ScreenResponseSchema(Schema):
    screening_id = fields.String(
        required=True,
        metadata={
            "description": "The audit record's id: GET /v1/screenings/{screening_id}",
            "example": "1764463200123-0",
        },
    )
    decision = fields.String(
        required=True,
        validate=validate.OneOf(["hit", "review", "clear"]),
        metadata={
            "description": "As a CSV row's: hit when a hit or linked hit matches; review when hits were reported,"
            " none matching; clear when none was"
        },
    )
    algorithm = fields.String(required=True, metadata={"example": DEFAULT_ALGORITHM})
    threshold = Score(required=True)
    lists = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "list id → version screened against"},
    )
    candidates = fields.Integer(
        required=True,
        metadata={
            "description": CANDIDATES_DESCRIPTION
        },
    )
    hits = fields.List(
        fields.Nested(HitSchema),
        required=True,
        metadata={"description": "Listed parties the counterparty matched, best first"},
    )
    linked_hits = fields.List(
        fields.Nested(LinkedHitSchema),
        required=True,
        metadata={
            "description": "Listed parties reached through links (ownership, control, family, a shared address"
            " or identifier) from an entity the counterparty matched or from its address; best first"
        },
    )
    sanitized = fields.List(
        fields.Nested(SanitizedSchema), required=True, metadata={"description": SANITIZED_DESCRIPTION}
    )


class ScreenBatchResponseSchema(Schema):
    results = fields.List(fields.Nested(ScreenResponseSchema), required=True)


class CompareResponseSchema(Schema):
    algorithm = fields.String(required=True, metadata={"example": DEFAULT_ALGORITHM})
    threshold = Score(required=True)
    score = Score(required=True)
    match = fields.Boolean(required=True)
    query_name = fields.String(allow_none=True, required=True)
    matched_name = fields.String(allow_none=True, required=True)
    features = fields.List(fields.Nested(FeatureSchema), required=True)
    sanitized = fields.List(
        fields.Nested(SanitizedSchema), required=True, metadata={"description": SANITIZED_DESCRIPTION}
    )


class ChangesQuerySchema(Schema):
    since = fields.String(
        metadata={"description": "Only the versions loaded after this one (a version of the list)"}
    )
    limit = fields.Integer(
        load_default=10, validate=validate.Range(1, 30), metadata={"description": "Versions, newest first; 10"}
    )


class ChangeCountsSchema(Schema):
    added = fields.Integer(required=True)
    removed = fields.Integer(required=True)
    changed = fields.Integer(required=True, metadata={"description": "Same id, different record"})


class ChangedEntitySchema(Schema):
    id = fields.String(required=True, metadata={"example": "us_ofac_sdn:10278"})
    name = fields.String(allow_none=True, required=True, metadata={"description": "Its first name"})
    kind = fields.String(allow_none=True, required=True)


class ChangeSchema(Schema):
    version = fields.String(required=True)
    previous_version = fields.String(required=True)
    loaded_at = Timestamp(required=True)
    counts = fields.Nested(ChangeCountsSchema, required=True, metadata={"description": "Exact"})
    truncated = fields.Boolean(
        required=True, metadata={"description": "Some ids are left out: at most 500 of each kind are given"}
    )
    added = fields.List(fields.Nested(ChangedEntitySchema), required=True)
    removed = fields.List(
        fields.Nested(ChangedEntitySchema), required=True, metadata={"description": "As the version before listed them"}
    )
    changed = fields.List(fields.Nested(ChangedEntitySchema), required=True)


class ChangesResponseSchema(Schema):
    list_id = fields.String(required=True)
    version = fields.String(allow_none=True, required=True, metadata={"description": "The version served now"})
    changes = fields.List(
        fields.Nested(ChangeSchema),
        required=True,
        metadata={"description": "What each new version changed against the one it replaced, newest first"},
    )
