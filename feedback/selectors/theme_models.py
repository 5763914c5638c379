"""Reads of the theme models: the applied one and the candidate waiting for a
decision, with their measured quality, the candidate's diff and its top three.

One shape for the model page and `GET /api/v1/themes/model/`.
"""

from __future__ import annotations

from feedback.models import Theme, ThemeAssignment, ThemeModelVersion
from feedback.services.theme_candidates import (
    acceptance,
    auto_accept_min_labels,
    auto_accept_on,
    theme_model_applied,
    theme_model_candidate,
)

M = ThemeAssignment.Method


def _names(rows: list[ThemeModelVersion]) -> dict[int, str]:
    ids: set[int] = set()
    for row in rows:
        ids.update(int(k) for k in (row.label_counts or {}))
        ids.update(int(q["theme"]) for q in row.per_theme or [])
        ids.update(int(t["theme"]) for t in (row.diff or {}).get("themes", []))
        ids.update(int(t) for t in row.top_three_before or [])
        ids.update(int(t) for t in row.top_three_after or [])
    return dict(Theme.objects.filter(pk__in=ids).values_list("pk", "name"))


def _version(
    row: ThemeModelVersion, names: dict[int, str], applied: ThemeModelVersion | None
) -> dict:
    def name(pk) -> str:
        return names.get(int(pk), f"#{pk}")

    counts = {int(k): int(v) for k, v in (row.label_counts or {}).items()}
    diff = row.diff or {}
    verdict = acceptance(row, applied)
    return {
        "version": row.version,
        "status": row.status,
        "state": row.state,
        "trained_at": row.trained_at,
        "macro_f1": row.cv_macro_f1,
        "macro_f1_ci": row.macro_f1_ci,
        "per_theme": [
            {**q, "name": name(q["theme"])}
            for q in sorted(row.per_theme or [], key=lambda q: name(q["theme"]))
        ],
        "label_counts": [
            {"theme": pk, "name": name(pk), "labels": n}
            for pk, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "diff": {
            "items_changed": int(diff.get("items_changed", 0)),
            "themes": [
                {**t, "name": name(t["theme"])}
                for t in sorted(
                    diff.get("themes", []),
                    key=lambda t: (-(t["gain"] + t["lose"]), t["theme"]),
                )
            ],
        },
        "top_three_before": list(row.top_three_before or []),
        "top_three_after": list(row.top_three_after or []),
        "top_three_before_names": [name(t) for t in row.top_three_before or []],
        "top_three_after_names": [name(t) for t in row.top_three_after or []],
        "can_accept": verdict.can_accept,
        "reason": verdict.reason,
        "decided_at": row.decided_at,
        "decision_note": row.decision_note,
        "notes": [line for line in (row.error or "").splitlines() if line],
    }


def theme_model_overview() -> dict:
    """{"applied", "candidate", "latest_failed", "labelled_items", "auto_accept",
    "auto_accept_min_labels"}; `applied` and `candidate` are None or a version."""
    applied = theme_model_applied()
    candidate = theme_model_candidate()
    newest = ThemeModelVersion.objects.defer("blob").order_by("-version").first()
    failed = ""
    if newest is not None and newest.status == ThemeModelVersion.Status.FAILED:
        failed = newest.error
    rows = [r for r in (applied, candidate) if r is not None]
    names = _names(rows)
    labelled = (
        ThemeAssignment.objects.filter(method=M.MANUAL)
        .values("item_id")
        .distinct()
        .count()
    )
    return {
        "applied": _version(applied, names, None) if applied else None,
        "candidate": _version(candidate, names, applied) if candidate else None,
        "latest_failed": failed,
        "training": bool(
            newest is not None and newest.status == ThemeModelVersion.Status.TRAINING
        ),
        "labelled_items": labelled,
        "auto_accept": auto_accept_on(),
        "auto_accept_min_labels": auto_accept_min_labels(),
    }
