"""The screening form's one-time token: a signed random id and the time the form was served.

The id makes a resubmitted form store one request (a unique column); the time lets the form
refuse a post that came too fast to be a person, or too late to trust.
"""

from __future__ import annotations

import datetime
import math
import secrets
import time
from dataclasses import dataclass

from django.core import signing

# Long enough for a patient who leaves the form open overnight and comes back to it.
TOKEN_MAX_AGE = datetime.timedelta(days=3)
SIGNING_SALT = "intake.screening-form"


@dataclass(frozen=True)
class FormToken:
    token_id: str
    served_at: float


class TokenProblem(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _to_the_millisecond_before(moment: float) -> float:
    # Never later than `moment`: a later served time would make a form sent at once look sent
    # before it was served (min() covers float rounding in the multiplication).
    return min(math.floor(moment * 1000) / 1000, moment)


def form_token_issue(*, served_at: float | None = None, token_id: str | None = None) -> str:
    """A signed token for one rendering of the form, served now or at `served_at` (epoch)."""
    payload = {
        "id": token_id or secrets.token_urlsafe(18),
        "t": _to_the_millisecond_before(time.time() if served_at is None else served_at),
    }
    return signing.dumps(payload, salt=SIGNING_SALT)


def form_token_read(value: str) -> FormToken:
    """The token's id and time; TokenProblem("expired"/"invalid") when it cannot be trusted."""
    try:
        data = signing.loads(value, salt=SIGNING_SALT)
    except signing.BadSignature as exc:
        raise TokenProblem("invalid") from exc
    if not (
        isinstance(data, dict)
        and isinstance(data.get("id"), str)
        and 16 <= len(data["id"]) <= 64
        and isinstance(data.get("t"), int | float)
    ):
        raise TokenProblem("invalid")
    age = time.time() - data["t"]
    if age < -60:  # served in the future: not a token we issued
        raise TokenProblem("invalid")
    if age > TOKEN_MAX_AGE.total_seconds():
        raise TokenProblem("expired")
    return FormToken(token_id=data["id"], served_at=float(data["t"]))
