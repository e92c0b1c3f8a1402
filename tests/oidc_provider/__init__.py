"""A small, real OpenID Connect provider (django-oauth-toolkit) that the test suite starts in its
own process, to test single sign-on end to end without mocks. See ``running.py``."""
