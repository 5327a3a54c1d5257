"""Server-rendered pages: a thin skin over the services."""


def init_app(app):
    """Register the pages (blueprints, catalogs, hooks) on the app."""
    from portal.web import frame

    frame.init_app(app)
