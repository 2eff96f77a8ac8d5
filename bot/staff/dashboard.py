"""The dashboard for administrators and team leads: for a chosen period,
conversations per day and per hour of day, the share that ended without a
person, escalations by reason and priority with the time to the first staff
answer, the fallback and two-misunderstood rates, the intents and service
topics asked about, enrolments made, the answers to the satisfaction
question (number, average, 1-5, the latest comments), and the most frequent misunderstood
messages (CPR numbers masked), each linked to its conversation, where staff
tag it (the review-tag flow that makes it training data). Charts are SVG
(bot/staff/charts.py), each with a table of the same numbers; CSV export.

What a team lead sees: the numbers of the whole assistant that hold no
citizen's words or ids (conversations, rates, intents, topics, enrolments),
and of the escalations and misunderstood messages only their own team's:
its cases, and messages from conversations their team may open; the
satisfaction numbers of all, and the comments on their team's work only.
Admins see every team's."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.db.dashboard import (
    EnrollmentStats,
    EscalationStats,
    enrollment_stats,
    escalated_conversations,
    escalation_stats,
)
from bot.db.dashboard_events import ConversationStats, Misunderstood, conversation_stats
from bot.db.escalations import conversations_of_team
from bot.db.models import StaffUser
from bot.db.review import tagged_messages
from bot.db.satisfaction import SatisfactionStats, satisfaction_stats
from bot.db.services import list_services
from bot.shared.clock import DANISH_TIME, danish_today
from bot.staff.cases import PRIORITY_NAMES, REASON_NAMES
from bot.staff.charts import bar_chart
from bot.staff.context import Ctx, Forbidden, SignedIn, StaffContext, audit, page, team_of

router = APIRouter()

DEFAULT_DAYS = 30
MAX_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
TEAM_NAMES = {"course": "Forløbsteamet", "family": "Familieteamet", "youth": "Efterværn"}
STATUS_NAMES = {"active": "aktiv", "held": "venter på kontrol", "cancelled": "afmeldt"}
GOAL_NAMES = {
    "enrollment": "Tilmelding",
    "staff_case": "Sag lukket af en medarbejder",
    "youth_change": "Ændring (unge)",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def lead_or_admin(user: SignedIn) -> StaffUser:
    if not (user.is_admin or user.is_team_lead):
        raise Forbidden("Kun administratorer og teamledere kan se overblikket.")
    return user


LeadOrAdmin = Annotated[StaffUser, Depends(lead_or_admin)]


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), DANISH_TIME).astimezone(timezone.utc)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), DANISH_TIME).astimezone(timezone.utc)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def query(self) -> str:
        return urlencode({"fra": self.first.isoformat(), "til": self.last.isoformat()})


class PeriodError(ValueError):
    """A period that cannot be shown (the message is Danish)."""


def _day(value: str, which: str) -> date:
    value = value.strip()
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise PeriodError(
            f"{which}-datoen skal være en dato som 2026-11-30 (år-måned-dag). Vælg den i datofeltet."
        ) from None


def parse_period(fra: str, til: str, today: date) -> Period:
    """The period from the form: both dates, or the last 30 days up to today when none is given."""
    if not fra.strip() and not til.strip():
        return Period(today - timedelta(days=DEFAULT_DAYS - 1), today)
    last = _day(til, "Til") if til.strip() else today
    first = _day(fra, "Fra") if fra.strip() else last - timedelta(days=DEFAULT_DAYS - 1)
    if first < EARLIEST or last > LATEST:
        raise PeriodError("Vælg datoer mellem år 2000 og 2099.")
    if first > last:
        raise PeriodError("Fra-datoen er efter til-datoen. Byt om på dem.")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError(f"Perioden er for lang: vælg højst {MAX_DAYS} dage ad gangen.")
    return Period(first, last)


@dataclass
class MisunderstoodRow:
    message: Misunderstood
    link: str
    tagged: bool


@dataclass
class Dashboard:
    period: Period
    team: str | None
    conversations: ConversationStats
    without_person: int
    escalations: EscalationStats
    enrollments: EnrollmentStats
    misunderstood: list[MisunderstoodRow]
    topic_titles: dict[str, str]
    satisfaction: SatisfactionStats

    @property
    def without_person_rate(self) -> float | None:
        total = self.conversations.conversations
        return self.without_person / total if total else None

    @property
    def per_day(self) -> list[tuple[date, int]]:
        return [(day, self.conversations.per_day[day]) for day in self.period.days]

    @property
    def per_hour(self) -> list[tuple[int, int]]:
        return [(hour, self.conversations.per_hour[hour]) for hour in range(24)]


def message_link(conversation_id: str, timestamp: float) -> str:
    """The conversation, at the message: its tag form is there (bot/staff/templates/_transcript.html)."""
    return f"/samtale/{quote(conversation_id, safe='')}#besked-{int(timestamp * 1000)}"


def build(ctx: StaffContext, user: StaffUser, period: Period) -> Dashboard:
    team = team_of(user)
    with ctx.reads() as session:
        team_conversations = None if team is None else conversations_of_team(session, team)
    with ctx.tracker_engine.connect() as connection:
        stats = conversation_stats(connection, period.start, period.end, misunderstood_of=team_conversations)
    with ctx.reads() as session:
        escalated = escalated_conversations(session, stats.conversation_ids)
        escalations = escalation_stats(session, period.start, period.end, team)
        enrollments = enrollment_stats(session, period.start, period.end)
        shown = [row for row in stats.misunderstood if row.latest is not None]
        tagged = tagged_messages(session, {row.latest.conversation_id for row in shown if row.latest})
        titles = {service.topic: service.title for service in list_services(session)}
        satisfaction = satisfaction_stats(session, period.first, period.last, team)
    rows = []
    for row in shown:
        assert row.latest is not None
        where = (row.latest.conversation_id, round(row.latest.timestamp, 6))
        rows.append(MisunderstoodRow(row, message_link(*where), where in tagged))
    without_person = stats.conversations - len(escalated)
    return Dashboard(period, team, stats, without_person, escalations, enrollments, rows, titles, satisfaction)


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


def decimal(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def duration(minutes: float | None) -> str:
    if minutes is None:
        return "–"
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    if whole < 60 * 24:
        return f"{whole // 60} t {whole % 60} min"
    return f"{whole // (60 * 24)} d {whole // 60 % 24} t"


def charts(board: Dashboard) -> dict[str, Any]:
    days = board.per_day
    every = max(1, len(days) // 10)
    return {
        "days": bar_chart(
            "graf-dage", "Samtaler pr. dag", [(day.strftime("%d.%m"), n) for day, n in days], label_every=every
        ),
        "hours": bar_chart(
            "graf-timer", "Samtaler pr. time på døgnet", [(f"{hour:02d}", n) for hour, n in board.per_hour]
        ),
        "reasons": bar_chart(
            "graf-aarsager",
            "Overdragelser til en medarbejder efter årsag",
            [(REASON_NAMES.get(group.name, group.name), group.cases) for group in board.escalations.by_reason],
        ),
        "priorities": bar_chart(
            "graf-prioritet",
            "Overdragelser efter prioritet",
            [(PRIORITY_NAMES.get(group.name, group.name), group.cases) for group in board.escalations.by_priority],
        ),
        "intents": bar_chart(
            "graf-hensigter",
            "De hyppigste hensigter",
            [(name, n) for name, n in board.conversations.intents.most_common(12)],
        ),
        "topics": bar_chart(
            "graf-emner",
            "Tilbud der blev spurgt om",
            [(board.topic_titles.get(name, name), n) for name, n in board.conversations.topics.most_common(12)],
        ),
        "satisfaction": bar_chart(
            "graf-tilfredshed",
            "Svar på tilfredshedsspørgsmålet, fra 1 (meget utilfreds) til 5 (meget tilfreds)",
            [(str(score), n) for score, n in board.satisfaction.distribution],
        ),
    }


def _period_or_error(fra: str, til: str) -> tuple[Period | None, str]:
    try:
        return parse_period(fra[:40], til[:40], danish_today()), ""
    except PeriodError as error:
        return None, str(error)


@router.get("/overblik")
def dashboard_page(request: Request, user: LeadOrAdmin, ctx: Ctx, fra: str = "", til: str = "") -> Any:
    period, error = _period_or_error(fra, til)
    if period is None:
        return page(request, "dashboard.html", user, status_code=400, error=error, fra=fra[:40], til=til[:40])
    board = build(ctx, user, period)
    with ctx.sessions.begin() as session:
        audit(session, request, user, "view_dashboard", "dashboard", _audit_detail(board))
    return page(
        request,
        "dashboard.html",
        user,
        board=board,
        charts=charts(board),
        fra=period.first.isoformat(),
        til=period.last.isoformat(),
        percent=percent,
        decimal=decimal,
        duration=duration,
        goal_names=GOAL_NAMES,
        reason_names=REASON_NAMES,
        priority_names=PRIORITY_NAMES,
        team_names=TEAM_NAMES,
        status_names=STATUS_NAMES,
    )


def _audit_detail(board: Dashboard) -> str:
    scope = "alle teams" if board.team is None else f"team {board.team}"
    return f"{board.period.first.isoformat()} til {board.period.last.isoformat()}, {scope}"


def safe_cell(value: object) -> object:
    """A text cell a spreadsheet would read as a formula (= + - @, a tab or a
    carriage return first) gets an apostrophe in front, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(board: Dashboard) -> list[list[object]]:
    stats = board.conversations
    rows: list[list[object]] = [
        ["Afsnit", "Navn", "Antal", "Besvaret", "Median minutter til første svar", "Længste minutter til første svar"],
        ["Periode", board.period.first.isoformat(), board.period.last.isoformat()],
        ["Samtaler", "i alt", stats.conversations],
        ["Samtaler", "uden en medarbejder", board.without_person],
        ["Beskeder", "fra borgere", stats.user_messages],
        ["Beskeder", "misforstået (nlu_fallback)", stats.fallbacks],
        ["Samtaler", "to misforståede i træk", stats.two_misunderstood],
    ]
    rows += [["Samtaler pr. dag", day.isoformat(), n] for day, n in board.per_day]
    rows += [["Samtaler pr. time", f"{hour:02d}", n] for hour, n in board.per_hour]

    def minutes(value: float | None) -> object:
        return "" if value is None else round(value, 1)

    escalations = board.escalations
    for section, groups in (
        ("Overdragelser", [escalations.total]),
        ("Overdragelser efter årsag", escalations.by_reason),
        ("Overdragelser efter prioritet", escalations.by_priority),
    ):
        rows += [
            [section, g.name, g.cases, g.answered, minutes(g.median_minutes), minutes(g.longest_minutes)]
            for g in groups
        ]
    rows += [["Hensigter", name, n] for name, n in stats.intents.most_common()]
    rows += [["Tilbud", name, n] for name, n in stats.topics.most_common()]
    rows.append(["Tilmeldinger", "i alt", board.enrollments.total])
    rows += [["Tilmeldinger efter hold", name, n] for name, n in sorted(board.enrollments.by_team.items())]
    rows += [["Tilmeldinger efter status", name, n] for name, n in sorted(board.enrollments.by_status.items())]
    rows += [["Misforståede beskeder", row.message.text, row.message.count] for row in board.misunderstood]
    rating = board.satisfaction
    rows.append(["Tilfredshed", "svar", rating.answers])
    rows.append(["Tilfredshed", "gennemsnit", "" if rating.average is None else round(rating.average, 2)])
    rows += [["Tilfredshed efter karakter", str(score), n] for score, n in rating.distribution]
    rows += [["Tilfredshed efter mål", GOAL_NAMES.get(goal, goal), n] for goal, n in sorted(rating.by_goal.items())]
    rows += [["Tilfredshed, kommentar", a.comment or "", a.score, a.day.isoformat()] for a in rating.comments]
    return rows


@router.get("/overblik.csv")
def dashboard_csv(request: Request, user: LeadOrAdmin, ctx: Ctx, fra: str = "", til: str = "") -> Any:
    period, error = _period_or_error(fra, til)
    if period is None:
        return Response(error, status_code=400, media_type="text/plain; charset=utf-8")
    board = build(ctx, user, period)
    with ctx.sessions.begin() as session:
        audit(session, request, user, "export_dashboard", "dashboard", _audit_detail(board))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in csv_rows(board):
        writer.writerow([safe_cell(cell) for cell in row])
    name = f"overblik-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
