"""The staff admin: every sign-in needs a password and a code from an enrolled authenticator app.

`StaffAdminSite` replaces Django's default admin site (see `StaffAdminConfig`), so `admin.site`
and `@admin.register` everywhere refer to it. A signed-in user whose session was not verified with
a TOTP code is treated as if they were not staff (django-otp's `OTPAdminSite.has_permission`).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice


class StaffAuthenticationForm(AdminAuthenticationForm):
    """Username, password and a TOTP code in one step.

    Each staff user has one authenticator app (`manage.py createstaff` enrols it), so there is no
    device to choose. A wrong code counts towards the lockout, as a wrong password does.
    """

    otp_token = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "spellcheck": "false",
            }
        ),
    )

    # One message for every failure (password, code, no enrolled device, too many codes), so the
    # page never tells a guesser that the password was right.
    SIGN_IN_FAILED = (
        "Sign-in failed: the username, password or code is not right, or the code has expired. "
        "Check them and enter the code your authenticator app shows now."
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": SIGN_IN_FAILED,
        "inactive": SIGN_IN_FAILED,
        "no_device": SIGN_IN_FAILED,
        "invalid_token": SIGN_IN_FAILED,
        "throttled": SIGN_IN_FAILED,
    }

    def clean(self):
        if not self.data.get("otp_token", "").strip():
            # Without a code the password is not even checked: the answer cannot depend on it.
            raise forms.ValidationError(self.SIGN_IN_FAILED, code="invalid_login")
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and cleaned_data.get("otp_token"):
            user.otp_device = self._verified_device(user, cleaned_data["otp_token"])
        return cleaned_data

    def _failed(self, user, code: str) -> forms.ValidationError:
        # A failure after the password was right counts towards the lockout like a wrong password.
        user_login_failed.send(
            sender=type(self),
            credentials={"username": user.get_username()},
            request=self.request,
        )
        return forms.ValidationError(self.error_messages[code], code=code)

    def _verified_device(self, user, token: str) -> TOTPDevice:
        token = token.replace(" ", "")
        # The row lock makes two concurrent sign-ins with one code verify at most once.
        with transaction.atomic():
            devices = list(
                TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
            )
            if not devices:
                raise self._failed(user, "no_device")
            for device in devices:
                allowed, _ = device.verify_is_allowed()
                if not allowed:
                    raise self._failed(user, "throttled")
                if device.verify_token(token):
                    return device
        raise self._failed(user, "invalid_token")


def _idle_seconds() -> int:
    return int(settings.STAFF_SESSION_IDLE_TIMEOUT.total_seconds())


class StaffAdminSite(OTPAdminSite):
    site_header = "AVYIA staff"
    site_title = "AVYIA staff"
    index_title = "Today's work"
    login_form = StaffAuthenticationForm
    login_template = "admin/login.html"
    # The admin is for clinic staff only; nothing here is public.
    site_url = None
    # A handful of models: the side menu would only take width from the work queue.
    enable_nav_sidebar = False
    logout_template = "admin/logged_out.html"

    def __init__(self, name: str = "admin") -> None:
        # django-otp names its site "otpadmin"; keeping "admin" keeps every admin URL name.
        super().__init__(name)

    def get_urls(self):
        keepalive = path(
            "session/keepalive/",
            self.admin_view(self.session_keepalive),
            name="session_keepalive",
        )
        return [keepalive, *super().get_urls()]

    def session_keepalive(self, request: HttpRequest) -> JsonResponse:
        """ "Stay signed in": any staff request restarts the idle time; this says how long.

        admin_view makes it no-store and sends a signed-out person to the sign-in page."""
        return JsonResponse({"idle_seconds": _idle_seconds()})

    def each_context(self, request):
        context = super().each_context(request)
        # The warning before the idle sign-out (static/js/staff-session.js reads these).
        context["session_idle_seconds"] = _idle_seconds()
        context["session_warning_seconds"] = int(settings.STAFF_SESSION_WARNING.total_seconds())
        context["session_keepalive_url"] = reverse("admin:session_keepalive")
        # Printed pages say when, in the clinic's time: a printout is a copy of patient data.
        clinic_now = timezone.localtime(timezone.now(), ZoneInfo(settings.CLINIC_TIME_ZONE))
        context["printed_at"] = date_format(clinic_now, "DATETIME_FORMAT")
        return context

    def permission_denied(self, request: HttpRequest) -> HttpResponse:
        """A staff page someone's role does not include: said inside the admin's frame, with a
        way back (not the patients' 403 page)."""
        context = {**self.each_context(request), "title": "Not part of your role"}
        return TemplateResponse(request, "admin/403.html", context, status=403)
