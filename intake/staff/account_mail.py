"""The e-mails that tell a staff member what a manager did to their account."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from core.dates import clinic_datetime_text

from ..models import StaffEnrolment
from .accounts import enrolment_link_issue

logger = logging.getLogger(__name__)

SUBJECTS = {
    "invite": "Your AVYIA staff account: set your password and sign-in codes",
    "reset": "Your AVYIA staff sign-in: a new authenticator",
    "deactivated": "Your AVYIA staff account was deactivated",
    "reactivated": "Your AVYIA staff account was reactivated",
    "pause_lifted": "Your AVYIA staff sign-in pause was lifted",
    "email_changed": "Your AVYIA staff account's e-mail address",
}


def staff_account_email_send(
    *, user_id: int, what: str, actor_name: str, enrolment_id: int | None = None
) -> bool:
    """Send one account e-mail; False when the mail server refused it (logged, no address)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return True  # nobody to write to: nothing to retry
    context = {
        "user": user,
        "what": what,
        "actor_name": actor_name,
        "when": clinic_datetime_text(timezone.now()),
    }
    if enrolment_id is not None:
        enrolment = StaffEnrolment.objects.filter(pk=enrolment_id, used_at__isnull=True).first()
        if enrolment is None or enrolment.expires_at <= timezone.now():
            return True  # used or ended meanwhile: a link would not work
        context["link"] = enrolment_link_issue(enrolment)
        context["expires"] = clinic_datetime_text(enrolment.expires_at)
    message = EmailMessage(
        SUBJECTS[what], render_to_string("intake/email/staff_account.txt", context), to=[user.email]
    )
    try:
        message.send()
    except Exception as exc:  # any mail failure, e.g. SMTP refused or timed out
        logger.warning("A staff account e-mail (%s) was not sent (%s).", what, type(exc).__name__)
        return False
    return True
