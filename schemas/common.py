"""Shapes shared by every resource: multilingual values, paging, errors."""

from datetime import UTC

from marshmallow import Schema, ValidationError, fields, validate, validates_schema


def utc_isoformat(value):
    """An OpenAPI date-time in UTC with its 'Z': MongoDB keeps UTC times without a zone."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


# Every DateTime field of every schema dumps this way (the default "iso" format), so no answer
# carries a time without its zone, whichever module declares the field.
fields.DateTime.SERIALIZATION_FUNCS = {
    **fields.DateTime.SERIALIZATION_FUNCS,
    "iso": utc_isoformat,
    "iso8601": utc_isoformat,
}


class Strict(Schema):
    """Unknown fields are rejected (marshmallow's default, stated here on purpose)."""

    class Meta:
        unknown = "raise"
        ordered = True


class Trimmed(fields.String):
    """A string with surrounding whitespace removed."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class MultilingualSchema(Strict):
    uzbText = Trimmed(required=True, validate=validate.Length(min=1, max=2000))
    uzbKrText = Trimmed(required=True, validate=validate.Length(min=1, max=2000))
    rusText = Trimmed(required=True, validate=validate.Length(min=1, max=2000))
    engText = Trimmed(required=True, validate=validate.Length(min=1, max=2000))


class OptionalMultilingualSchema(Strict):
    uzbText = Trimmed(load_default="", validate=validate.Length(max=20000))
    uzbKrText = Trimmed(load_default="", validate=validate.Length(max=20000))
    rusText = Trimmed(load_default="", validate=validate.Length(max=20000))
    engText = Trimmed(load_default="", validate=validate.Length(max=20000))


class MultilingualOut(Schema):
    uzbText = fields.String()
    uzbKrText = fields.String()
    rusText = fields.String()
    engText = fields.String()


MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100


class PageArgs(Strict):
    """?page=&page_size= of every list. The bounds hold in subclasses that change a default."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))

    @validates_schema
    def _bounded(self, data, **kwargs):
        for name, high in (("page", MAX_PAGE), ("page_size", MAX_PAGE_SIZE)):
            value = data.get(name)
            if value is not None and not 1 <= value <= high:
                raise ValidationError(
                    f"Must be greater than or equal to 1 and less than or equal to {high}.", name
                )


class Paged(Schema):
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()


def paged(item_schema, name=None):
    """A page schema `{items, total, page, page_size}` of `item_schema`."""
    name = name or f"{item_schema.__name__.removesuffix('Schema')}Page"
    return type(name, (Paged,), {"items": fields.List(fields.Nested(item_schema))})


class CodeField(Trimmed):
    """A code: letters, digits, dashes, underscores and dots."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "validate",
            validate.Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$", error="letters, digits, '-', '_', '.' only"
            ),
        )
        super().__init__(**kwargs)


class NoOperators:
    """Mixin: refuse keys that MongoDB would read as operators or paths."""

    @validates_schema(pass_original=True)
    def _no_operators(self, data, original, **kwargs):
        def walk(value, where):
            if isinstance(value, dict):
                for key, inner in value.items():
                    if isinstance(key, str) and (key.startswith("$") or "." in key):
                        raise ValidationError(f"key not allowed: {key!r}", where or "_schema")
                    walk(inner, key)
            elif isinstance(value, list):
                for inner in value:
                    walk(inner, where)

        walk(original, None)
