"""Health checks for monitoring: liveness and readiness."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from service.api import error_response
from service.api.context import services
from service.api.security import AUTH_OFF_WARNING
from service.errors import Unavailable
from service.status import list_statuses

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """Liveness: the process is up and answering.
    ---
    get:
      tags: [health]
      summary: Liveness
      security: []
      responses:
        200:
          description: The process is alive
          content:
            application/json:
              schema: HealthSchema
    """
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():  # type: ignore[no-untyped-def]
    """Readiness: Redis answers and takes writes, every enabled list is loaded and fresh, this worker holds its index.
    ---
    get:
      tags: [health]
      summary: Readiness
      security: []
      responses:
        200:
          description: Ready to screen
          content:
            application/json:
              schema: ReadySchema
        503:
          description: Not ready; details.reasons lists every reason
          content:
            application/json:
              schema: ErrorSchema
    """
    svc = services()
    warnings = [AUTH_OFF_WARNING] if current_app.extensions["settings"].auth == "off" else []
    try:
        svc.store.check_writable()  # a Redis that answers but refuses writes cannot screen
        statuses = list_statuses(svc.store, svc.manifests, svc.enabled)
    except Unavailable as exc:
        details = {"reasons": [exc.message], "warnings": warnings}
        return error_response(503, "not_ready", f"not ready: {exc.message}", details)
    reasons = [s.problem for s in statuses if s.enabled and s.problem]
    # An outdated publication or a lossy load warns, in either answer; it does not make the
    # service unready (service.status says why).
    warnings += [w for s in statuses if s.enabled for w in s.warnings]
    served = {s.manifest.id: s.version.version for s in statuses if s.enabled and s.version}
    reasons += svc.screener.index_problems(served)
    if reasons:
        current_app.logger.warning("not ready: %s", "; ".join(reasons))
        return error_response(
            503, "not_ready", "not ready: " + "; ".join(reasons), {"reasons": reasons, "warnings": warnings}
        )
    return jsonify({"status": "ready", "lists": served, "warnings": warnings})
