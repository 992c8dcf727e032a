from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "oversight.escalations"
    label = "escalations"
    verbose_name = "Positive challenge and escalation"
    default_auto_field = "django.db.models.BigAutoField"
