"""URLs of the crisis plan, under /persons/<person_id>/crisis/."""

from django.urls import path

from alongside.safety import views, views_choice, views_her_side, views_register

app_name = "safety"

urlpatterns = [
    path("", views.crisis_plan, name="crisis_plan"),
    path("new-version/", views.crisis_edit, name="crisis_edit"),
    path("versions/<int:number>/confirm/", views.crisis_confirm, name="crisis_confirm"),
    path("emergency/", views.emergency, name="emergency"),
    path("card/", views.crisis_card, name="card"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("restrictive/", views_register.episodes, name="episodes"),
    path("decisions/", views_register.decisions, name="decisions"),
    path("agreements/", views_choice.agreements, name="agreements"),
    path("rights/", views_choice.rights, name="rights"),
    path("decisions/<int:decision_id>/", views_register.decision_view, name="decision"),
    path("restrictive/<int:episode_id>/debrief/", views_register.debrief, name="debrief"),
    path(
        "restrictive/<int:episode_id>/my-account/",
        views_her_side.episode_account,
        name="episode_account",
    ),
    path(
        "agreements/<int:agreement_id>/answer/",
        views_her_side.agreement_answer,
        name="agreement_answer",
    ),
    path(
        "decisions/<int:decision_id>/options/new/",
        views_her_side.decision_option,
        name="decision_option",
    ),
]
