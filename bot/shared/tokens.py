"""Signed tokens from the municipal website: after its own login, the site
hands the chat a short-lived JWT (HS256) whose subject is the young person's
profile id. Verified on every message by the chat channel (bot/youth_channel.py).

Needs only PyJWT, so both the Rasa and the application environment use it.
"""

from __future__ import annotations

import time

import jwt

ALGORITHM = "HS256"
AUDIENCE = "kommune-chat"
MAX_LIFETIME_SECONDS = 60 * 60  # a token that lives longer than an hour is refused, whatever it says


def issue(profile_id: int, secret: str, lifetime: int = 15 * 60, now: float | None = None) -> str:
    """What the municipal website does after its login (the tests and the demo page use it too)."""
    issued = int(now if now is not None else time.time())
    claims = {"sub": str(profile_id), "aud": AUDIENCE, "iat": issued, "exp": issued + lifetime}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verified_profile_id(token: str, secret: str, now: float | None = None) -> int | None:
    """The profile id of a valid token; None for a forged, tampered, expired or odd one."""
    if not token or not secret:
        return None
    try:
        # Times are checked below against `now` (the tests move the clock).
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["exp", "iat", "sub", "aud"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.PyJWTError:
        return None
    current = now if now is not None else time.time()
    expires, issued = claims["exp"], claims["iat"]
    if not (isinstance(expires, int) and isinstance(issued, int)):
        return None
    if expires - issued > MAX_LIFETIME_SECONDS or expires <= current or issued > current + 60:
        return None
    subject = str(claims["sub"])
    return int(subject) if subject.isdigit() else None
