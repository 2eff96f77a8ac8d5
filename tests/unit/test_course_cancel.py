"""Calling off the course in so many words (bot/shared/course_cancel.py)."""

from __future__ import annotations

import pytest

from bot.shared.course_cancel import (
    OVERRIDDEN,
    STATUS_OVERRIDDEN,
    THIS_OVERRIDDEN,
    US_OVERRIDDEN,
    calls_off_our_place,
    calls_this_off,
    cancels_the_course,
    cancels_the_parents_course,
    says_cancel,
)


@pytest.mark.parametrize(
    "text",
    [
        "sorry I want to cancel the course after all, I start work again and cannot come",
        "jeg starter på arbejde igen og kan ikke komme. kan jeg framelde mig kurset igen",
        "vi vil gerne afmelde os holdet",
        "kan I afmelde min tilmelding til familie med hjerte",
        "jeg må desværre melde mig fra kurset",
        "please cancel our enrollment",
        "forældrekurset skal aflyses for vores vedkommende",
        "kan jeg trække min tilmelding tilbage",
    ],
)
def test_the_course_called_off_as_people_write_it(text: str) -> None:
    assert cancels_the_course(text)


@pytest.mark.parametrize(
    "text",
    [
        "kan du aflyse mit møde med mentoren på fredag",  # a young person's meeting
        "cancel my meeting tomorrow",
        "hvad koster kurset",
        "vi vil gerne tilmelde os kurset",
        "hvornår starter holdet",
        "kan man aflyse en gang hvis barnet er sygt",  # a question, no course named
    ],
)
def test_the_course_only_mentioned_is_no_cancellation(text: str) -> None:
    assert not cancels_the_course(text)


@pytest.mark.parametrize(
    ("text", "cancel"),
    [
        ("kan vi afmelde den her igen", True),
        ("cancel it please", True),
        ("aflys mødet på fredag", False),
        ("jeg vil gerne tilmelde mig", False),
    ],
)
def test_a_cancel_verb_without_a_meeting(text: str, cancel: bool) -> None:
    assert says_cancel(text) is cancel


def test_questions_danger_people_and_education_are_never_overridden() -> None:
    never = {"faq", "express_distress", "possible_distress", "request_human", "update_education", "report_concern"}
    assert not never & OVERRIDDEN


@pytest.mark.parametrize(
    ("text", "ours"),
    [
        (
            "hov, har lige snakket med Kristian, vi vil alligevel vente til vi har talt med jordemoderen."
            " kan du afmelde os igen?",
            True,
        ),
        ("meld os fra igen tak", True),
        ("please unsubscribe us", True),
        ("we found a course nearer home, could you take our names off?", True),
        ("please remove us from the list", True),
        ("take me off the meeting with my mentor", False),  # a meeting named
        ("kan du afmelde os mødet", False),  # a meeting named
        ("afmeld mig", False),  # one person: could be anything
    ],
)
def test_a_family_calling_off_its_place(text: str, ours: bool) -> None:
    assert calls_off_our_place(text) is ours


def test_a_family_calling_off_overrides_a_meeting_guess_never_education_or_danger() -> None:
    assert {"log_meeting", "reschedule_meeting"} <= US_OVERRIDDEN
    assert not US_OVERRIDDEN & {"update_education", "express_distress", "possible_distress", "request_human", "faq"}


@pytest.mark.parametrize(
    ("text", "this"),
    [
        ("min mand siger vi ikke når det alligevel, så afmeld den her igen tak", True),
        ("kan du afmelde det igen", True),
        ("afmeld den", True),
        ("kan du afmelde mødet på fredag", False),  # a meeting named
        ("hvordan afmelder man sig", False),
    ],
)
def test_this_called_off(text: str, this: bool) -> None:
    assert calls_this_off(text) is this


def test_this_called_off_overrides_a_concern_never_a_meeting_or_danger() -> None:
    assert "report_concern" in THIS_OVERRIDDEN and "report_concern" in US_OVERRIDDEN
    assert not THIS_OVERRIDDEN & {"log_meeting", "cancel_meeting", "express_distress", "possible_distress"}


@pytest.mark.parametrize(
    ("text", "ours"),
    [
        ("actually I changed my mind, please cancel my registration", True),
        ("kan du afmelde min tilmelding til kurset", True),
        ("vil gerne afmelde familie med hjerte", True),
        ("kan jeg afmelde mig holdet på hf", False),  # a school's class
        ("cancel my class tomorrow", False),
        ("aflys mødet med min mentor om kurset", False),  # a meeting
        ("hvad står der om min uddannelse", False),
    ],
)
def test_the_parents_course_called_off_over_a_question_about_education(text: str, ours: bool) -> None:
    assert cancels_the_parents_course(text) is ours
    assert not STATUS_OVERRIDDEN & {"update_education", "express_distress", "possible_distress", "request_human", "faq"}
