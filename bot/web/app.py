"""The web side of the assistant: the embeddable chat widget and a demo page
of a fictional municipal website that embeds it with one script tag."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from bot.municipality import current_municipality
from bot.settings import load_settings

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


@app.get("/", response_class=HTMLResponse)
def demo_page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "demo.html", {"municipality": current_municipality(), "rasa_url": load_settings().rasa_url}
    )


@app.get("/privatliv", response_class=HTMLResponse)
def privacy_page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "privacy.html", {"municipality": current_municipality()})


@app.get("/widget/config.json")
def widget_config() -> JSONResponse:
    """Texts the widget shows, from the municipality file (the one place they are edited)."""
    municipality = current_municipality()
    body = {"municipality": municipality.name, "privacy_notice": municipality.privacy.chat_notice,
            "privacy_url": municipality.privacy.page_url}
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
