from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.html import format_html

from core.admin_words import StaffModelAdmin, titled

from . import photos, services
from .clinic import example_fields
from .models import Clinician, ClinicProfile, FaqEntry, Reference

# Saves, deletions and actions go through pages.services, which refreshes the cached pages.


@admin.register(FaqEntry)
class FaqEntryAdmin(StaffModelAdmin):
    list_display = ("question", "in_spanish", "order", "published", "last_reviewed", "source_count")
    list_display_links = ("question",)
    list_editable = ("order", "published")
    list_filter = (("published", titled("published", admin.BooleanFieldListFilter)),)
    search_fields = ("question", "answer", "question_es", "answer_es")
    filter_horizontal = ("references",)
    actions = ("publish", "unpublish")
    fieldsets = (
        (
            None,
            {
                # Each Spanish field on the same row as its English one.
                "fields": (("question", "question_es"), ("answer", "answer_es")),
                "description": "Without both Spanish fields, the Spanish page shows this entry "
                "in English.",
            },
        ),
        ("Sources and review", {"fields": ("references", "last_reviewed")}),
        ("On the page", {"fields": ("order", "published")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[FaqEntry]:
        return super().get_queryset(request).annotate(reference_count=Count("references"))

    @admin.display(description="In Spanish", boolean=True)
    def in_spanish(self, entry: FaqEntry) -> bool:
        return bool(entry.question_es and entry.answer_es)

    @admin.display(description="Sources", ordering="reference_count")
    def source_count(self, entry: FaqEntry) -> int:
        return entry.reference_count

    @admin.action(description="Publish the checked entries")
    def publish(self, request: HttpRequest, queryset: QuerySet[FaqEntry]) -> None:
        changed = services.faq_entries_set_published(entries=queryset, published=True)
        self.message_user(request, f"Published {changed} entries.", messages.SUCCESS)

    @admin.action(description="Unpublish the checked entries")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[FaqEntry]) -> None:
        changed = services.faq_entries_set_published(entries=queryset, published=False)
        self.message_user(request, f"Unpublished {changed} entries.", messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: FaqEntry, form, change: bool) -> None:
        services.faq_entry_save(entry=obj)

    def delete_model(self, request: HttpRequest, obj: FaqEntry) -> None:
        services.faq_entries_delete(entries=FaqEntry.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[FaqEntry]) -> None:
        services.faq_entries_delete(entries=queryset)


@admin.register(Reference)
class ReferenceAdmin(StaffModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("key", "authors", "year", "journal", "doi")
    search_fields = ("key", "authors", "title", "doi", "pmid", "pmcid")
    fieldsets = (
        (None, {"fields": ("key", "authors", "title")}),
        ("Publication", {"fields": ("journal", "year", "volume", "pages")}),
        ("Links", {"fields": ("doi", "pmid", "pmcid", "url")}),
    )

    def save_model(self, request: HttpRequest, obj: Reference, form, change: bool) -> None:
        services.reference_save(reference=obj)

    def delete_model(self, request: HttpRequest, obj: Reference) -> None:
        services.references_delete(references=Reference.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Reference]) -> None:
        services.references_delete(references=queryset)


class ClinicianForm(forms.ModelForm):
    # A plain file field: Django's ImageField would open the file with every Pillow decoder.
    upload = forms.FileField(
        label="Photo",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=(
            "Optional. A JPEG, PNG or WebP of the person's face, up to 10 MB and "
            f"{photos.MAX_PIXELS // 1_000_000} megapixels, shown small and square. It is "
            "re-saved without its metadata (such as where it was taken)."
        ),
    )
    remove_photo = forms.BooleanField(label="Remove the current photo", required=False)

    class Meta:
        model = Clinician
        fields = ("name", "credentials", "licence_number", "role", "role_es", "order", "published")

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            photos.photo_square(upload)  # a photo we cannot store is a form error, never a 500
        return upload


@admin.register(Clinician)
class ClinicianAdmin(StaffModelAdmin):
    form = ClinicianForm
    list_display = ("name", "credentials", "role", "has_photo", "order", "published")
    list_editable = ("order", "published")
    list_filter = (("published", titled("published", admin.BooleanFieldListFilter)),)
    search_fields = ("name", "credentials", "role")
    readonly_fields = ("current_photo",)
    fieldsets = (
        (None, {"fields": ("name", ("credentials", "licence_number"), ("role", "role_es"))}),
        ("Photo", {"fields": ("current_photo", "upload", "remove_photo")}),
        ("On the page", {"fields": ("order", "published")}),
    )

    @admin.display(description="Photo", boolean=True)
    def has_photo(self, clinician: Clinician) -> bool:
        return bool(clinician.photo)

    @admin.display(description="Current photo")
    def current_photo(self, clinician: Clinician) -> str:
        if not clinician.photo:
            return "None"
        return format_html('<img src="{}" alt="" width="96" height="96">', clinician.photo_url)

    def save_model(self, request: HttpRequest, obj: Clinician, form, change: bool) -> None:
        services.clinician_save(
            clinician=obj,
            photo=form.cleaned_data.get("upload"),
            remove_photo=form.cleaned_data.get("remove_photo", False),
        )

    def delete_model(self, request: HttpRequest, obj: Clinician) -> None:
        services.clinicians_delete(clinicians=Clinician.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Clinician]) -> None:
        services.clinicians_delete(clinicians=queryset)


class ClinicProfileForm(forms.ModelForm):
    # A plain file field, as for clinicians: only the JPEG, PNG and WebP decoders see it.
    director_upload = forms.FileField(
        label="Medical director's photo",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=(
            "Optional. A JPEG, PNG or WebP of their face, up to 10 MB, shown small and square, "
            "re-saved without its metadata."
        ),
    )
    remove_director_photo = forms.BooleanField(label="Remove the current photo", required=False)
    confirm_examples = forms.BooleanField(
        label="The values marked EXAMPLE VALUE are true of our clinic",
        required=False,
        help_text="Check this only after reading each one. Values you change stop being examples "
        "anyway.",
    )

    class Meta:
        model = ClinicProfile
        fields = tuple(
            field.name
            for field in ClinicProfile._meta.concrete_fields
            if field.editable and not field.primary_key
        )
        # Also for the form built on its own (the admin's formfield_overrides say the same).
        formfield_callback = staticmethod(
            lambda field, **kwargs: field.formfield(
                **({"assume_scheme": "https"} if isinstance(field, models.URLField) else {}),
                **kwargs,
            )
        )

    def clean_director_upload(self):
        upload = self.cleaned_data.get("director_upload")
        if upload:
            photos.photo_square(upload)  # a photo we cannot store is a form error, never a 500
        return upload


def _pairs(*sentences: str) -> tuple[tuple[str, str], ...]:
    """Each sentence on one row with its Spanish."""
    return tuple((name, f"{name}_es") for name in sentences)


@admin.register(ClinicProfile)
class ClinicProfileAdmin(StaffModelAdmin):
    """One record: the list goes straight to it; nobody adds a second or deletes it."""

    form = ClinicProfileForm
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        # One or two sentences each, English and Spanish side by side.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 40})},
    }
    readonly_fields = ("current_director_photo",)
    fieldsets = (
        (
            "Contact",
            {
                "fields": (
                    "legal_name",
                    ("phone", "email"),
                    ("street_address", "city", "postal_code"),
                    *_pairs("opening_hours"),
                    "opening_hours_schema",
                    "counties_served",
                    "medical_specialty",
                ),
                "description": "Shown in every page's footer and to search engines.",
            },
        ),
        (
            "Prices",
            {
                "fields": (
                    "price_consultation",
                    *_pairs("consultation_includes"),
                    "price_per_session",
                    *_pairs("session_includes"),
                    "price_per_course",
                    *_pairs("course_includes", "hsa_fsa", "superbill"),
                ),
                "description": "Shown on the home page and on the cost page. A price left empty "
                "is not shown.",
            },
        ),
        (
            "Before and after a session",
            {
                "fields": _pairs(
                    "session_duration", "fasting_rule", "companion_rule", "driving_rule"
                )
            },
        ),
        (
            "Care at home and if something goes wrong",
            {
                "fields": _pairs(
                    "visiting_clinician",
                    "prescriber",
                    "monitoring",
                    "emergency_equipment",
                    "emergency_plan",
                ),
                "description": "Shown on the at-home page. Each sentence is hidden while empty.",
            },
        ),
        (
            "Medical director",
            {
                "fields": (
                    ("director_name", "director_credentials"),
                    ("director_licence_number", "director_licence_url"),
                    "current_director_photo",
                    "director_upload",
                    "remove_director_photo",
                )
            },
        ),
    )

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.example_field_names:
            return fieldsets
        examples = (
            "Example values",
            {
                "fields": ("confirm_examples",),
                "description": "Some values below came from the example clinic "
                "(seed_example_clinic) and are marked EXAMPLE VALUE. Replace them before going "
                "live.",
            },
        )
        return (examples, *fieldsets)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        profile = ClinicProfile.objects.first() or ClinicProfile.objects.create()
        return redirect("admin:pages_clinicprofile_change", profile.pk)

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        examples = set(example_fields(obj)) if obj is not None else set()
        # modelform_factory builds fresh fields for each form class: this marks only this one.
        for name in examples & set(form.base_fields):
            field = form.base_fields[name]
            field.help_text = f"EXAMPLE VALUE: replace it before going live. {field.help_text}"
        return form

    @admin.display(description="Current photo")
    def current_director_photo(self, profile: ClinicProfile) -> str:
        if not profile.director_photo:
            return "None"
        return format_html(
            '<img src="{}" alt="" width="96" height="96">', profile.director_photo_url
        )

    def save_model(self, request: HttpRequest, obj: ClinicProfile, form, change: bool) -> None:
        services.clinic_profile_save(
            profile=obj,
            changed_fields=[
                name
                for name in form.changed_data
                if name not in ("director_upload", "remove_director_photo", "confirm_examples")
            ],
            actor=request.user,
            director_photo=form.cleaned_data.get("director_upload"),
            remove_director_photo=form.cleaned_data.get("remove_director_photo", False),
            examples_confirmed=form.cleaned_data.get("confirm_examples", False),
        )
