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
