"""Drafts: a patient's answers between steps, kept on the server, encrypted, for a day at most.

Nothing of them is in a URL or a cookie: the browser's session (stored on the server) holds a
random key, and the draft is found by a keyed hash of that key. The session's cookie ends with the
browser session, so on a shared computer the next person cannot open someone else's answers.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .crypto import blind_index
from .form_token import form_token_issue
from .models import ScreeningDraft
from .services import rate_limit_count

SESSION_DRAFT_KEY = "screening_draft"


def draft_lifetime() -> timedelta:
    return timedelta(hours=settings.SCREENING_DRAFT_HOURS)


def _key_hash(key: str) -> str:
    return blind_index("screening-draft:" + key)


def _live() -> Any:
    return ScreeningDraft.objects.filter(updated_at__gte=timezone.now() - draft_lifetime())


def draft_get(request: HttpRequest) -> ScreeningDraft | None:
    """This browser's draft, if it has one that has not expired."""
    key = request.session.get(SESSION_DRAFT_KEY)
    if not isinstance(key, str):
        return None
    return _live().filter(key_hash=_key_hash(key)).first()


def draft_get_or_create(request: HttpRequest, *, client_address: str) -> ScreeningDraft:
    """This browser's draft, or a new one (with the request's one-time token) tied to it.

    Raises ScreeningRateLimited when `client_address` started more than SCREENING_DRAFT_RATE_LIMIT
    drafts in the last period (each holds a row and a session until it expires).
    """
    draft = draft_get(request)
    if draft is not None:
        return draft
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        rate_limit_count(setting="SCREENING_DRAFT_RATE_LIMIT", client_address=client_address)
        draft = ScreeningDraft.objects.create(
            key_hash=_key_hash(key), form_token=form_token_issue()
        )
    request.session[SESSION_DRAFT_KEY] = key
    # No Expires or Max-Age: closing the browser is enough to leave nothing behind.
    request.session.set_expiry(0)
    return draft


def draft_save_step(
    *, draft: ScreeningDraft, step: str, answers: dict[str, Any], finished: bool = True
) -> None:
    """Keep one step's answers, exactly as typed, and note whether the step is done: a step left
    with Back keeps its answers, and is done only if they passed its checks."""
    draft.answers = {**draft.answers, **answers}
    if finished and step not in draft.steps_done:
        draft.steps_done = [*draft.steps_done, step]
    elif not finished:
        draft.steps_done = [done for done in draft.steps_done if done != step]
    draft.updated_at = timezone.now()
    draft.save(update_fields=["answers", "steps_done", "updated_at"])


def draft_delete(draft: ScreeningDraft) -> None:
    """The draft became a request: remove it, in the transaction that stores the request."""
    ScreeningDraft.objects.filter(pk=draft.pk).delete()


def draft_forget(request: HttpRequest) -> None:
    """Forget this browser's draft key, once its draft is gone for good (committed)."""
    request.session.pop(SESSION_DRAFT_KEY, None)


def draft_discard(request: HttpRequest) -> None:
    """The patient asked to delete their answers: remove this browser's draft now, and end the
    session that led to it (with the reference of anything just sent)."""
    key = request.session.get(SESSION_DRAFT_KEY)
    if isinstance(key, str):
        ScreeningDraft.objects.filter(key_hash=_key_hash(key)).delete()
    request.session.flush()


def drafts_purge(*, now=None) -> int:
    """Delete every draft untouched for longer than its lifetime; returns how many."""
    cutoff = (now or timezone.now()) - draft_lifetime()
    deleted, _ = ScreeningDraft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted
