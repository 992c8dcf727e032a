from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oversight.cases"
    label = "cases"
    verbose_name = "Children, staff and chronology"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from oversight.cases import data_version
        from oversight.cases.models import (
            AccessGrant,
            Allocation,
            Child,
            Cover,
            DutyRota,
            Event,
            Flag,
            SiblingGroup,
            StaffMember,
            StaffRole,
            Team,
        )

        # What the pages show and who may see it (issue 6, performance). Obligations and flags
        # are written in bulk by `oversight.cases.obligations`, which bumps itself; a flag
        # saved one by one bumps too.
        data_version.watch(
            get_user_model(),
            AccessGrant,
            Allocation,
            Child,
            Cover,
            DutyRota,
            Event,
            Flag,
            SiblingGroup,
            StaffMember,
            StaffRole,
            Team,
        )
        data_version.watch_many_to_many(Child.named_staff.through)
