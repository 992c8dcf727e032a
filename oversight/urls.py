from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("oversight.web.urls")),
    path("", include("oversight.api.urls")),
    path("", include("oversight.web.urls_concerns")),
    path("", include("oversight.web.urls_complaints")),
    path("", include("oversight.web.urls_fostering")),
    path("", include("oversight.web.urls_meetings")),
    path("", include("oversight.web.urls_interop")),
    path("", include("oversight.web.urls_reports")),
    path("", include("oversight.web.urls_tokens")),
]

handler500 = "oversight.web.views.server_error"
