"""Whether each list can be served: loaded, complete, and younger than its maximum age.

Shared by /v1/lists, /readyz and ``screening lists status`` so they never disagree.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from service.catalog import Manifest
from service.store import ListStore, ListVersion


@dataclass(frozen=True)
class ListStatus:
    manifest: Manifest
    enabled: bool
    version: ListVersion | None
    age_seconds: int | None
    stale: bool
    last_error: dict[str, Any] | None

    @property
    def problem(self) -> str | None:
        """Why this list must not be used for screening, or None when it can be."""
        if self.version is None:
            return f"list {self.manifest.id} is not loaded" + (
                f" (last load failed: {self.last_error['message']})" if self.last_error else ""
            )
        if self.stale:
            return (
                f"list {self.manifest.id} is stale: last confirmed current {self.age_seconds}s ago,"
                f" more than its maximum of {int(self.manifest.max_age.total_seconds())}s"
            )
        return None

    def as_record(self) -> dict[str, Any]:
        """Plain data for the API's ListStatusSchema."""
        v = self.version

        return {
            "id": self.manifest.id,
            "title": self.manifest.title,
            "issuer": self.manifest.issuer,
            "license": self.manifest.license,
            "enabled": self.enabled,
            "loaded": v is not None,
            "version": v.version if v else None,
            "format": v.format if v else None,
            "files": list(v.files) if v else [],
            "published": v.published if v else None,
            "loaded_at": v.loaded_at if v else None,  # Unix seconds: the schema gives them out as RFC 3339
            "checked_at": v.checked_at if v else None,
            "age_seconds": self.age_seconds,
            "max_age_seconds": int(self.manifest.max_age.total_seconds()),
            "stale": self.stale,
            "counts": dict(v.counts) if v else {},
            "links": dict(v.links) if v else {},
            "last_error": self.last_error,
        }


def list_statuses(
    store: ListStore, manifests: dict[str, Manifest], enabled: list[str], now: float | None = None
) -> list[ListStatus]:
    """Every enabled list, then any other list the store holds. Raises if Redis is down."""
    now = time.time() if now is None else now
    versions = store.versions()
    errors = store.errors()
    shown = list(enabled) + sorted(i for i in versions if i not in enabled and i in manifests)
    out = []
    for list_id in shown:
        version = versions.get(list_id)
        age = None
        if version is not None:
            age = int(now - (version.checked_at or version.loaded_at))
        manifest = manifests[list_id]
        out.append(
            ListStatus(
                manifest=manifest,
                enabled=list_id in enabled,
                version=version,
                age_seconds=age,
                stale=age is not None and age > manifest.max_age.total_seconds(),
                last_error=errors.get(list_id),
            )
        )
    return out
