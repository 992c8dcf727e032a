from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oversight.cases"
    label = "cases"
    verbose_name = "Children, staff and chronology"
