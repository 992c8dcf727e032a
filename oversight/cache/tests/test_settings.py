"""The shared cache comes from `CACHE_URL`: a malformed one stops the service with one line and
exit 2, and several hosts (`OVERSIGHT_HOSTS`) refuse to start without one (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from oversight.cache.checks import check_shared_cache
from oversight.env import cache_url

OVERSIGHT = str(Path(sys.executable).parent / "oversight")
REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://h/0"}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.update(env)
    return subprocess.run(
        [OVERSIGHT, *args], capture_output=True, text=True, env=environ, timeout=60, check=False
    )


def test_it_reads_redis_urls():
    assert cache_url("CACHE_URL", {}) is None  # unset: the host's file cache
    url = "redis://127.0.0.1:6379/0"
    assert cache_url("CACHE_URL", {"CACHE_URL": url}) == url
    assert cache_url("CACHE_URL", {"CACHE_URL": "rediss://cache.council.invalid"})  # TLS


@pytest.mark.parametrize(
    "url, says",
    [
        ("memcached://127.0.0.1:11211", "unknown scheme 'memcached'"),
        ("redis://127.0.0.1:port/0", "not a valid URL"),
        ("redis:///0", "names no cache host"),
        ("redis://127.0.0.1:6379/zero", "database that is not a number"),
    ],
)
def test_it_rejects_bad_cache_urls(url, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        cache_url("CACHE_URL", {"CACHE_URL": url})


def test_serve_refuses_a_malformed_cache_url_in_one_line(tmp_path):
    result = run(
        ["serve", "--bind", "127.0.0.1:0"],
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_URL="redis://127.0.0.1:port/0",
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "oversight: CACHE_URL is not a valid URL: 'redis://127.0.0.1:port/0'"
    )


def test_serve_refuses_several_hosts_without_a_shared_cache(tmp_path):
    result = run(
        ["serve", "--bind", "127.0.0.1:0"],
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        OVERSIGHT_HOSTS="2",
    )
    assert result.returncode == 2
    assert "oversight.cache.E001" in result.stderr
    assert "OVERSIGHT_HOSTS=2 but the 'page_versions' cache is kept on this host" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_host_may_keep_its_caches_in_files(settings):
    settings.OVERSIGHT_HOSTS = 1
    assert check_shared_cache() == []


def test_several_hosts_need_both_shared_caches_on_redis(settings):
    settings.OVERSIGHT_HOSTS = 3
    settings.CACHES = {**settings.CACHES, "page_versions": REDIS}  # sessions still in memory
    (error,) = check_shared_cache()
    assert error.id == "oversight.cache.E001"
    assert "'sessions' cache is kept on this host (LocMemCache)" in error.msg
    settings.CACHES = {**settings.CACHES, "sessions": REDIS}
    assert check_shared_cache() == []
