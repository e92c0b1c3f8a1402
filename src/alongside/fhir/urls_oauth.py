"""OAuth 2.0 endpoints for SMART on FHIR (mounted at ``oauth/``): django-oauth-toolkit's
authorize, token and revoke views, and nothing of its application management pages."""

from django.urls import path
from oauth2_provider import views as oauth

app_name = "oauth"

urlpatterns = [
    path("authorize/", oauth.AuthorizationView.as_view(), name="authorize"),
    path("token/", oauth.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth.RevokeTokenView.as_view(), name="revoke_token"),
]
