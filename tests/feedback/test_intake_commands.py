"""`import_feedback` and `export_feedback`, and the shared sample files."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from feedback.models import FeedbackItem, ImportBatch, ThemeAssignment
from tests.factories import FeedbackItemFactory, ThemeFactory
from tests.feedback.intake_helpers import GOOD_ROWS, csv_bytes, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_file_and_is_idempotent(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_bytes(csv_bytes(*GOOD_ROWS))
    out, _ = run("import_feedback", str(path), "--source", "survey")
    assert "Imported 3 of 3 rows" in out and "3 new" in out
    out, _ = run("import_feedback", str(path), "--source", "survey")
    assert "3 updated" in out
    assert FeedbackItem.objects.count() == 3


def test_it_prints_every_bad_row_and_fails(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS[0], "z1,,2026-01-01,survey,,,,", "z2,x,nope"))
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_feedback", str(path), stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert "line 3, column text: is required" in lines
    assert "line 4, column created: 'nope' is not a date in the format iso" in lines
    assert FeedbackItem.objects.count() == 0


def test_mapping_date_format_and_skip_invalid(tmp_path):
    path = tmp_path / "cfpb.csv"
    path.write_text(
        "Complaint ID,Date received,Consumer complaint narrative,Submitted via\n"
        "1,2020/3/18,They charged me twice,Web\n"
        "2,2020/3/19,,Phone\n"
        "3,2020/3/20,Nobody called back,Phone\n"
    )
    out, err = run(
        "import_feedback",
        str(path),
        "--source",
        "cfpb",
        "--date-format",
        "yyyy/m/d",
        "--mapping",
        "Complaint ID=external_id",
        "consumer complaint narrative=text",
        "Date received=created",
        "Submitted via=channel",
        "--skip-invalid",
    )
    assert "Imported 2 of 3 rows" in out and "1 skipped" in out
    assert "line 3, column Consumer complaint narrative: is required" in err
    assert sorted(FeedbackItem.objects.values_list("channel", flat=True)) == [
        "call",
        "other",
    ]


def test_a_bad_mapping_argument_fails(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes(*GOOD_ROWS))
    with pytest.raises(CommandError):
        run("import_feedback", str(path), "--mapping", "nofield")
    with pytest.raises(CommandError, match="unknown date format"):
        run("import_feedback", str(path), "--date-format", "whenever")
    assert ImportBatch.objects.count() == 0


def test_export_csv_has_themes_sentiment_and_safe_cells(tmp_path):
    entry = FeedbackItemFactory(text="=1+1 is what they charged", sentiment=-0.4)
    ThemeAssignment.objects.create(
        item=entry, theme=ThemeFactory(name="Speed"), method="rule", confidence=0.4
    )
    ThemeAssignment.objects.create(
        item=entry, theme=ThemeFactory(name="Billing"), method="model", confidence=0.8
    )
    FeedbackItemFactory(text="@channel help", segment="-smb")
    out_path = tmp_path / "out.csv"
    run("export_feedback", "--format", "csv", "--out", str(out_path))
    rows = list(csv.DictReader(out_path.open()))
    first = next(r for r in rows if "charged" in r["text"])
    assert first["text"] == "'=1+1 is what they charged"
    assert first["themes"] == "Billing;Speed"
    assert (first["sentiment"], first["polarity"]) == ("-0.4", "negative")
    other = next(r for r in rows if "help" in r["text"])
    assert (other["text"], other["segment"]) == ("'@channel help", "'-smb")


def test_export_json_keeps_values_as_they_are():
    FeedbackItemFactory(text="+44 called twice")
    out, _ = run("export_feedback", "--format", "json")
    data = json.loads(out)
    assert data[0]["text"] == "+44 called twice"
    assert data[0]["themes"] == ""


SAMPLES = [
    (
        "cfpb_complaints_sample.csv",
        [
            "Complaint ID=external_id",
            "Consumer complaint narrative=text",
            "Date received=created",
            "Submitted via=channel",
            "Product=segment",
        ],
        "yyyy/m/d",
    ),
    (
        "ba_airline_reviews.csv",
        [
            "id=external_id",
            "ReviewBody=text",
            "Datetime=created",
            "OverallRating=score",
            "=nps=score_type",
            "=review=channel",
            "TypeOfTraveller=segment",
        ],
        "d month yyyy",
    ),
    (
        "womens_clothing_ecommerce_reviews.csv",
        [
            "column_1=external_id",
            "Review Text=text",
            "=2019-06-01=created",
            "Rating=score",
            "=stars=score_type",
            "=review=channel",
            "Department Name=segment",
        ],
        "iso",
    ),
]


@pytest.mark.parametrize(("name", "mapping", "date_format"), SAMPLES)
def test_the_shared_sample_files_validate_with_the_documented_mapping(
    name, mapping, date_format
):
    """Only rows that really are bad fail: no text, or text over 10,000 chars."""
    from feedback.intake.columns import column_plan, parse_mapping_args
    from feedback.intake.reading import read_table
    from feedback.intake.validation import validate_frame

    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    table = read_table(path.read_bytes())
    plan = column_plan(list(table.frame.columns), parse_mapping_args(mapping))
    assert plan.errors == []
    result = validate_frame(
        table.frame, plan, lines=table.lines, date_format=date_format
    )
    assert table.errors == []
    messages = {e["message"] for e in result.errors}
    assert messages <= {"is required", "is longer than 10,000 characters"}
    assert {e["field"] for e in result.errors} <= {plan.columns["text"]}
    assert len(result.rows) > 1000


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start):
    from feedback import export_format

    assert export_format.neutralise(f"{start}cmd") == f"'{start}cmd"
    assert export_format.neutralise("plain") == "plain"
    assert export_format.neutralise(-0.5) == -0.5
