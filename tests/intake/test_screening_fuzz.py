"""Whatever arrives at the screening form, the answer is never a server error."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form, register_field_strategy

from intake.form_fields import BirthDateField, CheckedTextField
from intake.forms import ScreeningRequestForm
from intake.models import ScreeningRequest

from .screening_support import (
    form_token,
    post_screening,
    step_posts,
    valid_answers,
    walk_to_check,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text fields that check what is typed: any text at all, for the checks to refuse or keep.
register_field_strategy(CheckedTextField, st.text(max_size=300))
# A date of birth written whole (as a date or not); the steps post it in its three boxes.
register_field_strategy(
    BirthDateField, st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12))
)
FIELD_NAMES = list(ScreeningRequestForm().fields)
# Every page a patient posts to: each step, then the check page.
PAGES = [url for url, _ in step_posts({})]
tokens = st.builds(lambda: form_token(seconds_ago=30))
phones = st.sampled_from(["(206) 555-0123", "+1 425 555 0199", "+44 20 7183 8750", "12", "☎"])
any_text = st.text(max_size=300)


def assert_answered_calmly(response) -> None:
    assert response.status_code < 500, response.status_code


def _as_post(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


@FUZZ
@given(form=from_form(ScreeningRequestForm, form_token=tokens, phone=phones))
def test_any_form_hypothesis_builds_gets_an_answer_not_an_error(client, form):
    for url, fields in step_posts(_as_post(dict(form.data))):
        response = client.post(url, fields)
        assert_answered_calmly(response)
        assert response.status_code in {200, 302, 429}


@FUZZ
@given(
    overrides=st.dictionaries(
        st.sampled_from(FIELD_NAMES),
        st.one_of(any_text, st.lists(any_text, max_size=4), st.integers().map(str)),
        max_size=8,
    )
)
def test_a_valid_request_with_any_answers_replaced_never_errors(client, overrides):
    response = post_screening(client, **overrides)

    assert_answered_calmly(response)
    if response.status_code == 200:
        # Rejected answers come back with the error summary, never silently dropped.
        assert BeautifulSoup(response.content, "html.parser").select_one("#error-summary")


@FUZZ
@given(
    data=st.dictionaries(any_text, st.one_of(any_text, st.lists(any_text, max_size=3)), max_size=20)
)
def test_arbitrary_dictionaries_never_error(client, data):
    for url in PAGES:
        assert_answered_calmly(client.post(url, data))


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=nonsense",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/json",
    "text/plain",
    "",
]


@FUZZ
@given(
    body=st.binary(max_size=4000),
    content_type=st.sampled_from(CONTENT_TYPES),
    url=st.sampled_from(PAGES),
)
def test_raw_bodies_never_error(client, body, content_type, url):
    walk_to_check(client)
    response = client.generic("POST", url, body, content_type=content_type)

    assert_answered_calmly(response)


@FUZZ
@given(
    junk=st.binary(min_size=1, max_size=200).filter(lambda b: _not_utf8(b)),
    field=st.sampled_from(["first_name", "current_medicines", "form_token", "peg_pain"]),
)
def test_invalid_utf8_in_any_field_never_errors(client, junk, field):
    from urllib.parse import quote_from_bytes, urlencode

    body = urlencode({k: v for k, v in valid_answers().items() if k != field}, doseq=True)
    body += f"&{field}=" + quote_from_bytes(junk)
    response = client.generic(
        "POST", "/screening/", body.encode(), content_type="application/x-www-form-urlencoded"
    )

    assert_answered_calmly(response)


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def test_raw_invalid_utf8_bytes_in_the_body_never_error(client):
    body = b"first_name=\xff\xfe\xfd&last_name=%C3%28&email=\xc0\xaf@example.org"

    response = client.generic(
        "POST", "/screening/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert ScreeningRequest.objects.count() == 0


def test_an_oversized_post_gets_our_calm_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    body = "current_medicines=" + "x" * 1_200_000

    response = client.generic(
        "POST", "/screening/", body.encode(), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "We could not read what your browser sent" in response.content.decode()


def test_too_many_fields_gets_our_calm_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    body = "&".join(f"f{n}=1" for n in range(1500))

    response = client.generic(
        "POST", "/screening/", body.encode(), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "We could not read what your browser sent" in response.content.decode()


def test_a_huge_single_answer_is_refused_with_a_message_not_stored(client):
    response = post_screening(client, current_medicines="pain " * 1000)

    assert response.status_code == 200
    assert ScreeningRequest.objects.count() == 0
    assert "Please shorten this to 2000 characters or fewer" in response.content.decode()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused_politely(client, method):
    assert getattr(client, method)("/screening/").status_code == 405
