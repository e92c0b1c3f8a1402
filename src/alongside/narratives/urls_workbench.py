"""Narratives URLs: the analysis workbench (joined in urls_service.py)."""

from django.urls import URLPattern, path

from alongside.narratives import views_coding, views_search, views_workbench

P = "projects/<int:project_id>/"

urlpatterns: list[URLPattern] = [
    path("", views_workbench.projects, name="projects"),
    path(P, views_workbench.project, name="project"),
    path(P + "members/", views_workbench.members, name="members"),
    path(
        P + "members/<int:member_id>/remove/",
        views_workbench.member_remove,
        name="member-remove",
    ),
    path(P + "round/", views_workbench.coding_round, name="coding-round"),
    path(P + "codebooks/", views_workbench.codebooks, name="codebooks"),
    path(P + "codebooks/<int:codebook_id>/", views_workbench.codebook, name="codebook"),
    path(P + "codes/<int:code_id>/", views_workbench.code, name="code"),
    path(P + "sources/new/", views_workbench.upload, name="upload"),
    path(P + "sources/<int:source_id>/", views_coding.source, name="source"),
    path(P + "sources/<int:source_id>/autocode/", views_coding.autocode, name="autocode"),
    path(P + "units/<int:selection_id>/remove/", views_coding.unit_remove, name="unit-remove"),
    path(P + "memos/", views_workbench.memo, name="memo"),
    path(P + "agreement/", views_coding.agreement, name="agreement"),
    path(P + "consensus/", views_coding.consensus, name="consensus"),
    path(P + "disagreement/", views_coding.disagreement, name="disagreement"),
    path(P + "search/", views_search.text_search, name="search"),
    path(P + "words/", views_search.word_frequency, name="words"),
    path(P + "words.csv", views_search.word_frequency_csv, name="words-csv"),
]
