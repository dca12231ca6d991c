"""The screening form's one-time token: its shape, its signature and its age limits."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import signing
from hypothesis import example, given
from hypothesis import strategies as st

from intake import form_token
from intake.form_token import (
    SIGNING_SALT,
    TOKEN_MAX_AGE,
    FormToken,
    TokenProblem,
    form_token_issue,
    form_token_read,
)

NOW = 1_780_000_000.0
ID = "a" * 24


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(form_token, "time", SimpleNamespace(time=lambda: NOW))


def _problem(value: str) -> str:
    with pytest.raises(TokenProblem) as raised:
        form_token_read(value)
    assert str(raised.value) == raised.value.code
    return raised.value.code


@given(st.floats(min_value=NOW - 3600, max_value=NOW))
# A moment whose milliseconds, multiplied out, round up to the next whole one.
@example(1779996668.5279999)
def test_a_token_is_never_served_later_than_the_form(served_at):
    # A later time would make a form sent at once look sent before it was served.
    served = form_token_read(form_token_issue(served_at=served_at, token_id=ID)).served_at

    assert 0 <= served_at - served < 0.0011


def test_a_token_reads_back_its_id_and_the_time_it_was_served():
    token = form_token_issue(served_at=NOW - 30.12345, token_id=ID)

    assert form_token_read(token) == FormToken(token_id=ID, served_at=NOW - 30.124)
    assert isinstance(form_token_read(token).served_at, float)


def test_without_arguments_a_token_is_served_now_with_a_fresh_random_id():
    first, second = form_token_issue(), form_token_issue()
    read = form_token_read(first)

    assert read.served_at == NOW
    assert len(read.token_id) == 24
    assert read.token_id != form_token_read(second).token_id
    assert form_token_read(form_token_issue(token_id="")).token_id != ""


def test_a_time_of_zero_is_a_time_not_a_missing_one():
    payload = signing.loads(form_token_issue(served_at=0.0, token_id=ID), salt=SIGNING_SALT)

    assert payload == {"id": ID, "t": 0.0}


@pytest.mark.parametrize(
    ("age", "problem"),
    [
        (TOKEN_MAX_AGE.total_seconds(), None),  # exactly three days: still good
        (TOKEN_MAX_AGE.total_seconds() + 1, "expired"),
        (-59, None),  # a clock a little behind ours
        (-60, None),
        (-61, "invalid"),  # served in the future: not ours
    ],
)
def test_age_limits_at_their_boundaries(age, problem):
    token = form_token_issue(served_at=NOW - age, token_id=ID)

    if problem is None:
        assert form_token_read(token).token_id == ID
    else:
        assert _problem(token) == problem


@pytest.mark.parametrize(
    "payload",
    [
        ["not", "a", "dict"],
        {"t": NOW},
        {"id": 12345678901234567, "t": NOW},
        {"id": "a" * 15, "t": NOW},
        {"id": "a" * 65, "t": NOW},
        {"id": ID},
        {"id": ID, "t": str(NOW)},
    ],
)
def test_a_signed_token_of_the_wrong_shape_is_invalid(payload):
    assert _problem(signing.dumps(payload, salt=SIGNING_SALT)) == "invalid"


@pytest.mark.parametrize("length", [16, 64])
def test_ids_of_sixteen_to_sixty_four_characters_are_accepted(length):
    token = signing.dumps({"id": "b" * length, "t": int(NOW)}, salt=SIGNING_SALT)

    assert form_token_read(token) == FormToken(token_id="b" * length, served_at=NOW)


def test_a_forged_or_foreign_token_is_invalid():
    genuine = form_token_issue(token_id=ID)

    assert _problem(genuine[:-2] + "xx") == "invalid"
    assert _problem(signing.dumps({"id": ID, "t": NOW}, salt="another.form")) == "invalid"
    assert _problem("") == "invalid"


def test_a_token_lasts_three_days():
    assert TOKEN_MAX_AGE.total_seconds() == 3 * 24 * 3600
    token = form_token_issue(served_at=NOW - 259_201, token_id=ID)

    assert _problem(token) == "expired"


def test_a_read_token_cannot_be_changed():
    import dataclasses

    read = form_token_read(form_token_issue(token_id=ID))

    with pytest.raises(dataclasses.FrozenInstanceError):
        read.token_id = "another"  # type: ignore[misc]
