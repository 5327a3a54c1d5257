"""How the compat endpoints meet HTTP: paths in any case, and CORS for public reads.

data.egov.uz's server matched paths without regard to case, and its clients spell them every
way (`/apiClient/main/gettable`, `/apiClient/Main/GetTable`); each spelling is sent to the one
route. Public reads (GET and HEAD of the API, the compat endpoints, the downloads, robots.txt)
may be called from a page on any origin: `Access-Control-Allow-Origin: *`, never with
credentials, so a browser sends no cookie with them. Writes get no CORS headers, so another
origin's page cannot make them.
"""

from flask import request

COMPAT_PREFIXES = ("/apiclient/", "/apidata/", "/apipartner/")
PUBLIC_PREFIXES = (
    "/api/v1/", "/api/openapi.json", "/apiclient/", "/apidata/", "/apipartner/",
    "/catalog.", "/robots.txt", "/sitemap.xml",
)  # fmt: skip
READS = ("GET", "HEAD")
# POSTs that only read, without a session: the portal's own table view
READING_POSTS = {"compat_tables.get_main_data"}
ALLOW_HEADERS = "Authorization, Content-Type, If-None-Match, Accept-Language"
EXPOSE_HEADERS = "ETag, Content-Disposition, Content-Length"


class CaseInsensitivePaths:
    """WSGI middleware: a compat path in any case is routed as its canonical spelling."""

    def __init__(self, app, wsgi_app):
        self.app, self.wsgi_app, self.canonical = app, wsgi_app, None

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        lowered = path.lower()
        if lowered.startswith(COMPAT_PREFIXES):
            if self.canonical is None:
                self.canonical = {
                    r.rule.lower(): r.rule
                    for r in self.app.url_map.iter_rules()
                    if r.rule.lower().startswith(COMPAT_PREFIXES)
                }
            environ["PATH_INFO"] = self.canonical.get(lowered, path)
        return self.wsgi_app(environ, start_response)


def _allowed_methods():
    """The methods another origin may use on this path."""
    if request.endpoint in READING_POSTS:
        return ("POST",)
    return READS


def add_cors(response):
    """after_request: CORS headers on public reads and their preflights."""
    if not request.path.lower().startswith(PUBLIC_PREFIXES):
        return response
    methods = _allowed_methods()
    if request.method == "OPTIONS":
        asked = request.headers.get("Access-Control-Request-Method", "").upper()
        if asked and asked not in methods:
            return response
        response.headers["Access-Control-Allow-Methods"] = ", ".join((*methods, "OPTIONS"))
        response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    elif request.method not in methods:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    return response


def install(app):
    """Route compat paths in any case and answer cross-origin reads."""
    app.wsgi_app = CaseInsensitivePaths(app, app.wsgi_app)
    app.after_request(add_cors)
