"""Paths outside the language prefix: `/`, `/data/{id}`."""

from flask import current_app, redirect, request, url_for

from portal.services.publishing import datasets
from portal.web import i18n
from portal.web.frame import root


def wants_html():
    """A browser (HTML preferred) rather than a client asking for JSON."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def visitor_lang():
    """The language of a visitor's last page (the cookie), else what the browser asks for."""
    chosen = request.cookies.get("lang")
    if chosen in i18n.CODES:
        return chosen
    return i18n.from_accept(request.accept_languages)


@root.get("/")
def index():
    """A browser goes to its language's home page; a JSON client gets the index of the API."""
    if wants_html():
        return redirect(url_for("web.home", lang=visitor_lang()))
    return current_app.view_functions["health.index"]()


@root.get("/data/<ref>")
def data(ref):
    """Links shaped like the previous portal's dataset pages open the dataset page."""
    dataset = datasets.visible(None, ref)
    return redirect(url_for("web.dataset", lang=visitor_lang(), ds=dataset.code), code=301)
