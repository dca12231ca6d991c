"""Clearly fictitious screening requests, made the way a patient's are: the real form, then the
real service, so triage, encryption and blind indexes all apply.

Every demo patient is "Demo Patient NN" with an example.org address and a 555-01NN number (the
range set aside for fiction).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from intake.due_times import due_at_for
from pages.models import Clinician

from . import questionnaire
from .form_token import form_token_issue
from .forms import ScreeningRequestForm
from .models import Appointment, ContactAttempt, ScreeningRequest
from .questionnaire import Kind, scoring
from .services import screening_request_create
from .staff import review, safety

Status = ScreeningRequest.Status
DEMO_EMAIL_DOMAIN = "example.org"
DEMO_STAFF_USERNAME = "demo.reviewer"


class DemoRequestInvalid(ValueError):
    """The demo answers did not pass the screening form (the form changed)."""


def demo_email(number: int) -> str:
    return f"demo.patient{number:02d}@{DEMO_EMAIL_DOMAIN}"


def demo_phone(number: int) -> str:
    return f"(206) 555-01{number:02d}"


def routine_answers() -> dict[str, Any]:
    """POST data answering every question the way that raises nothing: no flag, no crisis.

    Read from the questionnaire, so a question added there is answered here too. Contact details
    are left empty for the caller to fill in.
    """
    definition = questionnaire.SCREENING
    crisis = scoring.asq_positive_when(definition)
    data: dict[str, Any] = {}
    for q in definition.questions():
        if q.asked_when is not None or q.optional or q.column:
            data[q.name] = [] if q.kind == Kind.MANY else ""
        elif q.kind == Kind.AGREE:
            data[q.name] = "on"
        elif q.choices:
            calm = [
                c.code
                for c in q.choices
                if not q.raised_flags(c.code)
                and not (q.name in crisis.questions and c.code in crisis.codes)
            ]
            data[q.name] = [str(calm[0])] if q.kind == Kind.MANY else str(calm[0])
    return data


def demo_form_data(number: int, **answers: Any) -> dict[str, Any]:
    """A complete, valid screening form for "Demo Patient NN"; keyword arguments change answers."""
    data = routine_answers()
    data.update(
        {
            "pain_duration": "over_1_year",
            "pain_conditions": ["back_neck"],
            "pain_feelings": ["dull_ache", "throbbing"],
            # PEG items vary a little from patient to patient.
            "peg_pain": str(4 + number % 5),
            "peg_enjoyment": str(3 + number % 6),
            "peg_activity": str(5 + number % 4),
            "treatments_tried": ["medicines", "physical_therapy"],
            "treatment_helped": "a_little",
            "surgery_planned": "no",
            "phq2_down": "1",
            "first_name": "Demo",
            "last_name": f"Patient {number:02d}",
            "date_of_birth": "1970-05-17",
            "email": demo_email(number),
            "phone": demo_phone(number),
            "zip_code": "98101",
            "contact_method": "phone",
            "contact_time": "any",
            "website": "",
        }
    )
    data.update(answers)
    # A token served a few minutes ago, as if the patient had taken their time.
    data["form_token"] = form_token_issue(served_at=time.time() - 300)
    return data


def demo_request_create(
    number: int, *, notify_staff: bool = True, language: str = "en", **answers: Any
) -> ScreeningRequest:
    """Submit a demo patient's form through the screening service, as the website does."""
    form = ScreeningRequestForm(demo_form_data(number, **answers))
    if not form.is_valid():
        raise DemoRequestInvalid(f"Demo request {number} is not valid: {form.errors.as_text()}")
    return screening_request_create(
        answers=form.cleaned_data,
        answers_as_seen=form.answers_as_seen(),
        submission_token=form.token.token_id,
        # TEST-NET-1 documentation addresses, one per demo patient (the rate limit is per address).
        client_address=f"192.0.2.{number}",
        language=language,
        notify_staff=notify_staff,
    )


@dataclass
class DemoCase:
    answers: dict[str, Any]
    hours_ago: float
    statuses: list[str] = field(default_factory=list)
    note: str = ""
    # Attempts that did not reach the patient, logged before anything else.
    failed_attempts: list[str] = field(default_factory=list)


URGENT = {"asq_wish_dead": "yes", "asq_thoughts": "yes", "asq_now": "no"}
URGENT_NOW = {"asq_wish_dead": "yes", "asq_better_off": "yes", "asq_now": "yes"}
DEPRESSED = {"phq2_interest": "2", "phq2_down": "2"}

DEMO_CASES = [
    DemoCase({**URGENT_NOW, "pain_conditions": ["crps"]}, hours_ago=3),
    DemoCase(
        {**URGENT, "pain_conditions": ["fibromyalgia"], **DEPRESSED},
        hours_ago=20,
        failed_attempts=[ContactAttempt.Outcome.NO_ANSWER],
    ),
    DemoCase(
        {**URGENT, "pain_conditions": ["neuropathic"]},
        hours_ago=30,
        statuses=[Status.CONTACTED],
        note="Called the same day; safety plan discussed with the on-call clinician.",
    ),
    DemoCase({"health_conditions": ["heart"], "pain_conditions": ["arthritis"]}, hours_ago=5),
    DemoCase(
        {"health_conditions": ["not_sure"], "health_not_sure": ["pregnancy"], "zip_code": "98402"},
        hours_ago=26,
    ),
    DemoCase(
        {**DEPRESSED, "pain_conditions": ["headache"], "zip_code": "98201"},
        hours_ago=50,
        statuses=[Status.IN_REVIEW],
        note="Asked the medical team to review the PHQ-2 answers before we call.",
    ),
    DemoCase(
        {"health_conditions": ["seizures"], "pain_conditions": ["spinal_cord_injury"]},
        hours_ago=120,
        statuses=[Status.IN_REVIEW, Status.NOT_A_CANDIDATE],
        note="Seizure history: the medical team advised against at-home treatment.",
    ),
    DemoCase({"pain_duration": "under_3_months"}, hours_ago=2),
    # Declined a suicide question (counted as positive) and takes medicines that slow breathing.
    DemoCase(
        {
            "asq_attempt": "declined",
            "asq_now": "no",
            "sedating_medicines": ["opioid", "benzodiazepine"],
            "contact_method": "email",
        },
        hours_ago=4,
    ),
    DemoCase({"zip_code": "99201", "pain_conditions": ["phantom_limb"]}, hours_ago=8),
    DemoCase({"zip_code": "98004", "contact_method": "email"}, hours_ago=12),
    DemoCase(
        {"pain_conditions": ["sickle_cell"], "contact_method": "text"},
        hours_ago=72,
        statuses=[Status.CONTACTED],
        note="Left a voicemail; patient prefers texts after 5 pm.",
    ),
    DemoCase(
        {"pain_conditions": ["after_shingles"], "sms_reminders": "on"},
        hours_ago=96,
        statuses=[Status.CONTACTED, Status.SCHEDULED],
        note="First session booked; intake paperwork sent.",
    ),
    DemoCase(
        {"pain_conditions": ["cancer"]},
        hours_ago=150,
        statuses=[Status.WITHDRAWN],
        note="Patient asked to pause for now.",
    ),
    DemoCase({"pain_conditions": ["back_neck", "arthritis"]}, hours_ago=40),
    # Ended long ago: past the retention period, so the purge has something to show.
    DemoCase(
        {"pain_conditions": ["fibromyalgia"]},
        hours_ago=24 * 31 * 25,
        statuses=[Status.CLOSED],
    ),
]


def _demo_clinician() -> Clinician:
    """A fictitious clinician to book demo appointments with; never listed on the public pages."""
    clinician, _ = Clinician.objects.get_or_create(
        name="Demo Clinician",
        defaults={"credentials": "RN", "role": "Demo appointments only", "published": False},
    )
    return clinician


def _demo_staff() -> AbstractBaseUser:
    """The fictitious colleague who wrote the demo notes; the account can never sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_STAFF_USERNAME,
        defaults={"first_name": "Demo", "last_name": "Reviewer", "is_staff": True},
    )
    if created:
        user.is_active = False
        user.set_unusable_password()
        user.save()
    return user


def demo_requests_exist() -> bool:
    from .crypto import email_blind_index

    return ScreeningRequest.objects.filter(email_index=email_blind_index(demo_email(1))).exists()


def demo_requests_seed() -> list[ScreeningRequest]:
    """Create the demo set: every priority, every status, notes and history."""
    created = []
    now = timezone.now()
    with transaction.atomic():
        staff = _demo_staff()
        for number, case in enumerate(DEMO_CASES, start=1):
            screening_request = demo_request_create(number, notify_staff=False, **case.answers)
            received = now - datetime.timedelta(hours=case.hours_ago)
            # Demo requests send staff no notice; marked as sent, `retry_notices` leaves them be.
            ScreeningRequest.objects.filter(pk=screening_request.pk).update(
                received_at=received,
                status_changed_at=received,
                notice_sent_at=received,
                due_at=due_at_for(priority=screening_request.priority, received_at=received),
            )
            for outcome in case.failed_attempts:
                safety.contact_attempt_log(
                    screening_request=screening_request,
                    actor=staff,
                    method=ContactAttempt.Method.PHONE,
                    outcome=outcome,
                    note="Rang once; no voicemail set up.",
                    next_attempt_due=received + datetime.timedelta(hours=18),
                )
                screening_request.contact_attempts.update(
                    made_at=received + datetime.timedelta(hours=1)
                )
            if Status.CONTACTED in case.statuses:
                # Contacted means an attempt reached them; a suicide-risk screen needs the protocol.
                safety.contact_attempt_log(
                    screening_request=screening_request,
                    actor=staff,
                    method=ContactAttempt.Method.PHONE,
                    outcome=ContactAttempt.Outcome.REACHED,
                )
            if case.note:
                # Before the protocol, which needs the call documented in a note.
                review.internal_note_create(
                    screening_request=screening_request, author=staff, text=case.note
                )
            if screening_request.asq_positive and case.statuses:
                safety.protocol_confirm(
                    screening_request=screening_request,
                    actor=staff,
                    steps=safety.protocol_current().step_list(),
                )
            if Status.SCHEDULED in case.statuses:
                # Stored as it is: the fictitious patient is sent no confirmation.
                Appointment.objects.create(
                    screening_request=screening_request,
                    starts_at=now + datetime.timedelta(days=1, hours=2),
                    kind=Appointment.Kind.VIDEO,
                    place="https://video.example.org/demo",
                    clinician=_demo_clinician(),
                    booked_by=staff,
                )
            for status in case.statuses:
                review.screening_request_set_status(
                    screening_request=screening_request, status=status, actor=staff
                )
            if case.statuses:
                # The last move happened a little after the request arrived.
                moved = received + datetime.timedelta(hours=1)
                ScreeningRequest.objects.filter(pk=screening_request.pk).update(
                    status_changed_at=moved
                )
                screening_request.status_changes.update(changed_at=moved)
                screening_request.contact_attempts.update(made_at=moved)
                screening_request.protocol_confirmations.update(confirmed_at=moved)
            created.append(screening_request)
    return created
