"""Webhook subscriptions over HTTP: subscribe, list, unsubscribe, and each one's delivery log."""

from __future__ import annotations

from flask import Blueprint, jsonify

from service import webhooks
from service.api.monitored import monitor
from service.api.monitoring_schemas import WebhookRequestSchema
from service.api.security import key_id
from service.api.validation import load

bp = Blueprint("webhooks", __name__, url_prefix="/v1")

WEBHOOK_REQUEST = WebhookRequestSchema()


@bp.post("/webhooks")
def subscribe():  # type: ignore[no-untyped-def]
    """Subscribe a URL to events of the monitored book.
    ---
    post:
      tags: [webhooks]
      summary: Subscribe to events
      description: >-
        Events: alert.opened, alert.reopened, alert.closed, list.updated. Each is POSTed as
        JSON with Webhook-Id (the event id: deduplicate by it, retries carry the same one),
        Webhook-Timestamp (unix seconds) and Webhook-Signature (v1= hex HMAC-SHA256 of
        "<timestamp>.<body>" with the secret). A non-2xx answer is retried with exponential
        back-off, then the delivery is dead; every attempt is in the delivery log.
      requestBody:
        required: true
        content:
          application/json:
            schema: WebhookRequestSchema
            example: {url: "https://hooks.example.com/screening", events: [alert.opened, alert.reopened]}
      responses:
        201:
          description: The subscription, with its secret (shown only here)
          content:
            application/json:
              schema: WebhookSchema
        400:
          description: The request is invalid; details.fields names each bad field
          content:
            application/json:
              schema: ErrorSchema
    """
    body = load(WEBHOOK_REQUEST)
    made = webhooks.subscribe(monitor().db, body["url"], body["events"], body["secret"], key_id())
    return jsonify(made), 201


@bp.get("/webhooks")
def list_webhooks():  # type: ignore[no-untyped-def]
    """Every subscription (never a secret).
    ---
    get:
      tags: [webhooks]
      summary: List subscriptions
      responses:
        200:
          description: The subscriptions
          content:
            application/json:
              schema: WebhookListSchema
    """
    return jsonify({"webhooks": webhooks.subscriptions(monitor().db)})


@bp.delete("/webhooks/<int:subscription_id>")
def unsubscribe(subscription_id: int):  # type: ignore[no-untyped-def]
    """Stop a subscription; its delivery log stays.
    ---
    delete:
      tags: [webhooks]
      summary: Unsubscribe
      parameters:
        - {in: path, name: subscription_id, required: true, schema: {type: integer}}
      responses:
        204:
          description: Stopped
        404:
          description: No such active subscription
          content:
            application/json:
              schema: ErrorSchema
    """
    webhooks.unsubscribe(monitor().db, subscription_id)
    return "", 204


@bp.get("/webhooks/<int:subscription_id>/deliveries")
def deliveries(subscription_id: int):  # type: ignore[no-untyped-def]
    """A subscription's delivery log: its latest attempts, newest first.
    ---
    get:
      tags: [webhooks]
      summary: Delivery log
      parameters:
        - {in: path, name: subscription_id, required: true, schema: {type: integer}}
      responses:
        200:
          description: The attempts
          content:
            application/json:
              schema: WebhookDeliveriesSchema
        404:
          description: No such subscription
          content:
            application/json:
              schema: ErrorSchema
    """
    return jsonify({"attempts": webhooks.delivery_log(monitor().db, subscription_id)})
