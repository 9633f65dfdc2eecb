"""Romanisation of the scripts anyascii reads letter by letter, as people write those names in Latin.

anyascii transliterates each character on its own: good for alphabets (Cyrillic, Greek,
Armenian, Georgian), poor where a letter's sound depends on its neighbours. This module writes
such names the way English- and Russian-style Latin spellings of them are written, so that
ssm-2 can compare them with a listed Latin name:

* **Burmese**: syllable by syllable, onset + medials + rhyme, in the conventional spelling of
  Burmese names (အောင် → "aung", မြင့် → "myint", ကျော် → "kyaw", ဦး → "u"), a syllable a word.
* **Hangul**: McCune–Reischauer without diacritics, as North Korean names are listed
  (정 → "jong", 철 → "chol", 박 → "pak"), a syllable a word.
* **Japanese kana**: Hepburn, with the foreign-sound combinations katakana writes names with
  (ヴィ → "vi", ティ → "ti", シェ → "she"); ー and the middle dot dropped.
* **Devanagari and Bengali**: the consonant's inherent "a" written where it is spoken (not
  word-finally, not before a virama), long ī/ū as "ee"/"oo" as Indian names are spelt,
  Bengali ং as "ng" and ওয় as "w".
* **Hebrew**: consonants, with vav as "w" and yod as "y" (the vowel letters an abjad writes,
  as anyascii writes Arabic's), ח as "kh", the geresh forms (צ' ch, ג' j, ז' zh).

Everything else is left to ``normalize.fold`` (anyascii). Pure functions, cached by callers.

    romanise("מיכאיל פרידמן")   → "mykhayl frydmn"
    romanise("김정은")           → "kim jong un"
"""

from __future__ import annotations

import re
import unicodedata

# --------------------------------------------------------------------------- scripts


def script_of(text: str) -> str:
    """The script whose vowels the comparison must treat as partly unwritten: "abjad" (Arabic
    script) and "hebrew" (short vowels unwritten), "indic" (an inherent vowel written by no sign),
    "syllabary" (Japanese kana, and Hangul spelling a foreign name: every consonant carries a
    vowel, l and r one letter), or "" (vowels written as spoken)."""
    for ch in text:
        o = ord(ch)
        if o < 0x0590:
            continue
        if 0x0590 <= o <= 0x05FF or 0xFB1D <= o <= 0xFB4F:
            return "hebrew"
        if 0x0600 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
            return "abjad"
        if 0x0900 <= o <= 0x0DFF or 0x1200 <= o <= 0x139F:  # Indic, Ethiopic
            return "indic"
        if 0x3040 <= o <= 0x30FF or (0xAC00 <= o <= 0xD7A3 and foreign_hangul(text)):
            return "syllabary"
    return ""


_SYLLABIC = re.compile(r"[\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3\uf900-\ufaff]")


def syllabic(text: str) -> bool:
    """Written in syllables (Chinese, Japanese, Korean, Burmese): its romanised words are
    syllables of names ("Da", "De", "Do"), never the particles of European and Arabic names."""
    return _SYLLABIC.search(text) is not None


_BURMESE = re.compile(r"[\u1000-\u109f]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_INDIC = re.compile(r"[\u0900-\u09ff]")
_HEBREW = re.compile(r"[\u05d0-\u05ea]")


def romanise(text: str) -> str:
    """``text`` with its Burmese, Hangul, kana, Devanagari, Bengali and Hebrew written in Latin."""
    if text.isascii():
        return text
    if _BURMESE.search(text):
        text = burmese(text)
    if _HANGUL.search(text):
        foreign = foreign_hangul(text)
        text = _HANGUL_RUN.sub(lambda m: " " + hangul(m.group(0), foreign) + " ", text)
    if _KANA.search(text):
        text = kana(text)
    if _HAN.search(text):
        text = _HAN.sub(lambda m: chinese(m.group(0)), text)
    if _INDIC.search(text):
        text = _INDIC_RUN.sub(lambda m: indic(m.group(0)), text)
    if _HEBREW.search(text):
        text = hebrew(text)
    if _GREEK.search(text):
        # The tonos marks stress only; taken off, ού and ού read as the digraph ου (Πούτιν → Putin).
        text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).replace("\u0301", ""))
    if _GREEK_INSIDE.search(text):
        text = _GREEK_INSIDE.sub(lambda m: _GREEK_CLUSTERS[m.group(0).casefold()], text)
    return text


# Greek writes d and b as ντ and μπ; inside a word of a foreign name they are nt and mb
# (Άντον is Anton, Λάμπρος Lambros); at the start normalize.fold reads them d, b (Ντίμα Dima).
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_GREEK_CLUSTERS = {"ντ": "nt", "μπ": "mb"}
_GREEK_INSIDE = re.compile(r"(?<=[\u0370-\u03ff\u1f00-\u1fff])(?:ντ|μπ)", re.IGNORECASE)


# --------------------------------------------------------------------------- Chinese

# The generic words of Chinese company names, in English as the lists translate them: a Chinese
# name is read for its sound (anyascii's pinyin) except for these, whose English the listed
# name gives instead ("丹东金祥贸易有限公司" is DANDONG JINXIANG TRADE CO., LTD.).
CHINESE_WORDS = {
    "中国": "china", "香港": "hong kong", "澳门": "macau", "台湾": "taiwan", "国际": "international",
    "集团": "group", "控股": "holding", "投资": "investment", "贸易": "trading", "商贸": "trading",
    "进出口": "import export", "实业": "industrial", "工业": "industry", "企业": "enterprise",
    "科技": "technology", "技术": "technology", "电子": "electronics", "电气": "electric", "电力": "power",
    "动力": "power", "能源": "energy", "石油": "petroleum", "石化": "petrochemical", "化工": "chemical",
    "机械": "machinery", "机器": "machinery", "机床": "machine tool", "设备": "equipment", "仪器": "instruments",
    "航运": "shipping", "海运": "shipping", "船务": "shipping", "船舶": "shipbuilding", "物流": "logistics",
    "运输": "transport", "航空": "aviation", "航天": "aerospace", "发展": "development", "建设": "construction",
    "工程": "engineering", "材料": "materials", "金属": "metals", "矿业": "mining", "钢铁": "steel",
    "通信": "communications", "通讯": "communications", "网络": "network", "软件": "software",
    "光学": "optical", "光电": "optoelectronics", "精密": "precision", "半导体": "semiconductor",
    "汽车": "automobile", "医药": "pharmaceutical", "生物": "biotechnology", "银行": "bank",
    "供应链": "supply chain", "咨询": "consulting", "管理": "management", "服务": "services",
    "数控": "cnc", "自动化": "automation", "新材料": "new materials", "电子商务": "ecommerce",
}  # fmt: skip
# Traditional characters (Hong Kong, Taiwan) of the same words.
_TRADITIONAL = str.maketrans(
    "國際團資貿進實業術電氣動機設備儀運務輸發礦鋼鐵網軟體導車醫藥銀應鏈詢數學門灣",
    "国际团资贸进实业术电气动机设备仪运务输发矿钢铁网软体导车医药银应链询数学门湾",
)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_HAN_LONGEST = max(len(w) for w in CHINESE_WORDS)


# Japanese family and given names written in kanji, with their usual readings: anyascii reads
# kanji as Chinese (田中 → "tian zhong"). Only names of two characters or more, and only a run
# of characters made wholly of them, is read so (林 alone is as often the Chinese Lin).
JAPANESE_NAMES = {
    # family names, the most frequent first
    "佐藤": "sato", "鈴木": "suzuki", "高橋": "takahashi", "田中": "tanaka", "伊藤": "ito", "渡辺": "watanabe",
    "渡邊": "watanabe", "渡部": "watanabe", "山本": "yamamoto", "中村": "nakamura", "小林": "kobayashi",
    "加藤": "kato", "吉田": "yoshida", "山田": "yamada", "佐々木": "sasaki", "山口": "yamaguchi",
    "松本": "matsumoto", "井上": "inoue", "木村": "kimura", "斎藤": "saito", "斉藤": "saito", "清水": "shimizu",
    "山崎": "yamazaki", "池田": "ikeda", "橋本": "hashimoto", "阿部": "abe", "安倍": "abe", "石川": "ishikawa",
    "山下": "yamashita", "中島": "nakajima", "石井": "ishii", "小川": "ogawa", "前田": "maeda", "岡田": "okada",
    "長谷川": "hasegawa", "藤田": "fujita", "後藤": "goto", "近藤": "kondo", "村上": "murakami", "遠藤": "endo",
    "青木": "aoki", "坂本": "sakamoto", "福田": "fukuda", "太田": "ota", "西村": "nishimura", "藤井": "fujii",
    "金子": "kaneko", "岡本": "okamoto", "藤原": "fujiwara", "中野": "nakano", "三浦": "miura", "原田": "harada",
    "中川": "nakagawa", "松田": "matsuda", "竹内": "takeuchi", "小野": "ono", "田村": "tamura", "中山": "nakayama",
    "和田": "wada", "石田": "ishida", "森田": "morita", "上田": "ueda", "柴田": "shibata", "酒井": "sakai",
    "工藤": "kudo", "横山": "yokoyama", "宮崎": "miyazaki", "宮本": "miyamoto", "内田": "uchida", "高木": "takagi",
    "安藤": "ando", "島田": "shimada", "谷口": "taniguchi", "大野": "ono", "高田": "takada", "丸山": "maruyama",
    "今井": "imai", "河野": "kono", "藤本": "fujimoto", "村田": "murata", "武田": "takeda", "上野": "ueno",
    "杉山": "sugiyama", "増田": "masuda", "小山": "koyama", "大塚": "otsuka", "平野": "hirano", "菅原": "sugawara",
    "久保": "kubo", "松井": "matsui", "千葉": "chiba", "岩崎": "iwasaki", "桜井": "sakurai", "木下": "kinoshita",
    "野口": "noguchi", "松尾": "matsuo", "菊地": "kikuchi", "野村": "nomura", "新井": "arai", "浅野": "asano",
    "岸田": "kishida", "石破": "ishiba", "小泉": "koizumi", "麻原": "asahara", "松本智津夫": "matsumoto chizuo",
    "上祐": "joyu", "新実": "niimi", "土谷": "tsuchiya", "早川": "hayakawa", "井上嘉浩": "inoue yoshihiro",
    # given names
    "晋三": "shinzo", "文雄": "fumio", "純一郎": "junichiro", "義偉": "yoshihide", "茂": "shigeru",
    "彰晃": "shoko", "智津夫": "chizuo", "史浩": "fumihiro", "智光": "tomomitsu", "嘉浩": "yoshihiro",
    "一郎": "ichiro", "太郎": "taro", "次郎": "jiro", "健二": "kenji", "浩二": "koji", "裕二": "yuji",
    "健太": "kenta", "翔太": "shota", "大輔": "daisuke", "直樹": "naoki", "正人": "masato", "哲也": "tetsuya",
    "和也": "kazuya", "達也": "tatsuya", "拓也": "takuya", "雄一": "yuichi", "誠一": "seiichi", "秀樹": "hideki",
    "正雄": "masao", "康弘": "yasuhiro", "俊介": "shunsuke", "健一": "kenichi", "修一": "shuichi",
    "信也": "shinya", "幸子": "sachiko", "恵子": "keiko", "明子": "akiko", "直子": "naoko", "智子": "tomoko",
    "裕子": "yuko", "由美": "yumi", "洋子": "yoko", "陽子": "yoko", "京子": "kyoko", "久美子": "kumiko",
    "真理子": "mariko", "美穂": "miho", "清": "kiyoshi", "博": "hiroshi", "隆": "takashi", "誠": "makoto",
}  # fmt: skip
_JAPANESE_LONGEST = max(len(w) for w in JAPANESE_NAMES)


def japanese_name(run: str) -> str | None:
    """The reading of a run of kanji made wholly of Japanese names (麻原彰晃 → "asahara shoko"),
    a family name of two characters or more first; None otherwise."""
    for size in range(min(_JAPANESE_LONGEST, len(run)), 1, -1):
        family = JAPANESE_NAMES.get(run[:size])
        if family is None:
            continue
        rest = run[size:]
        if not rest:
            return family
        given = JAPANESE_NAMES.get(rest)
        if given is not None:
            return family + " " + given
    return None


def chinese(run: str) -> str:
    """A run of Chinese characters with its generic company words in English, the rest left to
    anyascii's pinyin; the words are found so as to cover the most characters (沈中国际航运:
    沈中 + 国际 + 航运, not 沈 + 中国 + 际 + 航运). Traditional characters are read as simplified."""
    if (japanese := japanese_name(run)) is not None:
        return " " + japanese + " "
    simple = run.translate(_TRADITIONAL)
    n = len(simple)
    best: list[tuple[int, list[tuple[int, int]]]] = [(0, [])] * (n + 1)  # covered, words, up to i
    for i in range(1, n + 1):
        best[i] = best[i - 1]
        for size in range(2, min(_HAN_LONGEST, i) + 1):
            if simple[i - size : i] in CHINESE_WORDS:
                covered = best[i - size][0] + size
                if covered >= best[i][0]:  # a tie: the later word (沈中 + 国际, not 沈 + 中国 + 际)
                    best[i] = (covered, best[i - size][1] + [(i - size, i)])
    out, at = [], 0
    for start, end in best[n][1]:
        out += [run[at:start], " " + CHINESE_WORDS[simple[start:end]] + " "]
        at = end
    return "".join(out) + run[at:]


# --------------------------------------------------------------------------- Burmese

_MY_ONSETS = {
    "က": "k", "ခ": "kh", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "s", "ဇ": "z", "ဈ": "z", "ည": "ny",
    "ဋ": "t", "ဌ": "ht", "ဍ": "d", "ဎ": "d", "ဏ": "n", "တ": "t", "ထ": "ht", "ဒ": "d", "ဓ": "d", "န": "n",
    "ပ": "p", "ဖ": "ph", "ဗ": "b", "ဘ": "b", "မ": "m", "ယ": "y", "ရ": "y", "လ": "l", "ဝ": "w", "သ": "th",
    "ဟ": "h", "ဠ": "l", "အ": "",
}  # fmt: skip
# Independent vowels (ဦး is the honorific U, also spelt Oo).
_MY_VOWELS = {"ဥ": "u", "ဦ": "u", "ဧ": "e", "ဣ": "i", "ဤ": "i", "ဩ": "aw", "ဪ": "aw", "ဿ": "th"}
_MY_MEDIAL_Y = "\u103b\u103c"  # ျ ြ
_MY_MEDIAL_W = "\u103d"  # ွ
_MY_MEDIAL_H = "\u103e"  # ှ
_MY_ASAT = "\u103a"
_MY_VIRAMA = "\u1039"  # a stacked consonant: the one before closes the syllable
_MY_CREAKY = "\u1037"  # ့
_MY_TONES = "\u1037\u1038"  # ့ း
# Rhymes: (vowel signs, final consonant) → spelling; the final is the consonant before the asat.
_MY_RHYMES = {
    ("", ""): "a", ("ာ", ""): "a", ("ါ", ""): "a", ("ိ", ""): "i", ("ီ", ""): "i", ("ု", ""): "u",
    ("ူ", ""): "u", ("ေ", ""): "e", ("ဲ", ""): "e", ("ော", ""): "aw", ("ေါ", ""): "aw", ("ို", ""): "o",
    ("ံ", ""): "an", ("ို", "လ"): "o", ("ွ", ""): "wa",
    ("", "က"): "et", ("", "င"): "in", ("", "စ"): "it", ("", "ည"): "i", ("", "ဉ"): "in", ("", "တ"): "at",
    ("", "ဋ"): "at", ("", "န"): "an", ("", "ပ"): "at", ("", "မ"): "an", ("", "ယ"): "e", ("", "ဏ"): "an",
    ("", "လ"): "an", ("ိ", "န"): "ein", ("ိ", "မ"): "ein", ("ိ", "တ"): "eik", ("ိ", "ပ"): "eik",
    ("ု", "န"): "on", ("ု", "မ"): "on", ("ု", "တ"): "ok", ("ု", "ပ"): "ok", ("ု", "က"): "ok",
    ("ို", "က"): "aik", ("ို", "င"): "aing", ("ော", "က"): "auk", ("ော", "င"): "aung", ("ေါ", "င"): "aung",
    ("ွ", "န"): "un", ("ွ", "မ"): "un", ("ွ", "တ"): "ut", ("ွ", "ဋ"): "ut", ("ွ", "ပ"): "ut",
    ("ာ", "ရ"): "ar", ("ာ", "န"): "an", ("ေ", "တ"): "et",
}  # fmt: skip
_MY_SIGNS = "\u102b\u102c\u102d\u102e\u102f\u1030\u1031\u1032\u1036"


def burmese(text: str) -> str:
    """Burmese syllables in their usual Latin spelling, each a word (as Latin lists write
    Burmese names: "Aung San Suu Kyi"); a syllable of a Pali loan without a final keeps to the
    next (သူရ → "thura")."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _MY_VOWELS:
            i += 1
            while i < n and text[i] in _MY_TONES + _MY_ASAT:
                i += 1
            out.append(_MY_VOWELS[ch] + " ")
            continue
        if ch not in _MY_ONSETS:
            out.append(ch)
            i += 1
            continue
        onset = _MY_ONSETS[ch]
        i += 1
        y = w = h = False
        while i < n and text[i] in _MY_MEDIAL_Y + _MY_MEDIAL_W + _MY_MEDIAL_H:
            y |= text[i] in _MY_MEDIAL_Y
            w |= text[i] == _MY_MEDIAL_W
            h |= text[i] == _MY_MEDIAL_H
            i += 1
        signs = ""
        while i < n and text[i] in _MY_SIGNS:
            signs += text[i]
            i += 1
        final = ""
        stacked = False  # the final is stacked on the next syllable's onset (နန္ဒာ → "nanda")
        creaky = False
        if i + 2 < n and text[i] in _MY_ONSETS and text[i + 1] == _MY_CREAKY and text[i + 2] == _MY_ASAT:
            final, creaky = text[i], True  # the creaky tone may be written before the asat
            i += 3
        elif i + 1 < n and text[i] in _MY_ONSETS and text[i + 1] in (_MY_ASAT, _MY_VIRAMA):
            final, stacked = text[i], text[i + 1] == _MY_VIRAMA
            i += 2
        # ေ + ာ is written as two signs; ွ with a final is the rhyme's vowel (ထွန်း → "htun").
        signs = signs.replace("\u1031\u102c", "ော").replace("\u1031\u102b", "ေါ").replace("\u102d\u102f", "ို")
        creaky = creaky or (i < n and text[i] == _MY_CREAKY)
        while i < n and text[i] in _MY_TONES + _MY_ASAT:
            i += 1
        rhyme_key = ("ွ" if w and final and final != "င" and not signs else signs, final)
        if rhyme_key[0] == "ွ":
            w = False
        rhyme = _MY_RHYMES.get(rhyme_key)
        if rhyme is None:
            rhyme = _MY_RHYMES.get((signs, ""), "a") + (_MY_ONSETS.get(final, "")[:1] if final else "")
        if creaky and final in ("န", "င", "မ", "ဉ"):
            rhyme += "t"  # the creaky tone of a nasal final is spelt -t: Myint, Thant, Nyunt
        if onset == "" and signs == "ေ" and not final:
            rhyme = "aye"  # အေး: Aye
        elif onset == "" and rhyme == "on":
            rhyme = "ohn"  # အုန်း: Ohn
        head = onset
        if ch == "ရ" and h:
            head, h = "sh", False
        elif ch == "ရ" and out and not out[-1].endswith(" "):
            head = "r"  # inside a word ရ is r (Thura)
        if y:
            head = {"kh": "ch", "k": "ky", "g": "j", "ng": "ny"}.get(head, head + "y")
        if h:
            head = "h" + head
        if w:
            head += "w"
        syllable = head + rhyme
        # A syllable ends a word where it closes (a final, a tone): Burmese writes no spaces.
        closes = bool(final) or creaky or (i > 0 and text[i - 1] in _MY_TONES) or i >= n or text[i] in " \u104a\u104b"
        out.append(syllable + (" " if closes and not stacked else ""))
    return re.sub(r" +", " ", "".join(out)).strip()


# --------------------------------------------------------------------------- Hangul

_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_KO_INITIALS = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h")
_KO_VOWELS = (
    "a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u",
    "ui", "i",
)  # fmt: skip
_KO_FINALS = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng",
    "t", "t", "k", "t", "p", "t",
)  # fmt: skip


# A foreign name spelt in Hangul: consonants as they stand for foreign sounds (ㅂ b, ㄷ d).
_KO_FOREIGN_INITIALS = (
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h",
)  # fmt: skip
_KO_FOREIGN_FINALS = {8: "l", 16: "m", 4: "n", 21: "ng", 1: "k", 17: "p", 19: "t"}
_KO_EU, _KO_RIEUL = 18, 5


def foreign_hangul(text: str) -> bool:
    """Whether Hangul spells a foreign name: a consonant carried by the silent vowel ㅡ with
    no final (르 스 트 드 브 프 크: 블라디미르, 트럼프) marks a foreign consonant cluster, which
    Korean names do not have."""
    for ch in text:
        s = ord(ch) - 0xAC00
        if 0 <= s < 11172 and (s % 588) // 28 == _KO_EU and s % 28 == 0 and s // 588 != 11:
            return True
    return False


def hangul(run: str, foreign: bool = False) -> str:
    """Hangul syllables in McCune–Reischauer without diacritics, a syllable a word: ㅓ and ㅗ
    are both "o", ㅡ and ㅜ both "u" (as the lists write North Korean names); a name's first
    syllable 이 or 리 is the surname Ri (Lee, Yi). A ``foreign`` name's word is written
    whole, ㄹㄹ as one l (블라디미르 → "buladimiru")."""
    out = []
    previous_final = -1
    for k, ch in enumerate(run):
        s = ord(ch) - 0xAC00
        initial, vowel, final = s // 588, (s % 588) // 28, s % 28
        if foreign:
            head = "" if initial == _KO_RIEUL and previous_final == 8 else _KO_FOREIGN_INITIALS[initial]
            out.append(head + _KO_VOWELS[vowel] + _KO_FOREIGN_FINALS.get(final, _KO_FINALS[final]))
            previous_final = final
            continue
        syllable = _KO_INITIALS[initial] + _KO_VOWELS[vowel] + _KO_FINALS[final]
        if k == 0 and syllable in ("i", "ri"):
            syllable = "ri"
        out.append(syllable)
    return ("" if foreign else " ").join(out)


# --------------------------------------------------------------------------- Japanese kana

_KANA_BASE = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o", "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke",
    "コ": "ko", "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go", "サ": "sa", "シ": "shi", "ス": "su",
    "セ": "se", "ソ": "so", "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo", "タ": "ta", "チ": "chi",
    "ツ": "tsu", "テ": "te", "ト": "to", "ダ": "da", "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do", "ナ": "na",
    "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no", "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he", "ホ": "ho",
    "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "be", "ボ": "bo", "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe",
    "ポ": "po", "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo", "ヤ": "ya", "ユ": "yu", "ヨ": "yo",
    "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro", "ワ": "wa", "ヰ": "i", "ヱ": "e", "ヲ": "o",
    "ン": "n", "ヴ": "vu", "ヷ": "va", "ヸ": "vi", "ヹ": "ve", "ヺ": "vo",
}  # fmt: skip
_KANA_SMALL_VOWEL = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"}
_KANA_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
_KANA_SEPARATORS = "・＝=･"


def _consonant(romaji: str) -> str:
    """A kana's consonant, its vowel taken off (シ → "sh", ツ → "ts", ウ → "w", イ → "y")."""
    if romaji in ("u",):
        return "w"
    if romaji in ("i",):
        return "y"
    return romaji[:-1] if romaji[-1] in "aiueo" else romaji


def kana(text: str) -> str:
    """Kana in Hepburn, with the combinations katakana writes foreign names with (ヴァ va,
    ティ ti, ファ fa, シェ she, キャ kya); ッ doubles the next consonant, ー is dropped."""
    # Hiragana as katakana: one table.
    text = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)
    out: list[str] = []
    double = False
    for ch in text:
        if ch in _KANA_SMALL_VOWEL and out and out[-1]:
            out[-1] = _consonant(out[-1]) + _KANA_SMALL_VOWEL[ch]
            continue
        if ch in _KANA_SMALL_Y and out and out[-1]:
            head = _consonant(out[-1])
            out[-1] = head + ("" if head in ("sh", "ch", "j") else "y") + _KANA_SMALL_Y[ch]
            continue
        if ch == "ッ":
            double = True
            continue
        if ch == "ー":
            continue
        romaji = _KANA_BASE.get(ch)
        if romaji is None:
            out.append(" " if ch in _KANA_SEPARATORS else ch)
            double = False
            continue
        if double and romaji[0] not in "aiueon":
            romaji = romaji[0] + romaji
        double = False
        out.append(romaji)
    return "".join(out)


# --------------------------------------------------------------------------- Devanagari and Bengali

_INDIC_RUN = re.compile(r"[\u0900-\u09ff]+")
_DEVA_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "ng", "च": "ch", "छ": "chh", "ज": "j", "झ": "jh", "ञ": "ny",
    "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t", "थ": "th", "द": "d", "ध": "dh", "न": "n",
    "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m", "य": "y", "र": "r", "ल": "l", "ळ": "l", "व": "v",
    "श": "sh", "ष": "sh", "स": "s", "ह": "h",
}  # fmt: skip
# Letters with a nukta that Unicode keeps whole (क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़, ড় ঢ় য়): as letter + nukta.
_NUKTA_LETTERS = {0x0958 + k: base + "\u093c" for k, base in enumerate("कखगजडढफय")} | {
    0x09DC: "\u09a1\u09bc",
    0x09DD: "\u09a2\u09bc",
    0x09DF: "\u09af\u09bc",
}
_DEVA_NUKTA = {"क": "q", "ख": "kh", "ग": "gh", "ज": "z", "ड": "r", "ढ": "rh", "फ": "f", "य": "y"}
_DEVA_VOWELS = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "ee", "उ": "u", "ऊ": "oo", "ऋ": "ri", "ए": "e", "ऐ": "ai", "ओ": "o",
    "औ": "au", "ऑ": "o", "ऍ": "e",
}  # fmt: skip
_DEVA_SIGNS = {
    "ा": "a", "ि": "i", "ी": "ee", "ु": "u", "ू": "oo", "ृ": "ri", "े": "e", "ै": "ai", "ो": "o", "ौ": "au",
    "ॉ": "o", "ॅ": "e",
}  # fmt: skip
_BENG_CONSONANTS = {
    "ক": "k", "খ": "kh", "গ": "g", "ঘ": "gh", "ঙ": "ng", "চ": "ch", "ছ": "chh", "জ": "j", "ঝ": "jh", "ঞ": "ny",
    "ট": "t", "ঠ": "th", "ড": "d", "ঢ": "dh", "ণ": "n", "ত": "t", "থ": "th", "দ": "d", "ধ": "dh", "ন": "n",
    "প": "p", "ফ": "ph", "ব": "b", "ভ": "bh", "ম": "m", "য": "j", "র": "r", "ল": "l", "শ": "sh", "ষ": "sh",
    "স": "s", "হ": "h", "ৎ": "t",
}  # fmt: skip
_BENG_NUKTA = {"ড": "r", "ঢ": "rh", "য": "y"}
_BENG_VOWELS = {
    "অ": "a", "আ": "a", "ই": "i", "ঈ": "ee", "উ": "u", "ঊ": "oo", "ঋ": "ri", "এ": "e", "ঐ": "ai", "ও": "o",
    "ঔ": "au",
}  # fmt: skip
_BENG_SIGNS = {
    "া": "a", "ি": "i", "ী": "ee", "ু": "u", "ূ": "oo", "ৃ": "ri", "ে": "e", "ৈ": "ai", "ো": "o", "ৌ": "au",
}  # fmt: skip
_CONSONANTS = _DEVA_CONSONANTS | _BENG_CONSONANTS
_NUKTA_OF = _DEVA_NUKTA | _BENG_NUKTA
_VOWELS = _DEVA_VOWELS | _BENG_VOWELS
_SIGNS = _DEVA_SIGNS | _BENG_SIGNS
_VIRAMA = "\u094d\u09cd"
_NUKTA = "\u093c\u09bc"
_NASAL = {"\u0902": "n", "\u0901": "n", "\u0982": "ng", "\u0981": "n", "\u0903": "h", "\u0983": "h"}


def indic(word: str) -> str:
    """A Devanagari or Bengali word in Latin: a consonant's inherent vowel written as "a"
    unless a sign, a virama or the end of the word takes it; a Bengali ওয় before a vowel is
    "w"; an "i" before another vowel is "y" (কিআ → "kya")."""
    word = unicodedata.normalize("NFC", word).translate(_NUKTA_LETTERS)
    out: list[str] = []
    inherent: list[int] = []  # the units whose "a" is the consonant's own (no sign written)
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if ch in _CONSONANTS or ch in _NUKTA_OF:
            sound = _CONSONANTS.get(ch, "")
            if ch == "য" and i and word[i - 1] in _VIRAMA:
                sound = "y"  # য-phala: a glide after a consonant (ব্যাংক "byank")
            i += 1
            if i < n and word[i] in _NUKTA:
                sound = _NUKTA_OF.get(ch, sound)
                i += 1
            if i < n and word[i] in _SIGNS:
                out.append(sound + _SIGNS[word[i]])
                i += 1
            elif i < n and word[i] in _VIRAMA:
                out.append(sound)
                i += 1
            elif i >= n:
                out.append(sound)  # schwa deletion at the end of a word
            else:
                inherent.append(len(out))
                out.append(sound + "a")
            continue
        if ch in _VOWELS:
            sound = _VOWELS[ch]
            # ওয় (o + ya) before a vowel, or at the end of a word, is Bengali's w.
            if ch == "ও" and word[i + 1 : i + 3] == "\u09af\u09bc":
                nxt = word[i + 3] if i + 3 < n else ""
                if nxt in _SIGNS:
                    out.append("w" + _SIGNS[nxt])
                    i += 4
                    continue
                if not nxt or nxt not in _VIRAMA:
                    out.append("w")
                    i += 3
                    continue
            if out and out[-1].endswith("i") and sound[0] in "aeou":
                out[-1] = out[-1][:-1] + "y"
            out.append(sound)
            i += 1
            continue
        if ch in _NASAL:
            out.append(_NASAL[ch])
            i += 1
            continue
        if ch in _SIGNS:  # a sign after a vowel letter (ওয়ে read above); standing alone
            out.append(_SIGNS[ch])
            i += 1
            continue
        i += 1  # virama after a vowel, nukta alone, marks this reading does not need
    # Schwa deletion inside the word, right to left: an inherent a between a vowel and a
    # consonant that has its own vowel is not spoken (कमला "kamla", মাহমুদ "mahmud").
    for k in reversed(inherent):
        if 0 < k < len(out) - 1 and out[k - 1][-1:] in _SPOKEN and _opens(out[k + 1]):
            out[k] = out[k][:-1]
    word = "".join(out)
    if word.endswith(("ee", "oo")) and len(word) > 3:
        word = word[:-2] + ("i" if word[-1] == "e" else "u")  # spelt short at the end: देवी Devi, मोदी Modi
    return word


_SPOKEN = set("aeiou")


def _opens(unit: str) -> bool:
    """A consonant followed by its vowel (a unit of this reading that is a syllable)."""
    return bool(unit) and unit[0] not in _SPOKEN and unit[-1] in _SPOKEN


# --------------------------------------------------------------------------- Hebrew

_HE_LETTERS = {
    "א": "a", "ב": "v", "ג": "g", "ד": "d", "ה": "h", "ו": "w", "ז": "z", "ח": "kh", "ט": "t", "י": "y",
    "כ": "k", "ך": "kh", "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s", "ע": "a", "פ": "f",
    "ף": "f", "צ": "ts", "ץ": "ts", "ק": "k", "ר": "r", "ש": "sh", "ת": "t",
}  # fmt: skip
_HE_GERESH = {"צ": "ch", "ץ": "ch", "ג": "j", "ז": "zh", "ת": "th", "ח": "kh"}
_GERESH = "'\u05f3\u2019`"
_HE_WORD = re.compile(r"[\u05d0-\u05ea\u05f3'\u2019`\u05b0-\u05c7]+")


def _hebrew_word(word: str) -> str:
    word = re.sub(r"[\u05b0-\u05c7]", "", word)  # points (niqqud), rarely written in names
    out: list[str] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if ch in _GERESH:
            i += 1
            continue
        if i + 1 < len(word) and word[i + 1] in _GERESH and ch in _HE_GERESH:
            out.append(_HE_GERESH[ch])
            i += 2
            continue
        if ch == "ו" and i + 1 < len(word) and word[i + 1] == "ו":
            out.append("v")  # a doubled vav is the consonant v
            i += 2
            continue
        sound = _HE_LETTERS.get(ch, ch)
        if i == 0 and ch in "בפכ":
            sound = {"ב": "b", "פ": "p", "כ": "k"}[ch]  # at the start of a word: b, p, k (dagesh)
        elif i == 0 and ch == "ו":
            sound = "v"
        elif i == len(word) - 1 and ch == "ה" and i > 1:
            sound = "a"  # a final he is the vowel a (Moshe, Samiya)
        out.append(sound)
        i += 1
    return "".join(out)


def hebrew(text: str) -> str:
    """Hebrew consonants in Latin, the vowel letters as an abjad writes them: vav "w", yod
    "y", alef and ayin "a"; a word-initial bet, pe, kaf hard; ח "kh"; the article-like אל-
    (al-) written apart."""
    return _HE_WORD.sub(lambda m: _hebrew_word(m.group(0)), text)
