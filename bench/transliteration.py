"""Which transliterator should fold names to ASCII? A measurement on the real lists.

    python -m bench.transliteration [--lists-dir ../shared/lists] [--repeat 3]

Reads the newest UN (un_xml) and UK (uk_conlist) lists found in the folder with the project's
own parsers. For every entity that gives a name in its original script *and* Latin names, each
candidate library transliterates both sides (as the screening fold would), and the
original-script name is scored against the entity's best-matching Latin name with rapidfuzz
``token_sort_ratio`` and ``token_set_ratio`` after lowercasing and removing punctuation.
Reports, per script: mean score and the share of names scoring ≥ 80 and ≥ 90; then speed
(µs per name), packaging, and how each library renders a set of hard cases.

Candidates: anyascii, unidecode, ICU ("Any-Latin; Latin-ASCII" through PyICU), and two
refinements of anyascii: "anyascii+" puts a space around each Han and Hangul character
(anyascii writes a run of CJK syllables as one CamelCase word, "YouXianGongSi", that lowercases
to one token where Latin names separate syllables) and maps the Arabic letters of
``tables.ARABIC_LETTERS`` first (anyascii drops alef and ain, so جابر becomes "jbr", not
"jabr"); "fold" is the project's own ``service.matching.normalize.fold`` as it stands.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service import catalog, sources  # noqa: E402
from service.model import NameType  # noqa: E402
from service.sources.labels import script_of  # noqa: E402

FORMATS = ("un_xml", "uk_conlist")

Transliterate = Callable[[str], str]


@dataclass(frozen=True)
class Library:
    name: str
    transliterate: Transliterate
    packaging: str


def libraries() -> tuple[list[Library], list[str]]:
    """The candidates that import here, and a note for each one that does not."""
    found: list[Library] = []
    missing: list[str] = []
    try:
        from anyascii import anyascii

        found.append(Library("anyascii", anyascii, "pure Python wheel (py3-none-any), data in package"))
        found.append(Library("anyascii+", _refined(anyascii), "as anyascii, plus CJK spacing and ARABIC_LETTERS"))
    except ImportError as exc:
        missing.append(f"anyascii: {exc}")
    try:
        from unidecode import unidecode

        found.append(Library("unidecode", unidecode, "pure Python wheel (py3-none-any), GPL-2.0+ licence"))
    except ImportError as exc:
        missing.append(f"unidecode: {exc}")
    try:
        import icu

        transliterator = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
        found.append(
            Library(
                "icu",
                transliterator.transliterate,
                f"C++ extension, sdist only: builds against system libicu-dev (ICU {icu.ICU_VERSION})",
            )
        )
    except ImportError as exc:
        missing.append(f"PyICU: {exc}")
    try:
        from service.matching.normalize import fold

        # Timed without its cache: every name is new to a fresh worker.
        uncached = getattr(fold, "__wrapped__", fold)
        found.append(Library("fold", uncached, "service.matching.normalize.fold, uncached (anyascii inside)"))
    except ImportError as exc:
        missing.append(f"normalize.fold: {exc}")
    return found, missing


def _is_cjk_syllable(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xAC00 <= code <= 0xD7A3 or code >= 0x20000


def _refined(transliterate: Transliterate) -> Transliterate:
    from service.matching.tables import ARABIC_LETTERS

    arabic = str.maketrans(ARABIC_LETTERS)

    def refined(text: str) -> str:
        text = text.translate(arabic)
        if any(_is_cjk_syllable(c) for c in text):
            text = "".join(f" {c} " if _is_cjk_syllable(c) else c for c in text)
        return transliterate(text)

    return refined


_APOSTROPHES = re.compile(r"['’‘`´ʹʻʼʽʾʿˈ]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def clean(text: str) -> str:
    """Lowercase ASCII words separated by single spaces: apostrophes dropped, other punctuation a space."""
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text.lower())).strip()


@dataclass(frozen=True)
class Pair:
    list_id: str
    script: str  # ISO 15924; "Latn" for an original-script name in Latin letters with diacritics
    original: str
    latin: tuple[str, ...]


def pairs(lists_dir: Path) -> Iterator[Pair]:
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for list_id, source in sorted(catalog.discover(lists_dir).items()):
        if source.format not in FORMATS:
            continue
        for entity in sources.read(source.format, list(source.paths), list_id).entities:
            latin = tuple(
                sorted(
                    {
                        n.full
                        for n in entity.names
                        if n.type is not NameType.ORIGINAL_SCRIPT and (n.script or script_of(n.full)) is None
                    }
                )
            )
            if not latin:
                continue
            for name in entity.names:
                if name.type is not NameType.ORIGINAL_SCRIPT or (name.full, latin) in seen:
                    continue
                seen.add((name.full, latin))
                yield Pair(list_id, name.script or script_of(name.full) or "Latn", name.full, latin)


def best(scorer: Callable[[str, str], float], query: str, candidates: list[str]) -> float:
    return max((scorer(query, c) for c in candidates), default=0.0)


@dataclass
class Scores:
    sort: list[float]
    set: list[float]


def measure(pairs_: list[Pair], library: Library) -> dict[str, Scores]:
    by_script: dict[str, Scores] = defaultdict(lambda: Scores([], []))
    for pair in pairs_:
        query = clean(library.transliterate(pair.original))
        latin = [clean(library.transliterate(n)) for n in pair.latin]
        for key in ("all", pair.script):
            by_script[key].sort.append(best(fuzz.token_sort_ratio, query, latin))
            by_script[key].set.append(best(fuzz.token_set_ratio, query, latin))
    return by_script


def speed_us(names: list[str], transliterate: Transliterate, repeat: int) -> float:
    rounds = []
    for _ in range(repeat):
        started = time.perf_counter()
        for name in names:
            transliterate(name)
        rounds.append(time.perf_counter() - started)
    return min(rounds) / len(names) * 1e6


# Hard cases the lead asked about, with what a screening fold would want.
SPECIFICS = (
    ("zh 有限公司", "北京华为技术有限公司"),
    ("ja kana", "トヨタ ひらがな 株式会社"),
    ("ko hangul", "김정은 주식회사"),
    ("ka Georgian", "ბიძინა ივანიშვილი"),
    ("hy Armenian", "Արմեն ՍՊԸ"),
    ("el Greek", "Αλέξανδρος Παπαδόπουλος"),
    ("he Hebrew", "משה כהן"),
    ("fa Persian", "محمد جعفری"),
    ("ar LLC", "ش.م.م ذ.م.م شركة"),
    ("ru ООО", "ООО «Ромашка»"),
    ("ru ё й щ ъ ь", "Хрущёв Йошкар подъезд Щукин Ковальчук"),
    ("uk і ї є", "Олександр Київ Євген"),
    ("de ß, tr ı, pl ł", "Straße Işıklı Łódź"),
)


def table(results: dict[str, dict[str, Scores]], order: list[str]) -> None:
    names = list(results)
    head = (
        f"{'script':6} {'n':>5}  {'library':13} {'sort mean':>9} {'≥80':>5} {'≥90':>5}"
        f"  {'set mean':>8} {'≥80':>5} {'≥90':>5}"
    )
    print(head)
    print("-" * len(head))
    for script in order:
        for i, lib in enumerate(names):
            s = results[lib][script]
            n = f"{len(s.sort):5}" if i == 0 else " " * 5
            print(
                f"{script if i == 0 else '':6} {n}  {lib:13}"
                f" {statistics.fmean(s.sort):9.1f} {_share(s.sort, 80):5.0%} {_share(s.sort, 90):5.0%}"
                f"  {statistics.fmean(s.set):8.1f} {_share(s.set, 80):5.0%} {_share(s.set, 90):5.0%}"
            )


def _share(values: list[float], floor: float) -> float:
    return sum(v >= floor for v in values) / len(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--lists-dir", type=Path, default=Path(os.environ.get("SCREENING_LISTS_DIR", ROOT.parent / "shared" / "lists"))
    )
    parser.add_argument("--repeat", type=int, default=3, help="timing rounds; the fastest counts")
    args = parser.parse_args()

    libs, missing = libraries()
    for note in missing:
        print(f"not measured: {note}")
    found = list(pairs(args.lists_dir))
    per_list: dict[str, int] = defaultdict(int)
    for pair in found:
        per_list[pair.list_id] += 1
    print(
        f"{len(found)} original-script names with Latin names beside them"
        f" ({', '.join(f'{k} {v}' for k, v in sorted(per_list.items()))}), from {args.lists_dir}\n"
    )
    results = {lib.name: measure(found, lib) for lib in libs}
    counts: dict[str, int] = defaultdict(int)
    for pair in found:
        counts[pair.script] += 1
    table(results, ["all", *sorted(counts, key=lambda s: -counts[s])])

    originals = [p.original for p in found]
    print(f"\n{'library':13} {'µs/name':>8}  packaging")
    for lib in libs:
        print(f"{lib.name:13} {speed_us(originals, lib.transliterate, args.repeat):8.1f}  {lib.packaging}")

    print("\nhard cases, as each library renders them after lowercasing and punctuation removal:")
    for label, text in SPECIFICS:
        print(f"  {label}: {text}")
        for lib in libs:
            print(f"    {lib.name:13} {clean(lib.transliterate(text))!r}")


if __name__ == "__main__":
    main()
