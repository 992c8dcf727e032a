from django.urls import path, re_path

from oversight.web import views_reports as views

urlpatterns = [
    path("reports/", views.dashboard, name="reports"),
    path("reports/children/", views.children, name="report_children"),
    re_path(
        r"^reports/children\.(?P<fmt>csv|xlsx)$",
        views.children_export,
        name="report_children_export",
    ),
]
