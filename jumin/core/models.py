"""Per-municipality configuration and counters.

A deployment may serve several municipalities, isolated by database (design.md "Municipalities").
Each municipality's database holds exactly one Municipality row; code reads it per call through
`current_municipality()` and never keeps it in a module-level variable.
"""

import uuid

from django.db import models, transaction

from jumin.core.check_digits import next_addressee_number


class Municipality(models.Model):
    code = models.CharField("全国地方公共団体コード", max_length=6)
    name = models.CharField("団体名", max_length=50)
    prefecture = models.CharField("都道府県名", max_length=10)
    draft_required = models.BooleanField(
        "仮登録を経る", default=True,
        help_text="有効: 異動は仮登録され、承認者の本登録で確定する。無効: 入力と同時に本登録（一段階）。",
    )
    self_approval_allowed = models.BooleanField(
        "自己決裁を許可", default=False, help_text="無効: 仮登録した本人はその異動を本登録できない。",
    )
    resident_code_alert_below = models.PositiveIntegerField(
        "住民票コードの在庫の警告（残りがこの数を下回ると知らせる）", default=50,
        help_text="住民票コードの在庫の残りがこの数を下回ると、付番した異動の結果と在庫の表示で知らせる（標準仕様 §4.3）。",
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Which database this is (issue #16): an extraction's snapshot point is "<instance_id>:<seq>", so a point
    # taken from another municipality's database, or from a copy restored elsewhere, is recognised and refused.
    instance_id = models.UUIDField("データベース識別子", default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = "団体設定"

    def __str__(self) -> str:
        return f"{self.prefecture}{self.name}（{self.code}）"


def current_municipality() -> Municipality:
    """The municipality of the database in use. Created with safe defaults on first use."""
    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None:
        municipality = Municipality.objects.create(code="000000", name="未設定市", prefecture="未設定県")
    return municipality


class NumberSequence(models.Model):
    """Last issued body of a numbered series (宛名番号, 世帯番号), standard-spec §2.6 / §7.3."""

    name = models.CharField("系列名", max_length=30, unique=True)
    last_body = models.BigIntegerField("最終本体番号", default=0)

    class Meta:
        verbose_name = "採番"


ADDRESSEE = "addressee_number"
HOUSEHOLD = "household_number"
INTEGRATED = "integrated_number"      # 団体内統合宛名番号 (共通機能 §2.4): its own series, 15 digits


def issue_number(series: str, length: int = 10) -> str:
    """Next M11 number of a series. Must run inside the caller's transaction: the row lock makes
    two clerks never receive the same number, and a rolled-back change gives its number back."""
    assert transaction.get_connection().in_atomic_block, "issue_number needs a transaction"
    seq, _ = NumberSequence.objects.select_for_update().get_or_create(name=series)
    seq.last_body, number = next_addressee_number(seq.last_body, length)
    seq.save(update_fields=["last_body"])
    return number


def advance_sequence(series: str, count: int) -> int:
    """Move a plain counter (a NumberSequence row without check digits: the change journal, the linkage feed) on by
    `count` and return its new last value, in one statement (UPDATE … RETURNING, both databases). The row stays
    locked until the caller's transaction ends, so the numbers follow commit order with no gap."""
    from django.db import connection

    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    sql = f"UPDATE {table} SET last_body = last_body + %s WHERE name = %s RETURNING last_body"
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, series])
        row = cursor.fetchone()
        if row is None:   # the counter's first use (or a database whose row was removed): create it, then take
            NumberSequence.objects.get_or_create(name=series)
            cursor.execute(sql, [count, series])
            row = cursor.fetchone()
    return int(row[0])


class Journal(models.Model):
    """The change journal (issue #16, platform design §2): one row per entity key an action changed, numbered
    gap-free in commit order by `jumin.core.journal.record`. A snapshot sees a prefix of it, so "what changed
    after point P" is `seq > P`. Rows are only inserted; the journal is read by incremental extraction."""

    seq = models.BigIntegerField("通番", primary_key=True)
    entity = models.CharField("データ", max_length=40)
    key = models.CharField("キー", max_length=100)
    at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "変更ジャーナル"
        indexes = [models.Index(fields=["entity", "seq"], name="journal_entity_seq")]
