"""The answer to the satisfaction question (the widget's small form after a
reached goal, bot/web/static/widget.js): POST /widget/tilfredshed with JSON
{"nonce": "...", "score": 1-5, "comment": "..."} or {"nonce": "...", "skip": true}.

The nonce is the only thing that ties an answer to an offer, and the offer
holds no conversation (bot/db/satisfaction.py): an unknown nonce is 404, a
used or expired one 409, and then nothing is stored. The widget is embedded
on other sites, so the route answers any origin (no cookies are involved),
and each client address may send a few answers a minute."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy.orm import Session, sessionmaker

from bot.db import satisfaction as repo
from bot.db.session import default_sessionmaker
from bot.shared.limits import SlidingWindow
from bot.shared.settings import load_settings

router = APIRouter()
PATH = "/widget/tilfredshed"
MAX_BODY = 4096
PER_MINUTE = 10
CORS = {"Access-Control-Allow-Origin": "*"}
per_address = SlidingWindow(PER_MINUTE, 60)


class Rating(BaseModel):
    """One answer: a score, or a skip; strict types (no "5" for 5, no extra keys)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    nonce: str = Field(min_length=1, max_length=repo.MAX_NONCE)
    score: int | None = Field(default=None, ge=1, le=5)
    skip: bool = False
    comment: str = Field(default="", max_length=repo.MAX_COMMENT)

    @model_validator(mode="after")
    def score_or_skip(self) -> Rating:
        if (self.score is None) != self.skip:
            raise ValueError("either a score or skip")
        return self


def database() -> Iterator[sessionmaker[Session]]:
    yield default_sessionmaker()


Database = Annotated[sessionmaker[Session], Depends(database)]


def answer(code: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"message": message, **extra}, status_code=code, headers=CORS)


@router.options(PATH)
def preflight() -> Response:
    """The widget on a municipality's site posts JSON: the browser asks first."""
    headers = {
        **CORS,
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600",
    }
    return Response(status_code=204, headers=headers)


def client_address(request: Request, trusted_proxies: int) -> str:
    """The client's address: behind `trusted_proxies` proxies (TRUSTED_PROXIES, as
    for the Rasa server), the one the nearest of them saw in X-Forwarded-For."""
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
    if trusted_proxies and len(forwarded) >= trusted_proxies:
        return forwarded[-trusted_proxies]
    return request.client.host if request.client else "unknown"


@router.post(PATH)
async def rate(request: Request, sessions: Database) -> JSONResponse:
    if not per_address.allow(client_address(request, load_settings().trusted_proxies)):
        return answer(429, "Der er sendt mange svar herfra lige nu. Prøv igen om et minut.")
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return answer(415, "Svaret skal sendes som JSON.")
    body = await request.body()
    if len(body) > MAX_BODY:
        return answer(413, "Svaret er for langt.")
    try:
        rating = Rating.model_validate_json(body)
    except ValidationError:
        return answer(422, "Vælg et tal fra 1 til 5, eller spring over. En kommentar må højst have 500 tegn.")
    try:
        with sessions.begin() as session:
            repo.answer_offer(session, rating.nonce, rating.score, rating.comment)
    except repo.OfferUnknown as error:
        return answer(404, str(error))
    except repo.OfferError as error:  # used or expired
        return answer(409, str(error), used=True)
    if rating.skip:
        return answer(200, "Spørgsmålet er sprunget over.", status="skipped")
    return answer(200, "Tak for din vurdering.", status="saved")
