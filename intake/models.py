from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField, FlagCodesField

# No 0/O, 1/I/L: a reference read aloud over the phone or copied by hand stays unambiguous.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    """A random reference like "K7QX-4M2P" (31^8, about 8.5e11 possibilities; not sequential)."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def normalise_reference(text: str) -> str:
    """A reference as staff might type it ("k7qx4m2p", "K7QX 4M2P") in its stored form."""
    code = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{code[:4]}-{code[4:]}" if len(code) == REFERENCE_LENGTH else text.strip().upper()


class ScreeningRequest(models.Model):
    """A patient's request to be screened for at-home ketamine therapy.

    Only what the staff queue filters and sorts on is stored plain. Identity, contact details,
    date of birth, ZIP code, county, free text and the full answers are encrypted at rest; e-mail
    and phone also have keyed blind indexes for exact search.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_REVIEW = "in_review", "In review"
        CONTACTED = "contacted", "Contacted"
        SCHEDULED = "scheduled", "Scheduled"
        NOT_A_CANDIDATE = "not_a_candidate", "Not a candidate"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CLOSED = "closed", "Closed"

    class Priority(models.IntegerChoices):
        # Numbers so that ordering by priority puts the most pressing first.
        ACUTE = 0, "Acute: call now"
        URGENT = 1, "Urgent"
        NEEDS_REVIEW = 2, "Needs review"
        ROUTINE = 3, "Routine"

    # The patient chooses these, so they are translated; staff read them in English.
    class ContactMethod(models.TextChoices):
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("E-mail")

    class ContactTime(models.TextChoices):
        ANY = "any", _("Any time")
        MORNING = "morning", _("Morning (8 am to noon)")
        AFTERNOON = "afternoon", _("Afternoon (noon to 5 pm)")
        EVENING = "evening", _("Early evening (5 pm to 7 pm)")

    OPEN_STATUSES = (Status.NEW, Status.IN_REVIEW, Status.CONTACTED, Status.SCHEDULED)
    # Still being worked on and not yet answered: a subset of the open statuses. A request with a
    # positive suicide-risk screen may be in any other status only with the protocol on record.
    UNANSWERED_STATUSES = (Status.NEW, Status.IN_REVIEW)

    # --- Plain: what the staff queue filters and sorts on --------------------------------------
    reference = models.CharField(max_length=9, unique=True, default=new_reference, editable=False)
    received_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    # When the first contact is due, from the priority and the clinic's business hours
    # (intake.business_hours), fixed when the request arrives.
    due_at = models.DateTimeField("due by", null=True, blank=True, db_index=True, editable=False)
    priority = models.PositiveSmallIntegerField(
        choices=Priority.choices, default=Priority.ROUTINE, db_index=True
    )
    flags = FlagCodesField(help_text="Triage flag codes; filter with flags__has='code'.")
    peg_score = models.DecimalField(
        "PEG score", max_digits=3, decimal_places=1, null=True, blank=True
    )
    phq2_positive = models.BooleanField("PHQ-2 positive", default=False)
    asq_positive = models.BooleanField("ASQ positive", default=False)
    in_service_area = models.BooleanField(
        "likely in service area",
        null=True,
        blank=True,
        help_text="From the ZIP code; unknown when not found.",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_screening_requests",
    )
    # One more with every staff change (intake.staff): a review page saved from an older version
    # is refused rather than silently undoing someone else's work.
    version = models.PositiveIntegerField(default=0, editable=False)
    submission_token = models.CharField(
        max_length=64, unique=True, editable=False, help_text="The form's one-time token."
    )
    notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    notice_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # The patient's e-mail receipt, when they asked for one: sent once, retried like the notice.
    receipt_wanted = models.BooleanField(default=False, editable=False)
    receipt_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    receipt_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    consent_version = models.CharField(max_length=40, editable=False)
    consented_at = models.DateTimeField(editable=False)
    sms_reminders_consent = models.BooleanField("agreed to text reminders", default=False)
    # The language the patient asked in: staff call and write in it; the receipt is sent in it.
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default="en", editable=False
    )

    # --- Encrypted at rest -----------------------------------------------------------------------
    first_name = EncryptedTextField(max_length=100)
    last_name = EncryptedTextField(max_length=100)
    date_of_birth = EncryptedDateField()
    # At least one of the two, as the preferred contact method needs.
    email = EncryptedTextField("e-mail", max_length=254, blank=True, default="")
    phone = EncryptedTextField(
        "mobile phone", max_length=20, blank=True, default="", help_text="E.164, e.g. +12065550142"
    )
    zip_code = EncryptedTextField("ZIP code", max_length=10)
    county = EncryptedTextField(blank=True, default="")
    contact_method = EncryptedTextField(choices=ContactMethod.choices)
    contact_time = EncryptedTextField(choices=ContactTime.choices)
    how_heard = EncryptedTextField("how they heard of us", blank=True, default="")
    answers = EncryptedJSONField(
        help_text="Every answer as the patient saw it, grouped by section.", default=dict
    )

    # --- Blind indexes for exact staff search (HMAC-SHA256 with BLIND_INDEX_KEY) ---------------
    email_index = models.CharField(max_length=64, db_index=True, editable=False)
    phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    # Last name and date of birth together, for the exact "find a patient" search.
    name_birth_index = models.CharField(
        max_length=64, db_index=True, blank=True, default="", editable=False
    )
    # The last digits of the phone number, for a search by part of it.
    phone_tail_index = models.CharField(
        max_length=64, db_index=True, blank=True, default="", editable=False
    )
    # The date of birth alone: with the phone, e-mail or surname it finds a person's other requests.
    birth_index = models.CharField(
        max_length=64, db_index=True, blank=True, default="", editable=False
    )
    # How the surname sounds (its two Double Metaphone codes), for a search that forgives spelling.
    surname_sound_index = models.CharField(
        max_length=64, db_index=True, blank=True, default="", editable=False
    )
    surname_sound_alt_index = models.CharField(
        max_length=64, db_index=True, blank=True, default="", editable=False
    )
    # The sound of each of the first two words of a compound surname ("Gómez-Ruiz"), found by
    # either word alone.
    surname_first_part_sound_index = models.CharField(
        max_length=64, db_index=True, blank=True, default="", editable=False
    )
    surname_second_part_sound_index = models.CharField(
        max_length=64, db_index=True, blank=True, default="", editable=False
    )
    # Set when a call reached a wrong number and no other number was given: no more calls.
    phone_route_closed = models.BooleanField("phone number known wrong", default=False)

    class Meta:
        ordering = ["priority", "received_at"]
        indexes = [models.Index(fields=["status", "priority", "received_at"])]
        permissions = [
            ("export_screeningrequest", "Can export screening requests as CSV"),
            ("purge_screeningrequest", "Can purge requests closed past the retention period"),
            ("export_fhir_screeningrequest", "Can export a request to an EHR (FHIR)"),
            ("link_screeningrequest", "Can link or merge requests from one person"),
        ]

    def __str__(self) -> str:
        # Shown everywhere staff see a request (and in Django's own change history): no name.
        return self.reference

    def language_name(self) -> str:
        """The language asked in, named in English as staff and the EHR read it: "Spanish"."""
        return get_language_info(self.language)["name"]

    @property
    def in_other_language(self) -> bool:
        """Asked in a language other than the site's default: staff call and write in it."""
        return self.language != settings.LANGUAGE_CODE

    @property
    def acute(self) -> bool:
        """The patient said they are having thoughts of suicide right now."""
        return self.priority == self.Priority.ACUTE

    def bump_version(self) -> None:
        """Count one more staff change (see `version`), in the database and on this instance."""
        type(self).objects.filter(pk=self.pk).update(version=models.F("version") + 1)
        self.version += 1


class ScreeningDraft(models.Model):
    """A screening request still being filled in, one step at a time.

    Tied to one browser session by a random key kept in the (server-side) session; only a keyed
    hash of that key is stored here. The answers are encrypted like a request's, and a draft
    untouched for SCREENING_DRAFT_HOURS is gone.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    answers = EncryptedJSONField(default=dict, help_text="The answers as typed, by question.")
    steps_done = models.JSONField(default=list, help_text="The steps sent, by section slug.")
    form_token = models.CharField(max_length=200, help_text="The one-time token of the request.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Draft from {self.created_at:%Y-%m-%d %H:%M}"


class ScreeningRateWindow(models.Model):
    """Accepted requests per client address in one fixed time window.

    The address is kept only as a keyed hash (BLIND_INDEX_KEY); the unique constraint and
    F() updates make the count exact across worker processes on SQLite and PostgreSQL.
    """

    address_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address_hash", "window_start"], name="intake_rate_window_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.window_start:%Y-%m-%d %H:%M} ({self.count})"


# --- Staff review: history, notes and the audit trail --------------------------------------------


class StatusChange(models.Model):
    """One move of a request from one status to another, kept as its history."""

    screening_request = models.ForeignKey(
        ScreeningRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=ScreeningRequest.Status.choices)
    to_status = models.CharField(max_length=20, choices=ScreeningRequest.Status.choices)
    # Staff accounts are deactivated, never deleted, so the history keeps who made each move.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} to {self.get_to_status_display()}"


class InternalNote(models.Model):
    """A staff member's note on a request: encrypted at rest, never edited after it is written."""

    screening_request = models.ForeignKey(
        ScreeningRequest, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note by {self.author} at {self.created_at:%Y-%m-%d %H:%M}"


class ContactAttempt(models.Model):
    """One try at reaching the patient: how, what came of it, and when to try next."""

    # The ways to reach a patient are the ways a patient may ask to be reached.
    Method = ScreeningRequest.ContactMethod

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached the patient"
        VOICEMAIL = "voicemail", "Left a voicemail"
        NO_ANSWER = "no_answer", "No answer"
        WRONG_NUMBER = "wrong_number", "Wrong number"
        EMAIL_SENT = "email_sent", "E-mail sent"
        TEXT_SENT = "text_sent", "Text sent"

    # Outcomes that did not reach the patient; enough of them and the "could not reach you"
    # message is offered.
    FAILED_OUTCOMES = (Outcome.VOICEMAIL, Outcome.NO_ANSWER, Outcome.WRONG_NUMBER)
    # A conversation with the patient: the only first contact the figures and deadlines count
    # (a text or e-mail sent is one-way, and nobody knows yet that it was read).
    TWO_WAY_OUTCOMES = (Outcome.REACHED,)

    screening_request = models.ForeignKey(
        ScreeningRequest, on_delete=models.CASCADE, related_name="contact_attempts"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = EncryptedTextField(max_length=2000, blank=True, default="")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_attempt_due = models.DateTimeField("next attempt due", null=True, blank=True)

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()}: {self.get_outcome_display()}"


class SuicideRiskProtocol(models.Model):
    """The clinic's suicide-risk protocol, as staff follow it: text and the steps to confirm.

    Edited by the clinic in the admin; the newest version is shown on every request with a
    positive ASQ screen. Each line of `steps` is one box of the checklist staff confirm.
    """

    title = models.CharField(max_length=200)
    text = models.TextField(help_text="What staff do, in the clinic's words.")
    steps = models.TextField(help_text="One step to confirm per line: the checklist staff tick.")
    # When the patient cannot be reached: what to do next, and the steps confirmed on that path.
    unreached_text = models.TextField("when the patient cannot be reached", blank=True, default="")
    unreached_steps = models.TextField("steps to confirm when not reached", blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = "suicide-risk protocol"

    def __str__(self) -> str:
        return self.title

    def step_list(self, path: str = "reached") -> list[str]:
        text = self.unreached_steps if path == ProtocolConfirmation.Path.UNREACHED else self.steps
        return [line.strip() for line in text.splitlines() if line.strip()]


class ProtocolConfirmation(models.Model):
    """A reviewer's confirmation that the suicide-risk protocol was followed for a request."""

    class Path(models.TextChoices):
        REACHED = "reached", "Spoke with the patient"
        UNREACHED = "unreached", "Could not reach the patient"

    screening_request = models.ForeignKey(
        ScreeningRequest, on_delete=models.CASCADE, related_name="protocol_confirmations"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)
    path = models.CharField(max_length=10, choices=Path.choices, default=Path.REACHED)
    # The steps as worded when confirmed (staff wording, never patient data).
    steps = models.JSONField(default=list)

    class Meta:
        ordering = ["confirmed_at", "pk"]

    def __str__(self) -> str:
        return f"Protocol confirmed by {self.confirmed_by} at {self.confirmed_at:%Y-%m-%d %H:%M}"


class UnsavedReview(models.Model):
    """What a staff member typed on a review page when their session ended before it was saved.

    Kept encrypted, for that person and that request only, for UNSAVED_REVIEW_KEPT; it fills the
    review page in again after they sign in, and is saved only when they press Save.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    screening_request = models.ForeignKey(
        ScreeningRequest, on_delete=models.CASCADE, related_name="+"
    )
    data = EncryptedJSONField(default=dict)
    kept_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "screening_request"], name="one_unsaved_review")
        ]

    def __str__(self) -> str:
        return f"Unsaved review of {self.screening_request} by {self.user}"


class RequestLink(models.Model):
    """Two requests a clinic manager found to be from one person: linked, or merged into one.

    Merged means the later-named `merged` request was closed and its work carries on under the
    kept one; both stay readable, each linking to the other. Patients are never told.
    """

    class Kind(models.TextChoices):
        SAME_PERSON = "same_person", "Same person"
        MERGED = "merged", "Merged"

    kept = models.ForeignKey(ScreeningRequest, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(ScreeningRequest, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kept", "other"], name="one_link_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.kept} and {self.other}: {self.get_kind_display().lower()}"


class StaffEnrolment(models.Model):
    """A one-time link for a staff member to enrol an authenticator (and, when invited, set a
    password). Only a keyed hash of the link's token is stored; the token exists in the e-mail."""

    class Purpose(models.TextChoices):
        INVITE = "invite", "Invitation"
        RESET = "reset", "New authenticator"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    # Set when the e-mail is sent (each try makes a new token, so only the sent link works).
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [
            (
                "manage_staff",
                "Can invite staff, reset authenticators, deactivate and lift sign-in pauses",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for {self.user}"


# --- Appointments and the e-mails about them ---------------------------------------------------


class Appointment(models.Model):
    """A booked visit, call or video meeting behind a "scheduled" request.

    When and with whom stay plain (the queue lists today's and tomorrow's); where (a home address,
    a video link, a number to call) is encrypted like the rest of the patient's details. A
    reschedule moves this row and counts `sequence` up, as calendar programs expect of one event.
    """

    class Kind(models.TextChoices):
        HOME = "home", _("Home visit")
        CLINIC = "clinic", _("At the clinic")
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone call")

    class State(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    screening_request = models.ForeignKey(
        ScreeningRequest, on_delete=models.CASCADE, related_name="appointments"
    )
    starts_at = models.DateTimeField(db_index=True)
    minutes = models.PositiveSmallIntegerField(default=60)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    place = EncryptedTextField("address, link or number", max_length=500, blank=True, default="")
    clinician = models.ForeignKey(
        "pages.Clinician", on_delete=models.PROTECT, related_name="appointments"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.BOOKED)
    # The calendar event's identity in the patient's calendar: random, stable across reschedules.
    uid = models.CharField(max_length=64, unique=True, default=secrets.token_hex, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"Appointment for {self.screening_request}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


class SentEmail(models.Model):
    """One e-mail about a request, claimed here before it is sent.

    The unique key names the e-mail and the moment it is about (an appointment's version, a
    call-back's due time, an assignment), so two workers, or a task queued twice, send it once.
    It holds no patient data: the kind, the reference and when it went out.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30)
    reference = models.CharField(max_length=9, db_index=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "sent e-mail"

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"
