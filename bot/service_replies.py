"""What the assistant says about a service, made from the topic's texts: the
short answer, then the next step with its buttons (action_answer_service),
and the values of the follow-up answers (action_answer_service_detail).

The actions send these replies; the staff app's preview fills the same
domain responses with the same values (`preview`), so an editor sees the
answer as the citizen will, before saving it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.db.models import Service
from bot.domain import fill, responses

RETRIEVAL_INTENT = "faq"
TOPIC_SLOT = "service_topic"
COURSE_TOPIC = "familie_med_hjerte"
# Worry about a child: the answer always ends with the offer of a person
# (as utter_report_concern does when the question is read as report_concern).
CONCERN_TOPICS = {"underretning"}


@dataclass(frozen=True)
class ServiceText:
    topic: str
    title: str
    answer: str
    read_more: str
    audience: str
    price: str
    unit: str
    link: str
    next_step: str
    related: list[str]

    @classmethod
    def of(cls, row: Service) -> ServiceText:
        return cls(
            row.topic,
            row.title,
            row.answer,
            row.read_more,
            row.audience,
            row.price,
            row.unit,
            row.link,
            row.next_step,
            row.related_topics,
        )

    def with_texts(self, texts: dict[str, str]) -> ServiceText:
        """The same topic with some texts changed (the editor's unsaved ones)."""
        changes: dict[str, Any] = {key: value for key, value in texts.items() if key != "related"}
        if "related" in texts:
            changes["related"] = [topic for topic in texts["related"].split(",") if topic]
        return replace(self, **changes)


@dataclass(frozen=True)
class Reply:
    """One bot message: a domain response, the values it is filled with, and buttons."""

    response: str
    values: dict[str, str] = field(default_factory=dict)
    buttons: list[dict[str, str]] = field(default_factory=list)


def topic_button(topic: str, title: str) -> dict[str, str]:
    if topic == COURSE_TOPIC:
        return {"title": f"Om {title}", "payload": "/ask_course_info"}
    return {"title": title, "payload": f'/{RETRIEVAL_INTENT}{{"{TOPIC_SLOT}": "{topic}"}}'}


def next_step_buttons(service: ServiceText, titles: dict[str, str]) -> list[dict[str, str]]:
    buttons = [
        {"title": "Ja, giv mig kontaktoplysninger", "payload": "/ask_contact_details"},
        {"title": "Læs mere", "payload": "/ask_read_more"},
    ]
    return buttons + [topic_button(topic, titles[topic]) for topic in service.related if topic in titles]


def answer_replies(service: ServiceText, titles: dict[str, str]) -> list[Reply]:
    """The answer to a question about the topic; `titles` are the related topics' titles."""
    replies = [Reply("utter_service_answer", {"service_answer": service.answer})]
    if service.topic in CONCERN_TOPICS:
        return [*replies, Reply("utter_concern_offer_person")]
    next_step = {"service_next_step": service.next_step}
    return [*replies, Reply("utter_service_next_step", next_step, next_step_buttons(service, titles))]


def detail_values(service: ServiceText) -> dict[str, str]:
    """What the follow-up answers (price, audience, read more) are filled with."""
    return {
        "service_title": service.title,
        "service_price": service.price,
        "service_audience": service.audience,
        "service_read_more": service.read_more,
        "service_link": service.link,
    }


@dataclass(frozen=True)
class Shown:
    """A message as the chat shows it: its text (markdown) and its buttons' titles."""

    text: str
    buttons: list[str]


def shown(reply: Reply) -> Shown:
    """The reply filled in as the Rasa server fills the domain's response."""
    template = responses()[reply.response][0]
    text = fill(template.get("text", ""), reply.values)
    buttons = reply.buttons or template.get("buttons") or []
    return Shown(text, [str(button["title"]) for button in buttons])


def preview(service: ServiceText, titles: dict[str, str]) -> dict[str, list[Shown]]:
    """What the citizen reads: the answer, and the answers to "Læs mere" and "hvem er det for?"."""
    details = detail_values(service)
    return {
        "answer": [shown(reply) for reply in answer_replies(service, titles)],
        "read_more": [shown(Reply("utter_service_read_more", details))],
        "audience": [shown(Reply("utter_service_audience", details))],
    }
