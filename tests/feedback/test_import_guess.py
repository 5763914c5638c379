"""The mapping guesser: small CSVs written here -> the mapping it proposes."""

from feedback.intake.guess import mapping_guess
from feedback.intake.reading import read_table


def guess_of(text: str):
    return mapping_guess(read_table(text.encode()).frame)


LONG = (
    "The seat was broken and nobody on the crew could help me at all",
    "Check-in took an hour because only one desk was open that morning",
    "Great crew, warm food and the flight landed twenty minutes early",
    "My bag arrived two days late and the claim form kept timing out",
)


def test_it_takes_the_longest_free_text_column_as_text():
    rows = "\n".join(f"{i},Short {i},{t}" for i, t in enumerate(LONG))
    guess = guess_of("ref,Title,Comments\n" + rows)
    assert guess.mapping["Comments"] == "text"
    assert "Title" not in guess.mapping
    assert guess.confidence["text"] > 0.8


def test_it_finds_the_date_column_and_its_format_by_parsing():
    rows = "\n".join(
        f"{d},{t}"
        for d, t in zip(
            ("19th November 2023", "2nd March 2024", "1st May 2024", "30th June 2024"),
            LONG,
            strict=True,
        )
    )
    guess = guess_of("When,Body\n" + rows)
    assert guess.mapping["When"] == "created"
    assert guess.date_format == "d month yyyy"
    assert guess.confidence["created"] == 1.0


def test_without_dates_it_proposes_the_import_date():
    rows = "\n".join(f"{t},Dresses" for t in LONG)
    guess = guess_of("Review,Department\n" + rows)
    assert "created" not in guess.mapping.values()
    assert guess.constants["created"] == "import_date"
    assert guess.confidence["created"] == 0.0


def test_a_1_to_10_rating_is_a_rating_and_1_to_5_are_stars():
    rows = "\n".join(
        f"{s},{r},{t}"
        for s, r, t in zip((1, 4, 10, 7), (1, 2, 5, 3), LONG, strict=True)
    )
    guess = guess_of("OverallRating,SeatComfort,ReviewBody\n" + rows)
    assert guess.mapping["OverallRating"] == "score"
    assert guess.constants["score_type"] == "rating"
    assert "SeatComfort" not in guess.mapping

    rows = "\n".join(f"{r},{t}" for r, t in zip((1, 2, 5, 3), LONG, strict=True))
    assert guess_of("Rating,Review\n" + rows).constants["score_type"] == "stars"


def test_a_0_to_10_score_headed_nps_is_nps_and_counts_without_a_hint_are_no_score():
    rows = "\n".join(f"{s},{s},{t}" for s, t in zip((0, 6, 9, 10), LONG, strict=True))
    guess = guess_of("NPS answer,Number of Referrals,Why\n" + rows)
    assert guess.mapping["NPS answer"] == "score"
    assert guess.constants["score_type"] == "nps"
    assert "Number of Referrals" not in guess.mapping


def test_ids_customer_segment_channel_and_revenue_come_from_headers_and_values():
    rows = "\n".join(
        f"{1000 + i},C{i % 2},Retail,{via},{rev},{t}"
        for i, (via, rev, t) in enumerate(
            zip(
                ("Web", "Phone", "Email", "Web"),
                ("10.5", "0", "99", "7"),
                LONG,
                strict=True,
            )
        )
    )
    guess = guess_of(
        "Complaint ID,Customer ID,Product,Submitted via,Total Revenue,Narrative\n"
        + rows
    )
    assert guess.mapping == {
        "Narrative": "text",
        "Complaint ID": "external_id",
        "Customer ID": "customer_id",
        "Product": "segment",
        "Submitted via": "channel",
        "Total Revenue": "annual_revenue",
    }
    assert guess.confidence["channel"] == 1.0


def test_a_file_of_short_labels_has_no_text_guess():
    guess = guess_of("id,Plan\n1,Gold\n2,Silver\n3,Gold\n")
    assert "text" not in guess.mapping.values()
    assert "text" not in guess.confidence


def test_an_unnamed_row_index_is_a_weak_external_id():
    rows = "\n".join(f"{i},{t}" for i, t in enumerate(LONG))
    guess = guess_of(",Review Text\n" + rows)
    assert guess.mapping["column_1"] == "external_id"
    assert guess.confidence["external_id"] == 0.5


def test_a_column_named_created_is_never_replaced_by_the_import_date():
    guess = guess_of("text,created\nHello there friend,not a date\n")
    assert "created" not in guess.constants


def test_a_text_column_blank_in_many_rows_proposes_skipping_those_rows():
    rows = "\n".join(f"{i},{t if i % 2 else ''}" for i, t in enumerate(LONG))
    assert guess_of("id,Churn Reason\n" + rows).skip_empty_text is True
    rows = "\n".join(f"{i},{t}" for i, t in enumerate(LONG))
    assert guess_of("id,Churn Reason\n" + rows).skip_empty_text is False
