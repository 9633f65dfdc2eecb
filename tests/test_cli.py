"""The `screening` command: loading, status, and `lists update` from a folder or over HTTP."""

from __future__ import annotations

import errno
import http.server
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
import urllib3
from click.testing import CliRunner

from service import catalog, download
from service.cli import main
from service.config import from_env
from service.refresh import refresh
from service.store import ListStore
from tests.conftest import FIXTURES, OWNER_KEY

UN_SAMPLE = FIXTURES / "un" / "consolidated-sample.xml"


@pytest.fixture
def run(redis_client: redis.Redis, redis_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """``run(*args, **env)``: the CLI in-process against the test database."""

    def invoke(*args: str, **env: str):  # type: ignore[no-untyped-def]
        base = {"REDIS_URL": redis_url, "SCREENING_DATA_DIR": str(tmp_path / "var"), "SCREENING_LISTS": "un_sc"}
        return CliRunner().invoke(main, list(args), env={**base, **env}, catch_exceptions=False)

    return invoke


def test_lists_load_detects_the_format_and_says_when_nothing_changed(run) -> None:  # type: ignore[no-untyped-def]
    first = run("lists", "load", str(UN_SAMPLE))
    assert first.exit_code == 0, first.output
    assert first.output.startswith("un_sc: loaded version ")
    again = run("lists", "load", str(UN_SAMPLE))
    assert again.exit_code == 0
    assert "unchanged, still serving" in again.output


def test_lists_load_builds_the_machine_index_file_of_the_new_version(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    """Workers then open the file rather than build it (``service.index_file``)."""
    loaded = run("lists", "load", str(UN_SAMPLE))
    assert loaded.exit_code == 0, loaded.output
    assert "un_sc: index file of version " in loaded.output
    (path,) = (tmp_path / "var" / "indexes" / "un_sc").glob("*.idx")
    built = path.stat().st_mtime_ns
    again = run("lists", "load", str(UN_SAMPLE))
    assert "index file" not in again.output  # unchanged, and its file is there
    assert path.stat().st_mtime_ns == built


def test_lists_load_stands_when_the_index_file_cannot_be_built(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "indexes").write_text("not a folder")
    loaded = run("lists", "load", str(UN_SAMPLE))
    assert loaded.exit_code == 0, loaded.output
    assert loaded.output.startswith("un_sc: loaded version ")
    assert "un_sc: WARNING: index file not built (" in loaded.output


def test_lists_load_no_index_builds_no_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    loaded = run("lists", "load", "--no-index", str(UN_SAMPLE))
    assert loaded.exit_code == 0, loaded.output
    assert "index file" not in loaded.output
    assert not list((tmp_path / "var").glob("indexes/*/*.idx"))


def test_refresh_builds_the_index_file_of_each_version_it_loads(redis_client: redis.Redis, tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    shutil.copy(UN_SAMPLE, folder / UN_SAMPLE.name)
    manifests = catalog.load_manifests(from_env({}).manifests_dir)
    store = ListStore(redis_client)
    (outcome,) = refresh(
        store, [manifests["un_sc"]], lists_dir=folder, downloads_dir=tmp_path / "dl", index_dir=tmp_path / "idx"
    )
    assert outcome.status == "loaded" and outcome.index_error is None and outcome.index_seconds is not None
    assert len(list((tmp_path / "idx" / "un_sc").glob("*.idx"))) == 1


def test_lists_load_refuses_an_unknown_file_clearly(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01 not a list")
    result = run("lists", "load", str(junk))
    assert result.exit_code == 1
    assert "format not recognised" in result.output


def test_lists_load_of_a_malformed_file_names_file_and_place(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cut = tmp_path / "consolidated.xml"
    cut.write_bytes(UN_SAMPLE.read_bytes()[:3000])
    result = run("lists", "load", "--list", "un_sc", "--format", "un_xml", str(cut))
    assert result.exit_code == 1
    assert "consolidated.xml" in result.output and "line" in result.output


def test_lists_status_exits_1_until_every_list_is_loaded(run) -> None:  # type: ignore[no-untyped-def]
    missing = run("lists", "status")
    assert missing.exit_code == 1
    assert "list un_sc is not loaded" in missing.output
    run("lists", "load", str(UN_SAMPLE))
    ok = run("lists", "status", "--json")
    assert ok.exit_code == 0
    assert '"id": "un_sc"' in ok.output and '"loaded": true' in ok.output


def test_an_unreachable_redis_is_one_clear_line_not_a_traceback(run) -> None:  # type: ignore[no-untyped-def]
    result = run("lists", "status", REDIS_URL="redis://127.0.0.1:1/0")
    assert result.exit_code == 1
    assert "Redis is unreachable" in result.output
    assert "Traceback" not in result.output


def test_lists_update_from_a_folder(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "lists"
    folder.mkdir()
    shutil.copy(UN_SAMPLE, folder / "consolidated.xml")
    result = run("lists", "update", SCREENING_LISTS_DIR=str(folder))
    assert result.exit_code == 0, result.output
    assert "un_sc: loaded" in result.output


def test_lists_update_fails_with_exit_1_and_the_reason(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("lists", "update", SCREENING_LISTS_DIR=str(empty))
    assert result.exit_code == 1
    assert "un_sc: FAILED" in result.output and "no file of this list" in result.output


# --- downloads, from an HTTP server of the test's own ----------------------------------------


class Files(http.server.BaseHTTPRequestHandler):
    """Serves ``routes``: path → list of bodies (or status codes), one per request, last repeats."""

    routes: dict[str, list[bytes | int]] = {}

    def do_GET(self) -> None:  # noqa: N802
        answers = self.routes.get(self.path)
        if not answers:
            self.send_error(404)
            return
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, int):
            self.send_error(answer)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_base() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _manifest(folder: Path, url: str, min_bytes: int = 1000) -> list[catalog.Manifest]:
    folder.mkdir(exist_ok=True)
    (folder / "un_sc.toml").write_text(
        f'id = "un_sc"\ntitle = "UN"\nissuer = "UN"\nmax_age_hours = 72\n'
        f'[[sources]]\nformat = "un_xml"\nurls = ["{url}"]\nmin_bytes = {min_bytes}\n'
    )
    return list(catalog.load_manifests(folder).values())


def _update(store: ListStore, manifests: list[catalog.Manifest], tmp_path: Path):  # type: ignore[no-untyped-def]
    (outcome,) = refresh(
        store, manifests, lists_dir=None, downloads_dir=tmp_path / "dl", timeout=5, retries=3, backoff=0.01
    )
    return outcome


def test_update_downloads_checks_and_loads(redis_client: redis.Redis, http_base: str, tmp_path: Path) -> None:
    Files.routes = {"/consolidated.xml": [UN_SAMPLE.read_bytes()]}
    store = ListStore(redis_client)
    outcome = _update(store, _manifest(tmp_path / "m", f"{http_base}/consolidated.xml"), tmp_path)
    assert outcome.status == "loaded", outcome.error
    assert store.version("un_sc") is not None


def test_update_retries_a_server_error(redis_client: redis.Redis, http_base: str, tmp_path: Path) -> None:
    Files.routes = {"/consolidated.xml": [503, 500, UN_SAMPLE.read_bytes()]}
    outcome = _update(ListStore(redis_client), _manifest(tmp_path / "m", f"{http_base}/consolidated.xml"), tmp_path)
    assert outcome.status == "loaded", outcome.error


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ([404], "failed after 3 attempts"),
        ([b"<html><body>Service temporarily unavailable, try later</body></html>" * 40], "should be un_xml"),
        ([b"<CONSOLIDATED_LIST>"], "less than the 1,000 expected"),
    ],
)
def test_a_failed_or_garbage_download_keeps_the_last_good_version(  # type: ignore[no-untyped-def]
    redis_client: redis.Redis, http_base: str, tmp_path: Path, answers, problem: str
) -> None:
    store = ListStore(redis_client)
    manifests = _manifest(tmp_path / "m", f"{http_base}/consolidated.xml")
    Files.routes = {"/consolidated.xml": [UN_SAMPLE.read_bytes()]}
    good = _update(store, manifests, tmp_path).result.version

    Files.routes = {"/consolidated.xml": list(answers)}
    outcome = _update(store, manifests, tmp_path)
    assert outcome.status == "failed"
    assert problem in outcome.error
    assert store.version("un_sc").version == good.version
    assert problem in store.errors()["un_sc"]["message"]


def test_a_load_shows_progress_on_a_terminal_and_stays_quiet_in_a_pipe(
    redis_client, redis_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import os
    import pty
    import subprocess
    import sys

    env = {**os.environ, "REDIS_URL": redis_url, "SCREENING_DATA_DIR": str(tmp_path / "var")}
    command = [sys.executable, "-m", "service.cli", "lists", "load", str(UN_SAMPLE)]
    piped = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "entities read" not in piped.stderr + piped.stdout

    redis_client.flushdb()
    redis_client.set(OWNER_KEY, "1")
    primary, secondary = pty.openpty()
    process = subprocess.Popen(command, env=env, stdin=secondary, stdout=secondary, stderr=secondary)
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=30) == 0
    assert b"un_sc: " in output and b"entities read" in output


# --- a list never goes back in time (issue 11, item 2) ----------------------------------------


@pytest.mark.shared_lists
def test_a_list_never_goes_back_in_time_by_accident(run, shared_lists: Path, redis_client: redis.Redis) -> None:  # type: ignore[no-untyped-def]
    """The reproduction: after loading SDN 2024-05-03, `lists update` in folder mode reloaded
    the 2021 CSV set ("removed 6,870"), which the folder scan preferred to the newer lone files."""
    ofac = shared_lists / "ofac"
    set_2021 = [str(ofac / "sdn-2021-07-07" / name) for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]
    env = {"SCREENING_LISTS": "us_ofac_sdn"}
    loaded = run("lists", "load", str(ofac / "sdn-only-2024-05-03.csv"), **env)
    assert loaded.exit_code == 0, loaded.output
    assert "published 2024-05-03 (from the file name)" in loaded.output

    update = run("lists", "update", "--list", "us_ofac_sdn", SCREENING_LISTS_DIR=str(shared_lists), **env)
    assert update.exit_code == 0, update.output
    assert "us_ofac_sdn: chose ofac/sdn-only-2024-05-03.csv (ofac_csv, published 2024-05-03 (from its name))" in (
        update.output
    )
    assert "passed over ofac/sdn-only-2024-04-26.csv (2024-04-26), ofac/sdn-2021-07-07/sdn.csv (2021-07-07)" in (
        update.output
    )
    assert "unchanged, still serving" in update.output

    older = run("lists", "load", *set_2021, **env)
    assert older.exit_code == 1
    assert "was published 2021-07-07, before the version served" in older.output and "--allow-older" in older.output
    store = ListStore(redis_client)
    assert store.version("us_ofac_sdn").published == "2024-05-03"
    assert "2021-07-07" in store.errors()["us_ofac_sdn"]["message"]

    forced = run("lists", "load", "--allow-older", *set_2021, **env)
    assert forced.exit_code == 0, forced.output
    version = store.version("us_ofac_sdn")
    assert (version.published, version.published_from, version.allowed_older) == ("2021-07-07", "file name", True)
    assert any("loaded with --allow-older" in w for w in version.warnings)

    # A lone sdn.csv after the full set: newer, so loaded, but it lacks the aliases and addresses.
    lossy = run("lists", "load", str(ofac / "sdn-only-2024-04-26.csv"), **env)
    assert lossy.exit_code == 0, lossy.output
    version = store.version("us_ofac_sdn")
    assert not version.allowed_older
    assert [w.split(" fell")[0] for w in version.warnings] == ["aliases", "addresses"]
    assert "us_ofac_sdn: WARNING: addresses fell from 11,440 to 0 (-100%)" in lossy.output
    status = run("lists", "status", "--json", **env)
    (listed,) = json.loads(status.output)["lists"]
    outdated, *lost = listed["warnings"]
    assert outdated.startswith("list us_ofac_sdn: its publication of 2024-04-26 is ") and listed["outdated"]
    assert lost == [f"list us_ofac_sdn: {w}" for w in version.warnings]
    assert listed["published"] == "2024-04-26" and listed["allowed_older"] is False


# --- offline (issue 11, item 10) --------------------------------------------------------------


def test_offline_an_update_fails_at_once_and_says_how_to_use_a_folder(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Offline, `make run` spent ~84 s in retries, then served 503s with no hint. A host name
    that does not resolve (.invalid never does) is not retried, and no other list tries."""
    manifests = tmp_path / "m"
    manifests.mkdir()
    for list_id in ("un_sc", "gb_hmt"):
        (manifests / f"{list_id}.toml").write_text(
            f'id = "{list_id}"\ntitle = "T"\nissuer = "I"\nmax_age_hours = 72\n'
            f'[[sources]]\nformat = "un_xml"\nurls = ["https://lists.example.invalid/{list_id}.xml"]\n'
        )
    started = time.monotonic()
    result = run(
        "lists", "update", SCREENING_MANIFESTS_DIR=str(manifests), SCREENING_LISTS="un_sc,gb_hmt",
        SCREENING_DOWNLOAD_RETRIES="3",
        SCREENING_LISTS_DIR=None,  # type: ignore[arg-type]  # download mode, even where CI names a folder
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert elapsed < 4, f"{elapsed:.1f}s: retried (3 attempts with 2 s and 4 s back-off each before)"
    first, second = (line for line in result.output.splitlines() if "FAILED" in line)
    assert "the host name does not resolve" in first and "lists.example.invalid" in first
    assert "set SCREENING_LISTS_DIR to a folder of list files" in first
    assert second.startswith("gb_hmt: FAILED") and "network was found out of reach (downloading un_sc)" in second


@pytest.mark.parametrize(
    ("error", "offline"),
    [
        (OSError(errno.ENETUNREACH, "Network is unreachable"), "the network is unreachable"),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "the host name does not resolve"),
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), None),  # that server, not the network
        (TimeoutError("timed out"), None),
    ],
)
def test_which_errors_mean_the_network_is_out_of_reach(error: OSError, offline: str | None) -> None:
    wrapped = requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/x", reason=error))  # type: ignore[arg-type]
    reason = download.offline_reason(wrapped)
    if offline is None:
        assert reason is None
    else:
        assert reason is not None and reason.startswith(offline)
