"""The review page's form: a contact attempt, the protocol checklist, status, assignee and note.

It checks what a status move needs (a contact that reached the patient; the confirmed protocol on
a positive suicide-risk screen) together with what is being recorded in the same save.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from ..models import ContactAttempt, ScreeningRequest
from . import review, safety

Status = ScreeningRequest.Status
Outcome = ContactAttempt.Outcome

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
    protocol_steps = forms.MultipleChoiceField(
        label="Suicide-risk protocol: confirm every step",
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

    class Meta:
        model = ScreeningRequest
        fields = ["status", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
        if self.instance.pk and self.instance.contact_method in ContactAttempt.Method.values:
            self.fields["attempt_method"].initial = self.instance.contact_method
        self.protocol_needed = bool(
            self.instance.pk
            and self.instance.asq_positive
            and not safety.protocol_confirmed(self.instance)
        )
        if self.protocol_needed:
            steps = safety.protocol_current().step_list()
            self.fields["protocol_steps"].choices = [(step, step) for step in steps]
        else:
            del self.fields["protocol_steps"]

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("attempt_outcome")
        if outcome and not cleaned.get("attempt_method"):
            self.add_error("attempt_method", "Say how you tried to reach the patient.")
        if cleaned.get("send_could_not_reach") and not outcome:
            outcome = Outcome.EMAIL_SENT  # the e-mail is logged as an attempt when it goes out
        steps = cleaned.get("protocol_steps") or []
        confirming = False
        if steps:
            required = self.fields["protocol_steps"].choices
            if len(set(steps)) != len(required):
                self.add_error("protocol_steps", "Confirm every step, or none for now.")
            else:
                confirming = True
        status = cleaned.get("status")
        if status and status != self.instance.status:
            try:
                review.status_move_check(from_status=self.instance.status, to_status=status)
                safety.status_move_requirements_check(
                    screening_request=self.instance,
                    to_status=status,
                    outcome_logging=outcome or "",
                    protocol_confirming=confirming,
                )
            except ValidationError as exc:
                self.add_error("status", exc)
        return cleaned
