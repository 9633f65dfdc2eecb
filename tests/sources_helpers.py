"""Helpers the list parsers' tests share: files to sniff, entities by key, expected errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from service.errors import ParseError
from service.model import Entity


def files_under(*folders: Path) -> list[Path]:
    """Every file below ``folders``, in a stable order: what a folder scan would sniff."""
    return sorted(path for folder in folders for path in folder.rglob("*") if path.is_file())


def by_reference(entities: Iterable[Entity]) -> dict[str, Entity]:
    return {e.reference: e for e in entities}


def by_id(entities: Iterable[Entity]) -> dict[str, Entity]:
    return {e.id: e for e in entities}


def parse_error(read: Callable[[Path], object], path: Path, location: str = "") -> ParseError:
    """The ParseError ``read(path)`` raises, which must name the file and start its location
    with ``location``."""
    with pytest.raises(ParseError) as caught:
        read(path)
    assert caught.value.file == path.name
    assert caught.value.location.startswith(location), caught.value.location
    return caught.value


def garble(sample: Path, tmp_path: Path, old: str, new: str, name: str = "garbled.xml") -> Path:
    """A copy of ``sample`` with the first ``old`` in it replaced by ``new``."""
    text = sample.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path
