import pytest

from portal.core.text import (
    caption_key,
    fold,
    is_identifier,
    make_identifier,
    search_terms,
    term_prefixes,
    translit_cyr_to_lat,
    translit_lat_to_cyr,
)

PAIRS = [
    ("kutubxona", "кутубхона"),
    ("Toshkent", "Тошкент"),
    ("O'zbekiston", "Ўзбекистон"),
    ("Qoraqalpog'iston", "Қорақалпоғистон"),
    ("Samarqand", "Самарқанд"),
    ("Qashqadaryo", "Қашқадарё"),
    ("Surxondaryo", "Сурхондарё"),
    ("Farg'ona viloyati", "Фарғона вилояти"),
    ("Navoiy", "Навоий"),
    ("Jizzax", "Жиззах"),
    ("Toshkent shahri", "Тошкент шаҳри"),
    ("Ekologiya", "Экология"),
    ("Yevropa", "Европа"),
    ("poeziya", "поэзия"),
    ("choy", "чой"),
    ("yo'l", "йўл"),
    ("Is'hoq", "Исҳоқ"),
    ("Iqtisodiyot", "Иқтисодиёт"),
    ("Yunon", "Юнон"),
    ("TOSHKENT", "ТОШКЕНТ"),
    ("SHAHAR", "ШАҲАР"),
    ("Shahar", "Шаҳар"),
    ("1-son bolalar kutubxonasi", "1-сон болалар кутубхонаси"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), PAIRS)
def test_transliteration_round_trips(latin, cyrillic):
    assert translit_lat_to_cyr(latin) == cyrillic
    assert translit_cyr_to_lat(cyrillic) == latin


def test_hard_sign_and_apostrophes():
    assert translit_cyr_to_lat("Таълим") == "Taʼlim"
    assert translit_lat_to_cyr("Ta'lim") == "Таълим"
    assert translit_lat_to_cyr("Taʼlim") == "Таълим"
    assert translit_lat_to_cyr("Oʻzbekiston") == "Ўзбекистон"
    assert translit_lat_to_cyr("G‘alaba") == "Ғалаба"
    # quotes around a word are not hard signs
    assert translit_lat_to_cyr("'Toshkent'") == "'Тошкент'"


def test_transliteration_keeps_other_characters():
    assert translit_cyr_to_lat("2010Y, №5") == "2010Y, №5"
    assert translit_lat_to_cyr("2010, 5%") == "2010, 5%"
    assert translit_cyr_to_lat("") == ""
    assert translit_cyr_to_lat("Центр") == "Tsentr"
    assert translit_cyr_to_lat("Ед.изм") == "Yed.izm"


@pytest.mark.parametrize("mark", list("'‘’`ʻʼ´"))
def test_fold_unifies_apostrophes(mark):
    assert fold(f"O{mark}zbekiston") == "o'zbekiston"


def test_fold_latin_and_cyrillic_meet():
    assert fold("Ўзбекистон  Республикаси") == fold("O`zbekiston Respublikasi")
    assert fold("Қорақалпоғистон") == fold("QORAQALPOG'ISTON") == "qoraqalpog'iston"
    assert fold("  Toshkent \t\n shahri ") == "toshkent shahri"
    assert fold("ＴＯＳＨＫＥＮＴ") == "toshkent"  # NFKC: full-width letters
    assert fold(None) == ""


def test_search_terms():
    assert search_terms("O‘zbekiston Respublikasi, o'zbekiston!") == [
        "o'zbekiston",
        "respublikasi",
    ]
    assert search_terms("Болалар кутубхоналари 2023") == ["bolalar", "kutubxonalari", "2023"]
    assert search_terms("'quoted' word") == ["quoted", "word"]
    assert search_terms("") == []


def test_term_prefixes():
    assert term_prefixes("kitob") == ["ki", "kit", "kito", "kitob"]
    assert term_prefixes("kitob", min_len=4) == ["kito", "kitob"]
    assert term_prefixes("k") == []


def test_caption_key_of_the_guide_example():
    assert caption_key("Ед,изм") == caption_key("Ед.изм") == caption_key("ед изм")
    assert caption_key("O`lchov birligi") == caption_key("O'lchov birligi") == "olchovbirligi"
    assert caption_key("Kitoblar soni") == caption_key("kitoblar-soni") == "kitoblarsoni"
    assert caption_key("Hudud (uz)") == "hududuz"


@pytest.mark.parametrize(
    ("caption", "name"),
    [
        ("O`lchov birligi", "Olchovbirligi"),
        ("Kitoblar soni", "Kitoblarsoni"),
        ("2010Y", "2010Y"),
        ("Ochilgan sana", "Ochilgansana"),
        ("Ўлчов бирлиги", "Olchovbirligi"),
        ("Xizmat hududi", "Xizmathududi"),
        ("Café №1", "CafeNo1"),
        ("", "field"),
        ("!!!", "field"),
        (None, "field"),
    ],
)
def test_make_identifier(caption, name):
    assert make_identifier(caption) == name


def test_make_identifier_avoids_taken_names():
    assert make_identifier("Hudud", taken={"Hudud"}) == "Hudud_2"
    assert make_identifier("Hudud", taken=["Hudud", "Hudud_2"]) == "Hudud_3"
    assert make_identifier("", taken={"field"}) == "field_2"
    assert is_identifier(make_identifier("x" * 200, taken={"x" * 60}))


@pytest.mark.parametrize("name", ["Hudud", "2010Y", "a_b", "x" * 64])
def test_is_identifier(name):
    assert is_identifier(name)


@pytest.mark.parametrize("name", ["", "a b", "O'lchov", "Ҳудуд", "x" * 65, None, 5])
def test_is_not_identifier(name):
    assert not is_identifier(name)
