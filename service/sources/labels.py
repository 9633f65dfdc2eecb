"""What the lists' own labels mean in the common model: identifier labels and name scripts.

Shared by the parsers so that "Passport", "Passport No." and "passport" become one
:class:`~service.model.IdType`, and a name's script is detected the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from service.model import IdType

# Checked in order: the first pattern found in the lowercased label wins.
_ID_PATTERNS: tuple[tuple[str, IdType], ...] = (
    (r"digital currency|crypto|wallet|\bxbt\b|\beth\b|\busdt\b", IdType.CRYPTO_ADDRESS),
    (r"\bimo\b|vessel registration identification", IdType.IMO),
    (r"\bmmsi\b", IdType.MMSI),
    (r"call ?sign", IdType.CALL_SIGN),
    (r"serial number|\bmsn\b", IdType.AIRCRAFT_SERIAL),
    (r"tail number|aircraft (registration|tail)", IdType.AIRCRAFT_TAIL),
    (r"swift|\bbic\b", IdType.SWIFT_BIC),
    (r"e-?mail", IdType.EMAIL),
    (r"phone|telephone|\bfax\b", IdType.PHONE),
    (r"website|\burl\b", IdType.WEBSITE),
    (r"passport", IdType.PASSPORT),
    (r"\binn\b|\btin\b|tax|\bnit\b|\bvat\b|\bkpp\b|\bruc\b|\brfc\b|\bcuit\b|\bnpwp\b", IdType.TAX_NUMBER),
    (
        r"\bogrn|registration|registered|company (number|no)|business|commercial|\bregon\b"
        r"|\bokpo\b|\bunp\b|\bdenomination\b|\bcr\b|chamber of commerce|legal entity",
        IdType.REGISTRATION_NUMBER,
    ),
    (
        r"national id|identity|identification|\bid (card|no|number)|cedula|\bdni\b|\bcurp\b"
        r"|\bssn\b|social security|personal (number|code)|\bnic\b|residency",
        IdType.NATIONAL_ID,
    ),
    # The CSL spells it with dots ("V.A.T. Number"), which \bvat\b above does not see.
    (r"\bv\.a\.t\.", IdType.TAX_NUMBER),
    # French and Spanish labels in the UN list: "Numéro de passeport", "Número de pasaporte".
    (r"passeport|pasaporte", IdType.PASSPORT),
    # OFAC: "C.R. No." (commercial registration) and China's "Unified Social Credit Code (USCC)".
    (r"\bc\.r\. no|social credit code", IdType.REGISTRATION_NUMBER),
)


@lru_cache(maxsize=1024)
def id_type(label: str) -> IdType:
    """The identifier type a list's label names; OTHER when none fits."""
    lowered = label.lower()
    for pattern, kind in _ID_PATTERNS:
        if re.search(pattern, lowered):
            return kind
    return IdType.OTHER


# Unicode character-name prefixes → ISO 15924 script codes.
_SCRIPTS = (
    ("CYRILLIC", "Cyrl"),
    ("ARABIC", "Arab"),
    ("CJK", "Hani"),
    ("HANGUL", "Hang"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("GREEK", "Grek"),
    ("HEBREW", "Hebr"),
    ("GEORGIAN", "Geor"),
    ("ARMENIAN", "Armn"),
    ("THAI", "Thai"),
    ("DEVANAGARI", "Deva"),
    ("BENGALI", "Beng"),
    ("TAMIL", "Taml"),
    ("ETHIOPIC", "Ethi"),
    ("MYANMAR", "Mymr"),
    ("KHMER", "Khmr"),
    ("SINHALA", "Sinh"),
    ("TIBETAN", "Tibt"),
    ("SYRIAC", "Syrc"),
    ("THAANA", "Thaa"),
)


def script_of(text: str) -> str | None:
    """The ISO 15924 code of the first non-Latin script in ``text``; None for Latin text."""
    for char in text:
        if ord(char) < 0x250 or not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for prefix, code in _SCRIPTS:
            if name.startswith(prefix):
                return code
    return None
