"""What screening costs: in-process latency, over HTTP next to a hello-world app, and at scale.

    python -m bench.screen --redis-url redis://127.0.0.1:6379/<yours> --synthetic-redis-url <another of yours>
                           [--lists-dir ../shared/lists] [--queries 2000] [--requests 500] [--clients 8]
                           [--seconds 10] [--synthetic 10000,100000,1000000] [--reload] [--http-only]
                           [--worker-class gthread|sync] [--threads 8] [--python-clients] [--no-http]

1. Loads every shared list into a Redis database of its own (--redis-url, db 9 by default;
   a list already there is not reloaded, only confirmed current; --reload empties the db).
2. In process: a ``Screener`` over those lists, timed on a query mix of ~2,000 names: listed
   names as listed, listed names perturbed (a typo, a dropped or reordered word, other case,
   accents off) and made-up people and companies that are not listed. Reports the first
   screen (which builds the index), p50/p90/p99/max and the mean number of candidates scored.
   Then what links cost: the same mix, 30% of it with an address (--addresses), screened
   with the network (``network_depth`` 2) and without (0), in alternating rounds.
3. Over HTTP (--http-only: this alone): the service under gunicorn (``screening serve
   --no-update``, 2 workers) and ``bench/hello.py`` under the same gunicorn settings and
   worker model (--worker-class, --threads), on --http-queries mostly distinct queries (the
   share is printed: caches of repeated queries must not carry the figures). Prints each
   server's time from start to ready (every worker holding its index) and its memory (RSS
   summed over arbiter and workers), one client's latency on fresh workers (cold) and after
   a warm-up (warm), each on queries not sent before, then throughput driven by wrk for
   --seconds each, back to back, and their ratio: wrk cycles through the queries, each of
   its threads from its own share, and says what share of its requests were distinct.
   Without wrk on PATH it says so and falls back to --clients Python client processes, which
   cap the hello-world far below what it serves (--python-clients: both). Clients, servers
   and Redis share the machine's cores, so the figures are a floor of what the service does
   on a machine of its own; compare figures of one run only.
4. ``--synthetic N[,N…]``: a synthetic list of N entities (bench/synthetic_names.py) loaded as
   ``opensanctions`` into another database (--synthetic-redis-url, db 10), each N measured in a
   fresh process: load time, Redis memory, index build time (the first screen), worker RSS
   growth, in-process p50/p99.

Every process it starts is stopped on exit. The databases are refused if they hold data this
benchmark did not write.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.claim import claim_redis  # noqa: E402
from bench.synthetic_names import Generator, write  # noqa: E402
from service import catalog  # noqa: E402
from service.auth import KeyStore  # noqa: E402
from service.config import from_env  # noqa: E402
from service.loader import load_list  # noqa: E402
from service.matching.types import AddressQuery, Query, ScreenResult  # noqa: E402
from service.network.keys import address_line  # noqa: E402
from service.screening import Screener  # noqa: E402
from service.store import ListStore  # noqa: E402

MARKER = "sanctions-screening:bench-database"
JSON_HEADERS = {"Content-Type": "application/json"}


# --- small helpers ----------------------------------------------------------------------------


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def claim(url: str, *, empty: bool) -> ListStore:
    """The store on ``url``, refusing a database holding someone else's data; ``empty`` flushes it."""
    return ListStore(claim_redis(url, MARKER, empty=empty))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One query of the mix, and what it is."""

    what: str  # "listed", "perturbed", "unlisted"
    name: str
    kind: str = "any"
    address: str | None = None  # one line, on the share of queries that carry one

    def query(self, network_depth: int = 2) -> Query:
        address = AddressQuery(full=self.address) if self.address else None
        return Query(name=self.name, kind=self.kind, address=address, network_depth=network_depth)

    def body(self) -> bytes:
        body = {"name": self.name, "kind": self.kind} | ({"address": self.address} if self.address else {})
        return json.dumps(body, ensure_ascii=False).encode()


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    roll = rng.random()
    if roll < 0.33:
        return word[:i] + word[i + 1 :]
    if roll < 0.66:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiouns") + word[i + 1 :]


def perturb(rng: random.Random, name: str) -> str:
    words = name.replace(",", " ").split()
    roll = rng.random()
    if roll < 0.35:
        long_ones = [i for i, w in enumerate(words) if len(w) >= 5]
        if long_ones:
            i = rng.choice(long_ones)
            words[i] = _typo(rng, words[i])
    elif roll < 0.55 and len(words) >= 3:
        del words[rng.randrange(1, len(words) - 1)]
    elif roll < 0.75 and len(words) >= 2:
        words = words[1:] + words[:1]
    elif roll < 0.9:
        words = [w.lower() if rng.random() < 0.5 else w.upper() for w in words]
    else:
        words = ["".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c)) for w in words]
    return " ".join(words)


def sample_listed(
    store: ListStore, list_ids: Sequence[str], want: int, rng: random.Random
) -> list[tuple[str, str, str | None]]:
    """(name, kind, an address line or None) of ``want`` listed entities, spread over the
    lists in proportion to their size."""
    current = store.current()
    sizes = {}
    for list_id in list_ids:
        version = store.version(list_id, current[list_id])
        sizes[list_id] = version.counts.get("entities", 0) if version else 0
    total = sum(sizes.values()) or 1
    out: list[tuple[str, str, str | None]] = []
    for list_id in list_ids:
        share = max(1, round(want * sizes[list_id] / total))
        stride = max(1, sizes[list_id] // share)
        offset = rng.randrange(stride)
        for n, entity in enumerate(store.iter_entities(list_id, current[list_id])):
            if n % stride != offset:
                continue
            names = entity.get("names") or []
            latin = [x["full"] for x in names if x.get("type") != "weak_aka" and x["full"].isascii()] or [
                x["full"] for x in names
            ]
            lines = [line for a in entity.get("addresses", ()) if (line := address_line(a))]
            if latin:
                out.append((rng.choice(latin), str(entity.get("kind", "any")), rng.choice(lines) if lines else None))
    rng.shuffle(out)
    return out[:want]


STREETS = ("Lenina", "Sadovaya", "Nevsky", "Al Wasl", "Nathan", "Istiklal", "Abay", "Tigran Mets", "Baker")
CITIES = ("Moscow 101000", "St. Petersburg 190000", "Dubai", "Hong Kong", "Istanbul 34433", "Almaty 050000")


def made_up_address(rng: random.Random) -> str:
    return f"{rng.randint(1, 300)} {rng.choice(STREETS)} Street, office {rng.randint(1, 900)}, {rng.choice(CITIES)}"


def query_mix(
    store: ListStore, list_ids: Sequence[str], count: int, seed: int = 11, addresses: float = 0.0
) -> list[Probe]:
    """35% listed names as listed, 25% perturbed, 40% made-up people and companies; a share
    ``addresses`` of them with an address (the listed entity's own, else a made-up one)."""
    rng = random.Random(seed)
    listed = sample_listed(store, list_ids, round(count * 0.6), rng)
    probes: list[Probe] = []
    for n, (name, kind, line) in enumerate(listed):
        kind = kind if kind in ("person", "organization", "vessel") and rng.random() < 0.5 else "any"
        address = (line or made_up_address(rng)) if rng.random() < addresses else None
        if n % 12 < 7:
            probes.append(Probe("listed", name, kind, address))
        else:
            probes.append(Probe("perturbed", perturb(rng, name), kind, address))
    generator = Generator(seed + 1000)
    while len(probes) < count:
        address = made_up_address(rng) if rng.random() < addresses else None
        if rng.random() < 0.6:
            name = generator.person_name()[1].primary
            probes.append(Probe("unlisted", name, rng.choice(("person", "any")), address))
        else:
            probes.append(Probe("unlisted", generator.org_name().primary, rng.choice(("organization", "any")), address))
    rng.shuffle(probes)
    return probes


# --- in process -------------------------------------------------------------------------------


@dataclass
class InProcess:
    first_ms: float  # the first screen: builds the index of every list
    rss_growth_mb: float  # the process's RSS growth over the first screen: the index
    latencies_ms: list[float]
    candidates: float
    matched: float  # share of queries with at least one hit at or over the threshold
    by_kind: dict[str, tuple[float, float]]  # probe kind → (p50, p99)


def in_process(
    store: ListStore, manifests: dict[str, Any], enabled: Sequence[str], probes: Sequence[Probe], warm: Sequence[Probe]
) -> InProcess:
    """``warm`` are other queries than ``probes``: the index caches token expansions, and a
    query seen in the warm-up would be measured with its cache already filled."""
    screener = Screener(store, manifests, enabled)
    before = rss_mb()
    started = time.perf_counter()
    screener.screen(warm[0].query())
    first_ms = (time.perf_counter() - started) * 1000
    growth = rss_mb() - before
    for probe in warm:
        screener.screen(probe.query())
    latencies: list[float] = []
    results: list[ScreenResult] = []
    for probe in probes:
        started = time.perf_counter()
        results.append(screener.screen(probe.query()))
        latencies.append((time.perf_counter() - started) * 1000)
    by_kind = {}
    for what in ("listed", "perturbed", "unlisted"):
        mine = [ms for ms, p in zip(latencies, probes) if p.what == what]
        if mine:
            by_kind[what] = (pct(mine, 50), pct(mine, 99))
    return InProcess(
        first_ms=first_ms,
        rss_growth_mb=growth,
        latencies_ms=latencies,
        candidates=sum(r.candidates for r in results) / len(results),
        matched=sum(1 for r in results if any(h.match for h in r.hits)) / len(results),
        by_kind=by_kind,
    )


def print_in_process(title: str, r: InProcess, n: int) -> None:
    ms = r.latencies_ms
    print(f"\n{title}: {n:,} queries")
    print(f"  first screen (index build) {r.first_ms:,.0f} ms, RSS +{r.rss_growth_mb:,.0f} MB")
    print(
        f"  latency ms: p50 {pct(ms, 50):.2f}  p90 {pct(ms, 90):.2f}  p99 {pct(ms, 99):.2f}  max {max(ms):.2f}"
        f"  (mean {sum(ms) / len(ms):.2f})"
    )
    kinds = "  ".join(f"{k} {a:.2f}/{b:.2f}" for k, (a, b) in r.by_kind.items())
    print(f"  p50/p99 by query: {kinds}")
    print(f"  candidates scored per query: {r.candidates:.1f} mean;  queries with a match: {r.matched:.0%}")


def links_cost(
    store: ListStore, manifests: dict[str, Any], enabled: Sequence[str], probes: Sequence[Probe], rounds: int = 3
) -> dict[str, Any]:
    """The same queries screened with the network (depth 2) and without (depth 0), in
    alternating rounds on one warm screener, so that both see the same caches and noise."""
    screener = Screener(store, manifests, enabled)
    for probe in probes:  # warm: indexes built, token expansions cached
        screener.screen(probe.query(0))
    timings: dict[int, list[float]] = {0: [], 2: []}
    linked = 0
    false_linked = 0  # made-up counterparties at made-up addresses with a matching linked hit
    for round_no in range(rounds):
        for depth in (0, 2) if round_no % 2 == 0 else (2, 0):
            for probe in probes:
                started = time.perf_counter()
                result = screener.screen(probe.query(depth))
                timings[depth].append((time.perf_counter() - started) * 1000)
                if depth and round_no == 0:
                    linked += bool(result.linked_hits)
                    false_linked += probe.what == "unlisted" and any(h.match for h in result.linked_hits)
    unlisted = sum(1 for p in probes if p.what == "unlisted" and p.address)
    out: dict[str, Any] = {
        "queries": len(probes),
        "with_linked_hits": linked,
        "unlisted_with_address": unlisted,
        "unlisted_linked_matches": false_linked,
    }
    for depth, ms in timings.items():
        out[depth] = {"p50": pct(ms, 50), "p90": pct(ms, 90), "p99": pct(ms, 99), "mean": sum(ms) / len(ms)}
    return out


def print_links_cost(r: dict[str, Any], share: float) -> str:
    without, with_ = r[0], r[2]
    print(f"\nlinks: {r['queries']:,} queries, {share:.0%} with an address; {r['with_linked_hits']} have linked hits")
    for label, t in (("without links (depth 0)", without), ("with links (depth 2)", with_)):
        print(f"  {label:24} p50 {t['p50']:.2f}  p90 {t['p90']:.2f}  p99 {t['p99']:.2f}  mean {t['mean']:.2f} ms")
    ratios = {k: with_[k] / without[k] - 1 for k in ("p50", "p99", "mean")}
    line = "  ".join(f"{k} {v:+.0%}" for k, v in ratios.items())
    print(f"  extra latency with links: {line}")
    print(
        f"  made-up names at made-up addresses with a matching linked hit: {r['unlisted_linked_matches']}"
        f" of {r['unlisted_with_address']}"
    )
    return (
        f"links ({share:.0%} of queries with an address): p50 {without['p50']:.2f} → {with_['p50']:.2f} ms,"
        f" p99 {without['p99']:.2f} → {with_['p99']:.2f} ms, mean {without['mean']:.2f} → {with_['mean']:.2f} ms"
        f" ({line}); {r['with_linked_hits']} of {r['queries']} with linked hits"
    )


# --- servers ----------------------------------------------------------------------------------


class Servers:
    """Processes this benchmark started, each in a session of its own, all stopped on exit."""

    def __init__(self, logdir: Path) -> None:
        self.logdir = logdir
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = open(self.logdir / f"{name}.log", "wb")  # noqa: SIM115 - lives as long as the process
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
        )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                with _suppress_lookup():
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with _suppress_lookup():
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


@contextmanager
def _suppress_lookup() -> Iterator[None]:
    try:
        yield
    except ProcessLookupError:
        pass


def wait_ready(port: int, path: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with {process.returncode}; see {log}:\n{log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            conn.close()
            if response.status == 200:
                return
            last = f"{response.status} {body[:300]!r}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.3)
    sys.exit(f"127.0.0.1:{port}{path} not ready after {timeout:.0f}s: {last}")


def post(conn: http.client.HTTPConnection, path: str, body: bytes) -> tuple[int, bytes]:
    conn.request("POST", path, body, JSON_HEADERS)
    response = conn.getresponse()
    return response.status, response.read()


def single_client(port: int, path: str, bodies: Sequence[bytes], count: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies = []
    for i in range(count):
        started = time.perf_counter()
        status, data = post(conn, path, bodies[i % len(bodies)])
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            sys.exit(f"POST {path} answered {status}: {data[:300]!r}")
    conn.close()
    return latencies


def _client_process(port: int, path: str, bodies: Sequence[bytes], start_at: float, seconds: float, out: Any) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    offset = os.getpid() % len(bodies)
    latencies: list[float] = []
    errors = 0
    while time.time() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    i = offset
    while True:
        started = time.perf_counter()
        if time.time() >= end:
            break
        try:
            status, _ = post(conn, path, bodies[i % len(bodies)])
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            errors += 1
        i += 1
    conn.close()
    out.put((len(latencies), errors, latencies))


@dataclass
class Throughput:
    rate: float
    errors: int
    p50: float
    p99: float


def throughput(port: int, path: str, bodies: Sequence[bytes], clients: int, seconds: float) -> Throughput:
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 0.5
    procs = [
        ctx.Process(target=_client_process, args=(port, path, bodies, start_at, seconds, out)) for _ in range(clients)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join()
    done = sum(r[0] for r in results)
    latencies = [ms for r in results for ms in r[2]]
    return Throughput(done / seconds, sum(r[1] for r in results), pct(latencies, 50), pct(latencies, 99))


WRK_SCRIPT = """
local bodies = {%s}
local headers = {["Content-Type"] = "application/json"%s}
local threads = 0
function setup(thread)
  thread:set("offset", threads * %d)
  threads = threads + 1
end
local i = 0
function request()
  i = i + 1
  return wrk.format("POST", "%s", headers, bodies[(offset + i) %% #bodies + 1])
end
"""


@dataclass
class WrkRun:
    rate: float
    requests: int
    errors: int  # non-2xx answers and socket errors
    p50: float
    p99: float
    distinct: float  # share of the requests whose body was sent for the first time in the run

    def line(self, label: str, unit: str) -> str:
        return (
            f"  {label:16} {self.rate:8,.0f} {unit}  p50 {self.p50:6.2f} ms  p99 {self.p99:6.2f} ms"
            f"  errors {self.errors}  ({self.requests:,} requests, {self.distinct:.0%} distinct bodies)"
        )


def _wrk_ms(text: str) -> float:
    """A wrk duration ("812.00us", "1.23ms", "1.05s", "2.00m") in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def wrk_throughput(
    port: int, path: str, bodies: Sequence[bytes], clients: int, seconds: float, workdir: Path, threads: int = 2
) -> WrkRun:
    """wrk's figures for ``bodies`` POSTed in turn, each wrk thread from its own share of them
    (so a body is sent twice only once a thread has gone through its share)."""
    script = workdir / f"post{path.replace('/', '_')}.lua"
    quoted = ",".join(json.dumps(b.decode()) for b in bodies)
    auth = JSON_HEADERS.get("Authorization")
    extra = f', ["Authorization"] = {json.dumps(auth)}' if auth else ""
    share = max(1, len(bodies) // threads)
    script.write_text(WRK_SCRIPT % (quoted, extra, share, path), encoding="utf-8")
    command = ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds:.0f}s", "--latency", "-s", str(script)]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
    rate = requests = errors = 0.0
    p50 = p99 = float("nan")
    for line in output.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            rate = float(words[1])
        elif "requests in" in line:
            requests = int(words[0])
        elif line.strip().startswith("50%"):
            p50 = _wrk_ms(words[1])
        elif line.strip().startswith("99%"):
            p99 = _wrk_ms(words[1])
        elif line.startswith("Non-2xx") or line.strip().startswith("Socket errors"):
            errors += sum(int(w.rstrip(",")) for w in words if w.rstrip(",").isdigit())
    if not requests:
        sys.exit(f"wrk gave no figures:\n{output[-1000:]}")
    distinct = min(1.0, len(set(bodies)) / requests)
    return WrkRun(rate, int(requests), int(errors), p50, p99, distinct)


def _session(pid: int) -> Iterator[tuple[Path, list[str]]]:
    """(/proc folder, stat fields after the name) of every process of the session ``pid``
    leads: a server's arbiter and workers (each server starts a session of its own)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == pid:
                yield stat.parent, fields
        except (OSError, IndexError, ValueError):
            continue


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a server, summed over its processes. Pages shared copy-on-write
    count once per process, so this overstates."""
    total = 0
    for folder, _ in _session(pid):
        try:
            status = (folder / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user and system) a server's processes have used: per request, a figure
    that other work on a shared machine disturbs much less than requests a second."""
    ticks = sum(int(fields[11]) + int(fields[12]) for _, fields in _session(pid))
    return ticks / os.sysconf("SC_CLK_TCK")


WRK_MISSING = (
    "wrk is not installed (apt-get install -y wrk): throughput below is from Python client processes only,"
    " which cap the hello-world far below what it serves and so flatter the ratio"
)


def _ready_all(port: int, process: subprocess.Popen[bytes], log: Path, workers: int) -> None:
    """Until /readyz answers 200 on enough fresh connections in a row that every worker has
    most likely answered one (the kernel spreads connections over the workers' accepts)."""
    in_a_row = 0
    while in_a_row < 10 * workers:
        wait_ready(port, "/readyz", process, log)
        in_a_row += 1
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/readyz")
            ok = conn.getresponse().status == 200
            conn.close()
        except OSError:
            ok = False
        in_a_row = in_a_row + 1 if ok else 0


def over_http(args: argparse.Namespace, store: ListStore, list_ids: Sequence[str], report: list[str]) -> None:
    # Queries of their own, many and mostly distinct: a throughput run makes thousands of
    # requests, and a query repeated finds the workers' caches already filled.
    probes = query_mix(store, list_ids, args.http_queries, seed=args.seed + 1)
    bodies = [p.body() for p in probes]
    n = args.requests
    cold, warm_up, warm, rest = bodies[:n], bodies[n : 3 * n], bodies[3 * n : 4 * n], bodies[4 * n :]
    screen_port, hello_port = free_port(), free_port()
    model = f"{args.worker_class}" + (f" × {args.threads} threads" if args.worker_class == "gthread" else "")
    base_env = {
        **os.environ,
        "REDIS_URL": args.redis_url,
        "SCREENING_WORKERS": str(args.workers),
        "SCREENING_THREADS": str(args.threads),
        "SCREENING_LISTS": ",".join(list_ids),
        "PYTHONPATH": str(ROOT),
        # Both servers under the same worker model (command-line settings override the config's).
        "GUNICORN_CMD_ARGS": f"--worker-class {args.worker_class} --threads {args.threads}",
    }
    base_env.pop("SCREENING_LISTS_DIR", None)  # --no-update: nothing is read from files
    # The service checks an API key on every request, as in production; the client processes
    # (forked) send this one. No rate limit: the benchmark is the load.
    _, token = KeyStore(store.redis, default_rate_limit=0).create("bench/screen.py", ["screen"])
    JSON_HEADERS["Authorization"] = f"Bearer {token}"
    logdir = Path(tempfile.mkdtemp(prefix="bench-screen-"))
    servers = Servers(logdir)
    have_wrk = shutil.which("wrk") is not None
    try:
        started = time.perf_counter()
        service = servers.start(
            "service",
            [sys.executable, "-m", "service.cli", "serve", "--no-update"],
            {**base_env, "SCREENING_BIND": f"127.0.0.1:{screen_port}", "SCREENING_PORT": str(screen_port)},
        )
        _ready_all(screen_port, service, logdir / "service.log", args.workers)
        service_start = time.perf_counter() - started
        started = time.perf_counter()
        hello = servers.start(
            "hello",
            [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf", "bench.hello:app"],
            {**base_env, "SCREENING_BIND": f"127.0.0.1:{hello_port}"},
        )
        wait_ready(hello_port, "/hello", hello, logdir / "hello.log")
        hello_start = time.perf_counter() - started
        rss_cold = tree_rss_mb(service.pid)
        print(
            f"\nHTTP: {args.workers} workers, {model}, both servers; {len(bodies):,} queries,"
            f" {len(set(bodies)) / len(bodies):.0%} distinct\n"
            f"  start to ready (every worker holding its index): service {service_start:.1f} s,"
            f" hello {hello_start:.1f} s\n"
            f"  memory (RSS summed over arbiter and workers): service {rss_cold:,.0f} MB, hello"
            f" {tree_rss_mb(hello.pid):,.0f} MB"
        )
        single_client(hello_port, "/hello", [b"{}"], 50)
        one_cold = single_client(screen_port, "/v1/screen", cold, len(cold))
        throughput(screen_port, "/v1/screen", warm_up, max(2, args.workers), 3.0)  # every worker warms
        if have_wrk:
            cpu = tree_cpu_s(service.pid)
            s = wrk_throughput(screen_port, "/v1/screen", rest, args.clients, args.seconds, logdir)
            screen_cpu = (tree_cpu_s(service.pid) - cpu) * 1000 / s.requests
            cpu = tree_cpu_s(hello.pid)
            h = wrk_throughput(hello_port, "/hello", [b"{}"], args.clients, args.seconds, logdir)
            hello_cpu = (tree_cpu_s(hello.pid) - cpu) * 1000 / h.requests
            print(
                f"  throughput, wrk, 2 threads × {args.clients} connections × {args.seconds:.0f} s, back to back"
                f" ({os.cpu_count()} CPUs shared by wrk, workers and Redis):\n"
                f"{s.line('POST /v1/screen', 'screens/s')}\n{h.line('POST /hello', 'req/s    ')}\n"
                f"    screens/s ÷ hello req/s = {s.rate / h.rate:.2f}\n"
                f"    server CPU per request: screen {screen_cpu:.3f} ms, hello {hello_cpu:.3f} ms;"
                f" hello ÷ screen = {hello_cpu / screen_cpu:.2f} (what the ratio would be were the server alone)"
            )
            report.append(
                f"HTTP wrk {args.clients} conns, {args.workers} workers {model}: {s.rate:,.0f} screens/s"
                f" ({s.distinct:.0%} distinct) vs {h.rate:,.0f} hello/s: ratio {s.rate / h.rate:.2f};"
                f" server CPU a request {screen_cpu:.3f} vs {hello_cpu:.3f} ms: ratio {hello_cpu / screen_cpu:.2f};"
                f" screen p50/p99 {s.p50:.2f}/{s.p99:.2f} ms; errors {s.errors}/{h.errors}"
            )
        else:
            print(f"  {WRK_MISSING}")
            report.append(WRK_MISSING)
        if args.python_clients or not have_wrk:
            screen_t = throughput(screen_port, "/v1/screen", rest, args.clients, args.seconds)
            hello_t = throughput(hello_port, "/hello", [b"{}"], args.clients, args.seconds)
            print(
                f"  throughput, {args.clients} Python client processes × {args.seconds:.0f} s:\n"
                f"    POST /v1/screen {screen_t.rate:8,.0f} screens/s  p50 {screen_t.p50:6.2f} ms"
                f"  p99 {screen_t.p99:6.2f} ms  errors {screen_t.errors}\n"
                f"    POST /hello     {hello_t.rate:8,.0f} req/s      p50 {hello_t.p50:6.2f} ms"
                f"  p99 {hello_t.p99:6.2f} ms  errors {hello_t.errors}\n"
                f"    screens/s ÷ hello req/s = {screen_t.rate / hello_t.rate:.2f} (Python clients: flattered)"
            )
            report.append(
                f"HTTP {args.clients} Python client procs: {screen_t.rate:,.0f} screens/s"
                f" vs {hello_t.rate:,.0f} hello/s"
                f" (ratio {screen_t.rate / hello_t.rate:.2f}); errors {screen_t.errors}/{hello_t.errors}"
            )
        # Warm: after the throughput runs, the workers' caches of words filled, on queries not sent before.
        one_warm = single_client(screen_port, "/v1/screen", warm, len(warm))
        one_hello = single_client(hello_port, "/hello", [b"{}"], n)
        print(
            f"  one client, {n} distinct queries each (ms):\n"
            f"    POST /v1/screen cold (fresh workers)  p50 {pct(one_cold, 50):6.2f}  p99 {pct(one_cold, 99):6.2f}\n"
            f"    POST /v1/screen warm (after the runs) p50 {pct(one_warm, 50):6.2f}  p99 {pct(one_warm, 99):6.2f}\n"
            f"    POST /hello                           p50 {pct(one_hello, 50):6.2f}  p99 {pct(one_hello, 99):6.2f}"
        )
        report.append(
            f"HTTP start to ready: service {service_start:.1f} s, hello {hello_start:.1f} s;"
            f" service RSS {rss_cold:,.0f} MB over {args.workers} workers ({model})"
        )
        report.append(
            f"HTTP 1 client p50/p99 ms: screen cold {pct(one_cold, 50):.2f}/{pct(one_cold, 99):.2f},"
            f" warm {pct(one_warm, 50):.2f}/{pct(one_warm, 99):.2f};"
            f" hello {pct(one_hello, 50):.2f}/{pct(one_hello, 99):.2f}"
        )
        rss_warm = tree_rss_mb(service.pid)
        print(f"  memory after the runs (warm): service {rss_warm:,.0f} MB, hello {tree_rss_mb(hello.pid):,.0f} MB")
        report.append(f"HTTP service RSS cold {rss_cold:,.0f} MB, warm {rss_warm:,.0f} MB")
    finally:
        servers.stop()
        shutil.rmtree(logdir, ignore_errors=True)


# --- synthetic lists --------------------------------------------------------------------------


def synthetic_one(args: argparse.Namespace, n: int) -> dict[str, float]:
    """Child mode: generate, load and screen a synthetic list of ``n`` entities; figures as JSON."""
    # A MemoryError in this child, rather than the machine's OOM killer choosing a victim.
    limit = int(args.max_memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    store = claim(args.synthetic_redis_url, empty=True)
    manifests = catalog.load_manifests(from_env().manifests_dir)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"synthetic-{n}.ftm.json"
        started = time.perf_counter()
        write(path, n, seed=args.seed)
        generate_s = time.perf_counter() - started
        used_before = store.redis.info("memory")["used_memory"]
        started = time.perf_counter()
        load_list(store, "opensanctions", "ftm", [path])
        load_s = time.perf_counter() - started
        redis_mb = (store.redis.info("memory")["used_memory"] - used_before) / 1e6
    probes = query_mix(store, ["opensanctions"], args.queries, seed=args.seed + 7)
    warm = query_mix(store, ["opensanctions"], 200, seed=args.seed + 8)
    result = in_process(store, manifests, ["opensanctions"], probes, warm)
    claim(args.synthetic_redis_url, empty=True)  # leave the database empty
    return {
        "n": n,
        "generate_s": generate_s,
        "load_s": load_s,
        "redis_mb": redis_mb,
        "build_s": result.first_ms / 1000,
        "index_mb": result.rss_growth_mb,
        "p50": pct(result.latencies_ms, 50),
        "p99": pct(result.latencies_ms, 99),
        "candidates": result.candidates,
        "matched": result.matched,
    }


def synthetic_table(args: argparse.Namespace, sizes: Sequence[int], report: list[str]) -> None:
    print(f"\nsynthetic lists as 'opensanctions' in {args.synthetic_redis_url}, each size in a fresh process:")
    header = (
        f"{'entities':>10} {'gen s':>6} {'load s':>7} {'Redis MB':>9} {'index build s':>13} {'index RSS MB':>12}"
        f" {'p50 ms':>7} {'p99 ms':>7} {'cands':>6} {'matched':>7}"
    )
    print(header)
    print("-" * len(header))
    report.append("synthetic: " + header.strip())
    for n in sizes:
        command = [sys.executable, "-m", "bench.screen", "--synthetic-one", str(n), "--queries", str(args.queries)]
        command += ["--synthetic-redis-url", args.synthetic_redis_url, "--seed", str(args.seed)]
        command += ["--max-memory-gb", str(args.max_memory_gb)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            claim(args.synthetic_redis_url, empty=True)
            print(f"{n:>10,} failed: {done.stderr.strip()[-500:]}")
            report.append(f"synthetic {n:,}: failed")
            continue
        f = json.loads(done.stdout.strip().splitlines()[-1])
        line = (
            f"{n:>10,} {f['generate_s']:6.1f} {f['load_s']:7.1f} {f['redis_mb']:9.0f} {f['build_s']:13.1f}"
            f" {f['index_mb']:12.0f} {f['p50']:7.2f} {f['p99']:7.2f} {f['candidates']:6.1f} {f['matched']:7.0%}"
        )
        print(line)
        report.append("           " + line)


# --- main -------------------------------------------------------------------------------------


def load_shared(args: argparse.Namespace, store: ListStore) -> list[str]:
    found = catalog.discover(args.lists_dir)
    manifests = catalog.load_manifests(from_env().manifests_dir)
    print(f"lists from {args.lists_dir} into {args.redis_url}:")
    loaded = []
    for list_id, source in sorted(found.items()):
        if list_id not in manifests:
            continue
        started = time.perf_counter()
        result = load_list(store, list_id, source.format, list(source.paths))
        what = "already loaded" if result.unchanged else f"loaded in {time.perf_counter() - started:.1f} s"
        print(f"  {list_id:14} {result.version.counts.get('entities', 0):>7,} entities  {what}")
        loaded.append(list_id)
    return loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--lists-dir", type=Path, default=Path(os.environ.get("SCREENING_LISTS_DIR", ROOT.parent / "shared" / "lists"))
    )
    parser.add_argument("--redis-url", default=os.environ.get("SCREENING_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument(
        "--synthetic-redis-url",
        default=os.environ.get("SCREENING_BENCH_SYNTHETIC_REDIS_URL", "redis://127.0.0.1:6379/10"),
    )
    parser.add_argument("--reload", action="store_true", help="empty the database and load every list again")
    parser.add_argument("--queries", type=int, default=2000, help="size of the query mix")
    parser.add_argument("--requests", type=int, default=500, help="requests of each one-client HTTP latency")
    parser.add_argument("--http-queries", type=int, default=60000, help="queries sent over HTTP (mostly distinct)")
    parser.add_argument("--clients", type=int, default=8, help="client processes of the HTTP throughput")
    parser.add_argument("--seconds", type=float, default=10, help="length of each throughput run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of both servers")
    parser.add_argument("--synthetic", default="", help="comma list of synthetic list sizes, e.g. 10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--addresses", type=float, default=0.3, help="share of queries with an address, in the links measurement"
    )
    parser.add_argument(
        "--max-memory-gb", type=float, default=12, help="address-space cap of each synthetic run (MemoryError past it)"
    )
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurements")
    parser.add_argument("--no-lists", action="store_true", help="skip the shared lists (only --synthetic)")
    parser.add_argument(
        "--wrk", action="store_true", help="(the default) throughput with wrk; without it on PATH, Python clients"
    )
    parser.add_argument("--python-clients", action="store_true", help="also measure throughput with Python clients")
    parser.add_argument("--http-only", action="store_true", help="skip the in-process and links measurements")
    parser.add_argument("--worker-class", default="gthread", choices=("gthread", "sync"), help="of both servers")
    parser.add_argument("--threads", type=int, default=8, help="per worker (gthread) of both servers")
    parser.add_argument("--synthetic-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.synthetic_one:
        print(json.dumps(synthetic_one(args, args.synthetic_one)))
        return

    report: list[str] = []
    if not args.no_lists:
        store = claim(args.redis_url, empty=args.reload)
        list_ids = load_shared(args, store)
        if not list_ids:
            sys.exit(f"no list files found in {args.lists_dir} (set --lists-dir or SCREENING_LISTS_DIR)")
        if not args.http_only:
            manifests = catalog.load_manifests(from_env().manifests_dir)
            probes = query_mix(store, list_ids, args.queries, seed=args.seed)
            counts = {w: sum(1 for p in probes if p.what == w) for w in ("listed", "perturbed", "unlisted")}
            share = len({(p.name, p.kind) for p in probes}) / len(probes)
            print(f"query mix: {', '.join(f'{k} {v}' for k, v in counts.items())}; {share:.0%} distinct")
            r = in_process(store, manifests, list_ids, probes, query_mix(store, list_ids, 200, seed=args.seed + 99))
            print_in_process(f"in process, {len(list_ids)} shared lists", r, len(probes))
            ms = r.latencies_ms
            report.append(
                f"in-process, {len(list_ids)} shared lists, {len(probes)} queries: p50 {pct(ms, 50):.2f}"
                f" p90 {pct(ms, 90):.2f} p99 {pct(ms, 99):.2f} max {max(ms):.2f} ms; candidates {r.candidates:.1f};"
                f" index build {r.first_ms:,.0f} ms, +{r.rss_growth_mb:.0f} MB RSS"
            )
            mixed = query_mix(store, list_ids, args.queries, seed=args.seed + 7, addresses=args.addresses)
            report.append(print_links_cost(links_cost(store, manifests, list_ids, mixed), args.addresses))
        if not args.no_http:
            over_http(args, store, list_ids, report)
    if args.synthetic:
        synthetic_table(args, [int(n) for n in args.synthetic.split(",") if n.strip()], report)

    print("\n=== report ===")
    print("\n".join(report))


if __name__ == "__main__":
    main()
