"""Markdown to HTML, sanitized, done once when content is saved."""

import nh3
from markdown_it import MarkdownIt

from portal.core.langs import LANG_KEYS

# Raw HTML in the Markdown is shown as text (html=False); nh3 then keeps only these.
_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th",
    "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def to_html(markdown):
    """Sanitized HTML of a Markdown text."""
    return nh3.clean(
        _markdown.render(markdown or ""),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
    )


def multilingual(values):
    """{lang: html} of a multilingual Markdown value."""
    return {lang: to_html((values or {}).get(lang, "")) for lang in LANG_KEYS}
