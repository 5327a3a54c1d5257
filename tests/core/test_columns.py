import json

import pytest

from portal.core.columns import (
    Column,
    column_map,
    ordered_fields,
    resolve_header,
    resolve_keys,
    template_columns,
)

from .conftest import DATA

# the integration payload of the author guide, as external-api-example.json prints it
GUIDE_KEYS = [
    "Hudud", "Худуд", "Регион", "Region", "O`lchov birligi", "Ўлчов бирлиги", "Ед,изм", "Unit",
    "2010Y", "2011Y", "2012Y", "2013Y", "2014Y", "2015Y", "2016Y", "2017Y", "2018Y", "2019Y",
    "2020Y", "2021Y", "2022Y", "2023Y",
]  # fmt: skip
YEARS = [f"{year}Y" for year in range(2010, 2024)]
STATS_HEADERS = [
    "Hudud (uz)", "Худуд (oz)", "Регион (ru)", "Region (en)",
    "O`lchov birligi (uz)", "Ўлчов бирлиги (oz)", "Ед.изм (ru)", "Unit (en)",
    *YEARS,
]  # fmt: skip


def _text(name, uz, oz, ru, en, **extra):
    caption = {"uzbText": uz, "uzbKrText": oz, "rusText": ru, "engText": en}
    return {"name": name, "type": "text", "caption": caption, "visible": True, **extra}


def _plain(name, kind, caption, **extra):
    captions = dict.fromkeys(["uzbText", "uzbKrText", "rusText", "engText"], caption)
    return {"name": name, "type": kind, "caption": captions, "visible": True, **extra}


def test_template_columns_of_the_statistics_table(stats_dataset):
    columns = template_columns(stats_dataset["fields"])
    assert [c.header for c in columns] == STATS_HEADERS
    assert columns[0] == Column("Hudud", "uzbText", "Hudud (uz)")
    assert columns[6] == Column("Olchovbirligi", "rusText", "Ед.изм (ru)")
    assert columns[8] == Column("2010Y", None, "2010Y")
    assert column_map(columns)[:2] == ["Hudud:uzbText", "Hudud:uzbKrText"]
    assert column_map(columns)[8] == "2010Y"


def test_template_includes_hidden_fields(library_dataset):
    headers = [c.header for c in template_columns(library_dataset["fields"])]
    assert headers == [
        "Nomi (uz)", "Номи (oz)", "Название (ru)", "Name (en)",
        "Hudud", "Manzil", "Ochilgan sana", "Kitoblar soni", "Joylashuv", "Xizmat hududi",
    ]  # fmt: skip


def test_fields_follow_their_order():
    fields = [_plain("b", "number", "B", order=2), _plain("a", "number", "A", order=1)]
    assert [f["name"] for f in ordered_fields(fields)] == ["a", "b"]
    assert [c.field for c in template_columns(fields)] == ["a", "b"]


def test_resolve_header_of_an_untouched_template(stats_dataset):
    mapping, error = resolve_header(stats_dataset["fields"], STATS_HEADERS)
    assert error is None
    assert mapping[:4] == [
        ("Hudud", "uzbText"),
        ("Hudud", "uzbKrText"),
        ("Hudud", "rusText"),
        ("Hudud", "engText"),
    ]
    assert mapping[8:] == [(year, None) for year in YEARS]


def test_resolve_header_reordered_and_retyped(stats_dataset):
    header = [
        "2023Y", "region", "hudud", "Ўлчов бирлиги", "Ед,изм", None, "Худуд",
        "O'lchov  birligi", *YEARS[:-1], "",
    ]  # fmt: skip
    mapping, error = resolve_header(stats_dataset["fields"], header)
    assert error is None
    assert mapping[:8] == [
        ("2023Y", None),
        ("Hudud", "engText"),
        ("Hudud", "uzbText"),
        ("Olchovbirligi", "uzbKrText"),
        ("Olchovbirligi", "rusText"),
        None,
        ("Hudud", "uzbKrText"),
        ("Olchovbirligi", "uzbText"),
    ]
    assert mapping[-1] is None


def test_resolve_header_accepts_field_names(library_dataset):
    header = ["Nomi", "Hudud", "Manzil", "Ochilgansana", "Kitoblarsoni", "Joylashuv"]
    mapping, error = resolve_header(library_dataset["fields"], header + ["Xizmathududi"])
    assert error is None
    assert mapping[0] == ("Nomi", "uzbText")
    assert mapping[3] == ("Ochilgansana", None)


def test_resolve_header_reports_missing_and_unknown(stats_dataset):
    header = ["Hudud", "Unit", "Foo", *YEARS[1:], "Izoh"]
    mapping, error = resolve_header(stats_dataset["fields"], header)
    assert error == {
        "row": 1,
        "column": None,
        "message": "header does not match the structure: missing columns: '2010Y'; "
        "unknown columns: 'Foo', 'Izoh'",
    }
    assert mapping[0] == ("Hudud", "uzbText")


def test_resolve_header_missing_text_field_lists_its_columns(stats_dataset):
    _, error = resolve_header(stats_dataset["fields"], ["Hudud (uz)", *YEARS])
    assert error["message"] == (
        "header does not match the structure: missing columns: 'O`lchov birligi (uz)', "
        "'Ўлчов бирлиги (oz)', 'Ед.изм (ru)', 'Unit (en)'"
    )


def test_resolve_header_duplicate_column(stats_dataset):
    _, error = resolve_header(stats_dataset["fields"], [*STATS_HEADERS, "2015y"])
    assert error["message"] == "header does not match the structure: duplicate columns: '2015y'"


def test_resolve_header_shared_captions_fill_languages_in_order():
    fields = [_text("t", "Transport", "Транспорт", "Транспорт", "Transport")]
    mapping, error = resolve_header(fields, ["Transport", "Транспорт", "Транспорт", "Transport"])
    assert error is None
    assert mapping == [("t", "uzbText"), ("t", "uzbKrText"), ("t", "rusText"), ("t", "engText")]
    _, error = resolve_header(fields, ["Transport", "Transport", "Transport"])
    assert error["message"] == (
        "header does not match the structure: duplicate columns: 'Transport'"
    )


def test_resolve_header_ambiguous_cell():
    fields = [
        _plain("a", "number", "Soni"),
        _plain("b", "number", "Сони"),
        _plain("c", "date", "D"),
    ]
    _, error = resolve_header(fields, ["sоni", "Сони", "D"])  # a Cyrillic о among Latin letters
    assert error["message"] == (
        "header does not match the structure: ambiguous columns: 'sоni' (Soni and Сони)"
    )


def test_resolve_header_trusts_a_consistent_column_map(stats_dataset):
    fields = stats_dataset["fields"]
    hidden = column_map(template_columns(fields))
    retyped = list(STATS_HEADERS)
    retyped[0] = "Viloyat"  # the author renamed a cell: the hidden map still knows it
    mapping, error = resolve_header(fields, retyped, hidden)
    assert error is None
    assert mapping[0] == ("Hudud", "uzbText")


def test_resolve_header_ignores_a_map_that_disagrees(stats_dataset):
    fields = stats_dataset["fields"]
    hidden = column_map(template_columns(fields))
    swapped = list(STATS_HEADERS)
    swapped[8], swapped[9] = swapped[9], swapped[8]  # columns moved: the map no longer lines up
    mapping, error = resolve_header(fields, swapped, hidden)
    assert error is None
    assert mapping[8] == ("2011Y", None)
    assert mapping[9] == ("2010Y", None)


@pytest.mark.parametrize(
    "hidden",
    [
        ["Hudud:uzbText", "nope"],
        [["Hudud", "uzbText"], {"field": "Hudud", "lang": "uzbText"}],
        ["Hudud:xx"],
    ],
)
def test_resolve_header_bad_maps_fall_back_to_captions(stats_dataset, hidden):
    mapping, error = resolve_header(stats_dataset["fields"], STATS_HEADERS, hidden)
    assert error is None
    assert mapping[1] == ("Hudud", "uzbKrText")


def test_resolve_keys_of_the_guide_payload(stats_dataset):
    mapping, errors = resolve_keys(stats_dataset["fields"], GUIDE_KEYS)
    assert errors == []
    assert mapping["Hudud"] == ("Hudud", "uzbText")
    assert mapping["Худуд"] == ("Hudud", "uzbKrText")
    assert mapping["Регион"] == ("Hudud", "rusText")
    assert mapping["Region"] == ("Hudud", "engText")
    assert mapping["O`lchov birligi"] == ("Olchovbirligi", "uzbText")
    assert mapping["Ўлчов бирлиги"] == ("Olchovbirligi", "uzbKrText")
    assert mapping["Ед,изм"] == ("Olchovbirligi", "rusText")
    assert mapping["Unit"] == ("Olchovbirligi", "engText")
    assert all(mapping[year] == (year, None) for year in YEARS)


def test_the_guide_payload_file_has_those_keys():
    path = DATA / "external-api-example.json"
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert list(payload["data"][0]) == GUIDE_KEYS


def test_resolve_keys_names_and_languages(stats_dataset):
    mapping, errors = resolve_keys(stats_dataset["fields"], ["Olchovbirligi", "region (en)"])
    assert errors == []
    assert mapping == {
        "Olchovbirligi": ("Olchovbirligi", None),
        "region (en)": ("Hudud", "engText"),
    }


def test_resolve_keys_unknown_and_ambiguous():
    fields = [
        _plain("a", "number", "Soni"),
        _plain("b", "number", "Сони"),  # folds to the same key as 'Soni' but is another field
        _plain("c", "string", "Izoh"),
    ]
    mapping, errors = resolve_keys(fields, ["Soni", "Сони", "SONI!", "Nope"])
    assert mapping == {"Soni": ("a", None), "Сони": ("b", None), "SONI!": ("a", None)}
    assert errors == [{"row": None, "column": "Nope", "message": "unknown key 'Nope'"}]
    _, errors = resolve_keys(fields, ["sоni"])  # a Cyrillic о among Latin letters
    assert errors == [
        {"row": None, "column": "sоni", "message": "ambiguous key 'sоni': matches Soni and Сони"}
    ]


def test_fields_may_be_objects(stats_dataset):
    class Caption:
        def __init__(self, captions):
            self.captions = captions

        def to_dict(self):
            return dict(self.captions)

    class Field:
        def __init__(self, data):
            self.name, self.type = data["name"], data["type"]
            self.caption = Caption(data["caption"])

    fields = [Field(f) for f in stats_dataset["fields"]]
    assert [c.header for c in template_columns(fields)] == STATS_HEADERS
    mapping, errors = resolve_keys(fields, GUIDE_KEYS)
    assert errors == [] and mapping["Ед,изм"] == ("Olchovbirligi", "rusText")
