"""A small structure covering every field type, and rows with the awkward values."""

from datetime import datetime

import exporters


def _four(uz, oz, ru, en):
    return {"uzbText": uz, "uzbKrText": oz, "rusText": ru, "engText": en}


FIELDS = [
    {"name": "Hudud", "type": "text", "caption": _four("Hudud", "Ҳудуд", "Регион", "Region")},
    {"name": "Manzil", "type": "string", "caption": _four("Manzil", "Манзил", "Адрес", "Address")},
    {
        "name": "Viloyat",
        "type": "directory",
        "directory": "regions",
        "caption": _four("Viloyat", "Вилоят", "Область", "Province"),
    },
    {"name": "Sana", "type": "date", "caption": _four("Sana", "Сана", "Дата", "Date")},
    {"name": "2010Y", "type": "number", "caption": _four("2010Y", "2010Y", "2010Y", "2010Y")},
    {"name": "Joylashuv", "type": "location", "caption": _four("Joy", "Жой", "Место", "Place")},
    {"name": "Hudud chegarasi", "type": "polygon", "caption": _four("Zona", "Зона", "Зона", "Ar")},
]
for _i, _f in enumerate(FIELDS, 1):
    _f.update(visible=True, order=_i)
    _f.setdefault("directory", None)

SQUARE = [[41.30, 69.26], [41.32, 69.26], [41.32, 69.29], [41.30, 69.29]]

ROWS = [
    {
        "Hudud": _four("Toshkent", "Тошкент", "Ташкент", "Tashkent"),
        "Manzil": '=HYPERLINK("http://evil.example","x")',
        "Viloyat": "1726",
        "Sana": "2001-03-12",
        "2010Y": -7,
        "Joylashuv": [41.31108, 69.27974],
        "Hudud chegarasi": SQUARE,
    },
    {
        "Hudud": _four("Samarqand", "Самарқанд", "", "Samarkand"),
        "Manzil": 'Registon "ko\'chasi" <5> & 6',
        "Viloyat": None,
        "Sana": None,
        "2010Y": 1234.5,
        "Joylashuv": None,
        "Hudud chegarasi": [[39.64, 66.95], [39.67, 66.99]],
    },
    {
        "Hudud": None,
        "Manzil": "+998 71 203-80-29",
        "Viloyat": "@1703",
        "Sana": "1899-12-31",
        "2010Y": None,
        "Joylashuv": [-33.9249, 18.4241],
        "Hudud chegarasi": None,
    },
    {
        "Hudud": _four("-minus", "\tтаб", "строка\nвторая", "ctl\x01char"),
        "Manzil": "Qatorlar\r\nikki",
        "Viloyat": "1703",
        "Sana": "2024-02-29",
        "2010Y": 0,
        "Joylashuv": [40.0, 71.5],
        "Hudud chegarasi": SQUARE[::-1],
        "hidden": "left out by the caller's field list",
    },
]

META = {
    "id": "65a1b2c3d4e5f6a7b8c9d0e1",
    "code": "2-001-11072",
    "title": _four("Bolalar kutubxonalari", "Болалар кутубхоналари", "Детские библиотеки", "Libs"),
    "description": _four("Manzil bilan", "Манзил билан", "С адресом", "With address"),
    "organization": {"code": "2-001", "name": _four("Statistika", "Статистика", "Стат", "Stat")},
    "keywords": ["kutubxona", "библиотека"],
    "version": 3,
    "updated_at": datetime(2024, 5, 1, 12, 30),
    "base_url": "http://127.0.0.1:8000",
    "license": "https://creativecommons.org/licenses/by/4.0/",
}

BASE = "http://127.0.0.1:8000/datasets/2-001-11072"


def render(fmt, lang=None, rows=None, fields=None, meta=None):
    """All the bytes of one export of the sample."""
    chunks = exporters.render(
        fmt, meta or META, fields or FIELDS, iter(ROWS if rows is None else rows), lang=lang
    )
    return b"".join(chunks)


def many_rows(n):
    """A generator of n rows, each a fresh dict (nothing kept alive by the caller)."""
    for i in range(n):
        row = dict(ROWS[i % 2])
        row["2010Y"] = i
        yield row
