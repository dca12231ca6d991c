"""Deployment checks (`check --deploy`): production mail must reach people.

Without EMAIL_URL the console backend prints staff notices and on-call alerts to a log nobody
reads; the example on-call address wakes nobody."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

UNDELIVERED_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def mail_reaches_people_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    found = []
    if settings.EMAIL_BACKEND in UNDELIVERED_BACKENDS:
        found.append(
            checks.Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: staff notices and on-call alerts "
                "would never leave this machine.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587.",
                id="operations.W001",
            )
        )
    if not settings.ON_CALL_EMAIL or settings.ON_CALL_EMAIL.endswith("@example.org"):
        found.append(
            checks.Warning(
                f"ON_CALL_EMAIL is {settings.ON_CALL_EMAIL or 'not set'}: an acute request "
                "waiting at night would wake nobody.",
                hint="Set ON_CALL_EMAIL to the on-call person's address or e-mail-to-SMS gateway.",
                id="operations.W002",
            )
        )
    return found
