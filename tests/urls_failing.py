"""The real URL map plus one view that fails, to see what a server error leaves behind."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from alongside.urls import handler500, urlpatterns

SECRET_WORDS = "Maja wrote: I hide in the bathroom"


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_WORDS)


urlpatterns = [path("fails/", fails), *urlpatterns]
__all__ = ["handler500", "urlpatterns"]
