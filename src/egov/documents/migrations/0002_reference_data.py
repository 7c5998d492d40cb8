from django.db import migrations

from egov.core.search import TrigramIndex
from egov.documents.reference import seed


def forwards(apps, schema_editor):
    seed(apps)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("core", "0002_search")]

    operations = [
        TrigramIndex("document", "search_text"),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
