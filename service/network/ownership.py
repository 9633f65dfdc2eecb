"""Ownership aggregation: OFAC's 50% rule over the ownership links of one list version.

OFAC blocks any entity owned 50% or more, in aggregate, directly or indirectly, by one or
more blocked persons, though no list names it. Indirectly means through entities that are
themselves blocked by that rule: if a listed person owns 60% of A and A owns 50% of B, both
A and B are blocked; if the person owns only 30% of A, A is not blocked and its stake in B
does not count. So the blocked set is grown to a fixed point — an entity joins once the
stakes its blocked owners hold add up to 50% — which also ends on ownership cycles.

Stakes with no share (OFAC's "owned or controlled by", an FtM Ownership without a
percentage) cannot be added up: they are reported, as control, but never make the 50%.
Several records of one owner's stake in one asset (OpenSanctions keeps 48%, 50% and 51%
of one company from different filings) count once, at the largest share: the rule asks
whether the stake *may* reach 50%, and an analyst sees every figure in the chain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

BLOCKING_SHARE = 50.0
MAX_CHAIN = 6  # owners followed up from an asset, at most
MAX_CHAINS = 20  # chains kept per entity


@dataclass(frozen=True)
class Stake:
    owner: str
    asset: str
    share: float | None  # percent; None when the source gives none
    source: str  # provenance of the link


@dataclass(frozen=True)
class Step:
    """One link of a chain, read from the asset up: ``asset`` is owned ``share``% by ``owner``."""

    asset: str
    owner: str
    share: float | None
    source: str


@dataclass(frozen=True)
class Ownership:
    """What listed parties hold of one entity."""

    entity: str
    share: float  # aggregate percent held by listed or blocked owners directly (OFAC counting), ≤ 100
    blocked: bool  # share ≥ 50: blocked by extension (unless listed itself)
    controlled: bool  # owned or controlled by a listed or blocked party with no share given
    chains: tuple[tuple[Step, ...], ...]  # each from the entity up to a listed party

    def as_dict(self) -> dict[str, Any]:
        return {
            "share": round(self.share, 4),
            "blocked": self.blocked,
            "controlled": self.controlled,
            "chains": [
                [
                    {"asset": s.asset, "owner": s.owner, "source": s.source}
                    | ({"share": s.share} if s.share is not None else {})
                    for s in chain
                ]
                for chain in self.chains
            ],
        }

    @classmethod
    def from_dict(cls, entity: str, data: Mapping[str, Any]) -> Ownership:
        chains = tuple(
            tuple(Step(s["asset"], s["owner"], s.get("share"), s.get("source", "")) for s in chain)
            for chain in data.get("chains", [])
        )
        return cls(entity, float(data["share"]), bool(data["blocked"]), bool(data.get("controlled")), chains)


def aggregate(stakes: Iterable[Stake], listed: set[str]) -> dict[str, Ownership]:
    """For every entity with a listed party among its owners, directly or up a chain."""
    owners: dict[str, dict[str, Stake]] = defaultdict(dict)  # asset → owner → its largest stake
    for stake in stakes:
        if stake.owner == stake.asset:
            continue
        known = owners[stake.asset].get(stake.owner)
        if known is None or (stake.share or -1) > (known.share or -1):
            owners[stake.asset][stake.owner] = stake

    blocked = set(listed)
    changed = True
    while changed:  # each round adds at least one entity, so at most len(owners) rounds
        changed = False
        for asset, stakes_in in owners.items():
            if asset not in blocked and _held(stakes_in, blocked) >= BLOCKING_SHARE:
                blocked.add(asset)
                changed = True

    out = {}
    for asset, stakes_in in owners.items():
        chains = _chains(asset, owners, listed)
        if not chains:
            continue
        share = _held(stakes_in, blocked)
        controlled = any(s.share is None and s.owner in blocked for s in stakes_in.values())
        out[asset] = Ownership(asset, share, share >= BLOCKING_SHARE, controlled, tuple(chains))
    return out


def _held(stakes_in: dict[str, Stake], blocked: set[str]) -> float:
    return min(100.0, sum(s.share for owner, s in stakes_in.items() if owner in blocked and s.share))


def _chains(asset: str, owners: dict[str, dict[str, Stake]], listed: set[str]) -> list[tuple[Step, ...]]:
    """Paths from ``asset`` up its owners to a listed party, none through the same entity
    twice (so cycles end), stopping at the first listed party on each path."""
    found: list[tuple[Step, ...]] = []
    stack: list[tuple[str, tuple[Step, ...], frozenset[str]]] = [(asset, (), frozenset({asset}))]
    while stack and len(found) < MAX_CHAINS:
        node, path, seen = stack.pop()
        for owner, stake in sorted(owners.get(node, {}).items(), reverse=True):
            if owner in seen:
                continue
            step_path = (*path, Step(node, owner, stake.share, stake.source))
            if owner in listed:
                found.append(step_path)
            elif len(step_path) < MAX_CHAIN:
                stack.append((owner, step_path, seen | {owner}))
    found.sort(key=lambda chain: (len(chain), -(chain[0].share or 0)))
    return found[:MAX_CHAINS]
