"""Reads of page content."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Clinician, FaqEntry


def faq_entries_published() -> QuerySet[FaqEntry]:
    """Published FAQ entries in page order, with their references in one extra query."""
    return FaqEntry.objects.filter(published=True).prefetch_related("references")


def clinicians_published() -> QuerySet[Clinician]:
    """The people listed under "Who cares for you", in page order."""
    return Clinician.objects.filter(published=True)
