"""Who provides a placement kept as its SSDA903 code (`place_provider`) beside the placement's
provider: a placement imported before was kept with the code's words as its provider only, so
the return wrote its `PLACE_PROVIDER` from those words. Each such placement gets the code of its
words, as an import keeps it now (a provider named in the pages, "Aunt", is no code: left)."""

from django.db import migrations

PLACEMENTS = ("placement_start", "placement_change")


def codes_of_the_words(apps, schema_editor):
    from oversight.cases.constants import PlacementProvider

    codes = {words: code for code, words in PlacementProvider.choices}
    events = apps.get_model("cases", "Event").objects.filter(
        type__in=PLACEMENTS, data__provider__in=list(codes)
    )
    changed = []
    for event in events.iterator(chunk_size=2000):
        if "place_provider" not in event.data:
            event.data["place_provider"] = codes[event.data["provider"]]
            changed.append(event)
    apps.get_model("cases", "Event").objects.bulk_update(changed, ["data"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("cases", "0019_obligation_status_code_by_id")]

    operations = [migrations.RunPython(codes_of_the_words, migrations.RunPython.noop)]
