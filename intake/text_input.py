"""What a patient types, made safe to store and show: normalised, trimmed, nothing hidden.

Pure functions and validators with no knowledge of the questionnaire, so any form field can use
them. Browsers, phone keyboards and copy-paste send text in several Unicode forms and with
characters nobody can see; a reviewer reading the request later must see exactly what is stored.

- `clean_text` / `clean_name` / `clean_free_text`: NFC, trimmed; the invisible characters that
  carry no letter (zero-width space and joiners, soft hyphen, direction marks) removed; refusing
  every other format character (bidi overrides, tags, byte-order marks), control characters, line
  and paragraph separators (free text: they become line breaks) and the fillers that draw nothing;
  a name must hold at least one letter (not only combining marks).
- `validate_no_hidden_characters`: the same refusals for a field with a format of its own (e-mail).
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
# Format characters that take no space and carry no letter (copy-paste from web pages and word
# processors brings them): removed, so "Ja<zero-width space>ne" is stored as "Jane". Every other
# format character (category Cf: tags, invisible operators, annotations) is refused.
REMOVED_INVISIBLE = frozenset("\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2060")
# Letters and symbols that draw nothing: a name made of them looks blank to staff.
FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
LINE_SEPARATORS = frozenset("\u2028\u2029")
# Line breaks a multi-line answer may keep; every other control character is refused.
FREE_TEXT_CONTROLS_ALLOWED = frozenset("\n\t")

MESSAGES = {
    "empty": _("Please fill this in."),
    "bidi": _(
        "Please remove the hidden text-direction characters (they can come with copy-paste)."
    ),
    "control": _("Please remove the hidden control characters (they can come with copy-paste)."),
    "hidden": _("Please remove the hidden or blank characters (they can come with copy-paste)."),
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


def _remove_invisible(value: str) -> str:
    return "".join(ch for ch in value if ch not in REMOVED_INVISIBLE)


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
        # Cf: format characters; Zl, Zp: line and paragraph separators.
        if category in {"Cf", "Zl", "Zp"} or ch in FILLERS:
            raise _error("hidden")


def validate_no_hidden_characters(value: str) -> None:
    """Django validator: nothing hidden, removed or not (an e-mail address is kept as typed)."""
    _check_invisible(value)
    if any(ch in REMOVED_INVISIBLE for ch in value):
        raise _error("hidden")


def clean_text(value: str) -> str:
    """A one-line answer: normalised, trimmed, not empty, without hidden characters."""
    value = normalise(_remove_invisible(value))
    _check_invisible(value)
    if not value or all(unicodedata.combining(ch) for ch in value):
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

    Line endings (and Unicode's line and paragraph separators) become `\\n`. Empty is allowed
    unless `required`.
    """
    for line_break in ("\r\n", "\r", *LINE_SEPARATORS):
        value = value.replace(line_break, "\n")
    value = normalise(_remove_invisible(value))
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
