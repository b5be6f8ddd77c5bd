"""Optimistic concurrency: every editable row carries a version that each write bumps."""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError, ConflictError


class VersionRequired(ApplicationError):
    """An update of an existing record was sent without the version it changes."""

    status_code = 422


def _conflict(version: int) -> ConflictError:
    return ConflictError(
        _(
            "This record was changed by someone else (your version %(yours)s). "
            "Reload it and apply your change again."
        )
        % {"yours": version},
        field="version",
    )


def require_version(instance: models.Model, expected_version: int | None, *,
                    required: bool = False) -> None:
    """Refuse a stale version even when the write turns out to change nothing; with
    `required` (an API update of an existing record) refuse a missing one too."""
    if expected_version is None:
        if required:
            raise VersionRequired(
                _("This record exists already (version %s): send the version you are "
                  "changing.") % instance.version, field="version")
        return
    if expected_version != instance.version:
        raise _conflict(expected_version)


def save_versioned(instance: models.Model, expected_version: int | None, fields: list[str]) -> None:
    """Write `fields` only if the row still has `expected_version`; otherwise raise a conflict.

    A caller that does not pass a version (internal transitions holding the row) writes
    against the version it loaded.
    """
    version = instance.version if expected_version is None else expected_version
    values = {name: getattr(instance, name) for name in fields}
    updated = type(instance).objects.filter(pk=instance.pk, version=version).update(
        version=F("version") + 1, **values
    )
    if updated == 0:
        raise _conflict(version)
    instance.version = version + 1
