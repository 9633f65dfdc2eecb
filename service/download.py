"""Fetching a list source from its official URLs, with a timeout, retries and a sanity check.

Files are written under a temporary name and renamed when complete, so a failed or partial
download never replaces the last good file. A server error or a timeout is retried; a host
name that does not resolve or a network that is unreachable is not: offline, every retry
would fail the same way (a first run without network spent 84 s so), and the operator needs
the way out (SCREENING_LISTS_DIR) at once.
"""

from __future__ import annotations

import errno
import socket
import time
from pathlib import Path
from urllib.parse import urlparse

import requests

from service import sources
from service.catalog import Source
from service.errors import LoadError, NetworkUnreachable

USER_AGENT = "sanctions-screening/0.1 (+list update)"
OFFLINE_HINT = (
    "no list can be downloaded; to run without network, set SCREENING_LISTS_DIR to a folder of"
    " list files (e.g. SCREENING_LISTS_DIR=../shared/lists make run)"
)
_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}


def offline_reason(exc: BaseException) -> str | None:
    """Why ``exc`` says the network itself is out of reach (a name that does not resolve, no
    route), or None for an error another attempt might not meet (a refused connection, a
    timeout, a server error). requests wraps the socket's error several layers deep."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        error = pending.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, socket.gaierror):
            return f"the host name does not resolve ({error.strerror or error})"
        if isinstance(error, OSError) and error.errno in _UNREACHABLE:
            return f"the network is unreachable ({error.strerror})"
        pending += [error.__cause__, error.__context__, getattr(error, "reason", None)]
        pending += [arg for arg in error.args if isinstance(arg, BaseException)]
    return None


def _file_name(url: str) -> str:
    name = Path(urlparse(url).path).name or "download"
    # The EU serves every file as ".../content?token=…"; name it by what it is.
    return "eu_fsf.xml" if name == "content" else name


def _fetch(url: str, target: Path, *, timeout: float, retries: int, backoff: float) -> None:
    partial = target.with_name(target.name + ".part")
    last_error: Exception | None = None
    for attempt in range(1, retries + 1):
        try:
            with requests.get(url, stream=True, timeout=timeout, headers={"User-Agent": USER_AGENT}) as response:
                response.raise_for_status()
                with open(partial, "wb") as out:
                    for chunk in response.iter_content(1 << 20):
                        out.write(chunk)
            partial.replace(target)
            return
        except (requests.RequestException, OSError) as exc:
            last_error = exc
            partial.unlink(missing_ok=True)
            if reason := offline_reason(exc):
                host = urlparse(url).hostname
                raise NetworkUnreachable(f"download of {url} failed: {reason} for {host}: {OFFLINE_HINT}") from exc
            if attempt < retries:
                time.sleep(min(backoff * 2 ** (attempt - 1), 30))
    raise LoadError(f"download of {url} failed after {retries} attempts: {last_error}")


def download(
    source: Source, list_id: str, folder: Path, *, timeout: float, retries: int, backoff: float = 2.0
) -> list[Path]:
    """Download every file of ``source`` into ``folder`` and check it looks like its format."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for url in source.urls:
        target = folder / _file_name(url)
        _fetch(url, target, timeout=timeout, retries=retries, backoff=backoff)
        paths.append(target)
    main = paths[0]
    size = main.stat().st_size
    if size < source.min_bytes:
        raise LoadError(
            f"{list_id}: {source.urls[0]} is {size:,} bytes, less than the {source.min_bytes:,}"
            " expected: refusing a truncated file or an error page"
        )
    sniffed = sources.sniff(main)
    if sniffed is None or sniffed.format != source.format:
        found = sniffed.format if sniffed else "nothing recognisable"
        raise LoadError(f"{list_id}: {source.urls[0]} should be {source.format} but holds {found}")
    return paths
