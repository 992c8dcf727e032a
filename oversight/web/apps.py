from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "oversight.web"
    label = "web"
    verbose_name = "Web pages"
