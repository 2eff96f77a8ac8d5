"""The dashboard (bot/staff/dashboard.py) on both databases: its numbers are
those of a known set of conversations (tests/dashboard_seed.py), a team lead
sees their team's cases and misunderstood messages only, staff see nothing,
bad periods get a Danish reason, and the CSV is audited and safe to open in a
spreadsheet. Rasa's events table is in a database of its own, as the tracker
store's often is, on the same backend as the test's."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select

from bot.db.models import AuditEntry
from bot.db.review import TAGS, add_tag
from bot.db.seed import seed_services
from bot.db.staff import create_user
from bot.shared.clock import danish_today
from bot.staff.app import create_app
from bot.staff.context import TEMPLATES
from bot.staff.dashboard import message_link
from bot.staff.security import hash_password
from bot.staff.transcript import Line
from tests import dashboard_seed as seed
from tests.conftest import _create_postgres_database, _drop_postgres_database
from tests.web.conftest import PASSWORD, StaffApp, staff_settings

PERIOD = {"fra": "2026-11-02", "til": "2026-11-04"}


@pytest.fixture
def tracker(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    """Rasa's events table with the seeded events, committed in a database of its own."""
    if database_url.startswith("postgresql"):
        name = _create_postgres_database()
        engine = create_engine(f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}")
    else:
        name, engine = "", create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with engine.begin() as connection:
        seed.events_table(connection)
    yield engine
    engine.dispose()
    if name:
        _drop_postgres_database(name)


@pytest.fixture
def dashboard_app(staff_app: StaffApp, database_url: str, tracker: Engine) -> StaffApp:
    app = StaffApp(
        create_app(staff_settings(database_url), sessions=staff_app.sessions, tracker_engine=tracker),
        staff_app.sessions,
    )
    with app.sessions.begin() as session:
        for username, team in (("lis", "family"), ("ulla", "youth")):
            create_user(
                session,
                username=username,
                display_name=username.title(),
                role="teamlead",
                team=team,
                password_hash=hash_password(PASSWORD),
            )
        seed.cases_and_enrolment(session)
        seed_services(session)
    return app


def csv_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # for spreadsheets to read it as UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_numbers_match_the_seeded_conversations(dashboard_app: StaffApp) -> None:
    boss = dashboard_app.signed_in("boss")
    exported = boss.get("/overblik.csv", params=PERIOD)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert exported.headers["content-disposition"] == 'attachment; filename="overblik-2026-11-02-2026-11-04.csv"'
    rows = csv_of(exported.text)
    assert rows[1:7] == [
        ["Periode", "2026-11-02", "2026-11-04"],
        ["Samtaler", "i alt", "4"],
        ["Samtaler", "uden en medarbejder", "1"],
        ["Beskeder", "fra borgere", "11"],
        ["Beskeder", "misforstået (nlu_fallback)", "4"],
        ["Samtaler", "to misforståede i træk", "1"],
    ]
    by_section: dict[str, list[list[str]]] = {}
    for row in rows[7:]:
        by_section.setdefault(row[0], []).append(row[1:])
    assert by_section["Samtaler pr. dag"] == [["2026-11-02", "2"], ["2026-11-03", "1"], ["2026-11-04", "1"]]
    hours = {hour: n for hour, n in by_section["Samtaler pr. time"]}
    assert len(hours) == 24 and {h: n for h, n in hours.items() if n != "0"} == {
        "00": "1",
        "09": "1",
        "14": "1",
        "23": "1",
    }
    assert by_section["Overdragelser"] == [["I alt", "3", "2", "7.5", "12.0"]]
    assert by_section["Overdragelser efter årsag"] == [
        ["distress", "1", "1", "3.0", "3.0"],
        ["misunderstood", "1", "1", "12.0", "12.0"],
        ["request_human", "1", "0", "", ""],
    ]
    assert [row[:2] for row in by_section["Overdragelser efter prioritet"]] == [
        ["critical", "1"],
        ["high", "1"],
        ["normal", "1"],
    ]
    assert by_section["Hensigter"] == [
        ["nlu_fallback", "4"],
        ["faq", "3"],
        ["greet", "2"],
        ["ask_course_info", "1"],
        ["request_human", "1"],
    ]
    assert by_section["Tilbud"] == [["tandpleje", "2"], ["sundhedspleje", "1"]]
    assert by_section["Tilmeldinger"] == [["i alt", "1"]]
    assert by_section["Tilmeldinger efter hold"] == [["HOLD-TEST", "1"]]
    assert by_section["Misforståede beskeder"] == [
        ["kan i ringe", "2"],
        ["'=SUM(A1)", "1"],  # a formula in a spreadsheet no more
        ["hvad med [CPR-nummer fjernet] ting", "1"],
    ]
    assert "010203" not in exported.text

    page = boss.get("/overblik", params=PERIOD)
    assert page.status_code == 200
    html = page.text
    for figure in (
        "Samtaler <strong>4</strong>",
        "Sluttede uden en medarbejder <strong>25,0 %</strong> 1 af 4",
        "Misforståede beskeder <strong>36,4 %</strong> 4 af 11",
        "To misforståede i træk <strong>25,0 %</strong> 1 af 4 samtaler",
        "Tilmeldinger <strong>1</strong>",
        "3 sager; 2 fik svar af en medarbejder i chatten, median 8 min efter overdragelsen",
        '<td>02.11.2026</td><td class="number">2</td>',
        '<td>23–00</td><td class="number">1</td>',
        '<td>Fare eller mistrivsel</td><td class="number">1</td><td class="number">1</td><td class="number">3 min</td>',
        '<td>Bad om en medarbejder</td><td class="number">1</td><td class="number">0</td><td class="number">–</td>',
        "<td>=SUM(A1)</td>",
        '<td>Tandplejen</td><td class="number">2</td>',  # the topic's title from the services table
    ):
        assert figure in html, figure
    assert "010203" not in html
    for chart in ("graf-dage", "graf-timer", "graf-aarsager", "graf-prioritet", "graf-hensigter", "graf-emner"):
        assert f'<svg id="{chart}" role="img" aria-labelledby="{chart}-title"' in html
    # Each misunderstood message links to where it is tagged: its latest occurrence.
    assert f'href="{message_link("b", seed.at(2, 23, 30).timestamp())}"' in html
    assert f'href="{message_link("a", seed.at(2, 9, 17).timestamp())}"' in html
    assert 'href="/overblik.csv?fra=2026-11-02&amp;til=2026-11-04"' in html


def test_a_tagged_message_shows_as_tagged(dashboard_app: StaffApp) -> None:
    with dashboard_app.sessions.begin() as session:
        add_tag(
            session,
            conversation_id="b",
            message_at=seed.at(2, 23, 30).timestamp(),
            message_text="Kan I ringe",
            predicted_intent="nlu_fallback",
            confidence=0.25,
            tag="misforstaaet",
            correct_intent="request_human",
            tagged_by="boss",
        )
    html = dashboard_app.signed_in("boss").get("/overblik", params=PERIOD).text
    assert html.count("Mærket · ") == 1 and "Se mærket i samtalen" in html


def test_the_link_lands_on_the_message_and_its_tag_form() -> None:
    stamp = seed.at(2, 23, 30, 0).timestamp() + 0.123456
    html = TEMPLATES.get_template("_transcript.html").render(
        lines=[Line("user", "Kan I ringe", seed.at(2, 23, 30), stamp, "nlu_fallback", 0.25)],
        tags={},
        tag_names=TAGS,
        conversation_id="b",
        csrf_token="x",
    )
    anchor = message_link("b", stamp).split("#", 1)[1]
    assert f'id="{anchor}"' in html and 'action="/samtale/b/maerke"' in html


def test_a_team_lead_sees_their_teams_cases_and_messages(dashboard_app: StaffApp) -> None:
    lis = dashboard_app.signed_in("lis")
    rows = csv_of(lis.get("/overblik.csv", params=PERIOD).text)
    assert ["Overdragelser", "I alt", "2", "1", "12.0", "12.0"] in rows
    assert [row for row in rows if row[0] == "Misforståede beskeder"] == [
        ["Misforståede beskeder", "hvad med [CPR-nummer fjernet] ting", "1"],
        ["Misforståede beskeder", "kan i ringe", "1"],
    ]
    assert ["Samtaler", "i alt", "4"] in rows  # the whole assistant's, without words or ids
    html = lis.get("/overblik", params=PERIOD).text
    assert "=SUM(A1)" not in html and "/samtale/b" not in html and "Fare" not in html
    assert "kun for Familieteamet" in html and 'href="/overblik"' in html
    ulla = dashboard_app.signed_in("ulla").get("/overblik.csv", params=PERIOD).text
    assert ["Overdragelser", "I alt", "1", "1", "3.0", "3.0"] in csv_of(ulla)
    assert "hvad med" not in ulla and "'=SUM(A1)" in ulla


def test_staff_cannot_see_the_dashboard(dashboard_app: StaffApp) -> None:
    anne = dashboard_app.signed_in("anne")
    for path in ("/overblik", "/overblik.csv"):
        response = anne.get(path, params=PERIOD)
        assert response.status_code == 403 and "Kun administratorer og teamledere" in response.text
        assert "kan i ringe" not in response.text
    assert 'href="/overblik"' not in anne.get("/").text
    with dashboard_app.sessions() as session:
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "anne")))
    assert not actions & {"view_dashboard", "export_dashboard"}


def test_the_default_period_is_the_last_30_days(dashboard_app: StaffApp) -> None:
    html = dashboard_app.signed_in("boss").get("/overblik").text
    today = danish_today()
    assert f'value="{(today - timedelta(days=29)).isoformat()}"' in html and f'value="{today.isoformat()}"' in html


@pytest.mark.parametrize(
    ("fra", "til", "reason"),
    [
        ("2026-13-01", "2026-11-04", "Fra-datoen skal være en dato som 2026-11-30"),
        ("2026-11-02", "4/11", "Til-datoen skal være en dato som 2026-11-30"),
        ("2026-11-04", "2026-11-02", "Fra-datoen er efter til-datoen"),
        ("2025-01-01", "2026-11-04", "vælg højst 366 dage"),
        ("9999-12-31", "9999-12-31", "mellem år 2000 og 2099"),
        ("0001-01-01", "0001-01-02", "mellem år 2000 og 2099"),
        ("x" * 5000, "2026-11-04", "Fra-datoen skal være en dato"),
        ("<script>alert(1)</script>", "", "Fra-datoen skal være en dato"),
    ],
)
def test_a_bad_period_gets_a_danish_reason(dashboard_app: StaffApp, fra: str, til: str, reason: str) -> None:
    boss = dashboard_app.signed_in("boss")
    page = boss.get("/overblik", params={"fra": fra, "til": til})
    assert page.status_code == 400 and reason in page.text and 'role="alert"' in page.text
    assert "<script>alert" not in page.text and "x" * 41 not in page.text
    assert "Samtaler pr. dag" not in page.text
    exported = boss.get("/overblik.csv", params={"fra": fra, "til": til})
    assert exported.status_code == 400 and reason in exported.text and "content-disposition" not in exported.headers


def test_viewing_and_exporting_are_audited_with_the_period(dashboard_app: StaffApp) -> None:
    boss, lis = dashboard_app.signed_in("boss"), dashboard_app.signed_in("lis")
    boss.get("/overblik", params=PERIOD)
    lis.get("/overblik.csv", params=PERIOD)
    with dashboard_app.sessions() as session:
        entries = [
            (row.actor, row.action, row.detail)
            for row in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action.in_(("view_dashboard", "export_dashboard")))
                .order_by(AuditEntry.id)
            )
        ]
    assert entries == [
        ("boss", "view_dashboard", "2026-11-02 til 2026-11-04, alle teams"),
        ("lis", "export_dashboard", "2026-11-02 til 2026-11-04, team family"),
    ]


def seed_ratings(app: StaffApp) -> None:
    """Six answers: five in the period (4, 4, 5, 2 and 1), one the day after it."""
    from datetime import datetime, timezone

    from bot.db.satisfaction import answer_offer, create_offer

    ratings = [
        (4, "2026-11-02", "God og hurtig hjælp", "family", "staff_case"),
        (4, "2026-11-02", "", "youth", "staff_case"),
        (5, "2026-11-03", "Nemt at tilmelde sig, mit cpr 010203-1234", "course", "enrollment"),
        (2, "2026-11-04", "<script>alert(1)</script>", "family", "staff_case"),
        (1, "2026-11-04", "=HYPERLINK(1)", "youth", "staff_case"),
        (5, "2026-11-05", "uden for perioden", "family", "staff_case"),
    ]
    with app.sessions.begin() as session:
        for score, day, comment, team, goal in ratings:
            nonce = create_offer(session, goal, channel="socketio", team=team)
            when = datetime.fromisoformat(day).replace(hour=12, tzinfo=timezone.utc)
            answer_offer(session, nonce, score, comment, now=when)


def test_the_satisfaction_numbers_of_seeded_answers(dashboard_app: StaffApp) -> None:
    seed_ratings(dashboard_app)
    boss = dashboard_app.signed_in("boss")
    rows = csv_of(boss.get("/overblik.csv", params=PERIOD).text)
    rating = [row for row in rows if row[0].startswith("Tilfredshed")]
    assert rating == [
        ["Tilfredshed", "svar", "5"],
        ["Tilfredshed", "gennemsnit", "3.2"],
        ["Tilfredshed efter karakter", "1", "1"],
        ["Tilfredshed efter karakter", "2", "1"],
        ["Tilfredshed efter karakter", "3", "0"],
        ["Tilfredshed efter karakter", "4", "2"],
        ["Tilfredshed efter karakter", "5", "1"],
        ["Tilfredshed efter mål", "Tilmelding", "1"],
        ["Tilfredshed efter mål", "Sag lukket af en medarbejder", "4"],
        ["Tilfredshed, kommentar", "'=HYPERLINK(1)", "1", "2026-11-04"],
        ["Tilfredshed, kommentar", "<script>alert(1)</script>", "2", "2026-11-04"],
        ["Tilfredshed, kommentar", "Nemt at tilmelde sig, mit cpr [CPR-nummer fjernet]", "5", "2026-11-03"],
        ["Tilfredshed, kommentar", "God og hurtig hjælp", "4", "2026-11-02"],
    ]
    html = boss.get("/overblik", params=PERIOD).text
    section = html[html.index('id="tilfredshed"') : html.index("De hyppigste misforståede")]
    assert "Svar <strong>5</strong>" in section and "Gennemsnit (1–5) <strong>3,2</strong>" in section
    assert 'id="graf-tilfredshed"' in section
    assert '<tr><td>4</td><td class="number">2</td></tr>' in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and "<script>alert" not in html
    assert "010203" not in html and "uden for perioden" not in html


def test_a_team_lead_sees_all_satisfaction_numbers_but_only_their_teams_comments(dashboard_app: StaffApp) -> None:
    seed_ratings(dashboard_app)
    rows = csv_of(dashboard_app.signed_in("lis").get("/overblik.csv", params=PERIOD).text)
    assert ["Tilfredshed", "svar", "5"] in rows
    assert [row[1] for row in rows if row[0] == "Tilfredshed, kommentar"] == [
        "<script>alert(1)</script>",
        "God og hurtig hjælp",
    ]
    html = dashboard_app.signed_in("ulla").get("/overblik", params=PERIOD).text
    assert "=HYPERLINK(1)" in html and "God og hurtig" not in html and "Nemt at tilmelde" not in html
