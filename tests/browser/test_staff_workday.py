"""A manager and a nurse in a real browser: invite and enrol, a lifted pause, a typo in a search,
one person's two requests, a page outside one's role, the dashboard at two sizes, and printing.

axe runs on every page visited, the whole page each time."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from intake.demo import demo_request_create
from tests.browser.person import Person
from tests.intake.screening_support import run_queued_tasks
from tests.staff.support import PASSWORD, current_code, ensure_roles, staff_member

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = ({"width": 1280, "height": 800}, {"width": 390, "height": 844})


def _accessible(site) -> None:
    """axe on the whole page, without its CSSOM preload (see test_admin: it would re-inject the
    admin's imported stylesheets inline, which the CSP refuses)."""
    results = Axe().run(site.page, options={"preload": False})
    assert results.violations_count == 0, results.generate_report()


def _sign_in(site, user, device) -> None:
    site.visit("/staff/", check=False)
    page = site.page
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("6-digit code from your authenticator app").fill(current_code(device))
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today's work")).to_be_visible()


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


def test_a_manager_invites_a_nurse_who_enrols_once_and_signs_in(site, outbox, capsys):
    ensure_roles()
    manager, device = staff_member("manager", username="maria")
    page = site.page
    _sign_in(site, manager, device)

    # Counted from the staff home page to the invitation sent.
    maria = Person(page, None, "desktop")
    maria.go(page.get_by_role("link", name="Staff accounts"))
    expect(page.get_by_role("heading", name="Staff accounts")).to_be_visible()
    maria.look()
    maria.go(page.get_by_role("link", name="Invite a colleague"))
    expect(page.get_by_role("heading", name="Invite a colleague")).to_be_visible()
    maria.look()
    maria.fill(page.get_by_label("Full name"), "Jo Rivera")
    maria.fill(page.get_by_label("Username"), "jrivera")
    maria.fill(page.get_by_label("E-mail"), "jo.rivera@example.org")
    maria.go(page.get_by_role("button", name="Send the invitation"))
    expect(page.locator(".messagelist")).to_contain_text("Invitation e-mailed")
    expect(page.locator(".staff-account")).to_contain_text("a link was sent")
    maria.look()
    invited = f"{maria.clicks} clicks, {maria.loads} page loads, {maria.typed} characters typed"
    assert maria.clicks <= 4 and maria.loads <= 3

    run_queued_tasks()
    [message] = [m for m in outbox if "jo.rivera@example.org" in m.to]
    link = re.search(r"/staff/auth/user/enrol/\S+/", message.body).group(0)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You are signed out")).to_be_visible()
    _accessible(site)

    # The nurse, on a phone, counted from the e-mailed link to the first page after sign-in.
    page.set_viewport_size(SIZES[1])
    jo = Person(page, None, "phone")
    site.visit(link, check=False)
    jo.look()
    assert "/enrol/" in page.url and link not in page.url  # the token left the address bar
    jo.fill(page.get_by_label("New password", exact=True), "jo rivera nurse password 9")
    jo.fill(page.get_by_label("New password again"), "jo rivera nurse password 9")
    jo.go(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("img", name="QR code to scan")).to_be_visible()
    jo.look()

    from django_otp.plugins.otp_totp.models import TOTPDevice

    nurse_device = TOTPDevice.objects.get(user__username="jrivera")
    jo.go(page.get_by_role("link", name="Sign in"))
    jo.fill(page.get_by_label("Username"), "jrivera")
    jo.fill(page.get_by_label("Password"), "jo rivera nurse password 9")
    code = current_code(nurse_device)
    jo.fill(page.get_by_label("6-digit code from your authenticator app"), code)
    jo.go(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", name="Today's work")).to_be_visible()
    enrolled = f"{jo.clicks} clicks, {jo.loads} page loads, {jo.typed} characters typed"
    site.visit(link, status=410)  # the link works once
    with capsys.disabled():
        print(
            f"\nA manager invites a nurse: {invited} (from the staff home page)"
            f"\nThe nurse enrols and signs in: {enrolled} (from the e-mailed link; the code's scan"
            " not counted)"
        )


def test_the_pause_page_says_until_when_and_a_manager_lifts_it_for_one_person(site, outbox):
    ensure_roles()
    nurse, _device = staff_member("reviewer", username="nina")
    manager, device = staff_member("manager", username="maria")
    page = site.page
    # The sixth sign-in answers 429, the pause page: expected, not a console error.
    site._expected_error_documents.add(site.base_url + "/staff/login/")
    for _ in range(6):
        site.visit("/staff/login/", check=False)
        page.get_by_label("Username").fill("nina")
        page.get_by_label("Password").fill("not the password")
        page.get_by_label("6-digit code from your authenticator app").fill("000000")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign-in paused")).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text("paused until")
    _accessible(site)

    _sign_in(site, manager, device)
    site.visit(f"/staff/auth/user/{nurse.pk}/change/", check=False)
    _accessible(site)
    page.get_by_role("button", name="Lift the sign-in pause").click()
    expect(page.locator(".messagelist")).to_contain_text("they can try again")
    expect(page.locator(".staff-account")).not_to_contain_text("Paused")
    _accessible(site)


@pytest.fixture
def same_person_twice():
    ensure_roles()
    earlier = demo_request_create(3)
    later = demo_request_create(3, first_name="Dee")
    for number in (1, 2):
        demo_request_create(number)
    return earlier, later


def test_a_nurse_finds_a_typo_and_sees_one_persons_earlier_request(site, same_person_twice):
    earlier, later = same_person_twice
    nurse, device = staff_member("reviewer", username="nina")
    page = site.page
    _sign_in(site, nurse, device)
    page.get_by_role("link", name="Open the work queue").click()

    page.get_by_label("Find").fill("Patiant")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#searchbar_helptext")).to_contain_text("Did you mean one of these?")
    expect(page.locator("#toolbar")).to_contain_text("4 found")
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    assert "Patiant" not in page.url
    _accessible(site)

    row = page.locator("#result_list tbody tr", has=page.locator(".queue-earlier"))
    expect(row).to_have_count(1)
    expect(row.locator(".queue-earlier")).to_have_text(f"Earlier requests: {earlier.reference}")
    row.locator(".queue-name").click()
    related = page.locator(".review-related")
    expect(related).to_contain_text("Earlier requests from this person")
    expect(related).to_contain_text("same date of birth and phone")
    expect(related.get_by_role("link", name="Link or merge")).to_have_count(0)
    _accessible(site)
    related.get_by_role("link", name=earlier.reference).click()
    expect(page.locator(".review-related")).to_contain_text(later.reference)

    # A manager's page: the refusal is in the staff frame, with a way back.
    site.visit("/staff/auth/user/", status=403, check=False)
    _accessible(site)
    expect(page.get_by_role("heading", name="Not part of your role")).to_be_visible()
    expect(page.locator("#header")).to_contain_text("Signed in as")
    expect(page.locator(".crisis, .site-crisis")).to_have_count(0)
    page.get_by_role("link", name="Back to today's work").click()
    expect(page.get_by_role("heading", name="Today's work")).to_be_visible()


def test_the_dashboard_reads_at_both_sizes_and_a_printout_keeps_priority_and_says_confidential(
    site, same_person_twice
):
    nurse, device = staff_member("reviewer", username="nina")
    page = site.page
    _sign_in(site, nurse, device)
    page.locator(".dashboard-figure summary").click()
    for size in SIZES:
        page.set_viewport_size(size)
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('.dashboard-chart text')].map(
                t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a
            ))"""
        )
        assert smallest >= 12, (size, smallest)
        header_lines = page.evaluate(
            """() => [...document.querySelectorAll('.dashboard-table thead th')].map(th => {
                const range = document.createRange(); range.selectNodeContents(th);
                return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
            })"""
        )
        assert header_lines == [1, 1, 1], (size, header_lines)
        expect(page.locator(".print-confidential")).to_be_hidden()
    _accessible(site)

    page.set_viewport_size(SIZES[0])
    urgent = demo_request_create(9, asq_wish_dead="yes", asq_thoughts="yes", asq_now="no")
    site.visit(f"/staff/intake/screeningrequest/{urgent.pk}/change/", check=False)
    page.emulate_media(media="print")
    confidential = page.locator(".print-confidential")
    expect(confidential).to_be_visible()
    expect(confidential).to_contain_text("Confidential: patient health information")
    expect(confidential).to_contain_text("Printed by nina")
    badge = page.locator(".review-why .priority-badge")
    expect(badge).to_have_text("Urgent")
    colours = badge.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).borderTopStyle]")
    assert colours == ["rgb(0, 0, 0)", "solid"]
