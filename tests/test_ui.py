"""The console's pages over the Flask test client: sessions, CSRF, scopes, the security policy,
markup from lists rendered as text, and each page's content. The browser drives it in
tests/test_ui_browser.py."""

from __future__ import annotations

import io
import re
import time
import tomllib
from fnmatch import fnmatch

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from service.config import Settings
from service.monitoring import alerts as alerts_domain
from service.monitoring.book import Counterparty
from service.ui.sessions import SESSION
from tests.conftest import ROOT
from tests.ui_helpers import IMG, IRGC, IVAN, SCRIPT, console_app, console_settings, csrf_of, new_key, sign_in

PAGES = ["/ui/screen", "/ui/bulk", "/ui/lists", "/ui/lists/us_ofac_sdn", "/ui/audit", "/ui/keys", f"/ui/entity/{IVAN}"]


@pytest.fixture
def app(settings: Settings, redis_client: redis.Redis) -> Flask:
    return console_app(console_settings(settings), redis_client)


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.csrf = sign_in(client, new_key(app, "admin"))  # type: ignore[attr-defined]
    return client


def screen(client: FlaskClient, **fields: str) -> str:
    response = client.post("/ui/screen", data={"csrf_token": client.csrf, **fields})  # type: ignore[attr-defined]
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


# --- signing in and out ------------------------------------------------------------------


def test_every_page_sends_a_visitor_without_a_session_to_sign_in(app: Flask) -> None:
    client = app.test_client()
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302 and response.location.startswith("/ui/signin?next="), page


def test_a_wrong_key_is_refused_with_a_reason_and_a_good_one_gets_a_session_cookie_holding_only_an_id(
    app: Flask, redis_client: redis.Redis
) -> None:
    client = app.test_client()
    csrf = csrf_of(client.get("/ui/signin").get_data(as_text=True))
    refused = client.post("/ui/signin", data={"api_key": "ssk_000000000000_" + "x" * 43, "csrf_token": csrf})
    assert refused.status_code == 401 and "not valid" in refused.get_data(as_text=True)
    token = new_key(app, "screen")
    response = client.post("/ui/signin", data={"api_key": token, "csrf_token": csrf, "next": "/ui/lists"})
    assert response.status_code == 302 and response.location == "/ui/lists"
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("scr_session="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/ui" in cookie
    assert "Secure" not in cookie, "plain HTTP on loopback: a Secure cookie would never come back"
    session_id = cookie.split(";")[0].split("=", 1)[1]
    assert token.split("_", 2)[2] not in cookie, "the browser never holds the key's secret"
    stored = redis_client.hgetall(SESSION.format(session_id=session_id))
    assert stored[b"key_id"].decode() == token.split("_")[1] and token.encode() not in b"".join(stored.values())


def test_behind_tls_the_session_cookie_is_secure(app: Flask) -> None:
    client = app.test_client()
    https = {"base_url": "https://console.example"}
    csrf = csrf_of(client.get("/ui/signin", **https).get_data(as_text=True))
    response = client.post("/ui/signin", data={"api_key": new_key(app, "screen"), "csrf_token": csrf}, **https)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("scr_session="))
    assert "Secure" in cookie


def test_sign_in_only_returns_to_a_console_page(app: Flask) -> None:
    for target in ("https://evil.example/", "//evil.example/ui/", "/v1/keys"):
        client = app.test_client()
        csrf = csrf_of(client.get("/ui/signin").get_data(as_text=True))
        response = client.post(
            "/ui/signin", data={"api_key": new_key(app, "screen"), "csrf_token": csrf, "next": target}
        )
        assert response.location == "/ui/", target


def test_signing_out_ends_the_session_in_redis_not_only_in_the_browser(admin: FlaskClient, redis_client) -> None:  # type: ignore[no-untyped-def]
    session_id = admin.get_cookie("scr_session", path="/ui").value  # type: ignore[union-attr]
    assert admin.post("/ui/signout", data={"csrf_token": admin.csrf}).location == "/ui/signin"  # type: ignore[attr-defined]
    assert not redis_client.exists(SESSION.format(session_id=session_id))
    admin.set_cookie("scr_session", session_id, path="/ui")  # a copy of the cookie kept somewhere
    assert admin.get("/ui/screen").status_code == 302


def test_an_idle_session_expires_and_each_request_renews_it(settings: Settings, redis_client: redis.Redis) -> None:
    app = console_app(console_settings(settings, ui_idle_seconds=2), redis_client)
    client = app.test_client()
    sign_in(client, new_key(app, "screen"))
    for _ in range(3):  # used every second: still signed in after three
        time.sleep(1)
        assert client.get("/ui/lists").status_code == 200
    time.sleep(2.2)
    assert client.get("/ui/lists").status_code == 302


def test_revoking_a_key_ends_its_console_sessions(app: Flask, admin: FlaskClient) -> None:
    analyst = app.test_client()
    token = new_key(app, "screen")
    sign_in(analyst, token)
    key_id = token.split("_")[1]
    assert admin.post(f"/ui/keys/{key_id}/revoke", data={"csrf_token": admin.csrf}).status_code == 302  # type: ignore[attr-defined]
    assert analyst.get("/ui/screen").status_code == 302


# --- the security policy -----------------------------------------------------------------


def test_every_page_has_a_content_security_policy_without_unsafe_inline_and_no_inline_code(
    admin: FlaskClient,
) -> None:
    screen(admin, name="Islamic Revolutionary Guard Corps")
    for page in [*PAGES, "/ui/signin"]:
        response = admin.get(page)
        assert response.status_code == 200, page
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and response.headers["X-Content-Type-Options"] == "nosniff"
        html = response.get_data(as_text=True)
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts), page
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), f"{page}: inline style or handler"


def test_the_console_assets_are_served_from_the_package(app: Flask) -> None:
    client = app.test_client()  # no session needed for them
    for asset, media in (("console.js", "text/javascript"), ("console.css", "text/css")):
        response = client.get(f"/ui/static/{asset}")
        assert response.status_code == 200 and response.mimetype == media
    html = client.get("/ui/signin").get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html), "nothing from another origin"


@pytest.mark.parametrize("path", ["/ui/screen", "/ui/signout", "/ui/bulk"])
def test_a_form_without_its_csrf_token_is_refused(admin: FlaskClient, path: str) -> None:
    for data in ({}, {"csrf_token": "forged"}):
        response = admin.post(path, data={"name": "Islamic Revolutionary Guard Corps", **data})
        assert response.status_code == 403 and "CSRF" in response.get_data(as_text=True)
    assert admin.get("/ui/screen").status_code == 200, "still signed in"


def test_sign_in_without_its_csrf_token_is_refused(app: Flask) -> None:
    client = app.test_client()
    client.get("/ui/signin")
    response = client.post("/ui/signin", data={"api_key": new_key(app, "admin"), "csrf_token": "forged"})
    assert response.status_code == 403 and client.get_cookie("scr_session", path="/ui") is None


def test_a_screen_key_cannot_reach_admin_pages_nor_bulk_and_does_not_see_them(app: Flask) -> None:
    client = app.test_client()
    csrf = sign_in(client, new_key(app, "screen"))
    for page in ("/ui/keys", "/ui/bulk"):
        response = client.get(page)
        assert response.status_code == 403 and "needs an API key with scope" in response.get_data(as_text=True)
    revoke = client.post(f"/ui/keys/{'0' * 12}/revoke", data={"csrf_token": csrf})
    assert revoke.status_code == 403
    nav = client.get("/ui/screen").get_data(as_text=True)
    assert 'href="/ui/keys"' not in nav and 'href="/ui/bulk"' not in nav and 'href="/ui/lists"' in nav


def test_a_bulk_key_sees_bulk_only(app: Flask) -> None:
    client = app.test_client()
    sign_in_form = client.get("/ui/signin").get_data(as_text=True)
    client.post("/ui/signin", data={"api_key": new_key(app, "bulk"), "csrf_token": csrf_of(sign_in_form)})
    assert client.get("/ui/").location == "/ui/bulk"
    assert client.get("/ui/bulk").status_code == 200
    assert client.get("/ui/screen").status_code == 403


# --- markup from lists and from users is text ----------------------------------------------


def _no_markup_from_data(html: str) -> None:
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "<b>1</b>" not in html and "<i>RN-1</i>" not in html


@pytest.mark.parametrize("entity_id", [SCRIPT, IMG])
def test_an_entity_whose_fields_hold_markup_renders_them_as_text(admin: FlaskClient, entity_id: str) -> None:
    html = admin.get(f"/ui/entity/{entity_id}?depth=2").get_data(as_text=True)
    _no_markup_from_data(html)
    assert "&lt;script&gt;alert(&#39;list&#39;)&lt;/script&gt; Trading" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(&#39;list&#39;)&gt; Markup" in html
    graph = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert graph and "<" not in graph.group(1), "the graph's data cannot close its script element"


def test_a_screening_of_a_hostile_name_shows_hit_and_query_as_text(admin: FlaskClient) -> None:
    html = screen(admin, name="<script>alert('query')</script> Script Trading", address="<b>1</b> Rue du Test")
    _no_markup_from_data(html)
    assert "<script>alert('query')" not in html
    assert "&lt;script&gt;alert(&#39;list&#39;)&lt;/script&gt; Trading" in html


# --- the pages ---------------------------------------------------------------------------


def test_screen_shows_the_decision_aligned_words_signed_features_reference_and_programs(admin: FlaskClient) -> None:
    html = screen(admin, name="Islamic Revolutionary Gaurd Corps", kind="organization")  # misspelt
    assert 'id="decision">hit<' in html
    assert f'href="/ui/entity/{IRGC}"' in html and 'ref. <span class="mono">10391</span>' in html
    assert "programs FTO, SDGT, NPWMD, IRGC, IFSR" in html  # the list's own programme codes
    row = re.search(r"<tr class=\"matched\">\s*<td>gaurd</td>\s*<td>guard</td>\s*<td class=\"num\">0\.\d+</td>", html)
    assert row, "the misspelt word is paired with the listed one, with its similarity"
    assert re.search(r'class="contribution (plus|minus)">[+-]\d\.\d{3}<', html), "signed contributions"


def test_screen_names_the_field_of_a_bad_value(admin: FlaskClient) -> None:
    response = admin.post("/ui/screen", data={"csrf_token": admin.csrf, "name": "X", "threshold": "2"})  # type: ignore[attr-defined]
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "threshold: Must be between 0 and 1." in html and 'value="2"' in html, "the form keeps what was typed"
    nothing = admin.post("/ui/screen", data={"csrf_token": admin.csrf})  # type: ignore[attr-defined]
    assert nothing.status_code == 400 and "A name, an address or identifiers are required." in nothing.get_data(
        as_text=True
    )


def test_a_linked_hit_is_drawn_as_a_chain_with_the_blocked_by_extension_call_out(admin: FlaskClient) -> None:
    html = screen(admin, name="Northwind Trading LLC", kind="organization")
    chain = re.search(r'<ol class="chain".*?</ol>', html, re.S)
    assert chain, "a linked hit's path"
    assert "Northwind Trading LLC" in chain.group(0) and "owned by 60%" in chain.group(0)
    assert "Ivan Petrovich SIDOROV" in chain.group(0)
    assert "Blocked by extension" in html


def test_entity_page_lists_every_fact_and_its_network(admin: FlaskClient) -> None:
    html = admin.get(f"/ui/entity/{IVAN}?depth=2").get_data(as_text=True)
    for fact in ("Иван Петрович Сидоров", "Vanya Sidorov", "Tverskaya 1, Moscow, 125009", "4509 123456", "EU-UKR"):
        assert fact in html, fact
    assert "OpenSanctions" in html and "cluster.ftm.json" in html, "the source: list and file"
    assert re.search(r"\d+ entities, \d+ links", html)
    assert 'id="depth"' in html and '<option value="2" selected>' in html


def test_lists_show_version_publication_age_counts_and_a_change_feed(admin: FlaskClient) -> None:
    html = admin.get("/ui/lists").get_data(as_text=True)
    assert "Specially Designated Nationals" in html and re.search(r"fresh|stale", html)
    assert 'href="/ui/lists/us_ofac_sdn"' in html and re.search(r"person [\d,]+", html)
    feed = admin.get("/ui/lists/us_ofac_sdn").get_data(as_text=True)
    assert "loaded once" in feed


def test_audit_shows_exactly_what_was_answered_to_the_key_that_asked(app: Flask, admin: FlaskClient) -> None:
    html = screen(admin, name="Islamic Revolutionary Guard Corps")
    screening_id = re.search(r'id="screening-id">([\d-]+)<', html).group(1)  # type: ignore[union-attr]
    record = admin.get(f"/ui/audit?id={screening_id}").get_data(as_text=True)
    assert IRGC in record and "Islamic Revolutionary Guard Corps" in record and "/ui/screen" in record
    other = app.test_client()
    sign_in(other, new_key(app, "screen"))
    assert other.get(f"/ui/audit?id={screening_id}").status_code == 404, "another key's screening"


def test_the_screen_form_is_cleaned_as_the_api_cleans_and_says_what_was_removed(admin: FlaskClient) -> None:
    html = screen(admin, name="Islamic Revolutionary Gu\u200bard\u2060 Corps")  # hidden in the name
    assert 'id="decision">hit<' in html, "screened as it reads"
    notice = re.search(r'id="sanitized">(.*?)</div>', html, re.S)
    assert notice and "name" in notice.group(1) and "U+200B ZERO WIDTH SPACE" in notice.group(1)
    assert "U+2060 WORD JOINER" in notice.group(1)
    screening_id = re.search(r'id="screening-id">([\d-]+)<', html).group(1)  # type: ignore[union-attr]
    record = admin.get(f"/ui/audit?id={screening_id}").get_data(as_text=True)
    assert "\u200b" not in record and "Islamic Revolutionary Guard Corps" in record, "the record holds the cleaned text"
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z">', record), "RFC 3339"
    clean = screen(admin, name="Islamic Revolutionary Guard Corps")
    assert 'id="sanitized"' not in clean


def _bulk_client(app: Flask, *scopes: str) -> tuple[FlaskClient, str, str]:
    """A client signed in with a new key of ``scopes``: the client, the key's id, the CSRF token."""
    key, token = app.extensions["keys"].create("-".join(scopes), scopes)
    client = app.test_client()
    form = client.get("/ui/signin").get_data(as_text=True)
    client.post("/ui/signin", data={"api_key": token, "csrf_token": csrf_of(form)})
    return client, key.id, csrf_of(client.get("/ui/bulk").get_data(as_text=True))


def test_a_job_started_in_the_console_is_its_keys_alone_as_on_v1_jobs(app: Flask) -> None:
    owner, owner_id, csrf = _bulk_client(app, "bulk")
    data = {"csrf_token": csrf, "file": (io.BytesIO(b"name,country\nIslamic Revolutionary Guard Corps,IR\n"), "c.csv")}
    created = owner.post("/ui/bulk", data=data, content_type="multipart/form-data")
    assert created.status_code == 302, created.get_data(as_text=True)
    job_id = created.location.rsplit("/", 1)[1]
    assert app.extensions["bulk_jobs"].owner(job_id) == owner_id, "the job records the key that started it"
    pages = [f"/ui/jobs/{job_id}", f"/ui/jobs/{job_id}/progress", f"/ui/jobs/{job_id}/results"]
    assert owner.get(pages[0]).status_code == 200 and owner.get(pages[1]).status_code == 200
    stranger, _, _ = _bulk_client(app, "bulk")
    for page in pages:
        refused = stranger.get(page)
        assert refused.status_code == 404 and job_id in refused.get_data(as_text=True), page
    admin, _, _ = _bulk_client(app, "admin")
    assert admin.get(pages[0]).status_code == 200 and admin.get(pages[1]).json["job_id"] == job_id  # type: ignore[index]


def test_a_list_not_loaded_fails_the_screening_closed_with_the_reason(
    settings: Settings, redis_client: redis.Redis
) -> None:
    app = console_app(console_settings(settings, enabled_lists=("us_ofac_sdn", "opensanctions", "un_sc")), redis_client)
    client = app.test_client()
    csrf = sign_in(client, new_key(app, "screen"))
    response = client.post("/ui/screen", data={"csrf_token": csrf, "name": "Islamic Revolutionary Guard Corps"})
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and "un_sc" in html and 'id="decision"' not in html
    entity = client.get(f"/ui/entity/{IVAN}").get_data(as_text=True)  # the record reads; its network cannot
    assert "Ivan Petrovich SIDOROV" in entity and 'id="graph-problem"' in entity and "un_sc" in entity


def test_with_authentication_off_the_console_opens_without_sign_in_and_still_checks_csrf(
    settings: Settings, redis_client: redis.Redis
) -> None:
    app = console_app(console_settings(settings, auth="off"), redis_client)
    client = app.test_client()
    page = client.get("/ui/screen")
    assert page.status_code == 200 and 'href="/ui/keys"' in page.get_data(as_text=True)
    assert client.post("/ui/screen", data={"name": "Islamic Revolutionary Guard Corps"}).status_code == 403
    token = csrf_of(page.get_data(as_text=True))
    answer = client.post("/ui/screen", data={"csrf_token": token, "name": "Islamic Revolutionary Guard Corps"})
    assert answer.status_code == 200 and 'id="decision">hit<' in answer.get_data(as_text=True)


# --- alerts --------------------------------------------------------------------------------


@pytest.fixture
def alerting(settings: Settings, redis_client: redis.Redis, database_url: str) -> Flask:
    """The console with a monitored book (SQLite, then PostgreSQL) holding two counterparties
    that match: the IRGC, and a hostile name that matches the list's hostile record."""
    app = console_app(console_settings(settings, database_url=database_url), redis_client)
    app.extensions["monitor"].put(
        [
            Counterparty("C-1", name="Islamic Revolutionary Guard Corps", kind="organization"),
            Counterparty("<b>C-2</b>", name="<script>alert('list')</script> Trading", kind="organization"),
        ]
    )
    return app


def alert_ids(app: Flask) -> dict[str, int]:
    """Counterparty → the id of its alert, as the Monitor opened them."""
    with app.extensions["monitor"].db.reached() as engine, engine.connect() as connection:
        return {a["client_id"]: a["id"] for a in alerts_domain.page(connection)}


def test_the_alert_queue_lists_what_the_monitor_opened_and_filters_it(alerting: Flask) -> None:
    client = alerting.test_client()
    sign_in(client, new_key(alerting, "alerts"))
    ids = alert_ids(alerting)
    assert {"C-1", "<b>C-2</b>"} <= set(ids)
    queue = client.get("/ui/alerts")
    html = queue.get_data(as_text=True)
    assert queue.status_code == 200 and f'href="/ui/alerts/{ids["C-1"]}"' in html and "ISLAMIC REVOLUTIONARY" in html
    assert 'href="/ui/alerts" aria-current="page"' in html, "the navigation names the page"
    only_c1 = client.get("/ui/alerts?q=c-1").get_data(as_text=True)  # a piece of the id, any case
    assert f'/ui/alerts/{ids["C-1"]}"' in only_c1 and f'/ui/alerts/{ids["<b>C-2</b>"]}"' not in only_c1
    by_name = client.get("/ui/alerts?q=guard+corps").get_data(as_text=True)
    assert f'/ui/alerts/{ids["C-1"]}"' in by_name and f'/ui/alerts/{ids["<b>C-2</b>"]}"' not in by_name
    assert 'id="no-alerts"' in client.get("/ui/alerts?state=cleared").get_data(as_text=True)
    assert f'/ui/alerts/{ids["C-1"]}"' in client.get("/ui/alerts?state=open&list=us_ofac_sdn").get_data(as_text=True)
    assert 'id="no-alerts"' in client.get("/ui/alerts?q=C-1&list=opensanctions").get_data(as_text=True)
    bad = client.get("/ui/alerts?state=forgotten")
    assert bad.status_code == 400 and "bad filter" in bad.get_data(as_text=True)


def test_the_queue_pages_after_the_last_alert_shown(alerting: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("service.ui.views.ALERTS_PAGE", 1)
    client = alerting.test_client()
    sign_in(client, new_key(alerting, "alerts"))
    first, second = sorted(alert_ids(alerting).values())[:2]
    page = client.get("/ui/alerts?state=open").get_data(as_text=True)
    assert f'/ui/alerts/{first}"' in page and f'/ui/alerts/{second}"' not in page
    next_url = re.search(r'href="([^"]+)" id="next-page"', page)
    assert next_url and next_url.group(1) == f"/ui/alerts?after={first}&amp;state=open"
    page = client.get(f"/ui/alerts?after={first}&state=open").get_data(as_text=True)
    assert f'/ui/alerts/{second}"' in page and f'/ui/alerts/{first}"' not in page


def test_an_alert_shows_the_pair_its_evidence_as_the_screen_page_does_and_its_history(alerting: Flask) -> None:
    client = alerting.test_client()
    sign_in(client, new_key(alerting, "alerts"))
    html = client.get(f"/ui/alerts/{alert_ids(alerting)['C-1']}").get_data(as_text=True)
    assert 'id="alert-client">C-1<' in html and f'href="/ui/entity/{IRGC}"' in html
    assert 'table class="alignment"' in html and 'table class="features"' in html, "the hit explained"
    assert 'id="alert-history"' in html and ">opened<" in html and "counterparty screened" in html


def test_deciding_without_the_csrf_token_is_refused(alerting: Flask) -> None:
    client = alerting.test_client()
    sign_in(client, new_key(alerting, "alerts"))
    alert_id = alert_ids(alerting)["C-1"]
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post(f"/ui/alerts/{alert_id}/decision", data={"state": "cleared", "note": "x", **data})
        assert response.status_code == 403 and "CSRF" in response.get_data(as_text=True)
    assert 'id="alert-state">open<' in client.get(f"/ui/alerts/{alert_id}").get_data(as_text=True)


def test_deciding_with_a_note_changes_the_state_and_records_the_key_in_history_and_audit(
    alerting: Flask, redis_client: redis.Redis
) -> None:
    client = alerting.test_client()
    token = new_key(alerting, "alerts")
    csrf = sign_in(client, token)
    alert_id = alert_ids(alerting)["C-1"]
    refused = client.post(f"/ui/alerts/{alert_id}/decision", data={"csrf_token": csrf, "state": "closed"})
    assert refused.status_code == 400 and 'id="state-error"' in refused.get_data(as_text=True)
    note = "Different party: <i>a shipping firm</i>"
    response = client.post(
        f"/ui/alerts/{alert_id}/decision", data={"csrf_token": csrf, "state": "cleared", "note": note}
    )
    assert response.status_code == 302 and response.location == f"/ui/alerts/{alert_id}"
    html = client.get(response.location).get_data(as_text=True)
    assert 'id="alert-state">cleared<' in html and "&lt;i&gt;a shipping firm&lt;/i&gt;" in html
    with alerting.extensions["monitor"].db.reached() as engine, engine.connect() as connection:
        found = alerts_domain.get(connection, alert_id)
    assert found is not None and found["state"] == "cleared"
    decided = found["history"][-1]
    assert (decided["event"], decided["state"], decided["actor"], decided["note"]) == (
        "decided", "cleared", token.split("_")[1], note
    )  # fmt: skip
    audited = [r for r in alerting.extensions["audit"].export() if r.get("type") == "decision"]
    assert len(audited) == 1 and audited[0]["alert_id"] == alert_id and audited[0]["key_id"] == token.split("_")[1]
    assert 'id="no-alerts"' not in client.get("/ui/alerts?state=cleared").get_data(as_text=True)


def test_a_screen_key_cannot_see_alerts_and_an_alerts_key_sees_only_them(alerting: Flask) -> None:
    client = alerting.test_client()
    csrf = sign_in(client, new_key(alerting, "screen"))
    alert_id = alert_ids(alerting)["C-1"]
    assert 'href="/ui/alerts"' not in client.get("/ui/screen").get_data(as_text=True)
    for page in ("/ui/alerts", f"/ui/alerts/{alert_id}"):
        response = client.get(page)
        assert response.status_code == 403 and "scope &#39;alerts&#39;" in response.get_data(as_text=True)
    decide = client.post(f"/ui/alerts/{alert_id}/decision", data={"csrf_token": csrf, "state": "cleared"})
    assert decide.status_code == 403
    analyst = alerting.test_client()
    sign_in_form = analyst.get("/ui/signin").get_data(as_text=True)
    analyst.post("/ui/signin", data={"api_key": new_key(alerting, "alerts"), "csrf_token": csrf_of(sign_in_form)})
    assert analyst.get("/ui/").location == "/ui/alerts"
    assert analyst.get("/ui/screen").status_code == 403
    assert analyst.get("/ui/alerts/999999").status_code == 404


def test_an_alert_on_a_hostile_name_renders_it_as_text(alerting: Flask) -> None:
    client = alerting.test_client()
    sign_in(client, new_key(alerting, "admin"))
    alert_id = alert_ids(alerting)["<b>C-2</b>"]
    queue = client.get("/ui/alerts").get_data(as_text=True)
    html = client.get(f"/ui/alerts/{alert_id}").get_data(as_text=True)
    for page in (queue, html):
        assert "<script>alert" not in page and "<b>C-2</b>" not in page
        assert "&lt;b&gt;C-2&lt;/b&gt;" in page and "&lt;script&gt;alert(" in page
    _no_markup_from_data(html)  # the listed record's programs hold "<svg onload=…>": text too


def test_every_console_file_is_declared_package_data() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["service.ui"]
    folder = ROOT / "service" / "ui"
    for path in (folder / "templates").rglob("*"), (folder / "static").rglob("*"):
        for file in path:
            if file.is_file():
                relative = file.relative_to(folder).as_posix()
                assert any(fnmatch(relative, pattern) for pattern in declared), f"{relative} would not ship"
