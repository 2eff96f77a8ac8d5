"""The one transaction template for every action that touches the database.

An action reads its slots, calls repository functions (bot/db: they take the
session and never commit) in one transaction, replies after the commit and
returns events:

    with Transaction(dispatcher, self.name()) as tx:
        was_bound = unbind(tx.session, tracker.sender_id)
        tx.reply("utter_logged_out" if was_bound else "utter_not_logged_in")
    if tx.failed:
        return []  # rolled back; the citizen was given utter_database_error
    return [SlotSet(...)]

- The replies collected with `tx.reply` are sent only once the commit has
  succeeded: nobody is told that something was done and then that the
  database failed.
- On a database error (SQLAlchemyError, also one raised by the commit) the
  transaction is rolled back, the collected replies are dropped and one reply
  is sent: `utter_database_error` with the municipality's phone number and
  opening hours, or the action's own `error_reply` (None: no reply, for an
  action with a fallback of its own). The log names the action and the
  error's class, never its text (SQL parameters are a citizen's data), and
  `tx.failed` is True.
- Any other exception rolls back, drops the replies and goes on up (an error
  the action answers itself, such as TeamFullError); `also` names the ones
  to treat like a database error.
- Events are decided after the block, where `tx.failed` is known: a `return`
  inside it would return as if committed even when the commit failed
  (tests/test_layout.py checks that none does).

A young person's verified identity: actions/youth_identity.py `young_person(tx, tracker)`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from types import TracebackType
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions.common import sessions
from bot.shared.municipality import contact_details

logger = logging.getLogger(__name__)

DATABASE_ERROR = "utter_database_error"
Reply = tuple[str, dict[str, Any]]  # a response name and its values


class Transaction:
    """One transaction, and the replies to send once it is committed (see the module's docstring)."""

    def __init__(
        self,
        dispatcher: CollectingDispatcher,
        where: str,
        *,
        error_reply: str | None = DATABASE_ERROR,
        also: tuple[type[Exception], ...] = (),
    ) -> None:
        self.dispatcher = dispatcher
        self.where = where
        self.error_reply = error_reply
        self.handled: tuple[type[Exception], ...] = (SQLAlchemyError, *also)
        self.replies: list[Reply] = []
        self.failed = False
        self.committed = False
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("The session lives only inside the `with Transaction(...)` block.")
        return self._session

    def reply(self, response: str, **values: Any) -> None:
        """A reply, sent after the commit (dropped if the transaction fails)."""
        self.replies.append((response, values))

    def reply_all(self, replies: list[Reply]) -> None:
        self.replies.extend(replies)

    def __enter__(self) -> Transaction:
        self._session = sessions()()
        self._session.begin()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> bool:
        session, self._session = self.session, None
        error = exc
        try:
            if error is None:
                try:
                    session.commit()
                except SQLAlchemyError as commit_error:
                    error = commit_error
            if error is not None:
                _quietly(session.rollback)
        finally:
            _quietly(session.close)
        if error is None:
            self.committed = True
            for response, values in self.replies:
                self.dispatcher.utter_message(response=response, **values)
            return False
        self.replies.clear()
        if not isinstance(error, self.handled):
            return False  # goes on up, rolled back
        self.failed = True
        logger.warning("%s: %s; rolled back, nothing was saved", self.where, type(error).__name__)
        if self.error_reply is not None:
            self.dispatcher.utter_message(response=self.error_reply, **contact_details())
        return True


def _quietly(step: Callable[[], None]) -> None:
    """Roll back or close a session whose connection may be gone: the error that got here is the one to tell."""
    with suppress(SQLAlchemyError):
        step()
