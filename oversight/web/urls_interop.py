from django.urls import path

from oversight.web import views_interop

urlpatterns = [
    path("import/", views_interop.upload, name="interop_upload"),
    path("import/confirm/", views_interop.confirm, name="interop_confirm"),
    path("import/progress/", views_interop.progress, name="interop_progress"),
    path("import/events-template.csv", views_interop.template, name="interop_template"),
    path("reports/returns/", views_interop.returns, name="interop_returns"),
]
