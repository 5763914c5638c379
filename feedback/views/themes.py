"""Theme pages: the list with the model's quality and discovery suggestions, and
a theme's page (edit, merge, archive). Members read; CX leads change."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cxplan.core.access import members_only, roles_required
from cxplan.core.queue import send_on_commit
from cxplan.core.roles import CX_LEAD, has_role
from feedback.forms.themes import DiscoverForm, MergeForm, ThemeForm
from feedback.models import Theme, ThemeSuggestion
from feedback.selectors import themes as selectors
from feedback.selectors.rule_quality import rule_quality_all
from feedback.services import theme_admin as services


def error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for msgs in error.message_dict.values() for m in msgs)
    return " ".join(error.messages)


def _list_context(request, form=None) -> dict:
    archived = request.GET.get("archived") == "1"
    themes = list(selectors.themes_list(include_archived=archived))
    quality = rule_quality_all()
    for theme in themes:
        theme.rule_quality = quality.get(theme.pk)
    return {
        "themes": themes,
        "archived": archived,
        "quality": selectors.theme_model_quality(),
        "suggestions": selectors.suggestions_open(),
        "form": form or ThemeForm(),
        "discover_form": DiscoverForm(),
    }


@require_GET
@members_only
def theme_list(request):
    return render(request, "themes/list.html", _list_context(request))


@roles_required(CX_LEAD)
@require_POST
def theme_create(request):
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            theme = services.theme_create(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"Theme {theme.name} created.")
            return redirect("theme-detail", pk=theme.pk)
    return render(request, "themes/list.html", _list_context(request, form), status=400)


def _theme_or_404(pk: int) -> Theme:
    try:
        return selectors.theme_get(pk=pk)
    except Theme.DoesNotExist:
        raise Http404("No such theme.") from None


def _detail(request, theme: Theme, form=None, merge_form=None, status=200):
    context = {
        "theme": theme,
        "form": form or ThemeForm.for_theme(theme),
        "merge_form": merge_form or MergeForm(theme=theme),
        "examples": selectors.theme_examples(theme=theme),
        "rule_quality": rule_quality_all().get(theme.pk),
    }
    return render(request, "themes/detail.html", context, status=status)


@members_only
def theme_detail(request, pk: int):
    theme = _theme_or_404(pk)
    if request.method != "POST":
        return _detail(request, theme)
    if not has_role(request.user, CX_LEAD):
        raise PermissionDenied("Only CX leads edit themes.")
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            services.theme_update(theme=theme, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "Theme saved.")
            return redirect("theme-detail", pk=theme.pk)
    return _detail(request, theme, form=form, status=400)


@roles_required(CX_LEAD)
@require_POST
def theme_merge(request, pk: int):
    theme = _theme_or_404(pk)
    form = MergeForm(request.POST, theme=theme)
    if form.is_valid():
        try:
            target = services.theme_merge(
                source=theme, target=form.cleaned_data["into"]
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"{theme.name} merged into {target.name}.")
            return redirect("theme-detail", pk=target.pk)
    return _detail(request, theme, merge_form=form, status=400)


@roles_required(CX_LEAD)
@require_POST
def theme_archive(request, pk: int):
    theme = services.theme_archive(theme=_theme_or_404(pk))
    messages.success(request, f"{theme.name} archived; its manual labels are kept.")
    return redirect("theme-list")


@roles_required(CX_LEAD)
@require_POST
def theme_restore(request, pk: int):
    try:
        theme = services.theme_restore(theme=_theme_or_404(pk))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("theme-detail", pk=pk)
    messages.success(request, f"{theme.name} is active again.")
    return redirect("theme-detail", pk=theme.pk)


@roles_required(CX_LEAD)
@require_POST
def theme_train(request):
    from feedback.tasks import train_themes

    send_on_commit(train_themes)
    messages.success(
        request,
        "Training started: it makes a candidate, shown here with what it would "
        "change before anything is applied.",
    )
    return redirect("theme-model")


@roles_required(CX_LEAD)
@require_POST
def theme_discover(request):
    form = DiscoverForm(request.POST)
    k = form.cleaned_data["k"] if form.is_valid() else 5
    found = services.theme_discovery_run(k=k)
    if found:
        messages.success(request, f"{len(found)} candidate themes found.")
    else:
        messages.info(request, "No uncovered negative feedback to group.")
    return redirect("theme-list")


@roles_required(CX_LEAD)
@require_POST
def suggestion_accept(request, pk: int):
    suggestion = get_object_or_404(ThemeSuggestion, pk=pk)
    try:
        theme = services.suggestion_accept(
            suggestion=suggestion,
            user=request.user,
            name=(request.POST.get("name") or "").strip() or None,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("theme-list")
    messages.success(request, f"Theme {theme.name} created; its examples labelled.")
    return redirect("theme-detail", pk=theme.pk)


@roles_required(CX_LEAD)
@require_POST
def suggestion_dismiss(request, pk: int):
    suggestion = get_object_or_404(ThemeSuggestion, pk=pk)
    try:
        services.suggestion_dismiss(suggestion=suggestion)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("theme-list")
