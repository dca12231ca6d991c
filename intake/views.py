"""The screening request, step by step, its check page and its confirmation.

Every page can carry patient data (answers typed back into the form, the reference), so none is
ever cached, and the error reporter never sees what was posted.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.business_hours import response_time_words
from core.client_address import client_ip
from core.middleware import database_connection_renew

from . import journey
from .blank_form import blank_first_page
from .drafts import (
    draft_delete,
    draft_discard,
    draft_forget,
    draft_get,
    draft_get_or_create,
    draft_save_step,
)
from .fhir import FHIR_JSON, questionnaire_resource
from .forms import QuestionsForm, ScreeningRequestForm
from .models import ScreeningDraft, ScreeningRequest
from .questionnaire import Section
from .services import ScreeningRateLimited, screening_request_create

logger = logging.getLogger(__name__)

# The reference of the request just sent: kept in the session, never in a URL.
SESSION_REFERENCE = "screening_reference"
SESSION_SENT_AT = "screening_sent_at"
# Whether the patient asked for an e-mail receipt: the confirmation says what it holds (and not).
SESSION_RECEIPT_ASKED = "screening_receipt_asked"
# On a shared computer the next person must not find the confirmation (and any crisis message).
CONFIRMATION_SHOWN_FOR_SECONDS = 60 * 60


def _step_page(
    request: HttpRequest,
    section: Section,
    form: QuestionsForm,
    *,
    draft: ScreeningDraft | None,
    problem: str = "",
    status: int = 200,
    extra_context: dict[str, object] | None = None,
) -> HttpResponse:
    step_number = journey.step_number(section)
    crisis = form.crisis()
    asks_crisis = section == journey.crisis_step()
    returning, answer = _returning(request)
    context = {
        "form": form,
        "section": section,
        "step_number": step_number,
        "step_count": len(journey.steps()) + 1,
        "back_url": journey.previous_url(section, returning_to_check=returning, answer=answer),
        "returning_to_check": returning,
        "first_step": section == journey.steps()[0],
        # Where the ZIP code is, on the page right after it was given.
        "area": journey.area_for(draft.answers) if draft and step_number == 2 else None,
        "crisis": crisis,
        # The step that asks the suicide-risk questions shows the message beside them, unless it
        # comes back with errors: then the support leads the page, above the error summary.
        "crisis_first": bool(crisis) and (not asks_crisis or bool(form.errors) or bool(problem)),
        "resume_url": _resume_url(draft) if section == journey.steps()[0] else "",
        "has_draft": draft is not None,
        "problem": problem,
        "response_time": response_time_words(),
        **(extra_context or {}),
    }
    return render(request, "intake/screening_step.html", context, status=status)


def _returning(request: HttpRequest) -> tuple[bool, str]:
    """Whether the step was opened from the check page, and at which answer."""
    returning = request.GET.get("return") == journey.RETURN_TO_CHECK
    return returning, request.GET.get(journey.CHANGED_ANSWER, "") if returning else ""


def _resume_url(draft: ScreeningDraft | None) -> str:
    """Where a patient coming back to the start left off, when they had gone further."""
    if draft is None or len(draft.steps_done) < 2:
        return ""
    missing = journey.first_step_not_done(draft)
    return journey.step_url(missing) if missing else journey.check_url()


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def screening_step(request: HttpRequest, step: str | None = None) -> HttpResponse:
    """One step of the request: shown with the answers so far, checked when sent."""
    section = journey.step_for(step)
    if section is None:
        raise Http404("No such step.")
    draft = draft_get(request)
    missing = journey.first_step_not_done(draft, before=section)
    if missing is not None:
        return redirect(journey.step_url(missing))
    known = draft.answers if draft else {}
    if request.method != "POST":
        if (
            draft is None
            and section == journey.steps()[0]
            and not request.META.get("QUERY_STRING")
            # "Your answers are deleted" is for this visitor alone.
            and not messages.get_messages(request)
        ):
            # A new visitor: the blank first page everyone gets, rendered once per process.
            return blank_first_page(
                request,
                lambda extra: _step_page(
                    request,
                    section,
                    QuestionsForm(questions=section.questions, known={}),
                    draft=None,
                    extra_context=extra,
                ),
            )
        form = QuestionsForm(initial=known, questions=section.questions, known=known)
        return _step_page(request, section, form, draft=draft)

    form = QuestionsForm(request.POST, questions=section.questions, known=known)
    going_back = "back" in request.POST
    answers = journey.posted_answers(request.POST, section)
    if going_back and (draft is None and not journey.anything_typed(answers)):
        return redirect(_back_url(request, section))
    if not going_back and not form.is_valid():
        return _step_page(request, section, form, draft=draft)
    if request.POST.get("website"):
        # The honeypot, filled in: answer as calmly as for any problem, and keep nothing.
        return _step_page(request, section, form, draft=draft, problem="not_sent")
    try:
        draft = draft or draft_get_or_create(request, client_address=client_ip(request))
        # Back keeps what was typed, checked or not; the step counts as done only once it passes.
        draft_save_step(draft=draft, step=section.slug, answers=answers, finished=form.is_valid())
    except ScreeningRateLimited as limited:
        # Too many requests begun from this connection: nothing is kept, the answers come back.
        response = _step_page(
            request, section, form, draft=draft, problem="rate_limited", status=429
        )
        response["Retry-After"] = str(limited.retry_after)
        return response
    except DatabaseError as exc:
        # Busy, read-only or unreachable database: keep the answers and ask for another try.
        logger.error("Screening step not saved: database error (%s).", type(exc).__name__)
        database_connection_renew()
        return _step_page(request, section, form, draft=draft, problem="unavailable", status=503)
    returning, answer = _returning(request)
    if section == journey.crisis_step() and form.crisis() == "acute":
        # "Yes, right now": the journey stops for the call, as NHS 111 online does, whichever
        # button was pressed (Back included) and whether or not the rest of the step is done.
        return redirect(journey.help_now_url(returning_to_check=returning))
    if going_back:
        return redirect(_back_url(request, section))
    return redirect(journey.next_url(section, returning_to_check=returning, answer=answer))


def _back_url(request: HttpRequest, section: Section) -> str:
    returning, answer = _returning(request)
    return journey.previous_url(section, returning_to_check=returning, answer=answer)


@never_cache
@require_http_methods(["GET", "HEAD"])
def screening_help_now(request: HttpRequest) -> HttpResponse:
    """After "yes, right now": call or text 988 first; the request can wait, or go as it is."""
    draft = draft_get(request)
    section = journey.crisis_step()
    if draft is None:
        return redirect(journey.step_url(journey.steps()[0]))
    form = QuestionsForm(questions=section.questions, known=draft.answers)
    if form.crisis() != "acute":
        return redirect(journey.step_url(section))
    returning = request.GET.get("return") == journey.RETURN_TO_CHECK
    return render(
        request,
        "intake/screening_help_now.html",
        {
            "carry_on_url": journey.next_url(section, returning_to_check=returning),
            "back_url": journey.step_url(section),
            "draft_hours": settings.SCREENING_DRAFT_HOURS,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def screening_delete(request: HttpRequest) -> HttpResponse:
    """ "Delete my answers and start again": the draft goes at once, and the page says so."""
    if request.method == "POST":
        draft_discard(request)
        messages.success(
            request, _("Your answers are deleted. Nothing you told us is kept on this device.")
        )
    return redirect(journey.step_url(journey.steps()[0]))


def _check_page(
    request: HttpRequest,
    draft: ScreeningDraft,
    form: QuestionsForm,
    *,
    status: int = 200,
    problem: str = "",
    errors: list | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "summary": journey.answers_summary(draft.answers),
        "crisis": form.crisis(),
        "crisis_first": bool(form.crisis()),
        "step_count": len(journey.steps()) + 1,
        "back_url": journey.step_url(journey.steps()[-1]),
        "problem": problem,
        "other_errors": errors or [],
        "response_time": response_time_words(),
    }
    return render(request, "intake/screening_check.html", context, status=status)


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def screening_check(request: HttpRequest) -> HttpResponse:
    """Every answer to check, each with a way to change it; the consents; and Send."""
    draft = draft_get(request)
    missing = journey.first_step_not_done(draft)
    if draft is None or missing is not None:
        return redirect(journey.step_url(missing or journey.steps()[0]))
    consents = journey.final_section().questions
    if request.method != "POST":
        form = QuestionsForm(questions=consents, known=draft.answers)
        return _check_page(request, draft, form)

    form = QuestionsForm(request.POST, questions=consents, known=draft.answers)
    if not form.is_valid():
        return _check_page(request, draft, form)
    whole = ScreeningRequestForm(
        {
            **draft.answers,
            **journey.posted_answers(request.POST, journey.final_section()),
            "form_token": draft.form_token,
            "website": "",
        }
    )
    if not whole.is_valid():
        # An earlier answer no longer passes (or the request came too fast): say which.
        return _check_page(request, draft, form, errors=whole.error_summary())
    # Staff read the stored questions and answers in English, whatever language the patient used.
    with translation.override("en"):
        answers_as_seen = whole.answers_as_seen()
    try:
        # Stored and draft removed together: a failure in either leaves the patient's answers
        # where they were, to send again, and never a stored request behind an error page.
        with transaction.atomic():
            created = screening_request_create(
                answers=whole.cleaned_data,
                answers_as_seen=answers_as_seen,
                submission_token=whole.token.token_id,
                client_address=client_ip(request),
                language=request.LANGUAGE_CODE,
            )
            draft_delete(draft)
    except ScreeningRateLimited as limited:
        response = _check_page(request, draft, form, status=429, problem="rate_limited")
        response["Retry-After"] = str(limited.retry_after)
        return response
    except DatabaseError as exc:
        # Busy or unreachable database: keep the answers and ask for another try.
        logger.error("Screening request not stored: database error (%s).", type(exc).__name__)
        database_connection_renew()
        return _check_page(request, draft, form, status=503, problem="unavailable")
    draft_forget(request)
    request.session[SESSION_REFERENCE] = created.reference
    request.session[SESSION_SENT_AT] = int(time.time())
    request.session[SESSION_RECEIPT_ASKED] = bool(whole.cleaned_data.get("email_receipt"))
    # The session cookie goes when the browser closes.
    request.session.set_expiry(0)
    return redirect("intake:received")


@never_cache
@require_http_methods(["GET", "HEAD"])
def screening_request_received(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SESSION_REFERENCE)
    sent_at = request.session.get(SESSION_SENT_AT, 0)
    screening_request = None
    if reference and time.time() - sent_at < CONFIRMATION_SHOWN_FOR_SECONDS:
        # Only plain columns: the page needs nothing that is encrypted.
        screening_request = (
            ScreeningRequest.objects.only(
                "reference", "priority", "asq_positive", "in_service_area"
            )
            .filter(reference=reference)
            .first()
        )
    return render(
        request,
        "intake/screening_received.html",
        {
            "screening_request": screening_request,
            "receipt_asked": request.session.get(SESSION_RECEIPT_ASKED, False),
            "receipt_hours": settings.SCREENING_RECEIPT_HOURS,
            "response_time": response_time_words(),
        },
    )


@require_http_methods(["GET", "HEAD"])
def fhir_questionnaire(request: HttpRequest) -> HttpResponse:
    """The screening questionnaire as a FHIR R4 Questionnaire: public, and holds no patient data."""
    return JsonResponse(questionnaire_resource(), content_type=FHIR_JSON)
