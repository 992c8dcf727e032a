"""A retention review's decision made explicit: keep (with the next review date) or mark for
disposal by the records manager. The reviews kept before were decisions to keep: they get the
next review date their keeping gave (the pack's years after it)."""

from django.db import migrations, models


def kept_reviews_are_decisions_to_keep(apps, schema_editor):
    from oversight.cases.retention import review_years, years_after

    reviews = apps.get_model("cases", "RetentionReview").objects.filter(decided_on__isnull=False)
    if not reviews.exists():
        return
    years = review_years()
    for review in reviews:
        review.decision = "keep"
        review.next_review_on = years_after(review.decided_on, years)
        review.save(update_fields=["decision", "next_review_on"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_every_event_type_with_placements_and_complaints")]

    operations = [
        migrations.RemoveConstraint(model_name="retentionreview", name="one_open_retention_review"),
        migrations.RenameField(
            model_name="retentionreview", old_name="kept_on", new_name="decided_on"
        ),
        migrations.RenameField(
            model_name="retentionreview", old_name="kept_by", new_name="decided_by"
        ),
        migrations.AddField(
            model_name="retentionreview",
            name="decision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("keep", "Keep the records until the next review"),
                    ("dispose", "Mark the records for disposal by the records manager"),
                ],
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="retentionreview",
            name="next_review_on",
            field=models.DateField(blank=True, help_text="Kept: the next review", null=True),
        ),
        migrations.RunPython(kept_reviews_are_decisions_to_keep, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="retentionreview",
            constraint=models.UniqueConstraint(
                condition=models.Q(("decided_on__isnull", True)),
                fields=("child",),
                name="one_open_retention_review",
            ),
        ),
        migrations.AddConstraint(
            model_name="retentionreview",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decided_on__isnull", True), ("decision", "")),
                    models.Q(
                        ("decided_on__isnull", False),
                        ("decision", "keep"),
                        ("next_review_on__isnull", False),
                    ),
                    models.Q(
                        ("decided_on__isnull", False),
                        ("decision", "dispose"),
                        ("next_review_on__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="retention_decision_complete",
            ),
        ),
    ]
