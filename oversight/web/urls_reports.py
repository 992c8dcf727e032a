from django.urls import path

from oversight.web import views_reports as views

urlpatterns = [
    path("reports/", views.dashboard, name="reports"),
    path("reports/children/", views.children, name="report_children"),
    path("reports/children.csv", views.children_csv, name="report_children_csv"),
]
