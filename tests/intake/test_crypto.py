"""Pinned vectors for every keyed hash and the encryption helpers, without a database.

Each digest below was computed once from the code with the fixed key and is written as a literal:
a change to the HMAC, its key, the `email:` / `phone:` / `client-address:` prefixes or the
normalisation would orphan every stored blind index and rate-limit row, so it must break a test.
This file is also the scope of the blind-index mutation check that CI runs (`make mutation-ci`).
"""

from __future__ import annotations

from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from intake.crypto import (
    PHONE_TAIL_DIGITS,
    DecryptionError,
    birth_date_blind_index,
    blind_index,
    client_address_hash,
    decrypt_text,
    email_blind_index,
    encrypt_text,
    multi_fernet,
    name_birth_blind_index,
    normalise_email,
    normalise_last_name,
    normalise_phone,
    phone_blind_index,
    phone_tail_blind_index,
    request_blind_indexes,
    rotate_text,
    surname_part_sounds,
    surname_sound_blind_index,
    surname_sounds,
)

KEY = "pinned-blind-index-key"
ANN_EMAIL_INDEX = "540080a8388fd43b14ec0a8181f7800a704f57992d8075f3f7c25471e10c6ba9"
PHONE_0142_INDEX = "aec49bf8d8a777271d66163461d37409211d09d3b00adbad384bd8fcc8f6db0f"
# A Fernet key of the bytes 0..31 and a token it made: stored tokens must stay readable.
FIXED_FERNET_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
FIXED_TOKEN = (
    "gAAAAABrDNkTfjNDo0ktEtx0zzlYLHXYEV_hyRUfMqe0irGLoKwVsPs8xEL4MO3ovI3ecb6CSnuCJ-L-zjGqCX6NUp"
    "Nn6_oJNQ=="
)


def test_blind_index_is_hmac_sha256_hex_of_the_value_under_the_key():
    assert (
        blind_index("value", key=KEY)
        == "ed020dabc2181e1987444518012fd5a7ebfed8da96016fec7c5e7524f96f3440"
    )


def test_an_empty_key_is_used_as_given_not_replaced_by_the_setting(settings):
    settings.BLIND_INDEX_KEY = KEY

    assert (
        blind_index("value", key="")
        == "60171bc5120682242e965d963059fa40f43ae90ad05668dfc686e089f95b89aa"
    )


def test_without_a_key_argument_the_setting_keys_the_hash(settings):
    settings.BLIND_INDEX_KEY = KEY

    assert blind_index("value") == blind_index("value", key=KEY)
    assert email_blind_index("ann.example@example.org") == ANN_EMAIL_INDEX


def test_email_index_is_pinned_with_its_prefix_and_normalisation():
    assert email_blind_index(" Ann.Example@Example.ORG ", key=KEY) == ANN_EMAIL_INDEX
    assert blind_index("email:ann.example@example.org", key=KEY) == ANN_EMAIL_INDEX


def test_phone_index_is_pinned_with_its_prefix_and_e164():
    assert phone_blind_index("(206) 555-0142", key=KEY) == PHONE_0142_INDEX
    assert blind_index("phone:+12065550142", key=KEY) == PHONE_0142_INDEX


@pytest.mark.parametrize(
    "spelling",
    ["(206) 555-0142", "206.555.0142", "+1 206 555 0142", "1-206-555-0142", " 2065550142 "],
)
def test_every_common_us_spelling_normalises_to_e164(spelling):
    assert normalise_phone(spelling) == "+12065550142"
    assert phone_blind_index(spelling, key=KEY) == PHONE_0142_INDEX


@pytest.mark.parametrize("text", ["not a phone", "", "555-0142", "+1 206 555 014"])
def test_an_invalid_phone_has_no_e164_and_no_index(text):
    assert normalise_phone(text) is None
    assert phone_blind_index(text, key=KEY) is None


def test_email_normalisation_strips_and_lowercases():
    assert normalise_email("  Ann.Example@Example.ORG\n") == "ann.example@example.org"


def test_client_address_hash_is_pinned_with_its_prefix(settings):
    settings.BLIND_INDEX_KEY = KEY

    assert (
        client_address_hash("203.0.113.9")
        == "9bfec722e27a8534db20b351d0a359246fdef7b9abb0c633afcc9dd960e5f2a4"
    )


def test_each_rate_limit_hashes_a_client_address_in_its_own_scope(settings):
    settings.BLIND_INDEX_KEY = KEY
    address = "203.0.113.9"

    scoped = {scope: client_address_hash(address, scope=scope) for scope in ("drafts", "other")}

    assert scoped["drafts"] == blind_index(f"client-address:drafts:{address}")
    assert len({*scoped.values(), client_address_hash(address)}) == 3


def test_a_token_made_with_a_fixed_key_still_decrypts(settings):
    settings.FIELD_ENCRYPTION_KEYS = [FIXED_FERNET_KEY]

    assert decrypt_text(FIXED_TOKEN) == "Zoë, 98103"


def test_the_newest_key_encrypts_and_every_key_decrypts(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    under_old = encrypt_text("Zoë")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]

    fresh = encrypt_text("Zoë")

    assert decrypt_text(under_old) == "Zoë"
    assert Fernet(new).decrypt(fresh.encode()).decode() == "Zoë"
    assert Fernet(new).decrypt(rotate_text(under_old).encode()).decode() == "Zoë"


def test_a_token_no_key_fits_raises_decryption_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(DecryptionError, match="missing or wrong"):
        decrypt_text(FIXED_TOKEN)
    with pytest.raises(DecryptionError, match="re-encrypted"):
        rotate_text(FIXED_TOKEN)


def test_a_token_that_is_not_ascii_raises_decryption_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = [FIXED_FERNET_KEY]

    with pytest.raises(DecryptionError):
        decrypt_text("gAAAAAé")


def test_no_keys_at_all_is_refused(settings):
    settings.FIELD_ENCRYPTION_KEYS = []

    with pytest.raises(ImproperlyConfigured, match="empty"):
        multi_fernet()


@pytest.mark.parametrize("bad", ["not-a-key", 12345])
def test_a_malformed_key_is_named_by_its_position_from_one(settings, bad):
    settings.FIELD_ENCRYPTION_KEYS = [FIXED_FERNET_KEY, bad]

    with pytest.raises(ImproperlyConfigured, match="entry 2 ") as raised:
        multi_fernet()
    assert "not-a-key" not in str(raised.value)


def test_the_key_is_keyword_only_so_it_cannot_be_swapped_with_the_value():
    for index in (
        blind_index,
        email_blind_index,
        phone_blind_index,
        surname_sound_blind_index,
        phone_tail_blind_index,
    ):
        with pytest.raises(TypeError):
            index("2065550142", KEY)
    with pytest.raises(TypeError):
        birth_date_blind_index(BORN, KEY)
    with pytest.raises(TypeError):
        name_birth_blind_index("Rivera", BORN, KEY)
    with pytest.raises(TypeError):
        client_address_hash("192.0.2.1", "scope")


def test_the_key_list_is_built_once_and_reused(settings):
    settings.FIELD_ENCRYPTION_KEYS = [FIXED_FERNET_KEY]

    assert multi_fernet() is multi_fernet()


# --- The indexes for duplicates and the forgiving search -------------------------------------

BORN = date(1980, 3, 27)
BIRTH_INDEX = "8284c1ef4a9e40a20083c4a7d1eb0e30fcb883648db74650b2268a04148ce7c8"
SOUND_SM0 = "bc76e49f35604c921c4645862fbe1a27d6c281a64433c01e2e18c71214e4ca67"
SOUND_XMT = "9df3b456fe45bc6c3404abee5402b2e93ef8ca75012e063ddcc3cb51802ce382"
SOUND_PTNT = "2e97a3cb0d54fc70f0ccd6e53605a157925cd832c7192a1274ff1c0af1a8a74d"
TAIL_0142 = "e5c4e4effcb326a4960147dab9b19ff97dff53a3d7812514ce39aabdeaa7d6d2"
SMITH_INDEXES = {
    "email_index": "f257956a4a9816d4d925cfb57d67a6d3d5bbca2730999ca420d8346b4abaf5e2",
    "phone_index": PHONE_0142_INDEX,
    "phone_tail_index": TAIL_0142,
    "name_birth_index": "7fa3a23b3d31b8c1319a61daac82dbd044a95a519b807142188112f74ccb95df",
    "birth_index": BIRTH_INDEX,
    "surname_sound_index": SOUND_SM0,
    "surname_sound_alt_index": SOUND_XMT,
    # One word: no part of a compound surname to find it by.
    "surname_first_part_sound_index": "",
    "surname_second_part_sound_index": "",
}
SOUND_KMS = "15020e8f10a94af4aa0dfb730a30fb34d337ca3c108d100ac4e100e57b8c344a"
SOUND_RS = "31811784809388b12ccb3e1f47e242554e2a1fabc92f59a726e80dfc93186b3b"
NAME_BIRTH_GOMEZ_RUIZ = "59b44f63685b3a9c100b44120119f994201621c3003fbac6884ae5bf587c75fe"


def test_the_birth_date_index_is_pinned_and_keyed(settings):
    assert birth_date_blind_index(BORN, key=KEY) == BIRTH_INDEX
    assert birth_date_blind_index(BORN, key=KEY) == blind_index("birth:1980-03-27", key=KEY)
    assert birth_date_blind_index(date(1980, 3, 28), key=KEY) != BIRTH_INDEX
    settings.BLIND_INDEX_KEY = KEY
    assert birth_date_blind_index(BORN) == BIRTH_INDEX


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("Smith", ("SM0", "XMT")),
        ("SMYTH", ("SM0", "XMT")),
        ("Patient", ("PTNT",)),  # one code when both are the same
        ("García", ("KRS", "KRX")),  # the accent does not change the sound
        ("Garcia", ("KRS", "KRX")),
        ("O'Brien", ("APRN",)),
        ("de la  Cruz", ("TLKRS",)),
        ("", ()),
        ("李", ()),  # no Latin letters: no code, so no sound search
    ],
)
def test_surname_sounds_are_double_metaphone_codes_of_the_plain_letters(typed, codes):
    assert surname_sounds(typed) == codes


def test_a_surname_sound_index_is_pinned_keyed_and_never_the_code(settings):
    assert surname_sound_blind_index("PTNT", key=KEY) == SOUND_PTNT
    assert surname_sound_blind_index("PTNT", key=KEY) == blind_index("surname-sound:PTNT", key=KEY)
    assert "PTNT" not in SOUND_PTNT
    settings.BLIND_INDEX_KEY = KEY
    assert surname_sound_blind_index("PTNT") == SOUND_PTNT


@pytest.mark.parametrize("spelling", ["0142", "555-0142", "(206) 555-0142", "+1 206 555 0142"])
def test_a_phone_tail_index_is_the_last_four_digits_whatever_the_spelling(spelling, settings):
    assert PHONE_TAIL_DIGITS == 4
    assert phone_tail_blind_index(spelling, key=KEY) == TAIL_0142
    assert blind_index("phone-tail:0142", key=KEY) == TAIL_0142
    settings.BLIND_INDEX_KEY = KEY
    assert phone_tail_blind_index(spelling) == TAIL_0142


def test_every_index_of_a_request_from_one_definition(settings):
    indexes = request_blind_indexes(
        email="Ann@Example.org",
        phone="(206) 555-0142",
        last_name="Smith",
        date_of_birth=BORN,
        key=KEY,
    )

    assert indexes == SMITH_INDEXES
    settings.BLIND_INDEX_KEY = KEY
    assert (
        request_blind_indexes(
            email="Ann@Example.org", phone="(206) 555-0142", last_name="Smith", date_of_birth=BORN
        )
        == SMITH_INDEXES
    )


def test_a_request_without_an_email_a_valid_phone_or_a_latin_surname_has_empty_indexes():
    no_contact = request_blind_indexes(
        email="", phone="", last_name="Patient", date_of_birth=BORN, key=KEY
    )
    bad_phone = request_blind_indexes(
        email="", phone="555", last_name="李", date_of_birth=BORN, key=KEY
    )

    assert no_contact["email_index"] == no_contact["phone_index"] == ""
    assert no_contact["phone_tail_index"] == ""
    # One sound: the alternate index is the primary's.
    assert no_contact["surname_sound_index"] == no_contact["surname_sound_alt_index"] == SOUND_PTNT
    assert bad_phone["phone_index"] == bad_phone["phone_tail_index"] == ""
    assert bad_phone["surname_sound_index"] == bad_phone["surname_sound_alt_index"] == ""
    assert bad_phone["birth_index"] == BIRTH_INDEX


# However a compound surname is typed, it is one name: case, accents, spaces and hyphens aside.
GOMEZ_RUIZ_SPELLINGS = ["Gómez-Ruiz", "GOMEZ RUIZ", "gomez-ruiz", "Go\u0301mez Ruiz", "Gómez  Ruíz"]


@pytest.mark.parametrize("spelling", GOMEZ_RUIZ_SPELLINGS)
def test_a_compound_surname_is_one_name_however_it_is_typed(spelling):
    assert normalise_last_name(spelling) == "gomezruiz"
    assert name_birth_blind_index(spelling, BORN, key=KEY) == NAME_BIRTH_GOMEZ_RUIZ
    indexes = request_blind_indexes(
        email="", phone="", last_name=spelling, date_of_birth=BORN, key=KEY
    )
    assert indexes["name_birth_index"] == NAME_BIRTH_GOMEZ_RUIZ
    # Each word found by its own sound, in the order given.
    assert indexes["surname_first_part_sound_index"] == SOUND_KMS
    assert indexes["surname_second_part_sound_index"] == SOUND_RS


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("Gómez-Ruiz", ("KMS", "RS")),
        ("Ruiz y Gómez", ("RS", "KMS")),  # "y" is too short to be a surname of its own
        ("García López Soto", ("KRS", "LPS")),  # the first two words
        ("de la Cruz", ("", "")),  # one word of three letters or more: the whole name covers it
        ("Gómez", ("", "")),
        ("Abe Ng", ("", "")),  # "Ng" is shorter than a word of its own
        ("Lee Abe", ("L", "AP")),
        ("李 Wong", ("", "")),
    ],
)
def test_the_first_two_words_of_a_compound_surname_each_have_a_sound(typed, parts):
    assert surname_part_sounds(typed) == parts
