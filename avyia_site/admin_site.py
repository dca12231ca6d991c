"""The staff admin: every sign-in needs a password and a code from an enrolled authenticator app.

`StaffAdminSite` replaces Django's default admin site (see `StaffAdminConfig`), so `admin.site`
and `@admin.register` everywhere refer to it. A signed-in user whose session was not verified with
a TOTP code is treated as if they were not staff (django-otp's `OTPAdminSite.has_permission`).
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
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

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "no_device": (
            "No authenticator app is enrolled for this account. Ask a clinic manager to enrol one "
            "with `manage.py createstaff --reset-mfa`."
        ),
        "invalid_token": "That code is not right or has expired. Enter the current code.",
        "throttled": "Too many wrong codes. Wait a minute, then enter the current code.",
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        # Without a code the field's own "required" error already stops the sign-in.
        if user is not None and cleaned_data.get("otp_token"):
            user.otp_device = self._verified_device(user, cleaned_data["otp_token"])
        return cleaned_data

    def _verified_device(self, user, token: str) -> TOTPDevice:
        token = token.replace(" ", "")
        # The row lock makes two concurrent sign-ins with one code verify at most once.
        with transaction.atomic():
            devices = list(
                TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
            )
            if not devices:
                raise forms.ValidationError(self.error_messages["no_device"], code="no_device")
            for device in devices:
                allowed, _ = device.verify_is_allowed()
                if not allowed:
                    raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
                if device.verify_token(token):
                    return device
        user_login_failed.send(
            sender=type(self),
            credentials={"username": user.get_username()},
            request=self.request,
        )
        raise forms.ValidationError(self.error_messages["invalid_token"], code="invalid_token")


class StaffAdminSite(OTPAdminSite):
    site_header = "AVYIA staff"
    site_title = "AVYIA staff"
    index_title = "Work queue"
    login_form = StaffAuthenticationForm
    login_template = "admin/login.html"
    # The admin is for clinic staff only; nothing here is public.
    site_url = None
    # A handful of models: the side menu would only take width from the work queue.
    enable_nav_sidebar = False

    def __init__(self, name: str = "admin") -> None:
        # django-otp names its site "otpadmin"; keeping "admin" keeps every admin URL name.
        super().__init__(name)
