"""One parsing path for query strings: declared fields in, clean values out, or 400;
and the one check of a `next` redirect.

Views and API views never call `int()` on `request.GET`: they declare the parameters
as a Django form (pages) or a DRF serializer (API, so the schema documents them) and
call `query_params`. A bad value (`²`, `1e9`, `NaN`, 10,000 digits) is a 400 naming
the field, never a 500.
"""

import unicodedata

from django import forms
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework import exceptions, serializers

# Ids and counts above this are refused before they reach a query: a bigint column
# overflows past it, and no table here comes near it.
ID_MAX = 2**63 - 1


class IdField(forms.IntegerField):
    """An optional positive id in a query string (`?snapshot=`, `?theme=`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


class BadQuery(BadRequest):
    """A query string its form refused; `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(
            "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
        )


def query_params(request, schema) -> dict:
    """The query string of `request` cleaned by `schema`.

    In: a Django or DRF request, and a `forms.Form` or `serializers.Serializer`
    class whose fields are the parameters. Out: the cleaned values (a form gives
    every field, an absent one as its empty value; a serializer only those sent).
    A bad value raises DRF's `ValidationError` on a DRF request (the API's 400
    `{"errors": [{"field", "message"}]}`) and `BadQuery` otherwise (`bad_request`
    renders it as a 400 page with the messages).
    """
    drf = hasattr(request, "query_params")
    data = request.query_params if drf else request.GET
    if issubclass(schema, serializers.BaseSerializer):
        checked = schema(data=data)
        if checked.is_valid():
            return dict(checked.validated_data)
        errors = {name: [str(m) for m in msgs] for name, msgs in checked.errors.items()}
    else:
        form: forms.Form = schema(data)
        if form.is_valid():
            return form.cleaned_data
        errors = {name: list(msgs) for name, msgs in form.errors.items()}
    if drf:
        raise exceptions.ValidationError(errors)
    raise BadQuery(errors)


def safe_next(request, target: str | None) -> str:
    """`target` (a `next` value) if it is a path on this site, else "".

    In: the request and the raw value. Out: a local path safe to redirect to:
    not another host or scheme, not a bare word that `redirect()` would try to
    reverse as a view name, no control character a header cannot carry.
    """
    target = target or ""
    if not target.startswith("/") or any(
        unicodedata.category(c).startswith("C") for c in target
    ):
        return ""
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else ""


def bad_request(request, exception=None):
    """The site's 400 page (`handler400`): a refused query's messages, by field."""
    errors = getattr(exception, "errors", None) or {}
    return render(request, "400.html", {"errors": errors}, status=400)
