"""The console in a real headless Chromium (Debian's chromium and chromium-driver, driven by
selenium): an analyst's session from sign-in to sign-out, at 1280×800 and on a 390-wide phone.

Screenshots of every page land in test-artifacts/console/ (git-ignored). In CI (``CI`` or
``SCREENING_BROWSER_TESTS=required``, which .ci/run sets) a missing browser fails the tests;
elsewhere they skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from werkzeug.serving import make_server

from service.config import Settings
from service.monitoring.book import Counterparty
from tests.conftest import ROOT
from tests.ui_helpers import ENABLED, IMG, IRGC, IVAN, SCRIPT, console_app, console_settings, new_key

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "test-artifacts" / "console"
SCREENING = Path(sys.executable).parent / "screening"
REQUIRED = bool(os.environ.get("CI")) or os.environ.get("SCREENING_BROWSER_TESTS") == "required"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every test of this module."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium")
    if missing:
        if REQUIRED:
            pytest.fail(f"the browser tests must run here but {', '.join(missing)} is missing (see .ci/run)")
        pytest.skip(f"no browser: {', '.join(missing)} missing (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,800", "--lang=en-GB"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture
def console(settings: Settings, redis_client: redis.Redis, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The app on a real HTTP server on loopback, its lists loaded, and an admin key."""
    app = console_app(console_settings(settings, job_chunk_rows=10), redis_client)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app, "tmp": tmp_path}
    server.shutdown()


def wait_for(condition: Callable[[], Any], timeout: float = 20.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def shot(driver: Any, name: str) -> None:
    """A screenshot of the whole page (as tall as it is), saved as a test artifact."""
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return window.innerHeight")
    full = driver.execute_script("return document.documentElement.scrollHeight")
    set_width(driver, width, min(max(full, height), 4000))
    driver.save_screenshot(str(ARTIFACTS / f"{name}-{width}.png"))
    set_width(driver, width, height)


def set_width(driver: Any, width: int, height: int = 800) -> None:
    """The page's viewport at exactly this size (a headless window has a minimum width)."""
    driver.set_window_size(max(width, 800), height)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


# Every visible form control has a label (a <label for>, a wrapping label or aria-label), and
# every button and link has a name: what a screen reader announces.
UNLABELLED = """
const bad = [];
for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
  if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label')) bad.push(el.name || el.id);
}
for (const el of document.querySelectorAll('button, a[href]')) {
  if (!(el.textContent.trim() || el.getAttribute('aria-label'))) bad.push(el.outerHTML.slice(0, 80));
}
return bad;
"""


# Elements that reach past the right edge of the screen, other than inside a box that scrolls
# or clips them (a wide table in its own scroller, the graph's drawing).
OVERFLOWING = """
const out = [];
for (const el of document.querySelectorAll('body *')) {
  if (el.getBoundingClientRect().right <= window.innerWidth + 1 || el.closest('svg')) continue;
  let clipped = false;
  for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
    if (getComputedStyle(up).overflowX !== 'visible') { clipped = true; break; }
  }
  if (!clipped) out.push(el.tagName + '.' + el.className + ' ' + (el.id || ''));
}
return out.slice(0, 5);
"""


def check_page(driver: Any, width: int) -> None:
    assert driver.execute_script(UNLABELLED) == [], driver.current_url
    assert driver.execute_script("return window.innerWidth") == width
    assert driver.execute_script(OVERFLOWING) == [], f"{driver.current_url} is wider than a {width}px screen"
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors  # a CSP violation or a script error would show here


def sign_in(driver: Any, url: str, token: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/ui/")
    driver.find_element(By.ID, "api_key").send_keys(token)
    driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
    wait_for(lambda: driver.current_url.endswith("/ui/screen"), what="the screen page after sign-in")


def screen_name(driver: Any, url: str, name: str) -> str:
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/ui/screen")
    field = driver.find_element(By.ID, "name")
    field.clear()
    field.send_keys(name)
    driver.find_element(By.ID, "screen-submit").click()
    return str(wait_for(lambda: driver.find_elements(By.ID, "decision"), what="a decision")[0].text)


def test_an_analyst_signs_in_screens_follows_the_network_runs_a_file_and_signs_out(browser, console) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver, url = browser, console["url"]
    set_width(driver, 1280)
    driver.delete_all_cookies()
    driver.get(f"{url}/ui/")
    assert "/ui/signin" in driver.current_url
    check_page(driver, 1280)
    shot(driver, "01-signin")
    sign_in(driver, url, new_key(console["app"], "admin"))

    # The form is reachable by keyboard alone: Tab from the name field, Enter opens a folded
    # group of fields, and every control comes in turn.
    driver.find_element(By.ID, "name").click()
    reached = set()
    for _ in range(40):
        active = driver.switch_to.active_element
        reached.add(active.get_attribute("id") or active.get_attribute("name"))
        if active.tag_name == "summary" and not driver.execute_script("return arguments[0].parentNode.open", active):
            active.send_keys(Keys.ENTER)
        active.send_keys(Keys.TAB)
    controls = driver.execute_script(
        "return [...document.querySelectorAll('form.screen-form input:not([type=hidden]), form.screen-form select,"
        " form.screen-form button')].map(e => e.id || e.name)"
    )
    assert set(controls) <= reached, f"not reached by Tab: {set(controls) - reached}"

    # A listed name, then a misspelt one; open an explanation.
    assert screen_name(driver, url, "Islamic Revolutionary Guard Corps") == "HIT"
    check_page(driver, 1280)
    shot(driver, "02-screen-listed")
    assert screen_name(driver, url, "Islamic Revolutinary Gaurd Corps") == "HIT"
    hit = driver.find_element(By.CSS_SELECTOR, "article.hit")
    hit.find_element(By.TAG_NAME, "summary").click()
    table = hit.find_element(By.CSS_SELECTOR, "table.alignment")
    assert table.is_displayed() and "gaurd" in table.text and "guard" in table.text
    assert hit.find_element(By.CSS_SELECTOR, "table.features").is_displayed()
    shot(driver, "03-screen-misspelt-explained")
    screening_id = driver.find_element(By.ID, "screening-id").text

    # A linked hit: the chain and the 50% rule.
    assert screen_name(driver, url, "Northwind Trading LLC") in ("HIT", "REVIEW")
    assert driver.find_elements(By.CSS_SELECTOR, "ol.chain") and "Blocked by extension" in driver.page_source
    shot(driver, "04-screen-linked")

    # The entity and its network: nodes and edges drawn, a click on a node opens it.
    hit_link = driver.find_element(By.CSS_SELECTOR, "article.hit.linked ol.chain a")
    hit_link.click()
    wait_for(lambda: "/ui/entity/" in driver.current_url, what="an entity page")
    driver.get(f"{url}/ui/entity/{IVAN}?depth=2")
    graph = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#graph svg"), what="the graph")[0]
    nodes = graph.find_elements(By.CSS_SELECTOR, "a.node")
    edges = graph.find_elements(By.CSS_SELECTOR, "g.edge")
    assert len(nodes) >= 3 and len(edges) >= 2
    assert {"listed", "unlisted"} <= {c for n in nodes for c in n.get_attribute("class").split()}
    labels = [e.find_element(By.CSS_SELECTOR, "text").text for e in edges]
    assert "owns 60%" in labels or "owned by 60%" in labels, labels
    wait_for(lambda: driver.find_element(By.ID, "graph").get_attribute("data-settled-ms"), what="the layout")
    check_page(driver, 1280)
    shot(driver, "05-entity-network")
    before = driver.find_element(By.ID, "graph").get_attribute("data-zoom")
    driver.find_element(By.CSS_SELECTOR, "[data-graph=zoom-in]").click()
    assert driver.find_element(By.ID, "graph").get_attribute("data-zoom") != before
    target = next(n for n in nodes if n.get_attribute("data-id") != IVAN)
    target_id = target.get_attribute("data-id")
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", target)
    wait_for(lambda: target_id.split(":")[1] in driver.current_url, what="the clicked node's page")

    # Markup in a list renders as text, and nothing runs (an alert would block the driver).
    driver.get(f"{url}/ui/entity/{SCRIPT}?depth=2")
    assert driver.find_element(By.ID, "entity-name").text == "<script>alert('list')</script> Trading"
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, f'#graph a.node[data-id="{IMG}"]'), what="hostile node")
    assert not driver.find_elements(By.CSS_SELECTOR, "main img"), "no element made from a name"
    check_page(driver, 1280)
    shot(driver, "06-entity-hostile")

    # A file: upload, watch the progress, download, see the summary.
    csv = console["tmp"] / "customers.csv"
    rows = ["id,name,country"] + [
        f"r{i},{'Islamic Revolutionary Guard Corps' if i % 10 == 0 else f'Nordwind Handels {i} GmbH'},DE"
        for i in range(60)
    ]
    csv.write_text("\n".join(rows) + "\n")
    driver.get(f"{url}/ui/bulk")
    driver.find_element(By.ID, "file").send_keys(str(csv))
    driver.find_element(By.ID, "upload").click()
    wait_for(lambda: "/ui/jobs/" in driver.current_url, what="the job page")
    assert driver.find_element(By.ID, "job-status").text == "queued"
    shot(driver, "07-job-queued")
    env = {**os.environ, "REDIS_URL": console["app"].extensions["settings"].redis_url,
           "SCREENING_LISTS": ",".join(ENABLED), "SCREENING_DATA_DIR": str(console["tmp"] / "worker")}  # fmt: skip
    worker = subprocess.Popen([str(SCREENING), "worker", "--burst"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        wait_for(lambda: driver.find_element(By.ID, "job-status").text == "done", 90, "the job to finish")
    finally:
        _, stderr = worker.communicate(timeout=60)
    assert worker.returncode == 0, stderr.decode()[-2000:]
    assert driver.find_element(By.ID, "job-rows").text == "60 of 60"
    assert driver.find_element(By.ID, "job-progress").get_attribute("value") == "60"
    assert driver.find_element(By.CSS_SELECTOR, '#job-chart g.bar[data-label="hit"]').get_attribute("data-value") == "6"
    assert driver.find_elements(By.CSS_SELECTOR, '#job-chart g.bar[data-label="hits on us_ofac_sdn"]')
    download = driver.find_element(By.CSS_SELECTOR, "#job-download a")
    assert download.is_displayed()
    results = driver.execute_script(
        "return fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text())", download.get_attribute("href")
    )
    assert results.count("\n") == 61 and IRGC in results
    check_page(driver, 1280)
    shot(driver, "08-job-done")
    job_page = driver.current_url.removeprefix(url)

    # Lists, a change feed, the audit record of the screening above, keys.
    for name, page in (("09-lists", "/ui/lists"), ("10-changes", "/ui/lists/us_ofac_sdn"),
                       ("11-audit", f"/ui/audit?id={screening_id}"), ("12-keys", "/ui/keys")):  # fmt: skip
        driver.get(url + page)
        check_page(driver, 1280)
        shot(driver, name)
    driver.get(f"{url}/ui/audit?id={screening_id}")
    assert "Islamic Revolutinary Gaurd Corps" in driver.find_element(By.ID, "audit-record").text

    # An alert of the monitored book: the queue, the alert's evidence, cleared with a note.
    monitored = Counterparty("C-7", name="Islamic Revolutionary Guard Corps", kind="organization")
    console["app"].extensions["monitor"].put([monitored])
    driver.get(f"{url}/ui/alerts")
    check_page(driver, 1280)
    shot(driver, "18-alerts")
    driver.find_element(By.CSS_SELECTOR, "#alert-queue tbody th a").click()
    wait_for(lambda: driver.find_elements(By.ID, "decide-note"), what="the alert page")
    assert driver.find_element(By.ID, "alert-state").text == "open"
    assert driver.find_elements(By.CSS_SELECTOR, "article.hit"), "the evidence, as on the screen page"
    alert_page = driver.current_url.removeprefix(url)
    check_page(driver, 1280)
    driver.find_element(By.ID, "decide-cleared").click()
    driver.find_element(By.ID, "decide-note").send_keys("A namesake club, checked by phone")
    driver.find_element(By.ID, "decide-submit").click()
    wait_for(lambda: not driver.find_elements(By.ID, "decide-cleared"), what="the alert decided")
    assert driver.find_element(By.ID, "alert-state").text == "cleared"
    assert "A namesake club, checked by phone" in driver.find_element(By.ID, "alert-history").text
    check_page(driver, 1280)
    shot(driver, "19-alert-cleared")

    # The same pages on a phone.
    set_width(driver, 390, 844)
    for name, page in (("13-screen", "/ui/screen"), ("14-entity", f"/ui/entity/{IVAN}?depth=2"),
                       ("15-lists", "/ui/lists"), ("16-job", job_page), ("20-alert", alert_page)):  # fmt: skip
        driver.get(url + page)
        check_page(driver, 390)
        shot(driver, name)
    screen_name(driver, url, "Islamic Revolutinary Gaurd Corps")
    driver.find_element(By.CSS_SELECTOR, "article.hit summary").click()
    check_page(driver, 390)
    shot(driver, "17-screen-explained")

    # Sign out: the session is gone, pages send back to sign-in.
    set_width(driver, 1280)
    driver.find_element(By.CSS_SELECTOR, "form.signout button").click()
    wait_for(lambda: "/ui/signin" in driver.current_url, what="the sign-in page")
    driver.get(f"{url}/ui/screen")
    assert "/ui/signin" in driver.current_url
