import pytest
from django.contrib import admin
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def test_it_has_a_working_admin_page_for_each_model(client, council):
    superuser = User.objects.create_superuser(
        "admin.person", "admin.person@council.invalid", "x" * 16
    )
    client.force_login(superuser)
    for model in admin.site._registry:
        meta = model._meta
        url = f"/admin/{meta.app_label}/{meta.model_name}/"
        assert client.get(url).status_code == 200, url


def test_it_registers_every_cases_and_audit_model():
    from django.apps import apps

    from oversight.cases.models import StaffRole

    edited_inline = {StaffRole}  # on its staff member's page
    for label in ["cases", "audit"]:
        for model in apps.get_app_config(label).get_models():
            assert model in admin.site._registry or model in edited_inline, model


def test_it_offers_no_way_to_add_or_change_audit_entries(client, council):
    superuser = User.objects.create_superuser(
        "admin.person", "admin.person@council.invalid", "x" * 16
    )
    client.force_login(superuser)
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
