"""The change journal and the database's identity (issue #16, platform design §2)."""

import uuid

from django.db import migrations, models


def create_counter(apps, schema_editor):
    """The journal's counter row exists from the start, so the first two actions never race to create it."""
    apps.get_model("core", "NumberSequence").objects.get_or_create(name="journal")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="instance_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name="データベース識別子"),
        ),
        migrations.CreateModel(
            name="Journal",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False, verbose_name="通番")),
                ("entity", models.CharField(max_length=40, verbose_name="データ")),
                ("key", models.CharField(max_length=100, verbose_name="キー")),
                ("at", models.DateTimeField(verbose_name="記録日時")),
            ],
            options={
                "verbose_name": "変更ジャーナル",
                "indexes": [models.Index(fields=["entity", "seq"], name="journal_entity_seq")],
            },
        ),
        migrations.RunPython(create_counter, migrations.RunPython.noop),
    ]
