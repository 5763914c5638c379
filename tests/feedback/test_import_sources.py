"""Imports from somewhere: a watched folder per source and configured URLs,
polled by the beat task, through the same path as an upload."""

import os
import time

import pytest

from feedback.models import FeedbackItem, ImportBatch
from feedback.services import import_sources
from feedback.tasks import poll_import_sources
from tests.feedback.intake_helpers import GOOD_ROWS, csv_bytes, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def inbox(settings, tmp_path):
    settings.CXPLAN_INBOX_DIR = tmp_path / "inbox"
    return settings.CXPLAN_INBOX_DIR


def _drop(inbox, source, name, data, *, age=60):
    folder = inbox / source
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    old = time.time() - age
    os.utime(path, (old, old))
    return path


def test_a_file_dropped_in_a_source_folder_is_imported_once(
    inbox, django_capture_on_commit_callbacks
):
    path = _drop(inbox, "survey", "week-48.csv", csv_bytes(*GOOD_ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        outcome = poll_import_sources.delay().get()
    assert outcome["folders"] == {"imported": 1, "failed": 0}
    batch = ImportBatch.objects.get()
    assert batch.source == "survey" and batch.status == "done"
    assert FeedbackItem.objects.filter(source="survey").count() == 3
    assert not path.exists()
    assert len(list((inbox / "survey" / "done").iterdir())) == 1
    with django_capture_on_commit_callbacks(execute=True):
        again = poll_import_sources.delay().get()
    assert again["folders"] == {"imported": 0, "failed": 0}
    assert ImportBatch.objects.count() == 1


def test_the_same_file_dropped_twice_adds_nothing(
    inbox, django_capture_on_commit_callbacks
):
    for name in ("a.csv", "b.csv"):
        _drop(inbox, "survey", name, csv_bytes(*GOOD_ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        poll_import_sources.delay().get()
    assert ImportBatch.objects.count() == 2
    assert FeedbackItem.objects.filter(source="survey").count() == 3


def test_a_file_still_being_written_waits(inbox):
    _drop(inbox, "survey", "partial.csv", csv_bytes(*GOOD_ROWS), age=0)
    assert import_sources.folders_poll() == {"imported": 0, "failed": 0}
    assert not ImportBatch.objects.exists()


def test_a_file_that_cannot_be_read_is_set_aside_with_the_reason(inbox, settings):
    settings.CXPLAN_IMPORT_MAX_COLUMNS = 3
    _drop(inbox, "survey", "wide.csv", csv_bytes(*GOOD_ROWS))
    assert import_sources.folders_poll() == {"imported": 0, "failed": 1}
    (failed,) = [
        p for p in (inbox / "survey" / "failed").iterdir() if p.suffix == ".csv"
    ]
    note = failed.with_name(failed.name + ".error.txt").read_text()
    assert note.startswith("Not imported:") and "column" in note


def test_a_configured_url_is_imported_when_it_changes(
    inbox, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CXPLAN_IMPORT_URLS = {"crm": "https://example.test/export.csv"}
    served = {"body": csv_bytes(*GOOD_ROWS)}
    monkeypatch.setattr(import_sources, "_fetch", lambda url: served["body"])
    with django_capture_on_commit_callbacks(execute=True):
        first = import_sources.urls_poll()
        second = import_sources.urls_poll()
    assert first["imported"] == 1 and second == {
        "imported": 0,
        "unchanged": 1,
        "failed": 0,
    }
    served["body"] = csv_bytes(*GOOD_ROWS, "a4,Still broken,2026-10-04,survey,,,C3,smb")
    with django_capture_on_commit_callbacks(execute=True):
        third = import_sources.urls_poll()
    assert third["imported"] == 1
    assert FeedbackItem.objects.filter(source="crm").count() == 4


def test_only_http_addresses_are_fetched(inbox, settings):
    settings.CXPLAN_IMPORT_URLS = {"local": "file:///etc/passwd"}
    assert import_sources.urls_poll() == {"imported": 0, "unchanged": 0, "failed": 1}
    assert not ImportBatch.objects.exists()
