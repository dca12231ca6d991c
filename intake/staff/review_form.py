"""The review page's form: a contact attempt, the protocol checklist, status, assignee, the
appointment and a note.

It checks what a status move needs (a contact that reached the patient; the confirmed protocol on
a positive suicide-risk screen) and what a protocol path needs (a call, a note) together with what
is being recorded in the same save. It carries the request's version: a save made from a page that
someone else has changed since is refused, naming their changes, and keeps what was typed.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import clinic_datetime_text
from core.models import AuditEvent
from pages.models import Clinician

from ..crypto import normalise_phone
from ..models import Appointment, ContactAttempt, ProtocolConfirmation, ScreeningRequest
from . import appointments, review, safety

Status = ScreeningRequest.Status
Outcome = ContactAttempt.Outcome
Path = ProtocolConfirmation.Path
Kind = Appointment.Kind

# The appointment fields, in the form's order; all of them but the box to cancel describe one.
APPOINTMENT_FIELDS = (
    "appointment_starts_at",
    "appointment_minutes",
    "appointment_kind",
    "appointment_place",
    "appointment_clinician",
)

# The fields of the protocol's two paths: one is confirmed, all its steps at once.
PROTOCOL_PATH_FIELDS = {Path.REACHED: "protocol_steps", Path.UNREACHED: "protocol_unreached_steps"}
# Audit actions that change a request (a view changes nothing).
CHANGE_ACTIONS = (
    AuditEvent.Action.CHANGE,
    AuditEvent.Action.NOTE,
    AuditEvent.Action.CONTACT,
    AuditEvent.Action.PROTOCOL,
)


def changes_since(screening_request: ScreeningRequest, since: datetime | None) -> list[str]:
    """Staff changes to a request since a moment, in words: who, what, when (newest first)."""
    events = AuditEvent.objects.filter(
        reference=screening_request.reference, action__in=CHANGE_ACTIONS
    )
    if since is not None:
        events = events.filter(occurred_at__gt=since)
    return [
        f"{event.actor_username} {event.detail or event.get_action_display().lower()} "
        f"({clinic_datetime_text(event.occurred_at)})"
        for event in events.order_by("-occurred_at", "-pk")[:6]
    ]


# --- Review page form ------------------------------------------------------------------------


class ScreeningRequestReviewForm(forms.ModelForm):
    attempt_method = forms.ChoiceField(
        label="How",
        choices=[("", "Choose how"), *ContactAttempt.Method.choices],
        required=False,
    )
    attempt_outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "No attempt to log"), *Outcome.choices],
        required=False,
    )
    attempt_note = forms.CharField(
        label="What happened (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_attempt_due = forms.DateTimeField(
        label="Try again by (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Empty after a failed try: the usual allowance from now.",
    )
    wrong_number_next = forms.ChoiceField(
        label="Wrong number: what next?",
        choices=safety.WrongNumberNext.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    new_phone = forms.CharField(
        label="Their other number",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text="From their e-mail, a referral or a family member they named.",
    )
    protocol_steps = forms.MultipleChoiceField(
        label="Spoke with the patient: confirm every step",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    protocol_unreached_steps = forms.MultipleChoiceField(
        label="Could not reach the patient: confirm every step",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    send_could_not_reach = forms.BooleanField(
        label="E-mail this message to the patient when I save",
        required=False,
    )
    new_note = forms.CharField(
        label="Add an internal note",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only staff see notes; a note cannot be edited.",
    )
    appointment_starts_at = forms.DateTimeField(
        label="Appointment date and time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    appointment_minutes = forms.IntegerField(
        label="How long (minutes)", required=False, min_value=10, max_value=480, initial=60
    )
    appointment_kind = forms.ChoiceField(
        label="Kind of appointment",
        choices=[("", "Choose how"), *Kind.choices],
        required=False,
    )
    appointment_place = forms.CharField(
        label="Address, room or video link",
        required=False,
        max_length=500,
        help_text="A home visit's address; the clinic's address or room; the video link. For a "
        "phone call, optional (the number to call). The patient is told the clinic's address "
        "and the video link, never their own address or number.",
    )
    appointment_clinician = forms.ModelChoiceField(
        label="Clinician",
        queryset=Clinician.objects.all(),
        required=False,
        empty_label="Choose who",
    )
    cancel_appointment = forms.BooleanField(
        label="Cancel the appointment (the patient is told by e-mail)", required=False
    )
    # The request's version and the moment the page was made, as the page was shown.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    opened_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ScreeningRequest
        fields = ["status", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale = self.is_bound and self.instance.pk and self._stale()
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["opened_at"] = timezone.now().isoformat()
            self.initial.update(self._kept())
        if "status" in self.fields:
            current = self.instance.status
            allowed = {current, *review.status_moves_from(current)}
            self.fields["status"].choices = [c for c in Status.choices if c[0] in allowed]
            self.fields["status"].help_text = ""  # the menu offers only the allowed moves
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = get_user_model().objects.filter(
                is_staff=True, is_active=True
            )
            self.fields["assigned_to"].label = "Assigned to"
            self.fields["assigned_to"].empty_label = "Nobody (unassigned)"
        self.appointment = (
            appointments.appointment_upcoming(self.instance) if self.instance.pk else None
        )
        if self.appointment is not None and not self.is_bound:
            self.initial.update(
                {
                    "appointment_starts_at": timezone.localtime(self.appointment.starts_at),
                    "appointment_minutes": self.appointment.minutes,
                    "appointment_kind": self.appointment.kind,
                    "appointment_place": self.appointment.place,
                    "appointment_clinician": self.appointment.clinician_id,
                }
            )
        if self.instance.pk and self.instance.contact_method in ContactAttempt.Method.values:
            self.fields["attempt_method"].initial = self.instance.contact_method
        if self.instance.pk and self.instance.phone_route_closed:
            self.fields["attempt_method"].initial = ContactAttempt.Method.EMAIL
        self.protocol_needed = bool(
            self.instance.pk
            and self.instance.asq_positive
            and not safety.protocol_confirmed(self.instance)
        )
        protocol = safety.protocol_current() if self.protocol_needed else None
        for path, name in PROTOCOL_PATH_FIELDS.items():
            steps = protocol.step_list(path) if protocol else []
            if steps:
                self.fields[name].choices = [(step, step) for step in steps]
            else:
                del self.fields[name]

    # Set on a subclass by the admin when typed work was kept (intake.staff.unsaved).
    kept_initial: dict[str, list[str]] | None = None

    def _kept(self) -> dict:
        """Kept typed work as initial values: lists for the checklists, single values otherwise.

        Its version is the one the person saw, so a change made meanwhile is caught on Save.
        """
        kept = {}
        for name, values in (self.kept_initial or {}).items():
            field = self.fields.get(name)
            if field is None:
                continue
            multiple = isinstance(field, forms.MultipleChoiceField)
            kept[name] = values if multiple else (values[-1] if values else "")
        return kept

    def _stale(self) -> bool:
        """Whether the page was made from an older version; if so, show the current values.

        The status and assignee go back to what they are now (so saving again cannot undo
        someone else's move); everything else typed stays, to save again once checked.
        """
        current = self.instance.version
        if self.data.get("version", "") == str(current):
            return False
        data = self.data.copy()
        data["status"] = self.instance.status
        data["assigned_to"] = self.instance.assigned_to_id or ""
        data["version"] = str(current)
        try:
            self.stale_since = self.fields["opened_at"].to_python(data.get("opened_at", ""))
        except ValidationError:
            self.stale_since = None
        data["opened_at"] = timezone.now().isoformat()
        self.data = data
        return True

    def stale_message(self) -> str:
        changes = changes_since(self.instance, getattr(self, "stale_since", None))
        done = "; ".join(changes) if changes else "someone else saved changes"
        return (
            f"Not saved: this request changed after you opened it ({done}). The page now shows "
            "its current status, assignee, contact log and notes. What you typed is kept below: "
            "check it against the changes, choose the status and assignee again if needed, and "
            "press Save."
        )

    def confirming_path(self, cleaned: dict) -> str | None:
        """The protocol path whose every step is checked, or None; errors for half a checklist."""
        checked = []
        for path, name in PROTOCOL_PATH_FIELDS.items():
            steps = cleaned.get(name) or []
            if not steps:
                continue
            if len(set(steps)) != len(self.fields[name].choices):
                self.add_error(name, "Confirm every step, or none for now.")
            else:
                checked.append(path)
        if len(checked) > 1:
            self.add_error(
                PROTOCOL_PATH_FIELDS[Path.UNREACHED],
                "Confirm one path: either you spoke with the patient or you could not reach them.",
            )
            return None
        return checked[0] if checked else None

    def _wrong_number_clean(self, cleaned: dict, outcome: str | None) -> None:
        """A wrong number asks for another number or closes the phone route; a number known
        to be wrong is not called again."""
        method = cleaned.get("attempt_method") or ""
        if outcome and outcome != Outcome.WRONG_NUMBER:
            try:
                safety.phone_route_check(screening_request=self.instance, method=method)
            except ValidationError as exc:
                self.add_error("attempt_method", exc)
        if outcome != Outcome.WRONG_NUMBER:
            return
        choice = cleaned.get("wrong_number_next")
        if not choice:
            self.add_error(
                "wrong_number_next", "Say whether you have another number or calls should stop."
            )
        elif choice == safety.WrongNumberNext.NEW_NUMBER:
            new_phone = normalise_phone(cleaned.get("new_phone") or "")
            if new_phone is None:
                self.add_error("new_phone", "Give the other number (a valid US phone number).")
            elif new_phone == self.instance.phone:
                self.add_error("new_phone", "That is the number that was wrong.")
            cleaned["new_phone"] = new_phone or ""
        else:
            cleaned["new_phone"] = ""

    def clean(self):
        cleaned = super().clean()
        if self.stale:
            raise ValidationError(self.stale_message(), code="stale")
        outcome = cleaned.get("attempt_outcome")
        if outcome and not cleaned.get("attempt_method"):
            self.add_error("attempt_method", "Say how you tried to reach the patient.")
        self._wrong_number_clean(cleaned, outcome)
        if cleaned.get("send_could_not_reach") and not outcome:
            outcome = Outcome.EMAIL_SENT  # the e-mail is logged as an attempt when it goes out
        path = self.confirming_path(cleaned)
        cleaned["protocol_path"] = path
        confirming = path is not None
        if confirming:
            try:
                safety.protocol_records_check(
                    screening_request=self.instance,
                    path=path,
                    method_logging=cleaned.get("attempt_method") or "" if outcome else "",
                    outcome_logging=outcome or "",
                    note_writing=bool((cleaned.get("new_note") or "").strip()),
                )
            except ValidationError as exc:
                self.add_error(PROTOCOL_PATH_FIELDS[path], exc)
                confirming = False
        status = cleaned.get("status")
        cleaned["appointment_action"] = self.appointment_action(cleaned, status)
        if status and status != self.instance.status:
            try:
                review.status_move_check(from_status=self.instance.status, to_status=status)
                safety.status_move_requirements_check(
                    screening_request=self.instance,
                    to_status=status,
                    outcome_logging=outcome or "",
                    protocol_confirming=confirming,
                    appointment_booking=cleaned["appointment_action"] == "book",
                    appointment_cancelling=cleaned["appointment_action"] == "cancel",
                )
            except ValidationError as exc:
                for error in exc.error_list:
                    if error.code == "appointment_ahead":
                        # Said beside the box that cancels it, in the words of this page.
                        self.add_error(
                            "cancel_appointment",
                            "This request has an appointment ahead: tick “Cancel the "
                            "appointment” to move it out of Scheduled (the patient is told).",
                        )
                    else:
                        self.add_error("status", error)
        return cleaned

    def appointment_details(self, cleaned: dict) -> appointments.AppointmentDetails | None:
        """The appointment as filled in, or None (with errors) when a part is missing or wrong."""
        missing = {
            "appointment_starts_at": "Give the date and time.",
            "appointment_kind": "Choose how the appointment happens.",
            "appointment_clinician": "Choose who the patient sees.",
        }
        for name, words in missing.items():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, words)
        if any(name in self.errors for name in APPOINTMENT_FIELDS):
            return None
        details = appointments.AppointmentDetails(
            starts_at=cleaned["appointment_starts_at"],
            minutes=cleaned.get("appointment_minutes") or 60,
            kind=cleaned["appointment_kind"],
            place=cleaned.get("appointment_place") or "",
            clinician=cleaned["appointment_clinician"],
        )
        try:
            appointments.appointment_details_check(details)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                self.add_error(f"appointment_{name}", errors)
            return None
        return details

    def appointment_action(self, cleaned: dict, status: str | None) -> str:
        """What the save does to the appointment: "book", "change", "cancel" or "".

        A request moving to (or in) "scheduled" with no upcoming appointment books one; changed
        details move it; the box cancels it, and then the request leaves "scheduled". (Leaving
        "scheduled" with an appointment still ahead needs the box ticked: the status service's
        rule, which `clean` shows beside the box.)
        """
        status = status or self.instance.status
        current = self.appointment
        given = any(
            cleaned.get(name) not in (None, "")
            for name in APPOINTMENT_FIELDS
            if name != "appointment_minutes"
        )
        if cleaned.get("cancel_appointment"):
            if current is None:
                self.add_error("cancel_appointment", "There is no upcoming appointment to cancel.")
            elif status == Status.SCHEDULED:
                self.add_error(
                    "status",
                    "A scheduled request has an appointment: choose the status the request moves "
                    "to now that it is cancelled (e.g. Contacted), or leave the appointment.",
                )
            return "cancel"
        if status == Status.SCHEDULED:
            moving = status != self.instance.status
            if current is None and (moving or given):
                cleaned["appointment"] = self.appointment_details(cleaned)
                return "book"
            if current is not None and given:
                cleaned["appointment"] = self.appointment_details(cleaned)
                return "change"
            return ""
        if given and current is None:
            self.add_error(
                "status", "To book an appointment, choose the status “Scheduled” as well."
            )
        return ""
