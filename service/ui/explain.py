"""What the console draws of a screening that the JSON answer gives only in words.

The word-by-word alignment of the query's name with the listed name it matched is computed
again here with the scorer's own function (``compare_names``), on the same prepared names,
so the page shows the pairs, the words left over and what each cost the score — the numbers
the scorer used, not a second opinion.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.matching.score import compare_names, prepare_name, prepare_query_name


@dataclass(frozen=True)
class AlignedWord:
    query: str | None  # the query's word (normalised); None: a listed word nobody matched
    listed: str | None  # the listed word it was paired with; None: unmatched
    similarity: float | None  # of the pair, 0–1
    cost: float  # what the word took off the name score's denominator: lost weight


@dataclass(frozen=True)
class Alignment:
    words: tuple[AlignedWord, ...]
    score: float
    method: str  # "tokens", or "concatenated" when the names agree written without spaces
    numbers: str | None  # "differ" / "missing" when numbers in the names disagreed


def align(query_name: str | None, listed_name: str | None, person: bool = True) -> Alignment | None:
    """The query's words against the listed name's, as the scorer paired them; None when
    either side has no name (a hit by identifier or address alone)."""
    if not query_name or not listed_name:
        return None
    q = prepare_query_name(query_name)
    c = prepare_name(listed_name)
    if not q.tokens or not c.tokens:
        return None
    result = compare_names(q, c, person)
    by_query = {qt: (ct, sim) for qt, ct, sim in result.pairs}
    used_listed = {ct for _, ct, _ in result.pairs}
    words = []
    for i, token in enumerate(q.tokens):
        if token in by_query:
            listed, sim = by_query[token]
            weight = min(q.weights[i], c.weights[c.tokens.index(listed)])
            words.append(AlignedWord(token, listed, sim, round(weight * (1 - sim), 3)))
        else:
            words.append(AlignedWord(token, None, None, round(q.query_costs[i], 3)))
    for j, token in enumerate(c.tokens):
        if token not in used_listed:
            words.append(AlignedWord(None, token, None, round(c.listed_costs[j], 3)))
    return Alignment(tuple(words), round(result.score, 4), result.method, result.numbers)
