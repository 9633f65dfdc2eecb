"""Loading real-format files into a real Redis: no-ops, failures, and a load killed half-way."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from service import sources
from service.errors import LoadError, ParseError
from service.loader import load_list, publication
from service.store import CURRENT, ListStore, version_key, version_keys
from tests.conftest import FIXTURES

OFAC_SET = ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]


def ofac_set(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in OFAC_SET:
        shutil.copy(FIXTURES / "ofac_csv" / name, folder / name)
    return [folder / name for name in OFAC_SET]


def test_load_then_reload_unchanged_is_a_no_op(redis_client: redis.Redis, tmp_path: Path) -> None:
    store = ListStore(redis_client)
    paths = ofac_set(tmp_path)
    first = load_list(store, "us_ofac_sdn", "ofac_csv", paths)
    assert not first.unchanged
    assert first.version.counts["entities"] == 9
    assert {f["name"] for f in first.version.files} == set(OFAC_SET)
    keys_before = sorted(redis_client.keys("*"))

    again = load_list(store, "us_ofac_sdn", "ofac_csv", paths)
    assert again.unchanged
    assert again.version.version == first.version.version
    assert sorted(redis_client.keys("*")) == keys_before


def test_a_malformed_file_fails_and_leaves_the_previous_version_serving(
    redis_client: redis.Redis, tmp_path: Path
) -> None:
    store = ListStore(redis_client)
    good = load_list(store, "us_ofac_sdn", "ofac_csv", ofac_set(tmp_path / "good"))
    bad = ofac_set(tmp_path / "bad")
    lines = bad[0].read_bytes().split(b"\r\n")
    lines[4] = b'NOT-A-NUMBER,"SOMEONE","individual"'  # a garbled row in the middle
    bad[0].write_bytes(b"\r\n".join(lines))

    with pytest.raises(ParseError) as caught:
        load_list(store, "us_ofac_sdn", "ofac_csv", bad)
    assert "sdn.csv" in str(caught.value) and "line 5" in str(caught.value)
    assert store.current() == {"us_ofac_sdn": good.version.version}
    assert store.errors()["us_ofac_sdn"]["message"] == str(caught.value)
    # Nothing of the failed load is left behind.
    leftovers = [k for k in redis_client.keys("scr:{us_ofac_sdn/*") if good.version.version.encode() not in k]
    assert leftovers == []


def test_a_truncated_file_fails_the_same_way(redis_client: redis.Redis, tmp_path: Path) -> None:
    store = ListStore(redis_client)
    good = load_list(store, "us_ofac_sdn", "ofac_csv", ofac_set(tmp_path / "good"))
    cut = ofac_set(tmp_path / "cut")
    data = cut[0].read_bytes()
    cut[0].write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError, match="sdn.csv"):
        load_list(store, "us_ofac_sdn", "ofac_csv", cut)
    assert store.current() == {"us_ofac_sdn": good.version.version}


def write_big_ofac_set(folder: Path, rows: int) -> list[Path]:
    """A valid SDN CSV set of ``rows`` made-up entries: big enough to take seconds to load."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "sdn.csv", "w", encoding="cp1252", newline="") as f:
        for n in range(1, rows + 1):
            f.write(f'{n},"PERSON {n}, Name","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1970."\r\n')
    (folder / "add.csv").write_bytes(b"")
    (folder / "alt.csv").write_bytes(b"")
    return [folder / "sdn.csv", folder / "add.csv", folder / "alt.csv"]


def test_a_load_killed_half_way_leaves_the_previous_version_serving(
    redis_client: redis.Redis, redis_url: str, tmp_path: Path
) -> None:
    lease = 2  # seconds; the default is 30
    store = ListStore(redis_client, lock_lease=lease)
    served = load_list(store, "us_ofac_sdn", "ofac_csv", ofac_set(tmp_path / "small"))
    big = write_big_ofac_set(tmp_path / "big", 300_000)
    env = {**os.environ, "REDIS_URL": redis_url, "SCREENING_LOCK_LEASE_SECONDS": str(lease)}
    loader = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "lists", "load", "--list", "us_ofac_sdn", *map(str, big)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # Wait until the new version has entities in Redis, then kill the loader outright.
    deadline = time.monotonic() + 60
    partial = None
    while time.monotonic() < deadline and partial is None:
        for key in redis_client.scan_iter("scr:{us_ofac_sdn/*}:entities"):
            if served.version.version.encode() not in key and redis_client.hlen(key) > 0:
                partial = key
        time.sleep(0.02)
    assert partial is not None, loader.stderr.read() if loader.poll() is not None else "no partial version seen"
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait()

    assert store.current() == {"us_ofac_sdn": served.version.version}
    assert store.version("us_ofac_sdn").counts["entities"] == 9
    assert 0 < redis_client.ttl(partial) <= 3600, "a dead load's keys expire by themselves"
    # The dead load's lock lapses within one short lease (it held it for 300 s once); a new
    # load that does not wait says why it cannot start, one that waits a lease proceeds.
    assert 0 < redis_client.pttl("scr:lock:us_ofac_sdn") <= lease * 1000
    with pytest.raises(LoadError, match="another load of this list is running; its lease ends in"):
        load_list(store, "us_ofac_sdn", "ofac_csv", write_big_ofac_set(tmp_path / "next", 2000))
    # Waiting one lease (and a second) is enough: it would raise "another load" otherwise. (Not
    # timed here: the load itself takes seconds on a busy box.)
    waited = write_big_ofac_set(tmp_path / "next", 2000)
    fresh = load_list(store, "us_ofac_sdn", "ofac_csv", waited, lock_wait=lease + 1)
    assert fresh.version.version != served.version.version
    assert store.current() == {"us_ofac_sdn": fresh.version.version}
    for key in version_keys("us_ofac_sdn", served.version.version):
        if redis_client.exists(key):  # a version with no links has no links_in or network hash
            assert 0 < redis_client.ttl(key) <= store.grace_seconds
    assert redis_client.hget(CURRENT, "us_ofac_sdn").decode() == fresh.version.version
    assert redis_client.exists(version_key("us_ofac_sdn", fresh.version.version, "meta"))


@pytest.mark.shared_lists
@pytest.mark.parametrize(
    ("files", "published", "known_from"),
    [
        # OFAC's CSV prints no date: the archive's name tells it (published was null here).
        (["ofac/sdn-only-2024-05-03.csv"], "2024-05-03", "file name"),
        (["ofac/sdn-2021-07-07/sdn.csv", "ofac/sdn-2021-07-07/add.csv", "ofac/sdn-2021-07-07/alt.csv"], "2021-07-07",
         "file name"),
        # Neither does the trade CSL, nor its name in full: its latest start_date is a lower bound.
        (["us_trade/csl-sample-2025.csv"], "2023-07-19", "latest entry"),
        (["un/consolidated-2024-05-15.xml"], "2024-05-15", "file"),
    ],
)
def test_every_format_tells_its_publication(
    shared_lists: Path, files: list[str], published: str, known_from: str
) -> None:
    paths = [shared_lists / f for f in files]
    sniffed = sources.sniff(paths[0])
    assert sniffed is not None
    parsed = sources.read(sniffed.format, paths, sniffed.list_id)
    for _ in parsed.entities:
        pass
    day, source = publication(parsed, paths)
    assert (str(day), source) == (published, known_from)


def test_a_date_in_a_name_is_the_files_or_its_folders_only(tmp_path: Path) -> None:
    assert sources.date_in_name(Path("/backup/2020-01-01/lists/sdn-only-2024-05-03.csv")) == dt.date(2024, 5, 3)
    assert sources.date_in_name(Path("/backup/2020-01-01/sdn-2021-07-07/sdn.csv")) == dt.date(2021, 7, 7)
    assert sources.date_in_name(Path("/backup/2020-01-01/lists/sdn.csv")) is None
    assert sources.date_in_name(Path("/x/sdn-2021-13-45.csv")) is None  # not a date
