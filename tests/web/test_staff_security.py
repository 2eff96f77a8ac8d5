"""The staff app's doors: no page or form answers without login (every route
is walked), CSRF on every form, the login rate limit, roles, cookies."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import Route

from bot.db.models import AuditEntry, Escalation, ServiceTextVersion, StaffSession, utcnow
from bot.db.seed import seed_services
from bot.db.services import change_service, get_service, texts_of
from bot.db.session import make_sessionmaker
from bot.db.staff import create_user, deactivate, get_by_username
from bot.shared.clock import danish_today
from bot.staff.app import create_app
from bot.staff.security import MAX_FAILURES_PER_USER, hash_password
from tests.web.conftest import PASSWORD, StaffApp, csrf_of, staff_settings

PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/ready")}
ADMIN_PAGES = ["/admin/log", "/admin/brugere", "/admin/eksport", "/admin/eksport.yml"]


def routes_of(routes: list[Any], prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI's wrapper around an included router
            found += routes_of(route.original_router.routes, prefix + route.include_context.prefix)
        elif isinstance(route, (Route, APIRoute)):
            found += [(method, prefix + route.path) for method in sorted(route.methods or []) if method != "HEAD"]
    return found


def every_route(app: StaffApp) -> list[tuple[str, str]]:
    """(method, path) of every route the app has, path parameters filled in."""
    return [
        (method, re.sub(r"\{(\w+)(:\w+)?\}", lambda m: "samtale-1" if m.group(1) == "conversation_id" else "1", path))
        for method, path in routes_of(app.app.routes)
    ]


def test_the_walk_finds_every_kind_of_route(staff_app: StaffApp) -> None:
    routes = set(every_route(staff_app))
    assert {
        ("GET", "/"),
        ("GET", "/samtale/samtale-1"),
        ("POST", "/sag/1/svar"),
        ("POST", "/sag/1/luk"),
        ("POST", "/logout"),
        ("GET", "/admin/eksport.yml"),
        ("GET", "/live"),
        ("GET", "/live.js"),
        ("GET", "/overblik"),
        ("GET", "/overblik.csv"),
        ("GET", "/tekster"),
        ("GET", "/tekster/1"),
        ("POST", "/tekster/1"),
        ("POST", "/tekster/1/gendan/1"),
    } <= routes
    assert len(routes) >= 16


def test_no_route_answers_without_login(staff_app: StaffApp) -> None:
    staff_app.escalation("samtale-1")
    client = staff_app.client()
    for method, path in every_route(staff_app):
        if (method, path) in PUBLIC:
            continue
        response = client.request(method, path, data={"text": "hej", "outcome": "x"})
        if method == "GET":
            assert response.status_code == 303 and response.headers["location"] == "/login", (method, path)
        else:
            assert response.status_code in (401, 403), (method, path, response.status_code)
        assert "samtale-1" not in response.text and "Kritisk" not in response.text
    with staff_app.sessions() as session:
        escalation = session.scalars(select(Escalation)).one()
        assert escalation.status == "new" and escalation.notes == []


def test_a_copied_cookie_is_worth_nothing_after_logout(staff_app: StaffApp) -> None:
    client = staff_app.signed_in("anne")
    queue = client.get("/")
    stolen = staff_app.client()
    stolen.cookies.update(client.cookies)
    assert stolen.get("/").status_code == 200  # the same session, before logout
    client.post("/logout", data={"csrf_token": csrf_of(queue.text)})
    assert stolen.get("/").headers["location"] == "/login"
    with staff_app.sessions() as session:
        assert session.scalars(select(StaffSession)).all() == []


def test_closing_an_account_ends_its_open_sessions_at_once(staff_app: StaffApp) -> None:
    laptop, phone = staff_app.signed_in("anne"), staff_app.signed_in("anne")
    assert laptop.get("/").status_code == 200 and phone.get("/").status_code == 200
    with staff_app.sessions.begin() as session:
        user = get_by_username(session, "anne")
        assert user is not None
        deactivate(session, user)
        assert session.scalars(select(StaffSession)).all() == []
    assert laptop.get("/").headers["location"] == "/login" and phone.get("/").headers["location"] == "/login"


def test_a_session_ends_after_its_hours(staff_app: StaffApp) -> None:
    client = staff_app.signed_in("anne")
    with staff_app.sessions.begin() as session:
        for row in session.scalars(select(StaffSession)):
            row.expires_at = utcnow() - timedelta(seconds=1)
    assert client.get("/").headers["location"] == "/login"


def test_login_then_the_queue_then_logout(staff_app: StaffApp) -> None:
    staff_app.escalation("samtale-1")
    client = staff_app.signed_in("anne")
    queue = client.get("/")
    assert queue.status_code == 200 and "Kritisk" in queue.text
    response = client.post("/logout", data={"csrf_token": csrf_of(queue.text)})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/").headers["location"] == "/login"
    with staff_app.sessions() as session:
        actions = [row.action for row in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["login", "view_queue", "logout"]


def test_session_cookie_is_httponly_and_strict(staff_app: StaffApp) -> None:
    client = staff_app.client()
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "anne", "password": PASSWORD, "csrf_token": token})
    cookie = response.headers["set-cookie"].lower()
    assert "staff_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_a_wrong_csrf_token_changes_nothing(staff_app: StaffApp) -> None:
    escalation = staff_app.escalation("samtale-1")
    client = staff_app.signed_in("anne")
    for token in ["", "forfalsket", csrf_of(staff_app.client().get("/login").text)]:  # none, forged, another session's
        response = client.post(f"/sag/{escalation.id}/note", data={"text": "note", "csrf_token": token})
        assert response.status_code == 403 and "Formularen" in response.text
    with staff_app.sessions() as session:
        assert session.get(Escalation, escalation.id).notes == []  # type: ignore[union-attr]


def test_a_wrong_csrf_token_changes_no_service_text(staff_app: StaffApp) -> None:
    with staff_app.sessions.begin() as session:
        seed_services(session)
        create_user(session, username="rie", display_name="Rie", role="editor", password_hash=hash_password(PASSWORD))
    client = staff_app.signed_in("rie")
    page = client.get("/tekster/tandpleje")
    assert page.status_code == 200
    with staff_app.sessions.begin() as session:  # a version to revert to, made as the CLI makes one
        change_service(session, "tandpleje", {"answer": "Før."}, editor="ab", known_units=set(), today=danish_today())
        before = texts_of(get_service(session, "tandpleje"))  # type: ignore[arg-type]
        version = session.scalars(select(ServiceTextVersion)).one()
    for token in ["", "forfalsket", csrf_of(staff_app.client().get("/login").text)]:  # none, forged, another session's
        for path in ["/tekster/tandpleje", f"/tekster/tandpleje/gendan/{version.id}"]:
            data = {
                "answer": "Forfalsket.",
                "read_more": "x",
                "audience": "x",
                "link": "https://x.dk",
                "action": "save",
            }
            response = client.post(path, data=data | {"csrf_token": token})
            assert response.status_code == 403 and "Formularen" in response.text, (token, path)
    del data["action"]
    assert client.post("/tekster/tandpleje", data=data).status_code == 403  # no token at all
    with staff_app.sessions() as session:
        assert texts_of(get_service(session, "tandpleje")) == before  # type: ignore[arg-type]
        assert len(session.scalars(select(ServiceTextVersion)).all()) == 1


def test_login_needs_the_csrf_token_too(staff_app: StaffApp) -> None:
    client = staff_app.client()
    client.get("/login")
    response = client.post("/login", data={"username": "anne", "password": PASSWORD, "csrf_token": "x"})
    assert response.status_code == 403


def test_brute_force_locks_the_login_even_for_the_right_password(staff_app: StaffApp) -> None:
    client = staff_app.client()
    for _ in range(MAX_FAILURES_PER_USER):
        token = csrf_of(client.get("/login").text)
        wrong = client.post("/login", data={"username": "anne", "password": "gæt-gæt-gæt-gæt", "csrf_token": token})
        assert wrong.status_code == 401 and "Forkert brugernavn eller adgangskode" in wrong.text
    token = csrf_of(client.get("/login").text)
    locked = client.post("/login", data={"username": "anne", "password": PASSWORD, "csrf_token": token})
    assert locked.status_code == 429 and "For mange forkerte forsøg" in locked.text
    assert client.get("/").headers["location"] == "/login"
    # Another staff member is not locked out by attempts on Anne's name.
    assert staff_app.signed_in("boss").get("/").status_code == 200


def test_unknown_user_and_wrong_password_look_the_same(staff_app: StaffApp) -> None:
    client = staff_app.client()
    texts = []
    for username in ["anne", "findes-ikke"]:
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login", data={"username": username, "password": "forkert-forkert", "csrf_token": token}
        )
        texts.append((response.status_code, "Forkert brugernavn eller adgangskode" in response.text))
    assert texts == [(401, True), (401, True)]


@pytest.mark.parametrize("path", ["/overblik", "/overblik.csv"])
def test_the_dashboard_is_for_admins_and_team_leads_only(staff_app: StaffApp, path: str) -> None:
    from bot.db.staff import create_user
    from bot.staff.security import hash_password

    with staff_app.sessions.begin() as session:
        create_user(session, username="lis", display_name="Lis", role="teamlead", password_hash=hash_password(PASSWORD))
    response = staff_app.signed_in("anne").get(path)
    assert response.status_code == 403 and "Kun administratorer og teamledere" in response.text
    assert staff_app.signed_in("lis").get(path).status_code == 200
    assert staff_app.signed_in("boss").get(path).status_code == 200
    # A team lead is no administrator.
    assert staff_app.signed_in("lis").get("/admin/log").status_code == 403


def test_the_dashboard_only_reads_so_it_has_no_form_to_forge(staff_app: StaffApp) -> None:
    """Its period chooser is a GET form; nothing under /overblik takes a POST
    (the tag form its links lead to is checked with the other forms)."""
    assert not [route for route in every_route(staff_app) if route[1].startswith("/overblik") and route[0] != "GET"]
    client = staff_app.signed_in("boss")
    page = client.get("/overblik").text
    assert '<form method="get" action="/overblik"' in page and 'method="post" action="/overblik' not in page
    for path in ("/overblik", "/overblik.csv"):
        assert client.post(path, data={"csrf_token": csrf_of(page)}).status_code == 405


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_staff_user_cannot_do_admin_things(staff_app: StaffApp, path: str) -> None:
    response = staff_app.signed_in("anne").get(path)
    assert response.status_code == 403 and "Kun administratorer" in response.text
    assert staff_app.signed_in("boss").get(path).status_code == 200


def test_a_deactivated_account_is_signed_out_at_once(staff_app: StaffApp) -> None:
    from bot.db.staff import get_by_username

    client = staff_app.signed_in("anne")
    with staff_app.sessions.begin() as session:
        get_by_username(session, "anne").active = False  # type: ignore[union-attr]
    assert client.get("/").headers["location"] == "/login"


def test_ready_says_only_whether_the_database_answers(staff_app: StaffApp, database_url: str) -> None:
    staff_app.escalation("samtale-klar")
    response = staff_app.client().get("/ready")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert staff_app.client().post("/ready").status_code == 405
    unreachable = "postgresql+psycopg2://postgres@127.0.0.1:1/nowhere"
    down = create_app(staff_settings(database_url), sessions=make_sessionmaker(unreachable, wait_seconds=2))
    response = TestClient(down).get("/ready")
    assert (response.status_code, response.json()) == (503, {"status": "database unavailable"})
    assert "samtale-klar" not in response.text and "nowhere" not in response.text
