"""Shared fixtures: the real list files, and a real Redis in a database of the tests' own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _shared_lists_dir() -> Path:
    return Path(os.environ.get("SCREENING_LISTS_DIR", ROOT.parent / "shared" / "lists")).resolve()


@pytest.fixture(scope="session")
def shared_lists() -> Path:
    """The folder of real official list files; tests that need it skip when it is absent."""
    path = _shared_lists_dir()
    if not (path / "MANIFEST.md").exists():
        pytest.skip(f"real list files not found at {path} (set SCREENING_LISTS_DIR)")
    return path


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES
