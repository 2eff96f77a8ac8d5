"""Passwords (argon2id), CSRF tokens and the login rate limit."""

from __future__ import annotations

import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from bot.db.audit import failed_logins_since, window_start

MIN_PASSWORD_LENGTH = 12
# Failed logins within the window before the login is refused, per user name and per client.
LOCKOUT_MINUTES = 15
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_CLIENT = 20

_hasher = PasswordHasher()
# Verifying against this when the user does not exist takes as long as a real
# check, so response times do not tell which user names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class PasswordError(ValueError):
    """A password that does not meet the rules (the message is Danish)."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn.")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def login_locked(session: Session, username: str, client: str) -> bool:
    per_user, per_client = failed_logins_since(
        session, username=username.strip().lower(), client=client, since=window_start(LOCKOUT_MINUTES)
    )
    return per_user >= MAX_FAILURES_PER_USER or per_client >= MAX_FAILURES_PER_CLIENT
