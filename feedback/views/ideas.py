"""Idea pages: list, my ideas, submit (mobile first), detail with votes, comments
and, for CX leads, the triage controls and the merge. Thin callers of the ideas
services. The status and links views are in initiatives.views.idea_links: they
take the initiatives that the initiatives app owns."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cxplan.core.access import members_only, roles_required
from cxplan.core.roles import CX_LEAD, has_role
from cxplan.core.visibility import may_see
from feedback.forms.ideas import (
    CommentForm,
    IdeaFilterForm,
    IdeaForm,
    LinksForm,
    MergeForm,
    StatusForm,
)
from feedback.models import Idea
from feedback.selectors import ideas as selectors
from feedback.selectors.idea_duplicates import idea_duplicates
from feedback.services import idea_triage as triage
from feedback.services import ideas as services

PAGE_SIZE = 25


def _idea_or_404(request, pk: int) -> Idea:
    try:
        return selectors.idea_get(user=request.user, pk=pk)
    except Idea.DoesNotExist:
        raise Http404("No such idea.") from None


def _error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for msgs in error.message_dict.values() for m in msgs)
    return " ".join(error.messages)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _list_page(request, *, title: str, mine: bool):
    form = IdeaFilterForm(request.GET or None)
    filters = form.filters()
    ideas = selectors.ideas_list(
        user=request.user,
        author=request.user if mine else None,
        include_merged=mine,
        **filters,
    )
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "title": title, "mine": mine}
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    template = "ideas/_results.html" if _is_htmx(request) else "ideas/list.html"
    return render(request, template, context)


@members_only
@require_GET
def idea_list(request):
    """Every member: all ideas, filtered by theme and status, newest or most voted."""
    return _list_page(request, title="Ideas", mine=False)


@members_only
@require_GET
def idea_mine(request):
    """Every member: the ideas I submitted, with their status (merged ones too)."""
    return _list_page(request, title="My ideas", mine=True)


@members_only
@require_http_methods(["GET", "POST"])
def idea_new(request):
    """Every member: submit an idea (designed for a phone on the floor)."""
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_create(author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thanks! Your idea is in; you'll hear back here.")
            return redirect("idea-detail", pk=idea.pk)
    return render(request, "ideas/form.html", {"form": form, "idea": None})


@members_only
@require_http_methods(["GET", "POST"])
def idea_edit(request, pk: int):
    """The author, while the idea is new; everyone else who can see it gets 403."""
    idea = _idea_or_404(request, pk)
    if not services.idea_can_edit(idea=idea, user=request.user):
        raise PermissionDenied("Only the author may edit an idea, and only while new.")
    form = IdeaForm(request.POST or None, instance=idea)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(idea=idea, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Idea updated.")
            return redirect("idea-detail", pk=idea.pk)
    return render(request, "ideas/form.html", {"form": form, "idea": idea})


@members_only
@require_GET
def idea_detail(request, pk: int):
    """Every member: the idea, its votes and comments; CX leads also triage here."""
    idea = _idea_or_404(request, pk)
    context = {
        "idea": idea,
        "comments": selectors.idea_comments(idea=idea),
        "comment_form": CommentForm(),
        "merged_from": selectors.idea_merged_from(idea=idea),
        "can_edit": services.idea_can_edit(idea=idea, user=request.user),
        # Customer identity: its author and the roles cxplan.core.visibility names.
        "customer_ref": idea.evidence_customer_ref
        if may_see(request.user, "evidence_customer_ref", author=idea.author_id)
        else "",
    }
    if has_role(request.user, CX_LEAD):
        # The status and links forms post to the initiatives app's views (it owns
        # the links of ideas to initiatives and renders their field itself).
        allowed = triage.idea_transitions(idea=idea)
        context.update(
            status_form=StatusForm(allowed=allowed) if allowed else None,
            links_form=LinksForm(initial={"themes": [t.pk for t in idea.themes.all()]}),
            merge_form=MergeForm() if not idea.merged_into_id else None,
        )
    return render(request, "ideas/detail.html", context)


@members_only
@require_POST
def idea_vote(request, pk: int):
    """Every member: toggle my vote (htmx swaps the button; otherwise redirect)."""
    idea = _idea_or_404(request, pk)
    try:
        state = services.idea_vote_toggle(idea=idea, user=request.user)
    except ValidationError as error:
        if _is_htmx(request):
            return render(
                request,
                "ideas/_vote.html",
                {
                    "idea": idea,
                    "votes": idea.vote_count,
                    "voted": idea.voted,
                    "error": _error_text(error),
                },
                status=400,
            )
        messages.error(request, _error_text(error))
        return redirect("idea-detail", pk=pk)
    if _is_htmx(request):
        return render(
            request,
            "ideas/_vote.html",
            {"idea": idea, "votes": state.votes, "voted": state.voted},
        )
    return redirect("idea-detail", pk=pk)


@members_only
@require_POST
def idea_comment(request, pk: int):
    """Every member: add a comment."""
    idea = _idea_or_404(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.idea_comment_create(
                idea=idea, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, "Write something first.")
    return redirect(reverse("idea-detail", args=[pk]) + "#comments")


@roles_required(CX_LEAD)
@require_POST
def idea_merge(request, pk: int):
    """CX leads: merge this duplicate into another idea, then show that idea."""
    source = _idea_or_404(request, pk)
    form = MergeForm(request.POST)
    target = None
    if form.is_valid():
        target = Idea.objects.filter(pk=form.cleaned_data["into"]).first()
    if target is None:
        messages.error(request, "No such idea to merge into.")
        return redirect("idea-detail", pk=pk)
    try:
        triage.idea_merge(source=source, target=target, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("idea-detail", pk=pk)
    messages.success(request, f"Merged #{source.pk} into this idea.")
    return redirect("idea-detail", pk=target.pk)


@members_only
@require_GET
def idea_suggest_themes(request):
    """Every member (htmx): themes the text being typed matches, with customers,
    and the open ideas it likely duplicates (from the title and body)."""
    parts = [
        request.GET.get(name, "") for name in ("text", "title", "body", "suggested_fix")
    ]
    text = " ".join(p for p in parts if p)[:5000]
    suggestions = selectors.themes_suggest(text=text)
    title = request.GET.get("title", "")[:200]
    body = request.GET.get("body", "")[:5000]
    exclude = request.GET.get("exclude", "")
    duplicates = []
    if title.strip():
        found = idea_duplicates(
            title=title,
            body=body,
            exclude_id=int(exclude)
            if exclude.isdigit() and len(exclude) < 10
            else None,
        )
        titles = dict(
            Idea.objects.filter(pk__in=[d.id for d in found]).values_list("id", "title")
        )
        duplicates = [(d.id, titles[d.id]) for d in found if d.id in titles]
    context = {"suggestions": suggestions, "duplicates": duplicates}
    return render(request, "ideas/_suggestions.html", context)
