"""Personal data out of free text (pure): e-mails, phone numbers, card numbers."""

import pytest

from feedback.intake.redaction import luhn_ok, redact, redact_errors, redact_many


def counts(email=0, phone=0, card=0) -> dict:
    return {"email": email, "phone": phone, "card": card}


@pytest.mark.parametrize(
    "address",
    [
        "jane.doe@example.com",
        "Jane.Doe+orders@mail.example.co.uk",
        "j_o-e99@sub.domain.io",
        "SUPPORT@EXAMPLE.ORG",
    ],
)
def test_e_mail_addresses_become_a_placeholder(address):
    text, found = redact(f"Write to {address}, thanks.")
    assert text == "Write to [email], thanks."
    assert found == counts(email=1)


def test_handles_and_hosts_without_a_domain_are_not_e_mails():
    text = "Tweeted @acme_help and wrote to root@localhost twice."
    assert redact(text) == (text, counts())


def test_a_quoted_value_keeps_its_quotes():
    message = "'jane@example.com' is not a date in the format iso"
    assert redact(message)[0] == "'[email]' is not a date in the format iso"


@pytest.mark.parametrize(
    "number",
    [
        "(415) 555-2671",
        "415-555-2671",
        "415.555.2671",
        "+1 415 555 2671",
        "+1-202-555-0143",
        "+44 20 7946 0958",
        "+44 7700 900123",
        "+447700900123",
        "+33 1 42 68 53 00",
        "+49 30 901820",
    ],
)
def test_phone_numbers_of_several_formats_become_a_placeholder(number):
    text, found = redact(f"Call me on {number} after six.")
    assert text == "Call me on [phone] after six."
    assert found == counts(phone=1)


def test_national_formats_are_read_for_the_region_given():
    uk = "Ring 020 7946 0958 please."
    assert redact(uk, region="US") == (uk, counts())
    assert redact(uk, region="US,GB") == ("Ring [phone] please.", counts(phone=1))


@pytest.mark.parametrize(
    "card",
    [
        "4111 1111 1111 1111",  # Visa, grouped by spaces
        "4111-1111-1111-1111",
        "4111111111111111",
        "5500 0055 5555 5559",  # Mastercard
        "378282246310005",  # Amex, 15 digits
        "6011111111111117",  # Discover
    ],
)
def test_card_numbers_that_pass_the_luhn_check_become_a_placeholder(card):
    text, found = redact(f"I paid with {card} yesterday.")
    assert text == "I paid with [card] yesterday."
    assert found == counts(card=1)


@pytest.mark.parametrize(
    "digits", ["4111 1111 1111 1112", "4111111111111112", "1234567812345678"]
)
def test_a_digit_run_that_fails_the_luhn_check_is_kept(digits):
    text = f"Reference {digits} on the letter."
    assert redact(text) == (text, counts())


def test_luhn():
    assert luhn_ok("79927398713")
    assert not luhn_ok("79927398710")
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


@pytest.mark.parametrize(
    "text",
    [
        "Ordered on 2024-11-05 at 10:30, arrived 12/05/2024.",
        "Delivered 05.11.2024 between 10:30-11:45.",
        "Order 123456 and order #884512 are both missing.",
        "It cost $1,299.99, then €12.345,67 with the extras.",
        "Version 2.14.3 fixed 95% of the crashes in 2023.",
        "Tracking 1Z999AA10123456784 still says pending.",
        "Rated 10/10, waited 45 minutes, 3 stars.",
        "Paid 1,234,567.89 over 2019-2024.",
    ],
)
def test_no_false_positives_on_dates_order_numbers_and_prices(text):
    assert redact(text) == (text, counts())


def test_one_text_with_all_three_kinds():
    text, found = redact(
        "Me: ann@example.com, +44 20 7946 0958 or (415) 555-2671; "
        "card 4111 1111 1111 1111, not 4111 1111 1111 1112."
    )
    assert text == (
        "Me: [email], [phone] or [phone]; card [card], not 4111 1111 1111 1112."
    )
    assert found == counts(email=1, phone=2, card=1)


def test_many_texts_add_up_their_counts():
    texts, found = redact_many(
        ["a@b.co and c@d.org", "", "call 415-555-2671", "nothing here"]
    )
    assert texts == ["[email] and [email]", "", "call [phone]", "nothing here"]
    assert found == counts(email=2, phone=1)


def test_error_messages_lose_their_personal_data_and_keep_the_rest():
    errors = [
        {"line": 3, "field": "created", "message": "'x@y.com' is not a date"},
        {"line": 4, "field": "text", "message": "is required"},
    ]
    assert redact_errors(errors) == [
        {"line": 3, "field": "created", "message": "'[email]' is not a date"},
        {"line": 4, "field": "text", "message": "is required"},
    ]
