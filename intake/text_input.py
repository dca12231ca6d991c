"""What a patient types, made safe to store and show: normalised, trimmed, nothing hidden.

Pure functions and validators with no knowledge of the questionnaire, so any form field can use
them. Browsers, phone keyboards and copy-paste send text in several Unicode forms and with
characters nobody can see; a reviewer reading the request later must see exactly what is stored.

- `clean_text` / `clean_name` / `clean_free_text`: NFC, trimmed, refusing bidi overrides, control
  characters and byte-order marks; a name must hold at least one letter (not only zero-width or
  combining marks).
- `validate_zip_code`: five ASCII digits, optionally a dash and four more, and nothing else (no
  Arabic-Indic or full-width digits, no trailing newline).
- `dedupe_choices`: a multiple-choice answer keeps each value once, in the order first given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ZIP_CODE_RE = re.compile(r"\A[0-9]{5}(-[0-9]{4})?\Z")

# Embeddings, overrides and isolates: they reorder what a reader sees (a "Trojan Source" name).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BYTE_ORDER_MARK = "\ufeff"
# Characters that take no space: a name made only of these (and combining marks) looks empty.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\u180e\ufeff")
# Line breaks a multi-line answer may keep; every other control character is refused.
FREE_TEXT_CONTROLS_ALLOWED = frozenset("\n\t")

MESSAGES = {
    "empty": _("Please fill this in."),
    "bidi": _(
        "Please remove the hidden text-direction characters (they can come with copy-paste)."
    ),
    "control": _("Please remove the hidden control characters (they can come with copy-paste)."),
    "bom": _(
        "Please remove the hidden byte-order mark at the start (it can come with copy-paste)."
    ),
    "no_letter": _("Please type your name with at least one letter."),
    "zip_code": _("Please enter a 5-digit ZIP code, like 98101 (or ZIP+4, like 98101-1234)."),
}


def _error(code: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code)


def normalise(value: str) -> str:
    """NFC and trimmed of surrounding white space (Unicode's, not only ASCII's)."""
    return unicodedata.normalize("NFC", value).strip()


def _check_invisible(value: str, *, allowed_controls: frozenset[str] = frozenset()) -> None:
    if BYTE_ORDER_MARK in value:
        raise _error("bom")
    if any(ch in BIDI_CONTROLS for ch in value):
        raise _error("bidi")
    for ch in value:
        category = unicodedata.category(ch)
        # Cc: C0/C1 controls and DEL; Cs: lone surrogates; Co/Cn: private use and unassigned.
        if category in {"Cc", "Cs", "Co", "Cn"} and ch not in allowed_controls:
            raise _error("control")


def clean_text(value: str) -> str:
    """A one-line answer: normalised, trimmed, not empty, without hidden characters."""
    value = normalise(value)
    _check_invisible(value)
    if not value or all(ch in ZERO_WIDTH or unicodedata.combining(ch) for ch in value):
        raise _error("empty")
    return value


def clean_name(value: str) -> str:
    """A person's name: `clean_text`, and it must hold at least one letter of any script."""
    value = clean_text(value)
    if not any(unicodedata.category(ch).startswith("L") for ch in value):
        raise _error("no_letter")
    return value


def clean_free_text(value: str, *, required: bool = False) -> str:
    """A multi-line answer (medicines, notes): line breaks and tabs allowed, nothing else hidden.

    Line endings become `\\n`. Empty is allowed unless `required`.
    """
    value = normalise(value.replace("\r\n", "\n").replace("\r", "\n"))
    _check_invisible(value, allowed_controls=FREE_TEXT_CONTROLS_ALLOWED)
    if required and not value:
        raise _error("empty")
    return value


def validate_zip_code(value: str) -> None:
    """Django validator: a US ZIP or ZIP+4 in ASCII digits, exactly (no surrounding characters)."""
    if not isinstance(value, str) or not ZIP_CODE_RE.match(value):
        raise _error("zip_code")


def dedupe_choices(values: Iterable[str]) -> list[str]:
    """Each chosen value once, in the order first given (a crafted post may repeat one 900x)."""
    return list(dict.fromkeys(values))
