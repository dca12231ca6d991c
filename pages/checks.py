"""Deployment checks: the translations are compiled, and the clinic profile is ready.

Without a compiled message file every translated word on the Spanish pages (the crisis line's
"marque 2" among them) falls back to English, and the staff admin to Django's words, so
`check --deploy` refuses to pass.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection

from .clinic import clinic_profile_problems
from .models import ClinicProfile


@checks.register(checks.Tags.translation, deploy=True)
def compiled_translations_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every message file is compiled: the Spanish, and the staff admin's English words."""
    errors = []
    for locale_path in settings.LOCALE_PATHS:
        for source in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
            compiled = source.with_suffix(".mo")
            if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
                errors.append(
                    checks.Error(
                        f"{compiled} is missing or older than {source.name}.",
                        hint="Run `make messages` (or `manage.py compilemessages`).",
                        id="pages.E001",
                    )
                )
    return errors


@checks.register(deploy=True)
def clinic_profile_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The clinic profile is complete and holds no example values (as `manage.py clinic_check`).

    A database without the profile's table yet (before `migrate`) is not checked here: the
    migrations come first, and this check then runs against them.
    """
    try:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
    except DatabaseError:
        return []
    if ClinicProfile._meta.db_table not in tables:
        return []
    problems = clinic_profile_problems()
    if not problems:
        return []
    return [
        checks.Warning(
            "The clinic profile is not ready to go live: " + "; ".join(problems) + ".",
            hint="A manager completes it in the staff admin (Clinic profile); "
            "`manage.py clinic_check` lists the same.",
            id="pages.W001",
        )
    ]
