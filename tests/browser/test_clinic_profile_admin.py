"""A manager completes the clinic profile in a real browser and sees the new price on /cost/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.staff.support import PASSWORD, current_code, ensure_roles, staff_member

from .test_admin import assert_accessible
from .test_pages import seeded_content  # noqa: F401  (the references the cost page cites)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_sees_what_is_missing_sets_a_price_and_sees_it_on_the_cost_page(
    site,
    seeded_content,  # noqa: F811
):
    ensure_roles()
    _user, device = staff_member("manager", username="okafor")
    page = site.page

    site.visit("/staff/", check=False)
    page.get_by_label("Username").fill("okafor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("6-digit code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()

    before = page.locator(".before-going-live")
    expect(before).to_contain_text("Missing: price of one session")
    assert_accessible(page)

    page.get_by_role("link", name="Complete the clinic profile").click()
    expect(page.get_by_role("heading", name="Edit clinic profile")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Price of one session").fill("725")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()

    site.visit("/cost/")
    expect(page.locator("main .price-list")).to_contain_text("One session at home: $725")
    site.visit("/")
    expect(page.locator("main .price-from")).to_contain_text("From $725 a session.")
