"""`make bench`, texts (SMS): the webhook's acknowledgement time with 10
senders texting at once (signed posts to the Rasa server's
/webhooks/sms/webhook, as the local gateway signs them), and the reply time
per text, from the post to the first reply text arriving at the local
gateway. Half the senders are registered young people, half unknown numbers.
"""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from bot.db import sms as sms_repo
from bot.db.session import make_sessionmaker
from bot.shared.settings import Settings
from bot.sms.gateway import WEBHOOK_PATH, inbound_claims, sign

SENDERS = 10  # at the same time
YOUNG_PEOPLE = ["UNG-001", "UNG-002", "UNG-003"]  # seeded (bot/db/seed_youth.yml), given numbers here
TURNS = ["hej", "hvornår har I åbent?", "hvad koster kurset?", "tak for hjælpen"]
YOUNG_TURNS = ["hej", "hvilke møder har jeg?", "hvornår har I åbent?", "tak for hjælpen"]
SETTLE = 0.6  # seconds without a new text before the next turn (a reply may be several texts)


def number_of(n: int) -> str:
    return f"45200077{n:02d}"


def register_numbers(settings: Settings) -> None:
    with make_sessionmaker(settings.database_url).begin() as session:
        for n, reference in enumerate(YOUNG_PEOPLE):
            sms_repo.set_mobile(session, reference, number_of(n))


def texts_to(client: httpx.Client, gateway: str, msisdn: str) -> list[float]:
    """When each text to the number arrived at the local gateway (its clock: this machine's)."""
    rows = client.get(f"{gateway}/phone/{msisdn}/messages").json()
    return [float(row["at"]) for row in rows if row["direction"] == "out"]


def one_sender(settings: Settings, n: int) -> tuple[list[float], list[float]]:
    """One number's turns, each after the last reply settled: (acknowledgements, replies), in seconds."""
    msisdn, gateway = number_of(n), settings.sms_gateway_base
    acks: list[float] = []
    replies: list[float] = []
    with httpx.Client(timeout=30) as client:
        for turn in YOUNG_TURNS if n < len(YOUNG_PEOPLE) else TURNS:
            before = len(texts_to(client, gateway, msisdn))
            claims = inbound_claims(msisdn, turn)
            headers = {"X-Gwapi-Signature": sign(claims, settings.sms_webhook_secret)}
            posted, started = time.time(), time.perf_counter()
            response = client.post(f"{settings.rasa_url}{WEBHOOK_PATH}", json=claims, headers=headers)
            acks.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"webhook answered {response.status_code}")
            deadline, arrived = time.monotonic() + 20, texts_to(client, gateway, msisdn)
            while len(arrived) <= before and time.monotonic() < deadline:
                time.sleep(0.02)
                arrived = texts_to(client, gateway, msisdn)
            if len(arrived) <= before:
                raise RuntimeError(f"no reply by text to {turn!r} within 20 s")
            replies.append(arrived[before] - posted)
            while time.time() - arrived[-1] < SETTLE:  # the reply's other texts, if any
                time.sleep(0.05)
                arrived = texts_to(client, gateway, msisdn)
    return acks, replies


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def sms_turns(settings: Settings) -> None:
    register_numbers(settings)
    one_sender(settings, SENDERS)  # warm up, an unknown number
    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        results = list(pool.map(one_sender, [settings] * SENDERS, range(SENDERS)))
    acks = [t * 1000 for result in results for t in result[0]]
    replies = [t * 1000 for result in results for t in result[1]]
    print(
        f"\nSMS by the local gateway's protocol, {SENDERS} numbers texting at once "
        f"({len(YOUNG_PEOPLE)} registered young people, {SENDERS - len(YOUNG_PEOPLE)} unknown; {len(acks)} texts)"
    )
    print(
        f"  webhook acknowledgement  p50 {statistics.median(acks):.0f} ms   p95 {p95(acks):.0f} ms   "
        f"max {max(acks):.0f} ms   target p95 <= 100 ms"
    )
    print(
        f"  reply by text per turn   p50 {statistics.median(replies):.0f} ms   p95 {p95(replies):.0f} ms   "
        f"max {max(replies):.0f} ms   (post to the first reply text at the gateway)"
    )
