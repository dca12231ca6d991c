"""Deployment check: the translations are compiled.

Without a compiled message file every translated word on the Spanish pages (the crisis line's
"marque 2" among them) falls back to English, so `check --deploy` refuses to pass.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.translation, deploy=True)
def compiled_translations_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        source = Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"
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
