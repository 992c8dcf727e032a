from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oversight.cases"
    label = "cases"
    verbose_name = "Children, staff and chronology"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from oversight.cases import data_version, models

        # What the pages show and who may see it (issue 6, performance). Obligations are written
        # in bulk by `oversight.cases.obligations`, which bumps itself; a flag saved one by one
        # bumps too.
        data_version.watch(
            get_user_model(),
            models.AccessGrant,
            models.Allocation,
            models.Child,
            models.Cover,
            models.DutyRota,
            models.Event,
            models.Flag,
            models.SiblingGroup,
            models.StaffMember,
            models.StaffRole,
            models.Team,
        )
        data_version.watch_many_to_many(models.Child.named_staff.through)
