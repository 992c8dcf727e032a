from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "oversight.interop"
    label = "interop"
    verbose_name = "Import of the council's records"
