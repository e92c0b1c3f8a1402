from django.urls import path

from alongside.administration import views, views_import, views_security

app_name = "administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.units, name="units"),
    path("units/<int:unit_id>/", views.unit, name="unit"),
    path("staff/", views.staff, name="staff"),
    path("staff/invite/", views.invite, name="invite"),
    path("staff/<int:user_id>/", views.member, name="member"),
    path(
        "staff/<int:user_id>/password/",
        views_security.temporary_password,
        name="temporary_password",
    ),
    path("security/", views_security.sign_in_security, name="security"),
    path("persons/", views.person_list, name="persons"),
    path("persons/new/", views.register, name="register"),
    path("persons/<int:person_id>/", views.person, name="person"),
    path("persons/<int:person_id>/activation/", views.person_activation, name="activation"),
    path("import/", views_import.import_file, name="import"),
]
