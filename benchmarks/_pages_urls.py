"""The app's URLs plus the ceiling of `benchmarks/pages.py`: one indexed query, a small template."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from oversight.cases.models import Child

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>{{ child.reference }}</title><h1>{{ child.last_name }}</h1>"
)


def ceiling(request: HttpRequest, child_id: int) -> HttpResponse:
    child = Child.objects.filter(pk=child_id).values("reference", "last_name").first()
    return HttpResponse(_TEMPLATE.render({"child": child}, request))


urlpatterns = [
    path("bench/ceiling/<int:child_id>/", ceiling),
    path("", include("oversight.urls")),
]
