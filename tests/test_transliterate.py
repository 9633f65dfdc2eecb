"""Romanisation of the scripts anyascii reads letter by letter (service/matching/transliterate.py),
and ssm-2's comparison of such names with their Latin spellings."""

import pytest

from service.matching import ssm2
from service.matching.transliterate import romanise, script_of


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        # Burmese: onset, medials, rhyme; the creaky tone of a nasal final spelt -t; a syllable a word
        ("အောင် ဆန်း စု ကြည်", "aung san su kyi"),
        ("မင်းအောင်လှိုင်", "min aung hlaing"),
        ("မြင့် ကျော် ထွန်း", "myint kyaw htun"),
        ("သိန်း စိန် ညွန့်", "thein sein nyunt"),
        ("ရွှေ ချစ် ဦး", "shwe chit u"),
        ("သူရ နန္ဒာ", "thura nanda"),
        ("အုန်း အေး", "ohn aye"),
        # Hangul: McCune-Reischauer without diacritics, a syllable a word
        ("김정은", "kim jong un"),
        ("박철", "pak chol"),
        ("이명박", "ri myong pak"),
        # a foreign name in Hangul (르, 트, 프: consonants carried by the silent ㅡ) is written whole
        ("블라디미르 푸틴", "buladimiru putin"),
        ("도널드 트럼프", "donoldu turompu"),
        # kana: Hepburn with the combinations foreign names need
        ("ウラジーミル・プーチン", "urajimiru puchin"),
        ("ヴィクトル", "vikutoru"),
        ("ティモシェンコ", "timoshenko"),
        ("とうきょう", "toukyou"),
        # Devanagari, Bengali: the inherent a where it is spoken, long vowels ee/oo
        ("नदीम", "nadeem"),
        ("देवी", "devi"),
        ("दाऊद इब्राहिम", "daood ibrahim"),
        ("फ़ज़ल", "fazal"),
        ("\u0958\u0941\u0930\u0948\u0936\u0940", "quraishi"),  # क़ as one code point (Unicode keeps it whole)
        ("अब्दुल हक़", "abdul haq"),
        ("মাহমুদ", "mahmud"),
        ("সোয়ে", "soye"),
        ("ওয়াসিম", "wasim"),
        ("মৌং", "maung"),
        # Hebrew: consonants, vav w, yod y, geresh forms, a final he is a
        ("פוטין", "pwtyn"),
        ("מיכאיל", "mykayl"),
        ("צ'רנוב", "chrnwv"),
        ("שרה", "shra"),
        # Greek ντ, μπ inside a word are nt, mb (the start is left to normalize.fold: d, b)
        ("Άντον Λάμπρος", "Αntον Λαmbρος"),  # (the tonos taken off: ού reads as ου)
    ],
)
def test_romanise(written: str, latin: str) -> None:
    assert " ".join(romanise(written).split()) == latin


def test_other_scripts_are_left_to_anyascii() -> None:
    for text in ("Vladimir Putin", "Владимир Путин", "Βλαδιμηρος", "محمد", "习近平"):
        assert romanise(text) == text


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("中国电子科技集团公司", "china electronics technology group 公司"),
        ("沈中国际航运", "沈中 international shipping"),  # 国际 after 沈中, not 中国 + 际
        ("華信船務(香港)有限公司", "華信 shipping ( hong kong )有限公司"),  # traditional characters
    ],
)
def test_chinese_company_words_in_english(written: str, read: str) -> None:
    assert " ".join(romanise(written).split()) == read


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("麻原彰晃", "asahara shoko"),
        ("安倍晋三", "abe shinzo"),
        ("田中", "tanaka"),
        ("田中化工", "田中 chemical"),  # not wholly names: a Chinese company's words
        ("林", "林"),  # one character alone is as often the Chinese Lin
    ],
)
def test_japanese_names_in_kanji(written: str, read: str) -> None:
    assert " ".join(romanise(written).split()) == read


def test_syllables_are_not_particles() -> None:
    """达 (Da), 德 (De) are syllables of a Chinese name, not the particles of "da Silva", "de Gaulle"."""
    query = ssm2.prepare("周达青", "query", True)
    assert query.tokens == ("zhou", "da", "qing")
    assert ssm2.compare_names(query, ssm2.prepare("ZHOU Daqing", "primary", True)).score >= 0.8


def test_script_of() -> None:
    assert script_of("פוטין") == "hebrew"
    assert script_of("محمد") == "abjad"
    assert script_of("नदीम") == "indic"
    assert script_of("プーチン") == "syllabary"
    assert script_of("블라디미르 푸틴") == "syllabary"  # a foreign name in Hangul
    assert script_of("김정은") == ""
    assert script_of("Путин") == ""
    assert script_of("အောင်") == ""  # romanised with its vowels


@pytest.mark.parametrize(
    ("written", "latin", "fits"),
    [
        ("kml", "kamel", 3),
        ("atya", "attia", 2),
        ("aty", "attia", 0),  # Arabic writes a final vowel (عطية): a Latin one it lacks is another name
        ("ptrwv", "petrova", 0),  # (Petrova is פטרובה)
        ("hwsyn", "hocine", 4),  # … but a French silent e is no vowel
        ("muhamad", "muhammad", 3),
        ("davood", "dawood", 3),
        ("pwtyn", "putin", 5),
        ("pwtyn", "potanin", 0),  # vav and yod are vowels the Latin word must have there
        ("kml", "kimura", 0),
        ("frydmn", "friedman", 6),
        ("mhmd", "mahmud", 3),
    ],
)
def test_vowelless_fit(written: str, latin: str, fits: int) -> None:
    assert ssm2.vowelless_fit(written, latin) == fits


def test_syllabary_reads_l_as_r() -> None:
    assert ssm2.vowelless_fit("korerovu", "kolerov", "syllabary") >= 3
    assert ssm2.vowelless_fit("korerovu", "kolerov") == 0


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("မောင် မောင် ကျော်", "Maung Maung KYAW"),
        ("ဝင်း မြင့်", "Win MYINT"),
        ("김경옥", "KIM Kyong Ok"),
        ("최석민", "CHOE Sok Min"),
        ("조일우", "CHO Il U"),  # Jo / Cho: one syllable
        ("고태훈", "KO Tae Hun"),  # Thae / Tae
        ("ヴラディミル・クルイロヴ", "Vladimir KRYLOV"),
        ("मुहम्मद इब्राहीम", "Muhammad IBRAHIM"),
        ("আলী হাসান", "Ali HASAN"),  # a final long vowel spelt short
        ("ওয়িন কিআওয়", "WIN KYAW"),
        ("ထွန်း အောင် ဦး", "TUN Aung OO"),  # Htun / Tun, U / Oo
        ("ולדימיר פוטין", "Vladimir PUTIN"),
        ("אלכסנדר לברוב", "Aleksandr LAVROV"),
        ("블라디미르 푸틴", "Vladimir PUTIN"),
        ("세르게이 라브로프", "Sergey LAVROV"),
        ("セルゲイ・ラブロフ", "Sergey LAVROV"),
        ("Βλαντιμίρ Πούτιν", "Vladimir PUTIN"),
        ("麻原彰晃", "Shoko ASAHARA"),
        ("אחמד חסן", "أحمد حسن"),  # Hebrew against Arabic: each its own letters
    ],
)
def test_ssm2_finds_the_latin_name(written: str, latin: str) -> None:
    q, c = ssm2.prepare(written, "query", True), ssm2.prepare(latin, "primary", True)
    assert ssm2.compare_names(q, c).score >= 0.8


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("ולדימיר פוטין", "Vladimir POPOV"),
        ("မောင် မောင် ကျော်", "Maung Maung SOE"),
        ("김정은", "KIM Jong Il"),
        ("ヴラディミル・クルイロヴ", "Vladimir SMIRNOV"),
    ],
)
def test_ssm2_keeps_other_names_apart(written: str, latin: str) -> None:
    q, c = ssm2.prepare(written, "query", True), ssm2.prepare(latin, "primary", True)
    assert ssm2.compare_names(q, c).score < 0.8


def test_a_micro_sign_written_for_the_greek_mu_is_read_as_mu() -> None:
    # A real list writes a Greek name with U+00B5 MICRO SIGN for μ: it case-folds to μ, so the
    # case-blind cluster rule matches it and must find its reading (it raised KeyError).
    assert romanise("Λά\u00b5προς") == romanise("Λάμπρος")
