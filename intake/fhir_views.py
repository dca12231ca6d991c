"""The clinic's FHIR definitions a Questionnaire or an export names, each at its canonical URL.

Public: they describe codes and identifiers, and hold no patient data.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_http_methods

from .fhir import FHIR_JSON, code_system_resource, naming_system_resource


@require_http_methods(["GET", "HEAD"])
def fhir_code_system(request: HttpRequest, system_id: str) -> HttpResponse:
    """One of the clinic's code systems, at the URL its codes name as their system."""
    resource = code_system_resource(system_id)
    if resource is None:
        raise Http404("No such code system")
    return JsonResponse(resource, content_type=FHIR_JSON)


@require_http_methods(["GET", "HEAD"])
def fhir_request_naming_system(request: HttpRequest) -> HttpResponse:
    """The naming system of request references (not any reference itself)."""
    return JsonResponse(naming_system_resource(), content_type=FHIR_JSON)
