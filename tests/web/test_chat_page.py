from fastapi.testclient import TestClient

from bot.web.app import app

client = TestClient(app)


def test_chat_page_names_the_municipality_and_talks_to_rasa() -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'lang="da"' in page.text and "Eksempel Kommune" in page.text
    assert '"http://localhost:5005"' in page.text
    assert 'aria-live="polite"' in page.text and '<label for="message">' in page.text


def test_script_and_health() -> None:
    script = client.get("/static/chat.js")
    assert script.status_code == 200 and "/webhooks/rest/webhook" in script.text
    assert client.get("/health").json() == {"status": "ok"}
