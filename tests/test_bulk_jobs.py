"""Bulk jobs on a real Redis and real RQ workers: chunks written once, dead workers' chunks taken again."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis

from service.bulk import keys
from service.bulk.engine import Engine
from service.bulk.jobs import JobOptions, JobStore
from service.bulk.reader import CsvInput
from service.bulk.runtime import screener
from service.config import Settings
from tests.bulk_helpers import bulk_settings, drain, load_fixture_lists, parse

SCREENING = Path(sys.executable).parent / "screening"


@pytest.fixture
def job_settings(settings: Settings) -> Settings:
    return bulk_settings(settings, job_chunk_rows=3, job_lease_seconds=1)


@pytest.fixture
def jobs(job_settings: Settings, redis_client: redis.Redis) -> JobStore:
    load_fixture_lists(redis_client)
    return JobStore(redis_client, chunk_rows=3, lease_seconds=1, stall_seconds=60)


def csv_of(n: int) -> bytes:
    """n distinct counterparties, every tenth a listed one."""
    lines = ["id,name,country"]
    for i in range(n):
        name = "Islamic Revolutionary Guard Corps" if i % 10 == 0 else f"Nordwind Handels {i} GmbH"
        lines.append(f"r{i},{name},DE")
    return ("\n".join(lines) + "\n").encode()


def start(jobs: JobStore, data: bytes) -> str:
    job_id = jobs.create(JobOptions(filename="t.csv"))
    jobs.ingest(job_id, CsvInput(io.BytesIO(data)))
    return job_id


def result_ids(jobs: JobStore, job_id: str) -> list[str]:
    return [row["row_id"] for row in parse("".join(jobs.results(job_id)))]


def test_a_chunk_screened_twice_is_written_and_counted_once(jobs, job_settings, redis_client) -> None:  # type: ignore[no-untyped-def]
    job_id = start(jobs, csv_of(7))  # chunks of 3, 3 and 1 rows
    engine = Engine(screener(job_settings, redis_client))
    assert jobs.run_chunk(job_id, 0, engine, "w1") == "done"
    before = jobs.status(job_id)
    assert jobs.run_chunk(job_id, 0, engine, "w2") == "already done"
    assert jobs.status(job_id)["rows_done"] == before["rows_done"] == 3
    assert jobs.run_chunk(job_id, 1, engine, "w1") == "done"
    assert jobs.run_chunk(job_id, 2, engine, "w1") == "done; job finished"
    status = jobs.status(job_id)
    assert status["status"] == "done" and status["rows_done"] == 7 and status["hits"] == 1
    assert result_ids(jobs, job_id) == [f"r{i}" for i in range(7)]
    assert not redis_client.exists(keys.job_key(job_id, "in")), "the input goes once the job is done"
    assert job_id not in {m.decode() for m in redis_client.smembers(keys.ACTIVE)}
    assert 0 < redis_client.ttl(keys.job_key(job_id, "out")) <= jobs.ttl


def test_a_started_chunk_whose_lease_lapsed_is_enqueued_again_by_one_sweeper(jobs, job_settings, redis_client) -> None:  # type: ignore[no-untyped-def]
    job_id = start(jobs, csv_of(4))
    queue = jobs.queue()
    queue.empty()  # as if workers had taken both chunks …
    redis_client.sadd(keys.job_key(job_id, "started"), "0", "1")
    redis_client.set(keys.lease_key(job_id, 1), "alive", ex=30)  # … and the one on chunk 0 died
    assert jobs.sweep() == [(job_id, 0)]
    assert jobs.sweep() == [], "a second sweeper finds nothing more to do"
    assert len(queue) == 1
    redis_client.delete(keys.lease_key(job_id, 1))
    redis_client.srem(keys.job_key(job_id, "started"), "1")
    jobs.enqueue(job_id, 1)
    drain(job_settings, redis_client)
    assert jobs.status(job_id)["status"] == "done"
    assert result_ids(jobs, job_id) == ["r0", "r1", "r2", "r3"]


def test_a_stalled_job_has_its_unfinished_chunks_enqueued_again(jobs, job_settings, redis_client) -> None:  # type: ignore[no-untyped-def]
    job_id = start(jobs, csv_of(5))
    jobs.queue().empty()  # RQ lost the tasks
    assert jobs.sweep() == [], "not stalled yet"
    assert sorted(jobs.sweep(now=time.time() + 61)) == [(job_id, 0), (job_id, 1)]
    drain(job_settings, redis_client)
    assert result_ids(jobs, job_id) == [f"r{i}" for i in range(5)]


def test_an_empty_file_is_a_finished_job(jobs) -> None:  # type: ignore[no-untyped-def]
    job_id = start(jobs, b"name,country\n")
    status = jobs.status(job_id)
    assert status["status"] == "done" and status["rows_total"] == 0 and status["summary"]["rows"] == 0


@pytest.mark.slow
def test_a_worker_killed_mid_job_loses_no_row_and_doubles_none(redis_url, redis_client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    load_fixture_lists(redis_client)
    jobs = JobStore(redis_client, chunk_rows=20, lease_seconds=1)
    total = 3000
    job_id = start(jobs, csv_of(total))
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "SCREENING_LISTS": "us_ofac_sdn,un_sc",
        "SCREENING_JOB_LEASE_SECONDS": "1",
        "SCREENING_JOB_CHUNK_ROWS": "20",
        "SCREENING_DATA_DIR": str(tmp_path / "var"),
    }
    log = (tmp_path / "worker1.log").open("wb")
    first = subprocess.Popen([str(SCREENING), "worker"], env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while jobs.status(job_id)["rows_done"] < 200:
            assert time.monotonic() < deadline, "the first worker made no progress"
            assert first.poll() is None, (tmp_path / "worker1.log").read_text()
            time.sleep(0.02)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    done_at_kill = jobs.status(job_id)["rows_done"]
    assert done_at_kill < total, "the worker was killed mid-job"
    time.sleep(1.5)  # its lease lapses, and the job has made no progress for a second: stalled
    # A chunk the killed worker held is found by its lapsed lease; one RQ had handed it but
    # it had not yet taken (a few milliseconds) is found as the job stalls.
    env["SCREENING_JOB_STALL_SECONDS"] = "1"
    second = subprocess.run(
        [str(SCREENING), "worker", "--burst"], env=env, capture_output=True, timeout=120, start_new_session=True
    )
    assert second.returncode == 0, second.stderr.decode()[-2000:]
    status = jobs.status(job_id)
    assert status["status"] == "done", status
    assert status["rows_done"] == total and status["hits"] == total // 10
    counts = Counter(result_ids(jobs, job_id))
    assert set(counts) == {f"r{i}" for i in range(total)}, "no row lost"
    assert max(counts.values()) == 1, "no row doubled"
    assert result_ids(jobs, job_id) == [f"r{i}" for i in range(total)], "in input order"


def test_the_engine_screens_a_query_once_and_forgets_the_least_recent(jobs, job_settings, redis_client) -> None:  # type: ignore[no-untyped-def]
    engine = Engine(screener(job_settings, redis_client), cache_size=2)
    data = (
        b"id,name,country\na,Nordwind Handels GmbH,DE\nb,Islamic Revolutionary Guard Corps,IR\n"
        b"c,Nordwind Handels GmbH,DE\n"
    )
    rows = list(CsvInput(io.BytesIO(data)))
    first = engine.screen(rows)
    assert engine.screened == 2
    assert first[0].result is first[2].result  # one screening for both rows
    assert first[0].result is not None and first[1].result is not None
    assert first[0].result.lists is first[1].result.lists  # the versions are held once for every result kept
    again = engine.screen(rows)
    assert engine.screened == 2  # remembered
    assert [o.result for o in again] == [o.result for o in first]
    engine.screen(list(CsvInput(io.BytesIO(b"id,name,country\nd,Sudwind Trading Ltd,GB\n"))))
    assert engine.screened == 3
    engine.screen(rows[1:2])  # still remembered: used after the other
    assert engine.screened == 3
    engine.screen(rows[:1])  # forgotten, the least recently used when the third came
    assert engine.screened == 4
