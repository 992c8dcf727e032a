"""`oversight serve` runs two workers per core and one more gunicorn workers unless told otherwise."""

import sys

import pytest

from oversight import cli


@pytest.fixture(autouse=True)
def development(settings):
    """The development settings' DEBUG, which pytest-django turns off: with it off, serve runs the
    deployment checks too (tests/test_production_settings.py)."""
    settings.DEBUG = True


def test_the_default_is_two_per_core_and_one_more():
    assert cli.with_web_workers([], {}, cores=2) == ["--workers", "5"]
    assert cli.with_web_workers(["--bind", "127.0.0.1:9000"], {}, cores=4) == [
        "--workers",
        "9",
        "--bind",
        "127.0.0.1:9000",
    ]
    assert cli.with_web_workers([], {}, cores=None) == ["--workers", "3"]


def test_the_environment_or_the_command_line_sets_the_count():
    assert cli.with_web_workers([], {"OVERSIGHT_WEB_WORKERS": "2"}, cores=8) == ["--workers", "2"]
    given = ["--workers", "7"]
    assert cli.with_web_workers(given, {"OVERSIGHT_WEB_WORKERS": "2"}, cores=8) == given
    assert cli.with_web_workers(["-w", "1"], {}, cores=8) == ["-w", "1"]
    assert cli.with_web_workers(["--workers=4"], {}, cores=8) == ["--workers=4"]


@pytest.mark.django_db
def test_serve_hands_gunicorn_the_count(monkeypatch):
    started: list[list[str]] = []
    monkeypatch.setattr("gunicorn.app.wsgiapp.run", lambda: started.append(list(sys.argv)))
    monkeypatch.setattr(cli, "_cores", lambda: 3)
    monkeypatch.delenv("OVERSIGHT_WEB_WORKERS", raising=False)
    assert cli.main(["serve", "--bind", "127.0.0.1:0"]) == 0
    assert started == [
        ["gunicorn", "oversight.wsgi:application", "--workers", "7", "--bind", "127.0.0.1:0"]
    ]


@pytest.mark.django_db
def test_serve_refuses_a_count_below_one(monkeypatch, capsys):
    monkeypatch.setenv("OVERSIGHT_WEB_WORKERS", "0")
    assert cli.main(["serve"]) == 2
    assert "OVERSIGHT_WEB_WORKERS must be at least 1, not 0" in capsys.readouterr().err
