"""Danish dates and times, one package for the whole application.

- words.py: the Danish vocabulary (months, weekdays, number words, parts of
  the day, æ/ø/å spellings) and the year for a date written without one.
- answers.py: a whole answer that is a date (the enrollment form): "12. marts",
  "uge 34", "i oktober", a pregnancy week, a child's age; dateparser behind.
- in_text.py: a date, time, part of day or window anywhere in a slangy message
  (the young people's meeting forms): "i tirsdags", "imorgen kl 14".
- formatting.py: "4. januar 2027", "mandag 4. januar kl. 14.00".

"Now" and "today" come from bot/shared/clock.py.
"""

from __future__ import annotations

from bot.dates.answers import birth_date_from_age, due_date_from_pregnancy_week, parse_danish_date
from bot.dates.formatting import format_danish_date, format_danish_day
from bot.dates.in_text import Window, find_date, find_part_of_day, find_time, find_window
from bot.dates.words import Direction

__all__ = [
    "Direction",
    "Window",
    "birth_date_from_age",
    "due_date_from_pregnancy_week",
    "find_date",
    "find_part_of_day",
    "find_time",
    "find_window",
    "format_danish_date",
    "format_danish_day",
    "parse_danish_date",
]
