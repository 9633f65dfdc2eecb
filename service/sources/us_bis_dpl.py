"""BIS Denied Persons List (DPL): tab-separated text with a quoted header row.

Columns: Name, Street_Address, City, State, Country, Postal_Code, Effective_Date (MM/DD/YYYY),
Expiration_Date, Standard_Order, Last_Update (YYYY-MM-DD), Action, FR_Citation. The list has
one row per party *and address*, and no record id.

Ids: the source id is the normalised name (ASCII, lowercase, runs of anything else → "-")
plus the order's effective date: ``"zimo-sheng-2020-03-16"``. Adjacent rows with the same id
are one listing at several addresses (the file repeats the party for each address) and
become one entity. The same person under another order has another effective date, hence
another listing. A later, non-adjacent row that normalises to an id already used (the list
spells one airline "AL NASER AIRLINES" and "AL-NASER  AIRLINES", with other rows between)
is a listing line of its own and gets "-2", "-3" … in file order. The list is sorted by
name, so that order is stable between versions.

Kind: the DPL mixes people and companies with nothing to tell them apart but the name.
A name is an organisation when it has a legal-form or business word (INC, LLC, LTD, CO.,
CORP, COMPANY, GMBH, S.A., AG, JSC, OOO, FZE, TRADING, AIRLINES, AVIATION, GROUP,
TECHNOLOGY …, see ``_ORG_WORDS``), a web domain (".NET") or "D/B/A"; otherwise a person.
On the 2023 file this gives 103 organisations and 444 people; the known misses are five
companies read as people (ELECTROCOM, EMTRASUR, TECHONWEB, KZ RESULTS, AVIASTAR - TU) —
a screening by name still finds them.

Names: "X A/K/A Y" and "X D/B/A Y" give X and the a.k.a. Y; "(A.K.A. Y)" inside a name
gives Y; a quoted nickname or other parenthesis ('IHSAN MEDHAT "SAMMY" ELASHI') adds the
name without it as an a.k.a.

Text is UTF-8, a line that is not being read as Windows-1252 (BIS files come from Windows).
Countries are ISO codes (plus "PRC"); an address with no country but a US state code is
in the US. ``published`` is the latest Last_Update that is not in the future: the 2023
file has a "3033-09-30" typo.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from service.countries import to_iso
from service.errors import ParseError
from service.model import Address, Entity, Kind, Name, NameType, entity_id
from service.sources.base import ParsedList, Sniffed
from service.sources.delimited import table
from service.sources.labels import script_of
from service.sources.text import iso_date, month_first

FORMAT = "us_bis_dpl"
LIST_ID = "us_bis_dpl"

HEADER = (
    "Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date",
    "Expiration_Date", "Standard_Order", "Last_Update", "Action", "FR_Citation",
)  # fmt: skip

_ORG_WORDS = frozenset(
    (
        "INC", "INCORPORATED", "LLC", "LLP", "LP", "LTD", "LIMITED", "CO", "CORP", "CORPORATION",
        "COMPANY", "GMBH", "AG", "AB", "SA", "SL", "SRL", "SPA", "BV", "NV", "PTE", "PLC", "JSC",
        "PJSC", "OJSC", "CJSC", "OOO", "ZAO", "OAO", "FZE", "FZC", "FZCO", "ANSTALT", "TRADING",
        "TRADE", "AIRLINES", "AIRWAYS", "AIR", "AVIATION", "GROUP", "INTERNATIONAL", "INDUSTRIE",
        "INDUSTRIES", "INDUSTRIAL", "TECHNOLOGY", "TECHNOLOGIES", "TECHNIK", "SERVICES", "SERVICE",
        "ELECTRONICS", "ELECTRONIC", "COMMUNICATIONS", "SYSTEMS", "METALS", "COMPUTERS", "SUPPLY",
        "MACHINERY", "ENTERPRISE", "ENTERPRISES", "ASSOCIATES", "CONTRACTING", "VERTRIEBS",
        "MARITIME", "EXPORT", "IMPORT", "BANK", "HOLDING", "HOLDINGS", "INSTITUTE", "UNIVERSITY",
    )
)  # fmt: skip
_ORG_MARKS = re.compile(r"\.(NET|COM|ORG)\b|\bD/B/A\b", re.IGNORECASE)

_US_STATES = frozenset(
    (
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
        "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
        "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
        "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
    )
)  # fmt: skip

_AKA_INSIDE = re.compile(r"\(\s*A\.?\s*K\.?\s*A\.?\s+([^)]*)\)", re.IGNORECASE)
_AKA_SPLIT = re.compile(r"\s+(?:A/K/A|D/B/A|A\.K\.A\.)\s+", re.IGNORECASE)
_ASIDE = re.compile(r"\s*(\"[^\"]*\"|\([^)]*\))\s*")


def sniff(path: Path, head: bytes) -> Sniffed | None:
    line = head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8-sig", errors="replace")
    if tuple(cell.strip().strip('"') for cell in line.split("\t")) == HEADER:
        return Sniffed(FORMAT, LIST_ID, None)
    return None


def looks_like_organization(name: str) -> bool:
    """Whether a bare name reads as a company: a legal-form or business word, a domain, D/B/A."""
    if _ORG_MARKS.search(name):
        return True
    words = re.split(r"[^A-Z0-9]+", name.upper().replace(".", ""))
    return any(word in _ORG_WORDS for word in words)


def read(paths: Sequence[Path], list_id: str) -> ParsedList:
    files = tuple(paths)
    today = dt.date.today()
    published: dt.date | None = None
    for path in files:
        for row in _rows(path):
            updated = row.date("Last_Update", iso=True)
            day = dt.date.fromisoformat(updated) if updated else None
            if day and day <= today and (published is None or day > published):
                published = day
    return ParsedList(FORMAT, files, published, _entities(files, list_id), published_exact=False)


@dataclass(frozen=True)
class _Row:
    file: str
    location: str
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return " ".join(self.cells[column].split())

    def date(self, column: str, iso: bool = False) -> str | None:
        """The column's date as ISO; the DPL writes MM/DD/YYYY except for Last_Update."""
        value = self.get(column)
        if not value:
            return None
        found = iso_date(value) if iso else month_first(value)
        if found is None:
            raise ParseError(self.file, self.location, f"{column} {value!r} is not a date")
        return found.isoformat()


def _rows(path: Path) -> Iterator[_Row]:
    rows = table(path, _header_problem, columns=HEADER, delimiter="\t", what="tab-separated text")
    for location, cells in rows:
        row = _Row(path.name, location, cells)
        if not row.get("Name"):
            raise ParseError(path.name, location, "no Name")
        yield row


def _header_problem(header: list[str]) -> str | None:
    if tuple(cell.strip() for cell in header) != HEADER:
        return f"not the Denied Persons List header: {header[:3]}"
    return None


def source_id(name: str, effective: str) -> str:
    """The normalised name and the ISO effective date: "zimo-sheng-2020-03-16"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "unnamed"
    return f"{slug}-{effective}"


@dataclass
class _Listing:
    base: str  # the id the name and date give, before "-2", "-3" …
    source_id: str
    rows: list[_Row] = field(default_factory=list)


def _entities(files: tuple[Path, ...], list_id: str) -> Iterator[Entity]:
    used: dict[str, int] = {}
    current: _Listing | None = None
    for path in files:
        for row in _rows(path):
            effective = row.date("Effective_Date")
            if effective is None:
                raise ParseError(row.file, row.location, "no Effective_Date")
            base = source_id(row.get("Name"), effective)
            if current is not None and current.rows[0].file == row.file and current.base == base:
                current.rows.append(row)
                continue
            if current is not None:
                yield _entity(current, list_id)
            used[base] = used.get(base, 0) + 1
            sid = base if used[base] == 1 else f"{base}-{used[base]}"
            current = _Listing(base, sid, [row])
    if current is not None:
        yield _entity(current, list_id)


def _entity(listing: _Listing, list_id: str) -> Entity:
    rows = listing.rows
    first = rows[0]
    names: list[Name] = []
    for row in rows:
        for name in name_variants(row.get("Name")):
            if name.full not in {n.full for n in names}:
                primary = not names
                names.append(
                    Name(name.full, NameType.PRIMARY if primary else NameType.AKA, name.script)
                )
    addresses = [a for a in (_address(row) for row in rows) if a is not None]
    details: list[tuple[str, str]] = []
    for key, column, as_date in (
        ("expiration_date", "Expiration_Date", True),
        ("standard_order", "Standard_Order", False),
        ("last_update", "Last_Update", False),
        ("action", "Action", False),
        ("fr_citation", "FR_Citation", False),
    ):
        for row in rows:
            value = row.date(column) if as_date else row.get(column).strip(" ,")
            if value:
                details.append((key, value.upper() if key == "standard_order" else value))
    return Entity(
        id=entity_id(list_id, listing.source_id),
        list_id=list_id,
        reference=listing.source_id,
        kind=Kind.ORGANIZATION if looks_like_organization(first.get("Name")) else Kind.PERSON,
        names=tuple(names),
        addresses=tuple(dict.fromkeys(addresses)),
        countries=tuple(dict.fromkeys(a.country for a in addresses if a.country)),
        programs=("DPL",),
        listed_on=first.date("Effective_Date"),
        details=tuple(dict.fromkeys(details)),
    )


def name_variants(raw: str) -> list[Name]:
    """The name as listed (a.k.a. parts taken out), then its a.k.a.s, as AKA names."""
    text = " ".join(raw.split()).strip(" ,")
    akas = [m.strip(" ,") for m in _AKA_INSIDE.findall(text)]
    text = " ".join(_AKA_INSIDE.sub(" ", text).split())
    primary, *more = _AKA_SPLIT.split(text)
    bare = " ".join(_ASIDE.sub(" ", primary).split()).strip(" ,")
    variants = [primary, bare, *akas, *(m.strip(" ,") for m in more)]
    out: list[Name] = []
    for variant in variants:
        if variant and variant not in {n.full for n in out}:
            out.append(
                Name(variant, NameType.PRIMARY if not out else NameType.AKA, script_of(variant))
            )
    return out


def _address(row: _Row) -> Address | None:
    street, city, state = row.get("Street_Address"), row.get("City"), row.get("State")
    postal, country_text = row.get("Postal_Code"), row.get("Country")
    full = ", ".join(p for p in (street, city, state, postal, country_text) if p)
    if not full:
        return None
    country = to_iso(country_text)
    if not country_text and state.upper() in _US_STATES:
        country = "US"
    return Address(full, street or None, city or None, postal or None, state or None, country)
