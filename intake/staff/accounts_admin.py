"""Staff accounts in the admin, for clinic managers: who has an account, in which role, whether
their authenticator is enrolled and their sign-in paused; invite, new authenticator, deactivate,
lift a pause. The one-time enrolment pages the invited person opens live here too."""

from __future__ import annotations

import segno
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin_words import StaffModelAdmin
from core.business_hours import clinic_zone
from core.dates import clinic_datetime

from ..models import StaffEnrolment
from . import accounts

User = get_user_model()
MANAGE = "intake.manage_staff"
# The enrolment the browser opened by its link, kept in its session so the link's token leaves
# the address bar at once (as Django's password reset does).
SESSION_ENROLMENT = "staff_enrolment"


class StaffInviteForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    username = forms.CharField(
        max_length=150,
        help_text="What they type to sign in, e.g. “jrivera”. Letters, digits and @ . + - _ only.",
    )
    email = forms.EmailField(label="E-mail", help_text="The invitation goes here.")
    role = forms.ChoiceField(
        choices=[(role, group) for role, group in accounts.ROLE_GROUPS.items()],
        initial="reviewer",
        widget=forms.RadioSelect,
        help_text="Intake reviewers work the queue; clinic managers also look after staff "
        "accounts, the clinic profile and the protocol.",
    )


class EnrolPasswordForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


# Django's own user admin edits every field of any user; managers get this one instead.
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class StaffAccountAdmin(StaffModelAdmin):
    list_display = ("username", "full_name", "email", "role", "state", "authenticator", "sign_in")
    list_display_links = ("username",)
    search_fields = ("username", "first_name", "last_name", "email")
    search_help_text = "Find a colleague by username, name or e-mail."
    ordering = ("-is_active", "username")
    actions = None
    list_per_page = 100

    # --- Who may --------------------------------------------------------------------------

    def _may_manage(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MANAGE)

    def has_view_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_add_permission(self, request):
        return self._may_manage(request)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivated, never deleted: the history keeps who did what

    def has_module_permission(self, request):
        return self._may_manage(request)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_staff=True).prefetch_related("groups")

    # --- Columns ---------------------------------------------------------------------------

    @admin.display(description="Name")
    def full_name(self, user) -> str:
        return user.get_full_name()

    @admin.display(description="Role")
    def role(self, user) -> str:
        return accounts.staff_role(user) or "No role"

    @admin.display(description="Account", ordering="is_active")
    def state(self, user) -> str:
        return "Active" if user.is_active else "Deactivated"

    @admin.display(description="Authenticator")
    def authenticator(self, user) -> str:
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return "Enrolled"
        return "Not enrolled: link sent" if self._open_enrolment(user) else "Not enrolled"

    @admin.display(description="Sign-in")
    def sign_in(self, user) -> str:
        until = accounts.sign_in_paused_until(user.get_username())
        if until is None:
            return "Open"
        return format_html("<strong>Paused</strong> until {}", clinic_datetime(until))

    def _open_enrolment(self, user) -> StaffEnrolment | None:
        return (
            accounts.enrolment_open(pk=enrolment.pk)
            if (enrolment := StaffEnrolment.objects.filter(user=user).order_by("-pk").first())
            else None
        )

    # --- Pages -----------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": "Staff accounts", **(extra_context or {})}
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("invite/", wrap(self.invite_view), name="staff_invite"),
            path("<int:user_id>/do/<slug:action>/", wrap(self.action_view), name="staff_action"),
            # Opened by the invited person, signed out: no admin_view.
            path("enrol/<str:token>/", self.enrol_link_view, name="staff_enrol_link"),
            path("enrol/", self.enrol_view, name="staff_enrol"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:staff_invite"))

    def invite_view(self, request: HttpRequest) -> HttpResponse:
        if not self._may_manage(request):
            raise PermissionDenied
        form = StaffInviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = accounts.staff_invite(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    f"Invitation e-mailed to {user.email}. The link works once, for "
                    f"{int(accounts.ENROLMENT_VALID_FOR.total_seconds() // 3600)} hours.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Invite a colleague",
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/auth/user/invite.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        if user is None or not self._may_manage(request):
            return super().change_view(request, object_id, form_url, extra_context)
        until = accounts.sign_in_paused_until(user.get_username())
        context = {
            **self.admin_site.each_context(request),
            "title": f"Staff account: {user.get_full_name() or user.get_username()}",
            "opts": self.opts,
            "account": user,
            "role": accounts.staff_role(user) or "No role",
            "enrolled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "open_enrolment": self._open_enrolment(user),
            "paused_until": until,
            "is_me": user.pk == request.user.pk,
        }
        return TemplateResponse(request, "admin/auth/user/account.html", context)

    # Each action, and what the page says once it is done (never starting with a username,
    # which the message list would capitalise).
    ACTIONS = {
        "reset-authenticator": (
            accounts.staff_mfa_reset,
            "New authenticator link e-mailed to {email}; the old authenticator no longer works.",
        ),
        "deactivate": (accounts.staff_deactivate, "Deactivated {username}: signed out now."),
        "reactivate": (accounts.staff_reactivate, "Reactivated {username}."),
        "lift-pause": (
            accounts.staff_sign_in_pause_lift,
            "Lifted the sign-in pause of {username}: they can try again.",
        ),
        "change-email": (
            accounts.staff_email_change,
            "Changed the e-mail address of {username} to {email}.",
        ),
    }

    def action_view(self, request: HttpRequest, user_id: int, action: str) -> HttpResponse:
        if not self._may_manage(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        user = self.get_queryset(request).filter(pk=user_id).first()
        if user is None or action not in self.ACTIONS:
            raise PermissionDenied
        service, words = self.ACTIONS[action]
        given = {"email": request.POST.get("email", "")} if action == "change-email" else {}
        try:
            service(user=user, actor=request.user, **given)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            done = words.format(username=user.get_username(), email=user.email)
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))

    # --- The enrolment link (signed out) ---------------------------------------------------

    @method_decorator(never_cache)
    def enrol_link_view(self, request: HttpRequest, token: str) -> HttpResponse:
        enrolment = accounts.enrolment_open(token=token)
        if enrolment is None:
            return self._enrol_ended(request)
        request.session[SESSION_ENROLMENT] = enrolment.pk
        return HttpResponseRedirect(reverse("admin:staff_enrol"))

    @method_decorator(never_cache)
    @method_decorator(sensitive_post_parameters())
    def enrol_view(self, request: HttpRequest) -> HttpResponse:
        enrolment = accounts.enrolment_open(pk=request.session.get(SESSION_ENROLMENT))
        if enrolment is None:
            return self._enrol_ended(request)
        user = enrolment.user
        invite = enrolment.purpose == StaffEnrolment.Purpose.INVITE
        data = request.POST if request.method == "POST" else None
        form = SetPasswordForm(user, data) if invite else EnrolPasswordForm(data)
        credentials = {"username": user.get_username()}
        if request.method == "POST" and form.is_valid():
            password = form.cleaned_data["new_password1" if invite else "password"]
            if not invite and AxesProxyHandler.is_locked(request, credentials):
                form.add_error(None, "Signing in is paused for you: ask a clinic manager.")
            else:
                try:
                    device = accounts.enrolment_complete(enrolment=enrolment, password=password)
                except ValidationError as exc:
                    if not invite:  # a wrong password counts towards the pause, as at sign-in
                        user_login_failed.send(
                            sender=type(self), credentials=credentials, request=request
                        )
                    form.add_error(None, exc)
                else:
                    request.session.pop(SESSION_ENROLMENT, None)
                    return self._enrolled(request, user, device)
        context = {
            **self.admin_site.each_context(request),
            "title": "Set your password" if invite else "Add your new authenticator",
            "form": form,
            "invite": invite,
            "account": user,
        }
        return TemplateResponse(request, "admin/auth/user/enrol.html", context)

    def _enrolled(self, request: HttpRequest, user, device: TOTPDevice) -> HttpResponse:
        uri = device.config_url
        secret = uri.split("secret=", 1)[1].split("&", 1)[0]
        context = {
            **self.admin_site.each_context(request),
            "title": "Scan this code now",
            "account": user,
            "qr_data_uri": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "otpauth_uri": uri,
        }
        return TemplateResponse(request, "admin/auth/user/enrolled.html", context)

    def _enrol_ended(self, request: HttpRequest) -> HttpResponse:
        context = {**self.admin_site.each_context(request), "title": "This link no longer works"}
        return TemplateResponse(request, "admin/auth/user/enrol_ended.html", context, status=410)


def sign_in_paused_response(request: HttpRequest, original_response, credentials) -> HttpResponse:
    """django-axes' lockout page, saying until when (in the clinic's time zone)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    until = accounts.sign_in_paused_until(
        username, ip_address=getattr(request, "axes_ip_address", None)
    )
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "paused_until": until,
        "clinic_zone": clinic_zone().key,
        "site_title": admin.site.site_title,
    }
    # Rendered now: django-axes hands the response on without rendering it.
    return render(
        request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
