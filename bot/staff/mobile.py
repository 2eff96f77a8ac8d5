"""A young person's mobile number, set or cleared by the aftercare team (and
admins) from the conversation page: a text from the number is then that young
person's conversation. The audit log names the young person, never the number."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from bot.db.sms import SmsError, set_mobile
from bot.sms.numbers import danish_mobile
from bot.staff.context import CheckedForm, Ctx, NotFound, SignedIn, audit, may_see_conversation, team_of
from bot.staff.conversations import SEES_YOUNG_PEOPLE, young_person_of

router = APIRouter()

NOT_A_MOBILE = "Mobilnummeret skal være et dansk mobilnummer med 8 cifre, fx 20 12 34 56 eller +45 20 12 34 56."


@router.post("/samtale/{conversation_id}/mobil")
def set_young_persons_mobile(
    request: Request, conversation_id: str, form: CheckedForm, user: SignedIn, ctx: Ctx
) -> Any:
    back = f"/samtale/{quote(conversation_id, safe='')}"
    if team_of(user) not in SEES_YOUNG_PEOPLE:
        raise NotFound("Den unge findes ikke.")
    clear = form.get("action") == "clear"
    msisdn = None if clear else danish_mobile(str(form.get("mobile") or "")[:40])
    if not clear and msisdn is None:
        return RedirectResponse(f"{back}?fejl={quote(NOT_A_MOBILE)}", status_code=303)
    with ctx.sessions.begin() as session:
        youth = (
            young_person_of(session, conversation_id) if may_see_conversation(session, user, conversation_id) else None
        )
        if youth is None:
            raise NotFound("Den unge findes ikke.")
        try:
            profile = set_mobile(session, youth.profile.reference, msisdn)
        except SmsError as error:  # raised before anything changed
            return RedirectResponse(f"{back}?fejl={quote(str(error))}", status_code=303)
        audit(session, request, user, "remove_mobile" if clear else "set_mobile", f"youth:{profile.reference}")
    return RedirectResponse(back, status_code=303)
