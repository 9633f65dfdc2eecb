"""Fetching a list source from its official URLs, with a timeout, retries and a sanity check.

Files are written under a temporary name and renamed when complete, so a failed or partial
download never replaces the last good file.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

import requests

from service import sources
from service.catalog import Source
from service.errors import LoadError

USER_AGENT = "sanctions-screening/0.1 (+list update)"


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
