"""Pages reached without a login: accepting an invitation, activating a person's login."""

from django.urls import path

from alongside.administration import views_public

app_name = "administration_public"

urlpatterns = [
    path("invitations/<str:token>/", views_public.accept, name="accept"),
    path("activate/", views_public.activate, name="activate"),
    path("activate/<str:code>/", views_public.activate_code, name="activate_code"),
]
