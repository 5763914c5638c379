"""Strategy pages: thin callers of the same services and selectors as the API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cxplan.core.access import members_only, roles_required
from cxplan.core.queries import query_params
from cxplan.core.roles import CX_LEAD, EXECUTIVE, roles_of
from cxplan.core.visibility import hidden_for, withhold
from strategy import chart_frames as charts
from strategy import forms, selectors, services
from strategy.dashboard import dashboard_summary
from strategy.models import Action, Competency, StrategyStep, SuccessMetric

STALE = "Someone changed this since you opened it; reload and try again."


def _anchor(name: str) -> str:
    return reverse("strategy") + name


@require_GET
@members_only
def dashboard(request):
    """Every role: the answer at a glance (hidden fields withheld per role)."""
    summary = dashboard_summary()
    hidden = hidden_for(request.user)
    summary["top_three"] = [withhold(t, hidden) for t in summary["top_three"]]
    return render(request, "dashboard.html", {"summary": summary})


@require_GET
@members_only
def strategy_page(request):
    """Every role: the board, mission, competencies, actions, metrics, health."""
    strategy = services.strategy_ensure()
    steps = selectors.steps_list(strategy=strategy)
    buy_in = next((s for s in steps if s.key == "ceo_buy_in"), None)
    competencies = selectors.competency_summary()
    metrics = selectors.metrics_overview()
    checks = selectors.health_check()
    user_roles = sorted(roles_of(request.user))
    rating_form = forms.RatingForm(
        competencies=Competency.objects.all(),
        roles=user_roles,
        current=selectors.user_latest_scores(user=request.user),
    )
    for m in metrics:
        m["chart"] = charts.render("metric_trend", charts.metric_frame(m))
    context = {
        "strategy": strategy,
        "days_left": selectors.days_left(strategy),
        "missions": list(strategy.missions.select_related("created_by")),
        "steps": steps,
        "buy_in": buy_in,
        "ranking": selectors.ranking_top(),
        "making_it_real": selectors.making_it_real()
        if buy_in and buy_in.signed_off_at
        else None,
        "competencies": competencies,
        "holes": selectors.holes(competencies),
        "rating_trend": selectors.rating_trend(competencies=competencies),
        "rating_form": rating_form,
        "actions": list(selectors.actions_list()),
        "metrics": metrics,
        "checks": checks,
        "warnings": [c for c in checks if not c["ok"]],
        "benefits": selectors.benefits_realisation(metrics=metrics),
        "mission_form": forms.MissionForm(),
        "radar_chart": charts.render(
            "competency_radar", charts.competency_frame(competencies)
        ),
        "steps_chart": charts.render("step_progress", charts.steps_frame(steps)),
        "targets_chart": charts.render(
            "metrics_vs_target", charts.metrics_target_frame(metrics)
        ),
    }
    context["has_charts"] = bool(
        context["radar_chart"]
        or context["steps_chart"]
        or context["targets_chart"]
        or any(m["chart"] for m in metrics)
    )
    return render(request, "strategy/page.html", context)


@require_GET
@members_only
def health_page(request):
    """Every role: each health rule with its explanation and a link to fix it."""
    checks = selectors.health_check()
    return render(
        request,
        "strategy/health.html",
        {"checks": checks, "warnings": sum(1 for c in checks if not c["ok"])},
    )


@roles_required(CX_LEAD)
@require_http_methods(["GET", "POST"])
def strategy_edit(request):
    """CX leads: name, presentation date and the notes."""
    strategy = services.strategy_ensure()
    form = forms.StrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_update(
                strategy=strategy,
                actor=request.user,
                data=form.changed_data_for_service(),
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleVersion:
            form.add_error(None, STALE)
        else:
            messages.success(request, "Strategy saved.")
            return redirect("strategy")
    return render(request, "strategy/form.html", _form_context(form, "Edit strategy"))


@roles_required(CX_LEAD)
@require_POST
def mission_add(request):
    """CX leads: a new version of the mission statement."""
    form = forms.MissionForm(request.POST)
    if form.is_valid():
        services.mission_add(
            strategy=services.strategy_ensure(),
            actor=request.user,
            text=form.cleaned_data["text"],
        )
        messages.success(request, "New mission version saved.")
    else:
        messages.error(request, "The mission statement cannot be empty.")
    return redirect(_anchor("#mission"))


@roles_required(CX_LEAD)
@require_http_methods(["GET", "POST"])
def step_edit(request, pk):
    """CX leads: a step's status, owner, due date, notes and evidence."""
    step = get_object_or_404(StrategyStep, pk=pk)
    form = forms.StepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_update(
                step=step,
                actor=request.user,
                data=form.changed_data_for_service(),
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleVersion:
            form.add_error(None, STALE)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{step.name} saved.")
            return redirect(_anchor("#steps"))
    return render(
        request, "strategy/form.html", _form_context(form, f"Step: {step.name}")
    )


@roles_required(EXECUTIVE)
@require_http_methods(["GET", "POST"])
def step_sign_off(request, pk):
    """Executives: give CEO buy-in, after seeing exactly what is approved."""
    step = get_object_or_404(StrategyStep, pk=pk, key="ceo_buy_in")
    form = forms.SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_sign_off(
                step=step, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except services.AlreadySignedOff as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "CEO buy-in recorded.")
        return redirect(_anchor("#steps"))
    return render(
        request,
        "strategy/sign_off.html",
        {"step": step, "form": form, "preview": selectors.buy_in_snapshot()},
    )


@members_only
@require_POST
def rate(request):
    """Every role: rate any of the five competencies from 1 to 5."""
    user_roles = sorted(roles_of(request.user))
    form = forms.RatingForm(
        request.POST, competencies=Competency.objects.all(), roles=user_roles
    )
    if form.is_valid() and form.scores():
        for competency, score in form.scores():
            services.competency_rate(
                competency=competency,
                actor=request.user,
                score=score,
                role=form.cleaned_data.get("role"),
            )
        messages.success(request, "Thank you: your ratings are recorded.")
    else:
        messages.error(request, "Choose a score from 1 to 5 for at least one.")
    return redirect(_anchor("#competencies"))


@roles_required(CX_LEAD)
@require_http_methods(["GET", "POST"])
def action_edit(request, pk=None):
    """CX leads: add or change an action."""
    action = get_object_or_404(Action, pk=pk) if pk else None
    initial = {}
    competency = query_params(request, forms.ActionNewQuery)["competency"]
    if action is None and competency is not None:
        initial["competency"] = competency
    form = forms.ActionForm(request.POST or None, instance=action, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.changed_data_for_service()
        try:
            if action is None:
                services.action_create(actor=request.user, data=data)
            else:
                services.action_update(
                    action=action,
                    actor=request.user,
                    data=data,
                    expected_version=form.cleaned_data.get("version"),
                )
        except services.StaleVersion:
            form.add_error(None, STALE)
        else:
            messages.success(request, "Action saved.")
            return redirect(_anchor("#actions"))
    title = "New action" if action is None else f"Action: {action.title}"
    return render(request, "strategy/form.html", _form_context(form, title))


@roles_required(CX_LEAD)
@require_POST
def action_delete(request, pk):
    """CX leads: remove an action."""
    action = get_object_or_404(Action, pk=pk)
    services.action_delete(action=action, actor=request.user)
    messages.success(request, f"Action “{action.title}” removed.")
    return redirect(_anchor("#actions"))


@roles_required(CX_LEAD)
@require_http_methods(["GET", "POST"])
def metric_edit(request, pk=None):
    """CX leads: add or change a success metric."""
    metric = get_object_or_404(SuccessMetric, pk=pk) if pk else None
    form = forms.MetricForm(request.POST or None, instance=metric)
    if request.method == "POST" and form.is_valid():
        data = form.changed_data_for_service()
        try:
            if metric is None:
                services.metric_create(actor=request.user, data=data)
            else:
                services.metric_update(
                    metric=metric,
                    actor=request.user,
                    data=data,
                    expected_version=form.cleaned_data.get("version"),
                )
        except services.StaleVersion:
            form.add_error(None, STALE)
        else:
            messages.success(request, "Metric saved.")
            return redirect(_anchor("#metrics"))
    title = "New success metric" if metric is None else f"Metric: {metric.name}"
    context = _form_context(form, title)
    if metric is not None:
        context["reading_form"] = forms.ReadingForm()
        context["metric"] = metric
    return render(request, "strategy/form.html", context)


@roles_required(CX_LEAD)
@require_POST
def metric_delete(request, pk):
    """CX leads: remove a success metric and its readings."""
    metric = get_object_or_404(SuccessMetric, pk=pk)
    services.metric_delete(metric=metric, actor=request.user)
    messages.success(request, f"Metric “{metric.name}” removed.")
    return redirect(_anchor("#metrics"))


@roles_required(CX_LEAD)
@require_POST
def metric_reading(request, pk):
    """CX leads: record a metric's value for a period."""
    metric = get_object_or_404(SuccessMetric, pk=pk)
    form = forms.ReadingForm(request.POST)
    if form.is_valid():
        services.metric_reading_record(
            metric=metric,
            actor=request.user,
            period=form.cleaned_data["period"],
            value=form.cleaned_data["value"],
        )
        messages.success(request, f"Reading recorded for {metric.name}.")
    else:
        messages.error(request, "A reading needs a date and a number.")
    return redirect(_anchor("#metrics"))


def _form_context(form, title: str) -> dict:
    return {"form": form, "title": title}
