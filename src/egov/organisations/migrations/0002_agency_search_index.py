"""Trigram index on Agency.search_text (PostgreSQL) and back-fill of rows written before."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat

from egov.core.search import Fold, TrigramIndex


def backfill(apps, schema_editor):
    Agency = apps.get_model("organisations", "Agency")
    Agency.objects.filter(search_text="").update(
        search_text=Fold(Concat("name", Value(" "), "abbreviation", Value(" "), "code"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("core", "0002_search"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        TrigramIndex("agency", "search_text"),
    ]
