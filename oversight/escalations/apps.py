from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "oversight.escalations"
    label = "escalations"
    verbose_name = "Positive challenge and escalation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oversight.cases import data_version
        from oversight.escalations.models import Concern

        # Concerns show on My caseload and the child page (issue 6, performance).
        data_version.watch(Concern)
