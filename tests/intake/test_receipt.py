"""The patient's e-mail receipt tells a stranger nothing: only that AVYIA received a request, its
reference, how and when the clinic will reach the patient and how to reach the clinic. At most one
goes to an address in SCREENING_RECEIPT_HOURS, and the confirmation page says why it is plain."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone, translation

from intake.models import ScreeningRequest
from intake.questionnaire import SCREENING, Kind

from .screening_support import PATIENT, post_screening, run_queued_tasks

pytestmark = pytest.mark.django_db

# Typed answers nobody else would write, one for every question a patient types into.
TYPED = {
    "zip_code": "98103",
    "pain_condition_other": PATIENT["pain_condition_other"],
    "treatment_other": PATIENT["treatment_other"],
    "current_medicines": PATIENT["current_medicines"],
    "first_name": "Wenonah",
    "last_name": "Castellanos-Pryde",
    "date_of_birth": "1979-04-23",
    "phone": "(206) 555-0187",
    "email": "wenonah.cp@example.com",
}
TYPED_KINDS = {
    Kind.TEXT,
    Kind.LONG_TEXT,
    Kind.NAME,
    Kind.BIRTH_DATE,
    Kind.EMAIL,
    Kind.PHONE,
    Kind.ZIP,
}
# Questions whose wording the receipt may echo ("we will write to you by e-mail"): how the clinic
# gets in touch. What the patient typed into them is still never in it.
HOW_WE_REACH_YOU = {"contact_method", "email", "phone"}
# Words of the clinic's trade and of the screening, in both languages.
HEALTH_WORDS = {
    "en": ["ketamine", "pain", "therap", "treat", "health", "screening", "suicid", "988", "911"],
    "es": ["ketamina", "dolor", "terapia", "tratamiento", "salud", "evaluación", "suicid", "988"],
}
# A request that raises every kind of concern, so nothing about it can slip into the receipt.
WORRYING = {
    "asq_wish_dead": "yes",
    "asq_now": "yes",
    "health_conditions": ["heart", "psychosis"],
    "phq2_interest": "3",
    "phq2_down": "3",
    "surgery_planned": "yes",
}


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.INTAKE_NOTIFY_EMAIL = "intake-desk@example.org"
    settings.SCREENING_RATE_LIMIT = "off"


def _send(client, django_capture_on_commit_callbacks, **answers) -> ScreeningRequest:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_screening(client, **answers)
    assert response.status_code == 302, response.content.decode()[:2000]
    run_queued_tasks()
    return ScreeningRequest.objects.order_by("-pk").first()


def _receipts(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [address]]


def _words_in(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", text.lower()) is not None


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("contact_method", ["phone", "text", "email"])
def test_the_receipt_holds_no_question_no_answer_and_nothing_typed(
    client, django_capture_on_commit_callbacks, locmem_mail, language, contact_method
):
    stored = _send(
        client,
        django_capture_on_commit_callbacks,
        language=language,
        email_receipt="on",
        contact_method=contact_method,
        **TYPED,
        **WORRYING,
    )
    (receipt,) = _receipts(TYPED["email"])
    text = f"{receipt.subject}\n{receipt.body}"

    assert stored.priority == ScreeningRequest.Priority.ACUTE
    assert stored.reference in receipt.subject and stored.reference in receipt.body
    with translation.override(language):
        for question in SCREENING.questions():
            if question.name not in HOW_WE_REACH_YOU:
                assert not _words_in(text, str(question.text)), question.name
            if question.kind in TYPED_KINDS:
                typed = TYPED.get(question.name)
                assert typed, f"give {question.name} a typed answer in TYPED"
                assert typed.lower() not in text.lower(), question.name
            elif question.name not in HOW_WE_REACH_YOU:
                for choice in question.choices:
                    # Yes, No and the numbers 0 to 10 are in any letter; their questions are not.
                    if len(str(choice.label)) > 3:
                        assert not _words_in(text, str(choice.label)), (question.name, choice)
    for word in HEALTH_WORDS[language]:
        assert word not in text.lower(), word
    for digits in ("0187", "1979", "98103"):
        assert digits not in text


@pytest.mark.parametrize(
    ("language", "contact_method", "promise"),
    [
        ("en", "phone", "We will call you within one business day."),
        ("en", "text", "We will send you a text message within one business day."),
        ("en", "email", "We will write to you by e-mail within one business day."),
        ("es", "phone", "Le llamaremos en un plazo de un día hábil."),
        ("es", "text", "Le enviaremos un mensaje de texto en un plazo de un día hábil."),
        ("es", "email", "Le escribiremos por correo electrónico en un plazo de un día hábil."),
    ],
)
def test_the_receipt_says_how_and_when_we_reach_the_patient_and_how_to_reach_us(
    client,
    django_capture_on_commit_callbacks,
    locmem_mail,
    example_clinic,
    language,
    contact_method,
    promise,
):
    _send(
        client,
        django_capture_on_commit_callbacks,
        language=language,
        email_receipt="on",
        contact_method=contact_method,
    )

    (receipt,) = _receipts(PATIENT["email"])
    assert promise in receipt.body
    assert example_clinic.phone in receipt.body and example_clinic.email in receipt.body
    assert receipt.reply_to == [example_clinic.email]


@pytest.mark.parametrize("hours", [24, 48])
def test_one_receipt_per_address_within_the_setting_however_the_address_is_written(
    client, django_capture_on_commit_callbacks, locmem_mail, settings, hours
):
    settings.SCREENING_RECEIPT_HOURS = hours
    first = _send(client, django_capture_on_commit_callbacks, email_receipt="on")
    again = _send(
        client,
        django_capture_on_commit_callbacks,
        email_receipt="on",
        email="  " + PATIENT["email"].upper(),
    )
    other = _send(
        client, django_capture_on_commit_callbacks, email_receipt="on", email="other@example.com"
    )

    assert [first.receipt_wanted, again.receipt_wanted, other.receipt_wanted] == [True, False, True]
    assert len(_receipts(PATIENT["email"])) == 1
    assert len(_receipts("other@example.com")) == 1

    # Just inside the window: still none; once it has passed, one more.
    ScreeningRequest.objects.filter(pk=first.pk).update(
        received_at=timezone.now() - timedelta(hours=hours) + timedelta(minutes=1)
    )
    assert not _send(client, django_capture_on_commit_callbacks, email_receipt="on").receipt_wanted
    ScreeningRequest.objects.filter(pk=first.pk).update(
        received_at=timezone.now() - timedelta(hours=hours, minutes=1)
    )
    assert _send(client, django_capture_on_commit_callbacks, email_receipt="on").receipt_wanted
    assert len(_receipts(PATIENT["email"])) == 2


def test_no_limit_on_receipts_when_the_setting_is_zero(
    client, django_capture_on_commit_callbacks, locmem_mail, settings
):
    settings.SCREENING_RECEIPT_HOURS = 0
    for _ in range(3):
        _send(client, django_capture_on_commit_callbacks, email_receipt="on")

    assert len(_receipts(PATIENT["email"])) == 3


def test_a_request_without_a_receipt_does_not_use_up_the_address(
    client, django_capture_on_commit_callbacks, locmem_mail
):
    _send(client, django_capture_on_commit_callbacks)
    _send(client, django_capture_on_commit_callbacks, email_receipt="on")

    assert len(_receipts(PATIENT["email"])) == 1


@pytest.mark.parametrize(
    ("language", "plain"),
    [("en", "Your receipt is plain on purpose"), ("es", "Su recibo es sencillo a propósito")],
)
def test_the_confirmation_explains_the_plain_receipt_only_to_those_who_asked(
    client, locmem_mail, language, plain
):
    received = "/es/screening/received/" if language == "es" else "/screening/received/"
    post_screening(client, language=language)
    without = BeautifulSoup(client.get(received).content, "html.parser").main.get_text(" ")
    post_screening(client, language=language, email_receipt="on")
    asked = BeautifulSoup(client.get(received).content, "html.parser").main.get_text(" ")

    assert plain not in " ".join(without.split())
    assert plain in " ".join(asked.split())
