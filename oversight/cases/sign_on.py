"""Single sign-on: who a person the council's identity provider vouches for is in Oversight, and
which roles its groups give them.

The provider is trusted for what the council maps and nothing more. Its groups claim decides only
the roles the mapping names (`managed_roles`): a role given by hand that no group maps to stays as
it is, and a role no group maps to (administrator, unless a group is mapped to it) is never given
by sign-on. The person is the staff record with the email the provider asserts, else its
username; a new staff record is made only when the council allows it (`create`) and the groups
give at least one role, so an unmapped account never signs in. Who the provider says each user is
(`sub`) is kept (`remember_subject`), so that its back-channel logout can name them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from oversight.audit.actions import record_change
from oversight.cases.models import SignOnSubject, StaffMember, StaffRole

RoleMapping = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Claims:
    """What the provider said about the person, as Oversight reads it."""

    email: str
    username: str
    groups: frozenset[str]
    given_name: str = ""
    family_name: str = ""


def read_claims(raw: Mapping[str, Any], *, groups_claim: str, username_claim: str) -> Claims:
    """The provider's claims (the verified ID token's, with the userinfo answer's over them):
    groups as a list of strings (Entra ID: the groups' object ids), or one string."""
    groups = raw.get(groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    return Claims(
        email=str(raw.get("email") or "").strip(),
        username=str(raw.get(username_claim) or "").strip(),
        groups=frozenset(str(g) for g in groups),
        given_name=str(raw.get("given_name") or ""),
        family_name=str(raw.get("family_name") or ""),
    )


def roles_for_groups(groups: Iterable[str], mapping: RoleMapping) -> set[str]:
    """The roles `groups` map to; a group the mapping does not name gives none."""
    return {role for group in groups for role in mapping.get(group, frozenset())}


def managed_roles(mapping: RoleMapping) -> set[str]:
    """The roles sign-on decides: those some group maps to."""
    return {role for roles in mapping.values() for role in roles}


def matching_staff(claims: Claims) -> StaffMember | None:
    """The one active staff record with the asserted email, else the asserted username; None
    when there is none, or several (never a guess between two people)."""
    staff = StaffMember.objects.select_related("user").filter(user__is_active=True)
    if claims.email:
        by_email = list(staff.filter(user__email__iexact=claims.email)[:2])
        if len(by_email) == 1:
            return by_email[0]
        if by_email:
            return None
    if claims.username:
        return staff.filter(user__username__iexact=claims.username).first()
    return None


def signed_on_staff(claims: Claims, *, mapping: RoleMapping, create: bool) -> StaffMember | None:
    """The staff member `claims` sign in as, their managed roles set from the groups (the change
    audited), or None when no one may sign in with these claims."""
    wanted = roles_for_groups(claims.groups, mapping)
    managed = managed_roles(mapping)
    with transaction.atomic():
        staff = matching_staff(claims)
        if staff is None:
            if not create or not wanted or not (claims.username or claims.email):
                return None
            staff = _new_staff(claims)
        held = {row.role for row in staff.role_set.all()}
        after = (held - managed) | wanted
        if not after:
            return None
        if after != held:
            for row in staff.role_set.filter(role__in=held - after):
                row.delete()
            for role in sorted(after - held):
                StaffRole.objects.create(staff=staff, role=role)
            record_change(
                None,
                action="staff.roles_from_sign_on",
                before={"staff": staff.pk, "roles": sorted(held)},
                after={"staff": staff.pk, "roles": sorted(after), "groups": sorted(claims.groups)},
                acting_user=staff.user,
            )
    return staff


def _new_staff(claims: Claims) -> StaffMember:
    """A staff record (no team or line manager yet: an administrator sets those) for a person
    the provider vouches for; no password, so they sign in only through the provider."""
    user = get_user_model().objects.create_user(
        username=(claims.username or claims.email)[:150],
        email=claims.email,
        first_name=claims.given_name[:150],
        last_name=claims.family_name[:150],
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    staff = StaffMember.objects.create(user=user)
    record_change(
        None,
        action="staff.created_by_sign_on",
        before=None,
        after={"staff": staff.pk, "username": user.get_username()},
        acting_user=user,
    )
    return staff


def remember_subject(user: Any, *, issuer: str, subject: str, sid: str, at: dt.datetime) -> None:
    """At each single sign-on: the provider's `sub` for `user`, and the provider's session of
    this sign-on (`sid`), for its back-channel logout to name (`subject_user`)."""
    SignOnSubject.objects.update_or_create(
        issuer=issuer, subject=subject, defaults={"user": user, "sid": sid, "signed_on_at": at}
    )


def subject_user(issuer: str, *, subject: str, sid: str) -> Any:
    """The user a provider's logout token names: by its `sub`, else by the `sid` of their last
    sign-on; None for someone who never signed on here. (Oversight then ends every session of
    the user, so a token naming both needs no match of the two.)"""
    found = SignOnSubject.objects.filter(issuer=issuer).select_related("user")
    row = found.filter(subject=subject).first() if subject else found.filter(sid=sid).first()
    return row.user if row is not None else None
