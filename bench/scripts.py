"""Latin names written in other scripts, as a clerk of that language would write them, for ``bench/pairs.py``.

Each writer takes one Latin word (lower or mixed case) and returns it in its script. The tables
are small and hand-made from general knowledge of each writing system (how a foreign name is
spelt in it: vowels written as letters in Arabic and Hebrew, syllables in the Indic scripts and
kana, composed syllable blocks in Hangul); they are meant to be plausible, not scholarly. Greek
and the Arabic spelling of Arabic names come from ``bench.evalset``; this module adds the rest.

    write("Vladimir Putin", "Hebr")  →  "ולדימיר פוטין"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bench import evalset

Table = Sequence[tuple[str, str]]


def _greedy(word: str, table: Table) -> list[str]:
    """The word cut into the longest table keys, left to right; an unknown letter stays as it is."""
    low, out, i = word.lower(), [], 0
    keys = sorted(table, key=lambda kv: -len(kv[0]))
    while i < len(low):
        for latin, other in keys:
            if latin and low.startswith(latin, i):
                out.append(other)
                i += len(latin)
                break
        else:
            out.append(low[i])
            i += 1
    return out


def _squeeze(word: str) -> str:
    """Doubled Latin letters are one sound: Hassan → Hasan, before spelling in a script that has no doubling."""
    return re.sub(r"([b-df-hj-np-tv-z])\1", r"\1", word.lower())


# ---------------------------------------------------------------- Arabic, for European names (vowels written)

_ARABIC_EUROPEAN = (
    ("sch", "ش"), ("sh", "ش"), ("ch", "تش"), ("zh", "ج"), ("kh", "خ"), ("th", "ث"), ("ph", "ف"), ("ts", "تس"),
    ("ou", "و"), ("oo", "و"), ("ee", "ي"), ("ei", "اي"), ("ey", "اي"), ("ai", "اي"), ("ay", "اي"), ("ya", "يا"),
    ("yu", "يو"), ("iy", "ي"), ("a", "ا"), ("e", "ي"), ("i", "ي"), ("o", "و"), ("u", "و"), ("y", "ي"),
    ("b", "ب"), ("c", "ك"), ("d", "د"), ("f", "ف"), ("g", "غ"), ("h", "ه"), ("j", "ج"), ("k", "ك"), ("l", "ل"),
    ("m", "م"), ("n", "ن"), ("p", "ب"), ("q", "ك"), ("r", "ر"), ("s", "س"), ("t", "ت"), ("v", "ف"), ("w", "و"),
    ("x", "كس"), ("z", "ز"),
)  # fmt: skip


def arabic_european(word: str) -> str:
    """Vladimir → فلاديمير: a European name in Arabic letters, every vowel written (as Arabic news does)."""
    low = _squeeze(word)
    head = ""
    if low[:1] in "aeiou":  # a word cannot start with a bare vowel letter: alif carries it
        head = {"a": "ا", "e": "إي", "i": "إي", "o": "أو", "u": "أو"}[low[0]]
        low = low[1:]
    return head + "".join(_greedy(low, _ARABIC_EUROPEAN))


# ---------------------------------------------------------------- Hebrew

_HEBREW = (
    ("sch", "ש"), ("sh", "ש"), ("ch", "צ'"), ("zh", "ז'"), ("kh", "ח"), ("th", "ת"), ("ph", "פ"), ("ts", "צ"),
    ("tz", "צ"), ("ou", "ו"), ("oo", "ו"), ("ee", "י"), ("ei", "יי"), ("ey", "יי"), ("ai", "יי"), ("ay", "יי"),
    ("iy", "י"), ("a", ""), ("e", ""), ("i", "י"), ("o", "ו"), ("u", "ו"), ("y", "י"), ("b", "ב"), ("c", "ק"),
    ("d", "ד"), ("f", "פ"), ("g", "ג"), ("h", "ה"), ("j", "ג'"), ("k", "ק"), ("l", "ל"), ("m", "מ"), ("n", "נ"),
    ("p", "פ"), ("q", "ק"), ("r", "ר"), ("s", "ס"), ("t", "ט"), ("v", "ב"), ("w", "ו"), ("x", "קס"), ("z", "ז"),
)  # fmt: skip
_HEBREW_FINAL = {"כ": "ך", "מ": "ם", "נ": "ן", "פ": "ף", "צ": "ץ"}


def hebrew(word: str) -> str:
    """Putin → פוטין: consonants, with vav and yod for o/u and i; a word-initial vowel gets alef, a final a gets he."""
    low = _squeeze(word)
    head, tail = "", ""
    if low[:1] in "aeiou":
        head = "א"
        if low[0] in "ae":
            low = low[1:]
    if low.endswith("a") and len(low) > 2:
        tail = "ה"
        low = low[:-1]
    if low.startswith("v"):  # vav for an initial v, bet inside a word (Lavrov → לברוב)
        head += "ו"
        low = low[1:]
    text = head + "".join(_greedy(low, _HEBREW)) + tail
    if text and text[-1] in _HEBREW_FINAL:
        text = text[:-1] + _HEBREW_FINAL[text[-1]]
    return text


# ---------------------------------------------------------------- Armenian and Georgian (alphabets, one letter a sound)

_ARMENIAN = (
    ("kh", "խ"), ("ts", "ց"), ("dz", "ձ"), ("gh", "ղ"), ("ch", "չ"), ("sh", "շ"), ("zh", "ժ"), ("ou", "ու"),
    ("th", "թ"), ("ph", "փ"), ("yu", "յու"), ("ya", "յա"), ("iy", "ի"), ("a", "ա"), ("b", "բ"), ("g", "գ"),
    ("d", "դ"), ("e", "ե"), ("z", "զ"), ("i", "ի"), ("l", "լ"), ("k", "կ"), ("h", "հ"), ("m", "մ"), ("y", "յ"),
    ("n", "ն"), ("o", "ո"), ("p", "պ"), ("j", "ջ"), ("r", "ր"), ("s", "ս"), ("v", "վ"), ("t", "տ"), ("u", "ու"),
    ("f", "ֆ"), ("c", "կ"), ("q", "ք"), ("w", "վ"), ("x", "քս"),
)  # fmt: skip


def armenian(word: str) -> str:
    """Sargsyan → Սարգսյան; a word-initial e and o take their own letters (է, օ)."""
    low = _squeeze(word)
    head = ""
    if low[:1] in ("e", "o"):
        head = {"e": "է", "o": "օ"}[low[0]]
        low = low[1:]
    text = head + "".join(_greedy(low, _ARMENIAN))
    return text[:1].upper() + text[1:]


_GEORGIAN = (
    ("kh", "ხ"), ("gh", "ღ"), ("sh", "შ"), ("ch", "ჩ"), ("ts", "ც"), ("dz", "ძ"), ("zh", "ჟ"), ("th", "თ"),
    ("ph", "ფ"), ("ou", "უ"), ("iy", "ი"), ("a", "ა"), ("b", "ბ"), ("g", "გ"), ("d", "დ"), ("e", "ე"), ("v", "ვ"),
    ("z", "ზ"), ("t", "ტ"), ("i", "ი"), ("k", "კ"), ("l", "ლ"), ("m", "მ"), ("n", "ნ"), ("o", "ო"), ("p", "პ"),
    ("r", "რ"), ("s", "ს"), ("u", "უ"), ("f", "ფ"), ("q", "ქ"), ("j", "ჯ"), ("h", "ჰ"), ("y", "ი"), ("c", "კ"),
    ("w", "ვ"), ("x", "ქს"),
)  # fmt: skip


def georgian(word: str) -> str:
    """Saakashvili → სააკაშვილი (Mkhedruli has no capitals)."""
    return "".join(_greedy(word.lower(), _GEORGIAN))


# ---------------------------------------------------------------- Devanagari and Bengali (abugidas)

_INDIC_VOWELS = ("aa", "ai", "au", "ee", "ii", "oo", "uu", "a", "i", "u", "e", "o", "y")
_INDIC_CONSONANTS = (
    "chh", "kh", "gh", "ch", "jh", "zh", "th", "dh", "ph", "bh", "sh", "ng", "k", "g", "c", "j", "t", "d", "n", "p",
    "f", "b", "m", "y", "r", "l", "v", "w", "s", "h", "z", "q", "x",
)  # fmt: skip


class Abugida:
    """A consonant carries an inherent a; another vowel is a sign on it; two consonants in a row
    are joined by the virama; a word-final consonant is written bare (its a is not spoken)."""

    def __init__(self, consonants: dict[str, str], vowels: dict[str, str], signs: dict[str, str], virama: str):
        self.consonants, self.vowels, self.signs, self.virama = consonants, vowels, signs, virama

    def __call__(self, word: str) -> str:
        low = _squeeze(word).replace("x", "ks")
        out: list[str] = []
        i = 0
        after_consonant = False
        while i < len(low):
            c = next((c for c in _INDIC_CONSONANTS if low.startswith(c, i) and c in self.consonants), None)
            # y between vowels or at the end of a word is a vowel (Sergey, Yuriy): treat as i.
            if c == "y" and (i == len(low) - 1 or after_consonant):
                c = None
            if c is not None:
                if after_consonant:
                    out.append(self.virama)
                out.append(self.consonants[c])
                after_consonant = True
                i += len(c)
                continue
            v = next((v for v in _INDIC_VOWELS if low.startswith(v, i)), None)
            if v is None:  # not a letter this writer knows
                i += 1
                continue
            v = "i" if v == "y" else v
            if after_consonant:
                out.append(self.signs.get(v, ""))
            else:
                out.append(self.vowels.get(v, self.vowels["a"]))
            after_consonant = False
            i += len(v)
        return "".join(out)


devanagari = Abugida(
    consonants={
        "k": "क", "kh": "ख", "g": "ग", "gh": "घ", "ch": "च", "chh": "छ", "c": "क", "j": "ज", "jh": "झ", "t": "त",
        "th": "थ", "d": "द", "dh": "ध", "n": "न", "p": "प", "ph": "फ", "f": "फ़", "b": "ब", "bh": "भ", "m": "म",
        "y": "य", "r": "र", "l": "ल", "v": "व", "w": "व", "zh": "झ़", "sh": "श", "s": "स", "h": "ह", "z": "ज़", "q": "क़",
        "ng": "ङ",
    },
    vowels={"a": "अ", "aa": "आ", "i": "इ", "ee": "ई", "ii": "ई", "u": "उ", "oo": "ऊ", "uu": "ऊ", "e": "ए",
            "ai": "ऐ", "o": "ओ", "au": "औ"},
    signs={"a": "", "aa": "ा", "i": "ि", "ee": "ी", "ii": "ी", "u": "ु", "oo": "ू", "uu": "ू", "e": "े", "ai": "ै",
           "o": "ो", "au": "ौ"},
    virama="्",
)  # fmt: skip
bengali = Abugida(
    consonants={
        "k": "ক", "kh": "খ", "g": "গ", "gh": "ঘ", "ch": "চ", "chh": "ছ", "c": "ক", "j": "জ", "jh": "ঝ", "t": "ত",
        "th": "থ", "d": "দ", "dh": "ধ", "n": "ন", "p": "প", "ph": "ফ", "f": "ফ", "b": "ব", "bh": "ভ", "m": "ম",
        "y": "য়", "r": "র", "l": "ল", "v": "ভ", "w": "ওয়", "zh": "ঝ", "sh": "শ", "s": "স", "h": "হ", "z": "জ", "q": "ক",
        "ng": "ং",
    },
    vowels={"a": "আ", "aa": "আ", "i": "ই", "ee": "ঈ", "ii": "ঈ", "u": "উ", "oo": "ঊ", "uu": "ঊ", "e": "এ",
            "ai": "ঐ", "o": "ও", "au": "ঔ"},
    signs={"a": "া", "aa": "া", "i": "ি", "ee": "ী", "ii": "ী", "u": "ু", "oo": "ূ", "uu": "ূ", "e": "ে", "ai": "ৈ",
           "o": "ো", "au": "ৌ"},
    virama="্",
)  # fmt: skip
# Bengali writes a foreign a as the long sign (Putin → পুতিন, Maria → মারিয়া): hence "a": "া" above.


# ---------------------------------------------------------------- Burmese

# Burmese names are made of a few hundred one-syllable words; these are common ones as spelt.
BURMESE_WORDS = {
    "aung": "အောင်", "min": "မင်း", "hlaing": "လှိုင်", "soe": "စိုး", "win": "ဝင်း", "kyaw": "ကျော်",
    "thein": "သိန်း", "tun": "ထွန်း", "htun": "ထွန်း", "myint": "မြင့်", "maung": "မောင်", "than": "သန်း",
    "zaw": "ဇော်", "htut": "ထွဋ်", "naing": "နိုင်", "oo": "ဦး", "u": "ဦး", "khin": "ခင်", "nyunt": "ညွန့်",
    "hla": "လှ", "thura": "သူရ", "shwe": "ရွှေ", "moe": "မိုး", "htay": "ထေး", "myo": "မျိုး", "thant": "သန့်",
    "lwin": "လွင်", "zin": "ဇင်", "khaing": "ခိုင်", "ko": "ကို", "nyein": "ငြိမ်း", "sein": "စိန်",
    "thaung": "သောင်း", "tin": "တင်", "aye": "အေး", "mya": "မြ", "san": "စန်း", "thu": "သူ", "htoo": "ထူး",
    "pyae": "ပြည့်", "phyo": "ဖြိုး", "thet": "သက်", "wai": "ဝေ", "yan": "ရန်", "naung": "နောင်", "ye": "ရဲ",
    "lin": "လင်း", "nay": "နေ", "swe": "ဆွေ", "tint": "တင့်", "mun": "မွန်", "khine": "ခိုင်", "nyo": "ညို",
    "kyi": "ကြည်", "myat": "မြတ်", "chit": "ချစ်", "saw": "စော", "sai": "စိုင်း", "ohn": "အုန်း", "pe": "ဖေ",
    "nu": "နု", "tha": "သာ", "paing": "ပိုင်", "hein": "ဟိန်း", "kaung": "ကောင်း", "zeya": "ဇေယျ",
    "bo": "ဗိုလ်", "mo": "မိုး", "nyi": "ညီ", "zaya": "ဇေယျာ", "kyaing": "ကျိုင်း", "sann": "ဆန်း",
    "thi": "သီ", "khaung": "ခေါင်", "nandar": "နန္ဒာ", "thiha": "သီဟ", "yin": "ယဉ်", "mg": "မောင်",
    "ma": "မ", "daw": "ဒေါ်", "zarni": "ဇာနည်", "htwe": "ထွေး", "lay": "လေး", "gyi": "ကြီး", "nge": "ငယ်",
    "myaing": "မြိုင်", "ngwe": "ငွေ", "oung": "အောင်", "hlwan": "လွှမ်း", "kyu": "ကြူ", "ba": "ဘ",
    "nyan": "ညျန်", "phone": "ဖုန်း", "pyone": "ပြုံး", "hnin": "နှင်း", "wint": "ဝင့်", "thaw": "သော်",
}  # fmt: skip
_BURMESE = (
    ("ky", "ကျ"), ("ch", "ချ"), ("hl", "လှ"), ("hm", "မှ"), ("hn", "နှ"), ("ht", "ထ"), ("hp", "ဖ"), ("ph", "ဖ"),
    ("th", "သ"), ("sh", "ရှ"), ("ng", "င"), ("ny", "ည"), ("k", "က"), ("g", "ဂ"), ("s", "စ"), ("z", "ဇ"),
    ("t", "တ"), ("d", "ဒ"), ("n", "န"), ("p", "ပ"), ("b", "ဘ"), ("m", "မ"), ("y", "ယ"), ("r", "ရ"), ("l", "လ"),
    ("w", "ဝ"), ("h", "ဟ"), ("v", "ဗ"), ("f", "ဖ"), ("j", "ဂျ"), ("c", "က"), ("q", "က"), ("x", "ကစ်"),
)  # fmt: skip
_BURMESE_VOWELS = (("ee", "ီ"), ("oo", "ူ"), ("ai", "ိုင်"), ("ay", "ေ"), ("ei", "ေ"), ("a", "ာ"), ("i", "ိ"),
                   ("u", "ု"), ("e", "ေ"), ("o", "ို"))  # fmt: skip


def burmese(word: str) -> str:
    """Aung → အောင်; a word not in the table is spelt sound by sound, a consonant before no vowel killed by the asat."""
    low = word.lower()
    if low in BURMESE_WORDS:
        return BURMESE_WORDS[low]
    low = _squeeze(low)
    out: list[str] = []
    i = 0
    pending = False  # a consonant written, its vowel not yet
    while i < len(low):
        found = next(((latin, s) for latin, s in _BURMESE if low.startswith(latin, i)), None)
        if found is not None:
            key, c = found
            end = i + len(key)
            out.append(c if end < len(low) and low[end] in "aeiou" else c + "်")
            pending = out[-1] == c
            i = end
            continue
        v = next(((latin, s) for latin, s in _BURMESE_VOWELS if low.startswith(latin, i)), None)
        if v is None:
            i += 1
            continue
        out.append(v[1] if pending else "အ" + v[1])
        pending = False
        i += len(v[0])
    return "".join(out)


# ---------------------------------------------------------------- Japanese katakana (foreign names) and kanji

_KANA_ROWS = {
    "": "アイウエオ", "k": "カキクケコ", "g": "ガギグゲゴ", "s": "サシスセソ",
    "z": "ザジズゼゾ", "t": "タティトゥテト", "d": "ダディドゥデド", "n": "ナニヌネノ",
    "h": "ハヒフヘホ", "b": "バビブベボ", "p": "パピプペポ", "m": "マミムメモ",
    "r": "ラリルレロ", "l": "ラリルレロ", "w": "ワウィウウェウォ", "v": "ヴァヴィヴヴェヴォ",
    "f": "ファフィフフェフォ", "y": "ヤイユイェヨ", "sh": "シャシシュシェショ",
    "ch": "チャチチュチェチョ", "j": "ジャジジュジェジョ", "ts": "ツァツィツツェツォ",
    "kh": "ハヒフヘホ", "zh": "ジャジジュジェジョ", "c": "カキクケコ", "q": "カキクケコ",
}  # fmt: skip
_KANA_LONE = {"t": "ト", "d": "ド", "ch": "チ", "sh": "シュ", "j": "ジ", "zh": "ジ", "ts": "ツ", "kh": "フ",
              "x": "クス", "y": "イ"}  # fmt: skip
_SMALL = "ァィゥェォャュョ"


def _kana_cells(row: str) -> list[str]:
    """A row string split into its five cells (a cell may be two characters: ティ)."""
    cells: list[str] = []
    for char in row:
        if char in _SMALL and cells:
            cells[-1] += char
        else:
            cells.append(char)
    return cells


def katakana(word: str) -> str:
    """Putin → プチン, Sergey → セルゲイ: a foreign name cut into kana syllables."""
    low = word.lower().replace("x", "ks")
    out: list[str] = []
    i = 0
    vowels = "aiueo"
    while i < len(low):
        if low[i] in "y" and i + 1 < len(low) and low[i + 1] in vowels:
            consonant = "y"
        else:
            consonant = next((c for c in ("sh", "ch", "ts", "kh", "zh") if low.startswith(c, i)), low[i])
        if consonant in vowels:
            out.append(_kana_cells(_KANA_ROWS[""])[vowels.index(consonant)])
            i += 1
            continue
        j = i + len(consonant)
        if consonant == "n" and low.startswith("g", j) and (j + 1 >= len(low) or low[j + 1] not in vowels):
            out.append("ン")  # -ng: Jong → ジョン
            i = j + 1
            continue
        if consonant == "n" and (j >= len(low) or low[j] not in vowels + "y"):
            out.append("ン")
            i = j
            continue
        if j < len(low) and low[j] == consonant and consonant not in "n":
            out.append("ッ")  # a doubled consonant
            i = j
            continue
        row = _KANA_ROWS.get(consonant)
        if row is None:
            out.append(_KANA_LONE.get(consonant, ""))
            i = j
            continue
        if j < len(low) and low[j] in vowels:
            cell = _kana_cells(row)[vowels.index(low[j])]
            if consonant in ("t", "d") and low[j] == "u":
                cell = "ツ" if consonant == "t" else "ズ"
            out.append(cell)
            i = j + 1
            if i < len(low) and low[i] == low[j] and low[i] in "aiuo":  # a long vowel
                out.append("ー")
                i += 1
        elif j < len(low) and low[j] == "y" and j + 1 < len(low) and low[j + 1] in "auo":
            out.append(_kana_cells(row)[1][0] + {"a": "ャ", "u": "ュ", "o": "ョ"}[low[j + 1]])
            i = j + 2
        else:
            out.append(_KANA_LONE.get(consonant, _kana_cells(row)[2]))
            i = j
    return "".join(out)


# Japanese family and given names in kanji, each with its usual reading.
KANJI_WORDS = {
    "tanaka": "田中", "suzuki": "鈴木", "sato": "佐藤", "takahashi": "高橋", "watanabe": "渡辺", "ito": "伊藤",
    "yamamoto": "山本", "nakamura": "中村", "kobayashi": "小林", "kato": "加藤", "yoshida": "吉田", "yamada": "山田",
    "sasaki": "佐々木", "matsumoto": "松本", "inoue": "井上", "kimura": "木村", "hayashi": "林", "shimizu": "清水",
    "yamaguchi": "山口", "mori": "森", "ikeda": "池田", "hashimoto": "橋本", "ishikawa": "石川", "ogawa": "小川",
    "okada": "岡田", "goto": "後藤", "hasegawa": "長谷川", "murakami": "村上", "kondo": "近藤", "ishii": "石井",
    "sakamoto": "坂本", "endo": "遠藤", "aoki": "青木", "fujita": "藤田", "nishimura": "西村", "fukuda": "福田",
    "ota": "太田", "miura": "三浦", "fujii": "藤井", "okamoto": "岡本", "matsuda": "松田", "nakagawa": "中川",
    "hiroshi": "博", "takashi": "隆", "kenji": "健二", "satoshi": "聡", "makoto": "誠", "yuki": "由紀",
    "daisuke": "大輔", "kazuki": "一輝", "naoki": "直樹", "akira": "明", "masato": "正人", "tetsuya": "哲也",
    "yuji": "裕二", "koji": "浩二", "yuko": "裕子", "keiko": "恵子", "akiko": "明子", "naoko": "直子",
    "tomoko": "智子", "yumi": "由美", "haruka": "遥", "shoko": "彰晃", "asahara": "麻原", "shinrikyo": "真理教",
    "aum": "オウム", "ichiro": "一郎", "taro": "太郎", "jiro": "次郎", "kenta": "健太", "shota": "翔太",
    "takeshi": "武", "kiyoshi": "清", "minoru": "稔", "osamu": "修", "shigeru": "茂", "isamu": "勇",
    "yoshiro": "義郎", "fumihiro": "史浩", "joyu": "上祐", "tomomitsu": "智光", "niimi": "新実", "endoh": "遠藤",
}  # fmt: skip


def japanese(word: str) -> str:
    """A Japanese name word in kanji when it is a known one, else in katakana."""
    return KANJI_WORDS.get(word.lower()) or katakana(word)


# ---------------------------------------------------------------- Chinese (pinyin syllables to characters)

# One common character per pinyin syllable (names and company words); a reader of the query
# would accept any character of that sound, and so must the matcher.
HANZI = {
    "zhang": "张", "wang": "王", "li": "李", "liu": "刘", "chen": "陈", "yang": "杨", "huang": "黄", "zhao": "赵",
    "wu": "吴", "zhou": "周", "xu": "徐", "sun": "孙", "ma": "马", "zhu": "朱", "hu": "胡", "guo": "郭", "he": "何",
    "gao": "高", "lin": "林", "luo": "罗", "zheng": "郑", "liang": "梁", "xie": "谢", "song": "宋", "tang": "唐",
    "han": "韩", "feng": "冯", "deng": "邓", "cao": "曹", "peng": "彭", "zeng": "曾", "xiao": "肖", "tian": "田",
    "dong": "董", "yuan": "袁", "pan": "潘", "yu": "于", "jiang": "江", "cai": "蔡", "jia": "贾", "ding": "丁",
    "wei": "伟", "fang": "方", "lei": "雷", "jun": "军", "yong": "勇", "jie": "杰", "tao": "涛", "ming": "明",
    "chao": "超", "hui": "辉", "qiang": "强", "hao": "浩", "xin": "新", "bo": "博", "gang": "刚", "kai": "凯",
    "xiu": "秀", "ying": "英", "na": "娜", "jing": "晶", "yan": "燕", "mei": "美", "xia": "霞", "lan": "兰",
    "ping": "平", "hong": "红", "yun": "云", "qing": "青", "zhen": "振", "hua": "华", "da": "达", "long": "龙",
    "tai": "泰", "fu": "福", "an": "安", "sheng": "盛", "tong": "通", "shun": "顺", "heng": "恒", "rui": "瑞",
    "bao": "宝", "hai": "海", "tian2": "天", "cheng": "成", "guang": "光", "de": "德", "jin": "金", "shan": "山",
    "shi": "石", "kang": "康", "le": "乐", "ao": "奥", "bin": "斌", "chun": "春", "dan": "丹", "fei": "飞",
    "gui": "贵", "jian": "建", "kun": "坤", "lu": "陆", "min": "敏", "ning": "宁", "qi": "琪", "quan": "全",
    "ren": "任", "rong": "荣", "shu": "舒", "si": "思", "tie": "铁", "xiang": "祥", "xiong": "雄", "xue": "雪",
    "ya": "雅", "yi": "义", "zhi": "志", "zi": "子", "zong": "宗", "bai": "白", "bei": "北", "dai": "戴",
    "du": "杜", "fan": "范", "fu2": "付", "gu": "顾", "hou": "侯", "jiao": "焦", "kong": "孔", "lai": "赖",
    "lv": "吕", "meng": "孟", "mo": "莫", "niu": "牛", "ou": "欧", "qian": "钱", "qin": "秦", "qiu": "邱",
    "shao": "邵", "shen": "沈", "su": "苏", "tan": "谭", "wan": "万", "wen": "文", "xiong2": "熊", "yao": "姚",
    "ye": "叶", "yin": "尹", "zou": "邹", "cui": "崔", "chang": "常", "dou": "窦", "ge": "葛", "hang": "杭",
    "huan": "欢", "kui": "奎", "lang": "朗", "liao": "廖", "man": "满", "nan": "南", "pei": "裴", "po": "坡",
    "ran": "冉", "sha": "沙", "tu": "涂", "wo": "沃", "xi": "西", "zan": "赞", "zhong": "中", "zhan": "展",
    "zhuo": "卓", "zuo": "左", "chu": "楚", "geng": "耿", "guan": "关", "hen": "很", "ji": "吉", "ke": "科",
    "mao": "毛", "miao": "苗", "mu": "穆", "qu": "曲", "sang": "桑", "ta": "塔", "teng": "腾", "xun": "勋",
    "yue": "岳", "zhuang": "庄", "chuan": "川", "chong": "崇", "dao": "道", "duan": "段", "e": "鄂", "en": "恩",
    "gong": "龚", "gou": "苟", "hei": "黑", "jue": "觉", "kuang": "匡", "nie": "聂", "pu": "蒲", "rao": "饶",
    "ruan": "阮", "shang": "尚", "shou": "寿", "shuang": "双", "tuo": "拓", "wai": "外", "xian": "贤", "xing": "兴",
    "zeng2": "增", "zu": "祖", "she": "佘", "nian": "年", "bian": "边", "biao": "彪", "cang": "仓", "ce": "策",
    "cen": "岑", "chai": "柴", "che": "车", "ci": "慈", "cong": "聪", "cun": "村", "dang": "党", "di": "迪",
    "diao": "刁", "fen": "芬", "gan": "甘", "gen": "根", "hun": "浑", "huo": "霍", "jiu": "久", "ju": "居",
    "juan": "娟", "kan": "阚", "kuo": "阔", "lian": "连", "ling": "玲", "lou": "娄", "mian": "勉", "mou": "牟",
    "nai": "乃", "pang": "庞", "pin": "品", "rou": "柔", "sai": "赛", "sen": "森", "shui": "水", "suo": "索",
    "tang2": "堂", "tuan": "团", "wa": "瓦", "xuan": "宣", "yong2": "永", "zhai": "翟", "zhe": "哲", "zhun": "准",
}  # fmt: skip
# Words of Chinese company names, and places, as Chinese writes them.
HANZI_WORDS = {
    "shenzhen": "深圳", "shanghai": "上海", "beijing": "北京", "guangzhou": "广州", "hong kong": "香港",
    "hongkong": "香港", "dalian": "大连", "tianjin": "天津", "ningbo": "宁波", "xiamen": "厦门", "qingdao": "青岛",
    "zhuhai": "珠海", "dongguan": "东莞", "hangzhou": "杭州", "suzhou": "苏州", "nanjing": "南京", "wuhan": "武汉",
    "chengdu": "成都", "chongqing": "重庆", "dandong": "丹东", "liaoning": "辽宁", "zhejiang": "浙江",
    "jiangsu": "江苏", "guangdong": "广东", "shandong": "山东", "fujian": "福建", "china": "中国",
    "technology": "科技", "technologies": "科技", "trading": "贸易", "trade": "贸易", "international": "国际",
    "industrial": "实业", "industry": "工业", "group": "集团", "electronics": "电子", "electronic": "电子",
    "shipping": "航运", "logistics": "物流", "development": "发展", "investment": "投资", "holdings": "控股",
    "holding": "控股", "energy": "能源", "petroleum": "石油", "petrochemical": "石化", "chemical": "化工",
    "chemicals": "化工", "machinery": "机械", "equipment": "设备", "science": "科学", "import": "进口",
    "export": "出口", "and": "", "&": "", "co": "", "ltd": "有限公司", "limited": "有限公司", "company": "公司",
    "corporation": "公司", "corp": "公司", "materials": "材料", "material": "材料", "metal": "金属",
    "metals": "金属", "mining": "矿业", "optical": "光学", "instrument": "仪器", "instruments": "仪器",
    "communication": "通信", "communications": "通信", "network": "网络", "software": "软件", "aviation": "航空",
    "new": "新", "import and export": "进出口", "supply chain": "供应链", "precision": "精密",
}  # fmt: skip


def hanzi(word: str) -> str | None:
    """A pinyin word (one or more syllables: Jinping) in characters, or None if it does not cut into known syllables."""
    low = word.lower()
    if low in HANZI_WORDS:
        return HANZI_WORDS[low]

    def cut(rest: str) -> list[str] | None:
        if not rest:
            return []
        for size in range(min(6, len(rest)), 0, -1):
            head = rest[:size]
            if head in HANZI:
                tail = cut(rest[size:])
                if tail is not None:
                    return [HANZI[head]] + tail
        return None

    chars = cut(low)
    return "".join(chars) if chars else None


# ---------------------------------------------------------------- Korean (Hangul syllable blocks)

_HANGUL_INITIAL = (
    ("kk", 1), ("tt", 4), ("pp", 8), ("ss", 10), ("jj", 13), ("ch", 14), ("th", 16), ("kh", 15), ("ph", 17),
    ("sh", 9), ("k", 0), ("g", 0), ("n", 2), ("d", 3), ("t", 3), ("r", 5), ("l", 5), ("m", 6), ("b", 7),
    ("p", 7), ("s", 9), ("j", 12), ("h", 18), ("", 11),
)  # fmt: skip
_HANGUL_VOWEL = (
    ("yae", 3), ("yeo", 6), ("wae", 10), ("eo", 4), ("eu", 18), ("ae", 1), ("ya", 2), ("yo", 6), ("ye", 7),
    ("yu", 17), ("wa", 9), ("wo", 14), ("we", 15), ("wi", 16), ("oe", 11), ("ui", 19), ("a", 0), ("e", 5),
    ("o", 8), ("u", 13), ("i", 20),
)  # fmt: skip
_HANGUL_FINAL = (("ng", 21), ("k", 1), ("g", 1), ("n", 4), ("t", 7), ("l", 8), ("r", 8), ("m", 16), ("p", 17),
                 ("b", 17), ("", 0))  # fmt: skip
# Name syllables whose vowel the romanisation does not show (o for ㅓ in North Korean spellings).
HANGUL_WORDS = {
    "kim": "김", "ri": "리", "lee": "이", "yi": "이", "pak": "박", "park": "박", "choe": "최", "choi": "최",
    "jong": "정", "un": "은", "il": "일", "song": "성", "chol": "철", "yong": "용", "ho": "호", "nam": "남",
    "hyok": "혁", "su": "수", "myong": "명", "chang": "창", "hyon": "현", "sok": "석", "chun": "춘", "hui": "희",
    "thae": "태", "kwang": "광", "man": "만", "kun": "군", "hak": "학", "ryong": "룡", "yun": "윤", "ju": "주",
    "pong": "봉", "chan": "찬", "dong": "동", "tong": "동", "jin": "진", "sung": "승", "won": "원", "sun": "순",
    "jae": "재", "min": "민", "young": "영", "jun": "준", "hye": "혜", "kyong": "경", "kyung": "경", "hwa": "화",
    "ok": "옥", "yang": "양", "mun": "문", "paek": "백", "ro": "로", "hong": "홍", "kye": "계", "rim": "림",
    "sin": "신", "shin": "신", "so": "서", "jon": "전", "chon": "천", "yu": "유", "hwang": "황", "ko": "고",
    "sim": "심", "an": "안", "o": "오", "kang": "강", "jang": "장", "jo": "조", "cho": "조", "han": "한",
    "ryu": "류", "hyong": "형", "gil": "길", "chae": "채", "ung": "웅", "ik": "익", "chi": "지", "ji": "지",
    "pok": "복", "bok": "복", "tae": "태", "thaek": "택", "taek": "택", "to": "도", "do": "도", "ki": "기",
    "gi": "기", "kuk": "국", "guk": "국", "mi": "미", "hun": "훈", "hyun": "현", "jung": "정", "ryol": "렬",
    "sang": "상", "se": "세", "ran": "란", "mok": "목", "bong": "봉", "gyong": "경", "gwang": "광", "yon": "연",
    "hyang": "향", "ryang": "량", "chu": "추", "myung": "명", "byung": "병", "pyong": "평", "hae": "해",
    "sol": "설", "om": "엄", "kyu": "규", "ha": "하", "kwon": "권", "chin": "진", "ae": "애", "kil": "길",
}  # fmt: skip


def _hangul_syllables(word: str) -> list[str] | None:
    low = word.lower()

    def parse(rest: str) -> list[str] | None:
        if not rest:
            return []
        if rest in HANGUL_WORDS:
            return [HANGUL_WORDS[rest]]
        for size in range(min(6, len(rest) - 1), 0, -1):  # a known syllable, then the rest
            if rest[:size] in HANGUL_WORDS:
                tail = parse(rest[size:])
                if tail is not None:
                    return [HANGUL_WORDS[rest[:size]]] + tail
        for ini, i_no in _HANGUL_INITIAL:
            if not rest.startswith(ini):
                continue
            for vow, v_no in _HANGUL_VOWEL:
                if not rest.startswith(vow, len(ini)):
                    continue
                at = len(ini) + len(vow)
                for fin, f_no in _HANGUL_FINAL:
                    if rest.startswith(fin, at):
                        tail = parse(rest[at + len(fin) :])
                        if tail is not None:
                            return [chr(0xAC00 + (i_no * 21 + v_no) * 28 + f_no)] + tail
        return None

    return parse(low)


def hangul(word: str) -> str | None:
    """Kim → 김, Jong-un → 정은; None for a word that is not Korean syllables."""
    syllables = _hangul_syllables(word.replace("-", "").replace("'", ""))
    return "".join(syllables) if syllables else None


# ---------------------------------------------------------------- whole names

WordWriter = Callable[[str], "str | None"]

WRITERS: dict[str, WordWriter] = {
    "Arab-European": arabic_european,
    "Hebr": hebrew,
    "Armn": armenian,
    "Geor": georgian,
    "Deva": devanagari,
    "Beng": bengali,
    "Mymr": burmese,
    "Jpan": japanese,
    "Hani": hanzi,
    "Hang": hangul,
}
# How a script separates the words of a name (a foreign name in katakana takes the middle dot).
_SEPARATOR = {"Jpan": "・", "Hani": "", "Hang": "", "Mymr": " "}


def write(name: str, script: str) -> str | None:
    """The Latin ``name`` in ``script``, or None when a word cannot be written in it.
    "Grek", "Cyrl" and "Arab" (an Arabic name) are ``bench.evalset.to_script``'s."""
    if script in ("Grek", "Cyrl", "Arab"):
        return evalset.to_script(name, script)
    writer = WRITERS[script]
    words = [w for w in re.split(r"[\s,]+", name) if w]
    out = []
    for word in words:
        word = word.strip(".\"'()")
        if not word:
            continue
        written = writer(word)
        if written is None:
            return None
        if written:
            out.append(written)
    separator = _SEPARATOR.get(script, " ")
    return separator.join(out) if out else None
