"""The satisfaction question: an offer made when a goal is reached, answered
once, and the numbers for the dashboard. Takes the session, never commits.

An offer is a random nonce the citizen's widget gets in the conversation;
only its SHA-256 is stored, with the goal, the team and the channel, never
the conversation. It can be used once (answered or skipped), within
OFFER_DAYS. The answer keeps the score, the comment with CPR numbers masked,
the Danish day and the channel."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.db.satisfaction_models import SatisfactionAnswer, SatisfactionOffer
from bot.shared.clock import DANISH_TIME, utc_now
from bot.shared.cpr import mask_cpr

OFFER_DAYS = 7
MAX_COMMENT = 500
MAX_NONCE = 64
LATEST_COMMENTS = 20


class OfferError(ValueError):
    """An answer that cannot be taken (the message is Danish, for the citizen)."""


class OfferUnknown(OfferError):
    pass


class OfferUsed(OfferError):
    pass


class OfferExpired(OfferError):
    pass


def nonce_hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def create_offer(session: Session, goal: str, *, channel: str, team: str | None = None) -> str:
    """A new offer; returns the nonce (only its hash is stored)."""
    nonce = secrets.token_urlsafe(24)
    session.add(SatisfactionOffer(nonce_hash=nonce_hash(nonce), goal=goal, team=team, channel=channel))
    session.flush()
    return nonce


def answer_offer(
    session: Session, nonce: str, score: int | None, comment: str = "", *, now: datetime | None = None
) -> SatisfactionAnswer | None:
    """Use the offer: store the answer (None for a skip: nothing but the
    offer's use is stored). One conditional UPDATE claims the offer, so of
    two answers at once exactly one is taken. Raises OfferUnknown, OfferUsed
    or OfferExpired, and then nothing is written."""
    now = now or utc_now()
    if not nonce or len(nonce) > MAX_NONCE:
        raise OfferUnknown("Spørgsmålet findes ikke.")
    digest = nonce_hash(nonce)
    claimed = session.execute(
        update(SatisfactionOffer)
        .where(
            SatisfactionOffer.nonce_hash == digest,
            SatisfactionOffer.used_at.is_(None),
            SatisfactionOffer.created_at > now - timedelta(days=OFFER_DAYS),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    offer = session.scalars(
        select(SatisfactionOffer)
        .where(SatisfactionOffer.nonce_hash == digest)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if offer is None:
        raise OfferUnknown("Spørgsmålet findes ikke.")
    if getattr(claimed, "rowcount", 0) != 1:
        if offer.used_at is not None:
            raise OfferUsed("Du har allerede svaret. Tak.")
        raise OfferExpired("Det er for sent at svare på spørgsmålet nu.")
    if score is None:
        return None
    text = mask_cpr(comment.strip())[:MAX_COMMENT].strip()
    answer = SatisfactionAnswer(
        goal=offer.goal,
        team=offer.team,
        score=score,
        comment=text or None,
        day=now.astimezone(DANISH_TIME).date(),
        channel=offer.channel,
    )
    session.add(answer)
    session.flush()
    return answer


def purge_offers(session: Session, now: datetime) -> int:
    """Offers a day past their age, used or not (an answer does not need its offer); returns rows deleted."""
    cutoff = now - timedelta(days=OFFER_DAYS + 1)
    result = session.execute(delete(SatisfactionOffer).where(SatisfactionOffer.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass
class SatisfactionStats:
    scores: Counter[int] = field(default_factory=Counter)
    by_goal: Counter[str] = field(default_factory=Counter)
    comments: list[SatisfactionAnswer] = field(default_factory=list)

    @property
    def answers(self) -> int:
        return sum(self.scores.values())

    @property
    def average(self) -> float | None:
        total = self.answers
        return sum(score * n for score, n in self.scores.items()) / total if total else None

    @property
    def distribution(self) -> list[tuple[int, int]]:
        return [(score, self.scores[score]) for score in range(1, 6)]


def satisfaction_stats(session: Session, first: date, last: date, team: str | None = None) -> SatisfactionStats:
    """The answers of the days first..last: the numbers of all, and the latest
    comments of `team` (None: of every team)."""
    stats = SatisfactionStats()
    answers = session.scalars(
        select(SatisfactionAnswer)
        .where(SatisfactionAnswer.day >= first, SatisfactionAnswer.day <= last)
        .order_by(SatisfactionAnswer.day.desc(), SatisfactionAnswer.id.desc())
    ).all()
    for answer in answers:
        stats.scores[answer.score] += 1
        stats.by_goal[answer.goal] += 1
        if answer.comment and (team is None or answer.team == team) and len(stats.comments) < LATEST_COMMENTS:
            stats.comments.append(answer)
    return stats
