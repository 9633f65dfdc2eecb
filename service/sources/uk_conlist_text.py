"""Reading the text of UK ConList cells: numbered values, dates, countries, documents.

The ConList packs several values into one cell and numbers them ("(1) Mullah (2) Maulavi",
"1) Saudi Arabia 2) Qatar", "(1) to (6) Algeria (7) Morocco"); dates are "dd/mm/yyyy" with
"00" for an unknown day or month; and since 2022 ``Other Information`` is a chain of
``(Key):value`` segments that carries contact details, registration numbers, parent
companies and every vessel fact. :mod:`service.sources.uk_conlist` uses these helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from service.countries import to_iso
from service.model import BirthDate, Identifier, IdType
from service.sources.labels import id_type
from service.sources.text import day_first

__all__ = [
    "Info",
    "birth_date",
    "clean",
    "countries",
    "document_country",
    "documents_in",
    "enumerated",
    "items",
    "numbers_in",
    "parse_info",
]


def clean(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=8192)
def birth_date(text: str) -> BirthDate | None:
    """ "28/06/1960", "00/00/1953" (year only), "00/06/1960" or "06/1960" (month), "1951"."""
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        day, month, year = int(m[1]), int(m[2]), m[3]
        if month == 0:
            return BirthDate(year) if day == 0 else None
        if not 1 <= month <= 12:
            return None
        if day == 0:
            return BirthDate(f"{year}-{month:02d}")
        found = day_first(text)
        return BirthDate(found.isoformat()) if found else None
    if m := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
        return BirthDate(f"{m[2]}-{int(m[1]):02d}") if 1 <= int(m[1]) <= 12 else None
    if re.fullmatch(r"\d{4}", text):
        return BirthDate(text)
    return None


# "(1) … (2) …", "1) … 2) …", "a) … b) …", with ranges "(1) to (6) …" and "(1-3) …".
_MARKER = re.compile(
    r"\(\s*(?P<n>\d{1,2})\s*\)(?:\s*to\s*\(\s*(?P<to>\d{1,2})\s*\))?"
    r"|\(\s*(?P<rn>\d{1,2})\s*[-–]\s*(?P<rto>\d{1,2})\s*\)"
    r"|(?<![\w(])(?P<bn>\d{1,2})\)"
    r"|(?<!\w)\(?(?P<letter>[a-hA-H])\)"
)


def enumerated(text: str) -> list[str]:
    """The numbered values of a cell, one per number ("" for a "-" placeholder).

    A marker counts only in sequence from the very start, so "+375 (17) 213-41-63" or
    "Tehran (HESA Tehran Office)" stay whole.
    """
    text = text.strip()
    cuts: list[tuple[int, int, int]] = []  # (start, end, how many numbers it covers)
    following = 1
    letters: bool | None = None
    for m in _MARKER.finditer(text):
        if m["letter"]:
            first = last = ord(m["letter"].lower()) - ord("a") + 1
            is_letter = True
        else:
            first = int(m["n"] or m["rn"] or m["bn"])
            last = int(m["to"] or m["rto"] or first)
            is_letter = False
        if (
            first != following
            or last < first
            or (letters is not None and letters != is_letter)
        ):
            continue
        if not cuts and m.start() != 0:
            break
        letters = is_letter
        cuts.append((m.start(), m.end(), last - first + 1))
        following = last + 1
    if not cuts:
        value = text.strip(" .,;:")
        return [] if value in ("", "-") else [value]
    values: list[str] = []
    for i, (_, end, count) in enumerate(cuts):
        stop = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
        value = clean(text[end:stop]).strip(" .,;:")
        values.extend([("" if value == "-" else value)] * count)
    return values


def items(text: str) -> list[str]:
    return [v for v in enumerated(text) if v]


def countries(text: str) -> list[str]:
    """ISO codes named by one value: "Russia", "Iraq (previous address)", "Estonia, Russia"."""
    bare = clean(re.sub(r"\([^)]*\)", " ", text))
    for candidate in (text, bare):
        code = to_iso(candidate.strip(" .,;"))
        if code:
            return [code]
    pieces = [p.strip() for p in re.split(r"[.,;/]| and ", bare) if p.strip()]
    codes = [to_iso(p) for p in pieces]
    if len(pieces) > 1 and all(codes):
        return [c for c in codes if c]
    return []


def document_country(text: str) -> str | None:
    """The issuing country a document note starts with or names in brackets.

    "India number, issued …", "Russian foreign travel passport number", "Kazakhstan BIN",
    "G827238 (Tunisian). Issued …".
    """
    lead = re.match(
        r"\(?\s*([A-Za-z][A-Za-z' -]*?)(?=\s+(?:number|passport|national|diplomatic|civil"
        r"|identity|id|no|service)\b|\s*[.,;:()]|$)",
        text,
        re.IGNORECASE,
    )
    if lead:
        # "Syrian Arab Republic number", else the first word alone: "Kazakhstan BIN"
        for word in dict.fromkeys(
            (lead[1].strip(), lead[1].split()[0] if lead[1].split() else "")
        ):
            if len(word) >= 4 or (len(word) == 3 and word.isupper()):
                code = to_iso(word)
                if code:
                    return code
    for inner in re.findall(r"\(([^()]{4,60})\)", text):
        for candidate in (inner.strip(), inner.split()[0]):
            code = to_iso(candidate) if len(candidate) >= 4 else None
            if code:
                return code
    return None


_YEAR = re.compile(r"(19|20)\d\d")
_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}")


def numbers_in(text: str) -> list[tuple[str, str, int]]:
    """(the words before it, the number, where it ends) for each document number in ``text``.

    A number is a token with a digit in it, at least 4 long, that is neither a year nor a date.
    """
    found: list[tuple[str, str, int]] = []
    since = 0
    for m in re.finditer(r"[A-Za-z0-9][A-Za-z0-9./-]*", text):
        token = m[0].rstrip("./-")
        if len(token) < 4 or not any(c.isdigit() for c in token):
            continue
        if _YEAR.fullmatch(token) or _DATE.fullmatch(token):
            continue
        # a bracket right after the previous number is that number's ("… (Russia). Tax ID")
        before = (
            re.sub(r"^\s*\([^)]*\)", "", text[since : m.start()])
            if found
            else text[: m.start()]
        )
        words = clean(before).strip(" -–:,.;()")
        found.append((words, token, m.start() + len(token)))
        since = m.end()
    return found


def documents_in(
    text: str, default: IdType, label: str | None = None, *, first_only: bool = False
) -> list[Identifier]:
    """Identifiers for the numbers in a free-text note, typed by the words before each.

    "Registration numbers OGRN 1023901012189 TIN 3906036812" gives an OGRN and a TIN, each
    labelled by its own words (else ``label``); with ``label`` None a note holding one
    number keeps its whole text as the label ("Passport No: 592667 (Qatari passport …)").
    """
    found = numbers_in(text)
    if first_only:
        found = found[:1]
    out: list[Identifier] = []
    for words, value, end in found:
        kind = (
            default if default is IdType.PASSPORT else id_type(words or label or text)
        )
        if kind is IdType.OTHER:
            kind = default
        if label is None and len(found) == 1:
            own = text
            country = document_country(text)
        else:
            own = words or label or text
            country = document_country(words) or document_country(text[end:])
        out.append(Identifier(kind, value, country, own))
    return out


# ---------------------------------------------------------------------- Other Information

_ASSET_OF = re.compile(
    r"Listed as asset of\s+(?P<name>.+?)[\s,(–-]*OFSI ID:?\s*(?P<id>\d+)", re.IGNORECASE
)
_FREE_IMO = re.compile(r"\bIMO(?: number)?:\s*(\d{7})\b", re.IGNORECASE)
_FREE_MMSI = re.compile(r"\bMMSI:\s*(\d{9})\b", re.IGNORECASE)
_FREE_UN_REF = re.compile(
    r"\bUN Ref\b[.:\s]*([A-Za-z]{2,3}\.(?:[A-Z]\.)?\d{1,4}(?:\.\d{2})?)", re.IGNORECASE
)

# Segment keys of the 2022+ layout and what each becomes; anything else stays narrative.
_DETAIL_KEYS = {
    "Gender": "gender",
    "Type of entity": "organization_type",
    "Subsidiaries": "subsidiaries",
    "Current owners": "vessel_owner",
    "Flag of ship": "vessel_flag",
    "Previous flags": "former_vessel_flag",
    "Type of ship": "vessel_type",
    "Tonnage of ship": "tonnage",
    "Length of ship": "vessel_length",
    "Year built": "vessel_year_of_build",
}
_CONTACT_KEYS = {
    "Phone number": IdType.PHONE,
    "Tel": IdType.PHONE,
    "Fax": IdType.PHONE,
    "Email address": IdType.EMAIL,
    "Website": IdType.WEBSITE,
}
_REF_KEYS = {
    "UK Sanctions List Ref": (
        "uk_sanctions_list_ref",
        re.compile(r"([A-Za-z]{2,4}\.?\d{3,5})\b\.?"),
    ),
    "UN Ref": ("un_reference", re.compile(r"([A-Za-z]{2,3}\.\d{1,4})\b\.?")),
}
_OTHER_KEYS = (
    "UK Statement of Reasons",
    "Business Reg No",
    "Parent company",
    "IMO number",
)
_SEGMENT = re.compile(
    r"\(("
    + "|".join(
        re.escape(k) for k in (*_DETAIL_KEYS, *_CONTACT_KEYS, *_REF_KEYS, *_OTHER_KEYS)
    )
    + r")\)\s*:"
)


@dataclass
class Info:
    """What one ``Other Information`` text says, sorted into the model's fields."""

    details: list[tuple[str, str]] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    # (owner's name, its Group ID when the text gives one as "OFSI ID", the list's wording)
    owners: list[tuple[str, str | None, str]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # a vessel's flag
    narrative: list[str] = field(default_factory=list)  # statements of reasons, notes


def parse_info(text: str) -> Info:
    """Split "(Key):value" segments into facts; a 2018 free text only yields IMO/MMSI/UN refs."""
    info = Info()
    text = clean(text)
    segments = list(_SEGMENT.finditer(text))
    if not segments or segments[0].start() > 0:
        lead = text[: segments[0].start() if segments else len(text)].strip()
        if lead:
            info.narrative.append(lead)
    for i, seg in enumerate(segments):
        key = seg[1]
        stop = segments[i + 1].start() if i + 1 < len(segments) else len(text)
        value = text[seg.end() : stop].strip()
        if not value:
            continue
        if key in _REF_KEYS:
            detail, pattern = _REF_KEYS[key]
            ref = pattern.match(value)
            if ref:
                info.details.append((detail, ref[1]))
                value = value[ref.end() :].strip()
            if value:
                info.narrative.append(value)
        elif key in _DETAIL_KEYS:
            info.details.append(
                (_DETAIL_KEYS[key], value.capitalize() if key == "Gender" else value)
            )
            if key == "Flag of ship":
                info.countries.extend(countries(value))
        elif key in _CONTACT_KEYS:
            info.identifiers.extend(
                Identifier(_CONTACT_KEYS[key], v, None, key) for v in items(value)
            )
        elif key == "Business Reg No":
            for part in items(value):
                found = documents_in(part, IdType.REGISTRATION_NUMBER, key)
                info.identifiers.extend(found)
                if not found:
                    info.details.append(("registration_note", part))
        elif key == "Parent company":
            info.owners.extend((name, None, "Parent company") for name in items(value))
        elif key == "IMO number":
            info.identifiers.append(
                Identifier(IdType.IMO, value.rstrip("."), None, "IMO number")
            )
        else:
            info.narrative.append(value)
    for m in _ASSET_OF.finditer(text):
        info.owners.append((m["name"].strip(" ,(-–"), m["id"], "Listed as asset of"))
    if not any(i.type is IdType.IMO for i in info.identifiers):
        for number in _FREE_IMO.findall(text):
            info.identifiers.append(Identifier(IdType.IMO, number, None, "IMO"))
        for number in _FREE_MMSI.findall(text):
            info.identifiers.append(Identifier(IdType.MMSI, number, None, "MMSI"))
    if not segments:
        info.details.extend(("un_reference", ref) for ref in _FREE_UN_REF.findall(text))
    return info
