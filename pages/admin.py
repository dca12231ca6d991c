from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from avyia_site.admin_words import StaffModelAdmin, titled

from . import photos, services
from .models import Clinician, FaqEntry, Reference

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
        fields = ("name", "credentials", "role", "role_es", "order", "published")

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
        (None, {"fields": ("name", "credentials", ("role", "role_es"))}),
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
