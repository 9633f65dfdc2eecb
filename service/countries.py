"""Country names and codes as the lists print them → ISO 3166-1 alpha-2.

pycountry holds the ISO names; the lists also use their own spellings ("Korea, North",
"Burma", "Russia"), nationality adjectives ("Russian", "Iranian") and territories that ISO
does not code (Kosovo → XK, as the EU and OFAC use it). Those are listed here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

_ALIASES = {
    "russia": "RU",
    "russian": "RU",
    "korea north": "KP",
    "north korea": "KP",
    "dprk": "KP",
    "korea dprk": "KP",
    "korea democratic peoples republic of": "KP",
    "korea south": "KR",
    "south korea": "KR",
    "korea republic of": "KR",
    "burma": "MM",
    "turkey": "TR",
    "turkiye": "TR",
    "uae": "AE",
    "emirati": "AE",
    "congo democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "drc": "CD",
    "congo republic of the": "CG",
    "republic of the congo": "CG",
    "kosovo": "XK",
    "palestinian": "PS",
    "palestinian territories": "PS",
    "palestinian territory": "PS",
    "palestine": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "region gaza": "PS",
    "region west bank": "PS",
    "cote divoire": "CI",
    "ivory coast": "CI",
    "macau": "MO",
    "macao": "MO",
    "iran islamic republic of": "IR",
    "iranian": "IR",
    "syrian": "SY",
    "iraqi": "IQ",
    "afghan": "AF",
    "pakistani": "PK",
    "yemeni": "YE",
    "saudi": "SA",
    "saudi arabian": "SA",
    "libyan": "LY",
    "sudanese": "SD",
    "somali": "SO",
    "lebanese": "LB",
    "egyptian": "EG",
    "jordanian": "JO",
    "kuwaiti": "KW",
    "qatari": "QA",
    "bahraini": "BH",
    "omani": "OM",
    "algerian": "DZ",
    "tunisian": "TN",
    "moroccan": "MA",
    "malian": "ML",
    "nigerian": "NG",
    "chinese": "CN",
    "belarusian": "BY",
    "ukrainian": "UA",
    "venezuelan": "VE",
    "cuban": "CU",
    "colombian": "CO",
    "mexican": "MX",
    "british": "GB",
    "uk": "GB",
    "great britain": "GB",
    "american": "US",
    "usa": "US",
    "united states of america": "US",
    "german": "DE",
    "french": "FR",
    "turkish": "TR",
    "indonesian": "ID",
    "filipino": "PH",
    "philippine": "PH",
    "bosnia herzegovina": "BA",
    "bosnia": "BA",
    "the netherlands": "NL",
    "holland": "NL",
    "vatican": "VA",
    "holy see": "VA",
    "laos": "LA",
    "syria": "SY",
    "moldova": "MD",
    "czechia": "CZ",
    "swaziland": "SZ",
    "east timor": "TL",
    "cape verde": "CV",
    "micronesia": "FM",
    "st kitts and nevis": "KN",
    "st lucia": "LC",
    "st vincent and the grenadines": "VC",
    "macedonia": "MK",
    "north macedonia": "MK",
    "serbia and montenegro": "RS",
    "yugoslavia": "RS",
    "tanzania": "TZ",
    "brunei": "BN",
    "bolivia": "BO",
    "venezuela": "VE",
    "vietnam": "VN",
    "crimea": "UA",
    "region crimea": "UA",
    "prc": "CN",  # BIS Denied Persons List, Country column
    # UN consolidated list spellings
    "state of palestine": "PS",
    "china hong kong special administrative region": "HK",
    "china macao special administrative region": "MO",
    # EU legacy XML country codes: ISO alpha-3 and the withdrawn YUG (Yugoslavia)
    "yug": "RS",
    # OFAC legacy CSV spellings (addresses, vessel flags, remarks)
    "cote d ivoire": "CI",
    "bahamas the": "BS",
    "man isle of": "IM",
    "north macedonia the republic of": "MK",
    "macedonia the former yugoslav republic of": "MK",
    "st kitts nevis": "KN",
    "eritrean": "ER",
    "region northern mali": "ML",
    # UK ConList spellings (Country, Nationality, document notes)
    "congo democratic republic": "CD",
    "occupied palestinian territories": "PS",
    "guinea bissau": "GW",
    "democratic peoples republic of korea": "KP",
    "north korean": "KP",
    "libyan arab jamahiriya": "LY",
    "britain": "GB",
    "moldovan": "MD",
    "indian": "IN",
    "rwandan": "RW",
    "swedish": "SE",
    "ugandan": "UG",
    "mauritanian": "MR",
    "uzbek": "UZ",
    "georgian": "GE",
    "burundian": "BI",
    "australian": "AU",
    "malaysian": "MY",
    "norwegian": "NO",
    "senegalese": "SN",
    "canadian": "CA",
    "qatarian": "QA",
}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text.replace("'", "").replace("’", ""))
    return text.strip()


@lru_cache(maxsize=4096)
def to_iso(text: str | None) -> str | None:
    """The alpha-2 code for a country name, nationality or code; None when unknown."""
    if not text:
        return None
    raw = text.strip()
    if len(raw) == 2 and raw.isalpha():
        code = raw.upper()
        if code == "XK" or pycountry.countries.get(alpha_2=code):
            return code
        return _ALIASES.get(raw.lower())  # "UK" is no ISO code but means GB
    if len(raw) == 3 and raw.isalpha() and raw.isupper():
        found = pycountry.countries.get(alpha_3=raw)
        if found:
            return found.alpha_2
    key = _key(raw)
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return pycountry.countries.lookup(raw).alpha_2
    except LookupError:
        pass
    for candidate in (key, key.removeprefix("the ")):
        try:
            return pycountry.countries.lookup(candidate).alpha_2
        except LookupError:
            continue
    return None


# Territories that lists and counterparties name either by themselves or by the state they
# belong to: OFAC writes a Hong Kong address "Hong Kong, China", a customer file says HK.
# For screening, a counterparty in the territory is in that state, and one said to be in
# the state may be in the territory. Only pairs where the state's name is commonly written
# for the territory are here; disputed or self-governing places are not (Taiwan, Kosovo,
# Western Sahara, Palestine), nor freely associated states (Cook Islands, Niue).
PARENT = {
    # China: the two special administrative regions.
    "HK": "CN", "MO": "CN",
    # United States: territories and minor outlying islands.
    "PR": "US", "GU": "US", "VI": "US", "AS": "US", "MP": "US", "UM": "US",
    # France: overseas departments and collectivities.
    "GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "PM": "FR", "BL": "FR", "MF": "FR",
    "NC": "FR", "PF": "FR", "WF": "FR", "TF": "FR",
    # Netherlands: the Caribbean countries and the special municipalities.
    "AW": "NL", "CW": "NL", "SX": "NL", "BQ": "NL",
    # Denmark, Finland, Norway.
    "GL": "DK", "FO": "DK", "AX": "FI", "SJ": "NO", "BV": "NO",
    # United Kingdom: Crown Dependencies and overseas territories.
    "IM": "GB", "JE": "GB", "GG": "GB", "GI": "GB", "BM": "GB", "KY": "GB", "VG": "GB", "TC": "GB",
    "AI": "GB", "MS": "GB", "FK": "GB", "SH": "GB", "PN": "GB", "IO": "GB", "GS": "GB",
    # Australia and New Zealand: external territories.
    "CX": "AU", "CC": "AU", "NF": "AU", "HM": "AU", "TK": "NZ",
}  # fmt: skip


def same_place(a: str, b: str) -> bool:
    """Whether alpha-2 codes ``a`` and ``b`` can name where one party is: equal, or a
    territory and the state it belongs to (HK and CN). Two territories of one state are not."""
    return a == b or PARENT.get(a) == b or PARENT.get(b) == a


def placed_in(country: str, listed: frozenset[str] | set[str]) -> str | None:
    """The listed code that ``country`` is in, or that is in it (``same_place``); None when none.
    An exact match is preferred."""
    if country in listed:
        return country
    return next((code for code in sorted(listed) if same_place(country, code)), None)


def placed_detail(country: str, place: str) -> str:
    """The words explaining that ``country`` agrees with the listed ``place`` (``placed_in``)."""
    if country == place:
        return f"{country} is among the listed countries"
    if PARENT.get(country) == place:
        return f"{country} is part of {place}, a listed country"
    return f"{country} includes {place}, a listed place"
