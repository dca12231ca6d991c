"""The staff pages speak the clinic's words: none of Django's stock admin texts reach a nurse.

Each page is read as a nurse meets it (visible text, plus the labels a screen reader speaks and
the button captions), through the real admin, signed in as a reviewer or a manager.
"""

from __future__ import annotations

import re
from pathlib import Path

import django
import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from core.models import AuditEvent
from intake.models import ScreeningRequest
from intake.staff.accounts import staff_mfa_enrol
from intake.staff.safety import protocol_current
from pages.models import FaqEntry

from .support import ADMIN, PASSWORD, QUEUE, change_url, review_post, verified_session

AUDIT = "/staff/core/auditevent/"

# Django's own wording, as its admin would show it on these pages.
STOCK_TEXTS = [
    "Action:",
    "Run the selected action",
    "---------",
    "selected",
    "Select all",
    "Clear selection",
    "Click here to select the objects across all pages",
    "Select this object for an action",
    "Select all objects on this page for an action",
    "Filter",
    "By status",
    "By due",
    "By priority",
    "By flag",
    "By action",
    "By occurred at",
    "Show counts",
    "Hide counts",
    "Clear all filters",
    "Any date",
    "Past 7 days",
    "results",
    "total)",
    "Show all",
    "Remove from sorting",
    "Toggle sorting",
    "to change",
    "to view",
    "Welcome,",
    "Log out",
    "Change password",
    "Toggle theme",
    "Breadcrumbs",
    "Delete selected",
    "Delete multiple objects",
    "Are you sure",
    "Yes, I\u2019m sure",
    "No, take me back",
    "Successfully",
    "Summary",
    "Objects",
    "Please correct",
    "Save and continue editing",
    "Date/time",
    "doesn\u2019t have a change history",
    "No action selected",
    "Items must be selected",
    "administration",
    "Password change",
    "Old password",
    "Please enter your old password",
    "Add screening request",
    "Add audit event",
]
# Whole words only, so "Go" is not found in "Google" nor "Close" in "closed".
STOCK_WORDS = ["Go", "Close", "History"]


def _words(response) -> str:
    """What a nurse reads or hears: the text, and the labels, titles and captions."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    spoken = [
        value
        for tag in soup.find_all(True)
        for name in ("aria-label", "title")
        if (value := tag.get(name))
    ]
    captions = [
        tag.get("value", "")
        for tag in soup.find_all("input")
        if tag.get("type") in ("submit", "button")
    ]
    return " ".join([soup.get_text(" "), *spoken, *captions]).replace("\xa0", " ")


def _stock_in(words: str) -> list[str]:
    found = [text for text in STOCK_TEXTS if text in words]
    found += [word for word in STOCK_WORDS if re.search(rf"\b{word}\b", words)]
    return found


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def requests(make_request):
    return [make_request() for _ in range(3)]


def test_the_queue_a_reviewer_sees_has_none_of_the_stock_texts(reviewer_client, requests):
    words = _words(reviewer_client.get(QUEUE))

    assert _stock_in(words) == []
    for ours in ("With the checked rows:", "Apply", "0 of 3 checked", "Show only", "Sign out"):
        assert ours in words, ours
    assert f"Check the row “{requests[0].reference}”" in words


def test_the_queue_a_manager_sees_with_filters_counts_and_pages_has_none_either(
    manager_client, make_request
):
    for _ in range(41):
        make_request()
    first = ScreeningRequest.objects.first()

    filtered = _words(manager_client.get(QUEUE + "?due=today&_facets=True&o=2"))
    paged = _words(manager_client.get(QUEUE))
    manager_client.post(QUEUE + "search/", {"q": first.reference})
    searched = _words(manager_client.get(QUEUE + f"?q={first.reference}"))

    for words in (filtered, paged, searched):
        assert _stock_in(words) == []
    assert "Show the usual list again" in filtered and "Hide the numbers" in filtered
    assert "Check all 41 screening requests" in paged and "Uncheck all" in paged
    assert "Delete the checked screening requests" in paged
    assert "1 found" in searched


def test_the_bulk_delete_confirmation_and_its_message_are_in_our_words(manager_client, requests):
    chosen = {"action": "delete_selected", "_selected_action": [r.pk for r in requests[:2]]}

    confirm = manager_client.post(QUEUE, chosen)
    done = manager_client.post(QUEUE, {**chosen, "post": "yes"}, follow=True)

    words = _words(confirm)
    assert _stock_in(words) == []
    assert "Delete the 2 checked screening requests?" in words
    assert "Yes, delete them" in words and "No, keep them" in words
    assert _messages(done) == ["Deleted 2 screening requests."]
    assert not ScreeningRequest.objects.filter(pk__in=[r.pk for r in requests[:2]]).exists()


def test_the_action_bar_s_warnings_are_in_our_words(manager_client, requests):
    nothing_chosen = manager_client.post(
        QUEUE, {"action": "", "_selected_action": [requests[0].pk]}, follow=True
    )
    nothing_checked = manager_client.post(
        QUEUE, {"action": "assign_to_me", "index": 0}, follow=True
    )

    assert _messages(nothing_chosen) == ["Nothing was done: choose what to do from the list first."]
    assert _messages(nothing_checked) == ["Nothing was done: check the rows to apply it to first."]


def test_the_review_page_its_errors_history_and_delete_page_have_none(manager_client, requests):
    screening_request = requests[0]
    url = change_url(screening_request)

    review = _words(manager_client.get(url))
    refused = _words(review_post(manager_client, screening_request, status="contacted"))
    review_post(manager_client, screening_request, status="in_review")
    history = _words(manager_client.get(url.replace("/change/", "/history/")))
    delete = _words(manager_client.get(url.replace("/change/", "/delete/")))

    for words in (review, refused, history, delete):
        assert _stock_in(words) == []
    assert "Not saved:" in refused
    assert f"Changes to {screening_request.reference}" in history
    assert "Changed the status: New → In review." in history
    assert f"Delete the screening request “{screening_request.reference}”?" in delete


def test_the_audit_trail_and_an_audit_event_have_none(manager_client, requests):
    manager_client.get(QUEUE)
    event = AuditEvent.objects.get()

    trail = _words(manager_client.get(AUDIT))
    one = _words(manager_client.get(f"{AUDIT}{event.pk}/change/"))

    for words in (trail, one):
        assert _stock_in(words) == []
    assert "3 requests in the work queue" in trail
    assert "Back to the list" in one


def test_the_dashboard_protocol_and_password_pages_have_none(manager_client, requests):
    protocol = protocol_current()
    protocol_url = f"/staff/intake/suicideriskprotocol/{protocol.pk}/change/"

    pages = {
        "dashboard": manager_client.get(ADMIN),
        "app": manager_client.get(ADMIN + "intake/"),
        "protocol": manager_client.get(protocol_url),
        "protocol history": manager_client.get(protocol_url.replace("/change/", "/history/")),
        "password": manager_client.get(ADMIN + "password_change/"),
    }

    for name, response in pages.items():
        assert response.status_code == 200, name
        assert _stock_in(_words(response)) == [], name


def test_the_admin_script_counts_checked_rows_in_our_words(manager_client):
    catalogue = manager_client.get(ADMIN + "jsi18n/").content.decode()

    assert "%(sel)s of %(cnt)s checked" in catalogue


def test_the_staff_pages_stay_english_when_the_site_speaks_spanish(manager_client, requests):
    with translation.override("es"):
        words = _words(manager_client.get(QUEUE))

    for spanish in ("Acción", "Filtro", "Buscar", "seleccionados", "Cerrar sesión", "Por "):
        assert spanish not in words, spanish
    assert "With the checked rows:" in words


def test_the_faq_admin_editors_use_has_none():
    editor = get_user_model().objects.create_superuser("editor", "e@example.org", PASSWORD)
    client = verified_session(Client(), editor, staff_mfa_enrol(user=editor))
    entry = FaqEntry.objects.first()
    faq = "/staff/pages/faqentry/"

    pages = {
        "list": client.get(faq),
        "edit": client.get(f"{faq}{entry.pk}/change/"),
        "new": client.get(f"{faq}add/"),
        "delete": client.post(faq, {"action": "delete_selected", "_selected_action": [entry.pk]}),
    }

    for name, response in pages.items():
        assert response.status_code == 200, name
        words = _words(response)
        assert _stock_in(words) == [], name
        assert "Hold down “Control”" not in words, name
        assert "Add FAQ entry" not in words and "Change FAQ entry" not in words, name


# --- The English catalogue that rewords Django's admin --------------------------------------

OURS = Path(settings.LOCALE_PATHS[0])
DJANGO = Path(django.__file__).parent


def _msgids(path: Path) -> set[tuple[str, str]]:
    return {(entry.msgid, entry.msgid_plural) for entry in polib.pofile(str(path))}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_text_the_catalogue_rewords_is_one_django_still_uses(domain):
    # A Django upgrade that rewords a text of its own would silently bring its words back.
    django_texts = set().union(
        *(
            _msgids(DJANGO / app / "locale/en/LC_MESSAGES" / f"{domain}.po")
            for app in ("contrib/admin", "contrib/auth")
            if (DJANGO / app / "locale/en/LC_MESSAGES" / f"{domain}.po").exists()
        )
    )
    ours = _msgids(OURS / "en/LC_MESSAGES" / f"{domain}.po")

    assert ours and ours <= django_texts, sorted(ours - django_texts)


def test_the_catalogue_rewords_no_text_of_the_public_pages():
    # The English catalogue applies to every English page: a text our own code uses (every one
    # is in the Spanish catalogue) stays as written.
    ours = {msgid for msgid, _ in _msgids(OURS / "en/LC_MESSAGES/django.po")}
    public = {msgid for msgid, _ in _msgids(OURS / "es/LC_MESSAGES/django.po")}

    assert ours and not ours & public, sorted(ours & public)
