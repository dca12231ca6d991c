"""The request's first page for a visitor with no answers yet, rendered once and then reused.

Every visitor without a draft sees the same first page apart from the CSRF token in its form. It is
rendered once per path (so per language) and content version, with a marker where the token goes;
each request then puts in only its own token, which costs microseconds where a render costs
milliseconds. Nothing about a patient is ever in it: a visitor with a draft, or with anything in
the query string, gets a page rendered for them. The page is kept for one day at most, so nothing
dated can go stale. Whatever else the first step shows must depend only on its path and the
published content.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from pages.cache import content_version

# Random in each process, so no page's own text can contain it.
_TOKEN_MARKER = secrets.token_hex(20)


@dataclass(frozen=True)
class _BlankPage:
    version: tuple[str, datetime.date]
    before_token: bytes
    after_token: bytes
    content_type: str


# Path -> the page rendered at one content version; replaced whole, never changed in place.
_pages: dict[str, _BlankPage] = {}


def blank_first_page(
    request: HttpRequest, render: Callable[[dict[str, object]], HttpResponse]
) -> HttpResponse:
    """The blank first page with this request's CSRF token; `render(extra_context)` makes it."""
    try:
        version = (content_version(), timezone.localdate())
    except Exception:
        # The shared cache is down: render for this visitor alone, as the page cache does.
        return render({})
    page = _pages.get(request.path)
    if page is None or page.version != version:
        # shared_page: the page is the same for everyone, so it reads no per-visitor messages.
        response = render({"csrf_token": _TOKEN_MARKER, "shared_page": True})
        before, marker, after = response.content.partition(_TOKEN_MARKER.encode())
        if response.status_code != 200 or not marker or _TOKEN_MARKER.encode() in after:
            return render({})
        page = _BlankPage(version, before, after, response["Content-Type"])
        _pages[request.path] = page
    # get_token also has the CSRF middleware set the matching cookie on the response.
    body = page.before_token + get_token(request).encode() + page.after_token
    return HttpResponse(body, content_type=page.content_type)
