"""Bulk screening over HTTP: a CSV screened while it uploads, and large files as jobs on RQ workers."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any, BinaryIO, cast

from flask import Blueprint, Response, current_app, g, jsonify, request, stream_with_context
from flask.blueprints import BlueprintSetupState

from service.api.bulk_schemas import BulkOptionsSchema, JobSchema
from service.api.context import services
from service.api.screenings import audit_bulk, audit_context, recorder
from service.api.security import key_id
from service.api.validation import invalid, load_args
from service.bulk.engine import Engine, render
from service.bulk.jobs import JobOptions, JobStore
from service.bulk.reader import CsvInput, QueryOptions, parse_column_map
from service.bulk.run import batches
from service.bulk.runtime import job_store
from service.bulk.writer import Writer
from service.config import Settings
from service.errors import Conflict, LengthRequired, NotFound, ScreeningError, TooLarge
from service.sanitize import clean

log = logging.getLogger(__name__)

bp = Blueprint("bulk", __name__, url_prefix="/v1")
OPTIONS = BulkOptionsSchema()
JOB = JobSchema()
MEDIA = {"csv": "text/csv", "jsonl": "application/x-ndjson"}
# Rows screened between two looks at the clock: the time budget is overrun by one batch at most
# (~100 rows of hard names: under a second).
STREAM_ROWS = 100


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    state.app.extensions["bulk_settings"] = state.options["settings"]


def _settings() -> Settings:
    return cast(Settings, current_app.extensions["bulk_settings"])


def _jobs() -> JobStore:
    store = current_app.extensions.get("bulk_jobs")
    if store is None:
        store = current_app.extensions["bulk_jobs"] = job_store(_settings(), services().store.redis)
    return cast(JobStore, store)


def _owned_jobs(job_id: str) -> JobStore:
    """The job store, once this key may see ``job_id``: its own jobs, or any with admin.
    Another key's job is a 404, as if it did not exist: a job id says nothing to a stranger."""
    jobs = _jobs()
    key = g.get("api_key")
    if key is not None and not key.allows("admin") and jobs.owner(job_id) != key.id:
        raise NotFound(f"no job {job_id!r} (unknown, or its results have expired)")
    return jobs


def _options() -> dict[str, Any]:
    options = load_args(OPTIONS, request.values.to_dict())
    served = services().enabled
    unknown = [list_id for list_id in options["lists"] or () if list_id not in served]
    if unknown:
        problem = f"Not a list this service screens: {', '.join(unknown)}. It screens: {', '.join(served)}."
        raise invalid({"lists": [problem]})
    options["columns"] = parse_column_map(options.get("columns"))
    return cast(dict[str, Any], options)


def _upload() -> tuple[BinaryIO, str | None]:
    """The uploaded file: the ``file`` part of a multipart form, else the raw body."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise invalid({"file": ["A multipart upload needs the CSV in a part named file."]})
        # The file's name is echoed (audit record, job status, the results' name): cleaned like a cell.
        return cast(BinaryIO, upload.stream), clean(upload.filename)[0] if upload.filename else None
    return cast(BinaryIO, request.stream), None


def _open(stream: BinaryIO, options: dict[str, Any]) -> CsvInput:
    query = QueryOptions(lists=options["lists"], threshold=options.get("threshold"))
    return CsvInput(stream, columns=options["columns"], options=query)


@bp.post("/screen/csv")
def screen_csv():  # type: ignore[no-untyped-def]
    """Screen a CSV file as it uploads; the results stream back, one row per input row, in order.
    ---
    post:
      tags: [bulk]
      summary: Screen a CSV file (streaming)
      description: >-
        The body is the CSV itself (or a multipart form with the CSV in `file`), up to the
        configured size and number of rows (SCREENING_BULK_INLINE_MAX_BYTES and
        SCREENING_BULK_INLINE_MAX_ROWS; larger files go to POST /v1/jobs).
        UTF-8 with or without BOM, or Windows-1252; delimiter `,` `;` tab or `|`; a header row
        mapped by common names (name, full_name, company, address, street, city, postcode,
        country, dob, id …) or by `columns`. Rows that cannot be screened are in the output
        with an `error`. Cells a spreadsheet would run as formulas are prefixed with `'`.
        The output always ends with a trailer row whose `row` is `end`: `decision` is
        `complete` when every row was screened, else `incomplete` with the reason in `error`
        (the lists became unavailable part-way, or the time the endpoint gives a file,
        SCREENING_BULK_INLINE_SECONDS, ran out); the rows after the last one screened are not
        in the output. The count is in `note` ("N of M rows screened") in CSV, in
        `rows_screened` and `rows_total` in JSON lines. An output without that last row was
        cut short (the connection broke): do not take it as whole.
      parameters:
        - {in: query, schema: BulkOptionsSchema}
      requestBody:
        required: true
        content:
          text/csv:
            schema: {type: string}
            example: "Account,Customer Name,Ctry\\n1,Rosoboronexport,RU\\n2,Acme Widgets Ltd,GB\\n"
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
      responses:
        200:
          description: The screened rows, as CSV or JSON lines
          content:
            text/csv:
              schema: {type: string}
            application/x-ndjson:
              schema: {type: string}
        400:
          description: An option is invalid, or the header names no column to screen
          content:
            application/json:
              schema: ErrorSchema
        411:
          description: The upload has no Content-Length
          content:
            application/json:
              schema: ErrorSchema
        413:
          description: The file is larger, or has more rows, than this endpoint takes; use POST /v1/jobs
          content:
            application/json:
              schema: ErrorSchema
        415:
          description: The file is not a CSV (binary, a workbook, empty, no header)
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: A list to screen against is not loaded or is stale, or Redis is unreachable
          content:
            application/json:
              schema: ErrorSchema
    """
    started = time.monotonic()
    settings = _settings()
    options = _options()
    limit = settings.bulk_inline_max_bytes
    if request.content_length is None and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        raise LengthRequired("send the file with a Content-Length (or use POST /v1/jobs)")
    if (request.content_length or 0) > limit:
        raise TooLarge(
            f"the file is {request.content_length:,} bytes; this endpoint takes up to {limit:,}: use POST /v1/jobs",
            details={"limit": limit},
        )
    stream, filename = _upload()
    # At most bulk_inline_max_bytes: read whole, the rows are counted before any is screened,
    # so a file too long to screen in time is refused now rather than cut short later.
    rows = list(_open(stream, options))
    if len(rows) > settings.bulk_inline_max_rows:
        raise TooLarge(
            f"the file has {len(rows):,} rows; this endpoint screens up to {settings.bulk_inline_max_rows:,}"
            " while you wait: use POST /v1/jobs",
            details={"limit_rows": settings.bulk_inline_max_rows},
        )
    bulk_id = audit_bulk(
        "bulk_csv", {"file": filename, "bytes": request.content_length, "rows": len(rows), "options": options}
    )
    record_rows = recorder({"bulk_id": bulk_id})
    writer = Writer(fmt=options["format"], per_hit=options["per_hit"], review_threshold=options.get("review_threshold"))
    engine = Engine(services().screener)
    parts = batches(rows, STREAM_ROWS)
    first = next(parts, [])
    try:
        head = writer.header() + render(engine, writer, first, recorder=record_rows)[0]  # a 503 now is a 503
    except ScreeningError as exc:
        _audit_end(0, len(rows), exc.message)
        raise
    deadline = started + settings.bulk_inline_seconds

    def generate() -> Iterator[str]:
        screened = len(first)
        reason: str | None = None
        try:
            yield head
            for batch in parts:
                if time.monotonic() >= deadline:
                    reason = (
                        f"screening stopped after {screened} rows: the time this endpoint gives a file"
                        f" ({settings.bulk_inline_seconds:g} s) ran out; screen the file with POST /v1/jobs"
                    )
                    break
                try:
                    text, _ = render(engine, writer, batch, recorder=record_rows)
                except ScreeningError as exc:
                    reason = f"screening stopped after {screened} rows: {exc.message}"
                    break
                screened += len(batch)
                yield text
        except GeneratorExit:  # the client went away: the record says how far it got
            _audit_end(screened, len(rows), "the client closed the connection")
            raise
        if reason is not None:
            log.warning("streamed screening stopped: %s", reason)
        _audit_end(screened, len(rows), reason)
        yield writer.trailer(screened, len(rows), reason)

    return Response(stream_with_context(generate()), mimetype=MEDIA[options["format"]])


def _audit_end(screened: int, total: int, reason: str | None) -> None:
    """The audit record of how a streamed screening ended: how many rows, and why it stopped."""
    facts = {"rows_screened": screened, "rows_total": total, "complete": reason is None and screened == total}
    try:
        audit_bulk("bulk_csv_end", {**facts, "reason": reason})
    except ScreeningError as exc:  # the rows went out; the trailer still tells the client how far
        log.error("the end of a streamed screening was not recorded (%s): %s", facts, exc.message)


@bp.post("/jobs")
def create_job():  # type: ignore[no-untyped-def]
    """Screen a large CSV file as a job on the bulk workers; answers 202 with the job to poll.
    ---
    post:
      tags: [bulk]
      summary: Start a bulk screening job
      description: >-
        A multipart form with the CSV in `file` (read as POST /v1/screen/csv reads it) and
        the options as form fields or query parameters. The rows are stored in Redis in
        chunks and screened by `screening worker` processes on any machine; poll
        GET /v1/jobs/{job_id}, then fetch GET /v1/jobs/{job_id}/results (CSV).
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                per_hit: {type: boolean}
                threshold: {type: number}
                review_threshold: {type: number}
                lists: {type: string}
                columns: {type: string}
      responses:
        202:
          description: The job, queued; Location names it
          content:
            application/json:
              schema: JobSchema
        400:
          description: An option is invalid, or the header names no column to screen
          content:
            application/json:
              schema: ErrorSchema
        415:
          description: The file is not a CSV (binary, a workbook, empty, no header)
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: Redis is unreachable
          content:
            application/json:
              schema: ErrorSchema
    """
    options = _options()
    if options["format"] != "csv":
        raise invalid({"format": ["A job's results are CSV."]})
    if request.mimetype != "multipart/form-data":
        raise invalid({"file": ["Upload the CSV as multipart/form-data, in a part named file."]})
    stream, filename = _upload()
    source = _open(stream, options)
    jobs = _jobs()
    job_options = JobOptions(
        lists=options["lists"],
        threshold=options.get("threshold"),
        review_threshold=options.get("review_threshold"),
        per_hit=options["per_hit"],
        columns=options["columns"],
        filename=filename,
    )
    job_id = jobs.create(job_options, owner=key_id(), audit_context=audit_context())
    jobs.ingest(job_id, source)
    status = jobs.status(job_id)
    audit_bulk("bulk_job", {"job_id": job_id, "file": filename, "rows": status.get("total"), "options": options})
    response = jsonify(JOB.dump(status))
    response.status_code = 202
    response.headers["Location"] = f"/v1/jobs/{job_id}"
    return response


@bp.get("/jobs/<job_id>")
def job_status(job_id: str):  # type: ignore[no-untyped-def]
    """A job's progress: rows done of total, hits so far, rate and ETA; the summary when done.
    ---
    get:
      tags: [bulk]
      summary: Job progress
      parameters:
        - {in: path, name: job_id, required: true, schema: {type: string}}
      responses:
        200:
          description: The job
          content:
            application/json:
              schema: JobSchema
        404:
          description: No such job (or not one of this key's), or its results have expired
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: Redis is unreachable
          content:
            application/json:
              schema: ErrorSchema
    """
    return jsonify(JOB.dump(_owned_jobs(job_id).status(job_id)))


@bp.get("/jobs/<job_id>/results")
def job_results(job_id: str):  # type: ignore[no-untyped-def]
    """A finished job's results: CSV, one row per input row (or per hit), in input order.
    ---
    get:
      tags: [bulk]
      summary: Job results
      parameters:
        - {in: path, name: job_id, required: true, schema: {type: string}}
      responses:
        200:
          description: The results
          content:
            text/csv:
              schema: {type: string}
        404:
          description: No such job (or not one of this key's), or its results have expired
          content:
            application/json:
              schema: ErrorSchema
        409:
          description: The job has not finished (details.status says where it is), or it failed or was cancelled
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: Redis is unreachable, or part of the results has expired
          content:
            application/json:
              schema: ErrorSchema
    """
    jobs = _owned_jobs(job_id)
    status = jobs.status(job_id)
    if status["status"] != "done":
        why = f": {status['reason']}" if status["reason"] else ""
        raise Conflict(
            f"job {job_id} is {status['status']}{why}; results come when it is done",
            details={"status": status["status"], "rows_done": status["rows_done"], "rows_total": status["rows_total"]},
        )
    chunks = jobs.results(job_id)
    first = next(chunks)
    filename = (status["filename"] or "input.csv").rsplit(".", 1)[0] + "-screened.csv"
    response = Response(stream_with_context(_chain(first, chunks)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


@bp.post("/jobs/<job_id>/cancel")
def cancel_job(job_id: str):  # type: ignore[no-untyped-def]
    """Cancel an unfinished job: workers skip its remaining chunks.
    ---
    post:
      tags: [bulk]
      summary: Cancel a job
      parameters:
        - {in: path, name: job_id, required: true, schema: {type: string}}
      responses:
        200:
          description: The job, cancelled
          content:
            application/json:
              schema: JobSchema
        404:
          description: No such job (or not one of this key's), or its results have expired
          content:
            application/json:
              schema: ErrorSchema
        409:
          description: The job had already finished
          content:
            application/json:
              schema: ErrorSchema
    """
    jobs = _owned_jobs(job_id)
    if not jobs.cancel(job_id):
        status = jobs.status(job_id)["status"]
        raise Conflict(f"job {job_id} has already ended: {status}", details={"status": status})
    return jsonify(JOB.dump(jobs.status(job_id)))
