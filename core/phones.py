"""US phone numbers written two ways: E.164 for tel: links and storage, national for people."""

from __future__ import annotations

import phonenumbers


def _formatted(text: str, number_format: int) -> str:
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return text
    return phonenumbers.format_number(number, number_format)


def phone_e164(text: str) -> str:
    """ "(206) 555-0142" as "+12065550142", what tel: links take (RFC 3966)."""
    return _formatted(text, phonenumbers.PhoneNumberFormat.E164)


def phone_national(text: str) -> str:
    """ "+12065550103" as "(206) 555-0103": what staff dial, and what a spreadsheet leaves alone."""
    return _formatted(text, phonenumbers.PhoneNumberFormat.NATIONAL)
