"""The rules of single sign-on without a provider: which roles groups give, which roles sign-on
decides, and how a provider's claims are read (Entra ID's groups as a list; a lone string)."""

from __future__ import annotations

from oversight.cases.sign_on import managed_roles, read_claims, roles_for_groups

MAPPING = {
    "group-iros": frozenset({"iro"}),
    "group-managers": frozenset({"iro_team_manager", "iro"}),
}


def test_only_the_groups_the_mapping_names_give_roles():
    assert roles_for_groups(["group-iros", "group-it-admins"], MAPPING) == {"iro"}
    assert roles_for_groups(["group-it-admins"], MAPPING) == set()  # never an administrator
    assert roles_for_groups([], MAPPING) == set()


def test_sign_on_decides_only_the_roles_some_group_maps_to():
    assert managed_roles(MAPPING) == {"iro", "iro_team_manager"}
    assert managed_roles({}) == set()


def test_it_reads_the_groups_as_a_list_or_one_string_and_the_username_claim_named():
    claims = read_claims(
        {"email": " A@council.invalid ", "upn": "a@council.invalid", "roles": "group-iros"},
        groups_claim="roles",
        username_claim="upn",
    )
    assert claims.email == "A@council.invalid"
    assert claims.username == "a@council.invalid"
    assert claims.groups == frozenset({"group-iros"})
    assert read_claims({}, groups_claim="groups", username_claim="upn").groups == frozenset()
