"""The pages that show the clinic's facts, filled with the example clinic, in a real browser."""

from __future__ import annotations

import pytest

from pages.services import clinic_profile_load_example

from .test_pages import seeded_content  # noqa: F401  (the references and FAQ a new site has)

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/", "/cost/", "/at-home-ketamine-therapy/", "/faq/"]


@pytest.fixture(autouse=True)
def example_profile(seeded_content) -> None:  # noqa: F811
    clinic_profile_load_example(actor_label="tests")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", [*PAGES, *("/es" + path for path in PAGES)])
def test_every_clinic_fact_is_accessible_and_fits_the_screen(site, path, width):
    site.page.set_viewport_size({"width": width, "height": 844})
    site.visit(path)  # runs axe: zero violations

    assert site.page.evaluate("document.documentElement.scrollWidth") <= width
    assert site.page.locator("footer .site-footer__example").is_visible()


def test_the_lead_paragraph_is_regular_weight_in_body_ink(site):
    site.visit("/")
    lead = site.page.locator("main .lead").first

    assert lead.evaluate("element => getComputedStyle(element).fontWeight") == "400"
    assert lead.evaluate("element => getComputedStyle(element).color") == "rgb(29, 42, 51)"
