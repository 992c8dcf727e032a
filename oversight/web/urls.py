from django.contrib.auth import views as auth_views
from django.urls import path

from oversight.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="web/sign_in.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("children/", views.children, name="children"),
    path("children/<int:child_id>/", views.child, name="child"),
    path("healthz", views.healthz, name="healthz"),
]
