"""Marshmallow schemas of the monitored book and its alerts.

``service.api.openapi`` collects these with those of ``schemas``.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from service.api.schemas import CompareQuerySchema, Text
from service.monitoring.alerts import DECISIONS, STATES
from service.webhooks import EVENTS

TAGS_MAX = 20
NOTE_MAX = 2000


class CounterpartyRequestSchema(CompareQuerySchema):
    class Meta:
        description = (
            "A counterparty to keep screened: as a screening's counterparty (a name, an address or"
            " identifiers are required), with tags of the client's own."
        )

    tags = fields.List(
        Text(validate=validate.Length(min=1, max=100)),
        load_default=list,
        validate=validate.Length(max=TAGS_MAX),
        metadata={"description": f"Up to {TAGS_MAX} labels (portfolio, desk …); not screened"},
    )

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Any:  # type: ignore[override]
        tags = data.pop("tags", None) or []
        return super()._make(data, **kwargs), tags


class AddressOutSchema(Schema):
    full = fields.String()
    street = fields.String()
    city = fields.String()
    postal_code = fields.String()
    region = fields.String()
    country = fields.String()


class IdentifierOutSchema(Schema):
    value = fields.String(required=True)
    type = fields.String(allow_none=True)


class DecisionSchema(Schema):
    by = fields.String(allow_none=True, metadata={"description": "The API key id that decided (null: auth off)"})
    at = fields.String(required=True, metadata={"description": "RFC 3339, UTC"})
    note = fields.String(allow_none=True)
    digest = fields.String(
        allow_none=True, metadata={"description": "Digest of the listed record the decision was made on"}
    )


class AlertEventSchema(Schema):
    at = fields.String(required=True)
    event = fields.String(required=True, metadata={"description": "opened, reopened, decided, closed"})
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    actor = fields.String(required=True, metadata={"description": "An API key id, or system"})
    note = fields.String(allow_none=True)
    details = fields.Dict(
        allow_none=True, metadata={"description": "Why: reason, score, fields of the listed record that changed"}
    )


class AlertSchema(Schema):
    class Meta:
        description = "A monitored counterparty's match of one listed entity, and what was decided on it."

    id = fields.Integer(required=True)
    client_id = fields.String(required=True)
    list_id = fields.String(required=True)
    entity_id = fields.String(required=True)
    match_kind = fields.String(required=True, validate=validate.OneOf(["direct", "linked"]))
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    score = fields.Float(required=True)
    listed_name = fields.String(allow_none=True)
    matched_name = fields.String(allow_none=True)
    entity_digest = fields.String(allow_none=True, metadata={"description": "Digest of the listed record last matched"})
    decision = fields.Nested(DecisionSchema, allow_none=True)
    created_at = fields.String(required=True)
    updated_at = fields.String(required=True)
    history = fields.List(fields.Nested(AlertEventSchema), metadata={"description": "Every change, oldest first"})


class CounterpartySchema(Schema):
    client_id = fields.String(required=True)
    name = fields.String(allow_none=True)
    kind = fields.String(required=True)
    address = fields.Nested(AddressOutSchema, allow_none=True)
    country = fields.String(allow_none=True)
    birth_date = fields.String(allow_none=True)
    identifiers = fields.List(fields.Nested(IdentifierOutSchema), required=True)
    tags = fields.List(fields.String(), required=True)
    created_at = fields.String(allow_none=True)
    updated_at = fields.String(allow_none=True)
    screened_at = fields.String(allow_none=True)


class AlertChangeSchema(Schema):
    alert_id = fields.Integer(required=True)
    event = fields.String(required=True, metadata={"description": "opened, reopened, closed"})
    entity_id = fields.String(required=True)


class MonitoredResponseSchema(Schema):
    counterparty = fields.Nested(CounterpartySchema, required=True)
    screening_id = fields.String(allow_none=True, metadata={"description": "The audit record of its screening"})
    alerts = fields.List(fields.Nested(AlertSchema), required=True, metadata={"description": "Its alerts not closed"})
    changes = fields.List(fields.Nested(AlertChangeSchema), metadata={"description": "What this request did to alerts"})


class MonitoredPageSchema(Schema):
    counterparties = fields.List(fields.Nested(CounterpartySchema), required=True)
    next_after = fields.String(
        allow_none=True, metadata={"description": "Pass as `after` for the next page; null: last"}
    )


class PageArgsSchema(Schema):
    after = fields.String(load_default=None, metadata={"description": "The last client id of the previous page"})
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000, error="Must be between 1 and 1000."))


class AlertArgsSchema(Schema):
    state = fields.String(load_default=None, validate=validate.OneOf(STATES))
    client_id = fields.String(load_default=None)
    after = fields.Integer(load_default=None, metadata={"description": "The last alert id of the previous page"})
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000, error="Must be between 1 and 1000."))


class AlertPageSchema(Schema):
    alerts = fields.List(fields.Nested(AlertSchema), required=True)
    next_after = fields.Integer(allow_none=True)


class DecisionRequestSchema(Schema):
    state = fields.String(
        required=True,
        validate=validate.OneOf(DECISIONS),
        metadata={"description": "cleared (a false positive), confirmed, escalated, or open again"},
    )
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX))


class ImportRowErrorSchema(Schema):
    row = fields.Integer(required=True, metadata={"description": "Line of the file (the header is line 1)"})
    client_id = fields.String(allow_none=True)
    error = fields.String(required=True)


class ImportResponseSchema(Schema):
    rows = fields.Integer(required=True)
    imported = fields.Integer(required=True, metadata={"description": "Counterparties added or changed, each screened"})
    screened = fields.Integer(
        required=True,
        metadata={"description": "Distinct screenings made: rows that would screen the same thing share one"},
    )
    alerts_opened = fields.Integer(required=True)
    errors = fields.List(fields.Nested(ImportRowErrorSchema), required=True)


class AlertChangesSchema(Schema):
    client_id = fields.String(required=True)
    changes = fields.List(fields.Nested(AlertChangeSchema), required=True)


class WebhookRequestSchema(Schema):
    url = fields.Url(
        required=True,
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=2000),
        metadata={"description": "Where events are POSTed"},
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENTS)),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "Among " + ", ".join(EVENTS)},
    )
    secret = fields.String(
        load_default=None,
        validate=validate.Length(min=16, max=200),
        metadata={"description": "The HMAC-SHA256 key; made for you when not given (shown in this answer only)"},
    )


class WebhookSchema(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(), required=True)
    active = fields.Boolean(required=True)
    created_by = fields.String(allow_none=True)
    created_at = fields.String(required=True)
    secret = fields.String(metadata={"description": "Only when the subscription is created"})


class WebhookListSchema(Schema):
    webhooks = fields.List(fields.Nested(WebhookSchema), required=True)


class WebhookAttemptSchema(Schema):
    event_id = fields.String(required=True, metadata={"description": "The Webhook-Id sent (idempotency key)"})
    at = fields.String(required=True)
    status = fields.Integer(allow_none=True, metadata={"description": "The receiver's HTTP status; null: no answer"})
    error = fields.String(allow_none=True)
    ms = fields.Float(required=True)
    delivery_state = fields.String(required=True, metadata={"description": "pending, delivered or dead"})
    attempts = fields.Integer(required=True)


class WebhookDeliveriesSchema(Schema):
    attempts = fields.List(fields.Nested(WebhookAttemptSchema), required=True)
