"""How other languages write a name: romanisations of Cyrillic, Baltic endings, Turkish spellings, titles.

Hand tables for ``bench/pairs.py``, written from general knowledge of each language's
conventions (not taken from any other project): a Russian name reaches a French, German,
Dutch, Polish, Hungarian, Czech, Latvian, Lithuanian or Turkish text through that language's
own romanisation of the Cyrillic, and a Turkish text spells Arabic names the Turkish way.
"""

from __future__ import annotations

import re

# Cyrillic letter → its spelling in each language (None: the key letter is the same as in "base").
_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "zh", "з": "z", "и": "i",
    "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "ju", "я": "ja", "і": "i", "ї": "ji", "є": "je", "ґ": "g",
}  # fmt: skip
_LANGUAGES = {
    "french": {"ё": "io", "ж": "j", "й": "ï", "у": "ou", "х": "kh", "ч": "tch", "ш": "ch", "щ": "chtch",
               "ю": "iou", "я": "ia", "ы": "y"},
    "german": {"в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
               "щ": "schtsch", "ю": "ju", "я": "ja", "ё": "jo"},
    "dutch": {"ж": "zj", "й": "j", "х": "ch", "ц": "ts", "ч": "tsj", "ш": "sj", "щ": "sjtsj", "у": "oe",
              "ю": "joe", "я": "ja", "ё": "jo"},
    "polish": {"в": "w", "ж": "ż", "й": "j", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz",
               "ю": "ju", "я": "ja", "ё": "jo", "ы": "y"},
    "hungarian": {"ж": "zs", "й": "j", "х": "h", "ц": "c", "ч": "cs", "ш": "s", "щ": "scs", "с": "sz",
                  "ю": "ju", "я": "ja", "ё": "jo", "ы": "i"},
    "czech": {"ж": "ž", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "ю": "ju", "я": "ja",
              "ё": "jo", "ы": "y"},
    "latvian": {"ж": "ž", "й": "j", "х": "h", "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "ю": "ju", "я": "ja",
                "ё": "jo", "ы": "i"},
    "lithuanian": {"ж": "ž", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "ю": "ju",
                   "я": "ja", "ё": "jo", "ы": "y"},
    "turkish": {"ж": "j", "й": "y", "х": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "ş", "ю": "yu", "я": "ya",
                "ё": "yo", "ы": "ı", "дж": "c"},
}  # fmt: skip
LANGUAGES = tuple(_LANGUAGES)
_VOWELS = "аеёиоуыэюяієї"


def romanise(cyrillic_word: str, language: str) -> str:
    """One Cyrillic word as ``language`` writes it, letter by letter: Путин → Poutin (fr),
    Хрущёв → Chruschtschjow (de), Шойгу → Sojgu (hu), Путин → Putinas (lt)."""
    table = {**_BASE, **_LANGUAGES[language]}
    low = cyrillic_word.lower()
    out: list[str] = []
    i = 0
    while i < len(low):
        if low.startswith("дж", i) and "дж" in table:
            out.append(table["дж"])
            i += 2
            continue
        char = low[i]
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        # е after a vowel or at the start is "ye" in most romanisations (Евгений → Jewgeni, Ievgueni).
        if char == "е" and (not prev or prev in _VOWELS + "ьъ") and language in ("german", "polish", "czech", "dutch"):
            out.append("je")
        elif char == "ё" and prev and prev in "жчшщ":
            out.append("o")  # after a hushing consonant ё is a plain o (Хрущёв → Chruschtschow)
        elif char == "с" and prev and nxt and prev in _VOWELS and nxt in _VOWELS and language in ("french", "german"):
            out.append("ss")  # a single s between vowels would be voiced
        elif char == "г" and nxt and nxt in "еиэ" and language == "french":
            out.append("gu")
        else:
            out.append(table.get(char, char))
        i += 1
    word = "".join(out)
    # Endings each language settles differently.
    word = _ENDINGS.get(language, lambda w: w)(word)
    return word[:1].upper() + word[1:] if cyrillic_word[:1].isupper() else word


def _latvian(word: str) -> str:
    """Latvian names take a nominative ending: Putins, Sergejs, Vladimirs; -ij → -ijs."""
    if word.endswith(("a", "e", "i", "o", "u")):
        return word
    return word + "s"


def _lithuanian(word: str) -> str:
    """Lithuanian: Putinas, Vladimiras, Sergejus, Dmitrijus; -ij → -ijus, -j → -jus."""
    if word.endswith(("a", "e", "i", "o", "u")):
        return word
    if word.endswith("j"):
        return word + "us"
    return word + "as"


def _shorten_ij(word: str) -> str:
    return re.sub(r"(?<=[^aeiou])ij$", "i", word)


_ENDINGS = {
    "latvian": _latvian,
    "lithuanian": _lithuanian,
    "french": lambda w: re.sub(r"(?<=[^aeiou])[iy]ï$", "i", w).replace("ïï", "ï"),
    "german": _shorten_ij,
    "dutch": _shorten_ij,
    "hungarian": _shorten_ij,
    "turkish": lambda w: re.sub(r"(?<=[^aeiou])iy$", "i", w),
}

# Arabic given names as Turkish writes them (Turkish spelling, not a translation).
TURKISH_NAMES = {
    **dict.fromkeys(("mohammed", "muhammad", "mohammad", "mohamed", "muhammed", "mohamad"), "Muhammed"),
    **dict.fromkeys(("ahmed", "ahmad"), "Ahmet"),
    **dict.fromkeys(("hussein", "husain", "hussain", "husayn", "hossein"), "Hüseyin"),
    **dict.fromkeys(("hassan", "hasan"), "Hasan"),
    **dict.fromkeys(("osama", "usama"), "Usame"),
    **dict.fromkeys(("khalid", "khaled"), "Halit"),
    **dict.fromkeys(("omar", "umar"), "Ömer"),
    **dict.fromkeys(("mahmoud", "mahmud", "mahmood"), "Mahmut"),
    **dict.fromkeys(("ibrahim", "ebrahim"), "İbrahim"),
    **dict.fromkeys(("ismail", "ismael"), "İsmail"),
    **dict.fromkeys(("jamal", "jamaal", "gamal"), "Cemal"),
    **dict.fromkeys(("jafar", "jaafar", "jaffar"), "Cafer"),
    **dict.fromkeys(("rashid", "rasheed"), "Reşit"),
    **dict.fromkeys(("said", "saeed", "saeid"), "Sait"),
    **dict.fromkeys(("hamid", "hameed"), "Hamit"),
    **dict.fromkeys(("khalil", "khaleel"), "Halil"),
    **dict.fromkeys(("abdul", "abdel", "abd"), "Abdül"),
    **dict.fromkeys(("qasim", "qassem", "kassem", "kasim"), "Kasım"),
    **dict.fromkeys(("karim", "kareem"), "Kerim"),
    **dict.fromkeys(("nasser", "nasir", "naser"), "Nasır"),
    **dict.fromkeys(("sheikh", "shaykh", "shaikh"), "Şeyh"),
    **dict.fromkeys(("zaid", "zayd", "zeid"), "Zeyd"),
    **dict.fromkeys(("faisal", "faysal", "feisal"), "Faysal"),
    **dict.fromkeys(("walid", "waleed"), "Velit"),
    **dict.fromkeys(("majid", "majeed"), "Mecit"),
    **dict.fromkeys(("abu", "abou"), "Ebu"),
    **dict.fromkeys(("bakr", "bakir"), "Bekir"),
    **dict.fromkeys(("uthman", "othman", "osman"), "Osman"),
    **dict.fromkeys(("tariq", "tarek", "tarik"), "Tarık"),
    **dict.fromkeys(("salim", "saleem", "selim"), "Selim"),
    **dict.fromkeys(("suleiman", "sulaiman", "sulayman", "soleiman"), "Süleyman"),
    **dict.fromkeys(("jalal", "jalaal"), "Celal"),
    **dict.fromkeys(("kamal", "kemal"), "Kemal"),
    **dict.fromkeys(("najib", "najeeb"), "Necip"),
    **dict.fromkeys(("ramadan", "ramazan"), "Ramazan"),
    **dict.fromkeys(("jihad", "jehad"), "Cihat"),
    **dict.fromkeys(("amin", "ameen"), "Emin"),
    **dict.fromkeys(("fuad", "fouad"), "Fuat"),
    **dict.fromkeys(("yusuf", "youssef", "yousef", "yousif"), "Yusuf"),
    **dict.fromkeys(("mustafa", "moustafa", "mostafa"), "Mustafa"),
    **dict.fromkeys(("abdullah", "abdallah", "abdulla"), "Abdullah"),
    **dict.fromkeys(("abdulaziz", "abdelaziz"), "Abdülaziz"),
    **dict.fromkeys(("abdulrahman", "abdelrahman", "abdurrahman"), "Abdurrahman"),
    **dict.fromkeys(("saleh", "salih"), "Salih"),
    **dict.fromkeys(("nur", "noor", "nour"), "Nur"),
    **dict.fromkeys(("yahya", "yehia"), "Yahya"),
    **dict.fromkeys(("musa", "moussa", "mousa"), "Musa"),
    **dict.fromkeys(("isa", "issa", "eissa"), "İsa"),
    **dict.fromkeys(("ayman", "aiman"), "Eymen"),
    **dict.fromkeys(("hamza", "hamzah"), "Hamza"),
    **dict.fromkeys(("haidar", "haydar", "hayder"), "Haydar"),
    **dict.fromkeys(("zakaria", "zakariya", "zakariyya"), "Zekeriya"),
    **dict.fromkeys(("idris", "idriss"), "İdris"),
    **dict.fromkeys(("adnan",), "Adnan"),
    **dict.fromkeys(("riad", "riyad", "riyadh"), "Riyat"),
}  # fmt: skip
# Letter rules for Arabic-origin words not in the table (Turkish has no kh, q, th, dh; j is c).
_TURKISH_RULES = (
    (r"kh", "h"), (r"q", "k"), (r"sh", "ş"), (r"ch", "ç"), (r"th", "s"), (r"dh", "z"), (r"gh", "ğ"),
    (r"j", "c"), (r"ou", "u"), (r"ee", "i"), (r"oo", "u"), (r"w", "v"), (r"(?<=[aeiou])d$", "t"),
    (r"(?<=[aeiou])b$", "p"), (r"aa", "a"), (r"ss", "s"),
)  # fmt: skip


def turkish_arabic(word: str) -> str:
    """An Arabic name word as Turkish spells it: Khalid → Halit, Jafar → Cafer, Qasim → Kasım."""
    low = word.lower()
    if low in TURKISH_NAMES:
        out = TURKISH_NAMES[low]
    else:
        out = low
        for pattern, replacement in _TURKISH_RULES:
            out = re.sub(pattern, replacement, out)
    if word.isupper() and len(word) > 1:
        return out.upper().replace("İ", "İ")
    return out[:1].upper() + out[1:]


# Titles and offices as other languages write them, left in the name by whoever typed it.
TITLES = (
    "Präsident", "Presidente", "Президент", "Presiden", "Président", "Prezydent", "Prezident", "Cumhurbaşkanı",
    "General", "Генерал", "Generale", "Jenderal", "Generał", "Général", "Minister", "Ministre", "Ministro",
    "Министр", "Menteri", "Bakan", "Dr.", "Dott.", "Доктор", "Docteur", "Doktor", "Scheich", "Cheikh", "Şeyh",
    "Jeque", "Шейх", "Oberst", "Colonel", "Coronel", "Полковник", "Kolonel", "Albay", "Pułkownik", "Senator",
    "Senador", "Сенатор", "Sénateur", "Herr", "Monsieur", "Señor", "Господин", "Bapak", "Sayın", "Admiral",
    "Amiral", "Almirante", "Адмирал", "Депутат", "Député", "Diputado", "Abgeordneter", "Gouverneur",
    "Gobernador", "Губернатор", "Gubernur", "Vali", "Botschafter", "Ambassadeur", "Embajador", "Посол",
    "Direktor", "Директор", "Directeur", "Director General",
)  # fmt: skip
