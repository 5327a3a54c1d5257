"""Charts drawn on the server as SVG: horizontal bars, each with its label and number as text,
so the chart reads without colour and the same numbers stand in a table beside it."""

from flask_babel import format_decimal

WIDTH = 640
LABEL_WIDTH = 250
ROW = 28
MAX_BARS = 25


def number(value):
    """A number as the page's language writes it."""
    return format_decimal(value)


def bars(items):
    """[(label, value)] -> what macros/charts.html draws (the largest values first kept)."""
    items = [(str(label), float(value or 0)) for label, value in items][:MAX_BARS]
    top = max((v for _, v in items), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 80
    out = []
    for i, (label, value) in enumerate(items):
        out.append(
            {
                "y": i * ROW,
                "label": label if len(label) <= 30 else label[:29] + "…",
                "full": label,
                "width": max(1, round(room * value / top)),
                "value": format_decimal(value),
            }
        )
    return {"width": WIDTH, "height": max(ROW, len(out) * ROW), "bars": out, "x0": LABEL_WIDTH}


def grouped(rows, group_field, number_field, label_of=str):
    """Sum a number column of `rows` by the value of another field -> [(label, total)]."""
    totals = {}
    for row in rows:
        key = row.get(group_field)
        value = row.get(number_field)
        if key is None or not isinstance(value, (int, float)):
            continue
        label = label_of(key)
        totals[label] = totals.get(label, 0) + value
    return sorted(totals.items(), key=lambda kv: -kv[1])
