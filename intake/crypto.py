"""Encryption at rest and keyed hashes for patient data.

Values are encrypted with a MultiFernet built from FIELD_ENCRYPTION_KEYS (newest first): the first
key encrypts, every key decrypts, so a new key can be put in front and old rows re-encrypted later.
Exact-match search goes through blind indexes: HMAC-SHA256 keyed with BLIND_INDEX_KEY over a
normalised value, so equal e-mail addresses or phone numbers give equal digests without the
database ever holding the value itself. A surname is also indexed by how it sounds (its Double
Metaphone codes, keyed the same way), so a misspelling heard on the phone still finds it.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from datetime import date
from functools import lru_cache

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from doublemetaphone import doublemetaphone


class DecryptionError(RuntimeError):
    """A stored value could not be decrypted with any configured key."""


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: patient data cannot be stored.")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError) as exc:
            # Never echo the key itself into a log or traceback.
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS entry {position} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from exc
    return MultiFernet(fernets)


def multi_fernet() -> MultiFernet:
    """The MultiFernet for the current key list, built once per list."""
    return _multi_fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    """Encrypt with the newest key; the token is url-safe ASCII."""
    return multi_fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    """Decrypt with whichever configured key made the token.

    Raises DecryptionError (never returns the ciphertext) when no configured key fits, e.g. when
    the key that encrypted the value was removed from FIELD_ENCRYPTION_KEYS.
    """
    try:
        return multi_fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError(
            "A stored patient field could not be decrypted with FIELD_ENCRYPTION_KEYS: "
            "the key that encrypted it is missing or wrong."
        ) from exc


def rotate_text(token: str) -> str:
    """Re-encrypt a token under the newest key (it must decrypt under one of the keys)."""
    try:
        return multi_fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError(
            "A stored patient field could not be re-encrypted: none of FIELD_ENCRYPTION_KEYS "
            "decrypts it."
        ) from exc


def blind_index(value: str, *, key: str | None = None) -> str:
    """HMAC-SHA256 (hex) of a value already normalised by the caller (see the helpers below)."""
    secret = (key if key is not None else settings.BLIND_INDEX_KEY).encode("utf-8")
    return hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()


def normalise_email(value: str) -> str:
    return value.strip().lower()


def normalise_phone(value: str) -> str | None:
    """A US phone number in E.164 (+12065550142), or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(value.strip(), "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_blind_index(value: str, *, key: str | None = None) -> str:
    """Blind index of an e-mail address, for exact staff search."""
    return blind_index("email:" + normalise_email(value), key=key)


def phone_blind_index(value: str, *, key: str | None = None) -> str | None:
    """Blind index of a phone number in any common US spelling; None when it is not valid."""
    e164 = normalise_phone(value)
    return None if e164 is None else blind_index("phone:" + e164, key=key)


def client_address_hash(address: str, *, scope: str = "") -> str:
    """Keyed hash of a client address, so rate limiting never stores the address itself.

    Each limit hashes in its own `scope`, so its counts never mix with another's.
    """
    return blind_index("client-address:" + (f"{scope}:" if scope else "") + address)


def normalise_last_name(value: str) -> str:
    """A last name compared without case, accents, spaces or punctuation: "Gómez-Ruiz" and
    "GOMEZ RUIZ" are one name."""
    return "".join(_surname_parts(value))


def _surname_parts(value: str) -> list[str]:
    """The words of a surname, folded and unaccented: "Gómez-Ruiz" is ["gomez", "ruiz"]."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", value).casefold())
    letters = "".join(ch if ch.isalnum() else " " for ch in text if not unicodedata.combining(ch))
    return letters.split()


def name_birth_blind_index(last_name: str, date_of_birth: date, *, key: str | None = None) -> str:
    """Blind index of a last name with a date of birth, for the exact "find a patient" search."""
    return blind_index(
        f"name-birth:{normalise_last_name(last_name)}|{date_of_birth.isoformat()}", key=key
    )


def birth_date_blind_index(date_of_birth: date, *, key: str | None = None) -> str:
    """Blind index of a date of birth alone: with a phone, e-mail or surname it finds a person's
    earlier requests."""
    return blind_index(f"birth:{date_of_birth.isoformat()}", key=key)


def surname_sounds(last_name: str) -> tuple[str, ...]:
    """The surname's Double Metaphone codes (primary, then the alternate when it differs).

    "García" and "Garcia" sound alike: the code is made for unaccented Latin letters."""
    primary, alternate = doublemetaphone(normalise_last_name(last_name))
    return tuple(code for code in dict.fromkeys((primary, alternate)) if code)


# Words of a compound surname too short to be one on their own ("de", "la", "y").
SURNAME_PART_LETTERS = 3


def surname_part_sounds(last_name: str) -> tuple[str, str]:
    """The primary sound of each of the first two words of a compound surname ("Gómez-Ruiz",
    "García López"), as a person may give only one of them; ("", "") for a one-word surname."""
    parts = [part for part in _surname_parts(last_name) if len(part) >= SURNAME_PART_LETTERS]
    if len(parts) < 2:
        return "", ""
    first, second = (doublemetaphone(part)[0] for part in parts[:2])
    return first, second


def surname_sound_blind_index(code: str, *, key: str | None = None) -> str:
    """Blind index of one Double Metaphone code: the search for a surname spelled another way."""
    return blind_index(f"surname-sound:{code}", key=key)


# The fewest trailing digits a partial phone search takes; fewer would match too many patients.
PHONE_TAIL_DIGITS = 4


def phone_tail_blind_index(digits: str, *, key: str | None = None) -> str:
    """Blind index of the last PHONE_TAIL_DIGITS digits of a phone number (any spelling)."""
    only_digits = "".join(ch for ch in digits if ch.isdigit())
    return blind_index(f"phone-tail:{only_digits[-PHONE_TAIL_DIGITS:]}", key=key)


def request_blind_indexes(
    *, email: str, phone: str, last_name: str, date_of_birth: date, key: str | None = None
) -> dict[str, str]:
    """Every blind-index column of a screening request, from its decrypted values: the one
    definition used when a request is stored, when indexes are rebuilt and when they are filled."""
    sounds = surname_sounds(last_name)
    first_part, second_part = surname_part_sounds(last_name)
    e164 = normalise_phone(phone) if phone else None
    return {
        "email_index": email_blind_index(email, key=key) if email else "",
        "phone_index": phone_blind_index(phone, key=key) or "" if phone else "",
        "phone_tail_index": phone_tail_blind_index(e164, key=key) if e164 else "",
        "name_birth_index": name_birth_blind_index(last_name, date_of_birth, key=key),
        "birth_index": birth_date_blind_index(date_of_birth, key=key),
        "surname_sound_index": surname_sound_blind_index(sounds[0], key=key) if sounds else "",
        "surname_sound_alt_index": (
            surname_sound_blind_index(sounds[-1], key=key) if sounds else ""
        ),
        "surname_first_part_sound_index": (
            surname_sound_blind_index(first_part, key=key) if first_part else ""
        ),
        "surname_second_part_sound_index": (
            surname_sound_blind_index(second_part, key=key) if second_part else ""
        ),
    }
