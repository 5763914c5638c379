"""Success metrics with their series (NPS and CSAT from feedback scores)."""

from strategy.metrics import COMPUTED
from strategy.models import SuccessMetric


def metric_status(m: dict) -> str | None:
    """ "met" when the current value reached the target in the metric's direction,
    "behind" otherwise, None without a current value or a target."""
    current, target = m["current"], m["target"]
    if current is None or target is None:
        return None
    reached = current >= target if m["direction"] == "up" else current <= target
    return "met" if reached else "behind"


def metrics_overview() -> list[dict]:
    """Every success metric with its series, its current value and progress.

    NPS and CSAT come from the feedback scores by month when feedback carries
    such scores (`source: "feedback"`), otherwise from the recorded readings
    (`source: "readings"`), like every other kind.
    """
    metrics = list(
        SuccessMetric.objects.select_related("owner").prefetch_related("readings")
    )
    kinds = {m.kind for m in metrics}
    computed = {kind: fn() for kind, fn in COMPUTED.items() if kind in kinds}
    out = []
    for m in metrics:
        series = computed.get(m.kind) or []
        source = "feedback" if series else "readings"
        if not series:
            series = [
                {"period": r.period, "value": r.value, "n": None}
                for r in m.readings.all()
            ]
        current = series[-1]["value"] if source == "feedback" else m.current
        latest = series[-1] if source == "feedback" else {}
        row = {
            "metric": m,
            "id": m.pk,
            "name": m.name,
            "kind": m.kind,
            "unit": m.unit,
            "baseline": m.baseline,
            "target": m.target,
            "current": current,
            "direction": m.direction,
            "owner": m.owner.get_username() if m.owner_id else None,
            "source": source,
            "series": series,
            # The current value's responses and 95% interval (feedback only).
            "n": latest.get("n"),
            "ci": latest.get("ci"),
            "progress": None,
        }
        if None not in (m.baseline, m.target, current) and m.target != m.baseline:
            row["progress"] = round((current - m.baseline) / (m.target - m.baseline), 3)
        row["status"] = metric_status(row)
        out.append(row)
    return out
