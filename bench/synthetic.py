"""Large list files made from real ones, to measure how loading scales with file size.

Generated into a temporary folder when a benchmark or test runs; never committed.
"""

from __future__ import annotations

import re
from pathlib import Path

# Every attribute of the OFAC advanced XML that holds an id another element refers to.
_REID = re.compile(
    r"\b(ID|FixedRef|IdentityID|NamePartGroupID|From-ProfileID|To-ProfileID|ProfileID"
    r'|DocumentedNameID|SanctionsEntryID|LocationID)="(\d+)"'
)


def write_advanced_xml(real: Path, copies: int, out: Path) -> None:
    """The real advanced XML with its locations, documents, parties, relationships and
    sanctions entries repeated ``copies`` times under new ids; look-up tables unchanged."""
    text = real.read_text(encoding="utf-8")

    def reid(body: str, copy: int) -> str:
        offset = copy * 1_000_000_000
        return _REID.sub(lambda m: f'{m[1]}="{int(m[2]) + offset}"', body)

    sections = ("Locations", "IDRegDocuments", "DistinctParties", "ProfileRelationships")
    with open(out, "w", encoding="utf-8") as f:
        rest = text
        for name in (*sections, "SanctionsEntries"):
            before, _, rest = rest.partition(f"<{name}>")
            body, _, rest = rest.partition(f"</{name}>")
            f.write(before + f"<{name}>")
            f.writelines(reid(body, copy) for copy in range(copies))
            f.write(f"</{name}>")
        f.write(rest)
