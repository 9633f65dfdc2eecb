"""Whether each list can be served: loaded, complete, and younger than its maximum age.

Shared by /v1/lists, /readyz and ``screening lists status`` so they never disagree.

Two clocks. ``max_age`` is ours: how long ago the source was last checked; past it the list is
*stale* and is not served (503). ``max_publication_age`` is the issuer's: how old the
publication served is; past it the list is *outdated*, which /readyz and /v1/lists report as a
warning but which does not make the service unready. A quiet issuer (nothing published for a
month) and an old file in SCREENING_LISTS_DIR look the same from here; taking screening down
for the first would be wrong, and the second is the operator's to fix, told loudly.
"""

from __future__ import annotations

import datetime as dt
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
    publication_age_days: int | None = None  # days since the served version's publication
    outdated: bool = False  # the publication is older than the manifest's max_publication_age

    @property
    def warnings(self) -> list[str]:
        """What an operator should know of a list that is served: an outdated publication,
        and what its load noticed."""
        if self.version is None:
            return []
        out = []
        limit = self.manifest.max_publication_age
        if self.outdated and limit is not None:
            out.append(
                f"list {self.manifest.id}: its publication of {self.version.published} is"
                f" {self.publication_age_days} days old, more than the {limit.days} its manifest allows"
            )
        out += [f"list {self.manifest.id}: {w}" for w in self.version.warnings]
        return out

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
            "published_from": v.published_from if v else None,
            "publication_age_days": self.publication_age_days,
            "max_publication_age_days": limit.days if (limit := self.manifest.max_publication_age) else None,
            "outdated": self.outdated,
            "allowed_older": v.allowed_older if v else False,
            "warnings": self.warnings,
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
        published_age = None
        if version is not None:
            age = int(now - (version.checked_at or version.loaded_at))
            if version.published:
                published_on = dt.date.fromisoformat(version.published[:10])
                published_age = (dt.datetime.fromtimestamp(now, dt.UTC).date() - published_on).days
        manifest = manifests[list_id]
        limit = manifest.max_publication_age
        out.append(
            ListStatus(
                manifest=manifest,
                enabled=list_id in enabled,
                version=version,
                age_seconds=age,
                stale=age is not None and age > manifest.max_age.total_seconds(),
                last_error=errors.get(list_id),
                publication_age_days=published_age,
                outdated=published_age is not None and limit is not None and published_age > limit.days,
            )
        )
    return out
