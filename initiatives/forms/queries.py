"""The query strings of the initiatives pages, parsed by
`cxplan.core.queries.query_params`."""

from django import forms

from cxplan.core.queries import IdField
from initiatives.models import Initiative
from initiatives.selectors.initiatives import SORTS

# The allocation years a plan knows (`PositiveSmallIntegerField`); a year outside
# the plan shows an empty waterfall, as before.
YEAR_MAX = 32767


class InitiativeListQuery(forms.Form):
    """`/initiatives/?sort=npv|roi|payback|theme_rank&status=`."""

    sort = forms.ChoiceField(choices=[(s, s) for s in sorted(SORTS)], required=False)
    status = forms.ChoiceField(choices=Initiative.Status.choices, required=False)


class InitiativeNewQuery(forms.Form):
    """`/initiatives/new/?theme=ID`: pre-fill from that ranked theme."""

    theme = IdField()


class FundingPlanQuery(forms.Form):
    """`/funding/?year=t`: the waterfall of one year of the plan."""

    year = forms.IntegerField(required=False, min_value=0, max_value=YEAR_MAX)
