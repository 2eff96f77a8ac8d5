"""End to end by text (SMS), misuse and what must never be kept: a flood
from one number is acknowledged and answered once, and someone else texting
meanwhile is answered as usual; a CPR number in a text is masked in
every place that stores or shows it (Rasa's tracker, the SMS tables, every
other table, the staff app, the logs), and the notice comes by text once;
script and markup in a text reach the staff app as text and the phone as
written."""

from __future__ import annotations

import re
import time

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from bot.db.sms_models import SmsInbound
from bot.domain import load_domain
from bot.runner import LOG_DIR
from bot.shared.cpr import MASK
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_handover_http import StaffBrowser
from tests.e2e.test_privacy_http import everything_stored
from tests.e2e.test_sms_cycle_http import Texting
from tests.e2e.test_sms_http import register, young_person
from tests.helpers import TEXTS_PER_MINUTE

pytestmark = pytest.mark.e2e
CPR_NOTICE = load_domain()["responses"]["utter_cpr_removed"][0]["text"]
# Birth dates and serials of this module's own (tests/e2e/test_privacy_http.py has others).
CPR_DIGITS = ["1607874321", "2509931133", "1403923456", "0102952345"]


def staff_page(running: RunningAssistant, conversation: str) -> str:
    """The conversation as an admin sees it in the staff app (the SMS side and the young person's included)."""
    staff = StaffBrowser(running, running.staff_user("sms-admin", role="admin", name="Admin"))
    response = staff.client.get(f"/samtale/{conversation}")
    assert response.status_code == 200
    return response.text


def test_a_flood_from_one_number_is_answered_once_and_others_are_not_held_up(running: RunningAssistant) -> None:
    flood = Texting(running, "4520000211")
    started = time.monotonic()
    for n in range(TEXTS_PER_MINUTE + 25):
        assert flood.post(f"hej {n}").status_code == 200  # each acknowledged: the gateway does not retry
    assert time.monotonic() - started < 60  # all in one window

    other = Texting(running, "4520000212")
    reply = other.turn("hvilke møder har jeg?")
    assert "registrere dit mobilnummer" in reply and "mange beskeder" not in reply

    with running.sessions() as session:
        registered = session.scalar(
            select(func.count()).select_from(SmsInbound).where(SmsInbound.conversation_id == flood.conversation)
        )
    assert registered == TEXTS_PER_MINUTE  # nothing stored for the rest
    flood.wait_turns(TEXTS_PER_MINUTE)
    events = running.tracker(flood.conversation)["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == [f"hej {n}" for n in range(TEXTS_PER_MINUTE)]
    replies = [e for e in events if e["event"] == "bot" and (e.get("text") or (e.get("data") or {}).get("buttons"))]
    texts = flood.drained()
    outbound = flood.outbound()
    notices = [text.body for text in outbound if text.kind == "limit"]
    assert len(notices) == 1 and "mange beskeder på kort tid" in notices[0] and "112" in notices[0]
    assert len(outbound) == len(texts) == len(replies) + 1  # the replies to the texts read, and one notice
    assert escape("for mange sms'er på kort tid") in staff_page(running, flood.conversation)  # the notice's kind


def test_a_cpr_number_by_text_is_masked_everywhere_and_the_notice_comes_once(running: RunningAssistant) -> None:
    phone = Texting(running, "4520000213")
    register(running, young_person(running, "Karen"), phone.number)
    texts = [phone.turn("mit cpr-nummer er 160787-4321")]
    assert CPR_NOTICE in texts[0]
    texts += [phone.turn("2509931133 er min søns"), phone.turn("cpr: 140392–3456 tak")]
    assert CPR_NOTICE not in texts[1] + texts[2]  # once per conversation
    # A masked text echoed back and saved: a meeting's note.
    texts.append(phone.turn("havde møde m. min mentor igår, vi snakkede om mit cpr 01.02.95-2345"))
    assert f'Note: "vi snakkede om mit cpr {MASK}".' in texts[-1] and "Gemt!" in texts[-1]  # said back masked

    cpr = re.compile("|".join(f"{d[:6]}\\D{{0,3}}{d[6:]}" for d in CPR_DIGITS) + "|" + "01.02.95-2345")
    users = [e["text"] for e in running.tracker(phone.conversation)["events"] if e["event"] == "user"]
    assert users[0] == f"mit cpr-nummer er {MASK}" and not any(cpr.search(text) for text in users)
    assert not any(cpr.search(text) for text in phone.received())
    stored = everything_stored(running)  # every table, the SMS ones and Rasa's events included
    assert any(f"vi snakkede om mit cpr {MASK}" == value for value in stored)  # the meeting's note
    assert [value for value in stored if cpr.search(value)] == []
    page = staff_page(running, phone.conversation)
    assert MASK in page and CPR_NOTICE in page and not cpr.search(page)
    logs = {path.name: path.read_text(encoding="utf-8", errors="replace") for path in LOG_DIR.glob("*.log")}
    assert {name for name, text in logs.items() if cpr.search(text)} == set()


SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"


def test_script_and_markup_by_text_are_text_in_the_staff_app_and_on_the_phone(running: RunningAssistant) -> None:
    phone = Texting(running, "4520000214")
    register(running, young_person(running, "Louise"), phone.number)
    assert phone.turn(SCRIPT)  # answered like any text
    assert "Gemt!" in phone.turn("havde møde m. min mentor igår, det gik fint")  # saved at once
    reply = phone.turn(IMAGE)
    assert f'"{IMAGE}"' in reply and "Noten er sat" in reply  # the note, said back as written

    page = staff_page(running, phone.conversation)
    for markup in (SCRIPT, IMAGE, "<img"):
        assert markup not in page
    # the only script is the staff app's own (the live view, from its own origin)
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/live.js" defer>']
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the young person's line, as text
    # The note in the transcript's bot line and in the list of texts sent, as text both times.
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 3
