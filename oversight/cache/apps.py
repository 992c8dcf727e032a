from django.apps import AppConfig
from django.core import checks


class CacheConfig(AppConfig):
    name = "oversight.cache"
    label = "oversight_cache"
    verbose_name = "What the pages remember"

    def ready(self) -> None:
        from oversight.cache import watched
        from oversight.cache.checks import check_shared_cache

        watched.register()
        # Several hosts refuse to start without a shared cache.
        checks.register(check_shared_cache, checks.Tags.caches)
