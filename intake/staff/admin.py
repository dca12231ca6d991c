"""The staff work queue and review page for screening requests, and the audit trail.

Every change goes through `review` (which audits it); opening a request is audited here. A
request is always named by its reference code, never by the patient's name.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import (
    ERROR_FLAG,
    PAGE_VAR,
    SEARCH_VAR,
)
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
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
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from core.admin_words import StaffModelAdmin, titled
from core.audit import audit_record_queue_view, queue_view_references
from core.dates import clinic_datetime
from core.models import AuditEvent
from core.phones import phone_e164, phone_national

from ..fhir import FHIR_JSON
from ..models import ContactAttempt, ScreeningRequest, SuicideRiskProtocol, normalise_reference
from . import appointments, duplicates, handover, review, safety, unsaved
from . import queue as work_queue
from .export import screening_request_export_fhir, screening_requests_export_csv
from .presentation import contact_card, review_page_context
from .queue_filters import (
    AssignedFilter,
    DueFilter,
    FlagFilter,
    QueueStatusFilter,
    ServiceAreaFilter,
    WorkQueueChangeList,
)
from .retention import requests_held_for_protocol, requests_past_retention, screening_requests_purge
from .review_form import PROTOCOL_PATH_FIELDS, ScreeningRequestReviewForm
from .search import INDEX_SEARCH_FILTERS, parse_index_search, search_query

Status = ScreeningRequest.Status
Priority = ScreeningRequest.Priority
Outcome = ContactAttempt.Outcome

# --- Screening requests ----------------------------------------------------------------------


class HandoverForm(forms.Form):
    nurse = forms.ModelChoiceField(
        label="Whose requests",
        queryset=None,
        required=False,
        empty_label="The whole team",
    )
    since = forms.DateTimeField(
        label="Notes since",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Empty: since this time yesterday.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nurse"].queryset = (
            get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
        )


@admin.register(ScreeningRequest)
class ScreeningRequestAdmin(StaffModelAdmin):
    form = ScreeningRequestReviewForm
    change_form_template = "admin/intake/screeningrequest/change_form.html"
    list_display = (
        "patient",
        "phone_link",
        "priority_reasons",
        "due",
        "status_assignee",
    )
    list_display_links = ("patient",)
    list_filter = (
        QueueStatusFilter,
        DueFilter,
        AssignedFilter,
        ("priority", titled("priority", admin.ChoicesFieldListFilter, all_label="Any priority")),
        FlagFilter,
        ServiceAreaFilter,
        ("received_at", titled("received", admin.DateFieldListFilter)),
    )
    list_select_related = ("assigned_to",)
    # Each page view is one audit event listing the page's references (see audit_record_queue_view):
    # 40 references fit its detail, so no page, "show all" included, is longer.
    list_per_page = 40
    list_max_show_all = 40
    date_hierarchy = "received_at"
    # Only `reference` is searched as text; the rest goes through the blind indexes.
    search_fields = ("reference",)
    search_help_text = (
        "Find a request by its reference code; a complete e-mail address; a phone number or its "
        "last 4 digits or more; a surname, spelled as you heard it (names that sound alike are "
        "found); or last name and date of birth together, e.g. “Rivera 03/27/1980”."
    )
    actions = ("assign_to_me", "export_csv", "delete_selected")

    # --- Queue columns ---------------------------------------------------------------------

    @admin.display(description="Patient")
    def patient(self, obj: ScreeningRequest) -> str:
        return format_html(
            '<span class="queue-name">{} {}</span><span class="queue-ref">{}</span>',
            obj.first_name,
            obj.last_name,
            obj.reference,
        )

    def _earlier_requests(self, obj: ScreeningRequest) -> str:
        """ "Earlier requests: ABCD-EFGH" with links, for a row whose person asked before."""
        if not (getattr(obj, "earlier_match", False) or getattr(obj, "linked", False)):
            return ""
        earlier = [r for r in duplicates.related_requests(obj) if r.earlier]
        if not earlier:
            return ""
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:intake_screeningrequest_change", args=[r.pk]), r.reference)
                for r in earlier
            ),
        )
        return format_html('<p class="queue-earlier">Earlier requests: {}</p>', links)

    @admin.display(description="Phone, best time")
    def phone_link(self, obj: ScreeningRequest) -> str:
        method = (
            ScreeningRequest.ContactMethod(obj.contact_method).label if obj.contact_method else ""
        )
        when = ScreeningRequest.ContactTime(obj.contact_time).label if obj.contact_time else ""
        # English is the default; any other language is shown, so the right person calls.
        language = (
            format_html('<span class="queue-language">{}</span>', obj.language_name())
            if obj.in_other_language
            else ""
        )
        if obj.phone_route_closed:
            phone = mark_safe('<span class="queue-phone-closed">Wrong number: write instead</span>')
        else:
            phone = format_html(
                '<a class="queue-phone" href="tel:{}">{}</a>',
                phone_e164(obj.phone),
                phone_national(obj.phone),
            )
        return format_html(
            '{}<span class="queue-small">{}, {}</span>{}',
            phone,
            method,
            when.lower(),
            language,
        )

    @admin.display(description="Priority and reasons", ordering="priority")
    def priority_reasons(self, obj: ScreeningRequest) -> str:
        reasons = work_queue.request_reasons(obj)
        badge = format_html(
            '<span class="priority-badge priority-{}">{}</span>',
            Priority(obj.priority).name.lower().replace("_", "-"),
            obj.get_priority_display(),
        )
        earlier = self._earlier_requests(obj)
        if not reasons:
            return format_html("{}{}", badge, earlier)
        items = format_html_join(
            "",
            "<li{}>{}</li>",
            ((' class="queue-reason-crisis"' if r.crisis else "", r.words) for r in reasons),
        )
        return format_html('{}<ul class="queue-reasons">{}</ul>{}', badge, items, earlier)

    @admin.display(description="Due by", ordering="due_at")
    def due(self, obj: ScreeningRequest) -> str:
        received = format_html(
            '<span class="queue-small">Received {}</span>', clinic_datetime(obj.received_at)
        )
        due = getattr(obj, "next_due", None)
        if due is None:
            return format_html('<span class="queue-small">{}</span>{}', "Answered", received)
        acute_waiting = obj.acute and obj.status in work_queue.UNANSWERED_STATUSES
        words = work_queue.due_words(next_due=due, acute_waiting=acute_waiting)
        if words:
            kind = "due-now" if acute_waiting else "due-overdue"
            state = format_html('<strong class="due-badge {}">{}</strong>', kind, words)
        else:
            state = ""
        return format_html("{}{}{}", state, clinic_datetime(due), received)

    @admin.display(description="Status and last attempt", ordering="status")
    def status_assignee(self, obj: ScreeningRequest) -> str:
        who = obj.assigned_to
        name = (who.get_full_name() or who.get_username()) if who else "Unassigned"
        outcome = getattr(obj, "last_attempt_outcome", None)
        if outcome:
            attempt = format_html(
                '<span class="queue-attempt">{}</span>{}',
                Outcome(outcome).label,
                clinic_datetime(obj.last_attempt_at),
            )
        else:
            attempt = format_html('<span class="queue-attempt">{}</span>', "No attempt yet")
        booked = getattr(obj, "next_appointment_at", None)
        if booked:
            attempt = format_html(
                '<span class="queue-attempt">{}</span>{}', "Appointment", clinic_datetime(booked)
            )
        return format_html(
            '<strong>{}</strong><span class="queue-small">{}</span>{}',
            obj.get_status_display(),
            name,
            attempt,
        )

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

    def get_queryset(self, request):
        # Annotated before ModelAdmin orders it, since the queue's order uses the annotations.
        queryset = work_queue.queue_annotate(self.model._default_manager.get_queryset())
        queryset = duplicates.related_annotate(queryset)
        queryset = appointments.appointment_next_annotate(queryset)
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return work_queue.QUEUE_ORDERING

    def changelist_view(self, request, extra_context=None):
        extra = {
            "title": "Work queue",
            # References, times and clinicians only: no patient data, so no audit of its own.
            "appointment_days": appointments.appointment_days(),
            "handover_url": reverse("admin:intake_screeningrequest_handover"),
            **(extra_context or {}),
        }
        response = super().changelist_view(request, extra)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and changelist.result_list:
            # Names and phone numbers were shown: one event for the page, naming its references.
            audit_record_queue_view(
                actor=request.user, references=[r.reference for r in changelist.result_list]
            )
        return response

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        kind, digests = parse_index_search(term)
        if kind is None:
            return queryset.filter(reference=normalise_reference(term)), False
        if not digests:
            return queryset.none(), False
        return queryset.filter(INDEX_SEARCH_FILTERS[kind](digests)), False

    def search_view(self, request: HttpRequest) -> HttpResponse:
        """Turn the posted search term into a queue URL that holds no patient data."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        # The queue's other filters come back as hidden fields; a new search starts on page one.
        dropped = {"csrfmiddlewaretoken", SEARCH_VAR, PAGE_VAR, ERROR_FLAG}
        params = [(key, values) for key, values in request.POST.lists() if key not in dropped]
        query = search_query(request.POST.get(SEARCH_VAR, ""))
        if query:
            params.append((SEARCH_VAR, query))
        elif request.POST.get(SEARCH_VAR, "").strip():
            # Say plainly that nothing was searched; the queue below is then not a "result".
            self.message_user(
                request,
                "Nothing was searched: “Find” takes a reference code; an e-mail address; a phone "
                "number or its last 4 digits or more; a surname (spelled as you heard it); or a "
                "last name with a date of birth (e.g. “Rivera 03/27/1980”).",
                messages.WARNING,
            )
        url = reverse("admin:intake_screeningrequest_changelist")
        return HttpResponseRedirect(f"{url}?{urlencode(params, doseq=True)}" if params else url)

    # --- Review page -----------------------------------------------------------------------

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            # A plain menu of colleagues: no links beside it to add or change staff accounts.
            return self.formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fields = [
            "attempt_method",
            "attempt_outcome",
            "attempt_note",
            "next_attempt_due",
            "status",
            "assigned_to",
        ]
        if request.user.has_perm("intake.add_internalnote"):
            fields.append("new_note")
        return [("Your work on this request", {"fields": fields})]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            can_change = self.has_change_permission(request, obj)
            context["title"] = f"{'Review request' if can_change else 'Request'} {obj.reference}"
            context["subtitle"] = None
            if self.has_fhir_export_permission(request):
                context["fhir_url"] = reverse("admin:intake_screeningrequest_fhir", args=[obj.pk])
            form = context["adminform"].form
            if form.is_bound and form.errors:
                # Refused: the form validated its copy with the typed status and assignee in it;
                # the page describes the request as stored.
                obj = ScreeningRequest.objects.get(pk=obj.pk)
            context.update(
                review_page_context(
                    obj, show_audit_link=request.user.has_perm("core.view_auditevent")
                )
            )
            context["can_change"] = can_change
            context["related_requests"] = duplicates.related_requests(obj)
            context["can_link"] = self.has_link_permission(request)
            if getattr(context["adminform"].form, "kept_initial", None):
                messages.warning(
                    request,
                    "What you typed on this request was not saved yet (your session ended, or "
                    "the save was refused). It is filled in below: check it and press Save. It "
                    "is kept for one hour.",
                )
            # Every page that shows the answers is a look at them, whatever the method: a form
            # sent back with errors shows them as much as a first visit does.
            review.screening_request_record_view(screening_request=obj, actor=request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        kept = unsaved.unsaved_review_get(user=request.user, screening_request=obj)
        if request.method != "GET" or kept is None:
            return form
        # Typed before a sign-out or a refused save: filled in again, saved only on Save.
        return type(form.__name__, (form,), {"kept_initial": kept})

    def save_model(self, request, obj, form, change):
        # Only the services write, so every change is checked and audited. The order matters:
        # the attempt and the note are on record before the protocol that needs them, and the
        # protocol before the status move that needs it. All of it or nothing.
        data = form.cleaned_data
        request.review_done = []
        try:
            with transaction.atomic():
                current = ScreeningRequest.objects.select_for_update().get(pk=obj.pk)
                if data.get("version") != current.version:
                    raise ValidationError(form.stale_message(), code="stale")
                self._save_review(request, current, data)
        except ValidationError as exc:
            request.review_refused = True
            request.review_done = []
            unsaved.unsaved_review_keep(user=request.user, screening_request=obj, data=form.data)
            messages.error(request, " ".join(exc.messages))
            return
        unsaved.unsaved_review_drop(user=request.user, screening_request=obj)

    def _save_review(self, request, current: ScreeningRequest, data: dict) -> None:
        done = request.review_done
        if data.get("attempt_outcome"):
            next_due = data.get("next_attempt_due")
            closing_phone = data["attempt_outcome"] == Outcome.WRONG_NUMBER and not data.get(
                "new_phone"
            )
            if data["attempt_outcome"] in ContactAttempt.FAILED_OUTCOMES and next_due is None:
                next_due = safety.next_attempt_due_default(
                    screening_request=current, now=timezone.now()
                )
            safety.contact_attempt_log(
                screening_request=current,
                actor=request.user,
                method=data["attempt_method"],
                outcome=data["attempt_outcome"],
                note=data.get("attempt_note", ""),
                next_attempt_due=next_due,
            )
            done.append("logged a contact attempt")
            if data["attempt_outcome"] == Outcome.WRONG_NUMBER:
                safety.wrong_number_resolve(
                    screening_request=current, actor=request.user, new_phone=data["new_phone"]
                )
                done.append(
                    "closed the phone route (wrong number)"
                    if closing_phone
                    else "recorded another phone number"
                )
        if data.get("send_could_not_reach"):
            safety.could_not_reach_send(screening_request=current, actor=request.user)
            done.append("sent the “could not reach you” message")
        # The form always has the note field; only those allowed to add notes may use it.
        if data.get("new_note") and request.user.has_perm("intake.add_internalnote"):
            review.internal_note_create(
                screening_request=current, author=request.user, text=data["new_note"]
            )
            done.append("added a note")
        path = data.get("protocol_path")
        if path:
            safety.protocol_confirm(
                screening_request=current,
                actor=request.user,
                steps=data[PROTOCOL_PATH_FIELDS[path]],
                path=path,
            )
            done.append("confirmed the suicide-risk protocol")
        if data.get("assigned_to") != current.assigned_to:
            review.screening_request_assign(
                screening_request=current, assignee=data.get("assigned_to"), actor=request.user
            )
            done.append("assigned it")
        self._save_appointment(request, current, data)
        if data.get("status") and data["status"] != current.status:
            before = Status(current.status).label
            review.screening_request_set_status(
                screening_request=current, status=data["status"], actor=request.user
            )
            done.append(f"changed the status: {before} → {Status(data['status']).label}")

    def _save_appointment(self, request, current: ScreeningRequest, data: dict) -> None:
        # Before the status move: "scheduled" needs the appointment on record.
        action = data.get("appointment_action")
        done = request.review_done
        upcoming = appointments.appointment_upcoming(current)
        if action == "book":
            appointments.appointment_book(
                screening_request=current, actor=request.user, details=data["appointment"]
            )
            done.append("booked the appointment")
        elif action == "change" and upcoming is not None:
            if appointments.appointment_change(
                appointment=upcoming, actor=request.user, details=data["appointment"]
            ):
                done.append("changed the appointment")
        elif action == "cancel" and upcoming is not None:
            appointments.appointment_cancel(appointment=upcoming, actor=request.user)
            done.append("cancelled the appointment")
        if action and not current.email:
            messages.warning(
                request,
                "This patient gave no e-mail address: tell them about the appointment by phone.",
            )

    def construct_change_message(self, request, form, formsets, add=False):
        # What the save did, as the change history lists it (no patient data: no notes).
        done = getattr(request, "review_done", [])
        return capfirst("; ".join(done)) + "." if done else "Saved with no change."

    def response_change(self, request, obj):
        # Stay on the request after saving: the nurse usually has more to do on it.
        if not getattr(request, "review_refused", False):
            self.message_user(request, f"Saved your work on {obj.reference}.", messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(request, f"Request {obj_display} deleted, with its notes and history.")
        return HttpResponseRedirect(reverse("admin:intake_screeningrequest_changelist"))

    def get_deleted_objects(self, objs, request):
        # What must happen before a request may go is shown as Django shows protected records:
        # the confirmation page lists it and offers no delete button.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = [refusal for obj in objs for refusal in safety.deletion_refusals(obj)]
        return deleted, counts, perms_needed, [*protected, *refusals]

    def delete_model(self, request, obj):
        review.screening_request_delete(
            screening_request=obj, actor=request.user, reason="deleted from the admin"
        )

    def delete_queryset(self, request, queryset):
        for screening_request in queryset:
            self.delete_model(request, screening_request)

    # --- Actions ---------------------------------------------------------------------------

    @admin.action(description="Assign the checked requests to me", permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet) -> None:
        for screening_request in queryset:
            review.screening_request_assign(
                screening_request=screening_request, assignee=request.user, actor=request.user
            )
        count = len(queryset)
        self.message_user(request, f"{count} request{'s' if count != 1 else ''} assigned to you.")

    @admin.action(description="Export the checked requests (CSV file)", permissions=["export"])
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
        same_person = path(
            "<path:object_id>/same-person/<int:other_pk>/",
            self.admin_site.admin_view(self.same_person_view),
            name="intake_screeningrequest_same_person",
        )

        handover = path(
            "handover/",
            self.admin_site.admin_view(self.handover_view),
            name="intake_screeningrequest_handover",
        )
        return [search, fhir, purge, same_person, handover, *super().get_urls()]

    def has_link_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("intake.link_screeningrequest")

    def same_person_view(self, request: HttpRequest, object_id: str, other_pk: int) -> HttpResponse:
        """Compare two requests side by side; link them as one person's, or merge the other into
        this one (clinic managers). Both are looked at, so both views are audited."""
        if not self.has_link_permission(request):
            raise PermissionDenied
        kept = self.get_object(request, object_id)
        other = ScreeningRequest.objects.filter(pk=other_pk).first()
        if kept is None or other is None or kept.pk == other.pk:
            raise Http404
        change_url = reverse("admin:intake_screeningrequest_change", args=[kept.pk])
        if request.method == "POST":
            try:
                duplicates.screening_requests_link(
                    kept=kept, other=other, actor=request.user, merge="merge" in request.POST
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return HttpResponseRedirect(request.path)
            done = "merged into" if "merge" in request.POST else "linked with"
            self.message_user(request, f"{other.reference} {done} {kept.reference}.")
            return HttpResponseRedirect(change_url)
        for shown in (kept, other):
            review.screening_request_record_view(screening_request=shown, actor=request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Same person? {kept.reference} and {other.reference}",
            "opts": self.opts,
            "kept": kept,
            "other": other,
            "cards": [contact_card(kept), contact_card(other)],
            "related": {r.pk: r for r in duplicates.related_requests(kept)}.get(other.pk),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/intake/screeningrequest/same_person.html", context)

    def handover_view(self, request: HttpRequest) -> HttpResponse:
        """A nurse's (or the team's) open requests, call-backs and recent notes; audited."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        now = timezone.now()
        since_default = now - handover.NOTES_SINCE_DEFAULT
        form = HandoverForm(
            request.GET or None,
            initial={"nurse": request.user.pk, "since": timezone.localtime(since_default)},
        )
        if form.is_bound and form.is_valid():
            nurse = form.cleaned_data["nurse"]
            since = form.cleaned_data["since"] or since_default
        else:
            nurse = None if form.is_bound else request.user
            since = since_default
        if not request.user.has_perm("intake.view_internalnote"):
            since = now  # no notes for those not allowed to read them
        built = handover.handover_build(nurse=nurse, since=since, now=now)
        handover.handover_record_view(handover=built, actor=request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Hand-over: {handover.nurse_name(nurse) if nurse else 'the whole team'}",
            "opts": self.opts,
            "form": form,
            "handover": built,
            "now": now,
            "can_read_notes": request.user.has_perm("intake.view_internalnote"),
        }
        return TemplateResponse(request, "admin/intake/screeningrequest/handover.html", context)

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
            "held": list(requests_held_for_protocol().values_list("reference", flat=True)),
            "retention_months": settings.SCREENING_RETENTION_MONTHS,
        }
        return TemplateResponse(
            request, "admin/intake/screeningrequest/purge_confirmation.html", context
        )


# --- The clinic's suicide-risk protocol ----------------------------------------------------


class SuicideRiskProtocolForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Both paths always exist: every request has a way through the protocol.
        for name in ("unreached_text", "unreached_steps"):
            self.fields[name].required = True

    class Meta:
        model = SuicideRiskProtocol
        fields = ("title", "text", "steps", "unreached_text", "unreached_steps")
        labels = {
            "text": "What staff do",
            "steps": "Steps to confirm when staff spoke with the patient",
            "unreached_text": "What staff do when they cannot reach the patient",
            "unreached_steps": "Steps to confirm when staff could not reach the patient",
        }
        help_texts = {
            "text": "The protocol as staff follow it, in the clinic's words. Every request with "
            "a positive suicide-risk screen shows it.",
            "steps": "One step per line. Each line is a box a reviewer checks before such a "
            "request can be moved on. Confirming them needs a phone call logged as “Reached the "
            "patient” and an internal note.",
            "unreached_text": "Shown after a failed attempt on an acute request: the next steps "
            "(call again, a safe message, the 988 number, the on-call clinician, a welfare check).",
            "unreached_steps": "One step per line, confirmed instead when the patient could not "
            "be reached. Confirming them needs an attempt that did not reach the patient and an "
            "internal note.",
        }


@admin.register(SuicideRiskProtocol)
class SuicideRiskProtocolAdmin(StaffModelAdmin):
    """One protocol, edited in place: the newest wording is what every review page shows."""

    list_display = ("title", "updated_at")
    fields = ("title", "text", "steps", "unreached_text", "unreached_steps")
    form = SuicideRiskProtocolForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        title = "The clinic's suicide-risk protocol"
        return super().change_view(
            request, object_id, form_url, {"title": title, **(extra_context or {})}
        )

    def save_model(self, request, obj, form, change):
        # Through the service, so the edit is in the audit trail with who made it.
        safety.protocol_update(
            protocol=SuicideRiskProtocol.objects.get(pk=obj.pk),
            actor=request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            steps=form.cleaned_data["steps"],
            unreached_text=form.cleaned_data["unreached_text"],
            unreached_steps=form.cleaned_data["unreached_steps"],
        )

    def response_change(self, request, obj):
        self.message_user(
            request, "Protocol saved: every request with a positive screen now shows it."
        )
        return HttpResponseRedirect(request.path)

    def changelist_view(self, request, extra_context=None):
        # There is only one: open it (created with the default wording on first use).
        protocol = safety.protocol_current()
        return HttpResponseRedirect(
            reverse("admin:intake_suicideriskprotocol_change", args=[protocol.pk])
        )


# --- Audit trail -----------------------------------------------------------------------------


@admin.register(AuditEvent)
class AuditEventAdmin(StaffModelAdmin):
    """Browse-only: nobody adds, changes or deletes audit events through the admin."""

    list_display = ("when", "actor_username", "action", "requests", "detail")
    list_filter = (
        ("action", titled("action", admin.ChoicesFieldListFilter, all_label="Any action")),
        ("occurred_at", titled("when", admin.DateFieldListFilter)),
    )
    # The detail too: a queue page view lists its references there.
    search_fields = ("reference", "detail", "actor_username")
    search_help_text = "Search by request reference or by staff username."
    date_hierarchy = "occurred_at"
    list_per_page = 100
    actions = None

    @admin.display(description="When", ordering="occurred_at")
    def when(self, event: AuditEvent) -> str:
        return clinic_datetime(event.occurred_at)

    @admin.display(description="Request")
    def requests(self, event: AuditEvent) -> str:
        listed = queue_view_references(event)
        if listed:
            count = len(listed)
            return f"{count} request{'s' if count != 1 else ''} in the work queue"
        return event.reference

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        title = "Audit trail: who looked at or changed which request"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        title = "Audit event"
        return super().change_view(
            request, object_id, form_url, {"title": title, **(extra_context or {})}
        )
