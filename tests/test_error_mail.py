"""Server errors reach ADMINS by e-mail without the request's data."""

from __future__ import annotations

import logging

from django.core import mail
from django.test import override_settings


@override_settings(ADMINS=[("ops@example.org", "ops@example.org")])
def test_a_server_error_is_mailed_to_admins_without_the_exception_message_or_request():
    stored_value = "Rivera 1980-03-27 patient@example.org"
    try:
        raise ValueError(stored_value)
    except ValueError:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", "/screening/check/", exc_info=True
        )

    (message,) = mail.outbox
    assert message.to == ["ops@example.org"]
    assert "Internal Server Error: /screening/check/" in message.subject
    assert "builtins.ValueError" in message.body and "test_error_mail.py" in message.body
    assert "Rivera" not in message.body + message.subject
    assert "patient@example.org" not in message.body


def test_without_admins_nothing_is_mailed():
    logging.getLogger("django.request").error("Internal Server Error: /faq/")

    assert mail.outbox == []
