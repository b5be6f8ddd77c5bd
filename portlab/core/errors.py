"""The one error type services raise when a rule fails, and its conflict subtype."""

from typing import Any


class ApplicationError(Exception):
    """A rule refused the operation. `field` names the input at fault where there is one."""

    status_code = 400

    def __init__(self, message: Any, *, field: str | None = None, extra: dict | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.extra = extra or {}

    def as_dict(self) -> dict:
        data: dict[str, Any] = {"detail": self.message}
        if self.field:
            data["field"] = self.field
        data.update(self.extra)
        return data


class NotAuthenticated(ApplicationError):
    """The credentials sent were refused (an expired or revoked API token)."""

    status_code = 401


class PermissionDenied(ApplicationError):
    status_code = 403


class NotFound(ApplicationError):
    status_code = 404


class ConflictError(ApplicationError):
    """Someone else changed the record since it was read: nothing was overwritten."""

    status_code = 409
