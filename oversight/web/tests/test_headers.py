"""Every response carries a strict Content-Security-Policy (nothing inline, nothing from another
site); nothing shown to someone signed in (a page, a download, an API answer) may be stored by a
browser or a proxy; the API's docs are for signed-in staff, from the app's own files."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_has_a_policy_that_allows_no_inline_script(client, council):
    client.force_login(council.iro.user)
    policy = client.get(f"/children/{council.child.pk}/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "Content-Security-Policy" in client.get("/sign-in/")  # signed out too


def test_the_child_page_is_not_stored(client, council):
    client.force_login(council.iro.user)
    response = client.get(f"/children/{council.child.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_download_is_not_stored(client, council):
    client.force_login(council.iro.user)
    got = client.get("/concerns/challenge-meeting.docx")
    assert got.status_code == 200
    assert got["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in got["Cache-Control"]


def test_an_api_answer_is_not_stored(client, council):
    client.force_login(council.iro.user)
    got = client.get("/api/v1/openapi.json")
    assert got.status_code == 200
    assert "no-store" in got["Cache-Control"]


def test_a_page_for_someone_signed_out_may_be_kept_as_usual(client, council):
    # Nothing of a child is shown signed out; the static assets stay cacheable.
    assert "no-store" not in client.get("/static/web/init.js").get("Cache-Control", "")


def test_the_api_docs_are_for_signed_in_staff_only(client, council):
    refused = client.get("/api/v1/docs")
    assert refused.status_code == 401  # a problem, as every refusal of the API
    assert refused["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/openapi.json").status_code == 401
    client.force_login(council.iro.user)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
