"""Accent-insensitive Vietnamese search: "quyet dinh" finds "Quyết định", "d" finds "đ".

The pattern, the same on SQLite and PostgreSQL:

1. The model keeps a folded copy of what is searched, written by the service that writes the
   row (never in ``save()``)::

       search_text = models.TextField(_("Nội dung tìm kiếm"), default="", editable=False)
       ...
       dossier.search_text = fold(f"{dossier.code} {dossier.title} {applicant.full_name}")

2. Selectors filter with ``search_filter("search_text", query)``: every folded term of the query
   must occur in the folded column (AND), as ``LIKE '%term%'``.

3. On PostgreSQL a trigram GIN index makes that ``LIKE`` fast; declare it in the app's migration
   with ``TrigramIndex("dossier", "search_text")`` (a no-op on SQLite, where the embedded scale
   does not need it).

Both databases also know an SQL function ``egov_fold(text)`` that folds the same way as
:func:`fold` (registered on each SQLite connection; created by ``core`` migration 0002 on
PostgreSQL on top of ``unaccent``), so data migrations can back-fill with ``Fold(...)``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
from django.db.models import Q

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str | None) -> str:
    """Lowercase without diacritics, đ→d, spaces collapsed: the form that is searched."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def search_terms(query: str | None) -> list[str]:
    """The folded, distinct terms of a query, in order."""
    return list(dict.fromkeys(fold(query).split()))


def search_filter(field_name: str, query: str | None) -> Q:
    """A filter matching rows whose folded ``field_name`` contains every term of ``query``.

    An empty query matches everything (``Q()``). The column must hold :func:`fold` output;
    the terms are folded here, so both sides are lowercase ASCII for Vietnamese and the match
    is the same on SQLite and PostgreSQL.
    """
    condition = Q()
    for term in search_terms(query):
        condition &= Q(**{f"{field_name}__contains": term})
    return condition


class Fold(models.Func):
    """``egov_fold(expression)`` in SQL: the database-side twin of :func:`fold`."""

    function = "egov_fold"
    output_field = models.TextField()


# --- Database side ---------------------------------------------------------------------------

# The PostgreSQL twin of `fold`: unaccent (with its dictionary named, so the function can be
# IMMUTABLE and usable in indexes), đ/Đ translated first, then lowercase and collapsed spaces.
PG_FOLD_FUNCTION = r"""
CREATE OR REPLACE FUNCTION egov_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT btrim(regexp_replace(
        lower(public.unaccent('public.unaccent'::regdictionary, translate(value, 'đĐ', 'dD'))),
        '\s+', ' ', 'g'))
$$;
"""


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: teach each SQLite connection ``egov_fold``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("egov_fold", 1, fold, deterministic=True)


def install_postgres_search(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Migration step: unaccent, pg_trgm and ``egov_fold`` on PostgreSQL; nothing elsewhere."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    schema_editor.execute(PG_FOLD_FUNCTION)


def uninstall_postgres_search(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # The extensions stay: other objects (indexes of other apps) may depend on them.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS egov_fold(text)")


class TrigramIndex(Operation):
    """Migration operation: a ``gin_trgm_ops`` index on a folded column, PostgreSQL only.

    Django's ``Meta.indexes`` would also try to build a GIN index on SQLite, so apps declare
    it in a migration instead::

        from egov.core.search import TrigramIndex

        operations = [TrigramIndex("dossier", "search_text")]

    Depends on ``("core", "0002_search")`` for ``pg_trgm``. On SQLite it does nothing.
    """

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name: str, field_name: str, name: str | None = None) -> None:
        self.model_name = model_name
        self.field_name = field_name
        self.name = name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs: dict[str, Any] = {"model_name": self.model_name, "field_name": self.field_name}
        if self.name:
            kwargs["name"] = self.name
        return ("egov.core.search.TrigramIndex", [], kwargs)

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass  # an index outside Django's model state: nothing to record

    def _target(self, app_label: str, state: ProjectState) -> tuple[str, str, str]:
        model = state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        column = model._meta.get_field(self.field_name).column
        return table, column, self.name or trigram_index_name(table, column)

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table, column, name = self._target(app_label, to_state)
        qn = schema_editor.quote_name
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {qn(name)} ON {qn(table)} "
            f"USING gin ({qn(column)} public.gin_trgm_ops)"
        )

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        _table, _column, name = self._target(app_label, from_state)
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    def describe(self) -> str:
        return f"Trigram index on {self.model_name}.{self.field_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_{self.field_name.lower()}_trgm"


def trigram_index_name(table: str, column: str) -> str:
    """``<table>_<column>_trgm``, shortened with a hash to PostgreSQL's 63 characters."""
    name = f"{table}_{column}_trgm"
    if len(name) <= 63:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[:49]}_{digest}_trgm"
