"""What a staff member typed on a review page and could not save: kept, to fill the page in again.

A nurse on a long call types an attempt, a status and a note, and by the time she presses Save her
session has ended (or the save was refused). What she typed is kept server-side, encrypted
(`UnsavedReview`), for her and that request only, for `UNSAVED_REVIEW_KEPT`; the review page fills
it in again after she signs in, and it is saved only when she presses Save.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.dispatch import receiver
from django.http import HttpRequest, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone

from core.staff_sessions import staff_session_ending

from ..models import ScreeningRequest, UnsavedReview

UNSAVED_REVIEW_KEPT = timedelta(hours=1)
REVIEW_PAGE = "admin:intake_screeningrequest_change"


def _review_fields() -> frozenset[str]:
    # The review form's own fields: nothing else posted (the CSRF token...) is kept.
    from .review_form import ScreeningRequestReviewForm

    return frozenset(ScreeningRequestReviewForm.base_fields)


def unsaved_review_keep(
    *, user: AbstractBaseUser, screening_request: ScreeningRequest, data: QueryDict
) -> None:
    """Keep what was posted to a review page (the form's fields only) for an hour."""
    fields = _review_fields()
    kept = {name: values for name, values in data.lists() if name in fields}
    UnsavedReview.objects.update_or_create(
        user=user,
        screening_request=screening_request,
        defaults={"data": kept, "kept_at": timezone.now()},
    )


def unsaved_review_get(
    *, user: AbstractBaseUser, screening_request: ScreeningRequest | None
) -> dict[str, list[str]] | None:
    """What this person typed on this request and could not save, if it is recent enough."""
    if screening_request is None or not user.is_authenticated:
        return None
    kept = UnsavedReview.objects.filter(
        user=user,
        screening_request=screening_request,
        kept_at__gte=timezone.now() - UNSAVED_REVIEW_KEPT,
    ).first()
    return kept.data if kept else None


def unsaved_review_drop(*, user: AbstractBaseUser, screening_request: ScreeningRequest) -> None:
    UnsavedReview.objects.filter(user=user, screening_request=screening_request).delete()


def unsaved_reviews_expire() -> int:
    """Delete what was kept longer than UNSAVED_REVIEW_KEPT; returns how many."""
    cutoff = timezone.now() - UNSAVED_REVIEW_KEPT
    deleted, _ = UnsavedReview.objects.filter(kept_at__lt=cutoff).delete()
    return deleted


def _csrf_valid(request: HttpRequest) -> bool:
    # The session is about to end before the view (and its CSRF check) runs: check it here, so
    # only a form the person really sent from the review page is kept.
    check = CsrfViewMiddleware(lambda _request: None)
    return check.process_view(request, lambda: None, (), {}) is None


@receiver(staff_session_ending, dispatch_uid="unsaved_review_keep")
def _keep_review_when_session_ends(sender, request: HttpRequest, **kwargs) -> str:
    """A review page posted just as the session ended: keep it, and say so on the sign-in page."""
    if request.method != "POST":
        return ""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    if match.view_name != REVIEW_PAGE:
        return ""
    try:
        if not _csrf_valid(request):
            return ""
        posted = request.POST
    except Exception:  # a body the site cannot read is not kept; the body guard refuses it next
        return ""
    object_id = str(match.kwargs.get("object_id", ""))
    screening_request = (
        ScreeningRequest.objects.filter(pk=object_id).first() if object_id.isdigit() else None
    )
    if screening_request is None:
        return ""
    unsaved_review_keep(user=request.user, screening_request=screening_request, data=posted)
    return (
        f"What you typed on {screening_request.reference} was not saved, but it is kept for one "
        "hour: sign in again and it is filled in for you to check and save."
    )
