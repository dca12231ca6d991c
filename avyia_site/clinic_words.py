"""The clinic's own sentences from settings, in the language of the page."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def clinic_words(setting: str) -> str:
    """NAME in English, NAME_ES in Spanish.

    Empty when the clinic has not written it in the page's language: the page then says that the
    clinician will tell the patient, rather than show a rule the reader may not understand.
    """
    language = get_language() or settings.LANGUAGE_CODE
    name = setting if language == settings.LANGUAGE_CODE else f"{setting}_{language.upper()}"
    return getattr(settings, name, "")
