"""The services seed file: every FAQ topic, every fact with a source, the
domain's fallback texts the same as the seed, contacts from the municipality file."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from bot.db.seed import planned_services
from bot.shared.municipality import load_municipality
from bot.shared.settings import DEFAULT_MUNICIPALITY_FILE, ROOT

FAQ_TOPICS = [
    "sundhedspleje",
    "tandpleje",
    "familieraadgivning",
    "foraeldrenetvaerk",
    "dagtilbud",
    "efterfoedselsreaktion",
    "underretning",
    "fritidsjob",
    "efterværn",
    "mentor",
    "ungeindsats",
    "kontakt",
]
COURSE_TOPIC = "familie_med_hjerte"
SERVICES = {service.topic: service for service in planned_services()}
# Facts the answers must state (issue: "Facts must be right for Denmark today").
FACTS = {
    "efterværn": ["ungestøtte", "23", "Barnets Lov"],
    "tandpleje": ["gratis", "18", "21"],
    "ungeindsats": ["Ungeindsats", "UU"],
    "underretning": ["anonym"],
    "kontakt": ["112"],
}


def test_one_row_per_faq_topic_and_the_course() -> None:
    assert sorted(SERVICES) == sorted([*FAQ_TOPICS, COURSE_TOPIC])


def test_the_faq_topics_are_the_retrieval_intents_in_the_training_data() -> None:
    blocks = yaml.safe_load((ROOT / "data" / "nlu" / "faq.yml").read_text(encoding="utf-8"))["nlu"]
    trained = {block["intent"].split("/", 1)[1] for block in blocks if block["intent"].startswith("faq/")}
    assert trained == set(FAQ_TOPICS)


@pytest.mark.parametrize("topic", SERVICES)
def test_every_fact_has_a_source_and_a_review_date(topic: str) -> None:
    service = SERVICES[topic]
    assert service.sources.strip() and all(line.strip() for line in service.sources.splitlines())
    assert service.reviewed_on is not None
    assert service.link.startswith("https://")


@pytest.mark.parametrize("topic", SERVICES)
def test_short_answers_without_local_contact_details(topic: str) -> None:
    municipality = load_municipality(DEFAULT_MUNICIPALITY_FILE)
    answer = SERVICES[topic].answer
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", answer) if s]
    assert 1 <= len(sentences) <= 4, answer
    local = {municipality.phone, municipality.email} | {u.phone for u in municipality.units.values()}
    assert not [detail for detail in local if detail in answer]


@pytest.mark.parametrize("topic", SERVICES)
def test_units_and_related_topics_exist(topic: str) -> None:
    service = SERVICES[topic]
    assert service.unit in load_municipality(DEFAULT_MUNICIPALITY_FILE).units
    assert set(service.related_topics) <= set(SERVICES) - {topic}


@pytest.mark.parametrize("topic", FACTS)
def test_required_facts_are_stated(topic: str) -> None:
    service = SERVICES[topic]
    text = " ".join([service.answer, service.read_more, service.audience, service.price])
    assert [fact for fact in FACTS[topic] if fact.lower() not in text.lower()] == []


def test_the_domain_fallback_texts_are_the_seed_answers(domain: dict[str, Any]) -> None:
    fallbacks = {
        name.split("/", 1)[1]: texts[0]["text"]
        for name, texts in domain["responses"].items()
        if name.startswith("utter_faq/")
    }
    assert fallbacks == {topic: SERVICES[topic].answer for topic in FAQ_TOPICS}


def test_the_chain_from_health_visitor_to_the_course() -> None:
    assert "foraeldrenetvaerk" in SERVICES["sundhedspleje"].related_topics
    assert COURSE_TOPIC in SERVICES["foraeldrenetvaerk"].related_topics
