"""Search index of the documents (PostgreSQL; nothing on SQLite): a trigram GIN index on the
folded `search_text`, serving the accent-insensitive ``LIKE`` of every term of a query."""

from django.db import migrations

from egov.core.search import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_search"),
        ("documents", "0003_outgoing_id_per_series"),
    ]

    operations = [
        TrigramIndex("document", "search_text", name="document_search_trgm"),
    ]
