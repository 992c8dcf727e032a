from django.urls import path, re_path

from oversight.web import views_reports as views

urlpatterns = [
    path("reports/", views.dashboard, name="reports"),
    path("reports/children/", views.children, name="report_children"),
    path("reports/annex-a/", views.annex_a, name="report_annex_a"),
    path("reports/documents/<slug:name>/", views.document_page, name="report_document"),
    re_path(
        r"^reports/documents/(?P<name>[a-z]+)\.(?P<fmt>docx|pdf|xlsx|csv)$",
        views.document_export,
        name="report_document_export",
    ),
    re_path(
        r"^reports/annex-a/list-(?P<number>5|7|8)\.(?P<fmt>csv|xlsx)$",
        views.annex_a_export,
        name="report_annex_a_export",
    ),
    re_path(
        r"^reports/children\.(?P<fmt>csv|xlsx)$",
        views.children_export,
        name="report_children_export",
    ),
]
