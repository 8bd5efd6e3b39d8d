"""PostgreSQL-only parts of the search index, behind a small adapter with an SQLite fallback (design.md).

- The key column uses the "C" collation, so "starts with" is an index range scan whatever the server's
  locale (SQLite compares BINARY already).
- A trigram (pg_trgm) GIN index serves partial-match search. Creating the extension needs the right
  privilege; without it, partial match falls back to a scan (slower, same results) and a warning is printed.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('ALTER TABLE search_searchkey ALTER COLUMN "key" TYPE varchar(200) COLLATE "C"')
    try:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SAVEPOINT jumin_trgm")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("CREATE INDEX IF NOT EXISTS searchkey_key_trgm ON search_searchkey USING gin (\"key\" gin_trgm_ops)")
            cursor.execute("RELEASE SAVEPOINT jumin_trgm")
    except Exception as exc:  # noqa: BLE001 - privilege missing: keep going without the trigram index
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ROLLBACK TO SAVEPOINT jumin_trgm")
        print(f"warning: pg_trgm unavailable ({exc}); partial-match search will scan")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS searchkey_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
