"""`Partner.token_out` encrypted at rest (Fernet, see egov.exchange.sealing).

The column becomes text (a sealed token is longer than the 500 characters it had), then every
value still in clear is sealed in place. Raw SQL on purpose: the field now decrypts what it
reads, and the values being converted are not sealed yet. Going back unseals them.
"""

from typing import Any

from django.db import migrations

import egov.exchange.sealing
from egov.exchange.sealing import is_sealed, seal, unseal


def _rows(schema_editor: Any) -> tuple[Any, str, list[tuple[int, str]]]:
    connection = schema_editor.connection
    table = connection.ops.quote_name("exchange_partner")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, token_out FROM {table} WHERE token_out <> ''")  # noqa: S608
        return connection, table, list(cursor.fetchall())


def seal_clear_tokens(apps: Any, schema_editor: Any) -> None:
    connection, table, rows = _rows(schema_editor)
    with connection.cursor() as cursor:
        for pk, value in rows:
            if not is_sealed(value):
                cursor.execute(
                    f"UPDATE {table} SET token_out = %s WHERE id = %s",  # noqa: S608
                    [seal(value), pk],
                )


def unseal_tokens(apps: Any, schema_editor: Any) -> None:
    connection, table, rows = _rows(schema_editor)
    with connection.cursor() as cursor:
        for pk, value in rows:
            if is_sealed(value):
                cursor.execute(
                    f"UPDATE {table} SET token_out = %s WHERE id = %s",  # noqa: S608
                    [unseal(value), pk],
                )


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="partner",
            name="token_out",
            field=egov.exchange.sealing.SealedTextField(
                blank=True, verbose_name="Mã truy cập của đối tác dành cho ta"
            ),
        ),
        migrations.RunPython(seal_clear_tokens, unseal_tokens),
    ]
