"""Events and allocations change only through their actions, which write the audit row and
recompute the child's obligations: the admin shows them and offers no way to change them."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model_name", ["event", "allocation"])
def test_it_shows_the_rows_and_offers_no_way_to_change_them(client, council, model_name):
    superuser = User.objects.create_superuser(
        "admin.person", "admin.person@council.invalid", "x" * 16
    )
    client.force_login(superuser)
    rows = council.child.events if model_name == "event" else council.child.allocations
    row = rows.first()
    base = f"/admin/cases/{model_name}/"
    assert client.get(base).status_code == 200  # the list is there to read
    page = client.get(f"{base}{row.pk}/change/")
    assert page.status_code == 200  # and each row
    assert b'name="_save"' not in page.content  # with no way to save it
    assert client.get(f"{base}add/").status_code == 403  # nor to add one
    assert client.post(f"{base}{row.pk}/change/", {}).status_code == 403  # nor to change it
    deleted = client.post(f"{base}{row.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403  # nor to delete it
    assert type(row).objects.filter(pk=row.pk).exists()
