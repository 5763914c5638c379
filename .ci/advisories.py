"""Check the pinned requirements against an offline copy of the PyPA advisories.

`make audit` runs this before pip-audit, so a machine without the network still
learns of the known-old problems in its pins. It needs no Django: only PyYAML and
packaging (both pinned in requirements-dev.txt).

    python .ci/advisories.py [--db DIR] [REQUIREMENTS ...]

Reads `name==version` lines (following `-r other.txt`), looks in
`DIR/vulns/<package>/*.yaml` (OSV format) and prints each advisory whose
`affected` entry names the package and covers the pinned version, through an
ECOSYSTEM range (`introduced` / `fixed` / `last_affected`) or the explicit
`versions` list. Withdrawn advisories are ignored. Exit 1 on any match, 0 when
there is none. DIR defaults to $ADVISORY_DB, else ../shared/advisories beside the
project; when it is missing the check says so and passes, unless CI=true.
"""

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT.parent / "shared" / "advisories"
DEFAULT_FILES = ("requirements.txt", "requirements-dev.txt")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;#]+)")


@dataclass(frozen=True)
class Match:
    package: str
    version: str
    advisory: str
    fixed: str
    summary: str


def read_pins(paths, seen=None) -> dict[str, str]:
    """`{canonical name: version}` from `name==version` lines, `-r` followed."""
    seen = set() if seen is None else seen
    pins: dict[str, str] = {}
    for path in paths:
        path = Path(path).resolve()
        if path in seen:
            continue
        seen.add(path)
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith(("-r ", "--requirement ")):
                other = line.split(None, 1)[1].strip()
                pins.update(read_pins([path.parent / other], seen))
                continue
            found = _PIN.match(line)
            if found:
                pins[canonicalize_name(found.group(1))] = found.group(3)
    return pins


def _version(text) -> Version | None:
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


_OPEN = object()  # no interval is open


def _in_range(version: Version, events: list[dict]) -> tuple[bool, str]:
    """Whether `version` lies in an interval the events open and close, and the
    `fixed` version that closes it ("" when none does).

    `introduced` opens an interval ("0": from the first release); `fixed` and
    `limit` close it before their version, `last_affected` after it.
    """
    start = _OPEN
    for event in events:
        if "introduced" in event:
            value = str(event["introduced"])
            start = None if value == "0" else _version(value) or _OPEN
            continue
        if start is _OPEN:
            continue
        above = start is None or version >= start
        if "last_affected" in event:
            end = _version(event["last_affected"])
            if above and end is not None and version <= end:
                return True, ""
        elif "fixed" in event or "limit" in event:
            end = _version(event.get("fixed", event.get("limit")))
            if above and end is not None and version < end:
                return True, str(event.get("fixed", ""))
        start = _OPEN
    if start is not _OPEN and (start is None or version >= start):
        return True, ""
    return False, ""


def _affects(entry: dict, name: str, version: Version) -> tuple[bool, str]:
    package = entry.get("package") or {}
    if package.get("ecosystem", "PyPI") != "PyPI":
        return False, ""
    if canonicalize_name(str(package.get("name", ""))) != name:
        return False, ""
    for listed in entry.get("versions") or []:
        if _version(listed) == version:
            fixed = [
                e["fixed"]
                for r in entry.get("ranges") or []
                for e in r.get("events") or []
                if "fixed" in e
                and _version(e["fixed"])
                and _version(e["fixed"]) > version
            ]
            return True, str(min(fixed, key=Version)) if fixed else ""
    for span in entry.get("ranges") or []:
        if span.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        hit, fixed = _in_range(version, span.get("events") or [])
        if hit:
            return True, fixed
    return False, ""


def _summary(advisory: dict) -> str:
    text = advisory.get("summary") or advisory.get("details") or ""
    text = " ".join(str(text).split())
    return text if len(text) <= 160 else text[:157] + "..."


def check(pins: dict[str, str], db: Path) -> list[Match]:
    """Every advisory in `db` that covers one of the pins."""
    vulns = db / "vulns"
    folders = {canonicalize_name(p.name): p for p in vulns.iterdir() if p.is_dir()}
    matches: list[Match] = []
    for name, text in sorted(pins.items()):
        version = _version(text)
        folder = folders.get(name)
        if version is None or folder is None:
            continue
        for path in sorted(folder.glob("*.yaml")):
            advisory = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if advisory.get("withdrawn"):
                continue
            for entry in advisory.get("affected") or []:
                hit, fixed = _affects(entry, name, version)
                if hit:
                    matches.append(
                        Match(
                            name,
                            text,
                            str(advisory.get("id", path.stem)),
                            fixed or "none listed",
                            _summary(advisory),
                        )
                    )
                    break
    return matches


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("requirements", nargs="*", help="pinned requirement files")
    parser.add_argument("--db", default=os.environ.get("ADVISORY_DB") or DEFAULT_DB)
    args = parser.parse_args(argv)
    db = Path(args.db)
    files = args.requirements or [ROOT / name for name in DEFAULT_FILES]
    if not (db / "vulns").is_dir():
        in_ci = os.environ.get("CI", "").lower() == "true"
        print(f"advisories: no advisory copy at {db} (set ADVISORY_DB)")
        return 1 if in_ci else 0
    pins = read_pins(files)
    matches = check(pins, db)
    for m in matches:
        print(
            f"{m.package}=={m.version}: {m.advisory} (fixed in {m.fixed}) {m.summary}"
        )
    print(
        f"advisories: {len(matches)} known advisories in {len(pins)} pinned packages "
        f"(copy at {db})"
    )
    return 1 if matches else 0


if __name__ == "__main__":
    sys.exit(main())
