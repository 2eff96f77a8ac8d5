"""A simple local page with a working chat, talking to Rasa's REST channel."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from bot.municipality import current_municipality
from bot.settings import load_settings

HERE = Path(__file__).resolve().parent

app = FastAPI(title="Familie med Hjerte chat", docs_url=None, redoc_url=None)
app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
templates = Jinja2Templates(directory=HERE / "templates")


@app.get("/", response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "chat.html",
        {"municipality": current_municipality(), "rasa_url": load_settings().rasa_url},
    )


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
