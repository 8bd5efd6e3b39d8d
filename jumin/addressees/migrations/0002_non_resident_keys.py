"""Search keys of 住登外者 (the candidate search of 共通機能 §2.3.2), built for the records already held. On
PostgreSQL the key uses the "C" collation (a prefix is an index range whatever the server's locale) and a
trigram index serves 部分一致, as search.0002 does for the register's keys."""

from django.db import migrations, models

KEY_ITEMS = ("name", "name_alphabet", "name_kana", "alias", "alias_kana", "address", "address_supplement",
             "foreign_address")


def build_keys(apps, schema_editor):
    from jumin.search.actions import Folder

    History = apps.get_model("addressees", "NonResidentHistory")
    Key = apps.get_model("addressees", "NonResidentKey")
    folder, keys = Folder(), set()
    for values in History.objects.values("addressee_number", *KEY_ITEMS).iterator(chunk_size=5000):
        if values["foreign_address"]:
            values["address"] = values["foreign_address"]
        keys |= {(values["addressee_number"], kind, key) for kind, key in folder.keys(values)}
    Key.objects.bulk_create([Key(addressee_number=n, kind=k, key=v) for n, k, v in sorted(keys)], batch_size=5000)


def postgresql_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('ALTER TABLE addressees_nonresidentkey ALTER COLUMN "key" TYPE varchar(200) COLLATE "C"')
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            cursor.execute('CREATE INDEX IF NOT EXISTS non_resident_key_trgm ON addressees_nonresidentkey '
                           'USING gin ("key" gin_trgm_ops)')


def drop_trgm(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS non_resident_key_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('addressees', '0001_initial'),
        ('search', '0002_postgresql_adapter'),
    ]

    operations = [
        migrations.CreateModel(
            name='NonResidentKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('addressee_number', models.CharField(max_length=10, verbose_name='宛名番号')),
                ('kind', models.CharField(max_length=16, verbose_name='種類')),
                ('key', models.CharField(max_length=200, verbose_name='検索キー')),
            ],
            options={
                'verbose_name': '住登外者の検索キー',
                'indexes': [models.Index(fields=['kind', 'key', 'addressee_number'], name='non_resident_key_range')],
                'constraints': [models.UniqueConstraint(fields=('addressee_number', 'kind', 'key'), name='non_resident_key_unique')],
            },
        ),
        migrations.RunPython(postgresql_keys, drop_trgm),
        migrations.RunPython(build_keys, migrations.RunPython.noop),
    ]
