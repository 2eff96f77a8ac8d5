"""Pairing codes and the website's signed tokens."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from bot.shared.danger import signals_danger
from bot.shared.tokens import AUDIENCE, issue, verified_profile_id
from bot.youth.pairing import ALPHABET, code_hash, find_code, new_code

SECRET = "test-secret-for-tokens-0123456789"
NOW = 1_800_000_000.0


def test_new_codes_are_typeable_and_differ() -> None:
    codes = {new_code() for _ in range(2000)}
    # 2,000 draws from ~740 million codes: a repeat happens once in ~370 runs, three in ~10^8
    assert len(codes) >= 1998
    for code in codes:
        assert len(code) == 7 and code[3] == "-" and set(code.replace("-", "")) <= set(ALPHABET)
        assert find_code(code.lower()) == code  # every code issued is one the chat recognises
        assert not signals_danger(code) and not any(signals_danger(half) for half in code.split("-"))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("K7P-4QX", "K7P-4QX"),
        ("k7p-4qx", "K7P-4QX"),
        ("min kode er k7p4qx", "K7P-4QX"),
        ("K7P 4QX 🙏", "K7P-4QX"),
        ("koden er 9hw-t3m tak", "9HW-T3M"),
        ("hej med dig", None),
        ("ring 12345678", None),
        ("abc-def", None),
        ("010203-1234", None),
        # A greeting next to the code is not half of it ("hej R87" would be a code of its own).
        ("hej R87-ESV her. aflys lige mødet d 19", "R87-ESV"),
        ("hej det V7J-NJH her", "V7J-NJH"),
        ("yo koden er KZM-WZ7", "KZM-WZ7"),
    ],
)
def test_codes_are_found_as_people_type_them(text: str, code: str | None) -> None:
    assert find_code(text) == code


def test_code_hash_is_keyed() -> None:
    assert code_hash("K7P-4QX", "a") != code_hash("K7P-4QX", "b")
    assert "K7P" not in code_hash("K7P-4QX", "a")


def test_a_valid_token_gives_the_profile_id() -> None:
    assert verified_profile_id(issue(42, SECRET, now=NOW), SECRET, now=NOW + 60) == 42


def test_expired_forged_tampered_and_odd_tokens_give_nothing() -> None:
    token = issue(42, SECRET, now=NOW)
    assert verified_profile_id(token, SECRET, now=NOW + 16 * 60) is None  # expired
    assert verified_profile_id(issue(42, "another-secret-entirely-0123456789", now=NOW), SECRET, now=NOW) is None
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "43"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert verified_profile_id(f"{header}.{forged_payload}.{signature}", SECRET, now=NOW) is None  # tampered
    unsigned = jwt.encode({"sub": "42", "aud": AUDIENCE, "iat": int(NOW), "exp": int(NOW) + 60}, None, algorithm="none")
    assert verified_profile_id(unsigned, SECRET, now=NOW) is None  # alg none
    long_lived = issue(42, SECRET, lifetime=24 * 3600, now=NOW)
    assert verified_profile_id(long_lived, SECRET, now=NOW) is None
    assert verified_profile_id("not.a.token", SECRET, now=NOW) is None
    assert verified_profile_id(token, "", now=NOW) is None
