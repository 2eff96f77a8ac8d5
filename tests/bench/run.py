"""`make bench`: NLU F1 on held-out messages, training time, the Rasa server's
peak memory and per-turn latency with 10 concurrent conversations, and the
SMS webhook's acknowledgement and reply times with 10 numbers texting
(tests/bench/sms.py), and the blind conversation replay: two sets of 64
whole conversations through the running servers, goal reached or not
(tests/bench/conversations.py; target >= 95 %).

Prints numbers; asserts nothing. Targets (2-core machine): macro F1 >= 0.93,
training <= 180 s, p95 <= 150 ms, peak memory <= 1.5 GB, SMS
acknowledgement p95 <= 100 ms; the danger layer's
targets are printed with its numbers (tests/bench/danger.py).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import yaml

from bot.db.migrate import upgrade
from bot.db.seed import seed_teams, seed_youth
from bot.db.session import make_sessionmaker
from bot.runner import Assistant
from bot.shared.clock import danish_today
from bot.shared.cpr import MASK, contains_cpr, mask_cpr, mask_payload
from bot.shared.settings import ROOT, VAR_DIR, Settings
from bot.training import RASA_BIN, model_path, quiet_rasa_env
from tests.bench import conversations, danger, sms
from tests.cpr_writings import WRITINGS, cpr_numbers, look_alikes, typed_payloads
from tests.helpers import municipality_for_tests

HELD_OUT = {
    "dev set (used for error analysis, optimistic)": ROOT / "tests" / "data" / "nlu_holdout.yml",
    "blind set (written without seeing the training data)": ROOT / "tests" / "data" / "nlu_test.yml",
    "blind set 2 (written from the contract alone, 2026-12-06)": ROOT / "tests" / "data" / "nlu_blind2.yml",
    "blind set 3 (from the contract alone, 2026-12-06, evening)": ROOT / "tests" / "data" / "nlu_blind3.yml",
    "blind set 4 (from the contract alone, 2026-12-07)": ROOT / "tests" / "data" / "nlu_blind4.yml",
    "blind set 5 (from the contract alone, 2026-12-07, second)": ROOT / "tests" / "data" / "nlu_blind5.yml",
    "blind set 6 (from the contract alone, 2026-12-07, third)": ROOT / "tests" / "data" / "nlu_blind6.yml",
    "blind set 7 (from the contract alone, 2026-12-07, fourth)": ROOT / "tests" / "data" / "nlu_blind7.yml",
    "blind set 8 (from the contract alone, 2026-12-07, fifth)": ROOT / "tests" / "data" / "nlu_blind8.yml",
    "blind set 9 (from the contract alone, 2026-12-07, sixth)": ROOT / "tests" / "data" / "nlu_blind9.yml",
    "blind set 10 (from the contract alone, 2026-12-07, seventh)": ROOT / "tests" / "data" / "nlu_blind10.yml",
    "blind set 11 (from the contract alone, 2026-12-07, eighth)": ROOT / "tests" / "data" / "nlu_blind11.yml",
    "blind set 12 (from the contract alone, 2026-12-08)": ROOT / "tests" / "data" / "nlu_blind12.yml",
}
SERVICE_QUESTIONS = ROOT / "tests" / "data" / "faq_test.yml"  # blind, like nlu_test.yml
YOUTH_HELD_OUT = {
    "youth dev set (written with the training data, not in it)": ROOT / "tests" / "data" / "youth_holdout.yml",
    "youth blind set (written without seeing the training data)": ROOT / "tests" / "data" / "youth_test.yml",
    "youth blind set 2 (written from the contract alone, 2026-12-06)": ROOT / "tests" / "data" / "youth_blind2.yml",
    "youth blind set 3 (from the contract alone, 2026-12-06, evening)": ROOT / "tests" / "data" / "youth_blind3.yml",
    "youth blind set 4 (from the contract alone, 2026-12-07)": ROOT / "tests" / "data" / "youth_blind4.yml",
    "youth blind set 5 (from the contract alone, 2026-12-07, second)": ROOT / "tests" / "data" / "youth_blind5.yml",
    "youth blind set 6 (from the contract alone, 2026-12-07, third)": ROOT / "tests" / "data" / "youth_blind6.yml",
    "youth blind set 7 (from the contract alone, 2026-12-07, fourth)": ROOT / "tests" / "data" / "youth_blind7.yml",
    "youth blind set 8 (from the contract alone, 2026-12-07, fifth)": ROOT / "tests" / "data" / "youth_blind8.yml",
    "youth blind set 9 (from the contract alone, 2026-12-07, sixth)": ROOT / "tests" / "data" / "youth_blind9.yml",
    "youth blind set 10 (from the contract alone, 2026-12-07, seventh)": ROOT / "tests" / "data" / "youth_blind10.yml",
    "youth blind set 11 (from the contract alone, 2026-12-07, eighth)": ROOT / "tests" / "data" / "youth_blind11.yml",
    "youth blind set 12 (from the contract alone, 2026-12-08)": ROOT / "tests" / "data" / "youth_blind12.yml",
}
OUT = VAR_DIR / "bench"
PARENTS = [
    "Mette Hansen",
    "Ali Khan",
    "Sofie Nørgaard",
    "Jonas Berg",
    "Karen-Margrethe Poulsen",
    "Camilla Due",
    "Line Skov Jensen",
    "Maria Rasmussen",
    "Ahmed Hassan",
    "Julie Møller",
    "Emma Lund",
    "Sara Holm",
]
CONVERSATIONS = 10  # at the same time
# E2E_PORT_OFFSET moves the servers' ports, as in the end-to-end tests, so that
# two checkouts can run the bench at once.
PORT = 16000 + int(os.environ.get("E2E_PORT_OFFSET", "0"))
ROUNDS = 3  # each of the 10 parents enrols, then the next one takes the place


def rasa_test_nlu(model: Path, messages: Path, *options: str) -> Path:
    """`rasa test nlu` on one file; returns the folder with its reports."""
    out = OUT / "nlu" / messages.stem
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(
        [str(RASA_BIN), "test", "nlu", "--model", str(model), "--nlu", str(messages), "--out", str(out), *options],
        cwd=ROOT,
        env=quiet_rasa_env(),
        check=True,
        capture_output=True,
    )
    return out


def nlu_f1(model: Path, label: str, held_out: Path) -> None:
    out = rasa_test_nlu(model, held_out, "--successes")  # every prediction: the danger check-in rate reads them
    report = json.loads((out / "intent_report.json").read_text())
    print(f"\nNLU intent F1, {label}; never used in training")
    intents = {
        k: v
        for k, v in report.items()
        if isinstance(v, dict) and "f1-score" in v and k not in ("macro avg", "weighted avg", "micro avg")
    }
    for name, scores in sorted(intents.items()):
        print(f"  {name:20} F1 {scores['f1-score']:.3f}  (n={scores['support']})")
    print(f"  {'macro avg':20} F1 {report['macro avg']['f1-score']:.3f}   target >= 0.93")
    print(f"  {'accuracy':20}    {report['accuracy']:.3f}")


def youth_f1(model: Path, label: str, held_out: Path) -> None:
    """The young people's intents; macro F1 over the intents in the set
    (a message of theirs taken for another intent lowers its recall)."""
    out = rasa_test_nlu(model, held_out, "--successes")
    report = json.loads((out / "intent_report.json").read_text())
    intents = {
        k: v
        for k, v in report.items()
        if isinstance(v, dict) and v.get("support") and k not in ("macro avg", "weighted avg", "micro avg")
    }
    print(f"\nNLU intent F1, {label}")
    for name, scores in sorted(intents.items()):
        print(
            f"  {name:20} F1 {scores['f1-score']:.3f}  precision {scores['precision']:.3f}  "
            f"recall {scores['recall']:.3f}  (n={scores['support']})"
        )
    macro = sum(v["f1-score"] for v in intents.values()) / max(len(intents), 1)
    print(f"  {'macro avg':20} F1 {macro:.3f}   accuracy {report['accuracy']:.3f}")


def service_topics(model: Path) -> None:
    out = rasa_test_nlu(model, SERVICE_QUESTIONS)
    intents = json.loads((out / "intent_report.json").read_text())
    topics = json.loads((out / "response_selection_report.json").read_text())
    print("\nService questions (blind set): a service question at all (intent)? which topic (ResponseSelector)?")
    for name in [
        "faq",
        "ask_price",
        "ask_location",
        "ask_opening_hours",
        "ask_audience",
        "ask_contact_details",
        "ask_read_more",
    ]:
        scores = intents.get(name, {})
        print(f"  intent {name:22} F1 {scores.get('f1-score', 0):.3f}  (n={scores.get('support', 0)})")
    for name, scores in sorted(topics.items()):
        if isinstance(scores, dict) and "recall" in scores and "/" in name:
            print(
                f"  topic  {name:28} accuracy {scores['recall']:.3f}  precision {scores['precision']:.3f}  "
                f"(n={scores['support']})"
            )
    print(f"  topics overall accuracy {topics.get('accuracy', float('nan')):.3f}")


def cpr_masking() -> None:
    cases = yaml.safe_load((ROOT / "tests" / "data" / "cpr_cases.yml").read_text(encoding="utf-8"))
    caught = sum(mask_cpr(text) != text for text in cases["cpr"])
    false = [text for text in cases["not_cpr"] if mask_cpr(text) != text]
    print(
        f"\nCPR masking (tests/data/cpr_cases.yml): {caught}/{len(cases['cpr'])} CPR numbers masked, "
        f"{len(false)}/{len(cases['not_cpr'])} look-alikes masked by mistake {false or ''}"
    )
    numbers, alikes = cpr_numbers(), look_alikes()
    masked = sum(MASK in mask_cpr(text) and not contains_cpr(mask_cpr(text)) for text in numbers)
    kept = sum(mask_cpr(text) == text for text in alikes)
    print(
        f"CPR masking (tests/cpr_writings.py, {len(WRITINGS)} writings): {masked}/{len(numbers)} masked "
        f"({masked / len(numbers):.1%}), {kept}/{len(alikes)} look-alikes kept ({kept / len(alikes):.1%})   "
        f"targets 100 % and 100 %"
    )
    payloads = typed_payloads()
    caught = sum(MASK in mask_payload(p) and not contains_cpr(mask_payload(p)) for p in payloads)
    print(
        f"CPR masking in typed /intent{{…}} payloads (JSON-escaped entity values): {caught}/{len(payloads)} "
        f"masked ({caught / len(payloads):.1%})   target 100 %"
    )


def training_time() -> None:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run(
            # the same inputs as bot/training.py (the domain is a directory of feature files)
            [str(RASA_BIN), "train", "--config", "config.yml", "--domain", "domain", "--data", "data"]
            + ["--out", folder, "--force"],
            cwd=ROOT,
            env=quiet_rasa_env(),
            check=True,
            capture_output=True,
        )
        print(f"\nTraining from scratch: {time.perf_counter() - started:.0f} s   target <= 180 s")


def one_conversation(base_url: str, n: int, pause: float = 0.0) -> list[float]:
    """One enrollment; `pause` seconds between a reply and the next message
    stand in for a parent reading and typing (0: back to back). With pauses,
    parents also arrive at different moments within the first pause."""
    sender = f"bench-{n}-{uuid.uuid4().hex[:6]}"
    due = (danish_today() + timedelta(weeks=12)).strftime("%d.%m.%Y")
    name = PARENTS[n % len(PARENTS)]
    email = f"bench{n}.{uuid.uuid4().hex[:4]}@example.dk"
    turns = [
        "hej",
        "vi vil gerne tilmelde os kurset",
        name,
        "/deny",
        due,
        "nej",
        email,
        "ja",
        "er vi tilmeldt?",
    ]
    timings: list[float] = []
    buttons: list[dict[str, str]] = []
    last: object = None
    time.sleep(random.uniform(0, 2 * pause))
    with httpx.Client(timeout=30) as client:
        for turn in turns:
            if turn is None and not buttons:
                raise RuntimeError(f"{sender}: expected team buttons, got {last}")
            message = turn if turn is not None else buttons[0]["payload"]
            started = time.perf_counter()
            reply = client.post(f"{base_url}/webhooks/rest/webhook", json={"sender": sender, "message": message})
            timings.append(time.perf_counter() - started)
            last = reply.json()
            buttons = [b for m in reply.json() for b in m.get("buttons", [])]
            time.sleep(pause * random.uniform(0.5, 1.5))
    return timings


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(group: int) -> float:
    """User and system CPU time of every process in the process group (the server and any it started)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == group:  # pgrp; then utime and stime are fields 11 and 12 after the name
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def bench_settings(folder: Path, port: int, name: str) -> Settings:
    """Servers of a benchmark's own: SQLite in `folder`, ports from `port`, fresh secrets."""
    return Settings(
        database_url=f"sqlite:///{folder}/municipal.db",
        tracker_store_url=f"sqlite:///{folder}/tracker.db",
        municipality_file=municipality_for_tests(folder),
        rasa_url=f"http://127.0.0.1:{port + 5}",
        action_server_port=port + 55,
        web_port=port,
        rasa_port=port + 5,
        log_level="WARNING",
        rasa_api_secret=f"{name}-{uuid.uuid4().hex}",
        action_server_token=f"{name}-{uuid.uuid4().hex}",
        widget_session_secret=f"{name}-{uuid.uuid4().hex}",
        rest_channel=True,
        sms_app_port=port + 56,
        sms_gateway_port=port + 57,
        sms_gateway_token=f"{name}-{uuid.uuid4().hex}",
        sms_webhook_secret=f"{name}-{uuid.uuid4().hex}",
        sms_internal_secret=f"{name}-{uuid.uuid4().hex}",
        sms_number_key=f"{name}-{uuid.uuid4().hex}",
    )


def latency_and_memory(model: Path, only_sms: bool = False) -> None:
    """The HTTP latency sections, the SMS section (only that one with `only_sms`) and peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/municipal.db"
        upgrade(url)
        with make_sessionmaker(url).begin() as session:
            seed_teams(session, danish_today())
            seed_youth(session, danish_today())
        settings = bench_settings(Path(folder), PORT, "bench")
        with Assistant(settings=settings, model=model, with_web=False) as assistant:
            one_conversation(settings.rasa_url, 99)  # warm up
            for label, pause in () if only_sms else (("back to back", 0.0), ("with 2 s (1-3 s) to read and type", 2.0)):
                servers = {name: assistant.processes[name].pid for name in ("rasa", "actions")}
                before = {name: cpu_seconds(pid) for name, pid in servers.items()}
                with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
                    total = CONVERSATIONS * ROUNDS
                    results = list(
                        pool.map(one_conversation, [settings.rasa_url] * total, range(total), [pause] * total)
                    )
                timings = sorted(t * 1000 for conversation in results for t in conversation)
                print_latency(label, timings)
                used = {name: (cpu_seconds(pid) - before[name]) * 1000 / len(timings) for name, pid in servers.items()}
                rasa_ms, actions_ms = used["rasa"], used["actions"]
                print(
                    f"  CPU per turn: Rasa server {rasa_ms:.1f} ms (target <= 25 ms), action server {actions_ms:.1f} ms"
                )
            sms.sms_turns(settings)
            memory = peak_memory_mb(assistant.processes["rasa"].pid)
    print(f"\nRasa server peak memory (VmHWM): {memory:.0f} MB   target <= 1536 MB")


def print_latency(label: str, timings: list[float]) -> None:
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"\nLatency per turn, {CONVERSATIONS} concurrent enrollments over HTTP, {label} ({len(timings)} turns, "
        "including database writes)"
    )
    median = statistics.median(timings)
    print(f"  p50 {median:.0f} ms   p95 {p95:.0f} ms   max {timings[-1]:.0f} ms   target p95 <= 150 ms")


SECTIONS = ("all", "nlu", "sms", "latency", "conversations", "cluster")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__)
    parser.add_argument(
        "only",
        nargs="?",
        choices=SECTIONS,
        default="all",
        help=(
            "sms: only the SMS section (and peak memory); latency: the latency sections, CPU per turn, SMS, memory; "
            "nlu: the NLU figures on the held-out and blind sets; conversations: the blind conversation replay; "
            "cluster: 1 and 2 replicas behind HAProxy"
        ),
    )
    only = parser.parse_args(argv).only
    OUT.mkdir(parents=True, exist_ok=True)
    if only == "conversations":
        conversations.replay_all()
        return
    if only == "cluster":  # 1 and 2 replicas behind HAProxy (tests/bench/cluster.py)
        from tests.bench.cluster import cluster_bench

        cluster_bench()
        return
    model = model_path()
    if only in ("sms", "latency"):
        latency_and_memory(model, only_sms=only == "sms")
        return
    for label, held_out in HELD_OUT.items():
        nlu_f1(model, label, held_out)
    for label, held_out in YOUTH_HELD_OUT.items():
        youth_f1(model, label, held_out)
    if only == "nlu":
        return
    service_topics(model)
    cpr_masking()
    danger.danger_sets(functools.partial(rasa_test_nlu, model), OUT)
    danger.check_in_rate([OUT / "nlu" / path.stem for path in [*HELD_OUT.values(), *YOUTH_HELD_OUT.values()]])
    danger.short_answers()
    danger.added_latency()
    latency_and_memory(model)
    conversations.replay_all()
    training_time()


if __name__ == "__main__":
    main()
