"""List parsers, one module per published format, and format detection.

Modules are imported on first use, so a broken or slow parser never costs the others.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from service.sources.base import ParsedList, Sniffed, date_in_name, read_head

# format id → module; the order is the order in which sniffing tries them.
_MODULES = {
    "ofac_advanced": "service.sources.ofac_advanced",
    "ofac_xml": "service.sources.ofac_xml",
    "ofac_csv": "service.sources.ofac_csv",
    "un_xml": "service.sources.un_xml",
    "eu_fsf": "service.sources.eu_fsf",
    "eu_fsf_legacy": "service.sources.eu_fsf_legacy",
    "uk_conlist": "service.sources.uk_conlist",
    "ftm": "service.sources.ftm",
    "us_csl": "service.sources.us_csl",
    "us_bis_dpl": "service.sources.us_bis_dpl",
}

FORMATS = tuple(_MODULES)


def parser(fmt: str) -> ModuleType:
    try:
        return importlib.import_module(_MODULES[fmt])
    except KeyError:
        raise ValueError(f"unknown list format {fmt!r}; known: {', '.join(FORMATS)}") from None


def sniff(path: Path) -> Sniffed | None:
    """The format and likely list of ``path``, or None when no parser claims it."""
    head = read_head(path)
    for fmt in _MODULES:
        found = parser(fmt).sniff(path, head)
        if found is not None:
            return found
    return None


def read(fmt: str, paths: list[Path], list_id: str) -> ParsedList:
    return parser(fmt).read(paths, list_id)


__all__ = ["FORMATS", "ParsedList", "Sniffed", "date_in_name", "parser", "read", "sniff"]
