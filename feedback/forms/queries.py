"""The query strings of feedback's pages, parsed by
`cxplan.core.queries.query_params`."""

from django import forms

from cxplan.core.queries import IdField
from feedback.models.items import Channel
from feedback.selectors.ranking_slices import RankingSlice, slice_resolve

SLICE_FIELDS = ("start", "end", "segment", "channel")


class RankingPageQuery(forms.Form):
    """`/ranking/?snapshot=ID`: an older snapshot instead of the newest; or
    `?start=&end=&segment=&channel=`: the ranking of that slice (the API's
    RankingQuery rules: ISO dates, inclusive, at most 3 years, a known channel,
    not together with a snapshot)."""

    snapshot = IdField()
    start = forms.DateField(required=False, label="From")
    end = forms.DateField(required=False, label="To")
    segment = forms.CharField(required=False, max_length=100)
    channel = forms.ChoiceField(
        required=False, choices=[("", "Any channel"), *Channel.choices]
    )

    def clean(self):
        data = super().clean()
        for name in ("segment", "channel"):
            if data.get(name) == "":
                data[name] = None  # "any", as when not sent
        asked = [name for name in SLICE_FIELDS if data.get(name) is not None]
        if asked and data.get("snapshot"):
            self.add_error(
                "snapshot", "A snapshot has no slice: choose one or the other."
            )
        elif asked and not self.errors:
            _filled, errors = slice_resolve(self.asked_slice(data))
            for name, message in errors.items():
                self.add_error(name, message)
        return data

    @staticmethod
    def asked_slice(data: dict):
        """The RankingSlice of cleaned `data` (its fields None when not sent)."""
        return RankingSlice(**{name: data.get(name) for name in SLICE_FIELDS})


class RankingStatusQuery(forms.Form):
    """`/ranking/status?shown=ID`: the snapshot the polling page shows."""

    shown = IdField()
