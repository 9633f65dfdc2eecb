"""`screening bulk`: a file screened in this process, quiet in a pipe, a progress line on a terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from click.testing import CliRunner

from service.cli import main
from tests.bulk_helpers import BULK, IRGC, load_fixture_lists, parse

SCREENING = Path(sys.executable).parent / "screening"


@pytest.fixture
def env(redis_url: str, redis_client: redis.Redis, tmp_path: Path) -> dict[str, str]:
    load_fixture_lists(redis_client)
    return {"REDIS_URL": redis_url, "SCREENING_LISTS": "us_ofac_sdn,un_sc", "SCREENING_DATA_DIR": str(tmp_path / "v")}


def test_bulk_writes_every_row_and_prints_a_summary(env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["bulk", str(BULK / "broken.csv"), "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    rows = parse(out.read_text(encoding="utf-8"))
    assert [r["row"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert "\r" not in result.stderr, "no progress line in a pipe"
    assert (
        "7 rows: 2 hits (un_sc 1, us_ofac_sdn 1)" in result.stderr
        and "4 errors" in result.stderr
        and "rows/s" in result.stderr
    )
    # The index build is timed apart: a small file's rate was the build's ("1 rows/s").
    assert re.search(r"; indexes built in \d+\.\ds, screened in \d+\.\ds, [\d,]+ rows/s$", result.stderr.strip())
    assert not (tmp_path / "out.csv.part").exists()


def test_bulk_with_a_column_map_json_lines_and_two_processes(env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.jsonl"
    args = ["bulk", str(BULK / "mapped.tsv"), "-o", str(out), "--format", "jsonl", "--processes", "2"]
    args += ["--column", "name=Counterparty Legal Name", "--column", "country=Ctry", "--column", "row_id=Acct"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["row_id"] for r in records] == ["A1", "A2"] and records[0]["hits"][0]["entity_id"] == IRGC


def test_bulk_refuses_what_is_not_a_csv_and_fails_closed(env, tmp_path, redis_client) -> None:  # type: ignore[no-untyped-def]
    binary = tmp_path / "book.xlsx"
    binary.write_bytes(b"PK\x03\x04" + bytes(100))
    result = CliRunner().invoke(main, ["bulk", str(binary)], env=env)
    assert result.exit_code == 1 and "ZIP archive" in result.stderr
    redis_client.flushdb()
    redis_client.set("sanctions-screening:test-database", "1")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["bulk", str(BULK / "broken.csv"), "-o", str(out)], env=env)
    assert result.exit_code == 1 and "not loaded" in result.stderr
    assert not out.exists(), "no output that could be read as 'clear'"


def test_bulk_shows_progress_on_a_terminal(env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    source.write_text("name\n" + "".join(f"Company {i}\n" for i in range(3000)))
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(SCREENING), "bulk", str(source), "-o", str(tmp_path / "out.csv")],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
    assert process.wait(timeout=60) == 0, seen
    text = seen.decode()
    assert "rows/s" in text and "\r" in text and "3,000 rows:" in text


def test_a_worker_says_it_builds_its_indexes_before_taking_jobs(env) -> None:  # type: ignore[no-untyped-def]
    """On the full lists the build takes 15-20 s: a worker silent that long looks hung."""
    done = subprocess.run(
        [str(SCREENING), "worker", "--burst"], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    building = done.stderr.index("building the screening indexes of 2 lists before taking jobs")
    assert re.search(r"indexes built in \d+\.\ds; waiting for jobs", done.stderr[building:])


def test_two_processes_screen_each_distinct_query_once_and_answer_every_row(env, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Repeats across batches (500 rows each) and across processes are handed out once; every
    row is still in the output, under its own id, with its query's result."""
    from service.bulk.engine import Engine

    handed = tmp_path / "handed.txt"
    apart = Engine.screened_apart

    def counted(self, queries):  # type: ignore[no-untyped-def]
        with handed.open("a") as f:  # written in the forked processes
            f.write("".join(f"{q.name}\n" for q in queries))
        return apart(self, queries)

    monkeypatch.setattr(Engine, "screened_apart", counted)
    names = ["Islamic Revolutionary Guard Corps", "Nobody Special", "Acme Trading", "Artavil", "Mohammad Reza Naqdi"]
    source = tmp_path / "book.csv"
    source.write_text("id,name\n" + "".join(f"r{i},{names[i % 5]}\n" for i in range(1600)))
    outputs = []
    for processes in ("1", "2"):
        out = tmp_path / f"out{processes}.csv"
        result = CliRunner().invoke(main, ["bulk", str(source), "-o", str(out), "--processes", processes], env=env)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    rows = parse(outputs[1])
    assert [r["row_id"] for r in rows] == [f"r{i}" for i in range(1600)]
    assert {r["decision"] for r in rows[::5]} == {"hit"} and rows[0]["entity_id"] == IRGC
    assert sorted(handed.read_text().splitlines()) == sorted(names), "each distinct query handed out once"
