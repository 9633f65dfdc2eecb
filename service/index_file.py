"""The index of a list version, built once per machine into one read-only file that every
process (gunicorn workers, RQ workers, ``screening bulk``) memory-maps.

Why: built in each process, the index of a 1,000,000-entity list cost every worker minutes and
gigabytes, and a restarted worker answered 503 until it had rebuilt it. Mapped from a file, the
memory is paid once per machine (the kernel's page cache is shared by every process mapping
the file) and a new process opens it in well under a second.

Where: ``<SCREENING_DATA_DIR>/indexes/<list id>/<version>.<format>.idx``. The name carries the
list version and the index format (``FORMAT``, and a fingerprint of the code that decides what
is indexed: a deploy that changes how names are read rebuilds the file, it never reuses a stale
one). Each machine builds its own from Redis, the source of truth: the file is a derived cache
of about a gigabyte at a million entities, cheaper to rebuild locally (a minute) than to ship
through Redis (whose memory it would double) or to share on a network file system (where mmap
and locks are unreliable).

How it is made safe: written under a lock file (one builder per list on the machine; the
others wait, then open what it wrote), to a temporary name, flushed, then renamed, so a reader
sees a whole file or none. Before use, the header (magic, format, list id, version, entity
count) and the checksum of every section are verified; a missing, corrupt or other-format
file is rebuilt from Redis.

What is in it (sections after a JSON header):

* ``trie``: one marisa-trie (a compact, memory-mappable C++ key set) of every look-up key,
  each prefixed by its table (``TABLES``): the name index's tokens, the address words, the
  identifiers, the vocabulary's words and its near-spelling keys. A key's number in the trie
  picks its values: ``values[offsets[k]:offsets[k + 1]]`` (name numbers, entity numbers, or the
  trie numbers of vocabulary words);
* ``name_owner`` (name → entity) and each name's keys (``name_key_offsets``/``name_keys``);
* ``entity_offsets``/``entities``: each entity as the scorer needs it (``encode_entity``),
  prepared once by the builder. A candidate's record is read when it is first scored, and a
  bounded number stay read per process (``RECORD_CACHE``): holding a million prepared
  records was most of each process's memory;
* the version's link graph (``ListNetwork``) as arrays too, read by ``MappedNetwork``: its
  derived-link keys, the entity ids with links and the address words are more tables of the
  trie (``NETWORK_KEYS`` …); each entity's links are rows of parallel arrays (target,
  relation, share, label, source: ``edge_*``, strings numbered in ``strings``), found by
  ``edge_offsets`` as in a CSR matrix; each entity's keys likewise (``keys_of*``); the
  ownership the load computed is a ``marshal`` record per owned entity (``ownership*``).
  Pickled, the graph was ~0.9 GB and 2-3 s of every process's start at a million entities.

The candidate selection and scoring code is the same for a mapped index as for one built in
memory (``ListIndex.from_tables``): the tables here answer as its dicts do.
"""

from __future__ import annotations

import bisect
import dataclasses
import fcntl
import hashlib
import json
import logging
import marshal
import mmap
import os
import struct
import sys
import time
import zlib
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import marisa_trie

from service.matching import index as index_module
from service.matching.index import IndexedEntity, ListIndex, Vocabulary
from service.matching.score import BirthSpan, PreparedAddress, PreparedName, PreparedRecord
from service.network.graph import Edge, ListNetwork
from service.network.ownership import Ownership, Step
from service.store import ListStore

log = logging.getLogger(__name__)

MAGIC = b"SSMINDEX"
FORMAT = 2  # bump when the layout of the file changes
RECORD_CACHE = 50_000  # prepared entity records a process keeps (each ~2 KB)
ALIGN = 8

# One letter per table, prefixed to its keys in the one trie.
POSTINGS, ADDRESSES, IDENTIFIERS, WORDS = "p", "a", "i", "w"
VOCABULARY_TABLES = {  # Vocabulary attribute → its letter; values are words
    "deletion_keys": "d",
    "sound_keys": "s",
    "consonant_keys": "c",
    "sound_deletion_keys": "x",
    "broad_keys": "b",
}

# The link graph's look-up tables, in the same trie (letters unused above).
NETWORK_KEYS, LINKED_IDS, ADDRESS_BY_WORD, ADDRESS_BY_RAREST = "k", "e", "o", "r"
NONE = 0xFFFFFFFF  # "no string" in the edge_labels array
# A link's relation, by its number in edge_relations (the list is written in the header).
RELATIONS = ("owned_by", "owns", "director_of", "directed_by", "family_of", "associate_of", "linked_to")

_PREAMBLE = struct.Struct("<8sII")  # magic, header length, CRC-32 of the header


def _code_fingerprint() -> str:
    """What decides the keys and records in the file: a change to any of these modules
    makes older files of another format."""
    from service.matching import normalize, score, ssm2, tables
    from service.network import graph, keys, ownership

    digest = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    for module in (index_module, normalize, score, ssm2, tables, graph, keys, ownership):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


CODE = _code_fingerprint()


class CorruptIndex(Exception):
    """The file is not a whole, verified index of the version asked for."""


def path_of(directory: Path, list_id: str, version: str) -> Path:
    return directory / list_id / f"{version}.{FORMAT}-{CODE}.idx"


# --- building -------------------------------------------------------------------------------


def source_of(store: ListStore, list_id: str, version: str) -> dict[str, Any]:
    """What identifies the version's content in Redis, recorded in the file and checked on
    opening: another Redis (or a database emptied and loaded again) with a version of the same
    name does not open this machine's file of it."""
    meta = store.version(list_id, version)
    if meta is None:
        raise LookupError(f"list {list_id} version {version} is missing from Redis")
    return {"checksum": meta.checksum, "loaded_at": meta.loaded_at}


def build(store: ListStore, list_id: str, version: str, path: Path) -> None:
    """Build the file of one list version from Redis (written aside, then renamed into place)."""
    started = time.perf_counter()
    source = source_of(store, list_id, version)
    network = ListNetwork(list_id)
    offsets = array("Q", [0])
    blob = bytearray()

    def write_record(entity: IndexedEntity) -> None:
        blob.extend(encode_entity(entity))
        offsets.append(len(blob))

    vocabulary = Vocabulary()
    entities = network.collect(store.iter_entities(list_id, version))
    index = ListIndex(list_id, version, entities, vocabulary, records=write_record)
    network.finish(store.network(list_id, version))
    tables: dict[str, Any] = {
        POSTINGS: index.postings,
        ADDRESSES: index.address_postings,
        IDENTIFIERS: index.identifiers,
        NETWORK_KEYS: network.keys,
        LINKED_IDS: network.numbers,
        ADDRESS_BY_WORD: network.by_word,
        ADDRESS_BY_RAREST: network.by_rarest_word,
    }
    tables.update({letter: getattr(vocabulary, attribute) for attribute, letter in VOCABULARY_TABLES.items()})
    keys = [letter + key for letter, table in tables.items() for key in table]
    keys.extend(WORDS + word for word in vocabulary.words)
    trie = marisa_trie.Trie(keys)
    del keys
    key_offsets = array("I", [0])
    values = array("I")
    for number in range(len(trie)):
        key = trie.restore_key(number)
        letter, key = key[0], key[1:]
        if letter == WORDS:
            pass
        elif letter in (POSTINGS, ADDRESSES, IDENTIFIERS, NETWORK_KEYS):
            values.extend(tables[letter][key])
        elif letter == LINKED_IDS:
            values.append(tables[letter][key])
        elif letter in (ADDRESS_BY_WORD, ADDRESS_BY_RAREST):
            values.extend(trie[NETWORK_KEYS + address] for address in tables[letter][key])
        else:
            values.extend(trie[WORDS + word] for word in tables[letter][key])
        key_offsets.append(len(values))
    name_key_offsets = array("Q", [0])
    name_keys = array("I")
    for keys_of_name in index.name_keys:
        name_keys.extend(trie[POSTINGS + key] for key in keys_of_name)
        name_key_offsets.append(len(name_keys))
    sections: dict[str, bytes | bytearray | memoryview] = {
        "trie": trie.tobytes(),
        "key_offsets": memoryview(key_offsets).cast("B"),
        "values": memoryview(values).cast("B"),
        "name_owner": memoryview(index.name_owner).cast("B"),
        "name_key_offsets": memoryview(name_key_offsets).cast("B"),
        "name_keys": memoryview(name_keys).cast("B"),
        "entity_offsets": memoryview(offsets).cast("B"),
        "entities": blob,  # encode_entity of each
        **network_sections(network, trie),
    }
    header = {
        "format": FORMAT,
        "code": CODE,
        "list_id": list_id,
        "version": version,
        "source": source,
        "entities": len(index),
        "names": len(index.name_owner),
        "keys": len(trie),
        "relations": RELATIONS,
        "built_seconds": round(time.perf_counter() - started, 1),
    }
    _write(path, header, sections)
    log.info(
        "index file of %s version %s: %d entities, %d keys, %.0f MB in %.1fs",
        list_id,
        version,
        len(index),
        len(trie),
        path.stat().st_size / 1e6,
        time.perf_counter() - started,
    )


def network_sections(network: ListNetwork, trie: marisa_trie.Trie) -> dict[str, memoryview | bytearray]:
    """The link graph's per-entity arrays (its look-up tables went into the trie)."""
    strings: dict[str, int] = {}
    string_offsets = array("Q", [0])
    string_blob = bytearray()

    def string(text: str | None) -> int:
        if text is None:
            return NONE
        number = strings.get(text)
        if number is None:
            number = strings[text] = len(strings)
            string_blob.extend(text.encode())
            string_offsets.append(len(string_blob))
        return number

    relation_of = {relation: code for code, relation in enumerate(RELATIONS)}
    edge_offsets, targets, relations = array("Q", [0]), array("I"), array("B")
    share_kinds, shares, labels, sources = array("B"), array("d"), array("I"), array("I")
    keys_of_offsets, keys_of = array("Q", [0]), array("I")
    owned, ownership_offsets, ownership_blob = array("I"), array("Q", [0]), bytearray()
    for number in range(len(network)):
        for edge in network.edges.get(number, ()):
            targets.append(edge.target)
            relations.append(relation_of[edge.relation])
            # 0: no share, 1: a float, 2: an int (given back as it was read)
            share_kinds.append(0 if edge.share is None else 2 if isinstance(edge.share, int) else 1)
            shares.append(0.0 if edge.share is None else edge.share)
            labels.append(string(edge.label))
            sources.append(string(edge.source))
        edge_offsets.append(len(targets))
        keys_of.extend(trie[NETWORK_KEYS + key] for key in network.keys_of.get(number, ()))
        keys_of_offsets.append(len(keys_of))
        held = network.ownership.get(number)
        if held is not None:
            owned.append(number)
            ownership_blob.extend(
                marshal.dumps(
                    (
                        held.entity,
                        held.share,
                        held.blocked,
                        held.controlled,
                        tuple(tuple(_fields(step) for step in chain) for chain in held.chains),
                    )
                )
            )
            ownership_offsets.append(len(ownership_blob))
    return {
        "edge_offsets": memoryview(edge_offsets).cast("B"),
        "edge_targets": memoryview(targets).cast("B"),
        "edge_relations": memoryview(relations).cast("B"),
        "edge_share_kinds": memoryview(share_kinds).cast("B"),
        "edge_shares": memoryview(shares).cast("B"),
        "edge_labels": memoryview(labels).cast("B"),
        "edge_sources": memoryview(sources).cast("B"),
        "string_offsets": memoryview(string_offsets).cast("B"),
        "strings": string_blob,
        "keys_of_offsets": memoryview(keys_of_offsets).cast("B"),
        "keys_of": memoryview(keys_of).cast("B"),
        "owned": memoryview(owned).cast("B"),
        "ownership_offsets": memoryview(ownership_offsets).cast("B"),
        "ownership": ownership_blob,
    }


def _write(path: Path, header: dict[str, Any], sections: dict[str, bytes | bytearray | memoryview]) -> None:
    """Header, then the sections, each at an 8-byte boundary; the header says where each one
    is and its CRC-32. Written to a temporary name and renamed: readers see all or nothing."""
    layout: dict[str, list[int]] = {}
    # The header's length depends on the offsets it holds: lay out after a generous estimate.
    start = _aligned(_PREAMBLE.size + 64 * len(sections) + 1024)
    position = start
    for name, data in sections.items():
        size = memoryview(data).nbytes
        layout[name] = [position, size, zlib.crc32(data)]
        position = _aligned(position + size)
    text = json.dumps({**header, "sections": layout}, sort_keys=True).encode()
    if _PREAMBLE.size + len(text) > start:
        raise ValueError("index file header longer than its room")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as f:
            f.write(_PREAMBLE.pack(MAGIC, len(text), zlib.crc32(text)) + text)
            for name, data in sections.items():
                f.seek(layout[name][0])
                f.write(data)
            f.truncate(position)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _aligned(position: int) -> int:
    return (position + ALIGN - 1) // ALIGN * ALIGN


# --- opening --------------------------------------------------------------------------------


@dataclass
class IndexFile:
    """One verified, memory-mapped index file: its tables, as ``ListIndex.from_tables`` reads them."""

    header: dict[str, Any]
    trie: marisa_trie.Trie
    key_offsets: memoryview
    values: memoryview
    sections: dict[str, memoryview]
    path: Path

    def table(self, letter: str) -> KeyTable:
        return KeyTable(self, letter)

    def words_of(self, letter: str) -> WordTable:
        return WordTable(self, letter)


def open_file(path: Path, list_id: str, version: str, source: dict[str, Any] | None = None) -> IndexFile:
    """Map and verify the file; CorruptIndex when it is not a whole index of this version
    (of this content: ``source_of``, when given), FileNotFoundError when there is none."""
    with open(path, "rb") as f:
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    try:
        magic, length, crc = _PREAMBLE.unpack_from(view, 0)
        text = bytes(view[_PREAMBLE.size : _PREAMBLE.size + length])
        if magic != MAGIC or zlib.crc32(text) != crc:
            raise CorruptIndex(f"{path}: not an index file, or its header is damaged")
        header = json.loads(text)
    except (struct.error, ValueError) as exc:
        raise CorruptIndex(f"{path}: unreadable header ({exc})") from None
    expected = {"format": FORMAT, "code": CODE, "list_id": list_id, "version": version}
    if source is not None:
        expected["source"] = source
    found = {key: header.get(key) for key in expected}
    if found != expected:
        raise CorruptIndex(f"{path}: built for {found}, not {expected}")
    sections = {}
    for name, (offset, size, checksum) in header["sections"].items():
        section = view[offset : offset + size]
        if len(section) != size or zlib.crc32(section) != checksum:
            raise CorruptIndex(f"{path}: section {name} is damaged or cut short")
        sections[name] = section
    trie = marisa_trie.Trie()
    trie.map(sections["trie"])
    return IndexFile(
        header=header,
        trie=trie,
        key_offsets=sections["key_offsets"].cast("I"),
        values=sections["values"].cast("I"),
        sections=sections,
        path=path,
    )


class KeyTable:
    """One table of the file (``POSTINGS``, ``ADDRESSES``, ``IDENTIFIERS``): key → numbers,
    answering as a dict of arrays does."""

    def __init__(self, file: IndexFile, letter: str) -> None:
        self._trie = file.trie
        self._get = file.trie.get
        self._contains = file.trie.__contains__
        self._offsets = file.key_offsets
        self._values = file.values
        self._letter = letter

    def get(self, key: str, default: Any = None) -> Any:
        number = self._get(self._letter + key)
        if number is None:
            return default
        return self._values[self._offsets[number] : self._offsets[number + 1]]

    def __getitem__(self, key: str) -> memoryview:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._contains(self._letter + key)

    def items(self) -> Iterator[tuple[str, memoryview]]:
        values, offsets = self._values, self._offsets
        for key, number in self._trie.iteritems(self._letter):
            yield key[1:], values[offsets[number] : offsets[number + 1]]


class WordTable:
    """A vocabulary table of the file: key → the words it finds."""

    def __init__(self, file: IndexFile, letter: str) -> None:
        self._table = KeyTable(file, letter)
        self._restore = file.trie.restore_key

    def get(self, key: str, default: Any = ()) -> Any:
        numbers = self._table.get(key)
        if numbers is None:
            return default
        return [self._restore(number)[1:] for number in numbers]


class WordSet:
    def __init__(self, file: IndexFile) -> None:
        self._contains = file.trie.__contains__

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._contains(WORDS + word)


class NameKeys(Sequence[tuple[str, ...]]):
    """Name number → its keys (tokens and adjacent pairs), as words."""

    def __init__(self, file: IndexFile) -> None:
        self._offsets = file.sections["name_key_offsets"].cast("Q")
        self._keys = file.sections["name_keys"].cast("I")
        self._restore = file.trie.restore_key

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, number: int) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(self._restore(key)[1:] for key in self.numbers(number))

    def numbers(self, number: int) -> memoryview:
        """The name's keys as their numbers in the trie (no strings made)."""
        return self._keys[self._offsets[number] : self._offsets[number + 1]]


class EntityTable(Sequence[IndexedEntity]):
    """Entity number → its record as the scorer needs it, read from the file on first use;
    at most ``RECORD_CACHE`` stay read in a process (a dict emptied when full: simple, and a
    record is read again in some 30 µs)."""

    def __init__(self, file: IndexFile) -> None:
        self._offsets = file.sections["entity_offsets"].cast("Q")
        self._blob = file.sections["entities"]
        self._prepared: dict[int, IndexedEntity] = {}

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, number: int) -> IndexedEntity:  # type: ignore[override]
        entity = self._prepared.get(number)
        if entity is None:
            if not 0 <= number < len(self):
                raise IndexError(number)
            entity = decode_entity(self._blob[self._offsets[number] : self._offsets[number + 1]])
            if len(self._prepared) >= RECORD_CACHE:
                self._prepared.clear()
            self._prepared[number] = entity
        return entity

    def __iter__(self) -> Iterator[IndexedEntity]:
        for number in range(len(self)):
            yield self[number]


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # dataclass → its field names (dataclasses.fields is slow)


def _fields(item: Any) -> tuple[Any, ...]:
    kind = type(item)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(item))
    return tuple(getattr(item, name) for name in names)


def encode_entity(entity: IndexedEntity) -> bytes:
    """An entity prepared for the scorer, as ``marshal`` bytes of its fields (read back in
    half the time preparing it again takes; marshal's format is Python's own, so the Python
    version is part of ``CODE``)."""
    record = entity.record
    prepared = (
        record.kind,
        tuple(_fields(name) for name in record.names),
        record.countries,
        tuple(_fields(birth) for birth in record.births),
        record.identifiers,
        tuple(_fields(address) for address in record.addresses),
    )
    return marshal.dumps(
        (entity.id, entity.reference, entity.kind, entity.name, entity.programs, entity.listed, prepared)
    )


def decode_entity(data: bytes | memoryview) -> IndexedEntity:
    entity_id, reference, kind, name, programs, listed, prepared = marshal.loads(data)
    record_kind, names, countries, births, identifiers, addresses = prepared
    record = PreparedRecord(
        record_kind,
        tuple(PreparedName(*fields) for fields in names),
        countries,
        tuple(BirthSpan(*fields) for fields in births),
        identifiers,
        tuple(PreparedAddress(*fields) for fields in addresses),
    )
    return IndexedEntity(entity_id, reference, kind, name, programs, record, listed)


class SharedVocabulary(Vocabulary):
    """The vocabulary of every list a process holds, read from their files: each look-up
    asks each list's file (so a query word finds near spellings in any of them, as the
    in-memory ``Vocabulary`` shared by the lists does)."""

    def __init__(self) -> None:
        super().__init__()
        self._files: dict[str, IndexFile] = {}
        self._attach()

    def attach(self, list_id: str, file: IndexFile) -> None:
        """Use this file's words for ``list_id`` (in place of an older version's)."""
        with self._lock:
            self._files = {**self._files, list_id: file}
            self._attach()

    def _attach(self) -> None:
        files = list(self._files.values())
        self.words = _AnyOf([WordSet(f) for f in files])  # type: ignore[assignment]
        for attribute, letter in VOCABULARY_TABLES.items():
            setattr(self, attribute, _Joined([f.words_of(letter) for f in files]))
        self._expansions = {}

    def add(self, words: Any) -> None:
        raise TypeError("a shared vocabulary is read from the index files, not added to")


class _AnyOf:
    def __init__(self, sets: list[WordSet]) -> None:
        self._sets = sets

    def __contains__(self, word: object) -> bool:
        return any(word in s for s in self._sets)


class _Joined:
    def __init__(self, tables: list[WordTable]) -> None:
        self._tables = tables

    def get(self, key: str, default: Any = ()) -> Any:
        if len(self._tables) == 1:
            return self._tables[0].get(key, default)
        found = [word for table in self._tables for word in table.get(key, ())]
        return found or default


class MappedListIndex(ListIndex):
    """A ``ListIndex`` over a file (its link graph a ``MappedNetwork`` of the same file)."""

    _key_number: Any = None  # the trie's get: a key → its number

    def _check(self, names: list[int], gains: list[tuple[float, str]], size: int) -> dict[int, float]:
        """``ListIndex._check``, comparing each name's keys by their numbers in the trie
        rather than as words (making a million words of a walk cost more than the walk)."""
        if size <= 20 * len(names):
            return super()._check(names, gains, size)
        gain_of = {self._key_number(POSTINGS + t): g for g, t in gains}
        keys_of = self.name_keys.numbers  # type: ignore[attr-defined]
        out: dict[int, float] = {}
        for name_no in names:
            found = [gain_of[k] for k in keys_of(name_no) if k in gain_of]
            if found:
                out[name_no] = max(found)
        return out


def mapped_index(file: IndexFile, list_id: str, version: str, vocabulary: Vocabulary) -> ListIndex:
    """The ``ListIndex`` of an opened file, with its link graph."""
    index = MappedListIndex.from_tables(
        list_id,
        version,
        entities=EntityTable(file),
        name_owner=file.sections["name_owner"].cast("I"),
        name_keys=NameKeys(file),
        postings=file.table(POSTINGS),
        address_postings=file.table(ADDRESSES),
        identifiers=file.table(IDENTIFIERS),
        vocabulary=vocabulary,
    )
    assert isinstance(index, MappedListIndex)
    index._key_number = file.trie.get
    index.network = MappedNetwork(file, list_id)  # type: ignore[assignment]
    return index


class MappedNetwork:
    """A ``ListNetwork`` read from the file: what ``service.network.graph.Network`` asks of
    one (``edges``, ``keys``, ``keys_of``, ``ownership``, ``numbers``, ``same_building``)
    answered from the mapped arrays, each link or record made when it is asked for."""

    def __init__(self, file: IndexFile, list_id: str) -> None:
        self.list_id = list_id
        self._count = int(file.header["entities"])
        self.edges = _Edges(file, list_id)
        self.keys = KeyTable(file, NETWORK_KEYS)
        self.keys_of = _KeysOf(file)
        self.ownership = _Ownerships(file)
        self.numbers = _LinkedIds(file)
        self._by_word = _AddressKeys(file, ADDRESS_BY_WORD)
        self._by_rarest_word = _AddressKeys(file, ADDRESS_BY_RAREST)

    def __len__(self) -> int:
        return self._count

    def same_building(self, words: frozenset[str]) -> Iterator[str]:
        """``ListNetwork.same_building`` over the file's tables (same keys, same order)."""
        # Only the shortest posting is read as strings: a common word's holds thousands of keys.
        postings = [self._by_word.numbers(word) for word in words]
        found: set[str] = set()
        if postings:
            found.update(self._by_word.keys(min(postings, key=len)))
        for word in words:
            found.update(self._by_rarest_word.get(word, ()))
        for key in found:
            listed = frozenset(key[2:].split())
            if words <= listed or listed <= words:
                yield key


class _Strings:
    def __init__(self, file: IndexFile) -> None:
        self._offsets = file.sections["string_offsets"].cast("Q")
        self._blob = file.sections["strings"]

    def __getitem__(self, number: int) -> str | None:
        if number == NONE:
            return None
        return str(self._blob[self._offsets[number] : self._offsets[number + 1]], "utf-8")


class _Edges:
    """Entity number → its links (``Edge``), from the ``edge_*`` arrays."""

    def __init__(self, file: IndexFile, list_id: str) -> None:
        sections = file.sections
        self._list_id = list_id
        self._offsets = sections["edge_offsets"].cast("Q")
        self._targets = sections["edge_targets"].cast("I")
        self._relations = sections["edge_relations"]
        self._share_kinds = sections["edge_share_kinds"]
        self._shares = sections["edge_shares"].cast("d")
        self._labels = sections["edge_labels"].cast("I")
        self._sources = sections["edge_sources"].cast("I")
        self._strings = _Strings(file)
        self._relation_names = tuple(file.header["relations"])

    def get(self, number: int, default: Any = ()) -> Any:
        if not 0 <= number < len(self._offsets) - 1:
            return default
        start, end = self._offsets[number], self._offsets[number + 1]
        if start == end:
            return default
        strings = self._strings
        out = []
        for row in range(start, end):
            kind = self._share_kinds[row]
            share = None if kind == 0 else self._shares[row] if kind == 1 else int(self._shares[row])
            out.append(
                Edge(
                    self._list_id,
                    self._targets[row],
                    self._relation_names[self._relations[row]],
                    share,
                    strings[self._labels[row]],
                    strings[self._sources[row]] or "",
                )
            )
        return out


class _KeysOf:
    """Entity number → its derived-link keys."""

    def __init__(self, file: IndexFile) -> None:
        self._offsets = file.sections["keys_of_offsets"].cast("Q")
        self._keys = file.sections["keys_of"].cast("I")
        self._restore = file.trie.restore_key

    def get(self, number: int, default: Any = ()) -> Any:
        if not 0 <= number < len(self._offsets) - 1:
            return default
        numbers = self._keys[self._offsets[number] : self._offsets[number + 1]]
        if not numbers:
            return default
        return tuple(self._restore(key)[1:] for key in numbers)


class _Ownerships:
    """Entity number → the ``Ownership`` the load computed for it, if any."""

    def __init__(self, file: IndexFile) -> None:
        self._owned = file.sections["owned"].cast("I")
        self._offsets = file.sections["ownership_offsets"].cast("Q")
        self._blob = file.sections["ownership"]

    def get(self, number: int, default: Any = None) -> Any:
        at = bisect.bisect_left(self._owned, number)
        if at == len(self._owned) or self._owned[at] != number:
            return default
        entity, share, blocked, controlled, chains = marshal.loads(
            self._blob[self._offsets[at] : self._offsets[at + 1]]
        )
        steps = tuple(tuple(Step(*fields) for fields in chain) for chain in chains)
        return Ownership(entity, share, blocked, controlled, steps)

    def __len__(self) -> int:
        return len(self._owned)


class _LinkedIds:
    """Entity id → its number, for the entities with any link."""

    def __init__(self, file: IndexFile) -> None:
        self._table = KeyTable(file, LINKED_IDS)

    def get(self, entity_id: str, default: Any = None) -> Any:
        found = self._table.get(entity_id)
        return default if found is None else found[0]


class _AddressKeys:
    """An address word → the address keys found under it."""

    def __init__(self, file: IndexFile, letter: str) -> None:
        self._table = KeyTable(file, letter)
        self._restore = file.trie.restore_key

    def get(self, word: str, default: Any = ()) -> Any:
        numbers = self._table.get(word)
        if numbers is None:
            return default
        return self.keys(numbers)

    def numbers(self, word: str) -> Sequence[int]:
        """The keys under ``word`` as their numbers in the trie (no strings made)."""
        return self._table.get(word, ())  # type: ignore[no-any-return]

    def keys(self, numbers: Sequence[int]) -> list[str]:
        return [self._restore(number)[1:] for number in numbers]


# --- the machine's files --------------------------------------------------------------------


def open_or_build(store: ListStore, directory: Path, list_id: str, version: str) -> IndexFile:
    """The verified file of this list version, built from Redis first when it is missing,
    damaged or of another format. One process builds it at a time (a lock file per list);
    the others wait and then open what it wrote."""
    path = path_of(directory, list_id, version)
    source = source_of(store, list_id, version)
    try:
        return open_file(path, list_id, version, source)
    except FileNotFoundError:
        pass
    except CorruptIndex as exc:
        log.warning("rebuilding the index file: %s", exc)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / ".lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            try:
                return open_file(path, list_id, version, source)  # another process built it meanwhile
            except (FileNotFoundError, CorruptIndex):
                pass
            build(store, list_id, version, path)
            _prune(path)
            return open_file(path, list_id, version, source)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


PRUNE_AFTER = 86_400  # other files of a list are removed once a day old (a process may still map one)


def _prune(keep: Path) -> None:
    """Remove this list's older files: other versions and formats not touched for a day. A
    process still mapping one keeps reading it (the kernel frees it when it is unmapped)."""
    now = time.time()
    for other in keep.parent.glob("*.idx"):
        if other != keep and now - other.stat().st_mtime > PRUNE_AFTER:
            other.unlink(missing_ok=True)
