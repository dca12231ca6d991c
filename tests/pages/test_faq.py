"""The FAQ: seeded with the seed page's questions, safe formatting, kept by staff in the admin."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from pages.models import FaqEntry, Reference
from pages.safe_html import clean_answer_html

from .content_helpers import of_type, soup_of

pytestmark = pytest.mark.django_db

FAQ_URL = "/faq/"


@pytest.fixture
def staff_client(client, django_user_model):
    """A signed-in superuser, with a verified second factor when the admin asks for one."""
    user = django_user_model.objects.create_superuser(
        "content-editor", "editor@example.org", "a-long-test-password"
    )
    client.force_login(user)
    if apps.is_installed("django_otp"):
        # django-otp's documented test approach: mark the session as verified by a device.
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test device", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def visitor():
    """An anonymous visitor with a handler (and page store) of its own, like another worker."""
    return Client()


def faq_questions(client) -> list[str]:
    soup = soup_of(client.get(FAQ_URL))
    return [summary.get_text(strip=True) for summary in soup.select("main details summary")]


# --- Seeded content -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "topic",
    [
        "acute pain and chronic pain",
        "treatments",
        "addiction",
        "safe",
        "who should give",
        "bladder",
        "after my first course",
    ],
)
def test_faq_is_seeded_with_every_question_the_original_page_answered(topic):
    matching = FaqEntry.objects.filter(published=True, question__icontains=topic)

    assert matching.count() == 1, topic
    assert matching.get().references.exists(), f"{topic}: answer has no sources"


def test_seeded_addiction_answer_gives_the_corrected_opioid_figures():
    entry = FaqEntry.objects.get(question__icontains="addiction")

    assert "47,600" in entry.answer and "130" in entry.answer
    assert "115" not in entry.answer
    assert set(entry.references.values_list("key", flat=True)) >= {"scholl-2019"}


def test_seeded_bladder_answer_places_the_risk_with_heavy_non_medical_use():
    entry = FaqEntry.objects.get(question__icontains="bladder")

    assert "outside of medical care" in entry.answer
    assert list(entry.references.values_list("key", flat=True)) == ["niesters-2014"]


# --- The page -------------------------------------------------------------------------------------


def test_faq_page_shows_each_published_entry_as_a_disclosure_in_order(client):
    FaqEntry.objects.filter(question__icontains="bladder").update(order=1)

    questions = faq_questions(client)

    assert len(questions) == FaqEntry.objects.filter(published=True).count() == 10
    assert "bladder" in questions[0]
    soup = soup_of(client.get(FAQ_URL))
    for details in soup.select("main details"):
        assert details.find("summary") is details.find()  # the summary comes first
        assert "open" not in details.attrs


def test_faq_answers_list_their_sources_in_the_page_reference_list(client):
    soup = soup_of(client.get(FAQ_URL))

    cited = {a["href"] for a in soup.select("details sup.cite a")}
    listed = {f"#{li['id']}" for li in soup.select(".sources__list li")}
    assert cited == listed
    assert "Scholl L" in soup.select_one(".sources").get_text()


def test_unpublished_entries_stay_off_the_page_and_out_of_structured_data(client):
    FaqEntry.objects.filter(question__icontains="bladder").update(published=False)

    response = client.get(FAQ_URL)

    assert not any("bladder" in q for q in faq_questions(client))
    names = [q["name"] for q in of_type(response, "FAQPage")["mainEntity"]]
    assert len(names) == 9 and not any("bladder" in n for n in names)


def test_faq_page_structured_data_matches_the_visible_questions(client):
    response = client.get(FAQ_URL)

    faq = of_type(response, "FAQPage")
    assert [q["name"] for q in faq["mainEntity"]] == faq_questions(client)
    for question in faq["mainEntity"]:
        assert question["@type"] == "Question"
        assert question["acceptedAnswer"]["@type"] == "Answer"
        assert question["acceptedAnswer"]["text"].startswith("<p>")
    assert faq["dateModified"] == "2026-11-25"
    assert "lastReviewed" not in faq and "reviewedBy" not in faq


def test_faq_page_is_as_recent_as_its_least_recently_reviewed_answer(client):
    FaqEntry.objects.filter(question__icontains="bladder").update(
        last_reviewed=datetime.date(2025, 3, 4)
    )

    response = client.get(FAQ_URL)

    assert of_type(response, "FAQPage")["dateModified"] == "2025-03-04"
    assert "March 4, 2025" in soup_of(response).select_one(".page-review").get_text()


# --- Safe formatting ------------------------------------------------------------------------------


def test_answer_keeps_simple_formatting_and_links():
    html = (
        "<p>Read <strong>this</strong> and <em>that</em>.</p><ul><li>One</li></ul><ol><li>Two"
        '</li></ol><p><a href="https://example.org/x">a link</a> '
        '<a href="mailto:care@example.org">mail</a></p>'
    )

    cleaned = str(clean_answer_html(html))

    for kept in ("<strong>this</strong>", "<em>that</em>", "<ul><li>One</li></ul>", "<ol>"):
        assert kept in cleaned
    assert '<a href="https://example.org/x">a link</a>' in cleaned
    assert '<a href="mailto:care@example.org">mail</a>' in cleaned


@pytest.mark.parametrize(
    ("dangerous", "gone"),
    [
        ("<p>Hi<script>alert(1)</script></p>", ["<script", "alert(1)"]),
        ('<p onclick="steal()">Hi</p>', ["onclick", "steal"]),
        ('<p style="display:none">Hi</p>', ["style", "display"]),
        ("<style>p { color: red }</style><p>Hi</p>", ["<style", "color"]),
        ('<a href="javascript:alert(1)">Hi</a>', ["javascript"]),
        ('<img src="x" onerror="steal()"><p>Hi</p>', ["<img", "onerror"]),
        ('<iframe src="https://evil.example"></iframe><p>Hi</p>', ["<iframe", "evil"]),
        ('<a href="https://example.org" target="_blank" class="x">Hi</a>', ["target", "class"]),
    ],
)
def test_answer_loses_scripts_styles_handlers_and_unknown_tags(dangerous, gone):
    cleaned = str(clean_answer_html(dangerous))

    assert "Hi" in cleaned
    for fragment in gone:
        assert fragment not in cleaned


def test_a_script_typed_into_an_answer_never_reaches_the_page(client):
    entry = FaqEntry.objects.order_by("order").first()
    entry.answer = '<p onclick="steal()">Plain answer.</p><script>steal()</script>'
    entry.save()

    body = client.get(FAQ_URL).content.decode()

    assert "Plain answer." in body
    assert "steal()" not in body


def test_an_answer_cannot_break_out_of_the_structured_data_block(client):
    entry = FaqEntry.objects.order_by("order").first()
    entry.question = "Is </script><script>alert(1)</script> handled?"
    entry.save()

    response = client.get(FAQ_URL)

    assert b"</script><script>alert(1)" not in response.content
    names = [q["name"] for q in of_type(response, "FAQPage")["mainEntity"]]
    assert names[0] == "Is </script><script>alert(1)</script> handled?"


# --- Staff editing through the admin --------------------------------------------------------------


def test_staff_see_the_entries_with_order_published_and_sources_in_the_admin_list(staff_client):
    response = staff_client.get(reverse("admin:pages_faqentry_changelist"))

    assert response.status_code == 200
    soup = soup_of(response)
    assert len(soup.select("#result_list tbody tr")) == 10
    assert len(soup.select('#result_list input[name$="-order"]')) == 10
    assert len(soup.select('#result_list input[name$="-published"]')) == 10
    headers = [th.get_text(strip=True) for th in soup.select("#result_list thead th")]
    assert "Sources" in headers
    actions = [o["value"] for o in soup.select('select[name="action"] option')]
    assert {"publish", "unpublish"} <= set(actions)


def change_form_data(entry: FaqEntry, **changes) -> dict:
    data = {
        "question": entry.question,
        "answer": entry.answer,
        "references": [str(pk) for pk in entry.references.values_list("pk", flat=True)],
        "last_reviewed": entry.last_reviewed.isoformat(),
        "order": str(entry.order),
        "published": "on" if entry.published else "",
        "_save": "Save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_an_answer_edited_in_the_admin_shows_on_the_faq_page_at_once(staff_client, visitor):
    entry = FaqEntry.objects.get(question__icontains="after my first course")
    assert "Boosters are planned together." not in visitor.get(FAQ_URL).content.decode()

    response = staff_client.post(
        reverse("admin:pages_faqentry_change", args=[entry.pk]),
        change_form_data(entry, answer="<p>Boosters are planned together.</p>"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Boosters are planned together." in visitor.get(FAQ_URL).content.decode()


def test_an_entry_added_in_the_admin_shows_with_its_sources(staff_client, visitor):
    visitor.get(FAQ_URL)  # the page is now cached at the current content version
    hoy = Reference.objects.get(key="hoy-2014")

    response = staff_client.post(
        reverse("admin:pages_faqentry_add"),
        {
            "question": "Is back pain a common cause of disability?",
            "answer": "<p>Yes. Low back pain is the leading cause worldwide.</p>",
            "references": [str(hoy.pk)],
            "last_reviewed": "2026-11-25",
            "order": "5",
            "published": "on",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    soup = soup_of(visitor.get(FAQ_URL))
    assert soup.select("main details summary")[0].get_text(strip=True).startswith("Is back pain")
    assert "Hoy D" in soup.select_one(".sources").get_text()


def test_admin_list_reorders_and_unpublishes_entries_in_place(staff_client, visitor):
    visitor.get(FAQ_URL)
    entries = list(FaqEntry.objects.order_by("order"))
    first, last = entries[0], entries[-1]
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(first.pk),
        "form-0-order": "999",
        "form-0-published": "on",
        "form-1-id": str(last.pk),
        "form-1-order": str(last.order),
        "_save": "Save",
    }

    response = staff_client.post(reverse("admin:pages_faqentry_changelist"), data)

    assert response.status_code == 302
    questions = faq_questions(visitor)
    assert questions[-1] == first.question
    assert last.question not in questions


@pytest.mark.parametrize(("action", "published"), [("unpublish", False), ("publish", True)])
def test_publish_and_unpublish_actions_show_at_once(staff_client, visitor, action, published):
    entry = FaqEntry.objects.get(question__icontains="bladder")
    FaqEntry.objects.filter(pk=entry.pk).update(published=not published)
    visitor.get(FAQ_URL)

    response = staff_client.post(
        reverse("admin:pages_faqentry_changelist"),
        {"action": action, "_selected_action": [str(entry.pk)], "index": "0"},
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.published is published
    assert (entry.question in faq_questions(visitor)) is published


def test_an_entry_deleted_in_the_admin_leaves_the_page_at_once(staff_client, visitor):
    entry = FaqEntry.objects.get(question__icontains="bladder")
    visitor.get(FAQ_URL)

    response = staff_client.post(
        reverse("admin:pages_faqentry_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert entry.question not in faq_questions(visitor)


def test_entries_deleted_in_bulk_leave_the_page_at_once(staff_client, visitor):
    entries = list(FaqEntry.objects.filter(question__icontains="ketamine"))
    visitor.get(FAQ_URL)

    response = staff_client.post(
        reverse("admin:pages_faqentry_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(e.pk) for e in entries],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    remaining = faq_questions(visitor)
    assert remaining and not any(e.question in remaining for e in entries)


def test_a_reference_corrected_in_the_admin_shows_on_citing_pages_at_once(staff_client, visitor):
    reference = Reference.objects.get(key="niesters-2014")
    visitor.get("/ketamine-for-chronic-pain/")

    response = staff_client.post(
        reverse("admin:pages_reference_change", args=[reference.pk]),
        {
            "key": reference.key,
            "authors": reference.authors,
            "title": "Ketamine for chronic pain: risks and benefits (corrected)",
            "journal": reference.journal,
            "year": str(reference.year),
            "volume": reference.volume,
            "pages": reference.pages,
            "doi": reference.doi,
            "pmid": reference.pmid,
            "pmcid": reference.pmcid,
            "url": "",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    assert (
        "risks and benefits (corrected)"
        in visitor.get("/ketamine-for-chronic-pain/").content.decode()
    )


def test_admin_refuses_an_invalid_doi_and_keeps_the_reference_as_it_was(staff_client):
    reference = Reference.objects.get(key="hoy-2014")

    response = staff_client.post(
        reverse("admin:pages_reference_change", args=[reference.pk]),
        {
            "key": reference.key,
            "authors": reference.authors,
            "title": reference.title,
            "journal": reference.journal,
            "year": str(reference.year),
            "doi": "https://doi.org/10.1136/x",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert "A DOI starts with 10." in response.content.decode()
    reference.refresh_from_db()
    assert reference.doi == "10.1136/annrheumdis-2013-204428"
