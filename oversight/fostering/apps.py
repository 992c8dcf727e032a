from django.apps import AppConfig


class FosteringConfig(AppConfig):
    name = "oversight.fostering"
    label = "fostering"
    verbose_name = "Foster carer reviews"
    default_auto_field = "django.db.models.BigAutoField"
