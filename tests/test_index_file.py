"""The machine's index file of a list version (service/index_file.py), on a real Redis: the
same candidates and scores as the index built in memory, built once and reused by another
process, and rebuilt when damaged or of another format."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from service import catalog, index_file
from service.catalog import Manifest
from service.config import Settings
from service.loader import load_list
from service.matching.types import AddressQuery, IdentifierQuery, Query, ScreenResult
from service.screening import Screener
from service.store import ListStore
from tests.test_network import EVASION
from tests.test_screening import ENABLED, OFAC_CSV, UN_XML

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def manifests(settings: Settings) -> dict[str, Manifest]:
    return catalog.load_manifests(settings.manifests_dir)


@pytest.fixture
def store(redis_client: redis.Redis) -> ListStore:
    return ListStore(redis_client)


@pytest.fixture
def loaded(store: ListStore) -> dict[str, str]:
    load_list(store, "us_ofac_sdn", "ofac_csv", OFAC_CSV)
    load_list(store, "un_sc", "un_xml", UN_XML)
    return store.current()


def _queries(store: ListStore, versions: dict[str, str]) -> list[Query]:
    """Every listed name as written, misspelt and re-ordered, with made-up names, addresses
    and identifiers, under both algorithms and with the network walked."""
    names: list[str] = []
    addresses: list[str] = []
    identifiers: list[str] = []
    for list_id, version in versions.items():
        for entity in store.iter_entities(list_id, version):
            for name in entity.get("names", ()):
                names.append(name["full"])
            addresses.extend(a.get("full", "") for a in entity.get("addresses", ()) if a.get("full"))
            identifiers.extend(i["value"] for i in entity.get("identifiers", ()) if i.get("value"))
    variants = []
    for n, name in enumerate(names):
        words = name.split()
        variants.append(name)
        if len(name) > 5:
            variants.append(name[:3] + name[4:])  # a letter left out
        if len(words) > 1:
            variants.append(" ".join(reversed(words)))
        if n % 7 == 0:
            variants.append(name.lower().replace("a", "e"))
    variants += ["John Smith", "Kadhafi Muammar", "Bank Melli", "Mohamed Ali", "Shipping Company Limited"]
    queries = []
    for n, name in enumerate(variants):
        algorithm = "ssm-2" if n % 2 else "ssm-1"
        queries.append(Query(name=name, algorithm=algorithm, threshold=0.7, network_depth=2 if n % 3 == 0 else 0))
    queries += [Query(address=AddressQuery(full=a)) for a in addresses[:100]]
    queries += [Query(identifiers=(IdentifierQuery(value=i),)) for i in identifiers[:100]]
    return queries


def _comparable(result: ScreenResult) -> ScreenResult:
    return dataclasses.replace(result, screening_id="")


def test_mapped_index_screens_as_the_index_built_in_memory(
    store: ListStore, manifests: dict[str, Manifest], loaded: dict[str, str], tmp_path: Path
) -> None:
    in_memory = Screener(store, manifests, ENABLED)
    mapped = Screener(store, manifests, ENABLED, index_dir=tmp_path)
    queries = _queries(store, loaded)
    assert len(queries) > 100
    hits = 0
    for query in queries:
        result = mapped.screen(query)
        assert _comparable(result) == _comparable(in_memory.screen(query)), query
        hits += len(result.hits)
    assert hits > len(queries) // 2  # the queries find things: the comparison is not of empty answers
    for list_id, index in mapped.indexes(ENABLED).items():  # every record read back as prepared
        assert list(index.entities) == list(in_memory.indexes(ENABLED)[list_id].entities)
    assert sorted(p.relative_to(tmp_path).parts[0] for p in tmp_path.glob("*/*.idx")) == sorted(ENABLED)


def _open_in_another_process(directory: Path, list_id: str, version: str, redis_url: str) -> str:
    """Open the file from a new process in which building is forbidden; what it printed."""
    code = (
        "import sys; from pathlib import Path; import redis\n"
        "from service import index_file\n"
        "from service.store import ListStore\n"
        "def forbidden(*args): raise SystemExit('built again')\n"
        "index_file.build = forbidden\n"
        f"f = index_file.open_or_build(ListStore(redis.Redis.from_url({redis_url!r})), Path({str(directory)!r}),"
        f" {list_id!r}, {version!r})\n"
        "print(f.header['entities'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_built_once_and_opened_by_another_process(
    store: ListStore, loaded: dict[str, str], tmp_path: Path, redis_url: str
) -> None:
    version = loaded["us_ofac_sdn"]
    built = index_file.open_or_build(store, tmp_path, "us_ofac_sdn", version)
    path = index_file.path_of(tmp_path, "us_ofac_sdn", version)
    before = os.stat(path)
    assert _open_in_another_process(tmp_path, "us_ofac_sdn", version, redis_url) == str(built.header["entities"])
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_damaged_file_is_rebuilt(store: ListStore, loaded: dict[str, str], tmp_path: Path) -> None:
    version = loaded["un_sc"]
    first = index_file.open_or_build(store, tmp_path, "un_sc", version)
    path = first.path
    offset, size, _ = first.header["sections"]["entities"]
    data = bytearray(path.read_bytes())
    data[offset + size // 2] ^= 0xFF
    path.write_bytes(data)
    with pytest.raises(index_file.CorruptIndex, match="section entities"):
        index_file.open_file(path, "un_sc", version)
    rebuilt = index_file.open_or_build(store, tmp_path, "un_sc", version)
    assert rebuilt.header["entities"] == first.header["entities"]
    path.write_bytes(bytes(data[: len(data) // 2]))  # cut short
    with pytest.raises(index_file.CorruptIndex):
        index_file.open_file(path, "un_sc", version)
    assert index_file.open_or_build(store, tmp_path, "un_sc", version).header["entities"] == first.header["entities"]


def test_file_of_another_format_is_rebuilt(
    store: ListStore, loaded: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = loaded["un_sc"]
    path = index_file.path_of(tmp_path, "un_sc", version)
    monkeypatch.setattr(index_file, "FORMAT", index_file.FORMAT + 1)
    index_file.build(store, "un_sc", version, path)  # a file of a newer format, at this format's path
    monkeypatch.undo()
    with pytest.raises(index_file.CorruptIndex, match="built for"):
        index_file.open_file(path, "un_sc", version)
    assert index_file.open_or_build(store, tmp_path, "un_sc", version).header["format"] == index_file.FORMAT


def test_another_version_is_not_opened(store: ListStore, loaded: dict[str, str], tmp_path: Path) -> None:
    version = loaded["un_sc"]
    built = index_file.open_or_build(store, tmp_path, "un_sc", version)
    with pytest.raises(index_file.CorruptIndex, match="built for"):
        index_file.open_file(built.path, "un_sc", "another-version")


def test_lists_index_builds_the_machine_files_once(redis_url: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from service.cli import main

    env = {"REDIS_URL": redis_url, "SCREENING_DATA_DIR": str(tmp_path / "var"), "SCREENING_LISTS": "un_sc"}
    assert CliRunner().invoke(main, ["lists", "load", str(UN_XML[0])], env=env).exit_code == 0
    first = CliRunner().invoke(main, ["lists", "index"], env=env, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert first.output.startswith("un_sc: version ")
    (path,) = (tmp_path / "var" / "indexes" / "un_sc").glob("*.idx")
    built = os.stat(path).st_mtime_ns
    assert CliRunner().invoke(main, ["lists", "index"], env=env).exit_code == 0
    assert os.stat(path).st_mtime_ns == built  # opened, not built again


def test_a_new_worker_serves_from_the_machine_file_at_once(
    store: ListStore, manifests: dict[str, Manifest], loaded: dict[str, str], tmp_path: Path
) -> None:
    """A replaced worker (background builds) opens the built files when it starts: its first
    request is answered, not a 503 while it would build."""
    first = Screener(store, manifests, ENABLED, background=True, index_dir=tmp_path)
    first.warm()  # no file yet: its builder thread builds them
    for _ in range(600):
        if first.held() == loaded:
            break
        time.sleep(0.05)
    assert first.held() == loaded
    replacement = Screener(store, manifests, ENABLED, background=True, index_dir=tmp_path)
    replacement.warm()
    assert replacement.held() == loaded and replacement.building() == {}
    assert replacement.screen(Query(name="Mohammad Reza Naqdi")).hits


def test_mapped_link_graph_answers_as_the_one_built_in_memory(
    store: ListStore, manifests: dict[str, Manifest], loaded: dict[str, str], tmp_path: Path
) -> None:
    """Every question ``Network`` asks of a list's graph, asked of every entity and key (the
    hand-made network fixture adds ownership, shares and address links)."""
    load_list(store, "opensanctions", "ftm", [EVASION])
    lists = (*ENABLED, "opensanctions")
    in_memory = Screener(store, manifests, lists).indexes(lists)
    mapped = Screener(store, manifests, lists, index_dir=tmp_path).indexes(lists)
    for list_id, index in in_memory.items():
        built, read = index.network, mapped[list_id].network
        assert built is not None and read is not None
        assert isinstance(read, index_file.MappedNetwork)
        assert len(read) == len(built)
        for number in range(len(built) + 1):
            assert read.edges.get(number, ()) == built.edges.get(number, ()), number
            assert read.keys_of.get(number, ()) == built.keys_of.get(number, ()), number
            assert read.ownership.get(number) == built.ownership.get(number), number
        if list_id == "opensanctions":
            assert built.edges and built.ownership and built.address_words
        for entity_id, number in built.numbers.items():
            assert read.numbers.get(entity_id) == number
        assert read.numbers.get(f"{list_id}:nobody") is None
        assert {k: list(v) for k, v in read.keys.items()} == {k: list(v) for k, v in built.keys.items()}
        for words in built.address_words.values():
            assert list(read.same_building(words)) == list(built.same_building(words))
