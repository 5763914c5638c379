"""The query strings of feedback's pages, parsed by
`cxplan.core.queries.query_params`."""

from django import forms

from cxplan.core.queries import IdField


class RankingPageQuery(forms.Form):
    """`/ranking/?snapshot=ID`: an older snapshot instead of the newest."""

    snapshot = IdField()


class RankingStatusQuery(forms.Form):
    """`/ranking/status?shown=ID`: the snapshot the polling page shows."""

    shown = IdField()
