"""The signed-in user's own account pages."""

from django.urls import path

from cxplan.core import account

urlpatterns = [
    path("account/tokens/", account.account_tokens, name="account-tokens"),
    path(
        "account/tokens/<int:pk>/revoke/",
        account.account_token_revoke,
        name="account-token-revoke",
    ),
]
