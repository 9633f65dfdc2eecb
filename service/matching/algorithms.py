"""The named scoring algorithms, selectable per request and recorded with every screening.

``ssm-1`` (``score.py``) is kept unchanged, so that an audit record can be replayed with the
algorithm that answered it; ``ssm-2`` (``ssm2.py``) models name variation as one set of
bounded contributions. Both share preparation (``score.prepare_query``,
``score.prepare_record``) and the qualifiers (kind, birth date, country, identifiers, address).

    compare(Query(name="S0kol0v Ivan"), {"names": [{"full": "SOKOLOV, Ivan"}]}, "ssm-2")
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from service.matching import score as ssm1
from service.matching import ssm2
from service.matching.types import Comparison, Query

Scorer = Callable[[ssm1.PreparedQuery, ssm1.PreparedRecord, float], Comparison]

ALGORITHMS: dict[str, Scorer] = {ssm1.ALGORITHM: ssm1.score, ssm2.ALGORITHM: ssm2.score}
DEFAULT_ALGORITHM = ssm2.ALGORITHM


def scorer(algorithm: str | None) -> Scorer:
    """The scoring function of a named algorithm (None: the default)."""
    try:
        return ALGORITHMS[algorithm or DEFAULT_ALGORITHM]
    except KeyError:
        raise ValueError(f"unknown algorithm {algorithm!r}; known: {', '.join(ALGORITHMS)}") from None


def compare(query: Query, record: Mapping[str, Any], algorithm: str | None = None) -> Comparison:
    """Score a counterparty against one record given as an entity dict, with the named algorithm."""
    if (algorithm or DEFAULT_ALGORITHM) == ssm2.ALGORITHM:
        return ssm2.compare(query, record)
    return scorer(algorithm)(ssm1.prepare_query(query), ssm1.prepare_record(record), 0.0)
