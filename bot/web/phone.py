"""The demo site's phone page (`make run` only, with the local SMS gateway,
bot/sms/gateway.py): a person types texts as a phone number and sees the
texts that number gets, reminders included. The page works without
JavaScript (a form and a reload); phone.js fetches new texts every few
seconds. With a municipality's own gateway (SMS_GATEWAY_URL) there is no phone
here, and the page is not found."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.shared.settings import load_settings
from bot.sms.numbers import normalize

router = APIRouter()
DEMO_NUMBER = "+45 20 00 00 01"


def gateway() -> str:
    settings = load_settings()
    if settings.sms_gateway_url:
        raise HTTPException(status_code=404)
    return settings.sms_gateway_base


def texts(msisdn: str) -> list[dict[str, Any]]:
    try:
        response = httpx.get(f"{gateway()}/phone/{msisdn}/messages", timeout=5)
        response.raise_for_status()
    except httpx.HTTPError:
        return []
    found: list[dict[str, Any]] = response.json()
    return found


@router.get("/telefon", response_class=HTMLResponse)
def phone_page(request: Request, nummer: str = DEMO_NUMBER, fejl: str = "") -> Response:
    from bot.web.app import page

    gateway()
    msisdn = normalize(nummer)
    return page(
        request,
        "phone.html",
        number=nummer,
        msisdn=msisdn or "",
        texts=texts(msisdn) if msisdn else [],
        error="Det er ikke et mobilnummer." if msisdn is None else fejl,
    )


@router.get("/telefon/beskeder")
def phone_texts(nummer: str) -> JSONResponse:
    msisdn = normalize(nummer)
    return JSONResponse([{"direction": t["direction"], "text": t["text"]} for t in texts(msisdn)] if msisdn else [])


@router.post("/telefon")
def phone_send(nummer: str = Form(...), besked: str = Form(...)) -> RedirectResponse:
    msisdn = normalize(nummer)
    target = httpx.URL("/telefon", params={"nummer": nummer})
    if msisdn is None or not besked.strip():
        return RedirectResponse(str(target.copy_add_param("fejl", "Skriv et nummer og en besked.")), status_code=303)
    try:
        httpx.post(f"{gateway()}/phone/{msisdn}/send", json={"message": besked.strip()[:1000]}, timeout=15)
    except httpx.HTTPError:
        return RedirectResponse(str(target.copy_add_param("fejl", "Beskeden kunne ikke sendes.")), status_code=303)
    return RedirectResponse(str(target), status_code=303)
