"""The blind conversation replay starts each set on the day its header assumes,
with the young people's meetings it names (tests/bench/conversations.py)."""

from __future__ import annotations

from tests.bench.conversations import BLIND_SETS, MEETINGS, TODAY, Assumed, assumed

HEADER = (
    "# Written from the contract alone.\n"
    "# - Today is 2027-02-09 (Tuesday). Dates are ISO.\n"
    "# - Before each youth conversation the young person has exactly two upcoming meetings with their mentor:"
    ' Friday 2027-02-12 10:00 ("på fredag") and Tuesday 2027-02-16 14:00 ("på tirsdag").\n'
)


def test_a_header_gives_its_own_day_and_meetings() -> None:
    assert assumed(HEADER) == Assumed("2027-02-09", ("2027-02-12T10:00", "2027-02-16T14:00"))


def test_a_header_that_names_neither_keeps_the_first_sets_assumption() -> None:
    assert assumed("# Today in every conversation: Tuesday 2027-01-12\n") == Assumed(TODAY, MEETINGS)


def test_every_set_names_a_day_and_two_meetings() -> None:
    for path in BLIND_SETS:
        world = assumed(path.read_text(encoding="utf-8"))
        assert len(world.meetings) == 2 and world.today < min(world.meetings), path.name
