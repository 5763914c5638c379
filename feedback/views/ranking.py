"""The ranking page: the top three as cards that explain their place, the full
table, movement since the previous snapshot, and (CX leads) weights and recompute.

Who: every member sees it; revenue at risk, its component and the score are
shown only to the roles cxplan.core.visibility names (CX leads and
executives); only CX leads recompute or change weights.
"""

from datetime import date

import pandas as pd
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from charts.layout import to_html
from charts.sparkline import sparkline
from charts.top_themes import top_themes
from cxplan.core.access import members_only, roles_required
from cxplan.core.caching import CHART_SECONDS, cached
from cxplan.core.queries import query_params
from cxplan.core.roles import CX_LEAD, has_role
from cxplan.core.visibility import hidden_for, withhold
from feedback.forms.queries import RankingPageQuery, RankingStatusQuery
from feedback.forms.ranking import LABELS, WeightsForm
from feedback.ranking import formula as pure
from feedback.selectors.feedback_list import feedback_segments
from feedback.selectors.ranking import ranking_view
from feedback.selectors.ranking_slices import SLICE_BOOTSTRAP, ranking_slice
from feedback.services.ranking import BOOTSTRAP, ranking_request, ranking_weights_set
from feedback.services.ranking_state import ranking_state_get


def _drawn(view, key: str, draw) -> str:
    """Chart HTML of a saved snapshot, drawn once (plotly costs ~40 ms a chart):
    snapshots never change, so the snapshot id keys it."""
    if view is None or view.snapshot is None:
        return draw()
    return cached(f"cxplan:ranking:chart:{view.snapshot.pk}:{key}", draw, CHART_SECONDS)


def _cards(themes: list[dict], weights: dict, view=None) -> list[dict]:
    cards = []
    for place, theme in enumerate(themes[:3]):
        parts = []
        for name in pure.COMPONENTS:
            value = (theme.get("components") or {}).get(name, 0.0)
            if value is None:  # withheld from this role (cxplan.core.visibility)
                continue
            share = weights.get(name, 0.0) * max(value, 0.0)
            parts.append(
                {
                    "name": name.replace("_", " "),
                    "value": value,
                    "points": share,
                    "width": round(100 * max(0.0, min(1.0, value))),
                }
            )
        cards.append(
            {
                **theme,
                "parts": parts,
                "sparkline": mark_safe(  # noqa: S308 - built by plotly, escaped
                    _drawn(
                        view,
                        f"spark:{place}",
                        lambda t=theme: to_html(sparkline(t.get("weekly", []))),
                    )
                ),
            }
        )
    return cards


def _chart_row(theme: dict) -> dict:
    """One bar of the components chart: withheld values (None) are left out."""
    row = {"theme": theme["theme"], "score": theme.get("score")}
    row.update(
        {k: v for k, v in (theme.get("components") or {}).items() if v is not None}
    )
    if row["score"] is None:
        del row["score"]
    return row


def _slice_context(asked, hidden) -> dict:
    """What the page shows of a slice: its ranking, window and coverage."""
    result = ranking_slice(asked=asked)
    chosen = result["slice"]
    return {
        "slice": chosen,
        "slice_result": result,
        "themes": [withhold({**t, "movement": None}, hidden) for t in result["themes"]],
        "weights": result["weights"],
        "coverage": result["coverage"],
        "first_day": date.fromisoformat(chosen["start"]) if chosen["start"] else None,
        "last_day": date.fromisoformat(chosen["end"]) if chosen["end"] else None,
        "resamples": SLICE_BOOTSTRAP,
    }


@require_GET
@members_only
def ranking_page(request):
    query = query_params(request, RankingPageQuery)
    snapshot_id = query["snapshot"]
    asked = RankingPageQuery.asked_slice(query)
    view = ranking_view(snapshot_id=snapshot_id)
    if snapshot_id is not None and view.snapshot is None:
        raise Http404("No such snapshot.")
    hidden = hidden_for(request.user)
    shown = {
        "slice": None,
        "themes": [withhold(t, hidden) for t in view.themes],
        "weights": view.snapshot.weights if view.snapshot else {},
        "coverage": view.snapshot.coverage if view.snapshot else None,
        "first_day": view.snapshot.window_start if view.snapshot else None,
        "last_day": view.last_day,
        "resamples": BOOTSTRAP,
    }
    if asked.asked:
        shown = _slice_context(asked, hidden)
    weights, themes = shown["weights"], shown["themes"]
    chart = ""
    if themes:
        frame = pd.DataFrame([_chart_row(t) for t in themes[:8]])
        # Withheld parts change the drawing, so each set of them has its own.
        key = "top:" + ",".join(sorted(hidden))
        saved = None if shown["slice"] else view  # a slice is drawn afresh
        chart = mark_safe(  # noqa: S308
            _drawn(saved, key, lambda: to_html(top_themes(frame, weights=weights)))
        )
    is_lead = has_role(request.user, CX_LEAD)
    state = ranking_state_get()
    form = None
    if is_lead:
        form = WeightsForm(
            initial={
                **pure.Weights.from_dict(state.weights or {}).as_dict(),
                "window_days": state.window_days,
            }
        )
    return render(
        request,
        "ranking/page.html",
        {
            **shown,
            "view": view,
            "cards": _cards(themes, weights, None if shown["slice"] else view),
            "slice_form": RankingPageQuery(initial=asked.as_dict()),
            "segments": feedback_segments(),
            "weights": [
                (LABELS.get(name, name).lower(), value)
                for name, value in weights.items()
            ],
            "chart": chart,
            "show_revenue": "revenue_at_risk" not in hidden,
            "show_score": "score" not in hidden,
            "is_lead": is_lead,
            "form": form,
        },
    )


@require_GET
@members_only
def ranking_status(request):
    """The htmx-polled "recomputing..." line; tells the page to reload when done."""
    view = ranking_view()
    shown = query_params(request, RankingStatusQuery)["shown"]
    fresh = view.snapshot and shown and view.snapshot.pk != shown
    response = render(request, "ranking/_status.html", {"view": view})
    if fresh:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@roles_required(CX_LEAD)
def ranking_recompute(request):
    ranking_request()
    messages.info(request, "Recompute requested; the page updates when it is done.")
    return redirect("ranking")


@require_POST
@roles_required(CX_LEAD)
def ranking_weights(request):
    form = WeightsForm(request.POST)
    if not form.is_valid():
        view = ranking_view()
        weights = view.snapshot.weights if view.snapshot else {}
        return render(
            request,
            "ranking/page.html",
            {
                "view": view,
                "cards": _cards(view.themes, weights),
                "themes": view.themes,
                "chart": "",
                "show_revenue": True,
                "show_score": True,
                "is_lead": True,
                "form": form,
            },
            status=400,
        )
    data = dict(form.cleaned_data)
    window_days = data.pop("window_days")
    ranking_weights_set(weights=data, window_days=window_days)
    messages.success(request, "Weights saved; the ranking is being recomputed.")
    return redirect("ranking")
