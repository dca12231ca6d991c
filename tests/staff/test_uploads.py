"""Large bodies and files reach only the photo upload views, and only for signed-in staff."""

from __future__ import annotations

import io
import os

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from core.middleware import UPLOAD_VIEW_NAMES
from pages.models import Clinician

from .support import LOGIN, verified_session

# Over REQUEST_BODY_MAX_BYTES, well under STAFF_UPLOAD_MAX_BYTES.
LARGE = 1024 * 1024


@pytest.fixture(autouse=True)
def upload_dirs(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    settings.MEDIA_ROOT = tmp_path / "media"
    os.mkdir(settings.FILE_UPLOAD_TEMP_DIR)
    return tmp_path / "uploads"


def photo(size: int = LARGE) -> SimpleUploadedFile:
    """A real JPEG of about `size` bytes (noise does not compress)."""
    side = int((size / 1.2) ** 0.5)
    buffer = io.BytesIO()
    Image.frombytes("L", (side, side), os.urandom(side * side)).save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile("portrait.jpg", buffer.getvalue(), content_type="image/jpeg")


def clinician_form(**extra) -> dict:
    return {
        "name": "Alex Example",
        "credentials": "MD",
        "role": "Medical director",
        "order": "0",
        "_save": "Save",
        **extra,
    }


@pytest.fixture
def site_manager(manager):
    """A staff member who may edit the clinicians (and everything else), with a second factor."""
    user, device = manager
    user.is_superuser = True
    user.save()
    return user, device


def with_csrf_token(client: Client, data: dict) -> dict:
    # The CSRF check reads the body before any admin view: it is what parses a file first.
    if "csrftoken" not in client.cookies:
        client.get(LOGIN)  # signed out: the sign-in form; signed in: the admin's home, its form
        client.get(reverse("admin:index"))
    return {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}


def every_admin_form_url() -> list[tuple[str, str]]:
    """(view name, URL) of every model's add page in the staff admin, and the sign-in page."""
    urls = [("admin:login", LOGIN)]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_add"
        urls.append((name, reverse(name)))
    return urls


@pytest.mark.parametrize("size", [100 * 1024, LARGE])
def test_no_one_signed_out_can_send_a_file_to_the_staff_admin(upload_dirs, size):
    for _, url in [*every_admin_form_url(), ("", reverse("admin:pages_clinician_add"))]:
        client = Client(enforce_csrf_checks=True)
        response = client.post(url, with_csrf_token(client, {"upload": photo(size)}))

        assert response.status_code == 400, url
    assert list(upload_dirs.iterdir()) == []


def test_signed_in_staff_send_a_file_only_to_a_photo_upload_view(site_manager, upload_dirs):
    client = verified_session(Client(enforce_csrf_checks=True), *site_manager)
    for view_name, url in every_admin_form_url():
        response = client.post(url, with_csrf_token(client, {"upload": photo(100 * 1024)}))

        if view_name in UPLOAD_VIEW_NAMES:
            assert response.status_code == 200, url  # the form, with what else it needs
        else:
            assert response.status_code == 400, url
    assert list(upload_dirs.iterdir()) == []


def test_a_password_without_the_second_factor_uploads_nothing(site_manager):
    user, _ = site_manager
    client = Client()
    client.force_login(user)

    response = client.post(reverse("admin:pages_clinician_add"), clinician_form(upload=photo()))

    assert response.status_code == 400
    assert not Clinician.objects.exists()


def test_signed_in_staff_upload_a_large_photo_when_adding_and_changing_a_clinician(site_manager):
    client = verified_session(Client(), *site_manager)

    added = client.post(reverse("admin:pages_clinician_add"), clinician_form(upload=photo()))
    clinician = Clinician.objects.get()
    first = clinician.photo
    changed = client.post(
        reverse("admin:pages_clinician_change", args=[clinician.pk]),
        clinician_form(upload=photo()),
    )

    assert added.status_code == changed.status_code == 302
    clinician.refresh_from_db()
    assert clinician.photo != first and clinician.photo.endswith(".webp")


def test_the_photo_page_takes_one_file_at_a_time(site_manager, upload_dirs):
    client = verified_session(Client(), *site_manager)
    two = client.post(
        reverse("admin:pages_clinician_add"),
        clinician_form(upload=photo(100 * 1024), second=photo(100 * 1024)),
    )

    assert two.status_code == 400
    assert not Clinician.objects.exists()
    assert list(upload_dirs.iterdir()) == []
