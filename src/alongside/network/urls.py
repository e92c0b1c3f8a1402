"""URLs of the care network page about one person, under /persons/<person_id>/network/."""

from django.urls import path

from alongside.network import views, views_card

app_name = "network"

urlpatterns = [
    path("", views.network, name="network"),
    path("invite/staff/", views.invite_staff, name="invite_staff"),
    path("invite/supporter/", views.invite_supporter, name="invite_supporter"),
    path("<int:membership_id>/sections/", views.sections, name="sections"),
    path("<int:membership_id>/end/", views.end, name="end"),
    path("<int:membership_id>/undo/", views.undo_end, name="undo_end"),
    path("<int:membership_id>/again/", views.reinvite, name="reinvite"),
    path("proposals/<int:proposal_id>/answer/", views.answer, name="answer"),
    path("proposals/<int:proposal_id>/code/", views.confirm_code, name="confirm_code"),
    path("card/", views_card.card, name="card"),
]
