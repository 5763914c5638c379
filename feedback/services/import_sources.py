"""Imports from somewhere, not only uploads: a watched folder per source and
URLs the operator names, polled by a beat task.

- Folder: every file dropped in `<inbox>/<source>/` (settings.CXPLAN_INBOX_DIR,
  default var/inbox) is imported as that source, then moved to `done/` (or to
  `failed/` with the reason in a `.error.txt` beside it). A file still being
  written (changed in the last SETTLE_SECONDS) waits for the next poll.
- URL: settings.CXPLAN_IMPORT_URLS maps a source to an http(s) URL (the
  operator's setting, not the web's: no user can make the server fetch an
  address). A download is imported only when its content changed since the last
  one (SHA-256, kept in `<inbox>/.urls.json`).
Each file takes the same path as an upload: the source's remembered mapping,
else the guess, the same checks and the same idempotent import.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from feedback.services import imports as services
from feedback.services.import_fill import import_mapping_for

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 5.0
URL_TIMEOUT = 30
SOURCE_NAME = re.compile(r"^[\w.-]{1,100}$")
SKIPPED = {"done", "failed"}


def inbox_dir() -> Path:
    default = Path(settings.VAR_DIR) / "inbox"
    return Path(getattr(settings, "CXPLAN_INBOX_DIR", default))


def import_file_for_source(*, source: str, raw: bytes, name: str):
    """Create (and enqueue) the batch of one file of `source`; returns it."""
    filled = import_mapping_for(source=source, raw=raw)
    return services.import_batch_create(
        file=raw,
        source=source,
        mapping=filled.mapping,
        constants=filled.constants,
        date_format=filled.date_format,
        original_name=name,
    )


def _move(path: Path, folder: str, note: str = "") -> Path:
    target = path.parent / folder
    target.mkdir(exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    moved = target / f"{stamp}-{path.name}"
    path.rename(moved)
    if note:
        moved.with_name(moved.name + ".error.txt").write_text(note + "\n")
    return moved


def _ready(path: Path, now: float) -> bool:
    return (
        path.is_file()
        and not path.name.startswith(".")
        and now - path.stat().st_mtime >= SETTLE_SECONDS
    )


def folders_poll() -> dict:
    """Import every settled file of every source folder; {"imported", "failed"}."""
    root = inbox_dir()
    out = {"imported": 0, "failed": 0}
    if not root.is_dir():
        return out
    now = time.time()
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if not SOURCE_NAME.match(folder.name):
            continue
        for path in sorted(p for p in folder.iterdir() if _ready(p, now)):
            try:
                import_file_for_source(
                    source=folder.name, raw=path.read_bytes(), name=path.name
                )
            except Exception as exc:  # the file is set aside with the reason
                logger.warning("inbox %s: %s", path, exc)
                _move(path, "failed", f"Not imported: {exc}")
                out["failed"] += 1
            else:
                _move(path, "done")
                out["imported"] += 1
    return out


def _state_path() -> Path:
    return inbox_dir() / ".urls.json"


def _fetch(url: str) -> bytes:
    if not url.lower().startswith(("https://", "http://")):
        raise ValueError("only http and https addresses are fetched")
    cap = services.upload_cap()
    with urllib.request.urlopen(url, timeout=URL_TIMEOUT) as answer:  # nosec B310
        data = answer.read(cap + 1)
    if len(data) > cap:
        raise ValueError(f"the file is larger than the {cap:,}-byte upload cap")
    return data


def urls_poll() -> dict:
    """Fetch each configured URL; import it when its content changed."""
    urls = dict(getattr(settings, "CXPLAN_IMPORT_URLS", {}) or {})
    out = {"imported": 0, "unchanged": 0, "failed": 0}
    if not urls:
        return out
    state_file = _state_path()
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        state = {}
    for source, url in sorted(urls.items()):
        try:
            raw = _fetch(url)
            digest = hashlib.sha256(raw).hexdigest()
            if state.get(source) == digest:
                out["unchanged"] += 1
                continue
            import_file_for_source(source=source, raw=raw, name=url.rsplit("/", 1)[-1])
        except Exception as exc:  # one bad address does not stop the others
            logger.warning("import url %s (%s): %s", source, url, exc)
            out["failed"] += 1
            continue
        state[source] = digest
        out["imported"] += 1
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(state, indent=1, sort_keys=True))
    return out


def import_sources_poll() -> dict:
    """Both kinds of source, once: what the beat task runs."""
    return {"folders": folders_poll(), "urls": urls_poll()}
