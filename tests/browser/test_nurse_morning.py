"""A nurse's morning in a real browser, on a desktop (1280x800) and a phone (390x844): the home
page's "due in the next hour", the hand-over, the acute request through the protocol, booking an
appointment, and a call-back that came due. Clicks and page loads are counted (a figure for the
walk, with a ceiling so a change that adds steps is noticed); with WALK_SCREENSHOTS set, each page
is kept as a picture there."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.demo import demo_request_create
from intake.models import Appointment, ContactAttempt, ScreeningRequest
from intake.staff.review import screening_request_assign
from intake.staff.safety import contact_attempt_log
from tests.browser.person import Person
from tests.staff.support import PASSWORD, clinician, current_code, ensure_roles, staff_member

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
# The morning's ceiling: today's walk takes fewer (the report gives the figures).
MOST_CLICKS = 40
MOST_PAGE_LOADS = 14


@pytest.fixture
def morning():
    """Overnight: an acute request, a call-back promised for this hour, and a routine request the
    nurse reached yesterday that is ready to book."""
    ensure_roles()
    nurse, device = staff_member("reviewer", username="rivera")
    acute = demo_request_create(4, asq_wish_dead="yes", asq_now="yes")
    call_back = demo_request_create(5)
    ready = demo_request_create(6)
    for screening_request in (call_back, ready):
        screening_request_assign(screening_request=screening_request, assignee=nurse, actor=nurse)
    contact_attempt_log(
        screening_request=call_back,
        actor=nurse,
        method="phone",
        outcome="voicemail",
        next_attempt_due=timezone.now() + datetime.timedelta(minutes=40),
    )
    contact_attempt_log(screening_request=ready, actor=nurse, method="phone", outcome="reached")
    ScreeningRequest.objects.filter(pk=ready.pk).update(status=ScreeningRequest.Status.CONTACTED)
    clinician()
    return nurse, device, acute, call_back, ready


def _save(nurse: Person) -> None:
    nurse.go(nurse.page.get_by_role("button", name="Save", exact=True))
    expect(nurse.page.locator(".messagelist")).to_contain_text("Saved your work on")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_nurses_morning(site, morning, size):
    _user, device, acute, call_back, ready = morning
    page = site.page
    page.set_viewport_size(SIZES[size])
    shots = Path(os.environ["WALK_SCREENSHOTS"]) if os.environ.get("WALK_SCREENSHOTS") else None
    nurse = Person(page, shots, size)

    site.visit("/staff/", check=False)
    page.get_by_label("Username").fill("rivera")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("6-digit code from your authenticator app").fill(current_code(device))
    nurse.go(page.get_by_role("button", name="Sign in"))

    # Home: the call-back coming due is listed under the nurse's name.
    due_soon = page.locator(".due-soon")
    expect(due_soon).to_contain_text("rivera")
    expect(due_soon).to_contain_text(call_back.reference)
    nurse.look("1-home")

    # Hand-over: what is open, what was promised, the notes since yesterday.
    nurse.go(page.get_by_role("link", name="Hand-over", exact=False).first)
    expect(page.locator("h1")).to_contain_text("Hand-over: rivera")
    expect(page.locator("#callbacks-heading")).to_contain_text("Call-backs promised (1)")
    nurse.look("2-handover")
    nurse.choose(page.get_by_label("Whose requests"), "The whole team")
    nurse.go(page.get_by_role("button", name="Show"))
    expect(page.locator("h1")).to_contain_text("the whole team")
    expect(page.locator(".handover")).to_contain_text(acute.reference)
    nurse.look("3-handover-team")

    # The acute request, through the protocol.
    nurse.go(page.get_by_role("link", name=f"{acute.first_name} {acute.last_name}"))
    nurse.choose(page.get_by_label("Outcome"), "Reached the patient")
    nurse.click(page.locator("summary", has_text="Spoke with the patient"))
    spoke = page.get_by_role("group", name="Spoke with the patient: confirm every step")
    for checkbox in spoke.locator("input[type=checkbox]").all():
        nurse.clicks += 1
        checkbox.check()
    nurse.choose(page.get_by_label("Status", exact=True), "Contacted")
    page.get_by_label("Add an internal note").fill("Called; not in danger now; on-call told.")
    _save(nurse)
    acute.refresh_from_db()
    assert acute.status == ScreeningRequest.Status.CONTACTED
    nurse.look("4-acute-done")

    # Booking the request that is ready for it.
    nurse.go(page.get_by_role("link", name="Work queue"))
    nurse.go(page.get_by_role("link", name=f"{ready.first_name} {ready.last_name}"))
    nurse.choose(page.get_by_label("Status", exact=True), "Scheduled")
    nurse.click(page.locator("summary", has_text="Book an appointment"))
    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(
        hour=10, minute=30, second=0, microsecond=0
    )
    page.get_by_label("Appointment date and time").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    nurse.choose(page.get_by_label("Kind of appointment"), "Video call")
    page.get_by_label("Address, room or video link").fill("https://video.example.org/room/9")
    nurse.choose(page.get_by_label("Clinician"), "Dana Ortiz, RN")
    nurse.look("5-booking")
    _save(nurse)
    appointment = Appointment.objects.get(screening_request=ready)
    assert appointment.starts_at == starts
    expect(page.locator(".review-appointment summary")).to_contain_text("Appointment:")
    nurse.go(page.get_by_role("link", name="Work queue"))
    panel = page.locator(".queue-appointments")
    expect(panel).to_contain_text(ready.reference)
    expect(panel).to_contain_text("10:30 AM")
    nurse.look("6-queue-appointments")

    # The call-back that came due.
    nurse.go(page.get_by_role("link", name="Home"))
    nurse.go(page.locator(".due-soon").get_by_role("link", name=call_back.reference))
    nurse.choose(page.get_by_label("Outcome"), "Reached the patient")
    _save(nurse)
    assert call_back.contact_attempts.last().outcome == ContactAttempt.Outcome.REACHED
    nurse.look("7-call-back-done")

    print(f"\n{size}: {nurse.clicks} clicks, {nurse.loads} page loads for the morning")
    assert nurse.clicks <= MOST_CLICKS
    assert nurse.loads <= MOST_PAGE_LOADS
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"] + 1
