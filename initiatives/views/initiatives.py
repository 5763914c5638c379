"""Initiative pages: the ranked list, one initiative's business case, the
form (new, from a ranked theme, edit) and the side-by-side compare. Thin
callers of the initiatives selectors and services."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from charts.cumulative_cash import cumulative_cash
from charts.layout import to_html
from charts.npv_histogram import npv_histogram
from charts.npv_ranges import npv_ranges
from cxplan.core.access import members_only, roles_required
from cxplan.core.caching import CHART_SECONDS, cached, content_key
from cxplan.core.queries import query_params
from cxplan.core.roles import CX_LEAD, has_role
from cxplan.core.visibility import hidden_for, may_see
from feedback.models import Theme
from initiatives.business_case import BusinessCase
from initiatives.forms.initiatives import (
    INPUT_LABELS,
    CostLineFormSet,
    DriverForm,
    DriverFormSet,
    InitiativeForm,
)
from initiatives.forms.queries import InitiativeListQuery, InitiativeNewQuery
from initiatives.models import Initiative
from initiatives.selectors import initiatives as selectors
from initiatives.selectors.decision_evidence import decided_evidence
from initiatives.selectors.realisation import initiative_realisation
from initiatives.services import initiatives as services
from initiatives.services.results import initiative_results_compute


def _npv_chart(frame: pd.DataFrame) -> str:
    """The NPV ranges chart, drawn once per distinct data (plotly costs ~50 ms)."""
    return cached(
        content_key("cxplan:initiatives:npv-chart", frame.to_json()),
        lambda: to_html(
            npv_ranges(frame, title="Risk-adjusted NPV range (P10 to P90)")
        ),
        CHART_SECONDS,
    )


@require_GET
@members_only
def initiative_list(request):
    """Every initiative ranked by risk-adjusted NPV (or ROI, payback, theme rank)."""
    query = query_params(request, InitiativeListQuery)
    sort, status = query["sort"] or "npv", query["status"] or None
    rows = selectors.initiatives_ranked(sort=sort, status=status)
    ranged = [r for r in rows if r["montecarlo"]]
    chart = None
    if ranged:
        frame = pd.DataFrame(
            [
                {
                    "title": r["title"],
                    **{k: getattr(r["montecarlo"], k) for k in ("p10", "p50", "p90")},
                }
                for r in ranged
            ]
        )
        chart = _npv_chart(frame)
    context = {
        "rows": rows,
        "sort": sort,
        "sorts": selectors.SORTS,
        "sort_label": selectors.SORTS[sort],
        "status": status,
        "statuses": Initiative.Status.choices,
        "can_edit": has_role(request.user, CX_LEAD),
        "chart": chart,
        "compare_max": selectors.COMPARE_MAX,
        "ranked_themes": selectors.ranked_themes()
        if has_role(request.user, CX_LEAD)
        else [],
    }
    return render(request, "initiatives/list.html", context)


def _drivers_for(user, initiative: Initiative) -> list[dict]:
    withheld = hidden_for(user)
    out = []
    for driver in initiative.benefit_drivers.all():
        inputs = []
        for name, value in (driver.inputs or {}).items():
            hidden = f"inputs.{name}" in withheld
            inputs.append(
                {
                    "name": INPUT_LABELS.get(name, name),
                    "value": None if hidden else value,
                    "hidden": hidden,
                }
            )
        out.append(
            {"kind": driver.get_kind_display(), "label": driver.label, "inputs": inputs}
        )
    return out


@require_GET
@members_only
def initiative_detail(request, pk: int):
    """The business case: figures raw and risk-adjusted, the cash-flow table,
    cumulative cash with payback, the Monte Carlo spread, the evidence."""
    try:
        initiative = selectors.initiative_get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None
    if not initiative.result:
        # Made outside the services (admin, an old import): fill the cache once.
        initiative_results_compute(initiative_id=initiative.pk)
        initiative = selectors.initiative_get(pk=pk)
    # The template shows the stored JSON as it is; every figure computed on
    # here is read through the one reader, BusinessCase.
    result = initiative.result if isinstance(initiative.result, dict) else {}
    case = BusinessCase.from_json(result)
    row = selectors.initiative_row(initiative)
    flows = case.cashflows
    cash_chart = histogram = None
    if flows is not None:
        frame = pd.DataFrame(
            {
                "t": flows.t,
                "net": flows.risk_adjusted_net,
                "cumulative": flows.risk_adjusted_cumulative,
            }
        )
        cash_chart = to_html(
            cumulative_cash(
                frame,
                payback_months=case.payback_months,
                title="Cash and payback",
            )
        )
    mc = case.montecarlo
    if mc and case.npv_quantiles:
        histogram = to_html(
            npv_histogram(
                draws_from_quantiles(case),
                p10=mc.p10,
                p50=mc.p50,
                p90=mc.p90,
                title="Simulated NPV",
            )
        )
    context = {
        "initiative": initiative,
        "row": row,
        "result": result,
        "flows": flows,
        "years": list(flows.t) if flows else [],
        "lines": list(case.lines),
        "drivers": _drivers_for(request.user, initiative),
        "cash_chart": cash_chart,
        "histogram": histogram,
        "can_edit": has_role(request.user, CX_LEAD),
        "metrics": _metric_rows(case),
        "decided": decided_evidence(initiative, hidden=hidden_for(request.user)),
        "realisation": initiative_realisation(initiative),
    }
    return render(request, "initiatives/detail.html", context)


def draws_from_quantiles(case: BusinessCase) -> np.ndarray:
    """As many evenly spread draws as were simulated, read off the case's stored
    NPV quantiles (inverse CDF), so the histogram has the simulation's shape and
    counts without storing every draw."""
    size = case.simulations or 10_000
    probabilities = (np.arange(size) + 0.5) / size * 100
    quantiles = np.asarray(case.npv_quantiles, dtype=float)
    # The quantiles are evenly spaced from P0 to P100 (QUANTILE_POINTS); the
    # spacing is read off their count so older cached results still draw.
    points = np.linspace(0.0, 100.0, quantiles.size)
    return np.interp(probabilities, points, quantiles)


METRICS = (
    ("npv", "NPV", "money"),
    ("roi", "ROI", "percent"),
    ("irr", "IRR", "percent"),
    ("mirr", "MIRR", "percent"),
    ("payback_months", "Payback (months)", "months"),
    ("discounted_payback_months", "Discounted payback (months)", "months"),
    ("pv_costs", "PV of costs", "money"),
    ("pv_benefits", "PV of benefits", "money"),
    ("peak_funding", "Peak funding", "money"),
)


def _metric_rows(case: BusinessCase) -> list[dict]:
    return [
        {
            "key": key,
            "label": label,
            "format": fmt,
            "raw": case.raw.get(key),
            "risk": case.risk_adjusted.get(key),
        }
        for key, label, fmt in METRICS
    ]


def _apply_errors(form, formsets, error: ValidationError) -> None:
    """Put a service's field errors on the matching form field."""
    cost_lines, drivers = formsets
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages_ in error.message_dict.items():
        parts = key.split(".")
        target, field = form, parts[0]
        if (
            parts[0] in ("cost_lines", "drivers")
            and len(parts) > 1
            and parts[1].isdigit()
        ):
            formset = cost_lines if parts[0] == "cost_lines" else drivers
            kept = [
                f
                for f in formset.forms
                if f.has_changed() and not f.cleaned_data.get("DELETE")
            ]
            index = int(parts[1])
            target = kept[index] if index < len(kept) else form
            field = parts[-1] if len(parts) > 2 else None
            if field and parts[2] == "inputs":
                field = f"{field}_likely"
        if field not in target.fields:
            field = None
        target.add_error(field, messages_)


def _save(request, form, cost_lines, drivers, *, initiative=None):
    data = form.cleaned_data
    args = {
        "title": data["title"],
        "problem": data["problem"],
        "themes": list(data["themes"]),
        "owner": data["owner"],
        "team": data["team"],
        "is_technology": data["is_technology"],
        "ask_reason": data["ask_reason"],
        "cost_lines": [line for f in cost_lines.forms if (line := f.line())],
        "drivers": [d for f in drivers.forms if (d := f.driver())],
    }
    if initiative is None:
        return services.initiative_create(actor=request.user, **args)
    return services.initiative_update(
        actor=request.user,
        initiative=initiative,
        seen_version=data.get("version") or initiative.version,
        **args,
    )


def _form_page(
    request, *, initiative=None, initial=None, lines=(), drivers=(), source=None
):
    posted = request.method == "POST"
    form = InitiativeForm(request.POST if posted else None, initial=initial)
    cost_set = CostLineFormSet(
        request.POST if posted else None, prefix="costs", initial=list(lines) or None
    )
    driver_set = DriverFormSet(
        request.POST if posted else None,
        prefix="drivers",
        initial=[DriverForm.initial_for(d) for d in drivers] or None,
    )
    if posted and form.is_valid() and cost_set.is_valid() and driver_set.is_valid():
        try:
            saved = _save(request, form, cost_set, driver_set, initiative=initiative)
        except services.StaleInitiative:
            form.add_error(
                None,
                "Someone changed this initiative since you opened it; "
                "reload and try again.",
            )
        except ValidationError as error:
            _apply_errors(form, (cost_set, driver_set), error)
        else:
            messages.success(
                request, f"“{saved.title}” saved; its business case is recomputed."
            )
            return redirect("initiative-detail", pk=saved.pk)
    context = {
        "form": form,
        "cost_set": cost_set,
        "driver_set": driver_set,
        "initiative": initiative,
        "source": source,
        "show_revenue": may_see(request.user, "revenue_at_risk"),
    }
    status = 400 if posted else 200
    return render(request, "initiatives/form.html", context, status=status)


@roles_required(CX_LEAD)
@require_http_methods(["GET", "POST"])
def initiative_new(request):
    """A new initiative; `?theme=ID` pre-fills it from that ranked theme."""
    theme_id = query_params(request, InitiativeNewQuery)["theme"]
    initial, drivers, source = {}, [], None
    if theme_id is not None:
        theme = get_object_or_404(Theme, pk=theme_id)
        prefill = selectors.theme_prefill(theme=theme)
        initial = {
            "title": prefill["title"],
            "problem": prefill["problem"],
            "themes": prefill["themes"],
        }
        drivers = prefill["drivers"]
        source = prefill["source"]
    return _form_page(request, initial=initial, drivers=drivers, source=source)


@roles_required(CX_LEAD)
@require_http_methods(["GET", "POST"])
def initiative_edit(request, pk: int):
    try:
        initiative = selectors.initiative_get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None
    initial = {
        "title": initiative.title,
        "problem": initiative.problem,
        "themes": [t.pk for t in initiative.themes.all()],
        "owner": initiative.owner_id,
        "team": initiative.team,
        "is_technology": initiative.is_technology,
        "ask_reason": initiative.ask_reason,
        "version": initiative.version,
    }
    lines = [
        {
            "kind": c.kind,
            "label": c.label,
            "low": c.low,
            "likely": c.likely,
            "high": c.high,
        }
        for c in initiative.cost_lines.all()
    ]
    drivers = [
        {"kind": d.kind, "label": d.label, "inputs": d.inputs}
        for d in initiative.benefit_drivers.all()
    ]
    return _form_page(
        request, initiative=initiative, initial=initial, lines=lines, drivers=drivers
    )


@require_GET
@members_only
def initiative_compare(request):
    """Two to four initiatives side by side (`?ids=1&ids=2` or `?ids=1,2`)."""
    ids = [
        part
        for value in request.GET.getlist("ids")
        for part in value.split(",")
        if part.strip()
    ]
    error = None
    rows = []
    try:
        rows = selectors.initiatives_compare(ids=ids)
    except ValidationError as refused:
        error = " ".join(m for msgs in refused.message_dict.values() for m in msgs)
    chart = None
    ranged = [r for r in rows if r["montecarlo"]]
    if ranged:
        frame = pd.DataFrame(
            [
                {
                    "title": r["title"],
                    **{k: getattr(r["montecarlo"], k) for k in ("p10", "p50", "p90")},
                }
                for r in ranged
            ]
        )
        chart = _npv_chart(frame)
    context = {"rows": rows, "error": error, "chart": chart, "metrics": METRICS}
    return render(
        request, "initiatives/compare.html", context, status=400 if error else 200
    )
