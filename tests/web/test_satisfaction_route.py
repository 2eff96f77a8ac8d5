"""The widget's answer to the satisfaction question (bot/web/satisfaction.py),
against real SQLite and PostgreSQL: one answer per offer, and misuse refused
with nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db import satisfaction as repo
from bot.db.satisfaction_models import SatisfactionAnswer, SatisfactionOffer
from bot.shared.clock import utc_now
from bot.shared.limits import SlidingWindow
from bot.web import satisfaction as route
from bot.web.app import app

URL = "/widget/tilfredshed"


@pytest.fixture
def client(session_maker: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr(route, "per_address", SlidingWindow(1000, 60))
    app.dependency_overrides[route.database] = lambda: session_maker
    yield TestClient(app)
    app.dependency_overrides.clear()


def offer(session_maker: sessionmaker[Session], goal: str = "staff_case") -> str:
    with session_maker.begin() as session:
        return repo.create_offer(session, goal, channel="socketio", team="family")


def stored(session_maker: sessionmaker[Session]) -> list[tuple[int, str | None]]:
    with session_maker() as session:
        rows = session.scalars(select(SatisfactionAnswer).order_by(SatisfactionAnswer.id))
        return [(row.score, row.comment) for row in rows]


def test_an_answer_is_stored_once_and_a_second_is_refused(client: TestClient, session_maker: Any) -> None:
    nonce = offer(session_maker)
    first = client.post(URL, json={"nonce": nonce, "score": 4, "comment": "Hurtigt svar, CPR 010203-1234"})
    assert first.status_code == 200, first.text
    assert first.json()["message"] == "Tak for din vurdering."
    assert first.headers["access-control-allow-origin"] == "*"
    again = client.post(URL, json={"nonce": nonce, "score": 1})
    assert again.status_code == 409 and again.json()["used"] is True
    assert stored(session_maker) == [(4, "Hurtigt svar, CPR [CPR-nummer fjernet]")]


def test_a_skip_uses_the_offer_and_stores_nothing(client: TestClient, session_maker: Any) -> None:
    nonce = offer(session_maker)
    assert client.post(URL, json={"nonce": nonce, "skip": True}).json()["status"] == "skipped"
    assert client.post(URL, json={"nonce": nonce, "score": 5}).status_code == 409
    assert stored(session_maker) == []


def test_an_expired_offer_is_refused(client: TestClient, session_maker: Any) -> None:
    nonce = offer(session_maker)
    with session_maker.begin() as session:
        row = session.scalars(select(SatisfactionOffer)).one()
        row.created_at = utc_now() - timedelta(days=repo.OFFER_DAYS, minutes=1)
    response = client.post(URL, json={"nonce": nonce, "score": 5})
    assert response.status_code == 409 and "for sent" in response.json()["message"]
    assert stored(session_maker) == []


@pytest.mark.parametrize(
    "body",
    [
        {"score": 4},  # no nonce
        {"nonce": "", "score": 4},
        {"nonce": "x" * 65, "score": 4},
        {"nonce": None, "score": 4},
        {"nonce": 12345, "score": 4},
    ],
)
def test_a_missing_or_malformed_nonce_is_refused(client: TestClient, session_maker: Any, body: Any) -> None:
    offer(session_maker)
    assert client.post(URL, json=body).status_code == 422
    assert stored(session_maker) == []


def test_a_forged_nonce_is_not_found(client: TestClient, session_maker: Any) -> None:
    nonce = offer(session_maker)
    for forged in [nonce[:-1] + ("A" if nonce[-1] != "A" else "B"), repo.nonce_hash(nonce), "a" * 64]:
        response = client.post(URL, json={"nonce": forged, "score": 5})
        assert response.status_code == 404, forged
    assert stored(session_maker) == []
    assert client.post(URL, json={"nonce": nonce, "score": 5}).status_code == 200


@pytest.mark.parametrize(
    "extra",
    [
        {"score": 0},
        {"score": 6},
        {"score": -1},
        {"score": "5"},
        {"score": 4.5},
        {"score": True},
        {"score": None},
        {},
        {"score": 4, "skip": True},
        {"skip": False},
        {"score": 4, "comment": "å" * 501},
        {"score": 4, "comment": 7},
        {"score": 4, "conversation_id": "abc"},
    ],
)
def test_a_wrong_score_or_comment_is_refused(client: TestClient, session_maker: Any, extra: Any) -> None:
    nonce = offer(session_maker)
    response = client.post(URL, json={"nonce": nonce, **extra})
    assert response.status_code == 422, extra
    assert "1 til 5" in response.json()["message"]
    assert stored(session_maker) == []
    # The offer is not used up by a refused answer.
    assert client.post(URL, json={"nonce": nonce, "score": 3, "comment": "å" * 500}).status_code == 200


def test_wrong_content_type_oversized_body_and_bad_json_are_refused(client: TestClient, session_maker: Any) -> None:
    nonce = offer(session_maker)
    body = f'{{"nonce": "{nonce}", "score": 4}}'
    assert client.post(URL, content=body, headers={"Content-Type": "text/plain"}).status_code == 415
    assert client.post(URL, data={"nonce": nonce, "score": "4"}).status_code == 415
    assert client.post(URL, content=body).status_code == 415  # no content type
    big = '{"nonce": "' + nonce + '", "score": 4, "comment": "' + "x" * 5000 + '"}'
    assert client.post(URL, content=big, headers={"Content-Type": "application/json"}).status_code == 413
    assert client.post(URL, content="{nonce", headers={"Content-Type": "application/json"}).status_code == 422
    assert client.post(URL, content="[]", headers={"Content-Type": "application/json"}).status_code == 422
    assert stored(session_maker) == []
    assert client.get(URL).status_code in (404, 405)


def test_the_preflight_allows_any_site_to_post_json(client: TestClient) -> None:
    response = client.options(
        URL, headers={"Origin": "https://www.example.dk", "Access-Control-Request-Method": "POST"}
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == "POST"
    assert response.headers["access-control-allow-headers"] == "Content-Type"


def test_one_address_may_send_few_answers_a_minute(
    client: TestClient, session_maker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(route, "per_address", SlidingWindow(route.PER_MINUTE, 60))
    nonces = [offer(session_maker) for _ in range(route.PER_MINUTE + 1)]
    codes = [client.post(URL, json={"nonce": nonce, "score": 5}).status_code for nonce in nonces]
    assert codes == [200] * route.PER_MINUTE + [429]
    assert len(stored(session_maker)) == route.PER_MINUTE


def test_behind_a_proxy_the_forwarded_address_is_counted() -> None:
    from starlette.requests import Request

    def request(forwarded: str) -> Request:
        headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
        return Request({"type": "http", "headers": headers, "client": ("10.0.0.1", 1234)})

    assert route.client_address(request("203.0.113.7"), 0) == "10.0.0.1"  # no proxy trusted: the peer
    assert route.client_address(request("198.51.100.1, 203.0.113.7"), 1) == "203.0.113.7"
    assert route.client_address(request("198.51.100.1, 203.0.113.7"), 2) == "198.51.100.1"
    assert route.client_address(request(""), 1) == "10.0.0.1"
