"""Screening over HTTP: one counterparty, a batch of them, or one pair compared and explained."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from service.api.context import services
from service.api.monitored import mark_suppressed
from service.api.schemas import (
    CompareRequestSchema,
    CompareResponseSchema,
    ScreenBatchRequestSchema,
    ScreenRequestSchema,
)
from service.api.screenings import screened
from service.api.security import key_checked_first
from service.api.validation import invalid, load, sanitized
from service.matching import algorithms, score
from service.matching.types import AddressQuery, LinkedHit, Query, ScreenResult
from service.observability import observe_screenings
from service.screening import is_match

bp = Blueprint("screen", __name__, url_prefix="/v1")

# Built once: a schema instance is reusable, and building one per request (with its nested
# schemas) cost more than screening itself.
SCREEN_REQUEST = ScreenRequestSchema()
SCREEN_BATCH_REQUEST = ScreenBatchRequestSchema()
COMPARE_REQUEST = CompareRequestSchema()
COMPARE_RESPONSE = CompareResponseSchema()


def screen_json(result: ScreenResult, cleaned: list[dict[str, Any]]) -> dict[str, Any]:
    """A screening as ScreenResponseSchema describes it, built directly: this is the hot
    path, and a marshmallow dump cost more than the JSON encoding (tests check every
    response against openapi.yaml, which the schema generates). ``cleaned``: what was
    removed from the query's text (validation.sanitized)."""
    return {
        "screening_id": result.screening_id,
        "decision": result.decision(),
        "algorithm": result.algorithm,
        "threshold": round(result.threshold, 4),
        "lists": result.lists,
        "candidates": result.candidates,
        "hits": [
            {
                "entity_id": hit.entity_id,
                "list_id": hit.list_id,
                "reference": hit.reference,
                "kind": hit.kind,
                "listed_name": hit.listed_name,
                "matched_name": hit.matched_name,
                "score": round(hit.score, 4),
                "match": hit.match,
                "programs": list(hit.programs),
                "features": [
                    {"name": f.name, "contribution": round(f.contribution, 4), "detail": f.detail}
                    for f in hit.features
                ],
            }
            for hit in result.hits
        ],
        "linked_hits": [linked_json(hit) for hit in result.linked_hits],
        "sanitized": cleaned,
    }


def linked_json(hit: LinkedHit) -> dict[str, Any]:
    return {
        "entity_id": hit.entity_id,
        "list_id": hit.list_id,
        "reference": hit.reference,
        "kind": hit.kind,
        "listed_name": hit.listed_name,
        "programs": list(hit.programs),
        "score": round(hit.score, 4),
        "match": hit.match,
        "relation": hit.relation,
        "distance": hit.distance,
        "path": [
            {
                "from_id": step.from_id,
                "from_name": step.from_name,
                "relation": step.relation,
                "to_id": step.to_id,
                "to_name": step.to_name,
                "share": step.share,
                "source": step.source,
            }
            for step in hit.path
        ],
        "explanation": hit.explanation,
        "matched_entity_id": hit.matched_entity_id,
        "matched_name": hit.matched_name,
        "match_score": round(hit.match_score, 4),
        "features": [
            {"name": f.name, "contribution": round(f.contribution, 4), "detail": f.detail} for f in hit.features
        ],
        "blocked_by_extension": hit.blocked_by_extension,
        "ownership_share": None if hit.ownership_share is None else round(hit.ownership_share, 4),
    }


def _check_lists(queries: list[Query], prefix: str) -> None:
    """Every list a query names must be one this service screens against."""
    served = services().enabled
    fields: dict[str, list[str]] = {}
    for i, query in enumerate(queries):
        unknown = [list_id for list_id in query.lists or () if list_id not in served]
        if unknown:
            path = f"{prefix}{i}.lists" if prefix else "lists"
            names = ", ".join(repr(list_id) for list_id in unknown)
            fields[path] = [f"Not a list this service screens: {names}. It screens: {', '.join(served)}."]
    if fields:
        raise invalid(fields)


@bp.post("/screen")
def screen():  # type: ignore[no-untyped-def]
    """Screen one counterparty against the sanctions lists; every hit explained.
    ---
    post:
      tags: [screening]
      summary: Screen a counterparty
      requestBody:
        required: true
        content:
          application/json:
            schema: ScreenRequestSchema
            examples:
              organization:
                summary: An organization by name and country
                value: {name: Rosoboronexport, kind: organization, country: RU}
              person:
                summary: A person, with a birth date and a passport number
                value:
                  name: Elvis Logan Morey
                  kind: person
                  birth_date: "1963-07-28"
                  identifiers: [{type: passport, value: P0017003}]
                  lists: [us_ofac_sdn]
              vessel:
                summary: A vessel by IMO number alone
                value: {kind: vessel, identifiers: [{type: imo, value: "9187629"}]}
      responses:
        200:
          description: The best-scoring listed entities, with the list versions screened against
          content:
            application/json:
              schema: ScreenResponseSchema
              example:
                screening_id: 1764463200123-0
                decision: hit
                algorithm: ssm-1
                threshold: 0.8
                lists: {us_ofac_sdn: 20261128-1a2b3c4d}
                candidates: 42
                hits:
                  - entity_id: "us_ofac_sdn:10278"
                    list_id: us_ofac_sdn
                    reference: "10278"
                    kind: person
                    listed_name: LOGAN MOREY, Elvis Angus
                    matched_name: LOGAN MOREY, Elvis Angus
                    score: 0.9412
                    match: true
                    programs: [SDNT]
                    features:
                      - name: name
                        contribution: 0.9012
                        detail: "query 'elvis logan morey' ~ listed 'logan morey elvis angus'"
                      - name: birth_date
                        contribution: 0.04
                        detail: 1963-07-28 = listed 1963-07-28
                linked_hits: []
                sanitized: []
        400:
          description: >-
            The request is invalid; details.fields maps each bad field ("identifiers.0.type")
            to its problems, "_schema" to problems of the body as a whole
          content:
            application/json:
              schema: ErrorSchema
              example:
                error:
                  code: bad_request
                  message: "invalid request: threshold: Must be between 0 and 1."
                  details: {fields: {threshold: [Must be between 0 and 1.]}}
        503:
          description: A list to screen against is not loaded or is stale, or Redis is unreachable or out of memory
          content:
            application/json:
              schema: ErrorSchema
    """
    with key_checked_first():
        query = load(SCREEN_REQUEST, sanitize=True)
        _check_lists([query], "")
        cleaned = sanitized()
        (result,) = screened([query], [cleaned])
    observe_screenings([result])
    body = screen_json(result, cleaned)
    counterparty_id = request.get_json(force=True, silent=True).get("counterparty_id")
    if counterparty_id:
        mark_suppressed(body, result, counterparty_id)
    return jsonify(body)


@bp.post("/screen/batch")
def screen_batch():  # type: ignore[no-untyped-def]
    """Screen up to 1000 counterparties in one request; results in the order of the queries.
    ---
    post:
      tags: [screening]
      summary: Screen many counterparties
      requestBody:
        required: true
        content:
          application/json:
            schema: ScreenBatchRequestSchema
            example:
              queries:
                - {name: Rosoboronexport, kind: organization, country: RU}
                - {name: Artavil, kind: vessel, identifiers: [{type: imo, value: "9187629"}]}
                - {name: Acme Trading GmbH, address: {city: Hamburg, country: DE}}
      responses:
        200:
          description: One screening result per query, in the order of the queries
          content:
            application/json:
              schema: ScreenBatchResponseSchema
        400:
          description: >-
            A query is invalid, or there are more than 1000; details.fields names each bad field
            by its query's index: "queries.3.threshold"
          content:
            application/json:
              schema: ErrorSchema
              example:
                error:
                  code: bad_request
                  message: "invalid request: queries.3.threshold: Must be between 0 and 1."
                  details: {fields: {queries.3.threshold: [Must be between 0 and 1.]}}
        503:
          description: A list to screen against is not loaded or is stale, or Redis is unreachable or out of memory
          content:
            application/json:
              schema: ErrorSchema
    """
    with key_checked_first():
        queries = load(SCREEN_BATCH_REQUEST, sanitize=True)["queries"]
        _check_lists(queries, "queries.")
        cleaned = [sanitized(f"queries.{i}.") for i in range(len(queries))]
        results = screened(queries, cleaned)
    observe_screenings(results)
    bodies = [screen_json(result, notes) for result, notes in zip(results, cleaned)]
    for body, given, result in zip(bodies, request.get_json(force=True, silent=True)["queries"], results):
        if given.get("counterparty_id"):  # validated: each query is an object
            mark_suppressed(body, result, given["counterparty_id"])
    return jsonify({"results": bodies})


def _address_record(address: AddressQuery) -> dict[str, str]:
    parts = {key: getattr(address, key) for key in ("street", "city", "postal_code", "region", "country")}
    full = address.full or address.one_line() or address.country or ""
    return {"full": full, **{key: value for key, value in parts.items() if value}}


def as_record(record: dict[str, Any]) -> dict[str, Any]:
    """A record from a request, in the entity-dict form (service.model.to_dict) the scorer reads."""
    names = [
        {"full": name["full"], "type": name.get("type") or ("primary" if i == 0 else "aka")}
        for i, name in enumerate(record["names"])
    ]
    entity: dict[str, Any] = {"names": names}
    if "kind" in record:
        entity["kind"] = record["kind"]
    if record.get("birth_dates"):
        entity["birth_dates"] = [{"date": date} for date in record["birth_dates"]]
    if record.get("countries"):
        entity["countries"] = list(dict.fromkeys(record["countries"]))
    if record.get("addresses"):
        entity["addresses"] = [_address_record(address) for address in record["addresses"]]
    if record.get("identifiers"):
        entity["identifiers"] = [{"type": i.type or "other", "value": i.value} for i in record["identifiers"]]
    return entity


@bp.post("/compare")
def compare():  # type: ignore[no-untyped-def]
    """Score one counterparty against one record of your own, and explain the score. Reads no list.
    ---
    post:
      tags: [screening]
      summary: Compare a counterparty with a record
      requestBody:
        required: true
        content:
          application/json:
            schema: CompareRequestSchema
            example:
              query: {name: Rosoboronexport, kind: organization, country: RU}
              record:
                names: [ROSOBORONEKSPORT OAO, {full: ROSOBORONEXPORT, type: aka}]
                kind: organization
                countries: [RU]
                addresses: [{street: 27 Stromynka ul., city: Moscow, postal_code: "107076", country: RU}]
      responses:
        200:
          description: The score, whether it is a match, and what made it
          content:
            application/json:
              schema: CompareResponseSchema
              example:
                algorithm: ssm-1
                threshold: 0.8
                score: 0.9731
                match: true
                query_name: Rosoboronexport
                matched_name: ROSOBORONEXPORT
                features:
                  - name: name
                    contribution: 0.9531
                    detail: "query 'rosoboronexport' ~ listed 'rosoboronexport'"
                  - name: country
                    contribution: 0.02
                    detail: RU = listed RU
                sanitized: []
        400:
          description: >-
            The request is invalid; details.fields maps each bad field ("record.names.0") to its problems
          content:
            application/json:
              schema: ErrorSchema
    """
    data = load(COMPARE_REQUEST, sanitize=True)
    threshold = data.get("threshold")
    threshold = score.DEFAULT_THRESHOLD if threshold is None else threshold
    query = data["query"]
    algorithm = query.algorithm or algorithms.DEFAULT_ALGORITHM
    result = algorithms.compare(query, as_record(data["record"]), algorithm)
    body = {
        "algorithm": algorithm,
        "threshold": threshold,
        "score": result.score,
        "match": is_match(result.score, threshold),
        "query_name": result.query_name,
        "matched_name": result.matched_name,
        "features": result.features,
        "sanitized": sanitized(),
    }
    return jsonify(COMPARE_RESPONSE.dump(body))
