from __future__ import annotations

import codecs
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views import defaults

# Seconds a client or load balancer should wait before trying again after any 503.
RETRY_AFTER_SECONDS = "30"

# A write that changes nothing: it fails on a read-only, recovering or full-locked database, takes
# no row locks and costs one round trip. django_migrations exists wherever the site can run.
_WRITE_PROBE = "UPDATE django_migrations SET app = app WHERE id < 0"


class HealthCheckMiddleware:
    """Answer `/healthz` before anything reads the Host header or touches a session.

    A load balancer probes by address over plain HTTP, so this path is exempt from the host check
    (answered here, before `request.get_host()` is ever called) and from the HTTPS redirect
    (`SECURE_REDIRECT_EXEMPT`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != "/healthz":
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            response = HttpResponseNotAllowed(["GET", "HEAD"])
        elif database_writable():
            response = HttpResponse("ok\n", content_type="text/plain")
        else:
            response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response


def database_writable() -> bool:
    """Whether the database answers and accepts writes (a patient's request must be storable)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(_WRITE_PROBE)
    except DatabaseError:
        database_connection_renew()
        return False
    return True


def database_connection_renew() -> None:
    """After a failed write: close this worker's connection when the request ends.

    A connection kept between requests (CONN_MAX_AGE) keeps what it was opened with: SQLite opened
    while the file was read-only stays read-only, however soon the file is writable again. Django
    closes a connection at a request's end once `close_at` has passed.
    """
    connection.close_at = time.monotonic()


class SecurityHeadersMiddleware:
    """Headers Django's own settings do not cover, and the admin's no-index and no-store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # WhiteNoise allows every origin to read static files; nothing here is meant for others.
        if response.get("Access-Control-Allow-Origin") == "*":
            del response["Access-Control-Allow-Origin"]
        if response.status_code == 503:
            response.setdefault("Retry-After", RETRY_AFTER_SECONDS)
        if request.path_info.startswith(self.admin_prefix):
            # robots.txt must not name the admin path, so the admin asks not to be indexed itself.
            response["X-Robots-Tag"] = "noindex, nofollow"
            # Every admin page can show patient data: no browser or proxy may keep a copy.
            add_never_cache_headers(response)
        return response


class NoFilesUploadHandler(FileUploadHandler):
    """Refuse a file part as soon as it starts: no page outside the staff admin takes a file."""

    def new_file(self, *args, **kwargs) -> None:
        raise TooManyFilesSent("This page takes no files.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        return None

    def file_complete(self, file_size: int) -> None:
        return None


# The only views that take a file: a clinician's photo, added or changed in the staff admin, and
# the medical director's on the clinic profile.
UPLOAD_VIEW_NAMES = frozenset(
    {
        "admin:pages_clinician_add",
        "admin:pages_clinician_change",
        "admin:pages_clinicprofile_change",
    }
)


def takes_files(request: HttpRequest) -> bool:
    """Whether this request may carry a file: a photo upload view, for signed-in staff only.

    Called before anything reads the body, after the session, authentication and the second factor.
    """
    # Every upload view is in the staff admin: a patient's post costs no URL resolution.
    if not request.path_info.startswith("/" + settings.ADMIN_URL):
        return False
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return False
    user = getattr(request, "user", None)
    signed_in = bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and (not hasattr(user, "is_verified") or user.is_verified())
    )
    return view_name in UPLOAD_VIEW_NAMES and signed_in


class RequestBodyGuardMiddleware:
    """Refuse request bodies the site has no use for, before anything parses them.

    It runs after the session, authentication and second-factor middleware (which never read a
    body) and before any view or the CSRF check reads it.

    - Over REQUEST_BODY_MAX_BYTES by its Content-Length: 400 (the calm page, as for any body Django
      finds too large), without reading it. nginx answers 413 before it gets here.
    - A file in a multipart body anywhere but a photo upload view, for signed-in staff
      (`takes_files`): 400, refused at the file's first header, so nothing is ever buffered or
      written to disk. nginx refuses multipart on the screening request outright and allows large
      bodies only on the upload paths (deploy/nginx.conf). An upload view takes one photo at a
      time, up to STAFF_UPLOAD_MAX_BYTES.
    - A charset other than UTF-8: 400 with the styled page. Another name Python's codecs give UTF-8
      ("UTF8", "utf_8", "U8") becomes "utf-8", the only spelling Django reads a form body in.
      Django refuses the others too, but its default 400 view re-reads the body for the CSRF check
      and ends in a bare 500 (`bad_request` below never reads it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.max_bytes = settings.REQUEST_BODY_MAX_BYTES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        uploads = request.method == "POST" and takes_files(request)
        if not uploads:
            request.upload_handlers = [NoFilesUploadHandler(request)]
        limit = settings.STAFF_UPLOAD_MAX_BYTES if uploads else self.max_bytes
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            too_large = int(length) > limit
        except ValueError:
            return _refusal(request, 400)
        if too_large:
            return _refusal(request, 400)
        if "charset" in request.content_params:
            if not _is_utf_8(request.content_params["charset"]):
                return _refusal(request, 400)
            request.encoding = "utf-8"
        return self.get_response(request)


def _is_utf_8(charset: str) -> bool:
    try:
        return codecs.lookup(charset.strip()).name == "utf-8"
    except LookupError:
        return False


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The styled 400 page, for any request Django finds malformed; it never reads the body."""
    return _refusal(request, 400)


def _refusal(request: HttpRequest, status: int) -> HttpResponse:
    # The styled 400 page says the request was too large or not in a form we understand. It is
    # refused before LocaleMiddleware runs, so the page's language is read from its path here.
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        return HttpResponse(render_to_string("400.html", request=request), status=status)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403: for staff, in the admin's frame with a way back; the patients' page elsewhere."""
    if request.path_info.startswith("/" + settings.ADMIN_URL) and request.user.is_authenticated:
        return admin.site.permission_denied(request).render()
    return defaults.permission_denied(request, exception)
