"""The house of layers holds: small modules, plain URL confs, and an architecture
page that names only paths that exist. (Imports are checked by import-linter in
`make lint`: see .importlinter.)"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ["cxplan", "charts", "feedback", "roi", "initiatives", "strategy", "deck"]
MAX_LINES = 400


def _modules(*dirs: str):
    for name in dirs:
        for path in sorted((ROOT / name).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_it_keeps_every_module_under_400_lines():
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in _modules(*CODE_DIRS, "tests", "bench")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_it_keeps_url_confs_plain_lists():
    confs = [p for p in _modules(*CODE_DIRS) if "urls" in p.name]
    assert len(confs) >= 12  # a pages and an API conf per app, the root, the API root
    for conf in confs:
        text = conf.read_text()
        assert "urlpatterns[0:0]" not in text, conf
        assert "noqa: E402" not in text, conf
        assert "urlpatterns +=" not in text, conf


def test_the_architecture_page_names_only_paths_that_exist():
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]*(?:\.py)?)`", page))
    assert len(named) >= 20
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert missing == []


def test_the_architecture_page_lists_the_layers_of_the_import_contract():
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    contract = (ROOT / ".importlinter").read_text()
    layers = contract.split("layers =")[1].split("exhaustive")[0].split("\n")
    apps = [line.strip() for line in layers if line.strip()][1:]  # wiring first
    for row in apps:
        for app in re.split(r"\s*[|:]\s*", row):
            assert f"`{app.replace('.', '/')}/`" in page, app
