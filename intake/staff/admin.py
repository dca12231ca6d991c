"""The staff work queue and review page for screening requests, and the audit trail.

Every change goes through `review` (which audits it); opening a request is audited here. A
request is always named by its reference code, never by the patient's name.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR, SEARCH_VAR, ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from .. import questionnaire
from ..fhir import FHIR_JSON
from ..fields import EncryptedField
from ..models import AuditEvent, ScreeningRequest, normalise_reference
from . import review
from .export import screening_request_export_fhir, screening_requests_export_csv
from .presentation import flag_labels, review_page_context
from .retention import requests_past_retention, screening_requests_purge
from .search import (
    BLIND_INDEX_SHAPE,
    INDEX_SEARCH_PREFIX,
    REFERENCE_SHAPE,
    contact_search_index,
)

Status = ScreeningRequest.Status
ENCRYPTED_FIELDS = [
    f.name for f in ScreeningRequest._meta.concrete_fields if isinstance(f, EncryptedField)
]

# --- Work queue filters ----------------------------------------------------------------------


class QueueStatusFilter(admin.SimpleListFilter):
    """Status, defaulting to the open requests (the work still to do).

    A search looks through every status unless a status is chosen: a reference read out on the
    phone must be found even when its request has closed.
    """

    title = "status"
    parameter_name = "status"
    OPEN = "open"
    ALL = "all"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.default = self.ALL if request.GET.get("q", "").strip() else self.OPEN

    def lookups(self, request, model_admin):
        return [(self.OPEN, "Open"), *Status.choices, (self.ALL, "All")]

    def choices(self, changelist):
        current = self.value() or self.default
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.default
        if value == self.ALL:
            return queryset
        if value == self.OPEN:
            return queryset.filter(status__in=ScreeningRequest.OPEN_STATUSES)
        return queryset.filter(status=value)


class FlagFilter(admin.SimpleListFilter):
    title = "flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [(flag.code, flag.label) for flag in questionnaire.SCREENING.flags()]

    def queryset(self, request, queryset):
        if questionnaire.SCREENING.flag(self.value() or "") is not None:
            return queryset.filter(flags__has=self.value())
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Me"), ("nobody", "Nobody")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class WorkQueueChangeList(ChangeList):
    @property
    def search_action(self) -> str:
        """The search form posts here, so the term never reaches a URL."""
        return reverse("admin:intake_screeningrequest_search")

    @property
    def searched_by_contact(self) -> bool:
        """The search is by e-mail or phone: the search box shows neither, nor the digest."""
        return self.query.startswith(INDEX_SEARCH_PREFIX)

    # The queue shows only plain columns: skip decrypting a dozen fields for every row.
    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer(*ENCRYPTED_FIELDS)


# --- Review page form ------------------------------------------------------------------------


class ScreeningRequestReviewForm(forms.ModelForm):
    new_note = forms.CharField(
        label="Add an internal note",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only staff see notes. A note keeps its author and time and cannot be edited.",
    )

    class Meta:
        model = ScreeningRequest
        fields = ["status", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            current = self.instance.status
            allowed = {current, *review.status_moves_from(current)}
            self.fields["status"].choices = [c for c in Status.choices if c[0] in allowed]
            self.fields["status"].help_text = "Only the moves allowed from the current status."
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = get_user_model().objects.filter(
                is_staff=True, is_active=True
            )

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status != self.instance.status:
            review.status_move_check(from_status=self.instance.status, to_status=status)
        return status


# --- Screening requests ----------------------------------------------------------------------


@admin.register(ScreeningRequest)
class ScreeningRequestAdmin(admin.ModelAdmin):
    form = ScreeningRequestReviewForm
    change_form_template = "admin/intake/screeningrequest/change_form.html"
    list_display = (
        "reference",
        "received",
        "priority_label",
        "status",
        "reasons",
        "in_area",
        "peg_score",
        "assigned_to",
    )
    list_display_links = ("reference",)
    list_filter = (
        QueueStatusFilter,
        "priority",
        FlagFilter,
        "in_service_area",
        AssignedFilter,
        "received_at",
    )
    list_select_related = ("assigned_to",)
    list_per_page = 50
    ordering = ("priority", "received_at")
    date_hierarchy = "received_at"
    # Only `reference` is searched as text; e-mail and phone go through the blind indexes.
    search_fields = ("reference",)
    search_help_text = (
        "Search by reference code, or by a complete e-mail address or phone number "
        "(exact match only: parts of an address or number find nothing)."
    )
    actions = ("assign_to_me", "mark_contacted", "export_csv", "delete_selected")

    # --- Queue columns ---------------------------------------------------------------------

    @admin.display(description="Received", ordering="received_at")
    def received(self, obj: ScreeningRequest) -> str:
        local = timezone.localtime(obj.received_at)
        return format_html(
            '<time datetime="{}">{} ago</time><br><span class="queue-exact-time">{}</span>',
            local.isoformat(),
            timesince(obj.received_at, depth=1),
            local.strftime("%a %d %b %Y, %H:%M"),
        )

    @admin.display(description="Priority", ordering="priority")
    def priority_label(self, obj: ScreeningRequest) -> str:
        return format_html(
            '<span class="priority-badge priority-{}">{}</span>',
            ScreeningRequest.Priority(obj.priority).name.lower().replace("_", "-"),
            obj.get_priority_display(),
        )

    @admin.display(description="Reasons")
    def reasons(self, obj: ScreeningRequest) -> str:
        return "; ".join(flag_labels(obj)) or "None"

    @admin.display(description="In area", ordering="in_service_area")
    def in_area(self, obj: ScreeningRequest) -> str:
        return {True: "Likely", False: "Unlikely", None: "Unknown"}[obj.in_service_area]

    # --- Permissions -----------------------------------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come from patients through the screening form only

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("intake.export_screeningrequest")

    def has_purge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("intake.purge_screeningrequest")

    # --- Queue -----------------------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return WorkQueueChangeList

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Work queue", **(extra_context or {})})

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.startswith(INDEX_SEARCH_PREFIX):
            digest = term.removeprefix(INDEX_SEARCH_PREFIX)
            if not BLIND_INDEX_SHAPE.fullmatch(digest):
                return queryset.none(), False
            return queryset.filter(Q(email_index=digest) | Q(phone_index=digest)), False
        return queryset.filter(reference=normalise_reference(term)), False

    def search_view(self, request: HttpRequest) -> HttpResponse:
        """Turn the posted search term into a queue URL that holds no patient data."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        # The queue's other filters come back as hidden fields; a new search starts on page one.
        dropped = {"csrfmiddlewaretoken", SEARCH_VAR, PAGE_VAR, ERROR_FLAG}
        params = [(key, values) for key, values in request.POST.lists() if key not in dropped]
        term = request.POST.get(SEARCH_VAR, "").strip()
        if REFERENCE_SHAPE.fullmatch(term):
            params.append((SEARCH_VAR, normalise_reference(term)))
        elif term:
            params.append((SEARCH_VAR, INDEX_SEARCH_PREFIX + contact_search_index(term)))
        url = reverse("admin:intake_screeningrequest_changelist")
        return HttpResponseRedirect(f"{url}?{urlencode(params, doseq=True)}" if params else url)

    # --- Review page -----------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fields = ["status", "assigned_to"]
        if request.user.has_perm("intake.add_internalnote"):
            fields.append("new_note")
        return [("Your work on this request", {"fields": fields})]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            can_change = self.has_change_permission(request, obj)
            context["title"] = "Review request" if can_change else "Request"
            if self.has_fhir_export_permission(request):
                context["fhir_url"] = reverse("admin:intake_screeningrequest_fhir", args=[obj.pk])
            context.update(
                review_page_context(
                    obj, show_audit_link=request.user.has_perm("intake.view_auditevent")
                )
            )
            if request.method == "GET":
                review.screening_request_record_view(screening_request=obj, actor=request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        # Only the services write, so every change is checked and audited.
        current = ScreeningRequest.objects.get(pk=obj.pk)
        try:
            if "assigned_to" in form.changed_data:
                review.screening_request_assign(
                    screening_request=current,
                    assignee=form.cleaned_data["assigned_to"],
                    actor=request.user,
                )
            if "status" in form.changed_data:
                review.screening_request_set_status(
                    screening_request=current,
                    status=form.cleaned_data["status"],
                    actor=request.user,
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        # The form always has the note field; only those allowed to add notes may use it.
        if form.cleaned_data.get("new_note") and request.user.has_perm("intake.add_internalnote"):
            review.internal_note_create(
                screening_request=current, author=request.user, text=form.cleaned_data["new_note"]
            )

    def delete_model(self, request, obj):
        review.screening_request_delete(
            screening_request=obj, actor=request.user, reason="deleted from the admin"
        )

    def delete_queryset(self, request, queryset):
        for screening_request in queryset:
            self.delete_model(request, screening_request)

    # --- Actions ---------------------------------------------------------------------------

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet) -> None:
        for screening_request in queryset:
            review.screening_request_assign(
                screening_request=screening_request, assignee=request.user, actor=request.user
            )
        self.message_user(request, f"Assigned {len(queryset)} request(s) to you.")

    @admin.action(description="Mark contacted", permissions=["change"])
    def mark_contacted(self, request: HttpRequest, queryset: QuerySet) -> None:
        moved, refused = [], []
        for screening_request in queryset:
            try:
                review.screening_request_set_status(
                    screening_request=screening_request, status=Status.CONTACTED, actor=request.user
                )
                moved.append(screening_request.reference)
            except ValidationError:
                refused.append(screening_request.reference)
        if moved:
            self.message_user(request, f"Marked {len(moved)} request(s) contacted.")
        if refused:
            self.message_user(
                request,
                "Not moved, because their status cannot go to contacted: " + ", ".join(refused),
                messages.WARNING,
            )

    @admin.action(description="Export selected as CSV", permissions=["export"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        # A fresh query: the queue's queryset leaves the encrypted fields out.
        selected = (
            ScreeningRequest.objects.filter(pk__in=queryset.values("pk"))
            .select_related("assigned_to")
            .order_by("priority", "received_at")
        )
        content = screening_requests_export_csv(screening_requests=selected, actor=request.user)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="screening-requests-{stamp}.csv"'
        return response

    # --- Extra views: search, and purge past retention (clinic managers) -------------------

    def get_urls(self):
        search = path(
            "search/",
            self.admin_site.admin_view(self.search_view),
            name="intake_screeningrequest_search",
        )
        fhir = path(
            "<path:object_id>/fhir/",
            self.admin_site.admin_view(self.fhir_view),
            name="intake_screeningrequest_fhir",
        )
        purge = path(
            "purge/",
            self.admin_site.admin_view(self.purge_view),
            name="intake_screeningrequest_purge",
        )
        return [search, fhir, purge, *super().get_urls()]

    def has_fhir_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("intake.export_fhir_screeningrequest")

    def fhir_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Download one request as a FHIR Bundle (`application/fhir+json`) for the EHR."""
        if not self.has_fhir_export_permission(request):
            raise PermissionDenied
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        screening_request = self.get_object(request, object_id)
        if screening_request is None:
            raise Http404
        bundle = screening_request_export_fhir(
            screening_request=screening_request, actor=request.user
        )
        response = JsonResponse(bundle, content_type=FHIR_JSON)
        filename = f"screening-request-{screening_request.reference}.fhir.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def purge_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_purge_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            references = screening_requests_purge(actor=request.user)
            self.message_user(
                request, f"Deleted {len(references)} request(s) past the retention period."
            )
            return HttpResponseRedirect(reverse("admin:intake_screeningrequest_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Delete requests past the retention period",
            "opts": self.opts,
            "references": list(requests_past_retention().values_list("reference", flat=True)),
            "retention_months": settings.SCREENING_RETENTION_MONTHS,
        }
        return TemplateResponse(
            request, "admin/intake/screeningrequest/purge_confirmation.html", context
        )


# --- Audit trail -----------------------------------------------------------------------------


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Browse-only: nobody adds, changes or deletes audit events through the admin."""

    list_display = ("occurred_at", "actor_username", "action", "reference", "detail")
    list_filter = ("action", "occurred_at")
    search_fields = ("reference", "actor_username")
    search_help_text = "Search by request reference or by staff username."
    date_hierarchy = "occurred_at"
    list_per_page = 100
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
