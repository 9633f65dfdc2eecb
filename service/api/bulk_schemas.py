"""Marshmallow schemas of bulk screening and jobs: the options a CSV upload takes, and a job's state.

``service.api.openapi`` collects these with those of ``schemas``.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from service.api.schemas import Timestamp
from service.bulk.reader import FIELDS
from service.matching.score import DEFAULT_THRESHOLD


class BulkOptionsSchema(Schema):
    class Meta:
        description = "How to read, screen and write a CSV upload (query parameters, or form fields of a job)."

    format = fields.String(
        load_default="csv",
        validate=validate.OneOf(["csv", "jsonl"]),
        metadata={"description": "csv, or JSON lines (one object per input row, with every hit)"},
    )
    per_hit = fields.Boolean(load_default=False, metadata={"description": "CSV: one row per hit, not per input row"})
    threshold = fields.Float(
        allow_none=True,
        validate=validate.Range(0, 1, error="Must be between 0 and 1."),
        metadata={"description": f"Score from which a hit is a match (decision hit); default {DEFAULT_THRESHOLD:.2f}"},
    )
    review_threshold = fields.Float(
        allow_none=True,
        validate=validate.Range(0, 1, error="Must be between 0 and 1."),
        metadata={"description": "Score from which a hit that is no match is for review; default: every hit reported"},
    )
    lists = fields.String(
        allow_none=True, metadata={"description": "Comma-separated list ids to screen against; default: all served"}
    )
    columns = fields.String(
        allow_none=True,
        metadata={
            "description": "Explicit column map, field=Header pairs separated by commas; fields: " + ", ".join(FIELDS),
            "example": "name=Customer Name,country=Ctry,row_id=Account",
        },
    )

    @validates_schema
    def _review_below_threshold(self, data: dict[str, Any], **kwargs: Any) -> None:
        threshold = data.get("threshold")
        review = data.get("review_threshold")
        if review is not None and review > (DEFAULT_THRESHOLD if threshold is None else threshold):
            raise ValidationError("Must not be above the threshold.", "review_threshold")

    @post_load
    def _lists(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        raw = data.get("lists")
        data["lists"] = tuple(dict.fromkeys(i.strip() for i in raw.split(",") if i.strip())) or None if raw else None
        return data


class JobSummarySchema(Schema):
    rows = fields.Integer(required=True)
    hits = fields.Integer(required=True, metadata={"description": "Rows decided hit"})
    reviews = fields.Integer(required=True)
    clears = fields.Integer(required=True)
    errors = fields.Integer(required=True, metadata={"description": "Rows that could not be screened"})
    hits_by_list = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    elapsed_seconds = fields.Float(required=True)
    rows_per_second = fields.Float(allow_none=True, required=True)


class JobSchema(Schema):
    job_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["queued", "running", "done", "failed", "cancelled"]))
    filename = fields.String(allow_none=True, required=True)
    created_at = Timestamp(required=True)
    started_at = Timestamp(allow_none=True, required=True)
    finished_at = Timestamp(allow_none=True, required=True)
    rows_received = fields.Integer(required=True, metadata={"description": "Rows of the upload stored so far"})
    rows_total = fields.Integer(allow_none=True, required=True, metadata={"description": "Known once uploaded"})
    rows_done = fields.Integer(required=True)
    hits = fields.Integer(required=True, metadata={"description": "Rows decided hit so far"})
    reviews = fields.Integer(required=True)
    errors = fields.Integer(required=True)
    hits_by_list = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    rows_per_second = fields.Float(allow_none=True, required=True)
    eta_seconds = fields.Float(allow_none=True, required=True)
    reason = fields.String(allow_none=True, required=True, metadata={"description": "Why it failed"})
    summary = fields.Nested(JobSummarySchema, allow_none=True, required=True, metadata={"description": "When done"})
