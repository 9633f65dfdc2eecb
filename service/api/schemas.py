"""Marshmallow schemas of what the API returns. The OpenAPI document is generated from them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.model import IdType, Kind, LinkType, NameType


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


class RelatedSchema(Schema):
    direction = fields.String(required=True, validate=validate.OneOf(["out", "in"]))
    type = fields.String(required=True, metadata={"description": "Read as '<entity> <type> <related>'"})
    entity_id = fields.String(allow_none=True, required=True)
    name = fields.String(allow_none=True, required=True)
    kind = fields.String(allow_none=True)
    share = fields.Float()
    label = fields.String()
    source = fields.String()


class EntityResponseSchema(Schema):
    entity = fields.Nested(EntitySchema, required=True)
    list_version = fields.String(required=True)
    related = fields.List(fields.Nested(RelatedSchema), required=True)


class FileSchema(Schema):
    name = fields.String(required=True)
    sha256 = fields.String(required=True)
    bytes = fields.Integer(required=True)


class ListStatusSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    issuer = fields.String(required=True)
    enabled = fields.Boolean(required=True)
    loaded = fields.Boolean(required=True)
    version = fields.String(allow_none=True, required=True)
    format = fields.String(allow_none=True)
    files = fields.List(fields.Nested(FileSchema))
    published = fields.String(allow_none=True, metadata={"description": "Date printed in the file"})
    loaded_at = fields.DateTime(allow_none=True)
    checked_at = fields.DateTime(
        allow_none=True, metadata={"description": "Last time the source was confirmed current"}
    )
    age_seconds = fields.Integer(allow_none=True, metadata={"description": "Seconds since checked_at"})
    max_age_seconds = fields.Integer(required=True)
    stale = fields.Boolean(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    last_error = fields.Dict(allow_none=True)
    license = fields.String(allow_none=True)


class ListsResponseSchema(Schema):
    lists = fields.List(fields.Nested(ListStatusSchema), required=True)


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


class ReadySchema(Schema):
    status = fields.String(required=True, metadata={"example": "ready"})
    lists = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "list id → version served"}
    )
