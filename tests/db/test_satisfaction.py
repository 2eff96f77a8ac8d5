"""The satisfaction question's offers and answers, on real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import satisfaction as repo
from bot.db.satisfaction_models import SatisfactionAnswer, SatisfactionOffer
from bot.shared.clock import utc_now


def answers(session: Session) -> list[SatisfactionAnswer]:
    return list(session.scalars(select(SatisfactionAnswer).order_by(SatisfactionAnswer.id)))


def test_an_offer_stores_only_the_nonces_hash_and_no_conversation(session: Session) -> None:
    nonce = repo.create_offer(session, "staff_case", channel="socketio", team="family")
    offer = session.scalars(select(SatisfactionOffer)).one()
    assert len(nonce) >= 32 and nonce not in offer.nonce_hash
    assert offer.nonce_hash == repo.nonce_hash(nonce)
    assert (offer.goal, offer.team, offer.channel, offer.used_at) == ("staff_case", "family", "socketio", None)
    assert not hasattr(offer, "conversation_id") and not hasattr(SatisfactionAnswer, "conversation_id")


def test_an_offer_is_answered_once_with_the_danish_day(session: Session) -> None:
    nonce = repo.create_offer(session, "enrollment", channel="socketio", team="course")
    late_evening = datetime(2026, 12, 6, 23, 30, tzinfo=timezone.utc)  # already 7 December in Denmark
    answer = repo.answer_offer(session, nonce, 4, "  Meget venlig hjælp  ", now=late_evening)
    assert answer is not None
    stored = answers(session)
    assert [(a.goal, a.team, a.score, a.comment, a.day, a.channel) for a in stored] == [
        ("enrollment", "course", 4, "Meget venlig hjælp", date(2026, 12, 7), "socketio")
    ]
    with pytest.raises(repo.OfferUsed):
        repo.answer_offer(session, nonce, 5, "igen", now=late_evening)
    assert len(answers(session)) == 1


def test_a_skip_uses_the_offer_and_stores_no_answer(session: Session) -> None:
    nonce = repo.create_offer(session, "staff_case", channel="socketio")
    assert repo.answer_offer(session, nonce, None) is None
    assert answers(session) == []
    with pytest.raises(repo.OfferUsed):
        repo.answer_offer(session, nonce, 3)
    assert answers(session) == []


def test_an_expired_offer_is_refused_and_nothing_stored(session: Session) -> None:
    nonce = repo.create_offer(session, "staff_case", channel="socketio")
    later = utc_now() + timedelta(days=repo.OFFER_DAYS, minutes=1)
    with pytest.raises(repo.OfferExpired):
        repo.answer_offer(session, nonce, 5, now=later)
    assert answers(session) == []
    assert session.scalars(select(SatisfactionOffer)).one().used_at is None
    # Just inside the window it is still taken.
    nonce = repo.create_offer(session, "staff_case", channel="socketio")
    assert repo.answer_offer(session, nonce, 2, now=utc_now() + timedelta(days=repo.OFFER_DAYS - 1)) is not None


@pytest.mark.parametrize("nonce", ["", "x" * 65, "not-a-nonce", "' OR 1=1 --"])
def test_an_unknown_or_forged_nonce_is_refused(session: Session, nonce: str) -> None:
    repo.create_offer(session, "staff_case", channel="socketio")
    with pytest.raises(repo.OfferUnknown):
        repo.answer_offer(session, nonce, 5)
    assert answers(session) == []
    assert session.scalars(select(SatisfactionOffer)).one().used_at is None


def test_cpr_numbers_in_a_comment_are_masked_and_it_is_cut_to_500(session: Session) -> None:
    nonce = repo.create_offer(session, "staff_case", channel="socketio")
    repo.answer_offer(session, nonce, 3, "Mit CPR er 010203-1234 og min søns 0102031234")
    assert answers(session)[0].comment == "Mit CPR er [CPR-nummer fjernet] og min søns [CPR-nummer fjernet]"
    nonce = repo.create_offer(session, "staff_case", channel="socketio")
    repo.answer_offer(session, nonce, 3, "å" * 900)
    assert answers(session)[1].comment == "å" * 500


def test_the_stats_count_the_period_and_show_a_team_its_own_comments(session: Session) -> None:
    def rate(score: int, day: date, comment: str = "", team: str = "family", goal: str = "staff_case") -> None:
        nonce = repo.create_offer(session, goal, channel="socketio", team=team)
        repo.answer_offer(
            session, nonce, score, comment, now=datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
        )

    rate(5, date(2026, 11, 2), "Super", team="course", goal="enrollment")
    rate(4, date(2026, 11, 3), "God hjælp")
    rate(4, date(2026, 11, 3))
    rate(1, date(2026, 11, 4), "Ventede længe", team="youth")
    rate(2, date(2026, 10, 31), "uden for perioden")
    stats = repo.satisfaction_stats(session, date(2026, 11, 1), date(2026, 11, 30))
    assert stats.answers == 4
    assert stats.average == pytest.approx(3.5)
    assert stats.distribution == [(1, 1), (2, 0), (3, 0), (4, 2), (5, 1)]
    assert dict(stats.by_goal) == {"enrollment": 1, "staff_case": 3}
    assert [a.comment for a in stats.comments] == ["Ventede længe", "God hjælp", "Super"]
    family = repo.satisfaction_stats(session, date(2026, 11, 1), date(2026, 11, 30), team="family")
    assert family.answers == 4 and [a.comment for a in family.comments] == ["God hjælp"]
    empty = repo.satisfaction_stats(session, date(2025, 1, 1), date(2025, 1, 31))
    assert (empty.answers, empty.average, empty.comments) == (0, None, [])


def test_offers_are_purged_a_day_after_they_expired_and_the_answers_stay(session: Session) -> None:
    old, fresh = (repo.create_offer(session, "staff_case", channel="socketio") for _ in range(2))
    repo.answer_offer(session, old, 5)
    rows = {row.nonce_hash: row for row in session.scalars(select(SatisfactionOffer))}
    rows[repo.nonce_hash(old)].created_at = utc_now() - timedelta(days=repo.OFFER_DAYS + 2)
    session.flush()
    assert repo.purge_offers(session, utc_now()) == 1
    assert [row.nonce_hash for row in session.scalars(select(SatisfactionOffer))] == [repo.nonce_hash(fresh)]
    assert [a.score for a in answers(session)] == [5]
