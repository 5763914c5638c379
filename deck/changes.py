"""What changed between two deck snapshots (pure: dicts in, a list out).

The deck page shows this list under each version so the leadership team sees at
once what moved since the last presentation: new or dropped top themes, changed
figures of the themes and initiatives, funding and strategy progress.
"""

TOP = 3
# A figure "changed" when it moved by at least this share (money and counts
# jitter a little between rankings; a 1 % move is not news).
RELATIVE_THRESHOLD = 0.01

THEME_FIGURES = (
    ("customers", "customers", "count"),
    ("revenue_at_risk", "revenue at risk", "money"),
    ("score", "score", "ratio"),
)
INITIATIVE_FIGURES = (
    ("npv", "risk-adjusted NPV", "money"),
    ("pv_costs", "cost (PV)", "money"),
    ("payback_months", "payback (months)", "months"),
)


def _show(value, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "money":
        return f"${value:,.0f}"
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "months":
        return f"{value:.1f}"
    return f"{value:,.0f}"


def _moved(before, after) -> bool:
    if before is None or after is None:
        return before != after
    if before == after:
        return False
    base = max(abs(before), abs(after))
    return abs(after - before) / base >= RELATIVE_THRESHOLD


def _change(kind: str, subject: str, text: str, before=None, after=None, field=""):
    return {
        "kind": kind,
        "subject": subject,
        "field": field,
        "before": before,
        "after": after,
        "text": text,
    }


def _top(data: dict | None) -> list[dict]:
    ranking = (data or {}).get("ranking") or {}
    return list(ranking.get("themes") or [])[:TOP]


def theme_changes(previous: dict, current: dict) -> list[dict]:
    """New and dropped top-three themes, rank moves and changed figures."""
    before = {t["theme"]: t for t in _top(previous)}
    after = {t["theme"]: t for t in _top(current)}
    out = []
    for name, row in after.items():
        if name not in before:
            out.append(
                _change(
                    "theme_new",
                    name,
                    f"New in the top three: {name} (rank {row['rank']}).",
                    after=row["rank"],
                    field="rank",
                )
            )
    for name, row in before.items():
        if name not in after:
            out.append(
                _change(
                    "theme_dropped",
                    name,
                    f"Left the top three: {name} (was rank {row['rank']}).",
                    before=row["rank"],
                    field="rank",
                )
            )
    for name, row in after.items():
        old = before.get(name)
        if old is None:
            continue
        if old.get("rank") != row.get("rank"):
            out.append(
                _change(
                    "theme_rank",
                    name,
                    f"{name} moved from rank {old['rank']} to {row['rank']}.",
                    old.get("rank"),
                    row.get("rank"),
                    "rank",
                )
            )
        for field, label, unit in THEME_FIGURES:
            a, b = old.get(field), row.get(field)
            if _moved(a, b):
                out.append(
                    _change(
                        "theme_figure",
                        name,
                        f"{name}: {label} {_show(a, unit)} → {_show(b, unit)}.",
                        a,
                        b,
                        field,
                    )
                )
    return out


def initiative_changes(previous: dict, current: dict) -> list[dict]:
    """New and removed initiatives, status changes and changed business cases."""
    before = {i["id"]: i for i in previous.get("initiatives") or []}
    after = {i["id"]: i for i in current.get("initiatives") or []}
    out = []
    for pk, row in after.items():
        old = before.get(pk)
        title = row["title"]
        if old is None:
            out.append(_change("initiative_new", title, f"New initiative: {title}."))
            continue
        if old.get("status") != row.get("status"):
            out.append(
                _change(
                    "initiative_status",
                    title,
                    f"{title}: {old.get('status')} → {row.get('status')}.",
                    old.get("status"),
                    row.get("status"),
                    "status",
                )
            )
        for field, label, unit in INITIATIVE_FIGURES:
            a, b = old.get(field), row.get(field)
            if _moved(a, b):
                out.append(
                    _change(
                        "initiative_figure",
                        title,
                        f"{title}: {label} {_show(a, unit)} → {_show(b, unit)}.",
                        a,
                        b,
                        field,
                    )
                )
    for pk, row in before.items():
        if pk not in after:
            title = row["title"]
            out.append(
                _change("initiative_removed", title, f"Initiative removed: {title}.")
            )
    return out


def progress_changes(previous: dict, current: dict) -> list[dict]:
    """Funding available and strategy steps done."""
    out = []
    a = ((previous.get("funding") or {}).get("available")) or 0.0
    b = ((current.get("funding") or {}).get("available")) or 0.0
    if _moved(a, b):
        out.append(
            _change(
                "funding",
                "Funding",
                f"Funding available: {_show(a, 'money')} → {_show(b, 'money')}.",
                a,
                b,
                "available",
            )
        )

    def done(data):
        return sum(1 for s in data.get("steps") or [] if s.get("status") == "done")

    if done(previous) != done(current):
        out.append(
            _change(
                "steps",
                "Strategy",
                f"Strategy steps done: {done(previous)} → {done(current)}.",
                done(previous),
                done(current),
                "steps_done",
            )
        )
    return out


def changes_between(previous: dict | None, current: dict) -> list[dict]:
    """Every change from `previous` to `current` deck data, themes first; an empty
    list for the first deck. Each change is `{"kind", "subject", "field",
    "before", "after", "text"}`."""
    if not previous:
        return []
    return (
        theme_changes(previous, current)
        + initiative_changes(previous, current)
        + progress_changes(previous, current)
    )
