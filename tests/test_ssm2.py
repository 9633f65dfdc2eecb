"""ssm-2, case by case: what it matches, what it keeps apart, and how it explains a score.

The names are made up or shaped like the lists' own rows; each row says why a compliance
engineer expects the answer. ssm-1's own table lives in test_matching.py and is unchanged.
"""

from __future__ import annotations

from typing import Any

import pytest

from service.matching import ssm2
from service.matching.algorithms import ALGORITHMS, DEFAULT_ALGORITHM, compare, scorer
from service.matching.index import ListIndex
from service.matching.score import DEFAULT_THRESHOLD, max_bonus, prepare_query
from service.matching.types import Query
from service.screening import REVIEW_MARGIN


def record(name: str, kind: str = "person") -> dict[str, Any]:
    return {"kind": kind, "names": [{"full": name, "type": "primary"}]}


def ssm2_score(query: str, listed: str, kind: str) -> float:
    return compare(Query(name=query), record(listed, kind), "ssm-2").score


SAME = [
    # a small change
    ("Ivan Sokolovv", "SOKOLOV, Ivan", "person", "a final letter doubled"),
    ("Ivan Sokolo", "SOKOLOV, Ivan", "person", "a final letter dropped"),
    ("S0kol0v Ivan", "SOKOLOV, Ivan", "person", "digits written for letters"),
    ("Juan Delacruz", "Juan de la Cruz", "person", "particles joined to the surname"),
    ("Juan de la Cruz", "Juan Delacruz", "person", "… and the other way round"),
    ("Soko lov Ivan", "SOKOLOV, Ivan", "person", "a space inside a word"),
    ("Ivan Skolovv", "SOKOLOV, Ivan", "person", "two edits in a seven-letter word"),
    ("Abdel Karim Sokolova", "Abdel Karim Sokolov", "person", "a trailing vowel"),
    ("M4J1D1, Karim", "MAJIDI, Karim", "person", "digits between letters, half the word"),
    ("A8dul Karim HAQ", "HAQ, Abdul Karim", "person", "digits read as letters before the name is split"),
    ("Karim Benhabib HADDAD", "Karim Ben Habib HADDAD", "person", "Ben written onto the next word"),
    ("Jawad NUR-ALDIN", "Jawad NUR-AL-DIN", "person", "the article written onto a three-letter word"),
    ("Moh amed Naushad KARIM", "Mohamed Naushad KARIM", "person", "a space inside a name of the variant tables"),
    # other languages' renderings
    ("Präsident Wladimir Putin", "Vladimir Vladimirovich PUTIN", "person", "German spelling and a German title"),
    ("Президент Владимир Путин", "Vladimir PUTIN", "person", "a Russian title left in the name"),
    ("Presidente Vladimir Putin", "Vladimir PUTIN", "person", "a Spanish title"),
    ("Vladimiras Putinas", "Vladimir PUTIN", "person", "Lithuanian case endings -as"),
    ("Vladimirs Putins", "Vladimir PUTIN", "person", "Latvian case endings -s"),
    ("Jewgeni Prigoschin", "Yevgeniy PRIGOZHIN", "person", "German transliteration (j, sch)"),
    ("Evgueni Prigojine", "Yevgeniy PRIGOZHIN", "person", "French transliteration (gu, j, final e)"),
    ("Jewgienij Prigożyn", "Yevgeniy PRIGOZHIN", "person", "Polish transliteration"),
    ("Wjatscheslaw Sergejewitsch Schirow", "Vyacheslav Sergeyevich ZHIROV", "person", "German: w, sch, -witsch"),
    ("Vjatsjeslav Sergejevitsj Zjirov", "Vyacheslav Sergeyevich ZHIROV", "person", "Dutch: tsj, zj, -vitsj"),
    ("Wiaczesław Siergiejewicz Żyrow", "Vyacheslav Sergeyevich ZHIROV", "person", "Polish: cz, ż, -wicz"),
    ("Vjacseszlav Szergejevics Zsirov", "Vyacheslav Sergeyevich ZHIROV", "person", "Hungarian: cs, sz, zs"),
    ("Jurijs Sergejevičs Žirovs", "Yuriy Sergeyevich ZHIROV", "person", "Latvian: ž, č, -s, j for y"),
    ("Jurijus Sergejevičius Žirovas", "Yuriy Sergeyevich ZHIROV", "person", "Lithuanian: -us, -as"),
    ("Borisas Chanas", "Boris KHAN", "person", "Lithuanian: ch for kh, -as"),
    ("Iouri Sergueievitch Jirov", "Yuriy Sergeyevich JIROV", "person", "French: iou, gue, -itch"),
    ("Cemal Hacı Ahmet", "Jamal Hajji AHMED", "person", "Turkish spelling of an Arabic name: c for j"),
    ("Dott. Marco Bellini", "BELLINI, Marco", "person", "an Italian title"),
    ("Посол Marco Bellini", "BELLINI, Marco", "person", "a Russian office (ambassador) left in the name"),
    ("Abgeordneter Marco Bellini", "BELLINI, Marco", "person", "a German office"),
    # other scripts
    ("فلاديمير بوتين", "Vladimir PUTIN", "person", "Arabic rendering of a European name"),
    ("ולדימיר פוטין", "Vladimir PUTIN", "person", "Hebrew"),
    ("Βλαντιμίρ Πούτιν", "Vladimir PUTIN", "person", "Greek"),
    ("Վլադիմիր Պուտին", "Vladimir PUTIN", "person", "Armenian"),
    ("ვლადიმერ პუტინი", "Vladimir PUTIN", "person", "Georgian"),
    ("व्लादिमीर पुतिन", "Vladimir PUTIN", "person", "Devanagari"),
    ("ভ্লাদিমির পুতিন", "Vladimir PUTIN", "person", "Bengali"),
    # companies as people write them
    ("Rosneft Group", "ROSNEFT", "organization", "a generic word added to a one-word listed name"),
    ("Rostec Holding", "ROSTEC", "organization", "… Holding"),
    ("Concern Kalashnikov", "KALASHNIKOV", "organization", "… Concern"),
    (
        "публичное акционерное общество Сбербанк России",
        "Sberbank Rossii PAO",
        "organization",
        "a Russian legal form spelled out in full",
    ),
    ("3 Star Shipping", "Three Stars Shipping LLC", "organization", "digits for number words, singular for plural"),
    ("Bank of Moscow", "Moscow Bank", "organization", "word order: X of Y / Y X"),
    ("Alpha Trading U.K. Ltd", "Alpha Trading United Kingdom Limited", "organization", "U.K. / United Kingdom"),
    ("Smith & Sons Trading", "Smith and Sons Trading", "organization", "& / and"),
    ("Alfa Bank (Moscow)", "Alfa Bank", "organization", "a place name in brackets"),
    ("Clearwater Shpg. LLC", "CLEARWATER SHIPPING LLC", "organization", "a word abbreviated by its consonants"),
    ("Boreal Metals Industries (Tehran, 16588)", "BOREAL METALS INDUSTRIES", "organization", "a postcode in brackets"),
    ("Boreal Metals Ltd", "BOREAL METALS (HONG KONG) LTD", "organization", "the listed place in brackets left out"),
    (
        "Limited Liability Company Trading House «Borealis»",
        "BOREALIS LLC",
        "organization",
        "Trading House (Торговый дом) around the listed name",
    ),
    ("Tekhnopromeksport", "Technopromexport", "organization", "scholarly vs common transliteration: kh/ch, ks/x"),
]


@pytest.mark.parametrize(("query", "listed", "kind", "why"), SAME)
def test_ssm2_finds_the_same_party(query: str, listed: str, kind: str, why: str) -> None:
    assert ssm2_score(query, listed, kind) >= DEFAULT_THRESHOLD, why


DIFFERENT = [
    ("Li Wei", "Li Wen", "person", "East-Asian syllable names one letter apart"),
    ("Kim Jong Un", "Kim Jong Il", "person", "another member of one family"),
    ("Hong Li", "AO Hong", "person", "'Ao' is a person's name here, not a legal form to strip"),
    ("Ivan Petrov", "Sergey Ivanovich Petrov Ivanov", "person", "a two-word query against a four-word listed name"),
    ("Global Trading", "Global Energy Trading Company", "organization", "the listed name's other words must cost"),
    ("Sea Star 1", "Sea Star 2", "vessel", "numbered vessels"),
    ("Igor Petrovich KRAVCHENKO", "Igor Petrovich SERGEENKO", "person", "the same given names, another surname"),
    ("SHANE DOMINIC HOWARD", "SHANE DOMINIC CRAWFORD", "person", "surnames that merely rhyme"),
    ("FLORES VARGAS, Mario Antonio", "FLORES SALINAS, Mario Antonio", "person", "a second surname that differs"),
    ("Alexander Petrov", "Alexandra Petrova", "person", "the female forms: a relative, another person"),
    ("Mahmoud Haddad", "Mohammed HADDAD", "person", "two given names the variant tables tell apart"),
    ("Karim Ahmadi", "Karim AHMAD", "person", "Ahmadi is the family name made from Ahmad"),
    ("Sara Haddad", "Seraj HADDAD", "person", "a sound key of two consonants: many names share it"),
    ("Marco KAPLAN", "Marco RINALDI", "person", "Kaplan is a surname, not a misspelt title (Kaptan)"),
]


@pytest.mark.parametrize(("query", "listed", "kind", "why"), DIFFERENT)
def test_ssm2_keeps_different_parties_apart(query: str, listed: str, kind: str, why: str) -> None:
    assert ssm2_score(query, listed, kind) < DEFAULT_THRESHOLD, why


def test_the_algorithms_are_named_and_ssm1_stays_selectable() -> None:
    assert set(ALGORITHMS) == {"ssm-1", "ssm-2"}
    assert DEFAULT_ALGORITHM in ALGORITHMS
    query, listed = Query(name="S0kol0v Ivan"), record("SOKOLOV, Ivan")
    assert compare(query, listed, "ssm-1").score < DEFAULT_THRESHOLD <= compare(query, listed, "ssm-2").score
    with pytest.raises(ValueError, match="unknown algorithm"):
        scorer("ssm-0")


def test_the_explanation_lists_pairs_unmatched_words_with_their_cost_and_titles() -> None:
    result = compare(Query(name="Präsident Wladimir Putin Junior"), record("Vladimir Vladimirovich PUTIN"), "ssm-2")
    (name,) = [f for f in result.features if f.name == "name"]
    assert "putin~putin" in name.detail and "wladimir~vladimir (spelling" in name.detail
    assert "query words unmatched: prasident (costs 0.10), junior (costs 1.00)" in name.detail
    assert "listed words unmatched: vladimirovich (costs 0.20)" in name.detail
    assert "titles, weighed lightly: prasident" in name.detail


def test_digits_are_letters_only_where_they_stand_for_letters() -> None:
    assert ssm2.leet("s0kol0v") == "sokolov" and ssm2.leet("m4j1d1") == "majidi" and ssm2.leet("ton9") == "tong"
    for word in ("mig29", "a320", "7th", "21st", "1990"):
        assert ssm2.leet(word) == word  # a number in a word, an ordinal, a year


def test_a_patronymic_in_another_spelling_costs_as_a_patronymic() -> None:
    """The German -witsch is a patronymic: left out by the list it costs little, as -ovich does."""
    german = compare(Query(name="Wiktor Iwanowitsch Sokolow"), record("Viktor SOKOLOV"), "ssm-2")
    english = ssm2_score("Viktor Ivanovich Sokolov", "Viktor SOKOLOV", "person")
    (name,) = [f for f in german.features if f.name == "name"]
    assert "query words unmatched: iwanowitsch (costs 0.30)" in name.detail
    assert abs(german.score - english) < 0.1


def test_other_spellings_are_read_the_english_way() -> None:
    from service.matching.spellings import readings

    assert "shirov" in readings("schirow")
    assert "yuriy" in readings("jurijus") and "yuriy" in readings("jurijs")
    assert "vladimirovich" in readings("vladimirovičs")
    assert "shchetinin" in readings("szczetinin")
    assert "hajji" in readings("hacci")
    assert readings("jing") == () and readings("thomas") == ()  # one syllable; not a Baltic ending


def test_every_token_similarity_is_bounded_below_one_unless_equal() -> None:
    """No channel says two different words are the same word; none gives more than 0.97."""
    pairs = [("sokolov", "sokolovv"), ("putinas", "putin"), ("prigoschin", "prigozhin"), ("rostekh", "rostec")]
    for a, b in pairs:
        sim, how = ssm2.token_similarity(a, b)
        assert 0.0 < sim < 0.97, (a, b, sim, how)
    assert ssm2.token_similarity("putin", "putin") == (1.0, "exact")


# --- candidate selection reaches the renderings ssm-2 scores ---------------------------------

LISTED = [
    ("1", "person", "SOKOLOV, Ivan Petrovich"),
    ("2", "person", "Juan de la Cruz"),
    ("3", "person", "Vladimir Vladimirovich PUTIN"),
    ("4", "person", "Yevgeniy Viktorovich PRIGOZHIN"),
    ("5", "organization", "ROSNEFT"),
    ("6", "organization", "ALMAZ-ANTEY"),
    ("7", "organization", "STATE CORPORATION ROSTEC"),
    ("8", "person", "Faisal NADEEM"),
]


@pytest.mark.parametrize(
    ("query", "expected", "why"),
    [
        ("S0kol0v Ivan", "1", "digits for letters: no listed word is an edit away as written"),
        ("Juan Delacruz", "2", "particles joined: 'cruz' is inside the query word"),
        ("Vladimiras Putinas", "3", "Lithuanian endings: two letters more than the listed words"),
        ("Jewgeni Prigoschin", "4", "German: far in letters, one sound apart"),
        ("Ivan Skolovv", "1", "two slips in a seven-letter word"),
        ("Rosneft Group", "5", "a generic word added: ssm-1's bound left the one-word name out"),
        ("Joint Stock Company Concern of Air Defence Almaz-Antey", "6", "a long descriptive form"),
        ("Госкорпорация Ростех", "7", "a Russian state-corporation short form, kh for c"),
        ("فلاديمير بوتين", "3", "an Arabic rendering of a European name: by consonants"),
        ("फ़ैसल नदीम", "8", "Devanagari writes no inherent vowel: by consonants"),
    ],
)
def test_ssm2_candidate_selection_reaches_the_rendering(query: str, expected: str, why: str) -> None:
    index = ListIndex("x", "v", [{"id": i, "kind": k, "names": [{"full": n}]} for i, k, n in LISTED])
    pq = prepare_query(Query(name=query))
    floor = DEFAULT_THRESHOLD - REVIEW_MARGIN - max_bonus(pq)
    found = index.name_candidates(ssm2.search_name(pq), 40, floor, ssm2.W.query_around_listed)  # type: ignore[arg-type]
    assert expected in {index.entities[c.entity].id for c in found}, why
