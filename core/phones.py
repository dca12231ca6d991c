"""US phone numbers written two ways: E.164 for tel: links and storage, national for people."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError


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


def validate_us_phone(text: str) -> None:
    """A number a US phone can dial: ten digits (a leading 1 allowed), in any common layout."""
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 1
        or phonenumbers.is_possible_number_with_reason(number)
        != phonenumbers.ValidationResult.IS_POSSIBLE  # seven digits would need the area code
    ):
        raise ValidationError(
            "Enter a US phone number with its area code, e.g. (206) 555-0142.", code="phone"
        )
