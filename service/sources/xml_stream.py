"""Streaming reads of the XML lists: the root from a file's first bytes, the record elements
one at a time, and the texts of an element's children.

The big files run past 100 MB, so no parser builds a file's whole tree: each
takes its records at their end tags and frees them once handled. Nothing here resolves
entities or reaches the network, whatever a file declares.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lxml import etree

from service.errors import ParseError
from service.sources.base import read_head
from service.sources.text import words

__all__ = [
    "child_text", "elements", "expect_root", "in_any_namespace", "leaves", "local",
    "record_where", "records", "release", "root_attributes", "root_element", "root_name",
]  # fmt: skip


# --- the root, from a file's head ---------------------------------------------------------


def root_element(head: bytes) -> tuple[str, dict[str, str]] | None:
    """The root element's tag (``{namespace}name``) and attributes, parsed from the first
    bytes of a file; None when those do not parse up to the root's start tag."""
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True)
    try:
        parser.feed(head)
        for _event, elem in parser.read_events():
            if isinstance(elem, etree._Element):
                return str(elem.tag), {str(k): str(v) for k, v in elem.attrib.items()}
    except etree.XMLSyntaxError:
        return None
    return None


def root_attributes(head: bytes, tag: str) -> dict[str, str] | None:
    """The attributes of the root element in ``head`` when that root is ``tag``; else None."""
    found = root_element(head)
    return found[1] if found is not None and found[0] == tag else None


def expect_root(path: Path, tag: str, expected: str | None = None) -> dict[str, str]:
    """The attributes of the root of ``path``, which must be ``tag``; else a ParseError at
    line 1 showing the root found and ``expected`` (by default ``<tag>``)."""
    found = root_element(read_head(path))
    if found is None:
        raise ParseError(path.name, "line 1", "empty or not XML: no root element found")
    if found[0] != tag:
        shown = expected or f"<{tag}>"
        raise ParseError(path.name, "line 1", f"root is <{found[0]}>, expected {shown}")
    return found[1]


def root_name(head: bytes) -> bytes | None:
    """The local name of the first element in ``head``, after the prolog; None if none.

    Scanned rather than parsed, so a head that does not parse (a cut-off attribute, an
    undeclared prefix) still shows its root."""
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        pos = head.find(b"<", pos)
        if pos < 0:
            return None
        if head.startswith(b"<?", pos):
            pos = head.find(b"?>", pos)
        elif head.startswith(b"<!--", pos):
            pos = head.find(b"-->", pos)
        elif head.startswith(b"<!", pos):
            pos = head.find(b">", pos)
        else:
            match = re.match(rb"<(?:[\w.\-]+:)?([A-Za-z_][\w.\-]*)", head[pos:])
            return match.group(1) if match else None
        if pos < 0:
            return None


# --- elements, streamed -------------------------------------------------------------------


def local(tag: object) -> str:
    """An element's tag without its namespace; "" for comments and processing instructions."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def in_any_namespace(*names: str) -> list[str]:
    """Tag selectors for :func:`elements` that match ``names`` in whatever namespace."""
    return [f"{{*}}{name}" for name in names]


def elements(
    path: Path, tags: Sequence[str], *, huge_tree: bool = False
) -> Iterator[etree._Element]:
    """Each element matching ``tags`` at its end tag; malformed XML raises ParseError at its
    line. The caller frees what it has handled with :func:`release`.

    ``huge_tree`` lifts libxml2's limits on depth and text size (see lxml's XMLParser).
    """
    try:
        for _event, element in etree.iterparse(
            str(path),
            events=("end",),
            tag=tags,
            resolve_entities=False,
            no_network=True,
            huge_tree=huge_tree,
        ):
            yield element
    except etree.XMLSyntaxError as exc:
        raise ParseError(path.name, f"line {exc.lineno}", f"malformed XML: {exc.msg}") from None


def records(path: Path, *tags: str) -> Iterator[tuple[int, etree._Element]]:
    """Each record element matching ``tags``, numbered from 1 and freed once the caller has
    moved on; a file without any is a ParseError ("no <tag> records")."""
    count = 0
    for element in elements(path, tags, huge_tree=True):
        count += 1
        yield count, element
        release(element)
    if count == 0:
        shown = " or ".join(f"<{local(tag)}>" for tag in tags)
        raise ParseError(path.name, "whole file", f"no {shown} records")


def release(element: etree._Element) -> None:
    """Free a handled element and the already handled siblings before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def record_where(
    tag: str, number: int, element: etree._Element, key: str, value: str | None
) -> str:
    """Where an error is: "<ENTITY> #3, Id 521 (line 40)", without the key when it is empty."""
    keyed = f", {key} {value}" if value else ""
    return f"<{tag}> #{number}{keyed} (line {element.sourceline})"


# --- texts of children --------------------------------------------------------------------


def child_text(element: etree._Element, name: str) -> str | None:
    """The whitespace-normalised text of the first child named ``name`` (any namespace)."""
    for child in element:
        if local(child.tag) == name:
            return words(child.text)
    return None


def leaves(element: etree._Element) -> dict[str, str]:
    """The non-empty texts of an element's children by local name (the first of each name)."""
    found: dict[str, str] = {}
    for child in element:
        text = child.text
        if text and isinstance(child.tag, str):
            name = local(child.tag)
            if name not in found and (text := words(text)):
                found[name] = text
    return found
