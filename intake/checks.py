"""System check: the patient-data keys fit the data already stored.

Tagged `database`, so it runs with `migrate` and `check --database default` (and therefore before
`make run` serves anything); avyia_site.wsgi runs the same verification when a production server
starts.
"""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.database)
def encryption_keys_check(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    if not databases or "default" not in databases:
        return []
    from .staff.keys import KeyMismatchError, encryption_keys_verify

    try:
        encryption_keys_verify()
    except (KeyMismatchError, ImproperlyConfigured) as exc:
        return [checks.Critical(str(exc), id="intake.E001")]
    return []


@checks.register()
def business_hours_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The promise, business hours and days must parse: the queue's due times depend on them."""
    from core.business_hours import business_hours, business_weekdays, response_allowance

    try:
        business_hours()
        business_weekdays()
        response_allowance()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="intake.E002")]
    return []
