"""Shared by the console's tests: its lists loaded, its app with authentication on, signing in."""

from __future__ import annotations

import re
from dataclasses import replace

import redis
from flask import Flask
from flask.testing import FlaskClient

from service.app import create_app
from service.config import Settings
from service.loader import load_list
from service.store import ListStore
from tests.conftest import FIXTURES

ENABLED = ("us_ofac_sdn", "opensanctions")
OFAC_CSV = [FIXTURES / "ofac_csv" / name for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]
# Fictional FtM records: a small ownership cluster, and parties whose names hold markup.
FTM = [FIXTURES / "ftm" / "cluster.ftm.json", FIXTURES / "ui" / "hostile.ftm.json"]

IRGC = "us_ofac_sdn:10391"  # ISLAMIC REVOLUTIONARY GUARD CORPS
IVAN = "opensanctions:fx-ivan"  # Ivan Petrovich SIDOROV, owns 60% of Northwind Trading LLC
SCRIPT = "opensanctions:ui-script"  # "<script>alert('list')</script> Trading", 75% owned by IMG
IMG = "opensanctions:ui-img"  # "\"><img src=x onerror=alert('list')> Markup"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def load_console_lists(client: redis.Redis) -> None:
    store = ListStore(client)
    load_list(store, "us_ofac_sdn", "ofac_csv", OFAC_CSV)
    load_list(store, "opensanctions", "ftm", FTM)


def console_settings(settings: Settings, **changes: object) -> Settings:
    return replace(settings, **{"enabled_lists": ENABLED, "auth": "on", **changes})  # type: ignore[arg-type]


def console_app(settings: Settings, client: redis.Redis) -> Flask:
    load_console_lists(client)
    return create_app(settings, redis_client=client)


def new_key(app: Flask, *scopes: str) -> str:
    _, token = app.extensions["keys"].create("-".join(scopes), scopes)
    return token


def csrf_of(page: str) -> str:
    found = CSRF_FIELD.search(page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: FlaskClient, token: str) -> str:
    """Sign in as the sign-in form does; the session's CSRF token."""
    form = client.get("/ui/signin").get_data(as_text=True)
    response = client.post("/ui/signin", data={"api_key": token, "csrf_token": csrf_of(form), "next": "/ui/screen"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf_of(client.get("/ui/screen").get_data(as_text=True))
