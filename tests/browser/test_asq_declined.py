"""In a real browser: "I'd rather not answer" on a suicide-risk question brings the crisis message
at once, in its own words, and the follow-up question."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_screening import _to_health, do

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _screening_settings(settings):
    settings.SCREENING_MIN_FILL_SECONDS = 0


def test_declining_shows_its_own_crisis_words_at_once(site):
    _to_health(site)
    page = site.page
    crisis = page.locator("#crisis-alert")
    right_now = page.locator("#id_asq_now_group")

    do(page, ("tap", "asq_thoughts", "declined"))

    expect(crisis).to_contain_text("You chose not to answer some of the questions about suicide.")
    expect(crisis).to_be_in_viewport()
    assert right_now.is_visible()
    site.assert_accessible()

    do(page, ("tap", "asq_thoughts", "yes"))  # a yes after all: the words for a yes
    expect(crisis).to_contain_text("Thank you for telling us.")

    do(page, ("tap", "asq_thoughts", "no"))
    assert not crisis.is_visible()
    assert not right_now.is_visible()
