"""Who cares for you: real people staff add in the admin, hidden while there are none.

Photos are decoded and re-encoded as WebP before anything is stored, and served only by name.
"""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from pages.models import Clinician
from pages.services import clinician_save

from .content_helpers import soup_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "clinic-manager", "manager@example.org", "a-long-test-password"
    )
    client.force_login(user)
    if apps.is_installed("django_otp"):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test device", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def jpeg_upload(name: str = "portrait.jpg", size=(800, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 80))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker that must not leak"
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize("path", ["/", "/at-home-ketamine-therapy/"])
def test_who_cares_for_you_is_hidden_while_nobody_is_listed(client, path):
    soup = soup_of(client.get(path))

    assert soup.select_one(".care-team") is None
    assert "Who cares for you" not in soup.get_text()


@pytest.mark.parametrize("path", ["/", "/at-home-ketamine-therapy/"])
def test_published_clinicians_show_with_credentials_and_role(client, path):
    clinician_save(
        clinician=Clinician(name="Jordan Example", credentials="ARNP", role="Gives infusions")
    )
    clinician_save(
        clinician=Clinician(name="Hidden Person", credentials="MD", role="Not yet", published=False)
    )

    soup = soup_of(client.get(path))
    team = soup.select_one("main .care-team")

    assert team.find("h2").get_text(strip=True) == "Who cares for you"
    names = [p.get_text(strip=True) for p in team.select(".care-team__name")]
    assert names == ["Jordan Example, ARNP"]
    assert team.select_one(".care-team__role").get_text(strip=True) == "Gives infusions"
    assert team.find("img") is None  # no photo: initials, hidden from screen readers
    initials = team.select_one(".care-team__initials")
    assert initials.get_text(strip=True) == "JE" and initials["aria-hidden"] == "true"


def test_a_photo_is_re_encoded_as_a_small_webp_without_metadata(client, media_root):
    clinician = clinician_save(
        clinician=Clinician(name="Sam Example", credentials="RN", role="Nurse"),
        photo=jpeg_upload(),
    )

    assert clinician.photo.endswith(".webp")
    stored = media_root / "clinicians" / clinician.photo
    with Image.open(stored) as image:
        assert image.format == "WEBP"
        assert image.size == (320, 320)
        assert not image.getexif()
    img = soup_of(client.get("/")).select_one("main .care-team img")
    assert img["alt"] == "" and img["src"] == clinician.photo_url

    response = client.get(clinician.photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    assert not response.cookies


def test_a_file_that_is_not_a_photo_is_refused(media_root):
    from django.core.exceptions import ValidationError

    fake = SimpleUploadedFile("photo.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        clinician_save(
            clinician=Clinician(name="Sam Example", credentials="RN", role="Nurse"), photo=fake
        )
    assert not Clinician.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/media/clinicians/../../db.sqlite3", "/media/clinicians/x.svg", "/media/clinicians/ab.webp"],
)
def test_only_photo_names_we_made_are_served(client, path):
    assert Client().get(path).status_code == 404


def test_replacing_a_photo_removes_the_old_file(media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        clinician = clinician_save(
            clinician=Clinician(name="Sam Example", credentials="RN", role="Nurse"),
            photo=jpeg_upload(),
        )
    old = media_root / "clinicians" / clinician.photo

    with django_capture_on_commit_callbacks(execute=True):
        clinician_save(clinician=clinician, photo=jpeg_upload("new.jpg"))

    assert not old.exists()
    assert (media_root / "clinicians" / clinician.photo).exists()


def test_staff_add_a_clinician_with_a_photo_in_the_admin(staff_client):
    visitor = Client()
    visitor.get("/")  # cached at the current content version

    response = staff_client.post(
        reverse("admin:pages_clinician_add"),
        {
            "name": "Alex Example",
            "credentials": "MD",
            "role": "Medical director",
            "order": "0",
            "published": "on",
            "upload": jpeg_upload(),
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    soup = soup_of(visitor.get("/"))
    assert "Alex Example, MD" in soup.select_one("main .care-team").get_text()
    assert soup.select_one("main .care-team img")["src"].endswith(".webp")


def _admin_add(staff_client, upload):
    return staff_client.post(
        reverse("admin:pages_clinician_add"),
        {
            "name": "Alex Example",
            "credentials": "MD",
            "role": "Medical director",
            "order": "0",
            "upload": upload,
            "_save": "Save",
        },
    )


def _image_file(format_name: str, size=(64, 48), mode="RGB") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, 128).save(buffer, format_name)
    return SimpleUploadedFile(f"portrait.{format_name.lower()}", buffer.getvalue())


def _saveable_formats() -> list[str]:
    Image.init()
    formats = []
    for format_name in sorted(Image.SAVE):
        try:
            _image_file(format_name)
        except (OSError, ValueError, KeyError, TypeError):
            continue  # Pillow cannot write this one from a plain RGB image here
        formats.append(format_name)
    return formats


@pytest.mark.parametrize("format_name", _saveable_formats())
def test_only_jpeg_png_and_webp_are_decoded_every_other_format_is_a_form_error(
    staff_client, format_name
):
    response = _admin_add(staff_client, _image_file(format_name))

    # Pillow writes one MPO picture as a plain JPEG file, which the JPEG decoder reads.
    if format_name in {"JPEG", "MPO", "PNG", "WEBP"}:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Clinician.objects.get().photo.endswith(".webp")
    else:
        assert response.status_code == 200
        assert "Please use a JPEG, PNG or WebP file." in response.content.decode()
        assert not Clinician.objects.exists()


def test_an_eps_file_never_reaches_ghostscript(staff_client, monkeypatch):
    from PIL import EpsImagePlugin

    def ghostscript(*args, **kwargs):
        raise AssertionError("Ghostscript ran on an upload")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", ghostscript)
    eps = SimpleUploadedFile(
        "portrait.eps",
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 64 48\n0 0 moveto 64 48 lineto stroke\n",
    )

    response = _admin_add(staff_client, eps)

    assert response.status_code == 200
    assert "Please use a JPEG, PNG or WebP file." in response.content.decode()


def test_a_photo_with_too_many_pixels_is_a_form_error_not_a_500(staff_client):
    # 49 megapixels, as the review sent: small as a file, far too large to decode.
    response = _admin_add(staff_client, _image_file("PNG", size=(7000, 7000), mode="1"))

    assert response.status_code == 200
    assert "7000 x 7000 pixels, more than we take" in response.content.decode()
    assert not Clinician.objects.exists()
