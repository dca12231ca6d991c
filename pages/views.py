from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import TemplateView

from core.business_hours import response_time_words

from . import photos, structured_data
from .cache import SharedPageMixin
from .clinic import clinic_facts
from .language_help import TAGLINES
from .page_info import PAGES, PageInfo
from .selectors import clinicians_published, faq_entries_published


class ContentPageView(SharedPageMixin, TemplateView):
    """A public page: the same for everyone, so it never touches the session or sets a cookie."""

    # The URL name, which is also the page's key in pages.page_info.PAGES.
    page_name = ""

    @property
    def page(self) -> PageInfo:
        return PAGES[self.page_name]

    def get_template_names(self) -> list[str]:
        return [page_template(self.template_name, get_language())]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        last_reviewed = self.last_reviewed()
        context.update(
            page=self.page,
            last_reviewed=last_reviewed,
            medical_reviewer=settings.MEDICAL_REVIEWER,
            medical_reviewer_credentials=settings.MEDICAL_REVIEWER_CREDENTIALS,
            screening_response_time=response_time_words(),
            screening_retention_months=settings.SCREENING_RETENTION_MONTHS,
            structured_data=self.structured_data(last_reviewed),
        )
        return context

    def last_reviewed(self) -> date | None:
        return self.page.reviewed

    def canonical_url(self) -> str:
        return settings.SITE_URL + self.request.path

    def structured_data(self, last_reviewed: date | None) -> list[dict]:
        items = []
        if self.page_name == "home":
            items.append(structured_data.medical_clinic(clinic_facts()))
        if self.page.kind == "medical" and last_reviewed:
            items.append(
                structured_data.medical_web_page(
                    page=self.page, url=self.canonical_url(), last_reviewed=last_reviewed
                )
            )
        return items


class CaringPageView(ContentPageView):
    """A page with the "Who cares for you" section: the clinicians staff have published."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["clinicians"] = list(clinicians_published())
        return context


class FaqPageView(ContentPageView):
    """The questions and answers staff keep in the admin."""

    def get_context_data(self, **kwargs):
        self.entries = list(faq_entries_published())
        context = super().get_context_data(**kwargs)
        context["entries"] = self.entries
        return context

    def last_reviewed(self) -> date | None:
        # The page as a whole is only as recent as its least recently reviewed answer.
        return min((entry.last_reviewed for entry in self.entries), default=None)

    def structured_data(self, last_reviewed: date | None) -> list[dict]:
        return [
            structured_data.faq_page(
                page=self.page,
                url=self.canonical_url(),
                entries=self.entries,
                last_reviewed=last_reviewed,
            )
        ]


class LanguageHelpPageView(ContentPageView):
    """Taglines offering free language help, in Washington's most spoken languages."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["taglines"] = TAGLINES
        return context


def page_template(template_name: str, language: str) -> str:
    """A content page's template in `language`: `pages/es/cost.html` beside `pages/cost.html`.

    A content page is long, cited prose, so each language has the whole page as one template, which
    a translator reads and checks as a page; the words around it (menus, labels, messages) are in
    the message files.
    """
    if language == settings.LANGUAGE_CODE:
        return template_name
    folder, name = template_name.rsplit("/", 1)
    return f"{folder}/{language}/{name}"


def clinician_photo(request: HttpRequest, name: str) -> FileResponse:
    """A clinician's photo: only files pages.photos made, each name used once, so kept a year."""
    path = photos.photo_path(name)
    if path is None or not path.is_file():
        raise Http404("No such photo.")
    response = FileResponse(path.open("rb"), content_type="image/webp")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "robots.txt", content_type="text/plain")


def security_txt(request: HttpRequest) -> HttpResponse:
    # RFC 9116: Expires must be less than a year ahead.
    email = clinic_facts().email
    if not email:
        # RFC 9116 requires a contact; none is better than a false one.
        raise Http404("The clinic has no contact address yet.")
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    return render(
        request,
        "security.txt",
        {"expires": expires.isoformat(), "clinic_email": email},
        content_type="text/plain",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A calm 403 page when a form's security token is missing or stale."""
    return render(request, "403_csrf.html", status=403)
