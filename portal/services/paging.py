"""Paging of lists: `{items, total, page, page_size}`."""


def page_of(queryset, page, page_size, convert=lambda x: x):
    """One page of a mongoengine queryset."""
    total = queryset.count()
    items = queryset.skip((page - 1) * page_size).limit(page_size)
    return {
        "items": [convert(i) for i in items],
        "total": total,
        "page": page,
        "page_size": page_size,
    }
