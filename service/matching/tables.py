"""Data the name, address and script normalisation reads: pure tables, no code beyond building them.

Every key is in *folded* form — lowercase ASCII words separated by single spaces — exactly as
``normalize.fold`` renders text: NFKC, transliteration by anyascii (chosen by measurement, see
``bench/transliteration.py``), lowercase, apostrophes removed, every other non-alphanumeric
character a space. Forms written in another script are given as anyascii renders them; the
original is in the comment beside each, and ``tests/test_tables.py`` folds those originals to
prove the keys are right. Where the fold's dropping of combining marks changes a rendering
(й → "i" rather than anyascii's "y"), both spellings are keys.

A wrong entry costs more than a missing one: a false equivalence or a dropped word that
carries meaning makes false positives for every name it touches. Each set says what it
leaves out and why.
"""

from __future__ import annotations


def _groups(*groups: tuple[str, ...]) -> dict[str, str]:
    """{variant: canonical} from groups of equivalent spellings, the first of each the canonical."""
    table: dict[str, str] = {}
    for group in groups:
        for variant in group:
            if variant in table:
                raise ValueError(f"{variant!r} is in two groups")
            table[variant] = group[0]
    return table


def _codes(**forms: tuple[str, ...]) -> dict[str, str]:
    """{folded form: code} from code=(forms…); the code itself is a key only if listed as a form."""
    table: dict[str, str] = {}
    for code, spelled in forms.items():
        for form in spelled:
            if form in table:
                raise ValueError(f"{form!r} has two codes")
            table[form] = code
    return table


# The tables below are laid out by hand, several entries a line, so that a group reads as one.
# fmt: off

# ---------------------------------------------------------------------------------------------
# Legal forms: words that say what kind of legal person a name belongs to, not which one.
# Sources: ISO 20275 Entity Legal Forms code list (GLEIF, 2023 edition) for the national forms
# and their abbreviations; the Russian Civil Code art. 66–123 and Ukrainian, Belarusian,
# Kazakh civil codes for the post-Soviet forms; the way the UN, UK and OFAC lists actually
# write them (read from the shared list files: "LLC", "OOO", "ZAO", "Sanayi ve Ticaret A.S.",
# "Co., Ltd.", "FZE", "Sdn. Bhd." …).
# Several national forms share a code where they mean the same thing: ООО, TOV, TOO, Sp. z o.o.,
# s.r.o., GmbH-like private limited companies stay distinct only where lists tell them apart.
# Left out on purpose:
#   holding(s), group, 集团 "jituan", trading, industries, enterprise(s) — descriptive words that
#       distinguish companies of one family ("X Holding" vs "X Trading"); not legal forms.
#   DMCC — the Dubai Multi Commodities Centre, a free-zone *authority*; "X DMCC" names where
#       a company is registered, which is evidence, not noise (FZE/FZCO/FZC/FZ-LLC are forms).
#   "ad" (Bulgarian АД) — collides with the Arabic article ad- (ad-Din), far more frequent in lists.
#   "up" (Belarusian УП), "ss" (Georgian სს, and the S.S. ship prefix), ㈱ / ㈜ (fold to "zhu" /
#       "ju", common Chinese syllables) — too ambiguous as single words.
# Kept although ambiguous: "as" and "at" (Norwegian/Turkish/Danish AS, Ukrainian АТ) collide
# with the Arabic articles as-/at- (as-Sahni): see PERSON_PARTICLES.
# "sanayi ve ticaret" ("industry and trade") is not a legal form, but it sits between the name
# and the form in a large share of Turkish company names ("X Sanayi ve Ticaret A.S.", "X San.
# Tic. Ltd. Sti.") and lists drop it as often as they keep it; it is treated as one, coded
# "generic", as are "ic ve dis ticaret" (domestic and foreign trade) and the Arabic/Persian/
# Vietnamese/Thai word for "company" itself. "ticaret" alone is kept: English "Trade" is part
# of many names.
# Chinese, Korean and Japanese forms are given syllable by syllable (normalize.fold puts a space
# around every Han character) and, for Hangul and kana, which fold does not split, as one word.
LEGAL_FORMS: dict[str, str] = _codes(
    # --- English-speaking and common-law forms --------------------------------------------
    ltd=(
        "limited", "ltd", "co ltd", "company limited", "co limited", "ltd co",
        "pte ltd", "pte", "private limited", "private limited company", "pvt ltd", "pvt",
        "pty ltd", "pty", "limited company",
    ),
    llc=(
        "limited liability company", "llc", "l l c", "fz llc", "fzllc", "fz l l c", "limited liability co",
        # ООО (Russia, Belarus), ТОО (Kazakhstan), ТОВ (Ukraine), ТАА (Belarus), ОДО (Belarus,
        # additional liability), ОсОО (Kyrgyzstan), MChJ (Uzbekistan), MMC (Azerbaijan),
        # ЖШС (Kazakh), შპს (Georgia), ՍՊԸ (Armenia, anyascii "spy")
        "ooo", "too", "tov", "taa", "odo", "osoo", "mchj", "mmc", "zhshs", "shps", "spy",
        # общество с ограниченной ответственностью, as fold renders it (й → i) and as anyascii
        # alone does (й → y), and the spellings lists print
        "obshchestvo s ogranichennoi otvetstvennostyu", "obshchestvo s ogranichennoy otvetstvennostyu",
        "obshchestvo s ogranichennoi otvetstvennostiu", "obshchestvo s ogranichennoy otvetstvennostiu",
        "obschestvo s ogranichennoy otvetstvennostyu", "obshestvo s ogranichennoi otvetstvennostiu",
        # товарищество с ограниченной ответственностью (Kazakhstan ТОО)
        "tovarishchestvo s ogranichennoi otvetstvennostyu", "tovarishchestvo s ogranichennoy otvetstvennostyu",
        # товариство з обмеженою відповідальністю (Ukraine ТОВ)
        "tovaristvo z obmezhenoyu vidpovidalnistyu", "tovarystvo z obmezhenoiu vidpovidalnistiu",
        # таварыства з абмежаванай адказнасцю (Belarus ТАА)
        "tavarystva z abmezhavanai adkaznastsyu", "tavarystva z abmezhavanay adkaznastsyu",
        # жауапкершілігі шектеулі серіктестік (Kazakh ЖШС)
        "zhauapkershiligi shekteuli seriktestik",
        # Arabic: ذ.م.م, ش.ذ.م.م, شركة ذات مسؤولية محدودة / ذات مسؤولية محدودة (with ARABIC_LETTERS,
        # and without)
        "dh m m", "sh dh m m", "shrka dhat msuwlya mhdwda", "dhat msuwlya mhdwda",
        "shrkh dht msuwlyh mhdwdh", "dht msuwlyh mhdwdh",
        # Persian (با) مسئولیت محدود
        "ba msiwlyt mhdwd", "msiwlyt mhdwd", "ba masuliyat mahdud",
        # Chinese 有限公司 / 有限责任公司 (limited company / limited liability company)
        "you xian gong si", "youxian gongsi", "youxiangongsi", "you xian ze ren gong si",
        "youxian zeren gongsi",
        # Korean 유한회사, 유한책임회사 (fold keeps a Hangul word whole)
        "yuhanhoesa", "yu han hoe sa", "yuhanchaegimhoesa", "yu han chaeg im hoe sa",
        # Vietnamese Công ty TNHH (trách nhiệm hữu hạn)
        "tnhh", "cong ty tnhh", "trach nhiem huu han",
        # Hebrew בע"מ (be'eravon mugbal) — anyascii reads ב as "v"
        "v m", "vm", "bm",
        # Thai จำกัด ("limited")
        "chmakad",
    ),
    inc=("inc", "incorporated"),
    corp=("corp", "corporation"),
    co=("co", "company", "cie", "cia", "compania", "companhia", "compagnie"),
    plc=("plc", "p l c", "public limited company", "public company limited"),
    llp=("llp", "l l p", "limited liability partnership"),
    lp=("lp", "l p", "limited partnership", "cv", "c v", "commanditaire vennootschap"),
    # Free-zone establishment / company (UAE: Jebel Ali, RAK, Sharjah free zones).
    fze=("fze", "fzco", "fzc", "fz co", "fze llc"),
    # --- Joint-stock companies (post-Soviet ao/zao/oao/pao, English renderings) ------------
    jsc=(
        "jsc", "ojsc", "cjsc", "pjsc", "pjs", "ojs", "jstc", "joint stock company", "joint stock co",
        "open joint stock company", "closed joint stock company", "public joint stock company",
        "private joint stock company", "non public joint stock company",
        "ao", "zao", "oao", "pao", "nao",  # АО, ЗАО, ОАО, ПАО, НАО
        "aktsionernoe obshchestvo", "aktsionernoye obshchestvo",  # акционерное общество
        "publichnoe aktsionernoe obshchestvo", "publichnoye aktsionernoye obshchestvo",
        "zakrytoe aktsionernoe obshchestvo", "zakrytoye aktsionernoye obshchestvo",
        "otkrytoe aktsionernoe obshchestvo", "otkrytoye aktsionernoye obshchestvo",
        "nepublichnoe aktsionernoe obshchestvo",
        # Ukrainian: ПАТ, ПрАТ, ВАТ, ЗАТ, АТ; акціонерне товариство and kin
        "pat", "prat", "vat", "zat", "at",
        "aktsionerne tovaristvo", "aktsionerne tovarystvo",
        "privatne aktsionerne tovaristvo", "pryvatne aktsionerne tovarystvo",
        "publichne aktsionerne tovaristvo", "publichne aktsionerne tovarystvo",
        # Belarusian ААТ, ЗАТ, адкрытае акцыянернае таварыства
        "aat", "adkrytae aktsyyanernae tavarystva",
        # Kazakh АҚ акционерлік қоғам
        "aq", "aktsionerlik qogham",
        # Azerbaijani ASC, QSC; Uzbek AJ is left out (a given-name syllable)
        "asc", "qsc",
        # Arabic شركة مساهمة (joint-stock company), ش.م.م (Egypt: Egyptian JSC), ش.م.ع (public JSC),
        # ش.م.ع.ع (Oman SAOG), ش.م.ب (Bahrain BSC), ش.م.ل (Lebanon SAL)
        "pby", "bby",  # Armenian ՓԲԸ (closed JSC), ԲԲԸ (open JSC)
        "shrka msahma", "sh m m", "sh m a", "sh m a a", "sh m b", "sh m l", "sh m",
        # Persian سهامی خاص / سهامی عام (private / public joint-stock)
        "shamy khas", "shamy aam", "sahami khas", "sahami khass", "sahami aam", "sahami am",
        # Chinese 股份有限公司 (company limited by shares)
        "gu fen you xian gong si", "gufen youxian gongsi",
        # Korean 주식회사 (stock company), and its romanisations
        "ju sig hoe sa", "jusighoesa", "jusik hoesa", "chusik hoesa",
        # Vietnamese Công ty cổ phần
        "cong ty co phan", "co phan",
    ),
    gmbh=("gmbh", "mbh", "gesellschaft mit beschrankter haftung", "ges m b h"),
    ag=("ag", "aktiengesellschaft", "se"),
    kg=("kg", "kgaa", "gmbh co kg", "ag co kg", "ohg", "gbr", "ug", "e v", "kommanditgesellschaft"),
    sa=(
        "sa", "s a", "societe anonyme", "sociedad anonima", "sociedade anonima", "spa", "s p a",
        "societa per azioni", "sapa", "s a p a", "sca", "sa de cv", "s a de c v", "sapi de cv",
        "s a p i de c v",
        "nv", "n v", "naamloze vennootschap",  # Dutch/Belgian
        "ab", "asa", "oyj", "as", "a s", "anonim sirketi", "anonim sirket",  # Nordic, Turkish
        "ae", "a e",  # Greek Α.Ε. (Anonymi Etaireia)
        "pt", "tbk", "persero", "pt tbk",  # Indonesia (Perseroan Terbatas, terbuka)
        "bhd", "berhad",  # Malaysia (public)
        "ead", "zrt", "nyrt", "rt",  # Bulgarian sole-owner АД; Hungarian
    ),
    srl=(
        "srl", "s r l", "sarl", "s a r l", "sas", "sasu", "eurl", "sagl", "sl", "s l", "sll",
        "sociedad limitada", "sociedad de responsabilidad limitada", "s de rl", "s de r l",
        "societe a responsabilite limitee", "societa a responsabilita limitata",
        "ltda", "cia ltda", "sociedade limitada", "eireli",
        "bv", "b v", "bvba", "besloten vennootschap", "sprl", "scrl",
        "aps", "oy", "ehf", "hf",  # Danish ApS, Finnish Oy, Icelandic ehf/hf
        "sp z o o", "spolka z ograniczona odpowiedzialnoscia",  # Polish
        "s r o", "spol s r o", "sro",  # Czech, Slovak
        "d o o", "doo",  # ex-Yugoslav (d.d. is left out: it reads as two initials)
        "kft", "bt",  # Hungarian
        "ood", "eood",  # Bulgarian ООД, ЕООД
        "epe", "e p e", "ike", "i k e",  # Greek Ε.Π.Ε., Ι.Κ.Ε.
        "ltd sti", "limited sirketi", "limited sirket", "sti",  # Turkish Ltd. Şti.
        "sdn bhd", "sendirian berhad", "sdn",  # Malaysia (private)
    ),
    snc=("snc", "vof", "v o f", "sci", "sc", "ky", "oe", "ee"),
    # State and municipal unitary enterprises, individual entrepreneurs, non-profits
    sue=(
        "fgup", "gup", "mup", "fkp", "chup", "dp",  # ФГУП, ГУП, МУП, ФКП, ЧУП (Belarus), ДП (Ukraine)
        "federal state unitary enterprise", "state unitary enterprise", "municipal unitary enterprise",
        "federalnoe gosudarstvennoe unitarnoe predpriyatie", "gosudarstvennoe unitarnoe predpriyatie",
        "munitsipalnoe unitarnoe predpriyatie", "federal state enterprise",
    ),
    ip=("ip", "fop", "individualnyy predprinimatel", "individualnyi predprinimatel"),  # ИП, ФОП
    npo=(
        "npo", "ano", "nko", "ngo",  # АНО, НКО
        "avtonomnaya nekommercheskaya organizatsiya",
    ),
    kk=(
        "kk", "k k", "kabushiki kaisha", "kabushiki gaisha", "kabushikikaisha", "kabushikigaisha",
        "zhu shi hui she", "zhushihuishe",  # 株式会社 (anyascii reads the kanji in Mandarin)
        "kabushikigaishiya", "kabushikikaishiya",  # カブシキガイシャ (and with the dakuten dropped)
        "godo kaisha", "godo gaisha", "gk", "he tong hui she",  # 合同会社
        "yugen kaisha", "yugen gaisha", "you xian hui she",  # 有限会社
    ),
    generic=(
        "sanayi ve ticaret", "sanayi ticaret", "ticaret ve sanayi", "san ve tic", "san tic",
        "ic ve dis ticaret", "dis ticaret", "sirketi",
        "shrka", "shrkh", "sharikat", "sharika", "shrkt", "sherkat", "shirkat",  # شركة, شرکت
        "cong ty", "brisath",  # Vietnamese Công ty, Thai บริษัท ("company")
        "gong si", "gongsi",  # 公司
    ),
)

# ---------------------------------------------------------------------------------------------
# Spelling variants of one given name. Only true equivalents: the same name in one language,
# spelled by different romanisation systems (BGN/PCGN, ISO 9, passport practice, French and
# English conventions), plus the Ukrainian and Belarusian forms of a Russian name where lists
# give both for one person (UK list: "Viktor Fedorovich" / "Viktar Uladzimiravich"). Never
# translations (Yusuf ≠ Joseph, Mehmet is left out of Muhammad), never different names that look
# alike (Hamad ≠ Hamid, Amr ≠ Umar, Said ≠ Sayyid, Nasr ≠ Nasir, Alena ≠ Elena), never
# diminutives (Sasha), never surname endings. Sources: BGN/PCGN romanisation tables for Russian
# (1947) and Ukrainian (2019); the variant spellings the UN/UK/OFAC lists give for one person.
# Arabic-script consonant skeletons (محمد → "mhmd") are listed where they belong to one name
# only; they assume normalize.fold applies ARABIC_LETTERS (ا → a, ع → a …) before anyascii.
NAME_VARIANTS: dict[str, str] = _groups(
    # --- Arabic, Persian, Urdu -----------------------------------------------------------------
    ("muhammad", "mohammed", "mohammad", "mohamed", "mohamad", "muhammed", "muhamad", "muhamed",
     "mohammod", "mohd", "mhd", "md", "mouhamed", "mhmd"),
    ("ahmad", "ahmed", "ahmd", "ahmet"),  # Ahmet: the Turkish spelling
    ("mahmud", "mahmoud", "mahmood", "mehmood", "mhmwd"),
    ("hussein", "husein", "hussain", "husain", "husayn", "hosein", "hossein", "hussien", "hossain",
     "husseyn", "hsyn"),
    ("hasan", "hassan", "hassen", "hsn"),
    ("abd", "abdul", "abdel", "abdol", "abdoul", "abdal", "abdil", "bd"),
    ("abdullah", "abdallah", "abdulla", "abdalla", "abdollah", "abdellah", "abdallh", "bdllh"),
    ("abdulrahman", "abdelrahman", "abdurrahman", "abdurahman", "abdalrahman", "abderrahmane",
     "abderrahman", "abdalrhmn"),
    ("yusuf", "yousef", "youssef", "yusef", "yousif", "yusif", "yousuf", "youssouf", "ywsf"),
    ("usama", "osama", "usamah", "osamah", "oussama", "asama"),
    ("umar", "omar"),
    ("uthman", "othman", "osman", "usman", "ousmane", "athman"),
    ("khalid", "khaled", "khald"),
    ("said", "saeed", "saied", "saeid", "sayd"),
    ("sayyid", "sayed", "sayid", "syed", "seyed", "seyyed", "syd"),
    ("qasim", "qassim", "qassem", "qasem", "kasim", "kassim", "kassem", "ghasem", "qasm"),
    ("jafar", "jaafar", "jaffar", "jafer", "jafr"),
    ("zaid", "zayd", "zeid", "zyd"),
    ("ali", "aly"),
    ("ibrahim", "ibraheem", "ebrahim", "ibrahym", "abrahym"),
    ("ismail", "ismael", "esmail", "esmaeil", "ismayil", "ismaayl", "asmaayl"),
    ("mustafa", "mostafa", "moustafa", "mustapha", "mostapha", "mstfa"),
    ("yahya", "yahia", "yehia", "yahiya", "yhya"),
    ("hamza", "hamzah", "hmza"),
    ("salih", "saleh", "salh"),
    ("nasir", "nasser", "naser", "nassir"),
    ("tariq", "tarek", "tareq", "tarik", "tarq"),
    ("faisal", "faysal", "feisal", "faycal", "fysl"),
    ("hamid", "hamed"),
    ("mahdi", "mehdi", "mhdy"),
    ("muhsin", "mohsen", "mhsn"),
    # --- Russian, with Ukrainian and Belarusian forms --------------------------------------
    ("aleksandr", "alexander", "aleksander", "alexandr", "oleksandr", "aliaksandr", "aleksandar"),
    ("aleksey", "alexey", "alexei", "aleksei", "alexej", "oleksiy", "oleksii", "aliaksei"),
    ("yevgeniy", "evgeny", "evgenii", "evgeniy", "yevgeny", "evgeni", "yevgeni", "yevgenii", "yevhen",
     "yevhenii", "ievgen", "ievgeniy", "ievgenii", "evgenij"),
    ("sergey", "sergei", "serguei", "sergej", "serhiy", "serhii", "sergiy", "sergii", "siarhei"),
    ("yuriy", "yuri", "yury", "iurii", "yurii", "jurij", "iury", "yurij"),
    ("dmitriy", "dmitry", "dmitrii", "dmitri", "dmytro", "dmitro", "dmitrij"),
    ("andrey", "andrei", "andriy", "andrii", "andrej"),
    ("nikolay", "nikolai", "nikolaj", "mykola", "mikola"),
    ("vitaliy", "vitaly", "vitalii", "vitali", "vitalij"),
    ("anatoliy", "anatoly", "anatolii", "anatoli", "anatolij"),
    ("vasiliy", "vasily", "vasilii", "vasili", "vassily", "vasyl", "vasil"),
    ("grigoriy", "grigory", "grigorii", "grigori", "hryhoriy", "hryhorii"),
    ("mikhail", "michail", "mykhailo", "mykhaylo", "mikhailo", "mikhaylo"),
    ("pyotr", "petr", "piotr", "petro"),
    ("fyodor", "fedor", "fiodor", "feodor", "fedir"),
    ("ilya", "ilia", "ilja", "illia", "illya"),
    ("valeriy", "valery", "valerii", "valeri", "valerij"),
    ("gennadiy", "gennady", "gennadii", "gennadi", "hennadiy", "hennadii"),
    ("arkadiy", "arkady", "arkadii", "arkadi"),
    ("vladimir", "volodymyr", "volodimir", "uladzimir"),
    ("igor", "ihor"),
    ("oleg", "oleh"),
    ("maksim", "maxim", "maksym"),
    ("yakov", "iakov", "jakov"),
    ("yevgeniya", "evgenia", "evgeniya", "yevgenia"),
    ("nataliya", "natalia", "natalya", "nataliia", "natalja"),
    ("yuliya", "yulia", "iuliia", "yuliia"),
    ("ekaterina", "yekaterina", "kateryna"),
    ("elena", "yelena", "olena"),
    ("tatyana", "tatiana", "tatjana", "tetiana", "tetyana"),
    ("olga", "olha"),
    # --- Korean surnames: anyascii spells Hangul letter by letter (김 → "gim", 박 → "bag") -----
    ("kim", "gim"),
    ("pak", "park", "bag"),
    ("choe", "choi"),
)
# Considered and left out: Somali "Mohamud" (it is Mahmud, not Muhammad), Turkish "Mehmet",
# "Ahmet", "Mahmut" (Turkish forms, another naming culture), "Abdulrahim" (another name).

# ---------------------------------------------------------------------------------------------
# Particles: connecting words that neither make nor break a match, dropped from names.
#   al, el, ul, ud, ur, ad, ar, az, ash, ath, adh — the Arabic article and its assimilated forms
#       (al-Tikriti, El-Sisi, Zia ul-Haq, Nizam ud-Din, Abd ur-Rehman, ar-Rawi, ash-Shami). "as"
#       and "at" are legal forms too (see LEGAL_FORMS) and live in PERSON_PARTICLES.
#   bin, ibn, bint, binti, binte, ben, bn, bnt, abn, ould — "son/daughter of" (Arabic, Malay,
#       Maghrebi, Hebrew, Mauritanian); bn/bnt/abn are how anyascii renders بن/بنت/ابن. "ben" is
#       also an English given name; in the sanctions lists it is overwhelmingly the Maghrebi and
#       Hebrew patronymic ("Seifallah Ben Omar Ben Mohamed"), and dropping it costs only one
#       word of evidence. Kept out: "abu" ("father of" — Abu Bakr is a name, not a connector).
#   van, von, der, den, ter, ten, de, da, dos, das, di, del, della, dei, degli — Dutch, German,
#       Romance surname particles written or omitted at will ("de Souza" / "Souza").
#   y, e — Spanish and Portuguese "and" between surnames (Ortega y Gasset), Persian ezafe (-e).
# Left out: "la", "le", "du", "do" (also the Vietnamese surnames Lê, Đỗ and the Chinese Du 杜;
#   French Le/La/Du are usually indexed as part of the surname); "an" (Vietnamese given name);
#   "abu", "um", "umm" (kunya names carry meaning).
PARTICLES: frozenset[str] = frozenset(
    {
        "al", "el", "ul", "ud", "ur", "ad", "ar", "az", "ash", "ath", "adh",
        "bin", "ibn", "bint", "binti", "binte", "ben", "bn", "bnt", "abn", "ould",
        "van", "von", "der", "den", "ter", "ten", "de", "da", "dos", "das", "di", "del", "della",
        "dei", "degli",
        "y", "e",
    }
)
# Arabic articles that are also legal forms ("as" Norwegian AS / Turkish A.Ş., "at" Ukrainian
# АТ): particles in a person's name, legal forms in an organisation's.
PERSON_PARTICLES: frozenset[str] = PARTICLES | {"as", "at"}

# ---------------------------------------------------------------------------------------------
# Address words: abbreviations and foreign words for the same kind of place, one canonical
# English word each. Sources: Universal Postal Union addressing guides (Russia, Ukraine,
# Turkey, Malaysia/Indonesia) and USPS Publication 28 appendix C for the English abbreviations.
# Decisions: "pl" is both English Place and Russian пл. (ploshchad), Polish plac, German Platz:
# all mean a public square, so all map to "square". "str" is German Str. (street) far more
# often than Russian стр. (stroenie, building): "street". "st" is street; "St Petersburg" and
# other saints are handled by CITY_VARIANTS, which are matched first. "d" is Russian д. (dom,
# house number), "g" Russian г. (gorod, city).
ADDRESS_ABBREVIATIONS: dict[str, str] = _groups(
    ("street", "st", "str", "strasse", "ul", "ulitsa", "ulica", "vul", "vulitsa", "vulitsya", "vulytsia",
     "rue", "via", "calle", "jalan", "jl", "jln", "sokak", "sok", "sk", "khiaban", "khiyaban", "sharia",
     "shari"),
    ("avenue", "ave", "av", "avda", "avenida", "prospekt", "prosp", "pr", "prospect", "caddesi", "cad",
     "cd"),
    ("boulevard", "blvd", "bd", "bulvar", "bulv", "bul"),
    ("lane", "ln", "per", "pereulok", "provulok", "prov"),
    ("road", "rd"),
    ("drive", "dr"),
    ("highway", "hwy", "shosse", "sh"),
    ("square", "sq", "pl", "place", "plaza", "platz", "plac", "ploshchad", "piazza", "praca", "maydan",
     "meydani", "meydan"),
    ("embankment", "nab", "naberezhnaya"),
    ("passage", "proezd"),
    ("building", "bldg", "bld", "korpus", "korp", "stroenie"),
    ("house", "dom", "d"),
    ("floor", "fl", "etazh"),
    ("apartment", "apt", "apartamento", "appartement", "kv", "kvartira", "flat"),
    ("suite", "ste"),
    ("office", "ofis"),
    ("number", "no", "nr", "num", "nomer"),
    ("city", "g", "gorod", "misto"),
    ("district", "rayon", "raion", "dist"),
    ("region", "oblast", "obl", "kray", "krai"),
    ("microdistrict", "mkr", "mkrn", "mikrorayon"),
    ("center", "centre", "ctr"),
    ("pobox", "postfach", "postbox"),
)

# Frequent spellings of the cities sanctioned parties are most often listed in. Kept small:
# only names that really are spelled several ways in the lists.
CITY_VARIANTS: dict[str, str] = _groups(
    ("saint petersburg", "sankt peterburg", "st petersburg", "st peterburg", "sankt petersburg",
     "s peterburg", "spb", "saint peterburg"),
    ("moscow", "moskva", "moskau", "moscou"),
    ("kyiv", "kiev", "kiiv", "kyyiv", "kiyv"),
    ("tehran", "teheran", "tegeran", "thran", "thrn"),
    ("hong kong", "hongkong", "xiang gang", "xianggang"),
    ("dubai", "dubayy"),
    ("istanbul", "stambul"),
    ("beijing", "peking", "bei jing"),
    ("damascus", "dimashq"),
    ("pyongyang", "pyeongyang", "phyongyang"),
)

# ---------------------------------------------------------------------------------------------
# Cyrillic and Greek letters drawn like Latin ones (Unicode confusables.txt, the subset that is
# visually identical in common fonts). Used only inside words that are mostly Latin, where they
# are typing accidents or deliberate evasion ("ROSNEFТ" with a Cyrillic Т).
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ү": "Y", "Ԛ": "Q", "Ԝ": "W",
    # Cyrillic small letters
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i",
    "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Greek small letters
    "ο": "o", "α": "a", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
}

# Arabic letters anyascii leaves silent or renders as an apostrophe, which strips the vowels
# Latin spellings keep (جابر → "jbr" against "Jabir"). Mapped before transliteration, they raise
# the share of Arabic-script names matching their Latin names at ≥ 80 from 2 % to 16 %
# (bench/transliteration.py, UN + UK lists): alef and its hamza forms → a/i, ain → a (Ali, Omar,
# Abbas begin with it), ta marbuta and alef maksura → a (Osama, Mustafa).
ARABIC_LETTERS: dict[str, str] = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ع": "a", "ة": "a", "ى": "a",
    # ظ is written "z" in most romanisations of names (al-Zawahiri); anyascii gives "dh".
    "ظ": "z",
}

ROMAN_NUMERALS: dict[str, str] = {
    numeral: str(value)
    for value, numeral in enumerate(
        ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
         "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"),
        start=1,
    )
}
# fmt: on


# Words so common in listed names that sharing them says little and missing them costs
# little: frequent given names and name parts across cultures, and the generic words of
# company names. Canonical forms (after NAME_VARIANTS). Compiled from general knowledge of
# naming and from the most frequent tokens of the OFAC, UN and UK lists.
COMMON_NAME_WORDS: frozenset[str] = frozenset(
    {
        # given names and name parts
        "muhammad", "ahmad", "ali", "abd", "abdullah", "hasan", "hussein", "ibrahim", "khan", "abu",
        "mahmud", "mustafa", "umar", "yusuf", "ismail", "salim", "said", "salih", "khalid", "nasir",
        "jamal", "aziz", "karim", "rahman", "abdulrahman", "amin", "hamid", "reza", "hadi", "mahdi",
        "akbar", "qasim", "jafar", "abbas", "musa", "isa", "yahya", "uthman", "hamza", "bakr",
        "kim", "lee", "li", "wang", "zhang", "chen", "liu", "yang", "huang", "zhao", "wu", "zhou",
        "park", "choi", "jong", "chol", "nguyen", "tran",
        "john", "david", "michael", "maria", "jose", "juan", "carlos", "luis", "jorge", "antonio",
        "aleksandr", "sergey", "vladimir", "andrey", "dmitriy", "igor", "ivan", "nikolay", "oleg",
        "yuriy", "mikhail", "aleksey", "evgeniy", "viktor", "pavel", "anatoliy",
        # generic words of organisation names
        "company", "trading", "trade", "international", "global", "group", "holding", "holdings",
        "industries", "industrial", "industry", "investment", "investments", "enterprise", "enterprises",
        "services", "service", "general", "national", "bank", "shipping", "logistics", "export",
        "import", "development", "technology", "technologies", "engineering", "construction",
        "energy", "petroleum", "oil", "gas", "commercial", "foundation", "institute", "center",
        "centre", "ministry", "organization", "corporation", "state", "federal", "management",
        "finance", "financial", "capital", "partners", "products", "solutions", "systems", "marine",
        "transport", "electronics", "chemical", "equipment", "supply", "resources", "republic",
        # function words
        "and", "of", "the", "for", "de", "la", "del", "des", "du", "y", "e", "et", "und", "van",
    }
)

