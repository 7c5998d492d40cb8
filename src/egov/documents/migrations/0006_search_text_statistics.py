"""A finer sample of `search_text` for the planner (PostgreSQL): 1,000 histogram entries
instead of 100, so the row estimate of a ``LIKE '%term%'`` comes close enough to what the
trigram index finds for PostgreSQL to intersect it with the filters' indexes (BitmapAnd)
rather than re-check every match on the heap (benchmarks/documents/search.py)."""

from django.db import migrations

TARGET = 1000


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE documents_document ALTER COLUMN search_text SET STATISTICS {TARGET}"
        )
        schema_editor.execute("ANALYZE documents_document")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE documents_document ALTER COLUMN search_text SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_search_sort_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
