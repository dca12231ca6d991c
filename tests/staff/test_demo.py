"""`manage.py seed_demo_requests`: a clearly fictitious queue, made through the real service."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from core.models import AuditEvent
from intake.models import InternalNote, ScreeningRequest


def test_the_demo_set_covers_every_priority_and_status_with_fictitious_people():
    call_command("seed_demo_requests", stdout=StringIO())

    requests = list(ScreeningRequest.objects.all())
    assert {r.priority for r in requests} == set(ScreeningRequest.Priority.values)
    assert {r.status for r in requests} == set(ScreeningRequest.Status.values)
    for r in requests:
        assert r.first_name == "Demo"
        assert r.last_name.startswith("Patient ")
        assert r.email.endswith("@example.org")
        assert r.phone.startswith("+120655501")
        assert r.answers["sections"]  # stored the way the form stores a patient's answers
    assert any(r.asq_positive for r in requests)
    assert InternalNote.objects.exists()
    assert AuditEvent.objects.filter(actor_username="demo.reviewer").exists()


def test_running_it_again_adds_nothing():
    call_command("seed_demo_requests", stdout=StringIO())
    count = ScreeningRequest.objects.count()
    out = StringIO()

    call_command("seed_demo_requests", stdout=out)

    assert ScreeningRequest.objects.count() == count
    assert "already there" in out.getvalue()


def test_the_demo_colleague_cannot_sign_in():
    call_command("seed_demo_requests", stdout=StringIO())

    note = InternalNote.objects.select_related("author").first()
    assert not note.author.is_active
    assert not note.author.has_usable_password()
