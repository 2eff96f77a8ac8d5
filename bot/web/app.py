"""The web side of the assistant: the embeddable chat widget and a demo page
of a fictional municipal website that embeds it with one script tag."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from bot.shared.municipality import current_municipality
from bot.shared.settings import load_settings
from bot.web.phone import router as phone_router
from bot.web.satisfaction import router as satisfaction_router

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
# The official socket.io browser client, installed by set-up from package-lock.json.
SOCKET_IO_CLIENT = HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
WIDGET_FILES = {
    "widget.js": (STATIC / "widget.js", "text/javascript"),
    "widget.css": (STATIC / "widget.css", "text/css"),
    "socket.io.min.js": (SOCKET_IO_CLIENT, "text/javascript"),
}

app = FastAPI(title="Kommunens chat", docs_url=None, redoc_url=None, openapi_url=None)
app.mount("/static", StaticFiles(directory=STATIC), name="static")
templates = Jinja2Templates(directory=HERE / "templates")
app.include_router(phone_router)
app.include_router(satisfaction_router)


def content_security_policy(rasa_url: str) -> str:
    """What the municipality's pages need for the widget, and nothing more: its
    script and styles from this server, no inline script, and a connection
    to the Rasa server (socket.io over HTTP polling and websockets)."""
    websocket = rasa_url.replace("https://", "wss://").replace("http://", "ws://")
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {rasa_url} {websocket}; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'; object-src 'none'"
    )


def page(request: Request, template: str, **context: object) -> HTMLResponse:
    rasa_url = load_settings().rasa_url
    response = templates.TemplateResponse(
        request, template, {"municipality": current_municipality(), "rasa_url": rasa_url, **context}
    )
    response.headers["Content-Security-Policy"] = content_security_policy(rasa_url)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@app.get("/", response_class=HTMLResponse)
def demo_page(request: Request) -> HTMLResponse:
    return page(request, "demo.html")


@app.get("/privatliv", response_class=HTMLResponse)
def privacy_page(request: Request) -> HTMLResponse:
    return page(request, "privacy.html")


@app.get("/widget/config.json")
def widget_config() -> JSONResponse:
    """Texts the widget shows, from the municipality file (the one place they are edited)."""
    municipality = current_municipality()
    body = {
        "municipality": municipality.name,
        "privacy_notice": municipality.privacy.chat_notice,
        "privacy_url": municipality.privacy.page_url,
    }
    return JSONResponse(body, headers={"Access-Control-Allow-Origin": "*"})


@app.get("/widget/{name}")
def widget_file(name: str) -> FileResponse:
    """The widget is embedded from other sites, so its files allow any origin."""
    if name not in WIDGET_FILES:
        raise HTTPException(status_code=404)
    path, media_type = WIDGET_FILES[name]
    return FileResponse(path, media_type=media_type, headers={"Access-Control-Allow-Origin": "*"})


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
