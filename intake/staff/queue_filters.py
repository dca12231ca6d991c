"""The work queue's filters and its changelist: the default view, what "due" means, and search.

Searches by e-mail, phone or last name with birth date arrive as blind-index digests (see
`search`), so the changelist never shows the term itself.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.urls import reverse

from .. import questionnaire
from ..fields import EncryptedField
from ..models import ScreeningRequest
from . import queue as work_queue
from .search import parse_index_search

Status = ScreeningRequest.Status
# The queue decrypts only what its rows show: name, phone, how and when to call, and the answers
# (for the reasons' wording); the rest stays encrypted.
QUEUE_DECRYPTED = {"first_name", "last_name", "phone", "contact_method", "contact_time", "answers"}
ENCRYPTED_FIELDS = [
    f.name
    for f in ScreeningRequest._meta.concrete_fields
    if isinstance(f, EncryptedField) and f.name not in QUEUE_DECRYPTED
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
    title = "reason"
    parameter_name = "flag"
    all_label = "Any reason"

    def lookups(self, request, model_admin):
        return [(flag.code, flag.label) for flag in questionnaire.SCREENING.flags()]

    def queryset(self, request, queryset):
        if questionnaire.SCREENING.flag(self.value() or "") is not None:
            return queryset.filter(flags__has=self.value())
        return queryset


class DueFilter(admin.SimpleListFilter):
    """Requests waiting for an answer whose due time (or next attempt) has passed, or is today."""

    title = "due"
    parameter_name = "due"
    all_label = "Any time"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("today", "Due today")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return work_queue.overdue(queryset)
        if self.value() == "today":
            return work_queue.due_today(queryset)
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "assigned"
    all_label = "Anyone"

    def lookups(self, request, model_admin):
        return [("me", "Me"), ("nobody", "Nobody (unassigned)")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class ServiceAreaFilter(admin.SimpleListFilter):
    """Where the patient's ZIP code puts them, in the words the review page uses."""

    title = "service area"
    # The boolean filter's parameter, so links made before keep working.
    parameter_name = "in_service_area__exact"
    all_label = "Anywhere"
    UNKNOWN = "unknown"

    def lookups(self, request, model_admin):
        return [("1", "Likely in area"), ("0", "Likely outside"), (self.UNKNOWN, "ZIP not found")]

    def queryset(self, request, queryset):
        if self.value() == self.UNKNOWN:
            return queryset.filter(in_service_area__isnull=True)
        if self.value() in ("0", "1"):
            return queryset.filter(in_service_area=self.value() == "1")
        return queryset


class WorkQueueChangeList(ChangeList):
    @property
    def search_action(self) -> str:
        """The search form posts here, so the term never reaches a URL."""
        return reverse("admin:intake_screeningrequest_search")

    @property
    def search_kind(self) -> str:
        """The kind of blind-index search shown ("idx:", "name:", "tail:", "sound:"), else "".

        The search box then shows neither the term nor its digests."""
        kind, _digests = parse_index_search(self.query)
        return (kind or "").rstrip(":")

    def get_ordering_field_columns(self):
        # The default order (acute, overdue, due time) is no single column: mark none as sorted.
        if ORDER_VAR not in self.params:
            return {}
        return super().get_ordering_field_columns()

    # The queue decrypts only the fields its rows show.
    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer(*ENCRYPTED_FIELDS)
