"""The dashboard in a real headless Chromium: the staff app alone (no Rasa is
needed for it) on its own port, with the seeded conversations of
tests/dashboard_seed.py; axe-core finds no WCAG 2.1 AA violation on the
dashboard nor on its answer to a bad period. Screenshots and the axe report
go to var/reports/."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, expect
from sqlalchemy import create_engine

from bot.db.migrate import upgrade
from bot.db.session import make_sessionmaker
from bot.db.staff import create_user
from bot.staff.app import create_app
from bot.staff.security import hash_password
from tests import dashboard_seed as seed
from tests.e2e.test_staff_browser import axe_violations
from tests.e2e.test_widget_browser import REPORTS
from tests.web.conftest import PASSWORD, staff_settings
from tests.web.test_sms_client import free_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("dashboard")
    database_url, tracker = f"sqlite:///{folder / 'municipal.db'}", create_engine(f"sqlite:///{folder / 'tracker.db'}")
    upgrade(database_url)
    sessions = make_sessionmaker(database_url, immediate=True)
    with sessions.begin() as session:
        create_user(session, username="boss", display_name="Bo", role="admin", password_hash=hash_password(PASSWORD))
        seed.cases_and_enrolment(session)
    with tracker.begin() as connection:
        seed.events_table(connection)
    port = free_port()
    app = create_app(staff_settings(database_url), sessions=sessions, tracker_engine=tracker)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", ws="none"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)
    tracker.dispose()


def test_the_dashboard_has_no_wcag_violations(dashboard_url: str, browser: Browser) -> None:
    # bypass_csp: the staff app allows no injected scripts; axe-core is injected by the test.
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{dashboard_url}/login")
    page.get_by_label("Brugernavn").fill("boss")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.get_by_role("link", name="Overblik").click()
    page.get_by_label("Fra og med").fill("2026-11-02")
    page.get_by_label("Til og med").fill("2026-11-04")
    page.get_by_role("button", name="Vis perioden").click()
    expect(page.get_by_role("img", name="Samtaler pr. dag")).to_be_visible()
    expect(page.get_by_role("table", name="Samtaler pr. dag")).to_contain_text("02.11.2026")
    expect(page.locator(".figures")).to_contain_text("Sluttede uden en medarbejder 25,0 %")
    dashboard = axe_violations(page)
    REPORTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(REPORTS / "staff-dashboard.png"), full_page=True)

    page.set_viewport_size({"width": 320, "height": 800})
    narrow = axe_violations(page)
    page.screenshot(path=str(REPORTS / "staff-dashboard-320.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{dashboard_url}/overblik?fra=2026-11-04&til=2026-11-02")
    expect(page.get_by_role("alert")).to_contain_text("Fra-datoen er efter til-datoen")
    bad_period = axe_violations(page)
    report = {"dashboard": dashboard, "dashboard_320px": narrow, "bad_period": bad_period}
    (REPORTS / "staff-dashboard-axe.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    context.close()
    assert report == {"dashboard": [], "dashboard_320px": [], "bad_period": []}
