"""The console's pages. Each calls the domain function its /v1 twin calls and renders the
answer; access is the API's (the session's key, the scope table in ``service.api.security``).
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any, cast

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as ResponseBase

from service.api import bulk as bulk_api
from service.api.alerts import DECISION_REQUEST, record_decision
from service.api.bulk_schemas import JobSchema
from service.api.context import services
from service.api.entities import entity_detail, network_page
from service.api.monitored import monitor
from service.api.screen import SCREEN_REQUEST, _check_lists, screen_json
from service.api.screenings import audited, screening_record
from service.api.security import ANY_KEY_UI, OPEN_UI, scope_of
from service.api.validation import sanitized, validated
from service.auth import SCOPES, ApiKey, KeyStore
from service.errors import BadRequest, Forbidden, NotFound, ScreeningError, Unauthorized, Unavailable
from service.matching.types import KINDS
from service.model import IdType
from service.monitoring import alerts as alert_domain
from service.monitoring import book
from service.monitoring.alerts import DECISIONS, STATES
from service.observability import observe_screenings
from service.status import list_statuses
from service.timestamps import rfc3339
from service.ui.explain import align
from service.ui.sessions import Session, SessionStore

bp = Blueprint("ui", __name__, url_prefix="/ui", template_folder="templates", static_folder="static")

SESSION_COOKIE = "scr_session"
# Before a session exists (the sign-in form; every form when authentication is off) the CSRF
# token is a random value in a cookie of its own that the form must repeat (double submit).
CSRF_COOKIE = "scr_csrf"
IDENTIFIER_ROWS = 3  # identifier fields on the screen form
ALERTS_PAGE = 50  # alerts per page of the queue
NETWORK_EDGES = 500  # the graph shows at most this many edges (the API's page size limit)
JOB = JobSchema()


def _sessions() -> SessionStore:
    return cast(SessionStore, current_app.extensions["ui_sessions"])


def _keys() -> KeyStore:
    return cast(KeyStore, current_app.extensions["keys"])


def _auth_off() -> bool:
    return bool(current_app.extensions["settings"].auth == "off")


def allowed(scope: str) -> bool:
    """Whether the signed-in key (anyone, with authentication off) may use pages of ``scope``."""
    key: ApiKey | None = g.get("api_key")
    return _auth_off() or (key is not None and key.allows(scope))


def csrf_token() -> str:
    session: Session | None = g.get("ui_session")
    if session is not None:
        return session.csrf
    if "csrf_cookie" not in g:
        g.csrf_cookie = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    return cast(str, g.csrf_cookie)


@bp.app_template_global()
def console_csrf() -> str:
    return csrf_token()


@bp.app_template_global()
def console_allows(scope: str) -> bool:
    return allowed(scope)


@bp.before_request
def guard() -> ResponseBase | None:
    g.api_key = None
    g.ui_session = None
    if request.endpoint == "ui.static":
        return None  # the console's own scripts and styles: public, and cached
    session_id = request.cookies.get(SESSION_COOKIE)
    session = _sessions().touch(session_id) if session_id else None
    key = _keys().get(session.key_id) if session is not None else None
    if session is not None and (key is None or key.revoked_at is not None):
        _sessions().delete(session.id)  # the key was revoked: so are its sessions
        session = key = None
    g.ui_session, g.api_key = session, key
    if request.method == "POST":
        _check_csrf()
    if request.endpoint in OPEN_UI:
        return None
    if key is None and not _auth_off():
        wanted = request.full_path.rstrip("?") if request.method == "GET" else url_for("ui.home")
        return redirect(url_for("ui.signin", next=wanted))
    if request.endpoint in ANY_KEY_UI:
        return None
    scope = scope_of(request.endpoint)
    if not allowed(scope):
        raise Forbidden(f"this page needs an API key with scope '{scope}'; yours has {', '.join(key.scopes)}")  # type: ignore[union-attr]
    return None


def _check_csrf() -> None:
    sent = request.form.get("csrf_token", "")
    session: Session | None = g.ui_session
    expected = session.csrf if session is not None else request.cookies.get(CSRF_COOKIE, "")
    if not (sent and expected and hmac.compare_digest(sent, expected)):
        raise Forbidden("the form's CSRF token is missing or wrong: reload the page and send the form again")


@bp.after_request
def set_csrf_cookie(response: Response) -> Response:
    if "csrf_cookie" in g and g.get("ui_session") is None:
        response.set_cookie(CSRF_COOKIE, g.csrf_cookie, path="/ui", httponly=True, samesite="Strict",
                            secure=request.is_secure)  # fmt: skip
    return response


@bp.errorhandler(ScreeningError)
def error_page(exc: ScreeningError):  # type: ignore[no-untyped-def]
    return render_template("ui/error.html", error=exc), exc.status


# --- signing in and out ----------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    # Only a page of the console: never an absolute URL elsewhere ("//evil.example").
    if target and target.startswith("/ui/") and not target.startswith("//"):
        return target
    return url_for("ui.home")


@bp.route("/signin", methods=["GET", "POST"])
def signin():  # type: ignore[no-untyped-def]
    error = None
    if request.method == "POST":
        try:
            key, _ = _keys().authenticate(request.form.get("api_key", "").strip(), None)
        except Unauthorized as exc:
            error = exc.message
        else:
            session = _sessions().create(key.id)
            response = redirect(_safe_next(request.form.get("next")))
            response.set_cookie(
                SESSION_COOKIE, session.id, path="/ui", httponly=True, samesite="Strict", secure=request.is_secure
            )
            response.delete_cookie(CSRF_COOKIE, path="/ui")
            return response
    status = 401 if error else 200
    return render_template("ui/signin.html", error=error, next=_safe_next(request.values.get("next"))), status


@bp.post("/signout")
def signout():  # type: ignore[no-untyped-def]
    if g.ui_session is not None:
        _sessions().delete(g.ui_session.id)
    response = redirect(url_for("ui.signin"))
    response.delete_cookie(SESSION_COOKIE, path="/ui")
    return response


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    if allowed("screen"):
        return redirect(url_for("ui.screen"))
    if allowed("alerts") and not allowed("bulk"):
        return redirect(url_for("ui.alerts"))
    return redirect(url_for("ui.bulk"))


# --- screen ----------------------------------------------------------------------------


def _form_query(form: Any) -> dict[str, Any]:
    """The form's fields as the JSON body of POST /v1/screen (empty fields left out)."""

    def text(name: str) -> str | None:
        value = (form.get(name) or "").strip()
        return value or None

    body: dict[str, Any] = {}
    for name in ("name", "kind", "country", "birth_date"):
        if text(name):
            body[name] = text(name)
    if text("address"):
        body["address"] = text("address")
    else:
        parts = {p: text(f"address_{p}") for p in ("street", "city", "postal_code", "region", "country")}
        if any(parts.values()):
            body["address"] = {p: v for p, v in parts.items() if v}
    identifiers = []
    for i in range(IDENTIFIER_ROWS):
        if text(f"identifier_value_{i}"):
            identifiers.append({"type": text(f"identifier_type_{i}"), "value": text(f"identifier_value_{i}")})
    if identifiers:
        body["identifiers"] = identifiers
    if form.getlist("lists"):
        body["lists"] = form.getlist("lists")
    for name, kind in (("threshold", float), ("limit", int), ("network_depth", int)):
        raw = text(name)
        if raw is not None:
            try:
                body[name] = kind(raw)
            except ValueError:
                body[name] = raw  # the schema names the problem
    return body


@bp.route("/screen", methods=["GET", "POST"])
def screen():  # type: ignore[no-untyped-def]
    svc = services()
    context: dict[str, Any] = {
        "form": request.form,
        "kinds": KINDS,
        "id_types": [t.value for t in IdType],
        "identifier_rows": range(IDENTIFIER_ROWS),
        "lists": svc.enabled,
        "errors": {},
    }
    if request.method == "POST":
        try:
            # The same edge as POST /v1/screen: text cleaned (service.sanitize), then validated.
            query = validated(SCREEN_REQUEST, _form_query(request.form), sanitize=True)
            _check_lists([query], "")
        except BadRequest as exc:
            context["errors"] = exc.details["fields"] if exc.details else {"_schema": [exc.message]}
            return render_template("ui/screen.html", **context), 400
        cleaned = sanitized()
        (result,) = audited([query], [svc.screener.screen(query)], [cleaned])
        observe_screenings([result])
        context.update(_explained(query.name, result, cleaned))
    return render_template("ui/screen.html", **context)


def _explained(query_name: str | None, result: Any, cleaned: list[dict[str, Any]]) -> dict[str, Any]:
    answer = screen_json(result, cleaned)
    alignments = [align(query_name, hit.matched_name, hit.kind != "organization") for hit in result.hits]
    linked_alignments = [align(query_name, hit.matched_name, hit.kind != "organization") for hit in result.linked_hits]
    return {
        "answer": answer,
        "decision": answer["decision"],  # ScreenResult.decision(), as /v1/screen answers it
        "alignments": alignments,
        "linked_alignments": linked_alignments,
    }


# --- entity ----------------------------------------------------------------------------


@bp.get("/entity/<path:entity_id>")
def entity(entity_id: str):  # type: ignore[no-untyped-def]
    try:
        depth = int(request.args.get("depth", 1))
    except ValueError:
        depth = 1
    depth = min(max(depth, 1), 3)
    detail = entity_detail(entity_id)
    try:
        graph = network_page(entity_id, {"depth": depth, "limit": NETWORK_EDGES, "offset": 0})
        graph_problem = None
    except Unavailable as exc:  # the record is readable, the link graph not (yet): say so, show the rest
        graph, graph_problem = None, exc.message
    svc = services()
    manifest = svc.manifests.get(detail["entity"]["list_id"])
    version = svc.store.version(detail["entity"]["list_id"], detail["list_version"])
    return render_template(
        "ui/entity.html",
        detail=detail,
        entity=detail["entity"],
        graph=graph,
        graph_problem=graph_problem,
        depth=depth,
        manifest=manifest,
        source_files=list(version.files) if version else [],
    )


# --- bulk ------------------------------------------------------------------------------


@bp.route("/bulk", methods=["GET", "POST"])
def bulk():  # type: ignore[no-untyped-def]
    svc = services()
    context: dict[str, Any] = {"lists": svc.enabled, "errors": {}, "form": request.form}
    if request.method == "POST":
        upload = request.files.get("file")
        values = {
            name: request.form[name]
            for name in ("threshold", "review_threshold", "columns")
            if request.form.get(name, "").strip()
        }
        if request.form.getlist("lists"):
            values["lists"] = ",".join(request.form.getlist("lists"))
        values["per_hit"] = "true" if request.form.get("per_hit") else "false"
        try:
            if upload is None or not upload.filename:
                raise BadRequest("choose a CSV file", details={"fields": {"file": ["Choose a CSV file."]}})
            options = bulk_api._options(values)
            status = bulk_api.start_job(upload.stream, upload.filename, options)
        except BadRequest as exc:
            context["errors"] = exc.details["fields"] if exc.details else {"_schema": [exc.message]}
            return render_template("ui/bulk.html", **context), 400
        except ScreeningError as exc:
            if exc.status != 415:
                raise
            context["errors"] = {"file": [exc.message]}
            return render_template("ui/bulk.html", **context), 415
        return redirect(url_for("ui.job", job_id=status["job_id"]))
    return render_template("ui/bulk.html", **context)


@bp.get("/jobs/<job_id>")
def job(job_id: str):  # type: ignore[no-untyped-def]
    status = JOB.dump(bulk_api._owned_jobs(job_id).status(job_id))
    return render_template("ui/job.html", job=status)


@bp.get("/jobs/<job_id>/progress")
def job_progress(job_id: str):  # type: ignore[no-untyped-def]
    """The job as GET /v1/jobs/{id} gives it: the page polls this (same origin, the session's key)."""
    return jsonify(JOB.dump(bulk_api._owned_jobs(job_id).status(job_id)))


@bp.get("/jobs/<job_id>/results")
def job_results(job_id: str):  # type: ignore[no-untyped-def]
    return bulk_api.job_results(job_id)  # the session's key owns the job, or is admin: as /v1/jobs


# --- lists and audit -------------------------------------------------------------------


def _age(seconds: int | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


@bp.get("/lists")
def lists():  # type: ignore[no-untyped-def]
    svc = services()
    statuses = [s.as_record() for s in list_statuses(svc.store, svc.manifests, svc.enabled)]
    return render_template("ui/lists.html", lists=statuses, age=_age)


@bp.get("/lists/<list_id>")
def list_changes(list_id: str):  # type: ignore[no-untyped-def]
    svc = services()
    if list_id not in svc.manifests:
        raise NotFound(f"no list {list_id!r}")
    changes = svc.store.changes(list_id)
    for change in changes:
        change["loaded_at"] = rfc3339(change["loaded_at"])
    return render_template(
        "ui/changes.html",
        manifest=svc.manifests[list_id],
        version=svc.store.current().get(list_id),
        changes=changes,
    )


@bp.get("/audit")
def audit():  # type: ignore[no-untyped-def]
    screening_id = request.args.get("id", "").strip()
    record = screening_record(screening_id) if screening_id else None
    when = record.get("recorded_at") if record is not None else None  # RFC 3339 (service.timestamps)
    return render_template("ui/audit.html", screening_id=screening_id, record=record, when=when)


# --- alerts ----------------------------------------------------------------------------


@bp.get("/alerts")
def alerts():  # type: ignore[no-untyped-def]
    """The queue, oldest first, as GET /v1/alerts pages it (``after`` the last id shown)."""
    svc = services()
    state = request.args.get("state", "").strip() or None
    list_id = request.args.get("list", "").strip() or None
    search = request.args.get("q", "").strip() or None
    errors: dict[str, list[str]] = {}
    if state is not None and state not in STATES:
        errors["state"] = [f"Must be one of {', '.join(STATES)}."]
    try:
        after = int(request.args["after"]) if request.args.get("after") else None
    except ValueError:
        errors["after"] = ["Must be an alert id."]
    if errors:
        raise BadRequest("a bad filter", details={"fields": errors})
    with monitor().db.reached() as engine, engine.connect() as connection:
        found = alert_domain.page(
            connection, state=state, list_id=list_id, search=search, after=after, limit=ALERTS_PAGE
        )
    filters = {"state": state or "", "list": list_id or "", "q": search or ""}
    next_after = found[-1]["id"] if len(found) == ALERTS_PAGE else None
    return render_template(
        "ui/alerts.html",
        alerts=found,
        states=STATES,
        lists=sorted(set(svc.manifests)),
        filters=filters,
        after=after,
        next_url=url_for("ui.alerts", after=next_after, **{k: v for k, v in filters.items() if v})
        if next_after is not None
        else None,
        first_url=url_for("ui.alerts", **{k: v for k, v in filters.items() if v}),
    )


def _evidence(client_id: str, entity_id: str) -> dict[str, Any] | None:
    """The counterparty as the book holds it, screened now (audited, as any screening), with
    only this alert's listed entity kept: its hit explained as on the screen page. None when
    the counterparty left the book."""
    with monitor().db.reached() as engine, engine.connect() as connection:
        party = book.get_many(connection, [client_id]).get(client_id)
    if party is None:
        return None
    query = party.query()
    (result,) = audited([query], [services().screener.screen(query)])
    explained = _explained(query.name, result, [])
    answer = explained["answer"]
    keep = [i for i, hit in enumerate(answer["hits"]) if hit["entity_id"] == entity_id]
    keep_linked = [i for i, hit in enumerate(answer["linked_hits"]) if hit["entity_id"] == entity_id]
    answer["hits"] = [answer["hits"][i] for i in keep]
    answer["linked_hits"] = [answer["linked_hits"][i] for i in keep_linked]
    explained["alignments"] = [explained["alignments"][i] for i in keep]
    explained["linked_alignments"] = [explained["linked_alignments"][i] for i in keep_linked]
    return {"party": party, **explained}


def _alert_page(alert_id: int, errors: dict[str, list[str]] | None = None, form: Any = None, status: int = 200):  # type: ignore[no-untyped-def]
    with monitor().db.reached() as engine, engine.connect() as connection:
        found = alert_domain.get(connection, alert_id)
    if found is None:
        raise NotFound(f"no alert {alert_id}")
    evidence = _evidence(found["client_id"], found["entity_id"])
    return render_template(
        "ui/alert.html",
        alert=found,
        evidence=evidence,
        # The analyst's choices first, "open again" last; never the state it is in.
        decisions=[d for d in (*DECISIONS[1:], DECISIONS[0]) if d != found["state"]],
        errors=errors or {},
        form=form or {},
    ), status


@bp.get("/alerts/<int:alert_id>")
def alert(alert_id: int):  # type: ignore[no-untyped-def]
    return _alert_page(alert_id)


@bp.post("/alerts/<int:alert_id>/decision")
def decide_alert(alert_id: int):  # type: ignore[no-untyped-def]
    """A decision with a note, validated as POST /v1/alerts/{id}/decision validates it and
    recorded by the same function: the alert's history and the audit trail name the key."""
    body = {"state": request.form.get("state", ""), "note": request.form.get("note", "").strip() or None}
    try:
        decision = validated(DECISION_REQUEST, body, sanitize=True)
        record_decision(alert_id, decision["state"], decision["note"])
    except BadRequest as exc:
        errors = exc.details["fields"] if exc.details else {"_schema": [exc.message]}
        return _alert_page(alert_id, errors, request.form, 400)
    return redirect(url_for("ui.alert", alert_id=alert_id))


# --- admin -----------------------------------------------------------------------------


@bp.get("/keys")
def keys():  # type: ignore[no-untyped-def]
    listed = sorted(_keys().list(), key=lambda key: key.created_at)
    return render_template("ui/keys.html", keys=listed, scopes=SCOPES, now=time.time())


@bp.post("/keys/<key_id>/revoke")
def revoke_key(key_id: str):  # type: ignore[no-untyped-def]
    if _keys().revoke(key_id) is None:
        raise NotFound(f"no API key {key_id}")
    return redirect(url_for("ui.keys"))
