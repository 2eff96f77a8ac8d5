"""`make screenshots`: the staff app as the README shows it, taken from the
running assistant (its own SQLite databases and ports) in Debian's Chromium:
a few citizens write (danger, a person asked for, a service question), then
an admin's queue, the danger conversation, the service texts and the
dashboard are photographed into docs/screenshots/. Run by hand when the
pages change; the tests never write tracked files."""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

from bot.db.migrate import upgrade
from bot.db.seed import seed_services, seed_teams
from bot.db.session import make_sessionmaker
from bot.db.staff import create_user
from bot.runner import Assistant
from bot.shared.clock import danish_today
from bot.shared.settings import ROOT
from bot.staff.security import hash_password
from bot.training import model_path
from tests.bench.run import bench_settings

PORT = 19000 + int(os.environ.get("E2E_PORT_OFFSET", "0"))
OUT = ROOT / "docs" / "screenshots"
PASSWORD = f"skaermbillede-{uuid.uuid4().hex}"
CONVERSATIONS = {
    "danger": ["hej", "min kæreste slår mig og jeg tør ikke gå hjem"],
    "person": ["hej", "kan jeg tale med en sundhedsplejerske?", "her i chatten"],
    "service": ["hvornår kommer sundhedsplejersken på besøg?", "tak"],
    "misunderstood": ["blå giraf på cykel", "hvad med fredag"],
}
# Each page and what must be on it before the picture is taken.
PAGES = {
    "staff-queue.png": ("/", "Samtaler, der venter på en medarbejder"),
    "staff-conversation.png": ("/samtale/{danger}", "Tag sagen"),
    "staff-dashboard.png": ("/overblik", "Overblik"),
}


def say(rasa_url: str, sender: str, text: str) -> None:
    response = httpx.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()


def photograph(page: Page, base: str, senders: dict[str, str]) -> list[Path]:
    page.goto(f"{base}/login")
    page.get_by_label("Brugernavn").fill("bo")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_url(f"{base}/")
    taken = []
    for name, (path, must_show) in PAGES.items():
        page.goto(base + path.format(**senders))
        page.get_by_text(must_show).first.wait_for()
        target = OUT / name
        page.screenshot(path=str(target), full_page=True)
        taken.append(target)
    return taken


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = replace(
            bench_settings(Path(folder), PORT, "screenshots"),
            staff_port=PORT + 1,
            staff_secret=uuid.uuid4().hex * 2,
        )
        upgrade(settings.database_url)
        with make_sessionmaker(settings.database_url).begin() as session:
            seed_teams(session, danish_today())
            seed_services(session)
            create_user(session, username="bo", display_name="Bo", role="admin", password_hash=hash_password(PASSWORD))
        senders = {kind: f"{kind}-{uuid.uuid4().hex[:8]}" for kind in CONVERSATIONS}
        with Assistant(settings=settings, model=model_path(), with_web=True) as assistant:
            for kind, turns in CONVERSATIONS.items():
                for text in turns:
                    say(assistant.settings.rasa_url, senders[kind], text)
            OUT.mkdir(parents=True, exist_ok=True)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_page(locale="da-DK", viewport={"width": 1280, "height": 800})
                taken = photograph(page, f"http://127.0.0.1:{settings.staff_port}", senders)
                browser.close()
    for path in taken:
        print(f"  {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
