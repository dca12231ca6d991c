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
    """Routine and needs-review requests, an urgent one, and the acute one that came in last."""
    ensure_roles()
    routine = demo_request_create(1)
    review = demo_request_create(2, health_conditions=["not_sure"], health_not_sure=["liver"])
    urgent = demo_request_create(3, asq_wish_dead="yes", asq_thoughts="yes", asq_now="no")
    acute = demo_request_create(
        4,
        asq_wish_dead="yes",
        asq_now="yes",
        health_conditions=["not_sure"],
        health_not_sure=["heart"],
    )
    for screening_request, hours in [(routine, 30), (review, 20), (urgent, 5), (acute, 1)]:
        ScreeningRequest.objects.filter(pk=screening_request.pk).update(
            received_at=timezone.now() - datetime.timedelta(hours=hours)
        )
    return acute


def _save(page, *, saved: bool = True) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    if not saved:
        return
    expect(page.locator(".messagelist")).to_contain_text("Saved your work on")


def test_a_reviewer_signs_in_calls_the_acute_request_first_and_follows_the_protocol(site, queue):
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
    expect(summary).to_contain_text(f"Most pressing unanswered request: {queue.reference}")
    expect(summary.locator(".dashboard-chart")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Open the work queue").click()
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row.locator(".queue-ref")).to_have_text(queue.reference)
    expect(first_row.locator(".priority-badge")).to_have_text("Acute: call now")
    expect(first_row).to_contain_text("Suicide risk: thoughts right now")
    expect(first_row).to_contain_text("Heart condition: not sure")
    expect(first_row.locator(".due-now")).to_contain_text("Call now: overdue")
    phone = first_row.locator("a.queue-phone")
    expect(phone).to_have_attribute("href", f"tel:{queue.phone}")
    assert_accessible(page)

    # The queue fits a 768 px tablet without cut-off columns.
    page.set_viewport_size({"width": 768, "height": 1024})
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    results = page.locator(".results")
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 800})

    first_row.locator(".field-patient a").click()
    expect(
        page.get_by_role("heading", name="Suicide risk screen positive: call today")
    ).to_be_visible()
    # Action first: the phone link, the protocol checklist and Save fit the first screen.
    for target in [
        page.locator("a.review-phone"),
        page.locator(".review-checklist"),
        page.get_by_role("button", name="Save", exact=True),
    ]:
        box = target.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 800, target
    assert_accessible(page)

    # Every status the page offers beyond new and in review needs the protocol first.
    offered = page.get_by_label("Status", exact=True).locator("option").all_inner_texts()
    unanswered = {"New", "In review"}
    assert set(offered) - unanswered
    for label in offered:
        if label in unanswered:
            continue
        page.get_by_label("Status", exact=True).select_option(label=label)
        _save(page, saved=False)
        expect(page.locator(".errornote")).to_be_visible()
        expect(page.locator("#id_status_error")).to_contain_text("confirm the protocol steps")
        queue.refresh_from_db()
        assert queue.status == ScreeningRequest.Status.NEW, label

    page.get_by_label("Status", exact=True).select_option(label="New")
    page.get_by_label("Outcome").select_option(label="No answer")
    _save(page)
    expect(page.locator(".review-history").first).to_contain_text("No answer")
    # Not reached: what to do next, in view, and the request is still due now.
    next_steps = page.locator(".review-next-steps")
    expect(next_steps).to_contain_text("Leave a safe message")
    box = next_steps.bounding_box()
    assert box is not None and box["y"] < 800
    expect(page.locator(".review-contact .due-now")).to_contain_text("Call now")

    page.get_by_label("Outcome").select_option(label="Reached the patient")
    page.get_by_label("Status", exact=True).select_option(label="Contacted")
    _save(page, saved=False)
    expect(page.locator(".errornote")).to_be_visible()  # the protocol is not confirmed yet
    queue.refresh_from_db()
    assert queue.status == ScreeningRequest.Status.NEW
    assert_accessible(page)

    page.locator("summary", has_text="Spoke with the patient").click()
    spoke = page.get_by_role("group", name="Spoke with the patient: confirm every step")
    for checkbox in spoke.locator("input[type=checkbox]").all():
        checkbox.check()
    page.get_by_label("Outcome").select_option(label="Reached the patient")
    page.get_by_label("Status", exact=True).select_option(label="Contacted")
    page.get_by_label("Add an internal note").fill("Called at 10:15; warm hand-off to 988.")
    _save(page)

    queue.refresh_from_db()
    assert queue.status == ScreeningRequest.Status.CONTACTED
    assert [a.outcome for a in queue.contact_attempts.all()] == ["no_answer", "reached"]
    assert queue.protocol_confirmations.get().confirmed_by == user
    note = InternalNote.objects.get()
    assert (note.author, note.text) == (user, "Called at 10:15; warm hand-off to 988.")
    expect(page.locator(".review-protocol-done")).to_contain_text("Protocol confirmed by rivera")
    expect(page.locator(".review-history").last).to_contain_text("Contacted, from new, by rivera")
    assert_accessible(page)

    # Printed, the request is a clean document: no navigation, no forms.
    page.emulate_media(media="print")
    expect(page.locator("#header")).to_be_hidden()
    expect(page.locator(".breadcrumbs")).to_be_hidden()
    expect(page.locator(".review-act")).to_be_hidden()
    expect(page.locator(".review-contact")).to_be_visible()
    expect(page.get_by_role("heading", name="Your pain", exact=True)).to_be_visible()


def test_a_nurse_is_warned_before_the_idle_sign_out_and_can_stay_signed_in(site, queue, settings):
    # The warning's lead time is almost the whole idle time here, so it shows after 3 seconds.
    settings.STAFF_SESSION_IDLE_TIMEOUT = datetime.timedelta(seconds=183)
    settings.STAFF_SESSION_WARNING = datetime.timedelta(seconds=180)
    user, device = staff_member("reviewer", username="okafor")
    page = site.page
    site.visit("/staff/", check=False)
    page.get_by_label("Username").fill("okafor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("6-digit code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()
    site.visit(f"/staff/intake/screeningrequest/{queue.pk}/change/", check=False)
    page.get_by_label("Add an internal note").fill("Typed during a long call.")

    warning = page.locator("#session-warning")
    expect(warning).to_be_visible(timeout=15_000)
    expect(warning).to_contain_text("You will be signed out in")
    assert_accessible(page)
    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    # The note typed before is still there, unsaved, and the session goes on.
    expect(page.get_by_label("Add an internal note")).to_have_value("Typed during a long call.")
    assert user.is_authenticated
