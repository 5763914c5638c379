"""The CSV reader and validator: encodings, delimiters, dates, duplicates, ragged."""

import pandas as pd
import pytest

from feedback.intake.columns import column_plan, parse_mapping_args
from feedback.intake.dates import date_format_name, parse_dates
from feedback.intake.fields import CHANNELS
from feedback.intake.reading import FileError, read_table
from feedback.intake.validation import validate_frame, validate_records
from tests.feedback.intake_helpers import GOOD_ROWS, csv_bytes


def validate(data: bytes, mapping=None, **kwargs):
    table = read_table(data)
    plan = column_plan(list(table.frame.columns), mapping)
    result = validate_frame(table.frame, plan, lines=table.lines, **kwargs)
    return table, plan, result


def test_it_reads_utf8_with_a_bom():
    data = b"\xef\xbb\xbf" + csv_bytes(
        "1,Café was cold,2026-01-01",
        header="external_id,text,created",
    )
    table, plan, result = validate(data)
    assert table.encoding == "utf-8-sig"
    assert list(table.frame.columns)[0] == "external_id"
    assert result.rows.loc[0, "text"] == "Café was cold"
    assert result.errors == []


def test_it_reads_latin1():
    data = "id,text,created\n1,Très lent à répondre,2026-01-01\n".encode("latin-1")
    table, _, result = validate(data, {"id": "external_id"})
    assert table.encoding in ("cp1252", "latin-1")
    assert result.rows.loc[0, "text"] == "Très lent à répondre"


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_it_sniffs_the_delimiter(sep):
    data = f"text{sep}created{sep}segment\nSlow, very slow{sep}2026-01-01{sep}smb\n"
    table, _, result = validate(data.encode())
    assert table.delimiter == sep
    assert result.rows.loc[0, "text"] == "Slow, very slow"
    assert result.rows.loc[0, "segment"] == "smb"


def test_it_matches_column_names_case_insensitively():
    data = b"TEXT,Created,Customer ID,Annual-Revenue\nGood,2026-01-01,C9,1200\n"
    _, plan, result = validate(data)
    assert plan.columns["text"] == "TEXT"
    assert plan.columns["customer_id"] == "Customer ID"
    assert result.rows.loc[0, "annual_revenue"] == 1200.0


def test_a_mapping_renames_and_sets_constants_and_unknown_columns_go_to_extra():
    data = b"Review Text,Rating,When,Colour\nNice fit,5,2026-01-01,red\n"
    mapping = {"review text": "text", "Rating": "score", "WHEN": "created"}
    mapping["=stars"] = "score_type"
    mapping["=review"] = "channel"
    _, plan, result = validate(data, mapping)
    row = result.rows.iloc[0]
    assert (row["text"], row["score"], row["score_type"], row["channel"]) == (
        "Nice fit",
        5.0,
        "stars",
        "review",
    )
    assert row["extra"] == {"Colour": "red"}


def test_a_mapping_to_a_missing_column_is_an_error():
    data = csv_bytes(*GOOD_ROWS)
    _, plan, _ = validate(data, {"Nope": "text"})
    assert plan.errors == [
        {"line": 1, "field": "Nope", "message": "no such column in the file"}
    ]


def test_a_file_without_text_or_created_is_refused_as_a_whole():
    _, plan, _ = validate(b"comment,when\nx,2026-01-01\n")
    assert {e["field"] for e in plan.errors} == {"text", "created"}


@pytest.mark.parametrize(
    ("fmt", "value", "expected"),
    [
        ("iso", "2023-11-19", "2023-11-19T00:00:00+00:00"),
        ("iso", "2023-11-19T14:30:00+01:00", "2023-11-19T13:30:00+00:00"),
        ("yyyy/m/d", "2020/3/8", "2020-03-08T00:00:00+00:00"),
        ("m/d/yyyy HH:MM", "11/19/2023 14:30", "2023-11-19T14:30:00+00:00"),
        ("d month yyyy", "19th November 2023", "2023-11-19T00:00:00+00:00"),
        ("d month yyyy", "1st March 2021", "2021-03-01T00:00:00+00:00"),
        ("d month yyyy", "22nd Feb 2022", "2022-02-22T00:00:00+00:00"),
        ("%d.%m.%Y", "19.11.2023", "2023-11-19T00:00:00+00:00"),
    ],
)
def test_it_parses_each_named_date_format(fmt, value, expected):
    parsed = parse_dates(pd.Series([value]), fmt)
    assert parsed.iloc[0].isoformat() == expected


def test_a_date_in_another_format_is_reported_with_its_line_and_column():
    data = b"text,Date received\nok,2020/3/18\nbad,18-03-2020\n"
    _, _, result = validate(data, {"Date received": "created"}, date_format="yyyy/m/d")
    assert result.errors == [
        {
            "line": 3,
            "field": "Date received",
            "message": "'18-03-2020' is not a date in the format yyyy/m/d",
        }
    ]
    assert len(result.rows) == 1


def test_an_unknown_date_format_name_is_refused():
    with pytest.raises(ValueError, match="unknown date format"):
        date_format_name("sometime")


def test_every_bad_row_is_reported_line_by_line():
    data = csv_bytes(
        "b1,,2026-01-01,survey,,,,",
        "b2,Fine,,survey,,,,",
        "b3,Fine,2026-01-01,fax machine,,,,",
        "b4,Fine,2026-01-01,survey,11,nps,,",
        "b5,Fine,2026-01-01,survey,4,,,",
        "b6,Fine,2026-01-01,survey,x,stars,,",
        "b7,Fine,2026-01-01,survey,3,csat,,",
    )
    _, _, result = validate(data)
    got = [(e["line"], e["field"], e["message"]) for e in result.errors]
    assert got == [
        (2, "text", "is required"),
        (3, "created", "is required"),
        (
            4,
            "channel",
            "'fax machine' is not a channel; use one of " + ", ".join(CHANNELS),
        ),
        (5, "score", "must be between 0 and 10 for nps"),
        (6, "score_type", "is required with a score (nps, csat, stars or rating)"),
        (7, "score", "is not a number"),
    ]
    assert result.lines.tolist() == [8]


def test_text_of_ten_thousand_characters_and_more_is_kept_up_to_the_limit():
    data = csv_bytes("x1," + "a" * 10_001 + ",2026-01-01,,,,,")
    _, _, result = validate(data)
    assert result.errors == []
    _, _, result = validate(data, max_text_chars=10_000)
    assert result.errors[0]["message"] == "is longer than 10,000 characters"


def test_negative_revenue_is_an_error_and_currency_signs_are_accepted():
    data = (
        b"text,created,customer_id,annual_revenue\n"
        b"A,2026-01-01,C1,-5\n"
        b'B,2026-01-01,C2,"$1,200.50"\n'
    )
    _, _, result = validate(data)
    assert [(e["line"], e["message"]) for e in result.errors] == [
        (2, "must be 0 or more")
    ]
    assert result.rows.loc[0, "annual_revenue"] == 1200.5


def test_channel_aliases_map_to_our_channels():
    data = (
        b"text,created,channel\nA,2026-01-01,Phone\nB,2026-01-01,Web\nC,2026-01-01,\n"
    )
    _, _, result = validate(data)
    assert result.rows["channel"].tolist() == ["call", "other", "other"]


def test_duplicates_inside_a_file_are_reported():
    data = csv_bytes(
        "d1,First,2026-01-01,survey,,,,",
        "d1,Second,2026-01-02,survey,,,,",
        ",Same words,2026-01-01,survey,,,,",
        ",Same words,2026-01-01,survey,,,,",
    )
    _, _, result = validate(data)
    assert [(e["line"], e["message"]) for e in result.errors] == [
        (3, "duplicate of line 2 (same source and external_id)"),
        (5, "exact duplicate of line 4"),
    ]


def test_the_same_external_id_in_two_sources_is_no_duplicate():
    data = b"external_id,text,created,source\n1,A,2026-01-01,web\n1,B,2026-01-01,app\n"
    _, _, result = validate(data)
    assert result.errors == []


def test_ragged_rows_are_reported_and_short_rows_padded():
    data = (
        b"text,created,segment\n"
        b'"two\nlines",2026-01-01,smb\n'
        b"too,2026-01-01,smb,extra\n"
        b"short,2026-01-02\n"
    )
    table, _, result = validate(data)
    assert table.errors == [
        {"line": 3, "field": "", "message": "has 4 cells where the header has 3"}
    ]
    assert result.lines.tolist() == [2, 4]
    assert result.rows.loc[1, "segment"] == ""


def test_blank_lines_are_skipped_without_shifting_line_numbers():
    data = b"text,created\nA,2026-01-01\n\nB,bad\n"
    _, _, result = validate(data)
    assert [e["line"] for e in result.errors] == [4]


def test_an_empty_header_cell_becomes_column_n():
    data = b",text,created\n0,A,2026-01-01\n"
    _, plan, result = validate(data, {"column_1": "external_id"})
    assert result.rows.loc[0, "external_id"] == "0"


def test_derived_ids_make_rows_without_one_stable():
    data = b"text,created\nA,2026-01-01\nB,2026-01-01\n"
    first = validate(data, derive_ids=True, default_source="s")[2].rows
    again = validate(data, derive_ids=True, default_source="s")[2].rows
    assert first["external_id"].tolist() == again["external_id"].tolist()
    assert first["external_id"].str.startswith("h:").all()
    assert first["external_id"].nunique() == 2


def test_an_empty_file_and_a_binary_file_are_refused():
    with pytest.raises(FileError):
        read_table(b"")
    with pytest.raises(FileError):
        read_table(b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_mapping_arguments_split_on_the_last_equals_sign():
    assert parse_mapping_args(["Review Text=text", "=review=channel"]) == {
        "Review Text": "text",
        "=review": "channel",
    }
    with pytest.raises(ValueError):
        parse_mapping_args(["nofield"])


def test_records_from_json_report_errors_by_index():
    result = validate_records(
        [
            {"text": "ok", "created": "2026-01-01T10:00:00Z", "extra": {"k": 1}},
            {"text": "", "created": "2026-01-01"},
        ]
    )
    assert result.errors == [{"index": 1, "field": "text", "message": "is required"}]
    assert result.rows.loc[0, "extra"] == {"k": 1}
