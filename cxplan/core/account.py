"""The signed-in user's own account pages: API tokens (list, make, revoke)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cxplan.core.access import members_only
from cxplan.core.tokens import token_create, token_revoke, tokens_for


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        required=False,
        help_text='What it is for, e.g. "BI export". Blank: "API token <date>".',
    )


@members_only
@require_http_methods(["GET", "POST"])
def account_tokens(request):
    """Every member: their own tokens; a POST makes one and shows its key once."""
    form = TokenForm(request.POST or None)
    new = None
    if request.method == "POST" and form.is_valid():
        new = token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "account/tokens.html",
        {
            "form": form,
            "tokens": tokens_for(user=request.user),
            "new": new,
            "now": timezone.now(),
            "token_days": settings.CXPLAN_TOKEN_DAYS,
        },
    )


@members_only
@require_POST
def account_token_revoke(request, pk: int):
    """Every member: revoke one of their own tokens (anyone else's is a 404)."""
    if not token_revoke(user=request.user, token_id=pk):
        raise Http404("No such token.")
    messages.success(request, "Token revoked. Clients using it now get 401.")
    return redirect("account-tokens")
