"""A synthetic sanctions list in FollowTheMoney JSON lines, for benchmarks at scale.

    python -m bench.synthetic_names --entities 1000000 -o /tmp/synth.ftm.json [--seed 1]

About 60% people, 35% organisations and 5% vessels, with names from many cultures (given
names, surnames, patronymics, ``bin``/``al-`` forms, pinyin, original scripts as aliases),
drawn with Zipf-like frequencies so that common names (Mohammed, Wang, Ivanov, Smith,
"Trading", "Bank") are very common, as they are in real lists; a tail of rare surnames is
made from syllables. About 40% of entities get 1-3 aliases (romanisation variants, other name
orders, original script, former names), some of them weak. The file is written as it is
generated (flat memory) and is the same for the same ``--seed``. Every name is invented.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Zipf(Generic[T]):
    """Items listed most common first; item k is drawn with weight 1 / (k + 1) ** s."""

    def __init__(self, items: Sequence[T], s: float = 1.0, weights: Sequence[float] | None = None) -> None:
        if not items:
            raise ValueError("no items")
        self.items = list(items)
        weights = weights or [1 / (k + 1) ** s for k in range(len(self.items))]
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


def _words(text: str) -> list[str]:
    return text.split()


def _pairs(text: str) -> list[tuple[str, str]]:
    """ "Ivan:Иван Sergei:Сергей" → [("Ivan", "Иван"), …]; ``_`` stands for a space."""
    out = []
    for item in text.split():
        latin, native = item.split(":")
        out.append((latin.replace("_", " "), native.replace("_", " ")))
    return out


# --- people -----------------------------------------------------------------------------------
#
# Lists run most common first. A pair is (Latin, original script).

RU_MALE = _pairs(
    "Aleksandr:Александр Sergei:Сергей Vladimir:Владимир Andrei:Андрей Aleksei:Алексей Dmitry:Дмитрий"
    " Nikolai:Николай Mikhail:Михаил Ivan:Иван Yuri:Юрий Evgeny:Евгений Igor:Игорь Viktor:Виктор"
    " Oleg:Олег Pavel:Павел Roman:Роман Maksim:Максим Anatoly:Анатолий Vyacheslav:Вячеслав Boris:Борис"
    " Gennady:Геннадий Valery:Валерий Konstantin:Константин Arkady:Аркадий Denis:Денис Artem:Артём"
    " Vadim:Вадим Grigory:Григорий Stanislav:Станислав Timur:Тимур Ruslan:Руслан Leonid:Леонид"
    " Fyodor:Фёдор Vasily:Василий Gleb:Глеб Kirill:Кирилл Anton:Антон Yaroslav:Ярослав"
)
RU_FEMALE = _pairs(
    "Elena:Елена Olga:Ольга Natalia:Наталья Tatiana:Татьяна Irina:Ирина Svetlana:Светлана Anna:Анна"
    " Maria:Мария Ekaterina:Екатерина Marina:Марина Yulia:Юлия Lyudmila:Людмила Galina:Галина"
    " Anastasia:Анастасия Oksana:Оксана Vera:Вера Polina:Полина Daria:Дарья Kseniya:Ксения Alina:Алина"
)
# Given name → patronymic stem, where adding -ovich / -ovna would be wrong.
RU_PATRONYMIC = {
    "Sergei": ("Sergeev", "Сергеев"), "Andrei": ("Andreev", "Андреев"), "Aleksei": ("Alekseev", "Алексеев"),
    "Dmitry": ("Dmitriev", "Дмитриев"), "Nikolai": ("Nikolaev", "Николаев"), "Yuri": ("Yurev", "Юрьев"),
    "Evgeny": ("Evgenev", "Евгеньев"), "Anatoly": ("Anatolev", "Анатольев"), "Gennady": ("Gennadev", "Геннадьев"),
    "Valery": ("Valerev", "Валерьев"), "Arkady": ("Arkadev", "Аркадьев"), "Grigory": ("Grigorev", "Григорьев"),
    "Vasily": ("Vasilev", "Васильев"), "Pavel": ("Pavlov", "Павлов"), "Vyacheslav": ("Vyacheslavov", "Вячеславов"),
    "Artem": ("Artemov", "Артёмов"), "Leonid": ("Leonidov", "Леонидов"), "Igor": ("Igorev", "Игорев"),
}  # fmt: skip
RU_SURNAMES = _pairs(
    "Ivanov:Иванов Smirnov:Смирнов Kuznetsov:Кузнецов Popov:Попов Vasilyev:Васильев Petrov:Петров"
    " Sokolov:Соколов Mikhailov:Михайлов Novikov:Новиков Fedorov:Фёдоров Morozov:Морозов Volkov:Волков"
    " Alekseev:Алексеев Lebedev:Лебедев Semenov:Семёнов Egorov:Егоров Pavlov:Павлов Kozlov:Козлов"
    " Stepanov:Степанов Nikolaev:Николаев Orlov:Орлов Andreev:Андреев Makarov:Макаров Nikitin:Никитин"
    " Zakharov:Захаров Zaitsev:Зайцев Soloviev:Соловьёв Borisov:Борисов Yakovlev:Яковлев Grigoriev:Григорьев"
    " Romanov:Романов Vorobyov:Воробьёв Sergeev:Сергеев Frolov:Фролов Belov:Белов Medvedev:Медведев"
    " Rotenberg:Ротенберг Timchenko:Тимченко Deripaska:Дерипаска Usmanov:Усманов Abramovich:Абрамович"
    " Kovalchuk:Ковальчук Sechin:Сечин Shuvalov:Шувалов Gorbunov:Горбунов Karpov:Карпов Tikhonov:Тихонов"
    " Osetrov:Осетров Kiselev:Киселёв Zhukov:Жуков Kalashnikov:Калашников Yermakov:Ермаков"
    " Dobrovolsky:Добровольский Vishnevsky:Вишневский Zhirinovsky:Жириновский Ostrovsky:Островский"
)
RU_STEMS = _pairs(
    "Bel:Бел Kuz:Куз Mor:Мор Sol:Сол Vor:Вор Zhur:Жур Kras:Крас Lom:Лом Rad:Рад Sav:Сав Tar:Тар"
    " Grom:Гром Dob:Доб Kal:Кал Lap:Лап Mel:Мел Nos:Нос Pes:Пес Rub:Руб Shch:Щ Tol:Тол Ust:Уст"
    " Khar:Хар Chern:Черн Bur:Бур Gol:Гол Kul:Кул Pog:Пог Sed:Сед Tsar:Цар"
)
RU_MIDDLES = _pairs("_: in:ин ar:ар ol:ол ush:уш ach:ач en:ен ik:ик yak:як")
RU_ENDINGS = _pairs("ov:ов ev:ев in:ин sky:ский ikov:иков ovich:ович")
RU_DIMINUTIVES = {
    "Aleksandr": "Sasha", "Vladimir": "Volodya", "Nikolai": "Kolya", "Mikhail": "Misha", "Dmitry": "Dima",
    "Sergei": "Seryozha", "Aleksei": "Alyosha", "Ivan": "Vanya", "Yuri": "Yura", "Evgeny": "Zhenya",
    "Elena": "Lena", "Natalia": "Natasha", "Tatiana": "Tanya", "Ekaterina": "Katya", "Maria": "Masha",
}  # fmt: skip

UA_MALE = _pairs(
    "Oleksandr:Олександр Volodymyr:Володимир Mykola:Микола Serhiy:Сергій Andriy:Андрій Oleksiy:Олексій"
    " Viktor:Віктор Yuriy:Юрій Vasyl:Василь Petro:Петро Ihor:Ігор Taras:Тарас Bohdan:Богдан Oleh:Олег"
    " Dmytro:Дмитро Mykhailo:Михайло Yaroslav:Ярослав Vitaliy:Віталій Ivan:Іван Roman:Роман"
)
UA_FEMALE = _pairs(
    "Olena:Олена Oksana:Оксана Natalia:Наталія Tetiana:Тетяна Iryna:Ірина Yulia:Юлія Svitlana:Світлана"
    " Halyna:Галина Nadiya:Надія Kateryna:Катерина Liudmyla:Людмила Olha:Ольга"
)
UA_SURNAMES = _pairs(
    "Melnyk:Мельник Shevchenko:Шевченко Kovalenko:Коваленко Bondarenko:Бондаренко Tkachenko:Ткаченко"
    " Kravchenko:Кравченко Kovalchuk:Ковальчук Oliynyk:Олійник Shevchuk:Шевчук Polishchuk:Поліщук"
    " Boyko:Бойко Tkachuk:Ткачук Marchenko:Марченко Savchenko:Савченко Rudenko:Руденко Moroz:Мороз"
    " Lysenko:Лисенко Petrenko:Петренко Klymenko:Клименко Pavlenko:Павленко Kuzmenko:Кузьменко"
    " Yanukovych:Янукович Medvedchuk:Медведчук Firtash:Фірташ Azarov:Азаров Klyuyev:Клюєв"
)
UA_STEMS = _pairs(
    "Hon:Гон Kov:Ков Lys:Лис Mart:Март Pan:Пан Ryb:Риб Sav:Сав Tym:Тим Zin:Зін Hryts:Гриц Dor:Дор"
    " Ost:Ост Prok:Прок Sem:Сем Fed:Фед Yur:Юр"
)
UA_ENDINGS = _pairs("enko:енко chuk:чук uk:ук yshyn:ишин iv:ів ych:ич")

ARABIC_MALE = _pairs(
    "Mohammed:محمد Ahmed:أحمد Ali:علي Abdullah:عبد_الله Omar:عمر Hassan:حسن Hussein:حسين Khalid:خالد"
    " Ibrahim:إبراهيم Youssef:يوسف Mahmoud:محمود Mustafa:مصطفى Abdul_Rahman:عبد_الرحمن Saleh:صالح"
    " Abdulaziz:عبد_العزيز Hamza:حمزة Said:سعيد Faisal:فيصل Tariq:طارق Nasser:ناصر Jamal:جمال"
    " Karim:كريم Walid:وليد Samir:سمير Adel:عادل Yasser:ياسر Majid:ماجد Bashar:بشار Rami:رامي"
    " Ayman:أيمن Osama:أسامة Sami:سامي Ziad:زياد Hisham:هشام Anwar:أنور Raed:رائد Qasim:قاسم"
)
ARABIC_FEMALE = _pairs(
    "Fatima:فاطمة Aisha:عائشة Maryam:مريم Zainab:زينب Khadija:خديجة Noor:نور Layla:ليلى Huda:هدى"
    " Amina:آمنة Salma:سلمى Rania:رانيا Hala:هالة Asma:أسماء Samira:سميرة"
)
ARABIC_FAMILY = _pairs(
    "al-Hashimi:الهاشمي al-Masri:المصري al-Qahtani:القحطاني al-Otaibi:العتيبي al-Shammari:الشمري"
    " al-Tikriti:التكريتي al-Ghamdi:الغامدي al-Zahrani:الزهراني Haddad:حداد Khoury:خوري Abbas:عباس"
    " Mansour:منصور al-Amin:الأمين Darwish:درويش Jaber:جابر Hamdan:حمدان al-Assad:الأسد Makhlouf:مخلوف"
    " al-Sabah:الصباح al-Thani:آل_ثاني al-Maliki:المالكي al-Hakim:الحكيم al-Jubouri:الجبوري"
    " al-Dulaimi:الدليمي al-Rawi:الراوي Nasrallah:نصر_الله Qassem:قاسم al-Baghdadi:البغدادي"
    " al-Zawahiri:الظواهري al-Awlaki:العولقي al-Houthi:الحوثي Saadi:السعدي al-Kuwaiti:الكويتي"
)
# Romanisation variants of one Arabic given name, used as aliases.
ARABIC_VARIANTS = {
    "Mohammed": ("Muhammad", "Mohamed", "Mohammad", "Mohamad", "Mouhamed"), "Ahmed": ("Ahmad", "Ahmet"),
    "Hussein": ("Husayn", "Hussain", "Hossein"), "Youssef": ("Yusuf", "Yousef", "Youssouf"),
    "Omar": ("Umar",), "Hassan": ("Hasan",), "Khalid": ("Khaled",), "Mustafa": ("Mostafa", "Moustafa"),
    "Abdullah": ("Abdallah", "Abd Allah"), "Abdul Rahman": ("Abdelrahman", "Abd al-Rahman"),
    "Said": ("Saeed", "Sayed"), "Osama": ("Usama",), "Qasim": ("Qasem", "Kassem"), "Fatima": ("Fatma", "Fatemeh"),
    "Aisha": ("Aicha", "Ayesha"), "Zainab": ("Zeinab", "Zaynab"),
}  # fmt: skip
ARABIC_NISBA_STEMS = _words("Rash Kab Jaz Sud Harb Anb Shar Dhaf Mutl Naj Samr Qad Zub Hilm Ward Fadl")

PERSIAN_MALE = _words(
    "Mohammad Ali Hossein Reza Mehdi Hamid Javad Mohsen Saeed Majid Abbas Qasem Mahmoud Ahmad Ebrahim"
    " Hassan Morteza Mostafa Amir Behrouz Dariush Kourosh Farhad Masoud Hadi Esmail Jafar Rostam"
)
PERSIAN_FEMALE = _words("Zahra Fatemeh Maryam Narges Shirin Leila Parisa Mahsa Nasrin Roya Azadeh Soheila")
PERSIAN_SURNAMES = _words(
    "Hosseini Mousavi Rezaei Mohammadi Ahmadi Karimi Rahimi Jafari Sadeghi Ghasemi Soleimani Hashemi"
    " Tehrani Esfahani Shirazi Najafi Larijani Zarif Rouhani Khamenei Kazemi Akbari Bagheri Heidari"
    " Salehi Nourbakhsh Vahidi Safavi Shamkhani Araghchi Asadi Ebrahimi Moradi Yazdani Kermani Tabrizi"
)
PERSIAN_SUFFIXES = _words("i zadeh pour nejad far rad")
PERSIAN_STEMS = _words("Bah Dehq Gol Kaz Mah Nik Sepah Shah Tal Vaf Yeg Zand Afsh Mir Jah Khosh")

TR_MALE = _words(
    "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Murat Emre Burak Osman Yusuf Ömer Halil Kemal Recep"
    " Serkan Volkan Cengiz Erdem Tolga Kadir Selim Levent"
)
TR_FEMALE = _words("Ayşe Fatma Emine Zeynep Elif Hatice Merve Özlem Esra Gül Sevgi Derya")
TR_SURNAMES = _words(
    "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin"
    " Kara Koç Kurt Özkan Şimşek Polat Korkmaz Erdoğan Aksoy Güneş Bulut Keskin Ünal Turan Zarrab"
)
TR_STEMS = _words("Ak Er Gök Kar Öz Tek Uz Yal Bay Can Dur Gen Koç Ser Tun")
TR_ENDINGS = _words("soy oğlu gil han kan tepe türk er")

CN_SURNAMES = _pairs(
    "Wang:王 Li:李 Zhang:张 Liu:刘 Chen:陈 Yang:杨 Huang:黄 Zhao:赵 Wu:吴 Zhou:周 Xu:徐 Sun:孙 Ma:马"
    " Zhu:朱 Hu:胡 Guo:郭 He:何 Lin:林 Gao:高 Luo:罗 Zheng:郑 Liang:梁 Xie:谢 Song:宋 Tang:唐 Han:韩"
    " Feng:冯 Deng:邓 Cao:曹 Peng:彭 Zeng:曾 Xiao:肖 Tian:田 Dong:董 Pan:潘 Yuan:袁 Cai:蔡 Jiang:蒋"
    " Yu:余 Du:杜 Ye:叶 Cheng:程 Wei:魏 Su:苏 Lu:吕 Ding:丁 Ren:任 Shen:沈 Yao:姚 Lu:卢 Jiang:姜"
)
CN_GIVEN = _pairs(
    "Wei:伟 Fang:芳 Min:敏 Jing:静 Li:丽 Qiang:强 Lei:磊 Jun:军 Yang:洋 Yong:勇 Yan:艳 Jie:杰 Tao:涛"
    " Ming:明 Chao:超 Xiu:秀 Xia:霞 Ping:平 Gang:刚 Hua:华 Hui:辉 Jian:建 Guo:国 Zhi:志 Hong:红 Dong:东"
    " Hai:海 Bo:波 Xin:新 Long:龙 Feng:峰 Yu:宇 Xiao:小 Chun:春 Lan:兰 Qing:清 Rong:荣 Sheng:生"
    " Tian:天 Wen:文 Xue:学 Zhong:忠 Peng:鹏 Hao:浩 Kai:凯 Lin:林 Mei:梅 Na:娜 Bin:斌 De:德 Shan:山"
)
# Cantonese / Wade-Giles spellings of the same surnames, as aliases.
CN_VARIANTS = {
    "Wang": "Wong", "Li": "Lee", "Zhang": "Cheung", "Chen": "Chan", "Huang": "Wong", "Liu": "Lau",
    "Zhou": "Chow", "Wu": "Ng", "Lin": "Lam", "Guo": "Kwok", "Zheng": "Cheng", "Xie": "Tse", "Ye": "Yip",
    "Cai": "Choi", "Yang": "Yeung", "Zhao": "Chiu", "Xu": "Hsu", "Hu": "Woo", "Gao": "Ko", "Deng": "Tang",
}  # fmt: skip

KO_SURNAMES = _words("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin Oh Seo Kwon Hwang Ri Pak Jon Ryu")
KO_GIVEN = _words(
    "Min-jun Seo-yeon Ji-hoon Hyun-woo Jae-won Sung-min Young-ho Kyung-soo Eun-ji Ji-woo Su-bin Dong-hyun"
    " Myung-hee Jong-un Chol Song-il Yong-chol Kwang-ho Il-sung Yo-jong Chang-ho Myong-su Hyon-chol Tae-hyun"
)
JA_SURNAMES = _words(
    "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki"
    " Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Mori Abe Ikeda Hashimoto Ishikawa Ogawa"
)
JA_GIVEN = _words(
    "Hiroshi Takashi Kenji Yuki Haruto Sota Akira Makoto Daisuke Kazuo Shinji Tetsuya Koji Masato"
    " Yoko Keiko Yumi Aiko Sakura Naoko Tomoko Emi Haruka"
)
IN_MALE = _words(
    "Mohammed Rajesh Suresh Ramesh Amit Sanjay Vijay Anil Sunil Rahul Arun Deepak Ravi Manoj Ashok Ajay"
    " Vikram Naresh Prakash Sandeep Rakesh Dinesh Harish Gopal Arjun Imran Salim"
)
IN_FEMALE = _words("Priya Sunita Anita Pooja Kavita Lakshmi Neha Deepa Rekha Meena Shabnam")
IN_SURNAMES = _words(
    "Kumar Singh Sharma Patel Gupta Reddy Shah Mehta Iyer Nair Rao Joshi Agarwal Das Khan Chopra Malhotra"
    " Banerjee Chatterjee Mukherjee Verma Pillai Menon Desai Bhatt Kapoor Naidu Qureshi Siddiqui Ansari"
)
WA_MALE = _words(
    "Ibrahim Musa Mamadou Abubakar Moussa Kwame Kofi Emeka Chinedu Babatunde Adebayo Aminu Ousmane"
    " Amadou Seydou Yaw Kwaku Olusegun Oluwaseun Chukwuemeka Sani Bello Idrissa Lamine Boubacar"
)
WA_FEMALE = _words("Fatou Aissatou Ngozi Folake Ama Akosua Adaeze Mariama Hadiza Chioma Yetunde Awa")
WA_SURNAMES = _words(
    "Diallo Traoré Mensah Okafor Bello Abubakar Keita Coulibaly Diop Ndiaye Owusu Boateng Asante Okonkwo"
    " Adeyemi Ogunleye Sow Ba Camara Touré Cissé Sanogo Ouédraogo Yusuf Danjuma Eze Nwosu Afolabi"
)
WA_STEMS = _words("Ade Olu Oke Nwa Chi Obi Ogun Kou Sang Dem Bam Kon")
WA_ENDINGS = _words("kunle yemi for nkwo ulu baye gbe ma dou")
VI_SURNAMES = _words("Nguyễn Trần Lê Phạm Hoàng Phan Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý")
VI_MIDDLE_MALE = _words("Văn Đức Minh Quốc Hữu Công Thanh")
VI_MIDDLE_FEMALE = _words("Thị Ngọc Thu Kim Thanh")
VI_GIVEN = _words("Anh Hùng Tuấn Dũng Hải Long Nam Thành Linh Lan Hương Mai Phương Trang Sơn Quang Bình Hoa")

EN_MALE = _words(
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew"
    " Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Edward Ronald Timothy"
    " Jason Jeffrey Ryan Gary Nicholas Eric Stephen Jonathan Larry Scott Frank Patrick Peter"
)
EN_FEMALE = _words(
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Margaret Betty"
    " Sandra Ashley Emily Michelle Amanda Melissa Deborah Laura Rebecca Sharon"
)
EN_SURNAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin"
    " Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams"
    " Hill Nelson Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart"
    " Morris Murphy Cook Rogers O'Brien McDonald Fitzgerald Sullivan Kennedy Hughes Bennett"
)
EN_STEMS = _words("Ash Black Brad Chad Dun Fair Gold Hart Kings Lang Mar Pen Red Stan Whit Wood Craw Hol")
EN_ENDINGS = _words("ford ley ton wood well field worth by ham more ridge")
EN_NICKNAMES = {
    "Robert": "Bob", "William": "Bill", "Richard": "Dick", "James": "Jim", "Joseph": "Joe",
    "Michael": "Mike", "Thomas": "Tom", "Charles": "Chuck", "Edward": "Ted", "Elizabeth": "Liz",
}  # fmt: skip

ES_MALE = _words(
    "José Juan Luis Carlos Jorge Miguel Jesús Francisco Antonio Manuel Pedro Alejandro Fernando Rafael"
    " Ricardo Roberto Javier Héctor Raúl Sergio Eduardo Joaquín Ramón Arturo Ernesto Ismael Rodrigo"
)
ES_FEMALE = _words("María Guadalupe Carmen Ana Rosa Juana Sofía Lucía Isabel Verónica Patricia Elena Teresa")
ES_SURNAMES = _words(
    "García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres Flores Rivera Gómez"
    " Díaz Cruz Morales Reyes Gutiérrez Ortiz Castillo Jiménez Vargas Romero Mendoza Herrera Medina"
    " Aguilar Guzmán Zambada Caro Quintero Carrillo Fuentes Beltrán Leyva Arellano Félix Ochoa Escobar"
    " Cárdenas Salazar Maduro Cabello Padrino Ovalles de_la_Cruz del_Valle de_León"
)
ES_STEMS = _words("Alv Bal Cas Esp Gal Lar Mon Nav Ort Quin Ser Val Vill Zar Ben Cor")
ES_ENDINGS = _words("arez ado illo eda ero ino uela ón és ana")
ES_NICKNAMES = _words("El_Flaco El_Gordo El_Chapo El_Mayo El_Güero El_Señor El_Tigre El_Padrino La_Reina El_Ingeniero")

DE_MALE = _words(
    "Hans Peter Klaus Wolfgang Jürgen Michael Thomas Andreas Stefan Uwe Dieter Günter Frank Bernd Horst"
    " Matthias Karl-Heinz Heinz Helmut Rainer Markus Ralf Joachim"
)
DE_FEMALE = _words("Ursula Monika Sabine Petra Renate Karin Gabriele Brigitte Andrea Claudia Birgit Heike")
DE_SURNAMES = _words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter"
    " Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner"
    " Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs"
    " von_Hagen von_der_Heide"
)
DE_STEMS = _words("Bern Eich Fal Lind Stein Wald Ober Unter Kirch Hoch Ros Schwan")
DE_ENDINGS = _words("berg mann hardt feld bach hauser rich stetter")
FR_MALE = _words(
    "Jean Pierre Michel Philippe Alain Nicolas François Jacques Bernard Patrick Christophe Éric Laurent"
    " Jean-Pierre Jean-Claude Jean-Luc Thierry Olivier Didier Pascal"
)
FR_FEMALE = _words("Marie Nathalie Isabelle Sylvie Catherine Françoise Martine Christine Sophie Marie-Claire")
FR_SURNAMES = _words(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel"
    " David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet"
    " François Martinez Legrand Garnier Faure Rousseau Blanc Guérin de_la_Fontaine Le_Gall Chevalier"
)
FR_STEMS = _words("Beau Bel Cham Char Du Gran Mont Ros Val Vil Lan Mar")
FR_ENDINGS = _words("mont champ ville lieu fort court pré bois")


def _fold_ascii(text: str) -> str:
    """Accents off, as many lists print Latin names: "Müller" → "Muller" (German also "Mueller")."""
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if not unicodedata.combining(ch):
            out.append({"ı": "i", "ß": "ss", "đ": "d", "Đ": "D", "ø": "o"}.get(ch, ch))
    return "".join(out)


@dataclass
class PersonName:
    primary: str
    aliases: list[str]  # strong: variants, other orders, original script
    weak: list[str]
    first: str
    last: str
    gender: str


def _tail(rng: random.Random, stems: Sequence[str], endings: Sequence[str]) -> str:
    return rng.choice(stems) + rng.choice(endings)


class PersonNames:
    """One culture's way of naming people: draws a name and its likely variants."""

    def __init__(self, key: str, countries: Sequence[str], tail: float = 0.25) -> None:
        self.key = key
        self.countries = Zipf(countries, 1.3)
        self.tail = tail

    def make(self, rng: random.Random) -> PersonName:  # pragma: no cover - overridden
        raise NotImplementedError


class Slavic(PersonNames):
    def __init__(self, key: str, countries: Sequence[str], ukrainian: bool) -> None:
        super().__init__(key, countries)
        self.ukrainian = ukrainian
        self.male = Zipf(UA_MALE if ukrainian else RU_MALE)
        self.female = Zipf(UA_FEMALE if ukrainian else RU_FEMALE)
        self.surnames = Zipf(UA_SURNAMES if ukrainian else RU_SURNAMES, 0.9)
        self.fathers = Zipf(UA_MALE if ukrainian else RU_MALE)

    def _surname(self, rng: random.Random) -> tuple[str, str]:
        if rng.random() < self.tail:
            if self.ukrainian:
                stem, end = rng.choice(UA_STEMS), rng.choice(UA_ENDINGS)
                return stem[0] + end[0], stem[1] + end[1]
            stem, mid, end = rng.choice(RU_STEMS), rng.choice(RU_MIDDLES), rng.choice(RU_ENDINGS)
            return stem[0] + mid[0].strip() + end[0], stem[1] + mid[1].strip() + end[1]
        return self.surnames(rng)

    @staticmethod
    def _feminine(latin: str, cyr: str) -> tuple[str, str]:
        for m, f, mc, fc in (("sky", "skaya", "ский", "ская"), ("ov", "ova", "ов", "ова"), ("ev", "eva", "ев", "ева"),
                             ("in", "ina", "ин", "ина"), ("yov", "yova", "ёв", "ёва")):  # fmt: skip
            if latin.endswith(m) and cyr.endswith(mc):
                return latin[: -len(m)] + f, cyr[: -len(mc)] + fc
        return latin, cyr

    def _patronymic(self, father: tuple[str, str], female: bool) -> tuple[str, str]:
        latin, cyr = father
        if self.ukrainian:
            return (latin + "ivna", cyr + "івна") if female else (latin + "ovych", cyr + "ович")
        stem = RU_PATRONYMIC.get(latin, (latin + "ov", cyr + "ов"))
        return (stem[0] + "na", stem[1] + "на") if female else (stem[0] + "ich", stem[1] + "ич")

    def make(self, rng: random.Random) -> PersonName:
        female = rng.random() < 0.2
        given = (self.female if female else self.male)(rng)
        surname = self._surname(rng)
        if female:
            surname = self._feminine(*surname)
        patronymic = self._patronymic(self.fathers(rng), female)
        style = rng.random()
        if style < 0.5:
            primary = f"{given[0]} {patronymic[0]} {surname[0]}"
        elif style < 0.8:
            primary = f"{surname[0].upper()} {given[0]} {patronymic[0]}"
        else:
            primary = f"{surname[0]}, {given[0]} {patronymic[0]}"
        native = f"{given[1]} {patronymic[1]} {surname[1]}"
        aliases = [native, f"{given[0]} {surname[0]}", f"{surname[1]} {given[1]} {patronymic[1]}"]
        if surname[0].endswith(("ov", "ev")):
            aliases.append(f"{given[0]} {patronymic[0]} {surname[0][:-1]}ff")
        if "y" in given[0] or "i" in given[0]:
            aliases.append(f"{given[0].replace('y', 'i').replace('ei', 'ey')} {surname[0]}")
        weak = [RU_DIMINUTIVES[given[0]]] if given[0] in RU_DIMINUTIVES else []
        return PersonName(primary, aliases, weak, given[0], surname[0], "female" if female else "male")


class Arabic(PersonNames):
    def __init__(self, countries: Sequence[str]) -> None:
        super().__init__("arabic", countries)
        self.male = Zipf(ARABIC_MALE, 1.1)
        self.female = Zipf(ARABIC_FEMALE)
        self.family = Zipf(ARABIC_FAMILY, 0.9)

    def make(self, rng: random.Random) -> PersonName:
        female = rng.random() < 0.12
        given = (self.female if female else self.male)(rng)
        father, grandfather = self.male(rng), self.male(rng)
        if rng.random() < self.tail:
            stem = rng.choice(ARABIC_NISBA_STEMS)
            family = (f"al-{stem}i", "")
        else:
            family = self.family(rng)
        link, link_ar = ("bint", "بنت") if female else ("bin", "بن")
        style = rng.random()
        if style < 0.35:
            primary = f"{given[0]} {link} {father[0]} {family[0]}"
        elif style < 0.6:
            primary = f"{given[0]} {father[0]} {grandfather[0]} {family[0]}"
        elif style < 0.8:
            primary = f"{given[0]} {father[0]} {family[0].replace('al-', 'Al ').upper()}"
        else:
            primary = f"{given[0]} {family[0]}"
        aliases = []
        for variant in ARABIC_VARIANTS.get(given[0], ())[:2]:
            aliases.append(f"{variant} {father[0]} {family[0]}")
        aliases.append(f"{given[0]} {family[0].replace('al-', 'el-')}")
        if family[1]:
            aliases.append(f"{given[1]} {link_ar} {father[1]} {family[1]}")
        weak = [f"Abu {self.male(rng)[0]}"] if not female else [f"Umm {self.male(rng)[0]}"]
        last = family[0]
        return PersonName(primary, aliases, weak, given[0], last, "female" if female else "male")


class Simple(PersonNames):
    """Given name(s) and surname, in either order, with the culture's own variants."""

    def __init__(
        self,
        key: str,
        countries: Sequence[str],
        male: Sequence[str],
        female: Sequence[str],
        surnames: Sequence[str],
        stems: Sequence[str] = (),
        endings: Sequence[str] = (),
        surname_first: float = 0.0,
        double_given: float = 0.0,
        double_surname: float = 0.0,
    ) -> None:
        super().__init__(key, countries, tail=0.3 if stems else 0.0)
        self.male = Zipf([n.replace("_", " ") for n in male])
        self.female = Zipf([n.replace("_", " ") for n in female])
        self.surnames = Zipf([n.replace("_", " ") for n in surnames], 0.9)
        self.stems, self.endings = stems, endings
        self.surname_first = surname_first
        self.double_given = double_given
        self.double_surname = double_surname

    def _surname(self, rng: random.Random) -> str:
        if self.stems and rng.random() < self.tail:
            return _tail(rng, self.stems, self.endings)
        return self.surnames(rng)

    def make(self, rng: random.Random) -> PersonName:
        female = rng.random() < 0.25
        pool = self.female if female else self.male
        given = pool(rng)
        if rng.random() < self.double_given:
            second = pool(rng)
            if second != given:
                given = f"{given} {second}"
        surname = self._surname(rng)
        full_surname = surname
        if rng.random() < self.double_surname:
            full_surname = f"{surname} {self._surname(rng)}"
        if rng.random() < self.surname_first:
            primary = f"{full_surname.upper()} {given}" if rng.random() < 0.5 else f"{full_surname}, {given}"
        else:
            primary = f"{given} {full_surname}"
        aliases = [f"{given.split()[0]} {surname}"] if full_surname != surname or " " in given else []
        folded = _fold_ascii(f"{given} {full_surname}")
        if folded != f"{given} {full_surname}":
            aliases.append(folded)
        if self.key == "german" and any(c in full_surname for c in "äöü"):
            aliases.append(f"{given} {full_surname.replace('ä', 'ae').replace('ö', 'oe').replace('ü', 'ue')}")
        aliases.append(f"{full_surname} {given}")
        weak: list[str] = []
        if self.key == "anglo" and given in EN_NICKNAMES:
            weak.append(f"{EN_NICKNAMES[given]} {surname}")
        if self.key == "hispanic":
            weak.append(rng.choice(ES_NICKNAMES).replace("_", " "))
        if self.key == "anglo" and rng.random() < 0.4:
            primary = f"{given} {chr(65 + rng.randrange(26))}. {full_surname}"
        return PersonName(primary, aliases, weak, given, full_surname, "female" if female else "male")


class Persian(Simple):
    def _surname(self, rng: random.Random) -> str:
        if rng.random() < self.tail:
            return rng.choice(PERSIAN_STEMS) + rng.choice(PERSIAN_SUFFIXES)
        return self.surnames(rng)


class Chinese(PersonNames):
    def __init__(self, countries: Sequence[str]) -> None:
        super().__init__("chinese", countries)
        self.surnames = Zipf(CN_SURNAMES, 0.8)
        self.syllables = Zipf(CN_GIVEN, 0.6)

    def make(self, rng: random.Random) -> PersonName:
        surname = self.surnames(rng)
        parts = [self.syllables(rng) for _ in range(1 if rng.random() < 0.3 else 2)]
        given = "".join(p[0].lower() for p in parts).capitalize()
        given_cn = "".join(p[1] for p in parts)
        style = rng.random()
        if style < 0.4:
            primary = f"{surname[0].upper()} {given}"
        elif style < 0.8:
            primary = f"{surname[0]} {given}"
        else:
            primary = f"{given} {surname[0]}"
        aliases = [surname[1] + given_cn]
        if len(parts) == 2:
            aliases.append(f"{surname[0]} {parts[0][0]}-{parts[1][0].lower()}")
        if surname[0] in CN_VARIANTS:
            aliases.append(f"{CN_VARIANTS[surname[0]]} {given}")
        weak = [f"{rng.choice(('David', 'Michael', 'Jack', 'Tony', 'Kevin', 'Alice', 'Grace'))} {surname[0]}"]
        return PersonName(primary, aliases, weak, given, surname[0], rng.choice(("male", "female")))


class EastAsian(PersonNames):
    def __init__(self, key: str, countries: Sequence[str], surnames: Sequence[str], given: Sequence[str]) -> None:
        super().__init__(key, countries)
        self.surnames = Zipf(surnames, 0.9)
        self.given = Zipf(given, 0.7)

    def make(self, rng: random.Random) -> PersonName:
        surname, given = self.surnames(rng), self.given(rng)
        if self.key == "korean":
            primary = f"{surname} {given}" if rng.random() < 0.6 else f"{surname.upper()} {given.replace('-', ' ')}"
            aliases = [f"{surname} {given.replace('-', '')}", f"{given} {surname}"]
        else:
            primary = f"{given} {surname}" if rng.random() < 0.5 else f"{surname.upper()} {given}"
            aliases = [f"{surname} {given}"]
        return PersonName(primary, aliases, [], given, surname, "male")


class Vietnamese(PersonNames):
    def __init__(self) -> None:
        super().__init__("vietnamese", ["vn", "kh", "la"])
        self.surnames = Zipf(VI_SURNAMES, 1.4)
        self.given = Zipf(VI_GIVEN, 0.6)

    def make(self, rng: random.Random) -> PersonName:
        female = rng.random() < 0.3
        middle = rng.choice(VI_MIDDLE_FEMALE if female else VI_MIDDLE_MALE)
        surname, given = self.surnames(rng), self.given(rng)
        native = f"{surname} {middle} {given}"
        primary = native if rng.random() < 0.5 else _fold_ascii(native)
        aliases = [_fold_ascii(native) if primary == native else native, _fold_ascii(f"{given} {surname}")]
        return PersonName(primary, aliases, [], given, surname, "female" if female else "male")


# culture → weight among people (sanctions lists lean to Russia, the Middle East, Iran, China).
CULTURES: list[tuple[PersonNames, float]] = [
    (Slavic("russian", ["ru", "cy", "by", "kz", "ae", "gb"], ukrainian=False), 18),
    (Arabic(["sy", "iq", "ye", "lb", "ae", "sa", "ly", "eg", "jo", "kw", "qa", "sd", "ps"]), 17),
    (
        Persian(
            "persian",
            ["ir", "iq", "ae", "lb"],
            PERSIAN_MALE,
            PERSIAN_FEMALE,
            PERSIAN_SURNAMES,
            stems=PERSIAN_STEMS,
            endings=PERSIAN_SUFFIXES,
        ),
        8,
    ),
    (Chinese(["cn", "hk", "tw", "sg", "my"]), 9),
    (
        Simple(
            "hispanic",
            ["mx", "co", "ve", "es", "cu", "ni", "ar", "pe", "pa"],
            ES_MALE,
            ES_FEMALE,
            ES_SURNAMES,
            ES_STEMS,
            ES_ENDINGS,
            double_given=0.3,
            double_surname=0.55,
        ),
        9,
    ),
    (
        Simple(
            "anglo",
            ["us", "gb", "ca", "au", "ie", "nz"],
            EN_MALE,
            EN_FEMALE,
            EN_SURNAMES,
            EN_STEMS,
            EN_ENDINGS,
            surname_first=0.2,
        ),
        7,
    ),
    (Slavic("ukrainian", ["ua", "ru", "cy"], ukrainian=True), 4),
    (Simple("turkish", ["tr", "cy", "de", "az"], TR_MALE, TR_FEMALE, TR_SURNAMES, TR_STEMS, TR_ENDINGS), 4),
    (EastAsian("korean", ["kp", "kr", "cn"], KO_SURNAMES, KO_GIVEN), 4),
    (Simple("indian", ["in", "ae", "pk", "gb"], IN_MALE, IN_FEMALE, IN_SURNAMES, double_given=0.25), 5),
    (
        Simple(
            "west_african",
            ["ng", "gh", "ml", "sn", "gn", "ci", "bf", "ne"],
            WA_MALE,
            WA_FEMALE,
            WA_SURNAMES,
            WA_STEMS,
            WA_ENDINGS,
        ),
        5,
    ),
    (Vietnamese(), 3),
    (Simple("german", ["de", "at", "ch", "li"], DE_MALE, DE_FEMALE, DE_SURNAMES, DE_STEMS, DE_ENDINGS), 3),
    (
        Simple(
            "french",
            ["fr", "be", "ch", "lu", "lb", "ca"],
            FR_MALE,
            FR_FEMALE,
            FR_SURNAMES,
            FR_STEMS,
            FR_ENDINGS,
            surname_first=0.3,
        ),
        3,
    ),
    (EastAsian("japanese", ["jp"], JA_SURNAMES, JA_GIVEN), 2),
]
CULTURE_KEYS = [c.key for c, _ in CULTURES]

# --- organisations ----------------------------------------------------------------------------

INDUSTRIES = _words(
    "Trading Bank Shipping Oil Gas Energy Petroleum Investment Holding Logistics Import_and_Export"
    " Construction Industrial Technology Electronics Chemical Metals Mining Engineering Finance Capital"
    " Marine Aviation Defense Machinery Agro Pharma Telecom Transport Steel Development Resources Tankers"
    " Exchange Insurance Real_Estate Services Supply Group Textiles Minerals Security General_Trading"
)
PLACE_WORDS = _words(
    "Global International Caspian Baltic Pacific Atlantic Gulf Eastern Western Northern Southern Asia"
    " Euro Black_Sea Arctic Ural Siberian Persian Arabian Emirates Levant Mediterranean Silk_Road"
    " Orient Crescent Continental Sahara Andes Amazon Danube Volga Nile Red_Sea Golden Royal United"
    " First National Central Universal Premier Horizon Summit Pioneer Alpha Delta Omega Nova"
)
ORG_FORMS = {  # country → legal forms, most common first
    "ru": ["OOO", "AO", "PAO", "ZAO", "LLC", "JSC"], "ua": ["TOV", "PrAT", "LLC"], "by": ["OAO", "OOO"],
    "cn": ["Co., Ltd.", "Limited", "Group Co., Ltd."], "hk": ["Limited", "Co., Limited", "Holdings Limited"],
    "ae": ["LLC", "FZE", "FZCO", "General Trading L.L.C.", "DMCC"], "ir": ["Company", "Co.", "PJS"],
    "sy": ["LLC", "Company"], "iq": ["Company", "LLC"], "lb": ["SAL", "SARL", "Offshore SAL"],
    "tr": ["A.Ş.", "Ltd. Şti.", "Ticaret A.Ş."], "de": ["GmbH", "AG", "GmbH & Co. KG", "KG"],
    "fr": ["SA", "SARL", "SAS"], "es": ["S.A.", "S.L."], "mx": ["S.A. de C.V.", "S. de R.L. de C.V."],
    "co": ["S.A.S.", "Ltda."], "ve": ["C.A.", "S.A."], "gb": ["Ltd", "Limited", "PLC", "LLP"],
    "us": ["Inc.", "LLC", "Corp.", "Corporation"], "cy": ["Ltd", "Limited"], "in": ["Pvt. Ltd.", "Limited"],
    "nl": ["B.V.", "N.V."], "it": ["S.p.A.", "S.r.l."], "pl": ["Sp. z o.o."], "se": ["AB"], "jp": ["K.K."],
    "kr": ["Co., Ltd."], "kp": ["Corporation", "Company"], "sg": ["Pte. Ltd."], "my": ["Sdn. Bhd."],
    "pa": ["S.A.", "Inc."], "vg": ["Ltd", "Limited", "Inc."], "mh": ["Inc.", "Ltd"], "ch": ["AG", "SA", "GmbH"],
}  # fmt: skip
ORG_COUNTRIES = Zipf(
    _words("ru ae cn hk ir tr cy gb us sy de lb iq vg mh pa ua by in sg kp ve mx fr ch nl it es co my kr pl se jp")
)
RU_WORD_STEMS = _pairs(
    "Stroy:Строй Neft:Нефть Gaz:Газ Prom:Пром Invest:Инвест Torg:Торг Trans:Транс Tekh:Тех Energo:Энерго"
    " Metall:Металл Agro:Агро Avia:Авиа Sib:Сиб Ural:Урал Volga:Волга Rus:Рус Mash:Маш Servis:Сервис"
    " Komplekt:Комплект Snab:Снаб Impeks:Импэкс Resurs:Ресурс Les:Лес Khim:Хим Flot:Флот Alyans:Альянс"
)
RU_FORMS_CYR = {
    "OOO": "ООО",
    "LLC": "ООО",
    "JSC": "АО",
    "AO": "АО",
    "PAO": "ПАО",
    "ZAO": "ЗАО",
    "OAO": "ОАО",
    "TOV": "ТОВ",
    "PrAT": "ПрАТ",
}
CN_PLACES = _pairs(
    "Shenzhen:深圳 Shanghai:上海 Beijing:北京 Guangzhou:广州 Dalian:大连 Tianjin:天津 Hong_Kong:香港"
    " Ningbo:宁波 Xiamen:厦门 Qingdao:青岛 Hangzhou:杭州 Wuhan:武汉 Zhuhai:珠海 Dongguan:东莞"
)
CN_BRANDS = _pairs(
    "Hua:华 Xin:新 Tai:泰 Long:龙 Sheng:盛 Feng:丰 Heng:恒 Da:达 Yuan:远 Kang:康 Jin:金 Hai:海 Tong:通"
    " Rui:瑞 Bao:宝 Fu:富 Xing:兴 Guang:光 Zhong:中 Tian:天 Hong:宏 Yi:益"
)
CN_INDUSTRIES = _pairs(
    "Trading:贸易 Technology:科技 Shipping:航运 Electronics:电子 Industrial:实业 Import_and_Export:进出口"
    " Logistics:物流 Chemical:化工 Petroleum:石油 Precision_Machinery:精密机械 Investment:投资"
)
ARABIC_ORG_WORDS = _pairs(
    "Noor:نور Amal:أمل Salam:سلام Khaleej:الخليج Sharq:الشرق Rafidain:الرافدين Hilal:الهلال"
    " Fajr:الفجر Nakheel:النخيل Wafa:الوفاء Bayan:البيان Ittihad:الاتحاد Aman:الأمان Quds:القدس"
)
ARABIC_ORG_INDUSTRY = {
    "Trading": "للتجارة", "General Trading": "للتجارة العامة", "Exchange": "للصرافة", "Shipping": "للشحن",
    "Oil": "للنفط", "Construction": "للمقاولات", "Investment": "للاستثمار", "Transport": "للنقل",
}  # fmt: skip
ORG_SURNAME_PATTERNS = ("{s} & Partners", "{s} & Sons", "{s} Brothers", "{s} Holding", "{s} Group", "{s} and Co.")
BANK_PATTERNS = (
    "{p} Bank",
    "Bank {p}",
    "{p} Commercial Bank",
    "Joint Stock Commercial Bank {p}",
    "{p} Investment Bank",
)


@dataclass
class OrgName:
    primary: str
    aliases: list[str]
    weak: list[str]
    country: str


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isalpha() and w[0].isupper())


class Organizations:
    def __init__(self) -> None:
        self.industries = Zipf([w.replace("_", " ") for w in INDUSTRIES], 1.0)
        self.places = Zipf([w.replace("_", " ") for w in PLACE_WORDS], 0.8)
        self.ru_stems = Zipf(RU_WORD_STEMS, 0.7)
        self.cn_industries = Zipf(CN_INDUSTRIES, 0.9)

    def _form(self, rng: random.Random, country: str) -> str:
        forms = ORG_FORMS.get(country, ["Ltd"])
        return forms[0] if rng.random() < 0.6 else rng.choice(forms)

    def make(self, rng: random.Random, people: Zipf[PersonNames]) -> OrgName:
        country = ORG_COUNTRIES(rng)
        form = self._form(rng, country)
        aliases: list[str] = []
        weak: list[str] = []
        if country in ("ru", "by", "ua") and rng.random() < 0.7:
            a, b = self.ru_stems(rng), self.ru_stems(rng)
            word, word_cyr = a[0] + b[0].lower(), a[1] + b[1].lower()
            primary = f'{form} "{word}"' if form.isupper() and len(form) <= 4 else f"{word} {form}"
            aliases.append(f"{RU_FORMS_CYR.get(form, 'ООО')} «{word_cyr}»")
            aliases.append(f"{word} {'Limited Liability Company' if form in ('OOO', 'TOV') else 'Joint Stock Company'}")
            return OrgName(primary, aliases, [word.upper()], country)
        if country in ("cn", "hk") and rng.random() < 0.75:
            cn_place = rng.choice(CN_PLACES)
            brand = [rng.choice(CN_BRANDS) for _ in range(2)]
            cn_industry = self.cn_industries(rng)
            brand_latin = "".join(b[0].lower() for b in brand).capitalize()
            primary = f"{cn_place[0]} {brand_latin} {cn_industry[0].replace('_', ' ')} {form}"
            aliases.append(cn_place[1] + "".join(b[1] for b in brand) + cn_industry[1] + "有限公司")
            aliases.append(f"{brand_latin} {cn_industry[0].replace('_', ' ')} {form}")
            return OrgName(primary, aliases, [], country)
        industry = self.industries(rng)
        if country in ("ae", "sy", "iq", "lb") and rng.random() < 0.5:
            ar_word = rng.choice(ARABIC_ORG_WORDS)
            primary = f"Al {ar_word[0]} {industry} {form}"
            if industry in ARABIC_ORG_INDUSTRY:
                aliases.append(f"شركة {ar_word[1]} {ARABIC_ORG_INDUSTRY[industry]}")
            aliases.append(f"Al-{ar_word[0]} {industry} Company")
            return OrgName(primary, aliases, [], country)
        roll = rng.random()
        if industry == "Bank" or roll < 0.06:
            place = self.places(rng)
            primary = rng.choice(BANK_PATTERNS).format(p=place)
            if rng.random() < 0.5:
                primary = f"{primary} {form}"
            weak.append(_initials(primary))
            aliases.append(f"Bank of {place}" if rng.random() < 0.3 else f"{place} Bank")
        elif roll < 0.25:
            surname = people(rng).make(rng).last
            primary = rng.choice(ORG_SURNAME_PATTERNS).format(s=surname)
            primary = f"{primary} {form}"
        elif roll < 0.7:
            place = self.places(rng)
            primary = f"{place} {industry} {form}"
            aliases.append(f"{place} {industry} {'Company' if rng.random() < 0.5 else 'Co.'}")
            weak.append(_initials(f"{place} {industry}"))
        else:
            place, second = self.places(rng), self.industries(rng)
            primary = f"{place} {industry} {second} {form}" if second != industry else f"{place} {industry} {form}"
            if rng.random() < 0.3:
                aliases.append(f"{self.places(rng)} {industry} {form}")  # a former name
        return OrgName(primary, aliases, [w for w in weak if len(w) >= 2], country)


# --- vessels ----------------------------------------------------------------------------------

VESSEL_WORDS = _words(
    "Ocean Sea Star Pacific Atlantic Glory Pioneer Fortune Harmony Grace Spirit Eagle Dragon Phoenix"
    " Pearl Crystal Diamond Royal Golden Silver Blue Northern Southern Eastern Victory Unity Hope Prosperity"
    " Nadezhda Zvezda Sakura Hui Xin Da Tian Yuan Fu Adrian Darya Jasmine Lotus Sunrise Sunset Horizon"
    " Navigator Voyager Trader Carrier Express Princess Queen King Lady Captain Breeze Wave Coral Marlin"
)
VESSEL_TYPES = Zipf(_words("Oil_Tanker Bulk_Carrier General_Cargo Container_Ship Chemical_Tanker LPG_Tanker Tug"))
VESSEL_FLAGS = Zipf(_words("pa lr mh km tg cm ir kp ru sl gab mt bz tz vu mn cn hk"))
ROMAN = ("I", "II", "III", "IV", "V", "VII", "IX")


def imo_number(rng: random.Random) -> str:
    """Seven digits whose last is the IMO check digit: Σ digit × (7…2) mod 10."""
    digits = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(5)]
    check = sum(d * w for d, w in zip(digits, range(7, 1, -1))) % 10
    return "".join(map(str, digits)) + str(check)


class Vessels:
    def __init__(self) -> None:
        self.words = Zipf(VESSEL_WORDS, 0.7)

    def name(self, rng: random.Random) -> str:
        words = [self.words(rng) for _ in range(1 if rng.random() < 0.3 else 2)]
        name = " ".join(dict.fromkeys(words))
        roll = rng.random()
        if roll < 0.45:
            name += f" {rng.randrange(1, 100)}"
        elif roll < 0.55:
            name += f" {rng.choice(ROMAN)}"
        return name.upper() if rng.random() < 0.5 else name


# --- the file ---------------------------------------------------------------------------------

CITIES = {
    "ru": "Moscow St._Petersburg Novorossiysk Vladivostok Yekaterinburg Kazan", "cy": "Limassol Nicosia Larnaca",
    "by": "Minsk Brest", "kz": "Almaty Astana", "ae": "Dubai Abu_Dhabi Sharjah Ajman", "gb": "London Manchester",
    "sy": "Damascus Aleppo Latakia", "iq": "Baghdad Basra Erbil", "ye": "Sanaa Aden", "lb": "Beirut Tyre",
    "sa": "Riyadh Jeddah", "ly": "Tripoli Benghazi", "eg": "Cairo Alexandria", "ir": "Tehran Isfahan Mashhad Tabriz",
    "cn": "Shanghai Beijing Shenzhen Guangzhou Dalian", "hk": "Hong_Kong Kowloon", "mx": "Culiacán Guadalajara Tijuana",
    "co": "Bogotá Medellín Cali", "ve": "Caracas Maracaibo", "us": "New_York Miami Houston", "tr": "Istanbul Ankara",
    "ua": "Kyiv Kharkiv Odesa", "kp": "Pyongyang Nampo", "in": "Mumbai New_Delhi Chennai", "de": "Berlin Hamburg",
    "qa": "Doha", "kw": "Kuwait_City", "jo": "Amman", "sd": "Khartoum", "ps": "Gaza Ramallah", "es": "Madrid Barcelona",
    "cu": "Havana", "ni": "Managua", "ar": "Buenos_Aires", "pe": "Lima", "pa": "Panama_City Colón", "ca": "Toronto",
    "au": "Sydney", "ie": "Dublin", "nz": "Auckland", "az": "Baku", "kr": "Seoul Busan", "pk": "Karachi Lahore",
    "ng": "Lagos Abuja Kano", "gh": "Accra Kumasi", "ml": "Bamako", "sn": "Dakar", "gn": "Conakry", "ci": "Abidjan",
    "bf": "Ouagadougou", "ne": "Niamey", "vn": "Hanoi Ho_Chi_Minh_City", "kh": "Phnom_Penh", "la": "Vientiane",
    "at": "Vienna", "ch": "Geneva Zurich", "li": "Vaduz", "fr": "Paris Marseille", "be": "Brussels Antwerp",
    "lu": "Luxembourg", "jp": "Tokyo Osaka", "tw": "Taipei", "sg": "Singapore", "my": "Kuala_Lumpur",
    "vg": "Road_Town", "mh": "Majuro", "nl": "Rotterdam Amsterdam", "it": "Milan Rome", "pl": "Warsaw",
    "se": "Stockholm",
}  # fmt: skip
STREETS = _words("Main_Street Central_Avenue Harbour_Road Industrial_Zone Free_Zone Business_Bay Lenina Pushkina")
PROGRAMS = Zipf(_words("RUSSIA-EO14024 UKRAINE-EO13662 SDGT IRAN SYRIA IRAQ2 DPRK3 SDNTK GLOMAG CYBER2 VENEZUELA"))


def _date(rng: random.Random, start: int, end: int) -> str:
    year = rng.randrange(start, end)
    roll = rng.random()
    if roll < 0.15:
        return str(year)
    if roll < 0.25:
        return f"{year}-{rng.randrange(1, 13):02d}"
    return f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


def _address(rng: random.Random, country: str) -> str:
    cities = CITIES.get(country)
    street = f"{rng.randrange(1, 300)} {rng.choice(STREETS).replace('_', ' ')}"
    return f"{street}, {rng.choice(cities.split()).replace('_', ' ')}" if cities else street


def _aliases(rng: random.Random, strong: list[str], weak: list[str], primary: str) -> tuple[list[str], list[str]]:
    """~40% of entities get 1-3 of their candidate aliases; a quarter of those a weak one too."""
    strong = [a for a in dict.fromkeys(strong) if a and a != primary]
    if not strong or rng.random() >= 0.47:
        return [], []
    chosen = rng.sample(strong, min(len(strong), rng.randint(1, 3)))
    return chosen, (weak[:1] if weak and rng.random() < 0.25 else [])


class Generator:
    """Entities one by one; the same seed gives the same entities."""

    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.cultures = Zipf([c for c, _ in CULTURES], weights=[w for _, w in CULTURES])
        self.orgs = Organizations()
        self.vessels = Vessels()

    def person_name(self) -> tuple[PersonNames, PersonName]:
        culture = self.cultures(self.rng)
        return culture, culture.make(self.rng)

    def org_name(self) -> OrgName:
        return self.orgs.make(self.rng, self.cultures)

    def records(self, count: int) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for n in range(count):
            roll = rng.random()
            rid = f"syn-{self.seed}-{n}"
            if roll < 0.6:
                yield self._person(rid)
            elif roll < 0.95:
                yield self._org(rid)
            else:
                yield self._vessel(rid)

    def _base(self, rid: str, schema: str, primary: str, props: dict[str, list[str]]) -> dict[str, Any]:
        rng = self.rng
        listed = f"20{rng.randrange(5, 25):02d}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        props["topics"] = ["sanction"]
        props["programId"] = [PROGRAMS(rng)]
        props["createdAt"] = [listed]
        return {
            "id": rid,
            "schema": schema,
            "caption": primary,
            "properties": props,
            "datasets": ["synthetic"],
            "first_seen": f"{listed}T00:00:00",
            "last_seen": "2025-06-01T00:00:00",
            "last_change": f"{listed}T00:00:00",
            "target": True,
        }

    def _person(self, rid: str) -> dict[str, Any]:
        rng = self.rng
        culture, name = self.person_name()
        country = culture.countries(rng)
        aliases, weak = _aliases(rng, name.aliases, name.weak, name.primary)
        props: dict[str, list[str]] = {"name": [name.primary], "firstName": [name.first], "lastName": [name.last]}
        if aliases:
            props["alias"] = aliases
        if weak:
            props["weakAlias"] = weak
        props["gender"] = [name.gender]
        if rng.random() < 0.75:
            props["birthDate"] = [_date(rng, 1940, 2000)]
            if rng.random() < 0.1:
                props["birthDate"].append(_date(rng, 1940, 2000))
        props["nationality"] = [country]
        props["country"] = [country]
        if rng.random() < 0.3:
            props["address"] = [_address(rng, country)]
        if rng.random() < 0.2:
            props["passportNumber"] = [f"{chr(65 + rng.randrange(26))}{rng.randrange(10**7, 10**8)}"]
        return self._base(rid, "Person", name.primary, props)

    def _org(self, rid: str) -> dict[str, Any]:
        rng = self.rng
        org = self.org_name()
        aliases, weak = _aliases(rng, org.aliases, org.weak, org.primary)
        schema = "Company" if rng.random() < 0.8 else "Organization"
        props: dict[str, list[str]] = {"name": [org.primary], "jurisdiction": [org.country]}
        if aliases:
            props["alias"] = aliases
        if weak:
            props["abbreviation"] = weak
        if rng.random() < 0.4:
            props["address"] = [_address(rng, org.country)]
        if rng.random() < 0.35:
            props["registrationNumber"] = [str(rng.randrange(10**9, 10**13))]
        if org.country == "ru" and rng.random() < 0.5:
            props["innCode"] = [str(rng.randrange(10**9, 10**10))]
        if rng.random() < 0.3:
            props["incorporationDate"] = [_date(rng, 1990, 2024)]
        return self._base(rid, schema, org.primary, props)

    def _vessel(self, rid: str) -> dict[str, Any]:
        rng = self.rng
        primary = self.vessels.name(rng)
        props: dict[str, list[str]] = {
            "name": [primary],
            "imoNumber": [imo_number(rng)],
            "flag": [VESSEL_FLAGS(rng)],
            "type": [VESSEL_TYPES(rng).replace("_", " ")],
        }
        if rng.random() < 0.4:
            props["previousName"] = [self.vessels.name(rng) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.5:
            props["mmsi"] = [str(rng.randrange(2 * 10**8, 8 * 10**8))]
        if rng.random() < 0.3:
            props["buildDate"] = [str(rng.randrange(1975, 2020))]
        return self._base(rid, "Vessel", primary, props)


def write(path: Path, count: int, seed: int = 1) -> None:
    """Write ``count`` entities to ``path`` as FtM JSON lines."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with open(path, "w", encoding="utf-8") as f:
        batch: list[str] = []
        for record in Generator(seed).records(count):
            batch.append(dumps(record))
            if len(batch) == 5000:
                f.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            f.write("\n".join(batch) + "\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    write(args.output, args.entities, args.seed)
    seconds = time.perf_counter() - started
    size = args.output.stat().st_size / 1e6
    print(f"{args.entities:,} entities, {size:.0f} MB, in {seconds:.1f} s → {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
