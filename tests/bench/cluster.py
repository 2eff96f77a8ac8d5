"""`make bench ONLY=cluster`: the assistant on 1 and on 2 replicas
(bot/cluster.py: Rasa and action servers behind HAProxy, PostgreSQL, Redis),
in one run on this machine:

- throughput and p50/p95 per turn with 20 people writing back to back
  (20 conversations x 20 turns each, over Rasa's REST channel through
  HAProxy), and the CPU milliseconds per turn of the Rasa servers and of
  the whole machine; target: 2 replicas >= 1.7x the throughput of one. On
  a machine whose cores also run everything else (action servers,
  PostgreSQL, Redis, HAProxy, this load), the whole machine's CPU per turn
  bounds the turns a second any number of replicas can answer: printed too;
- on 2 replicas, 50 conversations x 20 turns at once, without a fault:
  throughput and latency at the issue's size, then every conversation's
  events in the tracker store complete and in order (lost, reordered,
  twice: target 0 each). The cluster tests (tests/e2e/test_cluster_http.py)
  run the same load with a Rasa server killed in its middle, and assert.

Ports: 21xxx + E2E_PORT_OFFSET. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import tempfile
import uuid
from pathlib import Path

from bot.cluster import Cluster
from bot.training import model_path
from tests.bench.run import bench_settings, cpu_seconds
from tests.cluster_load import Load, conversation_script, migrate_and_seed, stored_turns
from tests.conftest import _create_postgres_database, _drop_postgres_database

PORT = 21000 + int(os.environ.get("E2E_PORT_OFFSET", "0"))
REDIS_URL = "redis://127.0.0.1:6379/6"
PEOPLE, TURNS = 20, 20
FULL_CONVERSATIONS, FULL_TURNS = 50, 20


def start(folder: Path, replicas: int, database_url: str) -> Cluster:
    settings = dataclasses.replace(
        bench_settings(folder, PORT, "cluster"),
        database_url=database_url,
        tracker_store_url=database_url,
        socketio_redis_url=REDIS_URL,
        lock_store_url=REDIS_URL,
        redis_prefix=f"bench-{uuid.uuid4().hex[:8]}",
    )
    cluster = Cluster(settings=settings, model=model_path(), with_web=False, replicas=replicas)
    cluster.start()
    return cluster


def rasa_cpu(cluster: Cluster) -> float:
    return sum(cpu_seconds(process.pid) for name, process in cluster.processes.items() if name.startswith("rasa-"))


def machine_cpu() -> float:
    """CPU seconds every core of the machine has been busy (not idle, not waiting for disk)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = Path("/proc/stat").read_text().split()[1:9]
    return sum(int(value) for value in (user, nice, system, irq, softirq, steal)) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    """CPU seconds of this process (the load's threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def people_back_to_back(cluster: Cluster, replicas: int) -> tuple[float, float, float]:
    """Turns a second, and the CPU milliseconds per turn of the whole machine and of the load itself."""
    scripts = {f"bench-{uuid.uuid4().hex[:6]}-{n}": conversation_script(n, TURNS, enrol=False) for n in range(PEOPLE)}
    before, machine_before, own_before = rasa_cpu(cluster), machine_cpu(), own_cpu()
    load = Load(cluster.settings.rasa_url)
    load.run(scripts)
    turns = max(load.answered, 1)
    cpu_ms = (rasa_cpu(cluster) - before) * 1000 / turns
    machine_ms = (machine_cpu() - machine_before) * 1000 / turns
    load_ms = (own_cpu() - own_before) * 1000 / turns
    print(
        f"  {replicas} replica{'s' if replicas > 1 else ''}: {load.summary()}; CPU per turn: "
        f"Rasa {cpu_ms:.1f} ms, the whole machine {machine_ms:.1f} ms (this load's own {load_ms:.1f} ms)"
    )
    return load.answered / load.seconds, machine_ms, load_ms


def full_size_check(cluster: Cluster) -> None:
    scripts = {
        f"full-{uuid.uuid4().hex[:6]}-{n}": conversation_script(n, FULL_TURNS) for n in range(FULL_CONVERSATIONS)
    }
    load = Load(cluster.settings.rasa_url)
    load.run(scripts)
    stored = stored_turns(cluster.settings.tracker_store_url, list(scripts))
    lost = reordered = twice = unfinished = 0
    for sender, sent in load.sent.items():
        texts = [turn.text for turn in stored[sender]]
        lost += sum(1 for message in set(sent) if texts.count(message) < sent.count(message))
        twice += sum(1 for message in set(texts) if texts.count(message) > sent.count(message))
        reordered += int(texts != sent and sorted(texts) == sorted(sent))
        unfinished += sum(1 for turn in stored[sender] if not turn.ended)
    print(
        f"\n{FULL_CONVERSATIONS} conversations x {FULL_TURNS} turns at once on 2 replicas: {load.summary()}\n"
        f"  in the tracker store: lost {lost}, reordered {reordered} conversations, twice {twice}, "
        f"turns not ended {unfinished} (target 0 each)"
    )


def cluster_bench() -> None:
    print(f"\nThroughput with {PEOPLE} people writing back to back ({TURNS} turns each) through HAProxy")
    name = _create_postgres_database()
    url = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    try:
        migrate_and_seed(url)
        throughput: dict[int, float] = {}
        machine_ms: dict[int, float] = {}
        load_ms: dict[int, float] = {}
        with tempfile.TemporaryDirectory() as folder:
            for replicas in (2, 1):
                cluster = start(Path(folder), replicas, url)
                try:
                    Load(cluster.settings.rasa_url).run({"warm-up": ["hej"]})
                    throughput[replicas], machine_ms[replicas], load_ms[replicas] = people_back_to_back(
                        cluster, replicas
                    )
                    if replicas == 2:
                        full_size_check(cluster)
                finally:
                    cluster.stop()
        print(f"\n  2 replicas / 1 replica: {throughput[2] / throughput[1]:.2f}x the throughput   target >= 1.7x")
        cores = os.cpu_count() or 1
        bound = cores * 1000 / machine_ms[2]
        print(
            f"  this machine's bound: {cores} cores / {machine_ms[2]:.1f} ms of CPU per turn = {bound:.0f} turns/s, "
            f"{bound / throughput[1]:.2f}x one replica's (2 replicas reached {throughput[2] / bound:.0%} of it); "
            f"with the load sent from another machine: {cores * 1000 / (machine_ms[2] - load_ms[2]):.0f} turns/s"
        )
    finally:
        _drop_postgres_database(name)


if __name__ == "__main__":
    cluster_bench()
