from django.apps import AppConfig
from django.core import checks


class WebConfig(AppConfig):
    name = "oversight.web"
    label = "web"
    verbose_name = "Web pages"

    def ready(self) -> None:
        from oversight.policies.checks import check_active_policy
        from oversight.web import session_limits  # noqa: F401 - starts the session clock at sign-in

        # The app refuses to start with an invalid active policy pack.
        checks.register(check_active_policy)
