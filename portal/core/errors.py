"""The portal's exceptions: one shape, one HTTP status each, mapped once by the app."""

from http import HTTPStatus


def error_body(code, message, errors=None):
    """The one error shape: {code, status, message, errors?}."""
    body = {"code": code, "status": HTTPStatus(code).phrase, "message": message}
    if errors is not None:
        body["errors"] = errors
    return body


class PortalError(Exception):
    """Base of every error the portal reports to a client."""

    status = 400
    default_message = "bad request"

    def __init__(self, message=None, errors=None):
        self.message = message or self.default_message
        self.errors = errors
        super().__init__(self.message)

    def to_dict(self):
        """Return the JSON body of the error."""
        return error_body(self.status, self.message, self.errors)


class BadRequest(PortalError):
    """The request is malformed."""

    status = 400


class Unauthorized(PortalError):
    """No valid credentials were given."""

    status = 401
    default_message = "authentication required"


class Forbidden(PortalError):
    """The user may not do this."""

    status = 403
    default_message = "forbidden"


class CsrfRefused(Forbidden):
    """A cookie-authenticated write without the session's CSRF token (a page can say so)."""


class NotFound(PortalError):
    """The thing asked for does not exist (or is not visible to the user)."""

    status = 404
    default_message = "not found"


class Conflict(PortalError):
    """The request conflicts with the current state."""

    status = 409
    default_message = "conflict"


class TooLarge(PortalError):
    """The upload or payload is over the limit."""

    status = 413
    default_message = "too large"


class InvalidData(PortalError):
    """Data does not match the structure: errors per row and column, or per field."""

    status = 422
    default_message = "invalid data"

    def __init__(self, message=None, errors=None):
        # errors: [{"row", "column", "value", "message"}, ...] or {field: message}
        super().__init__(message, errors if errors is not None else [])


class Unavailable(PortalError):
    """Busy for now (a file another worker is building): try again after `retry_after` s."""

    status = 503
    default_message = "busy: try again shortly"

    def __init__(self, message=None, retry_after=5):
        super().__init__(message)
        self.retry_after = retry_after
