"""Migration operations shared by the apps."""

from __future__ import annotations

from django.db import migrations


def _as_list(sql) -> list[str]:
    return [sql] if isinstance(sql, str) else list(sql)


def vendor_sql(**by_vendor: tuple) -> migrations.RunPython:
    """Raw SQL that exists on some database engines only: each keyword is a
    vendor (``sqlite``, ``postgresql``) mapped to ``(forward, backward)``,
    each a statement or a list of statements; other vendors do nothing.

    ``operations = [vendor_sql(postgresql=(CREATE_INDEX, DROP_INDEX))]``
    """

    def run(schema_editor, index: int) -> None:
        pair = by_vendor.get(schema_editor.connection.vendor)
        if pair is None:
            return
        for statement in _as_list(pair[index]):
            schema_editor.execute(statement)

    def forward(apps, schema_editor):
        run(schema_editor, 0)

    def backward(apps, schema_editor):
        run(schema_editor, 1)

    return migrations.RunPython(forward, backward)
