from django.db import migrations, models


class Migration(migrations.Migration):
    """The 戸籍届出通知 table becomes the table of every notice read from another system (戸籍届出通知 and 転出証明書情報),
    its rows kept: a rename, not a new table."""

    dependencies = [("linkage", "0010_move_in_notices_koseki_closed")]

    operations = [
        migrations.RenameModel("KosekiNotice", "InboundNotice"),
        migrations.AlterModelOptions(name="inboundnotice", options={"verbose_name": "受信した通知"}),
        migrations.AddField(
            model_name="inboundnotice", name="source_kind",
            field=models.CharField("通知の種類", max_length=10, default="koseki",
                                   choices=[("koseki", "戸籍届出通知"), ("move_out", "転出証明書情報（特例転入）")]),
        ),
    ]
