"""Plain INSERTs for the rows every read writes (operation log, search history).

The ORM's save() and bulk_create cost more than the statement on these hot paths: bulk_create wraps even one
statement in BEGIN … COMMIT and prepares every value of every row. `insert_rows` writes one multi-row INSERT
(atomic by itself), prepares each distinct value object once (a detail dict shared by 20 rows is serialised
once), and only when the database's parameter limit splits the rows into several statements (SQLite: 999)
wraps them in one transaction, so a read is logged whole or not at all.
"""

from contextlib import nullcontext

from django.db import connections, router, transaction


def insert_rows(model, rows: list[dict]) -> None:
    """INSERT rows (field name → value, the same fields in every row) into the model's table."""
    if not rows:
        return
    db = router.db_for_write(model)
    connection = connections[db]
    fields = [model._meta.get_field(name) for name in rows[0]]
    prepared: dict[tuple[str, int], object] = {}

    def prepare(field, value):
        key = (field.name, id(value))
        if key not in prepared:
            prepared[key] = field.get_db_prep_save(value, connection)
        return prepared[key]

    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, connection.ops.bulk_batch_size(fields, rows))
    several = transaction.atomic(using=db) if len(rows) > batch else nullcontext()
    with several, connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            values = [prepare(field, row[field.name]) for row in chunk for field in fields]
            cursor.execute(head + ", ".join([placeholders] * len(chunk)), values)
