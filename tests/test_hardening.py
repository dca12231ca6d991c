"""What a bare app server got wrong in the security review: bodies, charsets, the health check."""

from __future__ import annotations

from encodings.aliases import aliases

import pytest
from django.db import connection
from django.templatetags.static import static
from django.test import Client
from django.utils import translation

from intake.models import ScreeningRequest
from tests.test_headers import assert_baseline_headers

pytestmark = pytest.mark.django_db

LATIN_1_FORM = "application/x-www-form-urlencoded; charset=latin-1"


def csrf_client(path: str = "/screening/") -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.get(path)
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize("path", ["/screening/", "/staff/login/"])
def test_a_post_in_another_charset_is_a_styled_400_with_the_security_headers(path):
    client, token = csrf_client()

    response = client.generic(
        "POST",
        path,
        f"first_name=J%E9&csrfmiddlewaretoken={token}".encode(),
        content_type=LATIN_1_FORM,
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 400
    assert "We could not read what your browser sent" in response.content.decode()
    assert_baseline_headers(response.headers)


# Every spelling Python's codecs read as UTF-8, and one codec of every other kind they know.
UTF_8_SPELLINGS = sorted(
    {name for name, codec in aliases.items() if codec == "utf_8"} | {"utf-8", "UTF8", "Utf_8 "}
)
OTHER_CHARSETS = sorted(
    {codec for codec in aliases.values() if codec != "utf_8"}
    | {"utf-8-sig", "utf-16", "no-such-charset"}
)
EVERY_KIND_OF_PAGE = ["/screening/", "/es/screening/", "/screening/pain/", "/staff/login/", "/faq/"]


@pytest.mark.parametrize("path", EVERY_KIND_OF_PAGE)
def test_every_spelling_of_utf_8_is_read_as_utf_8_never_a_500(path):
    client, token = csrf_client()
    client.raise_request_exception = False
    for charset in UTF_8_SPELLINGS:
        response = client.generic(
            "POST",
            path,
            f"zip_code=9810%C3%A9&username=x&password=y&csrfmiddlewaretoken={token}".encode(),
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
        )

        assert response.status_code in {200, 302, 405}, charset
        if path.endswith("/screening/"):
            # The form came back with what was typed, decoded as UTF-8.
            assert 'value="9810é"' in response.content.decode(), charset


@pytest.mark.parametrize("path", EVERY_KIND_OF_PAGE)
def test_every_other_charset_is_the_styled_400_never_a_500(path):
    client, token = csrf_client()
    client.raise_request_exception = False
    for charset in OTHER_CHARSETS:
        response = client.generic(
            "POST",
            path,
            f"zip_code=98101&csrfmiddlewaretoken={token}".encode(),
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
        )

        assert response.status_code == 400, charset
        assert ("No pudimos leer" if path.startswith("/es/") else "We could not read") in (
            response.content.decode()
        ), charset
        assert_baseline_headers(response.headers)


def test_a_request_django_finds_malformed_gets_the_styled_400_without_its_body_read(rf):
    from django.core.exceptions import BadRequest

    from core.middleware import bad_request

    request = rf.post("/es/screening/", b"zip_code=98101", content_type=LATIN_1_FORM)
    response = bad_request(request, BadRequest("malformed"))

    assert response.status_code == 400
    assert "No pudimos leer lo que envió su navegador" in response.content.decode()
    assert not hasattr(request, "_post")
    assert not hasattr(request, "_body")


def test_the_refusal_is_in_the_language_of_the_page_whatever_came_before():
    # Refused before the CSRF check, so no token is needed.
    client = Client()
    client.get("/")  # the worker's last request was English
    spanish = client.post("/es/screening/", b"zip_code=98101", content_type=LATIN_1_FORM)
    with translation.override("es"):  # and now the worker's last language is Spanish
        english = client.post("/screening/", b"zip_code=98101", content_type=LATIN_1_FORM)

    assert spanish.status_code == english.status_code == 400
    assert "No pudimos leer lo que envió su navegador" in spanish.content.decode()
    assert '<html lang="es">' in spanish.content.decode()
    assert "We could not read what your browser sent" in english.content.decode()
    assert '<html lang="en">' in english.content.decode()


def test_the_screening_form_refuses_a_file_without_storing_it(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client, token = csrf_client()

    from io import BytesIO

    upload = BytesIO(b"x" * 100_000)
    upload.name = "scan.pdf"
    response = client.post(
        "/screening/", {"csrfmiddlewaretoken": token, "attachment": upload}, HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 400
    assert_baseline_headers(response.headers)
    assert list(tmp_path.iterdir()) == []
    assert not ScreeningRequest.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(settings):
    client, token = csrf_client()

    response = client.generic(
        "POST",
        "/screening/",
        b"first_name=Jane",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(10**12),
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 400
    assert_baseline_headers(response.headers)


def _form_body(size: int) -> bytes:
    """A screening form body of exactly `size` bytes (the rest padding in a field no form has)."""
    head = b"zip_code=98101&padding="
    return head + b"x" * (size - len(head))


def test_a_body_one_byte_over_the_limit_is_refused_and_one_at_the_limit_is_read(settings):
    limit = settings.REQUEST_BODY_MAX_BYTES
    client, token = csrf_client()

    def post(size: int):
        return client.generic(
            "POST",
            "/screening/",
            _form_body(size),
            content_type="application/x-www-form-urlencoded",
            HTTP_X_CSRFTOKEN=token,
        )

    at_the_limit, over_it = post(limit), post(limit + 1)

    assert at_the_limit.status_code == 302  # read: the ZIP code step goes on to the next
    assert over_it.status_code == 400
    assert "We could not read what your browser sent" in over_it.content.decode()
    assert not ScreeningRequest.objects.exists()


def test_more_fields_than_any_form_has_is_the_styled_400_never_a_500(settings):
    client, token = csrf_client()
    client.raise_request_exception = False
    fields = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = client.generic(
        "POST",
        "/screening/",
        f"zip_code=98101&{fields}".encode(),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 400
    assert "We could not read what your browser sent" in response.content.decode()
    assert_baseline_headers(response.headers)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_healthz_answers_only_get_and_head(client, method):
    response = client.generic(method, "/healthz")

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


def test_healthz_answers_head(client):
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_a_database_that_cannot_write_with_retry_after(client):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
    try:
        response = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA query_only = OFF")
            else:
                cursor.execute("SET default_transaction_read_only = off")

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/healthz").status_code == 200


def test_the_screening_form_503_carries_retry_after(monkeypatch):
    from django.db import OperationalError

    from intake import views
    from tests.intake.screening_support import post_screening

    def unavailable(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views, "screening_request_create", unavailable)
    response = post_screening(Client())

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.parametrize(
    "path", [static("css/site.css"), "/favicon.ico", "/healthz", "/static/no-such-file.css"]
)
def test_static_files_favicon_and_healthz_carry_the_security_headers(client, path):
    response = client.get(path)

    assert_baseline_headers(response.headers)
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_cached_content_page_still_carries_the_security_headers(client):
    client.get("/faq/")
    response = client.get("/faq/")

    assert response.status_code == 200
    assert_baseline_headers(response.headers)
