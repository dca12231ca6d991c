"""Changes to the content that pages show: FAQ entries, references and clinicians.

Every change refreshes the cached pages on every worker and server (`pages.cache`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from . import photos
from .cache import bump_content_version
from .models import Clinician, FaqEntry, Reference


@transaction.atomic
def faq_entry_save(*, entry: FaqEntry) -> FaqEntry:
    """Validate and save an FAQ entry (new or changed); the FAQ page shows it at once."""
    entry.full_clean()
    entry.save()
    bump_content_version()
    return entry


@transaction.atomic
def faq_entries_set_published(*, entries: QuerySet[FaqEntry], published: bool) -> int:
    """Publish or unpublish several entries; returns how many changed."""
    changed = entries.exclude(published=published).update(published=published)
    if changed:
        bump_content_version()
    return changed


@transaction.atomic
def faq_entries_delete(*, entries: QuerySet[FaqEntry]) -> int:
    """Delete FAQ entries; returns how many were deleted."""
    deleted = entries.count()
    entries.delete()
    bump_content_version()
    return deleted


@transaction.atomic
def reference_save(*, reference: Reference) -> Reference:
    """Validate and save a reference; every page citing it shows the change at once."""
    reference.full_clean()
    reference.save()
    bump_content_version()
    return reference


@transaction.atomic
def references_delete(*, references: QuerySet[Reference]) -> int:
    """Delete references; returns how many were deleted."""
    deleted = references.count()
    references.delete()
    bump_content_version()
    return deleted


@transaction.atomic
def clinician_save(*, clinician: Clinician, photo=None, remove_photo: bool = False) -> Clinician:
    """Validate and save a clinician, with a new photo (re-encoded) or without their old one.

    The replaced photo file is deleted only once the change is committed.
    """
    old_photo = clinician.photo
    if photo is not None:
        clinician.photo = photos.photo_store(photo)
    elif remove_photo:
        clinician.photo = ""
    clinician.full_clean()
    clinician.save()
    if old_photo and old_photo != clinician.photo:
        transaction.on_commit(lambda: photos.photo_delete(old_photo))
    bump_content_version()
    return clinician


@transaction.atomic
def clinicians_delete(*, clinicians: QuerySet[Clinician]) -> int:
    """Delete clinicians and their photos; returns how many were deleted."""
    names = [name for name in clinicians.values_list("photo", flat=True) if name]
    deleted = clinicians.count()
    clinicians.delete()
    transaction.on_commit(lambda: [photos.photo_delete(name) for name in names])
    bump_content_version()
    return deleted
