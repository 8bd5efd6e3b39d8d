"""Drop the index on (kind, key): every key query now names `living` as an equality (`living IN (…)`), so
searchkey_living_cover (kind, living, key, 宛名番号, sort) serves each of them from the index alone. With both
indexes PostgreSQL, which estimates one row for any key range, chose by size, and after an ANALYZE read the
table through this one: kana prefix p95 31.9 → 64 ms at Sendai scale (docs/performance.md, "Search")."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0006_rebuild_keys_for_the_sai_equivalence"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="searchkey", name="searchkey_kind_key"),
    ]
