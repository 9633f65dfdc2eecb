"""Structured facts from the free-text Remarks of OFAC's legacy CSV lists.

The legacy CSV keeps almost everything beyond the name and programs in one Remarks cell:
"DOB 28 Jul 1963; POB Toledo District, Belize; Passport P0017003 (Belize); a.k.a. 'X'.".
Segments are separated by "; " (values never contain that sequence in the real lists; a bare
";" does occur inside a few values, so the split is on semicolon *and* space). Each segment
is "<label> <value>", optionally prefixed by "alt." for a second value of the same kind.

:func:`parse_remarks` is pure: text in, a small frozen :class:`RemarkFacts` out. Segments it
does not understand are returned in ``unrecognised`` (the full text stays in the entity's
remarks, so nothing is lost).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from service.countries import to_iso
from service.model import BirthDate, Identifier, IdType, Name, NameType
from service.sources.labels import id_type, script_of
from service.sources.text import MONTHS

__all__ = ["RemarkFacts", "parse_birth_date", "parse_remarks", "split_segments"]


@dataclass(frozen=True)
class RemarkFacts:
    birth_dates: tuple[BirthDate, ...] = ()
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()  # ISO alpha-2
    citizenships: tuple[str, ...] = ()  # ISO alpha-2
    registration_countries: tuple[str, ...] = ()  # "Nationality of Registration", ISO alpha-2
    identifiers: tuple[Identifier, ...] = ()
    names: tuple[Name, ...] = ()  # the weak a.k.a./f.k.a./n.k.a. quoted in the remarks
    linked_to: tuple[str, ...] = ()  # target names of "Linked To:", as printed
    details: tuple[tuple[str, str], ...] = ()
    segments: int = 0
    unrecognised: tuple[str, ...] = ()


@dataclass
class _Facts:
    """The mutable collector behind one :func:`parse_remarks` call."""

    birth_dates: list[BirthDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    registration_countries: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    names: list[Name] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})")
_MONTH_YEAR = re.compile(r"([A-Za-z]{3})[a-z]* (\d{4})")
_YEAR = re.compile(r"\d{4}")


def _iso_date(text: str) -> str | None:
    text = text.strip()
    if m := _DAY_MONTH_YEAR.fullmatch(text):
        month = MONTHS.get(m[2].lower())
        if month is None:
            return None
        try:
            return dt.date(int(m[3]), month, int(m[1])).isoformat()
        except ValueError:
            return None
    if m := _MONTH_YEAR.fullmatch(text):
        month = MONTHS.get(m[1].lower())
        return f"{m[2]}-{month:02d}" if month else None
    if _YEAR.fullmatch(text):
        return text
    return None


def parse_birth_date(text: str) -> BirthDate | None:
    """ "28 Jul 1963", "Jul 1963", "1963", "1960 to 1965", "circa 1960", "circa 1979-1982".

    "circa" has no place in the model: the year stays, the remarks keep the wording.
    """
    text = re.sub(r"^circa\s+", "", text.strip())
    parts = re.split(r"\s+to\s+", text)
    if len(parts) == 1 and re.fullmatch(r"\d{4}\s*-\s*\d{4}", text):
        parts = text.split("-")
    if len(parts) > 2:
        return None
    dates = [_iso_date(part) for part in parts]
    if any(d is None for d in dates):
        return None
    return BirthDate(dates[0], dates[1] if len(dates) == 2 else None)  # type: ignore[arg-type]


# Identifier labels as OFAC prints them, matched longest first ("Passport Booklet" before
# "Passport"). Their type is labels.id_type(label) unless _ID_TYPES says otherwise.
# fmt: off
_ID_NAMES = (
    "Passport", "Diplomatic Passport", "Passport Booklet", "Passport Booklet:", "Passport No.:",
    "British National Overseas Passport", "Stateless Person Passport", "Stateless Person ID Card",
    "Refugee ID Card", "National ID No.", "National ID No.:", "National Foreign ID Number",
    "Personal ID Card", "Identification Number", "Cedula No.", "SSN", "Kenyan ID No.",
    "Tazkira National ID Card", "Turkish Identification Number", "Bosnian Personal ID No.",
    "Moroccan Personal ID No.", "UAE Identification", "Residency Number",
    "Tax ID No.", "RFC", "NIT #", "RUC #", "V.A.T. Number", "Romanian Tax Registration",
    "Paraguayan tax identification number", "Registration Number", "Registration ID",
    "Business Registration Number", "Business Registration Document #", "Business Number",
    "Company Number", "UK Company Number", "Commercial Registry Number", "Chamber of Commerce Number",
    "Dubai Chamber of Commerce Membership No.", "Central Registration System Number",
    "Registered Charity No.", "Public Registration Number", "MSB Registration Number",
    "Registration Certificate Number (Dubai)",
    "Russian State Individual Business Registration Number Pattern (OGRNIP)", "SWIFT/BIC",
    "Aircraft Manufacturer's Serial Number (MSN)", "Aircraft Tail Number",
    "Vessel Registration Identification", "MMSI",
)
_ID_TYPES: dict[str, IdType] = {
    **dict.fromkeys((
        "C.U.R.P.", "C.U.R.P. #", "C.U.I.", "C.U.I.P.", "D.N.I.", "N.I.E.", "I.F.E.",
        "Credencial electoral", "Electoral Registry No.", "Driver's License No.",
        "Birth Certificate Number", "Seafarer's Identification Document", "Numero de Identidad",
        "Citizen's Card Number", "CNP (Personal Numerical Code)", "Romanian Permanent Resident",
    ), IdType.NATIONAL_ID),
    **dict.fromkeys((
        "R.F.C.", "R.F.C. #", "RIF #", "RTN", "C.U.I.T.", "C.I.F.", "N.I.F.", "US FEIN", "Fiscal Code",
        "Italian Fiscal Code", "Italian Fiscal Code:", "RSIN",
        "Numero Unico de Identificacao Tributaria (NUIT)",
    ), IdType.TAX_NUMBER),
    **dict.fromkeys((
        "Folio Mercantil No.", "Matricula Mercantil No", "C.R. No.", "Romanian C.R.", "Trade License No.",
        "Tourism License No.", "License", "Permit Number", "Afghan Money Service Provider License Number",
        "Government Gazette Number", "Unified Social Credit Code (USCC)",
        "United Social Credit Code Certificate (USCCC)", "Organization Code", "Enterprise Number",
        "Branch Unit Number", "Legal Entity Number", "LE Number", "C.I.N.", "D-U-N-S Number",
        "Certificate of Incorporation Number", "Economic Register Number (CBLS)",
        "Istanbul Chamber of Comm. No.",
    ), IdType.REGISTRATION_NUMBER),
    **dict.fromkeys((
        "ISIN", "Aircraft Mode S Transponder Code", "File Number", "Serial No.", "VisaNumberID",
        "Pilot License Number", "Tarjeta Profesional", "Immigration No.",
        "Public Security and Immigration No.", "SRE Permit No.", "Military Registration Number",
        "Cartilla de Servicio Militar Nacional",
    ), IdType.OTHER),
    "Travel Document Number": IdType.PASSPORT,
    "BIK (RU)": IdType.SWIFT_BIC,
    "Aircraft Construction Number (also called L/N or S/N or F/N)": IdType.AIRCRAFT_SERIAL,
    "Aircraft Serial Identification": IdType.AIRCRAFT_SERIAL,
    "Previous Aircraft Tail Number": IdType.AIRCRAFT_TAIL,
    "International Maritime Organization No.": IdType.IMO,
    "Other Vessel Call Sign": IdType.CALL_SIGN,
}
_ID_LABELS: dict[str, IdType | None] = {**dict.fromkeys(_ID_NAMES), **_ID_TYPES}

# Contact details: their values carry parentheses and spaces of their own ("(98)(21)(6615)").
_CONTACT_LABELS: dict[str, IdType] = {
    **dict.fromkeys(("Email Address", "Email", "Email:"), IdType.EMAIL),
    "Website": IdType.WEBSITE,
    **dict.fromkeys((
        "Telephone", "Telephone:", "Telephone No.", "Telephone Number:", "Phone Number", "Phone No.",
        "PHONE", "Fax", "Fax:", "Fax No.", "FAX", "TELEX",
    ), IdType.PHONE),
}
# fmt: on

# Facts that are not identifiers → detail keys. The value is the rest of the segment.
_DETAIL_LABELS: dict[str, str] = {
    "Gender": "gender",
    "Position:": "position",
    "Alternate Title:": "title",
    "Alternate Title,": "title",
    "Title:": "title",
    "Organization Established Date": "organization_established_date",
    "Organization Type:": "organization_type",
    "Target Type": "target_type",
    "Aircraft Model": "aircraft_model",
    "Aircraft Operator": "aircraft_operator",
    "Aircraft Manufacture Date": "aircraft_manufacture_date",
    "Vessel Year of Build": "vessel_year_of_build",
    "Former Vessel Flag": "former_vessel_flag",
    "Other Vessel Flag": "other_vessel_flag",
    "Other Vessel Type": "other_vessel_type",
    "Additional Sanctions Information -": "additional_sanctions_information",
    "Secondary sanctions risk:": "secondary_sanctions_risk",
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:": (
        "transactions_prohibited"
    ),
    "CAATSA Section 235 Information:": "caatsa_section_235",
    "IFCA Determination -": "ifca_determination",
    "Issuer Name": "issuer_name",
    "Equity Ticker": "equity_ticker",
    "Chinese Commercial Code": "chinese_commercial_code",
}

# Whole-segment patterns → detail key; the value is the whole segment.
_DETAIL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Executive Order \d+ (Directive (Determination|Information)|information)\b.*"), "directive"),
    (re.compile(r"Listing Date \([^)]*\):? .*"), "listing_date"),
    (re.compile(r"Effective Date \([^)]*\):? .*"), "effective_date"),
    (re.compile(r"Purchase/Sales For Divestment Date \([^)]*\):? .*"), "divestment_date"),
)
# Which offices of a bank or company the listing covers ("All offices worldwide").
_SCOPE = re.compile(r"(and )?all (other )?(offices|branches|locations)\b.*", re.IGNORECASE)
# Boilerplate pointing at treasury.gov: understood, nothing to extract.
_BOILERPLATE = re.compile(r"(For|for) more information\b.*")

_ALT = re.compile(r"^(alt\.|Alt\.)\s+")
_QUOTED_NAME = re.compile(r"(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(.+)'")
_TRAILING_NOTE = re.compile(r"\s+(issued|expires|expired|expiring)\b.*$")
_IMO_VALUE = re.compile(r"IMO\s+(\d{7})")
_DIGITAL_CURRENCY = re.compile(r"Digital Currency Address - (\S+)\s+(\S+)")
_GENERIC_ID = re.compile(r"([A-Z][A-Za-z.'/#& -]{1,60}?):?\s+(\S*\d[^()]*?(\s+\([^()]+\))+)")


def split_segments(text: str) -> list[str]:
    """The "; "-separated segments, without the closing period of the whole text."""
    text = text.strip().removesuffix(".")
    return [seg.strip() for seg in text.split("; ") if seg.strip()]


def _peel_value(raw: str, peel: bool) -> tuple[str, str | None, list[str]]:
    """``raw`` split into the value, the issuing country and other qualifiers in parentheses.

    "P0017003 (Belize) issued 2010" → ("P0017003", "BZ", []); "0582030 (Connecticut) (United
    States)" → ("0582030", "US", ["Connecticut"]). A group glued to the value ("D489833(9)")
    is part of it; a group without letters ("(3248000)") is too.
    """
    value = _TRAILING_NOTE.sub("", raw).strip()
    country: str | None = None
    qualifiers: list[str] = []
    while peel and value.endswith(")"):
        start = value.rfind(" (")
        if start < 0:
            break
        group = value[start + 2 : -1]
        if "(" in group or not re.search(r"[A-Za-z]", group):
            break
        # "(Cabo Verde.  Previously Cape Verde.)": the first sentence names the country.
        iso = to_iso(group.split(".")[0]) if country is None else None
        if iso is not None:
            country = iso
        else:
            qualifiers.insert(0, group)
        value = value[:start].rstrip()
    if not value and qualifiers:
        value = qualifiers.pop()
    return value, country, qualifiers


def _identifier(label: str, raw: str, forced: IdType | None, peel: bool = True) -> Identifier | None:
    value, country, qualifiers = _peel_value(raw, peel)
    if not value:
        return None
    kind = forced
    if m := _IMO_VALUE.fullmatch(value):
        value, kind = m[1], IdType.IMO
    elif label == "Vessel Registration Identification":
        kind = IdType.IMO if re.fullmatch(r"\d{7}", value) else IdType.REGISTRATION_NUMBER
    shown = label.rstrip(":,")
    if qualifiers:
        shown += "".join(f" ({q})" for q in qualifiers)
    return Identifier(kind or id_type(shown), value, country, shown)


def _label_pattern(labels: object) -> re.Pattern[str]:
    """One regex for a label table: the longest label that starts ``body`` as a whole word
    (or ends in punctuation), then the rest."""
    ordered = sorted(labels, key=len, reverse=True)  # type: ignore[call-overload]
    alternation = "|".join(re.escape(label) for label in ordered)
    return re.compile(rf"(?P<label>{alternation})(?:\s+|(?<=[:,#-])|$)(?P<rest>.*)", re.DOTALL)


_ID_PATTERN = _label_pattern(_ID_LABELS)
_CONTACT_PATTERN = _label_pattern(_CONTACT_LABELS)
_DETAIL_PATTERN = _label_pattern(_DETAIL_LABELS)


def _after(body: str, label: str) -> str | None:
    """The text after ``label`` when ``body`` starts with it as a whole word."""
    if not body.startswith(label):
        return None
    rest = body[len(label) :]
    if rest and not (rest[0] == " " or label[-1] in ":,-#"):
        return None
    return rest.strip()


def _person_fact(body: str, facts: _Facts) -> bool:
    if (rest := _after(body, "DOB")) is not None:
        date = parse_birth_date(rest)
        if date is None:
            return False
        facts.birth_dates.append(date)
        return True
    if (rest := _after(body, "POB")) is not None:
        if not rest:
            return False
        facts.birth_places.append(rest)
        return True
    for label, target in (
        ("Nationality of Registration", facts.registration_countries),
        ("nationality:", facts.nationalities),
        ("nationality", facts.nationalities),
        ("citizen", facts.citizenships),
    ):
        if (rest := _after(body, label)) is not None:
            iso = to_iso(rest)
            if iso is None:
                return False
            target.append(iso)
            return True
    if m := _QUOTED_NAME.fullmatch(body):
        facts.names.append(Name(m[2], NameType.WEAK_AKA, script_of(m[2])))
        return True
    if (rest := _after(body, "Linked To:")) is not None and rest:
        facts.linked_to.append(rest)
        return True
    return False


def _identifier_fact(body: str, facts: _Facts) -> bool:
    if m := _DIGITAL_CURRENCY.fullmatch(body):
        label = f"Digital Currency Address - {m[1]}"
        facts.identifiers.append(Identifier(IdType.CRYPTO_ADDRESS, m[2], None, label))
        return True
    if (m := _CONTACT_PATTERN.fullmatch(body)) and m["rest"].strip():
        label = m["label"]
        facts.identifiers.append(
            Identifier(_CONTACT_LABELS[label], m["rest"].strip(), None, label.rstrip(":"))
        )
        return True
    if m := _ID_PATTERN.fullmatch(body):
        found = _identifier(m["label"], m["rest"], _ID_LABELS[m["label"]])
        if found is None:
            return False
        facts.identifiers.append(found)
        return True
    # A label outside the vocabulary, recognisable by its shape: "<words> <value> (<Country>)".
    m = _GENERIC_ID.fullmatch(_TRAILING_NOTE.sub("", body))
    if m and len(m[1].split()) <= 6:
        found = _identifier(m[1], m[2], None)
        if found is not None and found.country is not None:
            facts.identifiers.append(found)
            return True
    return False


def _detail_fact(body: str, facts: _Facts) -> bool:
    if (m := _DETAIL_PATTERN.fullmatch(body)) and m["rest"].strip():
        facts.details.append((_DETAIL_LABELS[m["label"]], m["rest"].strip()))
        return True
    for pattern, key in _DETAIL_PATTERNS:
        if pattern.fullmatch(body):
            facts.details.append((key, body))
            return True
    if _SCOPE.fullmatch(body):
        facts.details.append(("scope", body))
        return True
    return _BOILERPLATE.fullmatch(body) is not None


_HANDLERS: tuple[Callable[[str, _Facts], bool], ...] = (_person_fact, _identifier_fact, _detail_fact)


def parse_remarks(text: str | None, titles: Collection[str] = ()) -> RemarkFacts:
    """The facts in one entry's Remarks. ``titles`` are the entry's titles (its Title
    column): OFAC repeats them among the remarks, where they are recognised, not unknown."""
    if not text:
        return RemarkFacts()
    facts = _Facts()
    unrecognised: list[str] = []
    segments = split_segments(text)
    known_titles = {t.strip().rstrip(".") for t in titles}
    for segment in segments:
        if segment.rstrip(".") in known_titles:
            continue
        body = _ALT.sub("", segment)
        if not any(handler(body, facts) for handler in _HANDLERS):
            unrecognised.append(segment)
    return RemarkFacts(
        birth_dates=tuple(dict.fromkeys(facts.birth_dates)),
        birth_places=tuple(dict.fromkeys(facts.birth_places)),
        nationalities=tuple(dict.fromkeys(facts.nationalities)),
        citizenships=tuple(dict.fromkeys(facts.citizenships)),
        registration_countries=tuple(dict.fromkeys(facts.registration_countries)),
        identifiers=tuple(dict.fromkeys(facts.identifiers)),
        names=tuple(dict.fromkeys(facts.names)),
        linked_to=tuple(dict.fromkeys(facts.linked_to)),
        details=tuple(dict.fromkeys(facts.details)),
        segments=len(segments),
        unrecognised=tuple(unrecognised),
    )
