"""Service texts in the staff app: an editor (or an admin) edits a service's
short answer, "Læs mere", audience and link, previews the answer as the
citizen will see it, saves, and reverts; the action's next answer uses it.
Bad input gets a Danish reason by the field, the typed text kept, and
changes nothing; other roles, no login and forged forms change nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from markupsafe import escape
from sqlalchemy import select

from actions.services import ActionAnswerService
from bot.db.models import AuditEntry, ServiceTextVersion
from bot.db.seed import seed_services
from bot.db.services import get_service, texts_of
from bot.db.staff import create_user
from bot.staff.security import hash_password
from tests.actions.test_services import run, tracker
from tests.web.conftest import PASSWORD, StaffApp, csrf_of

TOPIC = "tandpleje"
PAGE = f"/tekster/{TOPIC}"
NEW = {
    "answer": "Tandplejen er gratis for alle under 22 år. Ring og book en tid.",
    "read_more": "Fra du er 16 år, kan du vælge en privat tandlæge.",
    "audience": "Børn og unge under 22 år, der bor i kommunen.",
    "link": "https://kommune.dk/tandpleje",
}


@pytest.fixture
def texts_app(staff_app: StaffApp) -> StaffApp:
    with staff_app.sessions.begin() as session:
        seed_services(session)
        create_user(session, username="rie", display_name="Rie", role="editor", password_hash=hash_password(PASSWORD))
    return staff_app


def escaped(text: str) -> str:
    """As the pages show a text (Jinja's autoescape)."""
    return str(escape(text))


def saved_texts(app: StaffApp, topic: str = TOPIC) -> dict[str, str]:
    with app.sessions() as session:
        row = get_service(session, topic)
        assert row is not None
        return texts_of(row)


def versions(app: StaffApp) -> list[ServiceTextVersion]:
    with app.sessions() as session:
        return list(session.scalars(select(ServiceTextVersion).order_by(ServiceTextVersion.id)))


def audit_actions(app: StaffApp) -> list[tuple[str, str, str]]:
    with app.sessions() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action.like("%service_text%")))
        return [(row.actor, row.action, row.detail) for row in rows]


def form_of(client: TestClient, path: str = PAGE) -> dict[str, str]:
    """The edit form's hidden fields, as the browser would send them."""
    text = client.get(path).text
    marker = 'name="based_on" value="'
    start = text.index(marker) + len(marker)
    return {"csrf_token": csrf_of(text), "based_on": text[start : text.index('"', start)]}


def post(app: StaffApp, client: TestClient, values: dict[str, str]) -> Response:
    """Save from the form: the saved texts with `values` typed over them."""
    shown = {field: text for field, text in saved_texts(app).items() if field in NEW}
    return client.post(PAGE, data=form_of(client) | shown | values | {"action": "save"})


def test_an_editor_sees_the_list_and_the_form_with_source_and_review_date(texts_app: StaffApp) -> None:
    client = texts_app.signed_in("rie")
    queue = client.get("/")
    assert '<a href="/tekster">Tekster</a>' in queue.text and "(redaktør)" in queue.text
    listing = client.get("/tekster")
    assert listing.status_code == 200 and f'href="{PAGE}"' in listing.text and "Tandpleje" in listing.text
    page = client.get(PAGE)
    row = saved_texts(texts_app)
    assert page.status_code == 200
    for field in NEW:
        assert escaped(row[field]) in page.text
    assert "Kilder" in page.text and "Sidst gennemset" in page.text
    assert escaped(row["sources"].splitlines()[0]) in page.text
    assert "Sådan svarer assistenten nu" in page.text and "Ja, giv mig kontaktoplysninger" in page.text


def test_saving_changes_the_next_answer_and_is_audited_with_before_and_after(texts_app: StaffApp) -> None:
    before = saved_texts(texts_app)
    client = texts_app.signed_in("rie")
    response = client.post(PAGE, data=form_of(client) | NEW | {"action": "save"})
    assert response.status_code == 303 and response.headers["location"] == f"{PAGE}?gemt=1"
    assert "Næste svar i chatten bruger den nye tekst" in client.get(response.headers["location"]).text
    assert saved_texts(texts_app) == before | NEW
    (version,) = versions(texts_app)
    assert (version.before, version.after, version.changed_by) == (before, before | NEW, "rie")
    ((actor, action, detail),) = audit_actions(texts_app)
    assert (actor, action) == ("rie", "edit_service_text") and detail.startswith(f"version:{version.id};")
    assert NEW["answer"] not in detail  # the audit log names the version, never the text
    # the action reads the row on every answer: no retraining, no restart
    dispatcher, _ = run(ActionAnswerService(), tracker("faq", topic=TOPIC))
    assert dispatcher.messages[0]["service_answer"] == NEW["answer"]


def test_an_admin_may_edit_too(texts_app: StaffApp) -> None:
    client = texts_app.signed_in("boss")
    assert post(texts_app, client, {"answer": NEW["answer"]}).status_code == 303
    assert saved_texts(texts_app)["answer"] == NEW["answer"]


def test_the_preview_shows_the_typed_texts_as_the_citizen_will_and_saves_nothing(texts_app: StaffApp) -> None:
    before = saved_texts(texts_app)
    client = texts_app.signed_in("rie")
    typed = NEW | {"answer": "Ny tekst med **fed** skrift og <script>alert(1)</script>."}
    response = client.post(PAGE, data=form_of(client) | typed | {"action": "preview"})
    assert response.status_code == 200 and "Forhåndsvisning" in response.text
    assert "<strong>fed</strong>" in response.text  # the widget's markdown
    assert "<script>alert(1)" not in response.text and "&lt;script&gt;alert(1)" in response.text
    assert "Læs mere: https://kommune.dk/tandpleje" in response.text or 'href="https://kommune.dk/tandpleje"' in (
        response.text
    )
    assert escaped(NEW["audience"]) in response.text
    assert saved_texts(texts_app) == before and versions(texts_app) == [] and audit_actions(texts_app) == []


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("answer", "", "Feltet &#39;Kort svar&#39; må ikke være tomt."),
        ("read_more", "Læs " * 400, "Feltet &#39;Læs mere&#39; er for langt: 1599 tegn. Der må højst være 1500 tegn."),
        ("audience", "Børn {under 22}", "Feltet &#39;Målgruppe&#39; må ikke indeholde { eller }"),
        (
            "link",
            "http://kommune.dk/tandpleje",
            "Linket skal være en sikker internetadresse, der begynder med https://",
        ),
        ("answer", "x" * 100_000, "er for langt: 100000 tegn"),  # oversized
    ],
)
@pytest.mark.parametrize("action", ["save", "preview"])
def test_bad_input_gets_a_danish_reason_keeps_the_typed_text_and_changes_nothing(
    texts_app: StaffApp, field: str, value: str, reason: str, action: str
) -> None:
    before = saved_texts(texts_app)
    client = texts_app.signed_in("rie")
    typed = NEW | {field: value}
    response = client.post(PAGE, data=form_of(client) | typed | {"action": action})
    assert response.status_code == 400 and reason in response.text
    assert f'id="error-{field}"' in response.text and 'aria-invalid="true"' in response.text
    assert escaped(NEW["answer" if field != "answer" else "audience"]) in response.text
    assert escaped(value.strip()[:200]) in response.text  # what was typed, still in the form
    assert saved_texts(texts_app) == before and versions(texts_app) == [] and audit_actions(texts_app) == []


def test_a_revert_restores_the_texts_from_before_a_change(texts_app: StaffApp) -> None:
    original = saved_texts(texts_app)
    client = texts_app.signed_in("rie")
    post(texts_app, client, NEW)
    (edit,) = versions(texts_app)
    page = client.get(PAGE)
    assert f"Gendan teksten fra før ændring nr. {edit.id}" in page.text
    response = client.post(f"{PAGE}/gendan/{edit.id}", data={"csrf_token": csrf_of(page.text)})
    assert response.status_code == 303 and response.headers["location"] == f"{PAGE}?gemt=gendannet"
    assert saved_texts(texts_app) == original
    revert = versions(texts_app)[-1]
    assert (revert.change, revert.reverted_from, revert.after) == ("revert", edit.id, original)
    assert [action for _, action, _ in audit_actions(texts_app)] == ["edit_service_text", "revert_service_text"]
    dispatcher, _ = run(ActionAnswerService(), tracker("faq", topic=TOPIC))
    assert dispatcher.messages[0]["service_answer"] == original["answer"]


def test_an_unknown_topic_or_version_is_not_found(texts_app: StaffApp) -> None:
    client = texts_app.signed_in("rie")
    assert client.get("/tekster/pas-og-koerekort").status_code == 404
    token = csrf_of(client.get(PAGE).text)
    with texts_app.sessions.begin() as session:
        other = get_service(session, "sundhedspleje")
        assert other is not None
    post(texts_app, client, NEW)
    (edit,) = versions(texts_app)
    # the version exists, but belongs to another topic's page
    assert client.post(f"/tekster/sundhedspleje/gendan/{edit.id}", data={"csrf_token": token}).status_code == 404
    for version_id in ["999999", "9" * 30]:  # none, and past any integer column
        assert client.post(f"{PAGE}/gendan/{version_id}", data={"csrf_token": token}).status_code == 404
    assert client.post(f"{PAGE}/gendan/x", data={"csrf_token": token}).status_code == 422
    assert len(versions(texts_app)) == 1


def test_a_save_over_someone_elses_newer_change_is_refused(texts_app: StaffApp) -> None:
    rie, boss = texts_app.signed_in("rie"), texts_app.signed_in("boss")
    stale = form_of(rie)
    assert post(texts_app, boss, {"answer": "Bos tekst."}).status_code == 303
    response = rie.post(PAGE, data=stale | NEW | {"action": "save"})
    assert response.status_code == 409 and "ændret af en anden" in response.text
    assert escaped(NEW["read_more"]) in response.text  # Rie's text is kept in the form
    assert saved_texts(texts_app)["answer"] == "Bos tekst." and len(versions(texts_app)) == 1


@pytest.mark.parametrize("based_on", ["", "abc", "9" * 5000])
def test_a_form_without_its_version_saves_nothing(texts_app: StaffApp, based_on: str) -> None:
    before = saved_texts(texts_app)
    client = texts_app.signed_in("rie")
    response = client.post(PAGE, data=form_of(client) | NEW | {"based_on": based_on, "action": "save"})
    assert response.status_code == 409 and escaped(NEW["answer"]) in response.text
    assert saved_texts(texts_app) == before and versions(texts_app) == []


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/tekster"), ("GET", PAGE), ("POST", PAGE), ("POST", f"{PAGE}/gendan/1")]
)
def test_staff_without_the_editor_role_may_not_edit(texts_app: StaffApp, method: str, path: str) -> None:
    before = saved_texts(texts_app)
    client = texts_app.signed_in("anne")
    queue = client.get("/")
    assert 'href="/tekster"' not in queue.text
    response = client.request(method, path, data={"csrf_token": csrf_of(queue.text), "action": "save"} | NEW)
    assert response.status_code == 403 and "Kun redaktører og administratorer" in response.text
    assert saved_texts(texts_app) == before and versions(texts_app) == []


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/tekster"), ("GET", PAGE), ("POST", PAGE), ("POST", f"{PAGE}/gendan/1")]
)
def test_no_login_no_texts(texts_app: StaffApp, method: str, path: str) -> None:
    before = saved_texts(texts_app)
    response = texts_app.client().request(method, path, data={"action": "save"} | NEW)
    if method == "GET":
        assert response.status_code == 303 and response.headers["location"] == "/login"
    else:
        assert response.status_code in (401, 403)
    assert NEW["answer"] not in response.text and "Tandpleje" not in response.text
    assert saved_texts(texts_app) == before and versions(texts_app) == []


def test_the_answer_in_the_chat_uses_the_action_and_the_preview_the_same_replies(texts_app: StaffApp) -> None:
    """The preview is made from the replies the action sends (bot/service_replies.py)."""
    client = texts_app.signed_in("rie")
    dispatcher, _ = run(ActionAnswerService(), tracker("faq", topic=TOPIC))
    page = client.get(PAGE).text
    for message in dispatcher.messages:
        for button in message.get("buttons") or []:
            assert escaped(button["title"]) in page
    assert escaped(dispatcher.messages[1]["service_next_step"]) in page
