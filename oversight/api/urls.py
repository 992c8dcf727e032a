from django.urls import path

from oversight.api import api

urlpatterns = [path("api/v1/", api.urls)]
