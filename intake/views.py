"""The screening request form and its confirmation page.

Both pages can carry patient data (answers typed back into the form, the reference), so neither
is ever cached, and the error reporter never sees what was posted.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from avyia_site.client_address import client_ip

from .fhir import FHIR_JSON, questionnaire_resource
from .form_token import form_token_issue
from .forms import ScreeningRequestForm
from .models import ScreeningRequest
from .services import ScreeningRateLimited, screening_request_create

logger = logging.getLogger(__name__)

# The reference of the request just sent: kept in the session, never in a URL.
SESSION_REFERENCE = "screening_reference"
SESSION_SENT_AT = "screening_sent_at"
# On a shared computer the next person must not find the confirmation (and any crisis message).
CONFIRMATION_SHOWN_FOR_SECONDS = 60 * 60


def _form_page(
    request: HttpRequest, form: ScreeningRequestForm, *, status: int = 200, problem: str = ""
) -> HttpResponse:
    context = {
        "form": form,
        "form_token": form_token_issue(),
        "problem": problem,
        "response_time": settings.SCREENING_RESPONSE_TIME,
    }
    return render(request, "intake/screening_form.html", context, status=status)


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def screening_request(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, ScreeningRequestForm())

    form = ScreeningRequestForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form)
    try:
        created = screening_request_create(
            answers=form.cleaned_data,
            answers_as_seen=form.answers_as_seen(),
            submission_token=form.token.token_id,
            client_address=client_ip(request),
        )
    except ScreeningRateLimited as limited:
        response = _form_page(request, form, status=429, problem="rate_limited")
        response["Retry-After"] = str(limited.retry_after)
        return response
    except DatabaseError as exc:
        # Busy or unreachable database: keep the answers on screen and ask for another try.
        logger.error("Screening request not stored: database error (%s).", type(exc).__name__)
        return _form_page(request, form, status=503, problem="unavailable")
    request.session[SESSION_REFERENCE] = created.reference
    request.session[SESSION_SENT_AT] = int(time.time())
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
            "response_time": settings.SCREENING_RESPONSE_TIME,
        },
    )


@require_http_methods(["GET", "HEAD"])
def fhir_questionnaire(request: HttpRequest) -> HttpResponse:
    """The screening questionnaire as a FHIR R4 Questionnaire: public, and holds no patient data."""
    return JsonResponse(questionnaire_resource(), content_type=FHIR_JSON)
