"""A reviewer works the queue in a real browser: TOTP sign-in, urgent first, a note, a new status.

axe runs on the whole of each page we template (the sign-in page, the home page's queue summary,
the review page) and on the queue, whose search form is ours. Django's admin markup around our
parts passes as well, so nothing is scoped out. axe's CSSOM preload is turned off: it re-injects
stylesheets pulled in by `@import` (Django's forms.css imports widgets.css) as inline <style>,
which the strict CSP blocks and logs as a console error; it only feeds the css-orientation-lock
rule.
"""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from intake.demo import demo_request_create
from intake.models import InternalNote, ScreeningRequest
from tests.staff.support import PASSWORD, current_code, ensure_roles, staff_member

pytestmark = pytest.mark.django_db(transaction=True)


def assert_accessible(page) -> None:
    results = Axe().run(page, options={"preload": False})
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def queue():
    """Routine and needs-review requests, and the urgent one that arrived after them."""
    ensure_roles()
    routine = demo_request_create(1)
    review = demo_request_create(2, health_conditions=["not_sure"], health_not_sure=["liver"])
    urgent = demo_request_create(3, asq_wish_dead="yes", asq_thoughts="yes", asq_now="no")
    for screening_request, hours in [(routine, 30), (review, 20), (urgent, 2)]:
        ScreeningRequest.objects.filter(pk=screening_request.pk).update(
            received_at=timezone.now() - datetime.timedelta(hours=hours)
        )
    return urgent


def test_a_reviewer_signs_in_with_a_totp_code_and_works_the_urgent_request_first(site, queue):
    user, device = staff_member("reviewer", username="rivera")
    page = site.page

    site.visit("/staff/", check=False)
    assert page.get_by_role("heading", name="Staff sign-in").is_visible()
    assert_accessible(page)
    page.get_by_label("Username").fill("rivera")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("6-digit code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".queue-summary")
    expect(summary).to_contain_text("Oldest unanswered acute or urgent request")
    expect(summary.get_by_role("link", name=queue.reference)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Open the work queue").click()
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row.locator(".field-reference")).to_have_text(queue.reference)
    expect(first_row.locator(".priority-badge")).to_have_text("Urgent")
    assert_accessible(page)

    first_row.get_by_role("link", name=queue.reference).click()
    expect(
        page.get_by_role("heading", name="Suicide risk screen positive: call today")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Status:", exact=True).select_option(label="Contacted")
    page.get_by_label("Add an internal note:").fill("Called at 10:15; safety plan in place.")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully.")
    queue.refresh_from_db()
    assert queue.status == ScreeningRequest.Status.CONTACTED
    note = InternalNote.objects.get()
    assert (note.author, note.text) == (user, "Called at 10:15; safety plan in place.")

    site.visit(f"/staff/intake/screeningrequest/{queue.pk}/change/", check=False)
    expect(page.locator(".review-notes")).to_contain_text("Called at 10:15; safety plan in place.")
    expect(page.locator(".review-history")).to_contain_text("Contacted, from new, by rivera")
    assert_accessible(page)
