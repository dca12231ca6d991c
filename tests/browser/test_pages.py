"""Content pages in a real browser: accessible at phone and desktop widths, usable by keyboard."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.pages.content_helpers import CONTENT_PATHS, LANGUAGE_HELP_PATH, in_spanish

pytestmark = pytest.mark.django_db(transaction=True)

SEED_MIGRATIONS = [
    ("0002_seed_references", "add_references"),
    ("0003_seed_faq", "add_faq"),
    ("0005_safety_references", "add_references"),
    ("0006_faq_corrections", "correct_faq"),
    ("0011_second_clinical_read", "correct"),
]


@pytest.fixture(autouse=True)
def seeded_content(transactional_db) -> None:
    """The references and FAQ the data migrations give a new site.

    The live server needs committed rows, and a transactional test empties the tables when it
    ends, so each test puts the seeded content back (the seed functions are idempotent).
    """
    for migration, function in SEED_MIGRATIONS:
        module = importlib.import_module(f"pages.migrations.{migration}")
        getattr(module, function)(apps, None)


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(
    "path", [*CONTENT_PATHS.values(), *(in_spanish(path) for path in CONTENT_PATHS.values())]
)
def test_page_is_accessible_and_fits_the_screen(site, path, width):
    site.page.set_viewport_size({"width": width, "height": 900})
    site.visit(path)  # runs axe: zero violations

    assert site.page.locator("h1").count() == 1
    assert site.page.evaluate("document.documentElement.scrollWidth") <= width
    last_link = site.page.locator("main a").last
    screening = "/es/screening/" if path.startswith("/es/") else "/screening/"
    assert last_link.get_attribute("href") == screening
    assert last_link.is_visible()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", [LANGUAGE_HELP_PATH, in_spanish(LANGUAGE_HELP_PATH)])
def test_the_language_help_page_is_accessible_in_every_script(site, path, width, example_clinic):
    site.page.set_viewport_size({"width": width, "height": 900})
    site.visit(path)  # axe checks every lang attribute is valid

    assert site.page.evaluate("document.documentElement.scrollWidth") <= width
    assert site.page.locator(".taglines__item").count() == 10
    assert (
        site.page.locator('.taglines__item[lang="ar"]').evaluate(
            "element => getComputedStyle(element).direction"
        )
        == "rtl"
    )


def test_a_patient_switches_language_and_back_by_the_header_link(site):
    site.visit("/chronic-pain/")
    with site.page.expect_navigation():
        site.page.get_by_role("link", name="Español").click()
    assert site.page.url.endswith("/es/chronic-pain/")
    assert site.page.locator("html").get_attribute("lang") == "es"
    with site.page.expect_navigation():
        site.page.get_by_role("link", name="English").click()
    assert site.page.url.endswith("/chronic-pain/") and "/es/" not in site.page.url


def test_faq_with_every_answer_open_is_accessible(site):
    site.visit("/faq/", check=False)
    site.page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")

    site.assert_accessible()


def focus_by_tabbing(site, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    target = site.page.locator(selector).first
    for _ in range(limit):
        site.page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {selector}")


@pytest.mark.parametrize(
    ("link_text", "path"),
    [
        ("Chronic pain", "/chronic-pain/"),
        ("Ketamine for pain", "/ketamine-for-chronic-pain/"),
        ("At-home therapy", "/at-home-ketamine-therapy/"),
        ("Cost", "/cost/"),
        ("FAQ", "/faq/"),
    ],
)
def test_main_navigation_works_by_keyboard_alone(site, link_text, path):
    site.visit("/", check=False)

    focus_by_tabbing(site, f'nav a:text-is("{link_text}")')
    with site.page.expect_navigation():
        site.page.keyboard.press("Enter")

    assert site.page.url == site.base_url + path
    current = site.page.locator(f'nav a:text-is("{link_text}")')
    assert current.get_attribute("aria-current") == "page"


def test_faq_answers_open_and_close_by_keyboard(site):
    site.visit("/faq/", check=False)
    first = site.page.locator("main details").first
    answer = first.locator(".faq__answer")
    assert not answer.is_visible()

    focus_by_tabbing(site, "main details summary")
    site.page.keyboard.press("Enter")
    assert first.evaluate("details => details.open") is True
    assert answer.is_visible()

    site.page.keyboard.press("Space")
    assert first.evaluate("details => details.open") is False
    assert not answer.is_visible()

    site.page.keyboard.press("Space")
    assert first.evaluate("details => details.open") is True


def test_a_citation_leads_to_its_source_and_back(site):
    site.visit("/chronic-pain/", check=False)

    focus_by_tabbing(site, "#cite-1")
    site.page.keyboard.press("Enter")
    assert site.page.url.endswith("#source-1")
    assert site.page.locator("#source-1").is_visible()

    site.page.locator("#source-1 a.sources__back").click()
    assert site.page.url.endswith("#cite-1")


def test_care_team_with_a_photo_is_accessible_and_loads_from_our_own_origin(
    site, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from pages.models import Clinician
    from pages.services import clinician_save

    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 160, 130)).save(buffer, "JPEG")
    clinician_save(
        clinician=Clinician(name="Jordan Example", credentials="ARNP", role="Gives infusions"),
        photo=SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg"),
    )
    clinician_save(clinician=Clinician(name="Sam Example", credentials="RN", role="Nurse"))

    site.page.set_viewport_size({"width": 375, "height": 900})
    site.visit("/")  # axe: zero violations, no request to another host
    photo = site.page.locator(".care-team img")
    photo.scroll_into_view_if_needed()
    # The CSP forbids wait_for_function's eval, so poll the image from outside the page.
    for _ in range(50):
        if photo.evaluate("image => image.complete && image.naturalWidth"):
            break
        site.page.wait_for_timeout(100)

    assert photo.evaluate("image => image.naturalWidth") == 320
    assert site.page.locator(".care-team__initials").inner_text() == "SE"
