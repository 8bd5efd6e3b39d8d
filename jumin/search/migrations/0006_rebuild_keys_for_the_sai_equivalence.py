"""Rebuild the name keys that hold 斉: the search now folds 斉 to 斎 (issue #3 lists 齋/齊 → 斎; see
jumin.search.variants.SEARCH_EQUIVALENTS). Only the persons with such a key are rebuilt, from their records
and snapshots, as the change actions do; above 200,000 persons the operator is told to run
`jumin reindex_search` instead (a rebuild of that size belongs to the bulk path)."""

from django.db import migrations

NAME_KINDS = ("name", "name_given", "former_surname", "alias")
LIMIT = 200_000


def rebuild(apps, schema_editor):
    SearchKey = apps.get_model("search", "SearchKey")
    numbers = set(SearchKey.objects.filter(kind__in=NAME_KINDS, key__contains="斉")
                  .values_list("addressee_number", flat=True).distinct())
    if not numbers:
        return
    if len(numbers) > LIMIT:
        print(f"\n  検索キーに「斉」を含む {len(numbers):,} 人の検索キーは作り直していません。"
              "`jumin reindex_search` を実行してください。")
        return
    from jumin.search.actions import index_people  # the current folding, as the change actions use it

    index_people(numbers)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_sort_key_and_covering_index"),
        ("register", "0002_search_indexes"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
