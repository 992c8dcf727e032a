"""The reports' pages. A download's format, an Annex A list and a document are each a path of
their own (no parameter in a path here is an object's id)."""

from django.urls import path

from oversight.reports.annex_a import LISTS
from oversight.reports.documents import DOCUMENTS
from oversight.web import views_reports as views

urlpatterns = [
    path("reports/", views.dashboard, name="reports"),
    path("reports/children/", views.children, name="report_children"),
    path("reports/annex-a/", views.annex_a, name="report_annex_a"),
    *(
        path(f"reports/children.{fmt}", views.children_export, {"fmt": fmt},
             name=f"report_children_{fmt}")
        for fmt in views.TABLE_FORMATS
    ),
    *(
        path(f"reports/annex-a/list-{number}.{fmt}", views.annex_a_export,
             {"number": number, "fmt": fmt}, name=f"report_annex_a_{number}_{fmt}")
        for number in LISTS
        for fmt in views.TABLE_FORMATS
    ),
    *(
        path(f"reports/documents/{name}/", views.document_page, {"name": name},
             name=f"report_document_{name}")
        for name in DOCUMENTS
        if name != "dashboard"
    ),
    *(
        path(f"reports/documents/{name}.{fmt}", views.document_export,
             {"name": name, "fmt": fmt}, name=f"report_document_{name}_{fmt}")
        for name in DOCUMENTS
        if name != "dashboard"
        for fmt in views.DOCUMENT_FORMATS
    ),
]  # fmt: skip
