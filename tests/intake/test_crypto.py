"""Pinned vectors for every keyed hash and the encryption helpers, without a database.

Each digest below was computed once from the code with the fixed key and is written as a literal:
a change to the HMAC, its key, the `email:` / `phone:` / `client-address:` prefixes or the
normalisation would orphan every stored blind index and rate-limit row, so it must break a test.
This file is also the scope of the blind-index mutation check that CI runs (`make mutation-ci`).
"""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from intake.crypto import (
    DecryptionError,
    blind_index,
    client_address_hash,
    decrypt_text,
    email_blind_index,
    encrypt_text,
    multi_fernet,
    normalise_email,
    normalise_phone,
    phone_blind_index,
    rotate_text,
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
    for index in (blind_index, email_blind_index, phone_blind_index):
        with pytest.raises(TypeError):
            index("2065550142", KEY)


def test_the_key_list_is_built_once_and_reused(settings):
    settings.FIELD_ENCRYPTION_KEYS = [FIXED_FERNET_KEY]

    assert multi_fernet() is multi_fernet()
