"""The archive knows Denmark's 98 municipalities and 5 regions from the start."""

from django.db import migrations


def load(apps, schema_editor):
    from minutes.data.municipalities import MUNICIPALITIES
    from minutes.text import danish_slug

    Municipality = apps.get_model("minutes", "Municipality")
    for authority in MUNICIPALITIES:
        Municipality.objects.update_or_create(
            code=authority.code,
            defaults={"name": authority.name, "slug": danish_slug(authority.name.removesuffix(" Kommune")),
                      "kind": authority.kind},
        )


class Migration(migrations.Migration):
    dependencies = [("minutes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
