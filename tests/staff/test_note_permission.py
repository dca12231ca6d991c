"""Only staff allowed to add internal notes can add one through the review page."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from intake.models import InternalNote

from .support import ROLES_MIGRATION, change_url, review_post


def test_someone_who_may_change_requests_but_not_add_notes_cannot_add_one(
    reviewer_client, reviewer, make_request
):
    user, _device = reviewer
    without_notes = Group.objects.create(name="Changes without notes")
    without_notes.permissions.set(
        Permission.objects.filter(
            content_type__app_label="intake",
            codename__in=[c for c in ROLES_MIGRATION.REVIEWER if c != "add_internalnote"],
        )
    )
    user.groups.set([without_notes])
    screening_request = make_request()

    page = reviewer_client.get(change_url(screening_request)).content.decode()
    response = review_post(reviewer_client, screening_request, new_note="Posted anyway.")

    assert 'name="new_note"' not in page
    assert response.status_code == 302
    assert not InternalNote.objects.exists()
