"""The offline advisory check (`.ci/advisories.py`, run first by `make audit`).

Run as a command, as `make audit` runs it: against the shared PyPA copy for
today's pins and one known-old pin, and against small copies written here for
withdrawn advisories, explicit version lists and open-ended ranges.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "advisories.py"
SHARED_COPY = ROOT.parent / "shared" / "advisories"


def run(*args, env=None):
    environment = {k: v for k, v in os.environ.items() if k != "ADVISORY_DB"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=ROOT,
    )


def need_copy():
    if not (SHARED_COPY / "vulns").is_dir():
        if IN_CI:
            pytest.fail(f"CI=true but the advisory copy is missing at {SHARED_COPY}")
        pytest.skip(f"no advisory copy at {SHARED_COPY}")


def write_advisory(db: Path, package: str, ident: str, body: str) -> None:
    folder = db / "vulns" / package
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{ident}.yaml").write_text(f"id: {ident}\n{body}", encoding="utf-8")


def affected(package: str, events: str = "", versions: str = "") -> str:
    text = f"affected:\n- package:\n    name: {package}\n    ecosystem: PyPI\n"
    if events:
        text += "  ranges:\n  - type: ECOSYSTEM\n    events:\n" + events
    if versions:
        text += "  versions:\n" + versions
    return text


@pytest.fixture
def small_copy(tmp_path):
    db = tmp_path / "advisories"
    write_advisory(
        db,
        "widget",
        "TEST-1",
        "summary: widget parses untrusted input badly\n"
        + affected("Widget", events="    - introduced: '1.0'\n    - fixed: '1.4.2'\n"),
    )
    write_advisory(
        db,
        "widget",
        "TEST-GONE",
        "summary: reported by mistake\nwithdrawn: '2024-01-01T00:00:00Z'\n"
        + affected("widget", events="    - introduced: '0'\n"),
    )
    write_advisory(
        db,
        "gadget",
        "TEST-LISTED",
        "details: only two releases\n"
        + affected("gadget", versions="  - '0.9'\n  - 2.0.1\n"),
    )
    write_advisory(
        db,
        "gizmo",
        "TEST-OPEN",
        "summary: never fixed\n"
        + affected("gizmo", events="    - introduced: '3.0'\n"),
    )
    return db


def pins(tmp_path, *lines) -> Path:
    path = tmp_path / "requirements.txt"
    path.write_text("# pinned\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_todays_pins_match_no_advisory_in_the_shared_copy():
    need_copy()
    result = run(env={"ADVISORY_DB": str(SHARED_COPY)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "advisories: 0 known advisories in" in result.stdout


def test_a_known_old_django_pin_fails_and_names_its_advisory(tmp_path):
    need_copy()
    result = run(pins(tmp_path, "Django==3.2.0"), "--db", SHARED_COPY)
    assert result.returncode == 1, result.stdout
    # CVE-2021-33203 (path traversal in admindocs), fixed in 3.2.4.
    assert "django==3.2.0: PYSEC-2021-98 (fixed in 3.2.4)" in result.stdout


def test_a_version_inside_a_range_fails_with_the_fixed_version(small_copy, tmp_path):
    result = run(pins(tmp_path, "widget==1.3"), "--db", small_copy)
    assert result.returncode == 1
    assert "widget==1.3: TEST-1 (fixed in 1.4.2) widget parses" in result.stdout
    assert "advisories: 1 known advisories in 1 pinned packages" in result.stdout


def test_a_withdrawn_advisory_is_ignored(small_copy, tmp_path):
    # TEST-GONE covers every widget release; only its withdrawal lets 1.4.2 pass.
    result = run(pins(tmp_path, "widget==1.4.2"), "--db", small_copy)
    assert result.returncode == 0, result.stdout
    assert "TEST-GONE" not in result.stdout


@pytest.mark.parametrize("version, code", [("2.0.1", 1), ("0.9.0", 1), ("2.0", 0)])
def test_an_explicit_versions_list_matches_only_its_versions(
    small_copy, tmp_path, version, code
):
    result = run(pins(tmp_path, f"gadget=={version}"), "--db", small_copy)
    assert result.returncode == code, result.stdout
    assert ("TEST-LISTED (fixed in none listed)" in result.stdout) == bool(code)


@pytest.mark.parametrize(
    "line, code",
    [
        ("widget==0.9", 0),  # before introduced
        ("widget==1.4.2", 0),  # the fixed release
        ("Widget[extra] == 1.0", 1),  # names normalised, extras dropped
        ("gizmo==2.9", 0),
        ("gizmo==7.1", 1),  # introduced and never fixed
        ("other==1.0", 0),  # no folder for it
    ],
)
def test_ranges_and_names(small_copy, tmp_path, line, code):
    result = run(pins(tmp_path, line), "--db", small_copy)
    assert result.returncode == code, result.stdout


def test_included_files_are_followed(small_copy, tmp_path):
    base = pins(tmp_path, "gizmo==3.0")
    dev = tmp_path / "requirements-dev.txt"
    dev.write_text(f"-r {base.name}\nwidget==2.0\n", encoding="utf-8")
    result = run(dev, "--db", small_copy)
    assert result.returncode == 1
    assert "gizmo==3.0: TEST-OPEN" in result.stdout
    assert "in 2 pinned packages" in result.stdout


def test_a_missing_copy_passes_with_a_reason_except_in_ci(tmp_path):
    req = pins(tmp_path, "widget==1.3")
    missing = tmp_path / "nowhere"
    local = run(req, env={"ADVISORY_DB": str(missing), "CI": "false"})
    assert local.returncode == 0
    assert f"no advisory copy at {missing}" in local.stdout
    ci = run(req, env={"ADVISORY_DB": str(missing), "CI": "true"})
    assert ci.returncode == 1
