"""Which meeting a young person means, and the new time, in one message about
a meeting they have just seen or know of: "kan vi rykke det første til
torsdag kl 14", "mødet på tirsdag passer ikke, kan det blive onsdag d. 20 kl
14 i stedet", "den på tirsdag, kan den flyttes til kl 16 samme dag",
"aflys det på fredag".

The message is split where the new time starts ("til …", "kan det blive …");
the part before names the meeting (a day, "det første"/"den anden", or just
"det"/"den"/"mødet": the one shown, else the next), the part after the new
time. Deterministic, like the rest of bot/dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.dates.in_text import Window, find_date, find_time, find_window
from bot.dates.words import WEEKDAY_NAMES, normalise

# Where the new time starts. "til" (and the English "to") only counts when a
# day or a time follows that is not the meeting itself ("kan ikke komme til
# mødet på fredag"; "to uger" is two weeks, and no day follows "to").
_NEW_TIME = re.compile(
    r"\b(?:til|kan (?:det|den|vi|mødet|møde|aftalen|tingen|\w+ ?tingen) (?:ikke )?(?:blive|være|tage(?: det| den)?"
    r"|ta(?: det)?)|hellere|i stedet for det(?:te)?|skal være|to)\b"
)
_THE_MEETING = re.compile(r"^\s*(?:mødet|møde|det|den|vores|mit|min)\b")
# "har vagt til kl 17", "er i skole til 15": until then, a reason, not the new time.
_BUSY_UNTIL = re.compile(
    r"\b(?:arbejder|arbejde|på job|skole|undervisning|praktik|timer|optaget|vagt|work|working|school)\s*$"
)
_ORDINAL_WORDS = {"første": 0, "næste": 0, "anden": 1, "andet": 1, "tredje": 2, "sidste": -1}
_WORD = "|".join(_ORDINAL_WORDS)
_ORDINAL = re.compile(rf"\b(?:det|den|mødet)\s+({_WORD})\b|\b({_WORD})\s+møde|\b(?:nr\.?|nummer)\s*([1-9])\b")
_SAME_DAY = re.compile(r"\bsamme dag\b|\bsamme dato\b")


@dataclass(frozen=True)
class MeetingReference:
    """What one message says about a meeting: the day it is on, or its place in
    the list ("det første" 0, "den anden" 1, "det sidste" -1), or neither
    (the one shown, or the next); and the new time, if the message gives one."""

    on: date | None
    position: int | None
    new_time: Window | None
    same_day: bool = False  # "kl 16 samme dag": the meeting's own day, at the new time
    # "aflys mødet i næste uge": days named together, no one day (the first meeting among them)
    within: tuple[date, date] | None = None


# "tirsdagsmødet", "fredagsaftalen": the meeting on that day.
_DAY_COMPOUND = re.compile(rf"\b({'|'.join(WEEKDAY_NAMES)})s?(møde(?:t)?|aftale(?:n)?)\b")
# "til" and "to" start the new time only when it follows at once ("til torsdag kl 14",
# "til d. 18."): "skal til lægen på fredag" is where the young person is going, and
# Friday is the meeting's day, not the new one.
_AT_ONCE = 2


def split_at_new_time(text: str) -> tuple[str, str]:
    """("which meeting", "the new time"); the second is "" when the message gives none."""
    t = _DAY_COMPOUND.sub(r"\2 på \1", normalise(text))
    for match in _NEW_TIME.finditer(t):
        after = t[match.end() :]
        if _THE_MEETING.match(after) or _BUSY_UNTIL.search(t[: match.start()]):
            continue
        near = " ".join(after.split()[:_AT_ONCE]) if match.group(0) in ("til", "to") else after
        if find_date(near, date(2000, 1, 3)) is not None or find_time(near) is not None:
            return t[: match.start()], after
    return t, ""


def position_in_list(text: str) -> int | None:
    """ "det første" 0, "den anden" 1, "nr 3" 2, "det sidste" -1; None without one."""
    match = _ORDINAL.search(normalise(text))
    if not match:
        return None
    word = match.group(1) or match.group(2)
    return _ORDINAL_WORDS[word] if word else int(match.group(3)) - 1


def read_meeting_reference(text: str, today: date, moving: bool = True) -> MeetingReference:
    """The meeting and (when `moving`) the new time a message names."""
    which, new = split_at_new_time(text) if moving else (_DAY_COMPOUND.sub(r"\2 på \1", normalise(text)), "")
    on = find_date(which, today, "future")
    position = None if on else position_in_list(which)
    days = find_window(which, today) if on is None and position is None else None
    within = (days.first, days.last) if days is not None and days.first != days.last else None
    window = None
    if new:
        window = find_window(new, today)
        if window is None and find_time(new) is not None:
            # only a time ("til kl 16 samme dag"): the day is the meeting's own
            return MeetingReference(on, position, None, same_day=True, within=within)
    same_day = bool(new and _SAME_DAY.search(new) and window is None)
    return MeetingReference(on, position, window, same_day=same_day, within=within)


def new_time_on(day: date, text: str) -> Window | None:
    """ "til kl 16 samme dag" and the meeting's day -> that day at 16."""
    _, new = split_at_new_time(text)
    at = find_time(new)
    return Window(day, day, None, at) if at else None


_BARE_WEEKDAY = re.compile(rf"\b(?:{'|'.join(WEEKDAY_NAMES)})(?:en)?\b")
# Words that fix which week a weekday is in: taken as written.
_WEEK_FIXED = re.compile(r"\b(?:næste|sidste|uge|denne|i morgen|i overmorgen|i dag)\b")


def nearest_to_meeting(window: Window, text: str, meeting_day: date) -> Window:
    """ "kan mødet på tirsdag (the 19th) rykkes til onsdag": the Wednesday
    nearest the meeting (the 20th), not the first one from today (the 13th);
    "fredag (the 15th) … til torsdag" stays the 14th. A date, "næste uge" or
    "i morgen" is taken as written."""
    _, new = split_at_new_time(text)
    said = new or normalise(text)
    if window.first != window.last or not _BARE_WEEKDAY.search(said) or _WEEK_FIXED.search(said):
        return window
    if find_date(_BARE_WEEKDAY.sub(" ", said), meeting_day) is not None:
        return window  # "onsdag d. 20": the date says which
    later = window.first + timedelta(days=7)
    if abs((later - meeting_day).days) < abs((window.first - meeting_day).days):
        return Window(later, later, window.part_of_day, window.at)
    return window


def within_span(window: Window, text: str, span: Window) -> Window:
    """A weekday alone narrowing days already given: asked "i næste uge" and
    then told "torsdag kl 9", the Thursday of next week, not of this week.
    Only when that weekday is among the span's days; a date, "næste",
    "i morgen" or a span of its own is taken as written."""
    said = normalise(text)
    bare = window.first == window.last and _BARE_WEEKDAY.search(said) and not _WEEK_FIXED.search(said)
    if not bare or span.first == span.last or find_date(_BARE_WEEKDAY.sub(" ", said), span.first) is not None:
        return window
    days = (span.first + timedelta(days=k) for k in range((span.last - span.first).days + 1))
    day = next((d for d in days if d.weekday() == window.first.weekday()), None)
    return Window(day, day, window.part_of_day, window.at) if day else window
