"""Search support on PostgreSQL: unaccent, pg_trgm and the IMMUTABLE egov_fold(text) function.

A no-op on SQLite, where `egov_fold` is registered on each connection (core.apps).
"""

from django.db import migrations

from egov.core.search import install_postgres_search, uninstall_postgres_search


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(install_postgres_search, uninstall_postgres_search, elidable=False)]
