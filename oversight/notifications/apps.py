from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    name = "oversight.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from oversight.notifications.checks import check_notify_settings

        checks.register(check_notify_settings)
