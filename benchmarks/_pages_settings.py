"""Settings for `benchmarks/pages.py`: the app's own, plus the ceiling page beside its URLs."""

from oversight.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks._pages_urls"
