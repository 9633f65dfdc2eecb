"""Counterparty text cleaned at the edge, before it is matched, recorded or shown.

Characters can make a name look like another one while saying something else: a
right-to-left override displays ``"\\u202eniteP rimidalV"`` as "Vladimir Petin"; a
zero-width space or a variation selector splits a word that looks whole; an ANSI escape
recolours or rewrites a terminal line; emoji pad a name. Each piece of counterparty text
that comes in (the JSON API's strings, the bulk reader's cells) passes through
:func:`clean` once: an override is resolved to the order a reader sees, the other
characters are removed, and what was done comes back as a :class:`Cleaned` note the answer
carries. Nothing after the edge (matcher, audit trail, CSV, JSON lines) sees the raw text,
so nothing echoes it.

A lone UTF-16 surrogate (``"\\ud800"``: JSON can spell it, but it is no character and no
encoder accepts it) is not cleaned but refused, by the edge, naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# An ANSI/VT escape: CSI (colours, cursor moves), OSC (window titles, links; ends with BEL
# or ST, or runs to the end), or a two-character escape; and the 8-bit CSI.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]?"
)

# Explicit bidi formatting: embeddings and overrides end at PDF, isolates at PDI.
_LRE, _RLE, _PDF, _LRO, _RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
_LRI, _RLI, _FSI, _PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_EMBEDDINGS = {_LRE, _RLE, _LRO, _RLO}
_ISOLATES = {_LRI, _RLI, _FSI}
_BIDI = _EMBEDDINGS | _ISOLATES | {_PDF, _PDI}

# Hangul fillers: letters by category, blank on screen.
_FILLERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}
# Whitespace that is not a plain space: read as one.
_SPACES = {"\t", "\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"}
# Where emoji live (pictographs, dingbats, symbols and arrows, regional indicators, skin tones).
_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x2300, 0x23FF))


@dataclass(frozen=True)
class Cleaned:
    """What was done to one piece of text: the characters removed (named, with how many),
    and whether a bidi override was resolved to the order the text displays in."""

    removed: tuple[str, ...] = ()
    reordered: bool = False

    def __bool__(self) -> bool:
        return bool(self.removed) or self.reordered

    def describe(self) -> str:
        parts = []
        if self.reordered:
            parts.append("a right-to-left override resolved: read in the order it displays")
        if self.removed:
            parts.append("removed " + ", ".join(self.removed))
        return "; ".join(parts)


def _is_emoji(ch: str, code: int) -> bool:
    if ch == "\u20e3":  # combining keycap
        return True
    return any(low <= code <= high for low, high in _EMOJI_RANGES) and unicodedata.category(ch) in ("So", "Sk")


def _is_variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or 0x180B <= code <= 0x180F


def _label(ch: str) -> str:
    code = ord(ch)
    return f"U+{code:04X} {unicodedata.name(ch, 'UNNAMED CHARACTER')}"


def _strong_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def _displayed_rtl(atoms: list[str]) -> str:
    """The text of a right-to-left override as a reader reads it off the screen.

    The override lays every character out right to left, so a Latin run shows reversed;
    right-to-left letters (Arabic, Hebrew) are laid out as they always are and still read
    as written. So: the runs in reverse order, the characters of each run that is not
    right-to-left reversed. A space or a mark between two right-to-left letters belongs to
    their run; a nested unit (an isolate …) is one atom, read as it is."""
    kinds = ["R" if len(a) == 1 and _strong_rtl(a) else "N" if len(a) == 1 and _neutral(a) else "L" for a in atoms]
    for i, kind in enumerate(kinds):
        if kind == "N":
            before = next((k for k in reversed(kinds[:i]) if k != "N"), "L")
            after = next((k for k in kinds[i + 1 :] if k != "N"), "L")
            kinds[i] = "R" if before == after == "R" else "L"
    runs: list[tuple[str, list[str]]] = []
    for atom, kind in zip(atoms, kinds):
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(atom)
        else:
            runs.append((kind, [atom]))
    return "".join("".join(run if kind == "R" else reversed(run)) for kind, run in reversed(runs))


def _neutral(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("WS", "ON", "CS", "ES", "ET", "S", "B", "BN", "NSM")


def _resolve_bidi(text: str) -> tuple[str, bool]:
    """The text with its explicit bidi controls applied and removed; whether it reordered.

    Only an override changes the order of letters a reader sees (embeddings and isolates
    change where runs sit, not how a Latin or Cyrillic word reads). An override left open
    runs to the end of the text, as it does on screen. A nested unit (an isolate in an
    override …) moves as a whole."""
    root: list[str | tuple[str, list]] = []  # type: ignore[type-arg]
    stack: list[tuple[str, list]] = [("", root)]  # type: ignore[type-arg]
    for ch in text:
        if ch in _EMBEDDINGS or ch in _ISOLATES:
            unit: list = []  # type: ignore[type-arg]
            stack[-1][1].append((ch, unit))
            stack.append((ch, unit))
        elif ch == _PDF:
            if len(stack) > 1 and stack[-1][0] in _EMBEDDINGS:
                stack.pop()
        elif ch == _PDI:
            if any(kind in _ISOLATES for kind, _ in stack):
                while stack[-1][0] not in _ISOLATES:
                    stack.pop()
                stack.pop()
        else:
            stack[-1][1].append(ch)
    reordered = False

    def render(kind: str, parts: list) -> str:  # type: ignore[type-arg]
        nonlocal reordered
        atoms = [part if isinstance(part, str) else render(*part) for part in parts]
        if kind == _RLO and len(atoms) > 1:
            shown = _displayed_rtl(atoms)
            reordered = reordered or shown != "".join(atoms)
            return shown
        return "".join(atoms)

    return render("", root), reordered


# Every character clean() may change: controls (Cc), format characters (Cf: bidi controls,
# zero-width, soft hyphen, tags …), surrogates, variation selectors, Hangul fillers, the
# emoji blocks, and whitespace other than a space. Text with none of them (nearly all text,
# whatever its script) is returned as it is after one regex search. A test checks the
# class against the Unicode database.
_SUSPECT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
    "\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u20e3\u2300-\u23ff"
    "\u2600-\u27bf\u2b00-\u2bff\u3164\ud800-\udfff\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U0001f000-\U0001faff\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)


def needs_cleaning(text: str) -> bool:
    """Whether :func:`clean` would change ``text`` (one regex search)."""
    return _SUSPECT.search(text) is not None


_NOTHING = Cleaned()


def clean(text: str) -> tuple[str, Cleaned]:
    """``text`` as it displays, without invisible or deceptive characters; and what was done."""
    if _SUSPECT.search(text) is None:
        return text, _NOTHING
    counts: dict[str, int] = {}
    if "\x1b" in text or "\x9b" in text:
        text, found = _ANSI.subn("", text)
        if found:
            counts["ANSI escape sequence"] = found
    reordered = False
    if any(ch in _BIDI for ch in text):
        for ch in text:
            if ch in _BIDI:
                counts[_label(ch)] = counts.get(_label(ch), 0) + 1
        text, reordered = _resolve_bidi(text)
    kept: list[str] = []
    for ch in text:
        if ch.isascii() and ch.isprintable():
            kept.append(ch)
            continue
        if ch in _SPACES:
            kept.append(" ")
            continue
        code = ord(ch)
        category = unicodedata.category(ch)
        if (
            category in ("Cc", "Cf", "Cs")
            or ch in _FILLERS
            or _is_variation_selector(code)
            or _is_emoji(ch, code)
        ):
            label = _label(ch)
            counts[label] = counts.get(label, 0) + 1
            continue
        kept.append(ch)
    cleaned = " ".join("".join(kept).split()) if counts else "".join(kept)
    removed = tuple(f"{label} ×{n}" if n > 1 else label for label, n in counts.items())
    return cleaned, Cleaned(removed, reordered)


def surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text``, as ``\\udXXX``; None when there is none."""
    for ch in text:
        if "\ud800" <= ch <= "\udfff":
            return f"\\u{ord(ch):04x}"
    return None
