"""Changes to the content that pages show: FAQ entries, references, clinicians, the clinic profile.

Every change refreshes the cached pages on every worker and server (`pages.cache`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from core.audit import audit_record
from core.models import AuditEvent

from . import photos
from .cache import bump_content_version
from .clinic import clinic_profile_get
from .example_clinic import EXAMPLE_PROFILE
from .models import Clinician, ClinicProfile, FaqEntry, Reference


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


@transaction.atomic
def clinic_profile_save(
    *,
    profile: ClinicProfile,
    changed_fields: list[str],
    actor=None,
    actor_label: str = "",
    director_photo=None,
    remove_director_photo: bool = False,
    examples_confirmed: bool = False,
) -> ClinicProfile:
    """Validate and save the clinic profile, record who changed which facts, refresh every page.

    The audit event names the fields, not their values: the profile holds no patient data, but
    the trail stays a list of who did what. A field changed here is no longer an example; with
    `examples_confirmed`, a manager says the example values left are the clinic's own.
    """
    old_photo = profile.director_photo
    if examples_confirmed and profile.example_field_names:
        changed_fields = [*changed_fields, "example values confirmed as the clinic's own"]
    profile.example_field_names = (
        []
        if examples_confirmed
        else [name for name in profile.example_field_names if name not in changed_fields]
    )
    if director_photo is not None:
        profile.director_photo = photos.photo_store(director_photo)
        changed_fields = [*changed_fields, "director_photo"]
    elif remove_director_photo and old_photo:
        profile.director_photo = ""
        changed_fields = [*changed_fields, "director_photo"]
    profile.full_clean()
    profile.save()
    if old_photo and old_photo != profile.director_photo:
        transaction.on_commit(lambda: photos.photo_delete(old_photo))
    audit_record(
        action=AuditEvent.Action.CHANGE,
        actor=actor,
        actor_label=actor_label,
        detail=_changed_detail(changed_fields),
    )
    bump_content_version()
    return profile


def _changed_detail(changed_fields: list[str]) -> str:
    detail = "clinic profile: " + (", ".join(changed_fields) or "saved without changes")
    limit = AuditEvent._meta.get_field("detail").max_length
    return detail if len(detail) <= limit else detail[: limit - 1] + "…"


def clinic_profile_load_example(*, actor_label: str) -> ClinicProfile:
    """Fill the profile with the complete example (pages.example_clinic), for a local site."""
    profile = clinic_profile_get()
    for name, value in EXAMPLE_PROFILE.items():
        setattr(profile, name, value)
    profile = clinic_profile_save(
        profile=profile, changed_fields=list(EXAMPLE_PROFILE), actor_label=actor_label
    )
    profile.example_field_names = list(EXAMPLE_PROFILE)
    profile.save(update_fields=["example_field_names"])
    return profile
