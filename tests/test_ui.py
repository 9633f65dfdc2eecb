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
    assert token.split("_")[2] not in cookie, "the browser never holds the key's secret"
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


def test_every_console_file_is_declared_package_data() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["service.ui"]
    folder = ROOT / "service" / "ui"
    for path in (folder / "templates").rglob("*"), (folder / "static").rglob("*"):
        for file in path:
            if file.is_file():
                relative = file.relative_to(folder).as_posix()
                assert any(fnmatch(relative, pattern) for pattern in declared), f"{relative} would not ship"
