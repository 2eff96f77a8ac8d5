import pytest

from bot.validation import clean_name, find_danish_phone, find_email, format_phone, normalise_reference, parse_contact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mette Hansen", "Mette Hansen"),
        ("mette hansen", "Mette Hansen"),
        ("jeg hedder Ali Hassan", "Ali Hassan"),
        ("Mit navn er Søren Ærø-Østergård", "Søren Ærø-Østergård"),
        ("det er Sofie", "Sofie"),
        ("Anne-Marie O'Brien", "Anne-Marie O'Brien"),
        ("JONAS", "Jonas"),
        ("Bo.", "Bo"),
        ("my name is Emma Nielsen", "Emma Nielsen"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
    ],
)
def test_names(text: str, expected: str) -> None:
    assert clean_name(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12345678",
        "mette@example.dk",
        "a",
        "",
        "hvad koster det egentlig for os to og vores baby her i kommunen",
        "R2D2",
        "!!!",
        "🙂🙂",
    ],
)
def test_not_names(text: str) -> None:
    assert clean_name(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mette@example.dk", "mette@example.dk"),
        ("Min mail er Mette.H+fmh@Gmail.com tak", "mette.h+fmh@gmail.com"),
        ("ole_hansen@post.tele.dk", "ole_hansen@post.tele.dk"),
    ],
)
def test_emails(text: str, expected: str) -> None:
    assert find_email(text) == expected


@pytest.mark.parametrize("text", ["mette@", "mette@example", "@example.dk", "mette example.dk"])
def test_not_emails(text: str) -> None:
    assert find_email(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12345678", "+4512345678"),
        ("+45 12 34 56 78", "+4512345678"),
        ("0045 40404040", "+4540404040"),
        ("+4522334455", "+4522334455"),
        ("22-33-44-55", "+4522334455"),
        ("mit nummer er 31 41 59 26", "+4531415926"),
        ("ring på 2233 4455 efter kl 16", "+4522334455"),
    ],
)
def test_danish_phones(text: str, expected: str) -> None:
    assert find_danish_phone(text) == expected


@pytest.mark.parametrize("text", ["1234567", "123456789", "02345678", "+46 12 34 56 78", "010203-1234", "3.3.2027"])
def test_not_danish_phones(text: str) -> None:
    assert find_danish_phone(text) is None


def test_contact_with_both() -> None:
    contact = parse_contact("mette@example.dk og 22 33 44 55")
    assert (contact.email, contact.phone) == ("mette@example.dk", "+4522334455")
    assert contact.describe() == "mette@example.dk og 22 33 44 55"
    assert format_phone("+4522334455") == "22 33 44 55"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FMH-7K3Q9", "FMH-7K3Q9"),
        ("fmh-7k3q9", "FMH-7K3Q9"),
        ("min kode er FMH 7K3Q9", "FMH-7K3Q9"),
        ("FMH7K3Q9", "FMH-7K3Q9"),
    ],
)
def test_reference_codes(text: str, expected: str) -> None:
    assert normalise_reference(text) == expected


@pytest.mark.parametrize("text", ["FMH-7K3Q", "FMH-0O1IL", "7K3Q9", "ABC-7K3Q9"])
def test_not_reference_codes(text: str) -> None:
    assert normalise_reference(text) is None
