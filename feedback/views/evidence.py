"""The evidence check page: do customers actually ask for this? (issue 20.6)

Who: every member (the page shows counts, texts and scores, no hidden field);
others are sent to log in (anonymous) or refused (403).
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from cxplan.core.access import members_only
from feedback.forms.evidence import excluded_terms, phrase_error
from feedback.selectors.evidence import evidence_search


def _link(phrase: str, exclude) -> str:
    query = [("q", phrase)] + [("exclude", term) for term in sorted(exclude)]
    return f"{reverse('evidence')}?{urlencode(query)}"


def _with_links(result: dict, phrase: str, exclude: frozenset[str]) -> dict:
    """Each related term with the link that leaves it out, each left-out term
    with the link that puts it back."""
    for term in result["related_terms"]:
        term["leave_out"] = _link(phrase, exclude | {term["term"]})
    result["put_back"] = [
        {"term": term, "link": _link(phrase, exclude - {term})}
        for term in result["excluded"]
    ]
    return result


@require_GET
@members_only
def evidence(request):
    """The search box and, for a phrase, the answer (an htmx partial when asked)."""
    phrase = (request.GET.get("q") or "").strip()
    exclude, error = excluded_terms(request.GET.getlist("exclude"))
    result = None
    if phrase and not error:
        error = phrase_error(phrase)
        if not error:
            result = _with_links(
                evidence_search(phrase=phrase, exclude=exclude), phrase, exclude
            )
    partial = request.headers.get("HX-Request") == "true"
    template = "ranking/_evidence.html" if partial else "ranking/evidence.html"
    # htmx swaps only 2xx answers: the partial says the error with a 200.
    status = 400 if error and not partial else 200
    return render(
        request,
        template,
        {"q": phrase, "result": result, "error": error, "exclude": sorted(exclude)},
        status=status,
    )
