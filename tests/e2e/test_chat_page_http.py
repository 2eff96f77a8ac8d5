"""The chat page as `make run` serves it: the real web server, pointing at
the real Rasa server, which accepts the page's cross-origin requests."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import RunningAssistant

pytestmark = pytest.mark.e2e


def test_page_is_served_and_rasa_accepts_its_requests(running: RunningAssistant) -> None:
    settings = running.assistant.settings
    page_origin = f"http://localhost:{settings.web_port}"
    page = httpx.get(page_origin + "/")
    assert page.status_code == 200 and f'"{settings.rasa_url}"' in page.text
    assert httpx.get(page_origin + "/widget/widget.js").status_code == 200

    preflight = httpx.options(
        f"{settings.rasa_url}/webhooks/rest/webhook",
        headers={
            "Origin": page_origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.headers.get("access-control-allow-origin") in ("*", page_origin)

    reply = httpx.post(
        f"{settings.rasa_url}/webhooks/rest/webhook",
        headers={"Origin": page_origin},
        json={"sender": "page-check", "message": "hej"},
        timeout=30,
    )
    assert "Familie med Hjerte" in reply.json()[0]["text"]
