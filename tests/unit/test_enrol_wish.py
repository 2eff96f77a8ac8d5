"""A wish to sign up for the course in so many words (bot/shared/enrol_wish.py)."""

from __future__ import annotations

import pytest

from bot.shared.enrol_wish import NAMED_COURSE_OVERRIDDEN, OVERRIDDEN, wants_the_named_course, wants_to_enrol


@pytest.mark.parametrize(
    "text",
    [
        "my partner and I expect our first child in april and would like to sign up for the course",
        "vi vil gerne melde os til forældrekurset, hvad skal I vide?",
        "Hun vil meget gerne tilmeldes Familie med Hjerte, men hun har ikke selv overskud til at skrive",
        "kan jeg tilmelde mig familie med hjerte selvom vi ikke er gift",
        "we want to join the course, how does it work",
        "vil gerne tilmælde os 🙂",
        "Hi, we'd like to sign up for the Familie med Hjerte course",
        "hello I want to register for familie med hjerte, our son is born",
        "Jeg er fra Ukraine. Jeg vil gerne være med i Familie med Hjerte.",
        "vi vil gerne være med på kurset i foråret",
        "tilmelding forældrekursus",
        "hejj kan vi komme paa det foraeldre kursus? vi har termin snart",
        "Tilmelding til familie med hjerte tak 🙂",
        "vi vil gerne tilmelde os kurset, jeg arbejder selv i en børnehave",  # the course named: the wish
        # Joining, with the course named elsewhere in the message.
        "vores søn kom i sidste uge. En veninde fortalte om forældrekurset, og vi vil rigtig gerne være med!",
        "familie med hjerte lyder godt, kan vi komme med?",
        "the nurse told us about a class for first-time parents. could we take part?",
        "Sundhedsplejersken har fortalt om jeres kursus for nye forældre, og vi vil meget gerne deltage.",
    ],
)
def test_the_wish_to_sign_up(text: str) -> None:
    assert wants_to_enrol(text)


@pytest.mark.parametrize(
    "text",
    [
        "hvad er familie med hjerte for noget",
        "hvornår kan man tilmelde sig",  # about the course, no wish of one's own
        "vi vil gerne afmelde os kurset",
        "vi er allerede tilmeldt, kan vi komme med på holdet i marts?",
        "can we cancel our registration",
        "I want to check my registration",
        "vil gerne se vores tilmelding",
        "kan jeg se om vi er tilmeldt",
        "did our registration go through?",
        "min mand vil også gerne være med",  # a partner's answer, no course named
        "min kæreste vil gerne være med",
        "efter kurset vil vi gerne være med i en mødregruppe",  # joining another service
        "min tilmelding til kurset",  # a look-up
        "tilmelding til kurset - hvornår lukker den?",
        "vi vil ikke være med på kurset alligevel, kan I afmelde os",
        "sorry, we want to cancel, we can't join the course after all",
        # Signing up for another service is no wish for the course.
        "må jeg skrive mig op til dagpleje allerede nu",
        "can we sign up for a mums group here",
        "vi vil gerne melde os til en barselsgruppe efter forløbet",
        "after the course, can we join a group for dads?",
        "can I join?",  # no course named
        "efter kurset vil vi gerne deltage i en mødregruppe",  # another service
    ],
)
def test_questions_and_cancellations_are_no_wish(text: str) -> None:
    assert not wants_to_enrol(text)


def test_youth_requests_and_danger_are_never_overridden() -> None:
    never = {"express_distress", "possible_distress", "book_meeting", "request_human"}
    assert not never & OVERRIDDEN


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("hej undskyld det sene tidspunkt, kan ikke sove 🙈 vil gerne tilmelde mig familie med hjerte", True),
        ("kan vi melde os til forældrekurset, vi har tid om torsdagen", True),
        ("hi, I want to sign up for familie med hjerte. our baby is already born", True),
        ("min kæreste og jeg venter en lille og vil gerne med på forældrekurset", True),
        ("jordemoderen sagde vi skulle melde os til familie med hjerte", True),
        ("vi skulle have været med på kurset men kunne ikke", False),
        ("vil gerne tilmelde mig hf", False),  # an education: the young person's
        ("jeg vil gerne tilmelde mig mødet om familie med hjerte", False),  # a meeting named
    ],
)
def test_the_course_named_beats_a_meeting_guess(text: str, wish: bool) -> None:
    assert wants_the_named_course(text) is wish


def test_the_named_course_never_covers_education_danger_or_a_person() -> None:
    assert "reschedule_meeting" in NAMED_COURSE_OVERRIDDEN and "report_concern" in NAMED_COURSE_OVERRIDDEN
    assert not NAMED_COURSE_OVERRIDDEN & {"update_education", "express_distress", "possible_distress", "request_human"}
