"""The list catalogue: one manifest per list source in ``lists/``, and finding list files.

A manifest names a list (its stable id), where its issuer publishes it (one or more sources
in order of preference, each with its format and official URLs), and how old its data may
grow before the service stops trusting it.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from service import sources
from service.config import ConfigError

_DATE_IN_PATH = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SKIPPED_NAMES = {"manifest.md", "sha256sums", "readme.md", "license"}


@dataclass(frozen=True)
class Source:
    format: str
    urls: tuple[str, ...]
    min_bytes: int = 0  # a download smaller than this is refused as truncated or an error page


@dataclass(frozen=True)
class Manifest:
    id: str
    title: str
    issuer: str
    homepage: str
    max_age: dt.timedelta
    sources: tuple[Source, ...]
    license: str | None = None


def load_manifests(folder: Path) -> dict[str, Manifest]:
    manifests: dict[str, Manifest] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
            manifest = Manifest(
                id=raw["id"],
                title=raw["title"],
                issuer=raw["issuer"],
                homepage=raw.get("homepage", ""),
                max_age=dt.timedelta(hours=raw["max_age_hours"]),
                license=raw.get("license"),
                sources=tuple(
                    Source(s["format"], tuple(s["urls"]), int(s.get("min_bytes", 0))) for s in raw["sources"]
                ),
            )
        except KeyError as exc:
            raise ConfigError(f"list manifest {path}: missing field {exc.args[0]!r}") from exc
        except (tomllib.TOMLDecodeError, TypeError, ValueError) as exc:
            raise ConfigError(f"list manifest {path}: {exc}") from exc
        if manifest.id != path.stem:
            raise ConfigError(f"list manifest {path}: id {manifest.id!r} differs from the file name")
        for source in manifest.sources:
            if source.format not in sources.FORMATS:
                raise ConfigError(f"list manifest {path}: unknown format {source.format!r}")
        manifests[manifest.id] = manifest
    if not manifests:
        raise ConfigError(f"no list manifests (*.toml) in {folder}")
    return manifests


def enabled(manifests: dict[str, Manifest], wanted: Iterable[str] | None) -> list[Manifest]:
    """The manifests of the lists the service must serve (all of them unless told)."""
    if wanted is None:
        return list(manifests.values())
    unknown = [i for i in wanted if i not in manifests]
    if unknown:
        raise ConfigError(f"SCREENING_LISTS names unknown lists: {', '.join(unknown)}")
    return [manifests[i] for i in wanted]


@dataclass(frozen=True)
class FoundSource:
    list_id: str
    format: str
    paths: tuple[Path, ...]
    date: dt.date | None  # the date printed in the file, else one in its path


def _path_date(path: Path) -> dt.date | None:
    for part in reversed(path.parts):
        match = _DATE_IN_PATH.search(part)
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                continue
    return None


def discover(folder: Path) -> dict[str, FoundSource]:
    """The newest complete source of each list among the files under ``folder``.

    Files are recognised by their content. Where a folder holds several vintages or formats
    of one list, the one with the latest date wins (the larger on a tie). A multi-file format (the OFAC CSV set)
    counts only when its companion files are there too.
    """
    best: dict[str, FoundSource] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name.lower() in _SKIPPED_NAMES or path.name.startswith("."):
            continue
        sniffed = sources.sniff(path)
        if sniffed is None:
            continue
        module = sources.parser(sniffed.format)
        companions = getattr(module, "source_files", None)
        paths = companions(path) if companions else (path,)
        if not paths:
            continue  # an incomplete set
        # A file's modification time says when it was copied, not when it was published:
        # an undated source ranks below every dated one.
        date = sniffed.published or _path_date(path)
        found = FoundSource(sniffed.list_id, sniffed.format, tuple(paths), date)
        current = best.get(found.list_id)
        if current is None or _rank(found) > _rank(current):
            best[found.list_id] = found
    return best


def _rank(source: FoundSource) -> tuple[dt.date, int]:
    # Newest first; between sources of the same date (or none), the larger holds more.
    return source.date or dt.date.min, sum(p.stat().st_size for p in source.paths)
