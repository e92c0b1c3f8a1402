from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Adds the claims an organisation's provider would send: username and email."""

    def get_additional_claims(self, request: Any) -> dict[str, str]:
        return {
            "preferred_username": request.user.username,
            "email": request.user.email,
            "name": request.user.get_full_name() or request.user.username,
        }
