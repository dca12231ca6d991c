"""One person's requests: found through the blind indexes (across a key rotation too), shown on
the queue row and the review page, linked or merged by a manager (audited); never told to the
patient."""

from __future__ import annotations

import importlib
import re

import pytest
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.core import mail
from django.urls import reverse

from core.models import AuditEvent
from intake.models import RequestLink, ScreeningRequest
from intake.staff import duplicates
from intake.staff.keys import encryption_keys_rotate
from tests.intake.screening_support import run_queued_tasks

from .support import QUEUE, change_url

pytestmark = pytest.mark.django_db

Status = ScreeningRequest.Status
BORN = "1971-05-09"

# For each way of matching, what the later request shares with the earlier one (besides the birth
# date): the rest differs.
SHARED = {
    "phone_index": {"phone": "(206) 555-0177"},
    "email_index": {"email": "same.person@example.org"},
    "name_birth_index": {"last_name": "O'Neill"},
}
DIFFERENT = {"phone": "(206) 555-0166", "email": "other@example.org", "last_name": "Baker"}


def _same_person_url(kept, other) -> str:
    return reverse("admin:intake_screeningrequest_same_person", args=[kept.pk, other.pk])


def _earlier_on_queue_row(page: str, screening_request) -> list[str]:
    row = page[page.index(screening_request.reference) :]
    row = row[: row.index("</tr>")]
    match = re.search(r'<p class="queue-earlier">Earlier requests: (.*?)</p>', row)
    return re.findall(r">([A-Z0-9]{4}-[A-Z0-9]{4})</a>", match.group(1)) if match else []


def test_every_way_of_matching_finds_the_earlier_request_and_nothing_else_does(make_request):
    assert set(SHARED) == {name for name, _words in duplicates.MATCH_WAYS}
    for name, shared in SHARED.items():
        earlier = make_request(date_of_birth=BORN, **{**DIFFERENT, **shared})
        later = make_request(date_of_birth=BORN, **{**DIFFERENT, **shared, "first_name": "Sam"})
        # Same phone, e-mail and surname but another birth date: not the same person.
        make_request(date_of_birth="1971-05-10", **{**DIFFERENT, **shared})

        related = [r for r in duplicates.related_requests(later) if r.earlier]

        words = dict(duplicates.MATCH_WAYS)[name]
        assert [r.reference for r in related if words in r.why] == [earlier.reference], name
        ScreeningRequest.objects.all().delete()


def test_no_shared_detail_but_the_birth_date_is_no_match(make_request):
    make_request(date_of_birth=BORN, **DIFFERENT)
    other = make_request(
        date_of_birth=BORN, phone="(206) 555-0155", email="x@example.org", last_name="Cole"
    )

    assert duplicates.related_requests(other) == []


def test_the_queue_row_and_the_review_page_show_earlier_requests_with_links(
    reviewer_client, make_request
):
    earlier = make_request(date_of_birth=BORN, **{**DIFFERENT, **SHARED["phone_index"]})
    later = make_request(date_of_birth=BORN, **SHARED["phone_index"], last_name="Newman")
    alone = make_request(date_of_birth="1990-01-01")

    page = reviewer_client.get(QUEUE).content.decode()
    assert _earlier_on_queue_row(page, later) == [earlier.reference]
    assert _earlier_on_queue_row(page, earlier) == []
    assert _earlier_on_queue_row(page, alone) == []

    review = reviewer_client.get(change_url(later)).content.decode()
    assert "Earlier requests" in review
    assert f'href="{change_url(earlier)}"' in review
    assert "same date of birth and phone" in review
    # A reviewer sees them; only a manager links or merges.
    assert "Link or merge" not in review
    assert reviewer_client.get(_same_person_url(later, earlier)).status_code == 403

    back = reviewer_client.get(change_url(earlier)).content.decode()
    assert f'href="{change_url(later)}"' in back
    assert "later," in back


def test_a_manager_links_two_requests_as_one_person_and_it_is_audited(manager_client, make_request):
    earlier = make_request(date_of_birth=BORN, **SHARED["email_index"])
    later = make_request(date_of_birth=BORN, **SHARED["email_index"], last_name="Other")

    page = manager_client.get(change_url(later)).content.decode()
    assert f'href="{_same_person_url(later, earlier)}"' in page
    compare = manager_client.get(_same_person_url(later, earlier))
    assert compare.status_code == 200
    assert "same date of birth and e-mail" in compare.content.decode()
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    assert {earlier.reference, later.reference} <= set(views.values_list("reference", flat=True))

    response = manager_client.post(_same_person_url(later, earlier), {"link": "1"})

    assert response.status_code == 302
    link = RequestLink.objects.get()
    assert (link.kept, link.other, link.kind) == (later, earlier, RequestLink.Kind.SAME_PERSON)
    events = AuditEvent.objects.filter(action=AuditEvent.Action.LINK)
    assert set(events.values_list("reference", flat=True)) == {earlier.reference, later.reference}
    assert all(later.reference in e.detail and earlier.reference in e.detail for e in events)
    earlier.refresh_from_db()
    assert earlier.status == Status.NEW  # a link changes neither request
    assert "confirmed: same person" in manager_client.get(change_url(earlier)).content.decode()


def test_a_manager_merges_the_other_request_into_this_one(manager_client, make_request):
    earlier = make_request(date_of_birth=BORN, **SHARED["name_birth_index"])
    later = make_request(date_of_birth=BORN, **SHARED["name_birth_index"], phone="2065550100")

    manager_client.post(_same_person_url(later, earlier), {"merge": "1"})

    earlier.refresh_from_db()
    assert earlier.status == Status.CLOSED
    assert RequestLink.objects.get().kind == RequestLink.Kind.MERGED
    assert "merged into this request" in manager_client.get(change_url(later)).content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CHANGE, reference=earlier.reference, detail__contains="Closed"
    ).exists()
    # Merged once is merged: a second try is refused in words.
    again = manager_client.post(_same_person_url(later, earlier), {"merge": "1"}, follow=True)
    assert "merged already" in again.content.decode()


def test_a_merge_that_would_close_a_positive_screen_without_the_protocol_is_refused(
    manager_client, make_request
):
    urgent = {"asq_wish_dead": "yes", "asq_thoughts": "yes", "asq_now": "no"}
    earlier = make_request(date_of_birth=BORN, **SHARED["phone_index"], **urgent)
    later = make_request(date_of_birth=BORN, **SHARED["phone_index"])

    response = manager_client.post(_same_person_url(later, earlier), {"merge": "1"}, follow=True)

    earlier.refresh_from_db()
    assert earlier.status == Status.NEW
    assert not RequestLink.objects.exists()
    assert "protocol" in response.content.decode().lower()


def test_the_patient_is_never_told_of_an_earlier_request(client, settings, make_request):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    earlier = make_request(date_of_birth=BORN, **SHARED["email_index"])
    later = make_request(date_of_birth=BORN, **SHARED["email_index"], email_receipt="on")
    run_queued_tasks()

    to_patient = [m for m in mail.outbox if SHARED["email_index"]["email"] in m.to]
    assert to_patient  # the receipt went out...
    for message in to_patient:  # ...saying nothing of the earlier request
        assert earlier.reference not in message.body
        assert "earlier" not in message.body.lower()
    assert later.reference


def test_a_duplicate_is_found_across_a_blind_index_key_rotation(settings, make_request):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    settings.BLIND_INDEX_KEY = "the blind index key before rotation"
    earlier = make_request(date_of_birth=BORN, **SHARED["phone_index"])
    before = ScreeningRequest.objects.get(pk=earlier.pk).birth_index

    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    settings.BLIND_INDEX_KEY = "the blind index key after rotation"
    result = encryption_keys_rotate()
    later = make_request(date_of_birth=BORN, **SHARED["phone_index"], last_name="Changed")

    assert result.blind_indexes_changed == 1
    assert ScreeningRequest.objects.get(pk=earlier.pk).birth_index != before
    assert [r.reference for r in duplicates.related_requests(later)] == [earlier.reference]


def test_requests_stored_before_the_new_indexes_get_them_from_the_migration(make_request):
    earlier = make_request(date_of_birth=BORN, **SHARED["phone_index"])
    filled = ScreeningRequest.objects.filter(pk=earlier.pk).values().get()
    ScreeningRequest.objects.filter(pk=earlier.pk).update(
        birth_index="", phone_tail_index="", surname_sound_index="", surname_sound_alt_index=""
    )
    later = make_request(date_of_birth=BORN, **SHARED["phone_index"])
    assert duplicates.related_requests(later) == []

    migration = importlib.import_module("intake.migrations.0011_duplicates_sounds_enrolment")
    migration.fill_new_search_indexes(django_apps, None)

    assert ScreeningRequest.objects.filter(pk=earlier.pk).values().get() == filled
    assert [r.reference for r in duplicates.related_requests(later)] == [earlier.reference]


@pytest.mark.parametrize("spelling", ["GOMEZ-PATIENT", "gómez patient", "Gomez Patient"])
def test_the_same_surname_typed_with_or_without_accents_and_hyphens_is_one_person(
    make_request, spelling
):
    earlier = make_request(date_of_birth=BORN, **{**DIFFERENT, "last_name": "Gómez-Patient"})
    later = make_request(date_of_birth=BORN, **{**DIFFERENT, "last_name": spelling})

    [related] = duplicates.related_requests(later)
    assert related.reference == earlier.reference
    assert "same date of birth and surname" in related.why


def test_requests_stored_before_surnames_were_unaccented_get_their_indexes_again(make_request):
    earlier = make_request(date_of_birth=BORN, **{**DIFFERENT, "last_name": "Gómez-Patient"})
    filled = ScreeningRequest.objects.filter(pk=earlier.pk).values().get()
    ScreeningRequest.objects.filter(pk=earlier.pk).update(
        name_birth_index="stale",
        surname_first_part_sound_index="",
        surname_second_part_sound_index="",
    )

    migration = importlib.import_module("intake.migrations.0013_surnames_by_each_word")
    migration.indexes_again(django_apps, None)

    assert ScreeningRequest.objects.filter(pk=earlier.pk).values().get() == filled
