from django.urls import path

from alongside.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.choose_language, name="language"),
    path("password/", views.PasswordChangeView.as_view(), name="password"),
    path("security/", views.security_page, name="security"),
    path("sessions/end/", views.end_all_sessions, name="end_sessions"),
]
