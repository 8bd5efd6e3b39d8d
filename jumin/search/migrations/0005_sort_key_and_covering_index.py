"""Add the person's current フリガナ to every key row (plan B2 in docs/performance.md), fill it from the
records, then replace the key-order index by one that covers 宛名番号 and the sort key.

An UPDATE of every key row writes a new version of each row and of every index entry: fine for a demo city,
but over an hour for Sendai's 20 M keys. Above FILL_LIMIT rows the column is left blank (results are still
right, only ordered by 宛名番号 after the exact matches) and the migration says to run `jumin reindex_search`,
which rewrites the keys with COPY in minutes."""

from django.db import migrations, models

FILL = {
    "postgresql": "UPDATE search_searchkey k SET sort = left(r.name_kana, 200) FROM register_resident r "
                  "WHERE r.addressee_number = k.addressee_number AND r.name_kana <> ''",
    "sqlite": "UPDATE search_searchkey SET sort = COALESCE((SELECT substr(r.name_kana, 1, 200) FROM register_resident r "
              "WHERE r.addressee_number = search_searchkey.addressee_number), '')",
}


FILL_LIMIT = 2_000_000


def fill_sort(apps, schema_editor):
    sql = FILL.get(schema_editor.connection.vendor)
    if not sql:
        return
    with schema_editor.connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM search_searchkey")
        rows = cur.fetchone()[0]
    if rows > FILL_LIMIT:
        print(f"\n  検索キー {rows:,} 件: 並び順の列は空のままです。`jumin reindex_search` を実行してください。")
        return
    schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0004_living_order_index"),
        ("register", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="searchkey", name="searchkey_living_order"),
        migrations.AddField(
            model_name="searchkey",
            name="sort",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="並び順（現在の氏名フリガナ）"),
        ),
        migrations.RunPython(fill_sort, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="searchkey",
            index=models.Index(fields=["kind", "living", "key", "addressee_number", "sort"],
                               name="searchkey_living_cover"),
        ),
    ]
