from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import TemplateView


class ContentPageView(TemplateView):
    """A public page: the same for everyone, so it never touches the session or sets a cookie."""


def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "robots.txt", content_type="text/plain")


def security_txt(request: HttpRequest) -> HttpResponse:
    # RFC 9116: Expires must be less than a year ahead.
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    return render(
        request,
        "security.txt",
        {"expires": expires.isoformat(), "clinic_email": settings.CLINIC_EMAIL},
        content_type="text/plain",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A calm 403 page when a form's security token is missing or stale."""
    return render(request, "403_csrf.html", status=403)
