"""`Authorization: Token <key>` against ApiToken (cxplan/core/tokens.py).

The header keeps DRF's format, so clients of the old one-token-per-user scheme
only need a new key. Kept apart from the token views: DRF imports this module
while it is still loading its own views.
"""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from cxplan.core.tokens import TokenRefused, token_authenticate


class ApiTokenAuthentication(TokenAuthentication):
    """A refused key (unknown, revoked, expired, inactive user) is a 401 saying
    why; `request.auth` is the ApiToken."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        try:
            token = token_authenticate(key=key)
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        return token.user, token
