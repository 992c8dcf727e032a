from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oversight.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from oversight.audit import signals  # noqa: F401 - connects the sign-in receivers
