"""URLs of the recovery plan, under /persons/<person_id>/plan/."""

from django.urls import path

from alongside.plans import views, views_goals, views_pdf

app_name = "plans"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("cards/", views.cards, name="cards"),
    path("story/new/", views.story_new, name="story_new"),
    path("story/<int:entry_id>/edit/", views.story_edit, name="story_edit"),
    path("strengths/", views.strength_new, name="strength_new"),
    path("goals/new/", views_goals.goal_new, name="goal_new"),
    path("goals/side-by-side/", views.side_by_side, name="side_by_side"),
    path("goals/<int:goal_id>/", views_goals.goal_detail, name="goal"),
    path("goals/<int:goal_id>/edit/", views_goals.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/steps/", views_goals.step_new, name="step_new"),
    path("goals/<int:goal_id>/steps/<int:step_id>/done/", views_goals.step_done, name="step_done"),
    path("goals/<int:goal_id>/check-in/", views_goals.check_in, name="check_in"),
    path("goals/<int:goal_id>/stance/", views_goals.stance, name="stance"),
    path("goals/<int:goal_id>/status/", views_goals.goal_status, name="goal_status"),
    path("goals/<int:goal_id>/links/", views_goals.goal_links, name="goal_links"),
    path("pdf/", views_pdf.plan_pdf, name="pdf"),
]
