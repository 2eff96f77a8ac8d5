"""The demo page embeds the widget with one script tag; the widget's files are served."""

from fastapi.testclient import TestClient

from bot.web.app import app

client = TestClient(app)


def test_demo_page_embeds_the_widget_with_one_script_tag() -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'lang="da"' in page.text and "Eksempel Kommune" in page.text
    assert page.text.count("<script") == 1
    assert 'src="/widget/widget.js" data-server-url="http://127.0.0.1:5005"' in page.text


def test_widget_files_are_served_to_any_site() -> None:
    for name, kind in [("widget.js", "javascript"), ("widget.css", "css"), ("socket.io.min.js", "javascript")]:
        response = client.get(f"/widget/{name}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert response.headers["access-control-allow-origin"] == "*"
    assert client.get("/widget/../app.py").status_code == 404
    assert client.get("/widget/nothing.js").status_code == 404


def test_privacy_page_and_health() -> None:
    assert "CPR-nummer" in client.get("/privatliv").text
    assert client.get("/health").json() == {"status": "ok"}


def test_the_widget_gets_its_privacy_notice_from_the_municipality_file() -> None:
    from bot.shared.municipality import current_municipality

    config = client.get("/widget/config.json")
    assert config.headers["access-control-allow-origin"] == "*"
    assert config.json()["privacy_notice"] == current_municipality().privacy.chat_notice
    assert current_municipality().privacy.enrollment_consent in client.get("/privatliv").text


def test_the_demo_site_sends_a_content_security_policy_the_widget_works_under() -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "connect-src 'self' http://127.0.0.1:5005 ws://127.0.0.1:5005" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
