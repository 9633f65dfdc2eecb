"""What the analyst console's pages cost, and how fast a 500-node network graph becomes usable.

    python -m bench.console [--lists-dir ../shared/lists] [--redis-url redis://127.0.0.1:6379/9]
                            [--pages 600] [--no-browser]

1. Loads every shared list into a Redis database of its own (as bench/screen.py does: a list
   already there is only confirmed current; the database is refused if it holds data this
   benchmark did not write).
2. Serves the app under gunicorn (``screening serve --no-update``, 2 workers, as in
   production), signs in through the sign-in form, and times whole pages over loopback with
   one client: the screen page answering a POST (a mix of listed, misspelt and made-up names,
   as bench/screen.py draws them), entity pages with their network at depth 1–3, the lists
   page, list change feeds and audit records. Inputs are mostly distinct (the share is
   printed). The first pass over each kind of page (cold: the worker's first templates, its
   index) is reported apart from the rest (warm). Goal: p95 ≤ 300 ms.
3. In headless Chromium (Debian's chromium and chromium-driver): the entity of the largest
   network the lists hold at depth 3 (at most 500 entities), opened through the console,
   then a synthetic 500-node, 499-edge graph drawn by the same script from a local page;
   each reports when the graph answers to pan, zoom and clicks (the script's
   ``data-ready-at``, from navigation start) and when the layout settles. Goal: ≤ 1 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import sys
import tempfile
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.screen import Servers, claim, free_port, load_shared, pct, query_mix, wait_ready  # noqa: E402
from service.auth import KeyStore  # noqa: E402
from service.store import ListStore  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SCREENING_ID = re.compile(r'id="screening-id">([\d-]+)<')


class Browser:
    """One client with cookies, on one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, float]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.conn.request(method, path, body, headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return response.status, text, elapsed

    def sign_in(self, token: str) -> str:
        _, page, _ = self.request("GET", "/ui/signin")
        status, _, _ = self.request("POST", "/ui/signin", {"api_key": token, "csrf_token": CSRF.findall(page)[0]})
        assert status == 302, status
        _, page, _ = self.request("GET", "/ui/lists")
        return CSRF.findall(page)[0]


def linked_entities(store: ListStore, list_ids: list[str], want: int, rng: random.Random) -> list[str]:
    """Ids of entities with links of their own (their networks are worth drawing), then others."""
    current = store.current()
    linked, plain = [], []
    for list_id in list_ids:
        for entity in store.iter_entities(list_id, current[list_id]):
            (linked if entity.get("links") else plain).append(entity["id"])
    rng.shuffle(linked)
    rng.shuffle(plain)
    return (linked + plain)[:want]


def page_plan(store: ListStore, list_ids: list[str], pages: int, seed: int) -> list[tuple[str, str, Any]]:
    """(kind, method, what) of every page to fetch, mostly distinct, kinds interleaved."""
    rng = random.Random(seed)
    share = {"screen": 0.45, "entity": 0.35, "lists": 0.05, "changes": 0.05, "audit": 0.10}
    probes = query_mix(store, list_ids, round(pages * share["screen"]), seed=seed)
    entities = linked_entities(store, list_ids, round(pages * share["entity"]), rng)
    plan: list[tuple[str, str, Any]] = [("screen", "POST", probe.name) for probe in probes]
    plan += [("entity", "GET", f"/ui/entity/{e}?depth={1 + i % 3}") for i, e in enumerate(entities)]
    plan += [("lists", "GET", "/ui/lists") for _ in range(round(pages * share["lists"]))]
    plan += [
        ("changes", "GET", f"/ui/lists/{list_ids[i % len(list_ids)]}") for i in range(round(pages * share["changes"]))
    ]
    plan += [("audit", "GET", None) for _ in range(round(pages * share["audit"]))]  # ids of earlier screenings
    rng.shuffle(plan)
    return plan


def time_pages(port: int, token: str, plan: list[tuple[str, str, Any]]) -> dict[str, dict[str, list[float]]]:
    client = Browser(port)
    csrf = client.sign_in(token)
    screening_ids: list[str] = []
    times: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"cold": [], "warm": []})
    fetched: Counter[str] = Counter()
    for kind, _, what in plan:
        if kind == "screen":
            status, page, ms = client.request("POST", "/ui/screen", {"csrf_token": csrf, "name": what})
            found = SCREENING_ID.search(page)
            if found:
                screening_ids.append(found.group(1))
        elif kind == "audit":
            if not screening_ids:
                continue
            status, page, ms = client.request("GET", f"/ui/audit?id={screening_ids.pop(0)}")
        else:
            status, page, ms = client.request("GET", what)
        if status != 200:
            print(f"  {kind} {what}: {status} {page[:200]!r}")
            continue
        # Per worker, its first page of a kind is cold; two workers: the first two of each kind.
        fetched[kind] += 1
        times[kind]["cold" if fetched[kind] <= 2 else "warm"].append(ms)
    return times


def report_pages(times: dict[str, dict[str, list[float]]], plan: list[tuple[str, str, Any]]) -> list[str]:
    lines = []
    distinct = len({(k, w) for k, _, w in plan if w is not None}) / max(1, sum(1 for _, _, w in plan if w is not None))
    lines.append(f"pages over loopback, one client, gunicorn 2 workers; distinct inputs {distinct:.0%}")
    every_warm: list[float] = []
    for kind in ("screen", "entity", "lists", "changes", "audit"):
        cold, warm = times[kind]["cold"], times[kind]["warm"]
        every_warm += warm
        lines.append(
            f"  {kind:8} cold {len(cold):>3}: max {max(cold, default=float('nan')):7.1f} ms   warm {len(warm):>4}:"
            f" p50 {pct(warm, 50):6.1f}  p95 {pct(warm, 95):6.1f}  max {max(warm, default=float('nan')):7.1f} ms"
        )
    lines.append(f"  all warm pages: p95 {pct(every_warm, 95):.1f} ms (goal ≤ 300 ms)")
    return lines


# --- the graph in Chromium --------------------------------------------------------------------


def largest_network(port: int, token: str, candidates: list[str]) -> tuple[str, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    best = ("", 0)
    for entity_id in candidates:
        conn.request(
            "GET", f"/v1/entities/{entity_id}/network?depth=3&limit=1", headers={"Authorization": f"Bearer {token}"}
        )
        response = conn.getresponse()
        body = json.loads(response.read())
        if response.status == 200 and body["total_nodes"] > best[1]:
            best = (entity_id, body["total_nodes"])
    return best


def synthetic_graph(n: int, seed: int) -> dict[str, Any]:
    """n entities in a random tree (each linked to an earlier one): n − 1 edges, depth unbounded."""
    rng = random.Random(seed)
    kinds = ("person", "organization", "vessel")
    nodes = [{"id": f"syn:{i}", "name": f"Synthetic entity {i}", "list_id": "syn", "kind": kinds[i % 3],
              "listed": rng.random() < 0.4, "programs": [], "distance": 0} for i in range(n)]  # fmt: skip
    edges = []
    for i in range(1, n):
        parent = rng.randrange(max(0, i - 40), i)
        nodes[i]["distance"] = min(3, nodes[parent]["distance"] + 1)
        share = rng.choice([None, 50.0, 100.0])
        edges.append({"from": f"syn:{i}", "to": f"syn:{parent}", "type": "owned_by", "share": share,
                      "label": None, "source": "synthetic"})  # fmt: skip
    return {"entity_id": "syn:0", "nodes": nodes, "edges": edges}


def graph_page(graph: dict[str, Any], folder: Path) -> Path:
    static = ROOT / "service" / "ui" / "static"
    page = folder / "graph-500.html"
    data = json.dumps(graph).replace("<", "\\u003c")  # as Jinja's tojson: no "</script>" inside
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<link rel='stylesheet' href='{(static / 'console.css').as_uri()}'>"
        f"<script src='{(static / 'console.js').as_uri()}' defer></script></head><body><main>"
        "<div class='graph-tools'><button data-graph='zoom-in'>+</button></div>"
        "<div id='graph' class='graph' data-url='#__ID__'></div>"
        f"<script type='application/json' id='graph-data'>{data}</script>"
        "</main></body></html>",
        encoding="utf-8",
    )
    return page


def measure_graph(driver: Any, url: str) -> dict[str, Any]:
    driver.get(url)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        got = driver.execute_script(
            "const g = document.getElementById('graph'); return g && g.getAttribute('data-settled-ms') &&"
            " [g.getAttribute('data-ready-at'), g.getAttribute('data-settled-ms'),"
            " document.querySelectorAll('#graph a.node').length, document.querySelectorAll('#graph g.edge').length,"
            " performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]"
        )
        if got:
            break
        time.sleep(0.05)
    else:
        raise SystemExit(f"the graph at {url} did not settle in 30 s")
    ready_at, settled, nodes, edges, dcl = got
    # A click on the zoom button answers at once: the page is not busy laying out.
    started = time.perf_counter()
    driver.find_element("css selector", "[data-graph=zoom-in]").click()
    click_ms = (time.perf_counter() - started) * 1000
    return {"nodes": nodes, "edges": edges, "ready_ms": float(ready_at), "dom_ms": dcl, "settled": settled,
            "click_ms": click_ms}  # fmt: skip


def browser_graphs(port: int, token: str, entity_id: str, folder: Path) -> list[str]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
                 "--allow-file-access-from-files"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    lines = ["network graph in headless Chromium (ready: answers to pan/zoom/click, from navigation start)"]
    try:
        base = f"http://127.0.0.1:{port}"
        driver.get(f"{base}/ui/signin")
        driver.find_element("id", "api_key").send_keys(token)
        driver.find_element("css selector", "form.card button[type=submit]").click()
        time.sleep(0.5)
        runs = [("largest real network, depth 3", f"{base}/ui/entity/{entity_id}?depth=3")] if entity_id else []
        runs.append(("synthetic 500 nodes", graph_page(synthetic_graph(500, 7), folder).as_uri()))
        for what, url in runs:
            for attempt in ("first", "again"):
                m = measure_graph(driver, url)
                lines.append(
                    f"  {what} ({attempt}): {m['nodes']} nodes, {m['edges']} edges; DOM ready {m['dom_ms']:.0f} ms,"
                    f" graph ready {m['ready_ms']:.0f} ms (goal ≤ 1000), layout settled {m['settled']}"
                    f" after the first drawing; a zoom click {m['click_ms']:.0f} ms round trip"
                )
    finally:
        driver.quit()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--lists-dir", type=Path, default=Path(os.environ.get("SCREENING_LISTS_DIR", ROOT.parent / "shared" / "lists"))
    )
    parser.add_argument("--redis-url", default=os.environ.get("SCREENING_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--pages", type=int, default=600, help="pages timed")
    parser.add_argument(
        "--network-candidates", type=int, default=400, help="linked entities searched for the largest network"
    )
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    args = parser.parse_args()

    store = claim(args.redis_url, empty=False)
    list_ids = load_shared(args, store)
    _, token = KeyStore(store.redis, default_rate_limit=0).create("bench/console.py", ["admin"])
    plan = page_plan(store, list_ids, args.pages, args.seed)
    candidates = linked_entities(store, list_ids, args.network_candidates, random.Random(args.seed))

    port = free_port()
    env = {**os.environ, "REDIS_URL": args.redis_url, "SCREENING_WORKERS": "2", "SCREENING_LISTS": ",".join(list_ids),
           "SCREENING_BIND": f"127.0.0.1:{port}", "PYTHONPATH": str(ROOT), "SCREENING_LOG_FORMAT": "text"}  # fmt: skip
    env.pop("SCREENING_LISTS_DIR", None)  # --no-update: nothing is read from files
    logdir = Path(tempfile.mkdtemp(prefix="bench-console-"))
    servers = Servers(logdir)
    report: list[str] = []
    try:
        service = servers.start("service", [sys.executable, "-m", "service.cli", "serve", "--no-update"], env)
        wait_ready(port, "/readyz", service, logdir / "service.log")
        started = time.perf_counter()
        times = time_pages(port, token, plan)
        report += report_pages(times, plan)
        report.append(f"  ({len(plan)} pages in {time.perf_counter() - started:.0f} s)")
        print("\n".join(report), flush=True)
        if not args.no_browser:
            entity_id, size = largest_network(port, token, candidates)
            print(f"largest network at depth 3 among {len(candidates)} linked entities: {entity_id} ({size} entities)")
            print("\n".join(browser_graphs(port, token, entity_id, logdir)))
    finally:
        servers.stop()


if __name__ == "__main__":
    main()
