"""The staff app's live stream (GET /live) on the real database: behind login,
scoped to the staff member's team (another team's case never appears in it),
alerts for new critical cases only, the page's table again only when it
changed. Each stream here lasts about a second (live_max_seconds)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.db.models import Escalation
from bot.staff.context import StaffContext
from tests.web.conftest import StaffApp, csrf_of


@pytest.fixture
def live(staff_app: StaffApp) -> StaffApp:
    ctx: StaffContext = staff_app.app.state.staff
    ctx.live_poll_seconds, ctx.live_max_seconds = 0.2, 1.0
    return staff_app


def events(client: TestClient, path: str = "/live", **headers: str) -> list[tuple[str, dict[str, Any], str]]:
    """(event, data, id) of every event the stream sent before it ended."""
    response = client.get(path, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    found = []
    for block in response.text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            found.append((fields["event"], json.loads(fields["data"]), fields.get("id", "")))
    return found


def youth_case(app: StaffApp, conversation: str) -> Escalation:
    row = app.escalation(conversation)
    with app.sessions.begin() as session:
        session.get(Escalation, row.id).team = "youth"  # type: ignore[union-attr]
    return row


def test_the_stream_and_its_script_need_login(live: StaffApp) -> None:
    live.escalation("samtale-1")
    client = live.client()
    for path in ["/live", "/live?view=queue", "/live?samtale=samtale-1", "/live.js"]:
        response = client.get(path, headers={"Last-Event-ID": "0"})
        assert response.status_code == 303 and response.headers["location"] == "/login", path
        assert "samtale-1" not in response.text


def test_a_new_critical_case_is_alerted_to_its_own_team_only(live: StaffApp) -> None:
    anne, boss = live.signed_in("anne"), live.signed_in("boss")
    own, other = live.escalation("samtale-egen"), youth_case(live, "samtale-ung")
    # As a browser reconnecting after event 0: both cases came in since.
    seen = events(anne, "/live?view=queue", **{"Last-Event-ID": "0"})
    alerts = [data for name, data, _ in seen if name == "alert"]
    assert alerts == [{"id": own.id, "reason": "Fare", "href": "/samtale/samtale-egen"}]
    assert [ident for name, _, ident in seen if name == "alert"] == [str(own.id)]
    tables = [data["html"] for name, data, _ in seen if name == "queue"]
    assert len(tables) == 1 and "samtale-egen" in tables[0]  # the table once: it did not change again
    everything = json.dumps(seen)
    assert "samtale-ung" not in everything and f'"id": {other.id}' not in everything
    admin_alerts = [data["id"] for name, data, _ in events(boss, "/live", **{"Last-Event-ID": "0"}) if name == "alert"]
    assert admin_alerts == [own.id, other.id]  # an admin sees every team's


def test_a_page_is_not_alerted_about_what_it_shows_and_gets_the_table_when_it_changed(live: StaffApp) -> None:
    first = live.escalation("samtale-1")
    anne = live.signed_in("anne")
    page = anne.get("/").text
    url = re.search(r'data-live-url="([^"]+)"', page).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert url.startswith("/live?view=queue&seen=")
    assert events(anne, url) == [("ready", {}, str(first.id))]  # nothing new
    live.escalation("samtale-2", priority="normal", reason="request_human")
    changed = events(anne, url)
    assert [name for name, _, _ in changed] == ["ready", "queue"]
    assert "samtale-2" in changed[1][1]["html"] and "samtale-1" in changed[1][1]["html"]


def test_another_teams_conversation_cannot_be_watched(live: StaffApp) -> None:
    youth_case(live, "samtale-ung")
    anne = live.signed_in("anne")
    for conversation in ["samtale-ung", "findes-ikke"]:
        response = anne.get("/live", params={"samtale": conversation})
        assert response.status_code == 404 and "samtale-ung" not in response.text.replace("findes-ikke", "")


def test_a_forged_last_event_id_is_ignored(live: StaffApp) -> None:
    live.escalation("samtale-1")
    anne = live.signed_in("anne")
    for forged in ["-1", "abc", "9" * 40, "1e9"]:
        assert [name for name, _, _ in events(anne, "/live", **{"Last-Event-ID": forged})] == ["ready"]


def test_the_pages_load_the_live_script_and_keep_working_without_it(live: StaffApp) -> None:
    row = live.escalation("samtale-1")
    anne = live.signed_in("anne")
    queue = anne.get("/")
    assert '<script src="/live.js" defer></script>' in queue.text and 'role="alert"' in queue.text
    assert "script-src 'self'" in queue.headers["content-security-policy"]
    assert 'href="/?' in queue.text  # the refresh links without JavaScript are still there
    script = anne.get("/live.js")
    assert script.status_code == 200 and "EventSource" in script.text
    conversation = anne.get("/samtale/samtale-1").text
    assert 'data-live-url="/live?samtale=samtale-1&amp;seen=' in conversation
    assert f'data-case-status="{row.id}"' in conversation and 'data-live-region="transcript"' in conversation
    assert csrf_of(conversation)
