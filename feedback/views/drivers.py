"""The drivers page (issue 23.6, members): which themes move the score, NPS or
churn, each with its 95% interval, as a sorted chart and a table."""

import pandas as pd
from django.shortcuts import render
from django.views.decorators.http import require_GET

from charts.churn_drivers import churn_drivers
from charts.drivers import drivers
from charts.layout import to_html
from cxplan.core.access import members_only
from feedback.api.drivers import DriversParams, drivers_answer
from feedback.models.items import CHANNELS

LABELS = {"score": "Score", "nps": "NPS", "churn": "Churn"}


def _chart(answer: dict) -> str:
    rows = [
        {
            "name": d["name"],
            "impact": d["impact"],
            "low": d["ci"][0],
            "high": d["ci"][1],
            "significant": d["significant"],
        }
        for d in answer["drivers"]
        if d["ci"] and None not in d["ci"] and d["impact"] is not None
    ]
    frame = pd.DataFrame(rows)
    metric = answer["metric"]
    if metric == "churn":
        ratio = "hazard ratio" if "hazard" in answer["method"] else "odds ratio"
        return to_html(churn_drivers(frame, ratio=ratio))
    if metric == "nps":
        unit = "NPS points gained if fixed"
        return to_html(drivers(frame, title="What NPS each theme costs", unit=unit))
    return to_html(drivers(frame, unit=f"{answer.get('score_type', '')} points"))


@require_GET
@members_only
def drivers_page(request):
    query = request.GET.copy()
    query.setdefault("metric", "score")
    params = DriversParams(data=query)
    context = {
        "metrics": LABELS,
        "channels": CHANNELS,
        "query": query,
        "errors": {},
        "answer": None,
        "chart": "",
    }
    if not params.is_valid():
        context["errors"] = params.errors
        return render(request, "feedback/drivers.html", context, status=400)
    answer = drivers_answer(params.validated_data, request.user)
    context["answer"] = answer
    # Plotly's HTML, names escaped by the chart (charts.layout.plain_text); the
    # template marks it safe, as the other chart pages do.
    context["chart"] = _chart(answer)
    return render(request, "feedback/drivers.html", context)
