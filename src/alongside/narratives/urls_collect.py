"""Narratives URLs: telling a story and withdrawing it (joined in urls_service.py)."""

from django.urls import URLPattern, path

from alongside.narratives import views_collect

urlpatterns: list[URLPattern] = [
    path("tell/", views_collect.tell, name="collect-tell"),
    path("mine/", views_collect.mine, name="collect-mine"),
    path("mine/<int:source_id>/withdraw/", views_collect.withdraw, name="collect-withdraw"),
]
