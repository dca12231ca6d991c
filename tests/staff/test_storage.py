"""A copy of the database file reveals no patient data, after staff have worked on a request."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tests.support import run_django

PATIENT = {
    "first_name": "Oriel",
    "last_name": "Vantongeren",
    "email": "oriel.vantongeren@example.net",
    "phone": "(253) 555-0176",
    "current_medicines": "pregabalin 75 mg, quillberry tincture",
}
NOTE = "Spoke with Oriel; prefers the Tuesday slot near Ruston Way."

WORK_ON_A_REQUEST = textwrap.dedent(
    f"""
    import json, os
    from django.test import Client
    from django_otp.oath import totp
    from tests.intake.screening_support import post_screening
    from intake.models import ScreeningRequest
    from intake.staff.accounts import staff_user_create

    patient = Client()
    patient.get("/screening/")
    posted = post_screening(patient, **{PATIENT!r})
    assert posted.status_code == 302, posted.status_code
    request = ScreeningRequest.objects.get()

    user, device = staff_user_create(
        username="manager", password="a long staff password 42", role="manager"
    )
    staff = Client()
    signed_in = staff.post("/staff/login/", {{
        "username": "manager", "password": "a long staff password 42",
        "otp_token": f"{{totp(device.bin_key):06d}}",
    }})
    assert signed_in.status_code == 302, signed_in.content
    url = f"/staff/intake/screeningrequest/{{request.pk}}/change/"
    assert staff.get(url).status_code == 200
    saved = staff.post(url, {{
        "status": "in_review", "assigned_to": "", "new_note": {NOTE!r}, "version": request.version,
    }})
    assert saved.status_code == 302, saved.content
    exported = staff.post("/staff/intake/screeningrequest/", {{
        "action": "export_csv", "_selected_action": [request.pk],
    }})
    assert {PATIENT["last_name"]!r} in exported.content.decode()
    print(json.dumps({{"reference": request.reference}}))
    """
)


def test_the_database_file_holds_no_name_contact_detail_free_text_or_note(tmp_path: Path):
    database = tmp_path / "clinic.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    assert run_django(args=["migrate", "--noinput", "-v0"], env=env).returncode == 0

    worked = run_django(WORK_ON_A_REQUEST, env=env)

    assert worked.returncode == 0, worked.stderr
    reference = json.loads(worked.stdout.strip().splitlines()[-1])["reference"]
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("clinic"))
    assert reference.encode() in raw  # the scan does see what is stored in plain
    secrets = [
        *PATIENT.values(),
        "+12535550176",
        "2535550176",
        "quillberry",
        NOTE,
        "Ruston Way",
    ]
    for secret in secrets:
        for spelling in {secret, secret.lower(), secret.upper()}:
            assert spelling.encode() not in raw, secret
