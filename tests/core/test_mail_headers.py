"""E-mail header values built from user text stay one line and bounded."""

from cxplan.core.mail import header_value_clean


def test_cr_and_lf_become_one_space():
    assert header_value_clean("A\r\nBcc: x@evil") == "A Bcc: x@evil"


def test_other_control_and_line_separator_characters_become_spaces():
    value = "a\tb\x00c\x0bd\x85e\u2028f\u2029g"
    assert header_value_clean(value) == "a b c d e f g"


def test_emoji_joined_by_zero_width_joiners_survive():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert header_value_clean(f"Team {family}") == f"Team {family}"


def test_a_long_value_is_cut_with_an_ellipsis():
    cleaned = header_value_clean("x" * 500, max_length=20)
    assert len(cleaned) == 20 and cleaned.endswith("…")
