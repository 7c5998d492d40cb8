"""Indexes for the search pages at a city's scale (issue 4, benchmarks/documents/search.py),
PostgreSQL only.

* **the sort**: ``(issued_date DESC NULLS LAST, id DESC)`` and the same after ``agency_id``, the
  order of the lists and searches ("moi-nhat"): an unfiltered or loosely filtered page, and a
  broad term paged in its index-free form (`search.results_page`), read a page of index
  entries instead of sorting the scope;
* **the portal** (issued, public, outgoing: ~1 % of the rows): the same sort and a trigram
  index restricted to those rows, so a public search never re-checks private documents;
* migration 0004 built a second trigram index identical to 0002's
  (`documents_document_search_text_trgm`): dropped, one GIN to maintain on every write.
"""

from django.db import migrations

PUBLIC = "is_public AND direction = 'outgoing' AND status = 'issued'"
SORT = "issued_date DESC NULLS LAST, id DESC"
# (name, definition): PostgreSQL only, like the trigram indexes (SQLite refuses NULLS LAST in an
# index, and its embedded scale does not need them).
INDEXES = (
    ("document_sort", f"ON documents_document ({SORT})"),
    ("document_agency_sort", f"ON documents_document (agency_id, {SORT})"),
    ("document_public_sort", f"ON documents_document ({SORT}) WHERE {PUBLIC}"),
    (
        "document_public_trgm",
        f"ON documents_document USING gin (search_text public.gin_trgm_ops) WHERE {PUBLIC}",
    ),
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS document_search_trgm")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS document_search_trgm ON documents_document "
        "USING gin (search_text public.gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_search"),
        ("documents", "0004_search_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
