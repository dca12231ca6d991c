"""Automatic sign-out for staff.

Only staff ever sign in; patients fill the screening form anonymously, so these limits never touch
them. A session ends after `STAFF_SESSION_IDLE_TIMEOUT` without a request, and in any case
`STAFF_SESSION_MAX_AGE` after sign-in. A password change ends the user's other sessions through
Django's session auth hash.

The server decides when a session has ended: its cookie outlives the idle time by
`STAFF_SESSION_ENDED_GRACE`, so the request that arrives after the end is still recognised as that
person's. Before signing them out, `staff_session_ending` is sent with the request, so what they
were saving is not lost (the intake app keeps a review page's typed work); a receiver returns a
sentence for the sign-in page, or "".
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"

# Sent with the request whose session has just ended, before the sign-out.
staff_session_ending = Signal()


@receiver(user_logged_in, dispatch_uid="staff_session_started")
def _remember_sign_in_time(sender, request: HttpRequest, user, **kwargs) -> None:
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class StaffSessionMiddleware:
    """End a signed-in session that sat idle too long or outlived its maximum age."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL
        self.idle_seconds = int(settings.STAFF_SESSION_IDLE_TIMEOUT.total_seconds())
        self.max_age_seconds = int(settings.STAFF_SESSION_MAX_AGE.total_seconds())
        self.grace_seconds = int(settings.STAFF_SESSION_ENDED_GRACE.total_seconds())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only the admin shows anything to a signed-in user. Public pages leave the session
        # alone, so a patient's session cookie never makes them vary on cookies.
        if (
            request.path_info.startswith(self.admin_prefix)
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
        ):
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(time.time())
        signed_in_at = request.session.get(SIGNED_IN_AT)
        last_seen_at = request.session.get(LAST_SEEN_AT)
        if signed_in_at is None or last_seen_at is None:
            reason = "Please sign in again."
        elif now - last_seen_at > self.idle_seconds:
            minutes = self.idle_seconds // 60
            reason = f"You were signed out after {minutes} minutes without activity."
        elif now - signed_in_at > self.max_age_seconds:
            hours = self.max_age_seconds // 3600
            reason = f"You were signed out because sessions last at most {hours} hours."
        else:
            request.session[LAST_SEEN_AT] = now
            # The stored session and its cookie expire on their own if the staff member leaves,
            # a while after the idle time, so that the end is seen and nothing typed is lost.
            request.session.set_expiry(self.idle_seconds + self.grace_seconds)
            return
        kept = [said for _, said in staff_session_ending.send(sender=type(self), request=request)]
        logout(request)
        messages.info(request, " ".join([reason, *filter(None, kept)]))
