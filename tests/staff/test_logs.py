"""Logs never say how pressing a patient's answers were next to their reference code."""

from __future__ import annotations

import logging

from intake.models import ScreeningRequest
from intake.services import screening_notice_send

from .support import QUEUE, change_url, review_post

PRESSING_WORDS = ["acute", "urgent", "suicide", "call now", "priority", "crisis", "asq"]


def test_no_log_line_pairs_a_reference_with_its_priority(
    reviewer_client, make_request, caplog, settings
):
    caplog.set_level(logging.DEBUG)
    acute = make_request(asq_wish_dead="yes", asq_now="yes")
    screening_notice_send(screening_request_id=acute.pk)
    settings.EMAIL_BACKEND = "intake.tests_do_not_exist.Backend"  # a notice that fails
    screening_notice_send(screening_request_id=acute.pk)
    reviewer_client.get(QUEUE)
    reviewer_client.get(change_url(acute))
    review_post(reviewer_client, acute, status=ScreeningRequest.Status.IN_REVIEW)

    assert any(acute.reference in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        message = record.getMessage().lower()
        if acute.reference.lower() in message:
            assert not [word for word in PRESSING_WORDS if word in message], message
