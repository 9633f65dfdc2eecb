"""The list catalogue: one manifest per list source in ``lists/``, and finding list files.

A manifest names a list (its stable id), where its issuer publishes it (one or more sources
in order of preference, each with its format and official URLs), and how old its data may
grow before the service stops trusting it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from service import sources
from service.config import ConfigError

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
    # How old the publication itself may grow before /readyz and /v1/lists warn (None: never).
    # Unlike max_age (how long ago the source was last checked), this is the issuer's clock.
    max_publication_age: dt.timedelta | None = None


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
                max_publication_age=(
                    dt.timedelta(days=raw["max_publication_age_days"]) if "max_publication_age_days" in raw else None
                ),
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
    date: dt.date | None  # the date printed in the file, else one in its name
    date_from: str | None = None  # "file" or "file name"
    # The other sources of the list found in the folder, best first: (main file, its date).
    passed_over: tuple[tuple[Path, dt.date | None], ...] = ()

    def why(self, folder: Path) -> str:
        """Which file was chosen and why, for the operator (``lists update`` prints it)."""
        def name(path: Path) -> str:
            return str(path.relative_to(folder)) if path.is_relative_to(folder) else str(path)

        dated = f"published {self.date} ({'printed in the file' if self.date_from == 'file' else 'from its name'})"
        line = f"{name(self.paths[0])} ({self.format}, {dated if self.date else 'undated'})"
        if not self.passed_over:
            return f"chose {line}: the only source of this list"
        others = ", ".join(f"{name(p)} ({d or 'undated'})" for p, d in self.passed_over)
        return f"chose {line}: the newest publication; passed over {others}"


def discover(folder: Path) -> dict[str, FoundSource]:
    """The newest publication of each list among the files under ``folder``.

    Files are recognised by their content. Where a folder holds several vintages or formats
    of one list, the one with the latest publication date wins: the date printed in the file,
    else the one in its name (``sdn-only-2024-05-03.csv``, ``sdn-2021-07-07/sdn.csv``); between
    sources of one date, the larger. A newer publication beats a richer older one (a lone
    sdn.csv of 2024 beats the 2021 set with its aliases): missing designations are worse than
    missing aliases, and the load warns of what the new source lacks. A multi-file format
    under its published names (sdn.csv) counts only when its companion files are there too.
    """
    found_by_list: dict[str, list[FoundSource]] = {}
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
        named = sources.date_in_name(path)
        date_from = "file" if sniffed.published else "file name" if named else None
        found = FoundSource(sniffed.list_id, sniffed.format, tuple(paths), sniffed.published or named, date_from)
        found_by_list.setdefault(found.list_id, []).append(found)
    best: dict[str, FoundSource] = {}
    for list_id, candidates in found_by_list.items():
        ranked = sorted(candidates, key=_rank, reverse=True)
        passed = tuple((c.paths[0], c.date) for c in ranked[1:])
        best[list_id] = dataclasses.replace(ranked[0], passed_over=passed)
    return best


def _rank(source: FoundSource) -> tuple[dt.date, int]:
    # Newest first; between sources of the same date (or none), the larger holds more.
    return source.date or dt.date.min, sum(p.stat().st_size for p in source.paths)
