"""A patient who declined the suicide questions: staff read why the request is urgent."""

from __future__ import annotations

import pytest

from intake.models import ScreeningRequest

from .support import QUEUE, change_url


@pytest.mark.parametrize("item", ["asq_wish_dead", "asq_better_off", "asq_thoughts", "asq_attempt"])
def test_staff_read_declined_the_suicide_questions_in_the_queue(manager_client, make_request, item):
    declined = make_request(**{item: "declined", "asq_now": "no"})

    queue = manager_client.get(QUEUE).content.decode()

    assert "Suicide risk: declined the suicide questions" in queue
    review = manager_client.get(change_url(declined)).content.decode()
    assert "I&#x27;d rather not answer" in review or "I'd rather not answer" in review
    assert ScreeningRequest.objects.get(pk=declined.pk).priority == ScreeningRequest.Priority.URGENT
