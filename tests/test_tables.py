"""Sanity of the normalisation tables: keys in folded form, no contradictions between tables,
and original-script forms that really fold to the keys written for them."""

from __future__ import annotations

import re
import unicodedata

import pytest
from anyascii import anyascii

from service.matching import tables
from service.matching.normalize import fold

FOLDED = re.compile(r"^[a-z0-9]+( [a-z0-9]+)*$")
_HAN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff])")
_ARABIC = str.maketrans(tables.ARABIC_LETTERS)


def reference_fold(text: str) -> str:
    """The fold the tables are written for: NFKC, casefold, ARABIC_LETTERS, a space around each
    Han character, anyascii, apostrophes removed, every other non-alphanumeric a space."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC)
    text = anyascii(_HAN.sub(r" \1 ", text)).lower()
    text = re.sub(r"['`\u2019]", "", text)
    return " ".join(re.split(r"[^a-z0-9]+", text)).strip()


WORD_TABLES = {
    "LEGAL_FORMS keys": list(tables.LEGAL_FORMS),
    "LEGAL_FORMS codes": list(tables.LEGAL_FORMS.values()),
    "NAME_VARIANTS": [*tables.NAME_VARIANTS, *tables.NAME_VARIANTS.values()],
    "PARTICLES": list(tables.PERSON_PARTICLES),
    "ADDRESS_ABBREVIATIONS": [*tables.ADDRESS_ABBREVIATIONS, *tables.ADDRESS_ABBREVIATIONS.values()],
    "CITY_VARIANTS": [*tables.CITY_VARIANTS, *tables.CITY_VARIANTS.values()],
    "ROMAN_NUMERALS": [*tables.ROMAN_NUMERALS, *tables.ROMAN_NUMERALS.values()],
}


@pytest.mark.parametrize("table", WORD_TABLES)
def test_every_key_and_value_is_in_folded_form(table: str) -> None:
    words = WORD_TABLES[table]
    assert words
    assert [w for w in words if not FOLDED.match(w)] == []


def test_no_word_is_both_a_particle_and_a_legal_form() -> None:
    assert tables.PARTICLES & set(tables.LEGAL_FORMS) == set()
    # The person-only particles are exactly the Arabic articles that are also legal forms.
    assert tables.PERSON_PARTICLES - tables.PARTICLES <= set(tables.LEGAL_FORMS)


def test_name_variants_map_to_their_canonical_spelling() -> None:
    for variant, canonical in tables.NAME_VARIANTS.items():
        assert tables.NAME_VARIANTS[canonical] == canonical, variant
    assert not set(tables.NAME_VARIANTS) & tables.PERSON_PARTICLES
    assert tables.NAME_VARIANTS["mohammed"] == tables.NAME_VARIANTS["mohd"] == "muhammad"
    assert tables.NAME_VARIANTS["hossein"] == "hussein"
    assert "hamad" not in tables.NAME_VARIANTS  # Hamad is not Hamid
    assert tables.NAME_VARIANTS.get("sayed") != tables.NAME_VARIANTS["said"]  # Sayyid is not Said


def test_canonical_values_are_canonical() -> None:
    for table in (tables.ADDRESS_ABBREVIATIONS, tables.CITY_VARIANTS):
        for canonical in table.values():
            assert table[canonical] == canonical


def test_homoglyphs_are_single_foreign_letters_onto_ascii_letters() -> None:
    for char, latin in tables.HOMOGLYPHS.items():
        assert len(char) == 1 and not char.isascii()
        assert unicodedata.name(char).split()[0] in {"CYRILLIC", "GREEK"}
        assert len(latin) == 1 and latin.isascii() and latin.isalpha()
        assert char.isupper() == latin.isupper()


def test_roman_numerals() -> None:
    assert tables.ROMAN_NUMERALS["i"] == "1"
    assert tables.ROMAN_NUMERALS["xiv"] == "14"
    assert tables.ROMAN_NUMERALS["xx"] == "20"
    assert len(tables.ROMAN_NUMERALS) == 20


# Original-script forms, the code they should fold to, and where the form is used.
ORIGINAL_FORMS = [
    ("ООО", "llc"),  # Russia
    ("общество с ограниченной ответственностью", "llc"),
    ("Общество с ограниченной ответственностью", "llc"),
    ("АО", "jsc"),
    ("ЗАО", "jsc"),
    ("ОАО", "jsc"),
    ("ПАО", "jsc"),
    ("акционерное общество", "jsc"),
    ("публичное акционерное общество", "jsc"),
    ("закрытое акционерное общество", "jsc"),
    ("открытое акционерное общество", "jsc"),
    ("ФГУП", "sue"),
    ("федеральное государственное унитарное предприятие", "sue"),
    ("ТОО", "llc"),  # Kazakhstan
    ("товарищество с ограниченной ответственностью", "llc"),
    ("ТОВ", "llc"),  # Ukraine
    ("товариство з обмеженою відповідальністю", "llc"),
    ("ПрАТ", "jsc"),
    ("приватне акціонерне товариство", "jsc"),
    ("таварыства з абмежаванай адказнасцю", "llc"),  # Belarus
    ("有限公司", "llc"),  # China, Hong Kong
    ("有限責任公司", "llc"),
    ("股份有限公司", "jsc"),
    ("株式会社", "kk"),  # Japan
    ("합동", None),  # not a legal form: nothing claimed
    ("주식회사", "jsc"),  # Korea
    ("ՍՊԸ", "llc"),  # Armenia
    ("შპს", "llc"),  # Georgia
    ("Ε.Π.Ε.", "srl"),  # Greece
    ("Α.Ε.", "sa"),
]
# Arabic-script forms fold to these keys only with ARABIC_LETTERS applied before anyascii.
ARABIC_FORMS = [
    ("ذ.م.م", "llc"),
    ("ش.ذ.م.م", "llc"),
    ("شركة ذات مسؤولية محدودة", "llc"),
    ("ش.م.ع", "jsc"),
    ("ش.م.م", "jsc"),
    ("سهامی خاص", "jsc"),
    ("شركة", "generic"),
    ("شرکت", "generic"),
]


@pytest.mark.parametrize(("text", "code"), ORIGINAL_FORMS)
def test_original_script_legal_forms_fold_to_their_keys(text: str, code: str | None) -> None:
    assert tables.LEGAL_FORMS.get(reference_fold(text)) == code
    assert tables.LEGAL_FORMS.get(fold(text)) == code


@pytest.mark.parametrize(("text", "code"), ARABIC_FORMS)
def test_arabic_legal_forms_fold_to_their_keys(text: str, code: str) -> None:
    assert tables.LEGAL_FORMS.get(reference_fold(text)) == code


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("محمد", "muhammad"),
        ("أحمد", "ahmad"),
        ("حسين", "hussein"),
        ("يوسف", "yusuf"),
        ("أسامة", "usama"),
        ("جعفر", "jafar"),
        ("إبراهيم", "ibrahim"),
        ("Андрей", "andrey"),
        ("Юрий", "yuriy"),
        ("Сергій", "sergey"),
        ("Євгеній", "yevgeniy"),
        ("Олександр", "aleksandr"),
        ("Наталья", "nataliya"),
        ("김", "kim"),
    ],
)
def test_original_script_given_names_fold_to_a_variant(text: str, canonical: str) -> None:
    assert tables.NAME_VARIANTS.get(reference_fold(text)) == canonical


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("Санкт-Петербург", "saint petersburg"), ("Москва", "moscow"), ("Київ", "kyiv"), ("香港", "hong kong")],
)
def test_original_script_cities_fold_to_a_variant(text: str, canonical: str) -> None:
    assert tables.CITY_VARIANTS.get(reference_fold(text)) == canonical
    assert tables.CITY_VARIANTS.get(fold(text)) == canonical


@pytest.mark.parametrize(("text", "canonical"), [("ул.", "street"), ("пр-т", "avenue"), ("Straße", "street")])
def test_original_script_address_words(text: str, canonical: str) -> None:
    assert tables.ADDRESS_ABBREVIATIONS.get(reference_fold(text).split()[0]) == canonical
