"""The linkage outbox (issue #18 item 1; 住民記録 §7 宛名連携, 共通機能 §2.2): one event per person per approved change,
written in the change's own transaction, numbered gap-free per municipality, so a consumer can read "everything
after N" and know it missed nothing; and the consuming systems (連携先) as data (item 2)."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

M = models


class LinkageEvent(models.Model):
    """One person's change as the linkage feed gives it: the 異動事由, the numbers, the dates, the operator and the
    items before and after by the data dictionary's item names. Only inserted, never updated."""

    jumin_internal = ("連携イベント（住民票の履歴から作る配信用の写し。連携先ごとに項目を絞って配信する。"
                      "抽出は住民票・履歴・異動の各データで行う）")

    municipality = M.CharField("団体コード", max_length=6)
    seq = M.BigIntegerField("通番")
    change_id = M.BigIntegerField("異動ID")
    change_kind = M.CharField("異動の種類", max_length=40)
    reason_code = M.CharField("異動事由", max_length=40)
    addressee_number = M.CharField("宛名番号", max_length=10)
    household_number = M.CharField("世帯番号", max_length=10, blank=True, default="")
    history_number = M.PositiveIntegerField("履歴番号")
    effective_on = M.DateField("異動年月日", null=True, blank=True)
    effective_on_text = M.CharField("異動年月日（不詳日等の表記）", max_length=60, blank=True, default="")
    recorded_at = M.DateTimeField("記録日時")
    operator = M.CharField("操作者", max_length=150)
    before = M.JSONField("変更前の項目", null=True, blank=True, encoder=DjangoJSONEncoder)
    after = M.JSONField("変更後の項目", encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "連携イベント"
        constraints = [M.UniqueConstraint(fields=["municipality", "seq"], name="linkage_event_seq")]
        indexes = [M.Index(fields=["addressee_number", "seq"], name="linkage_event_person")]

    def __str__(self) -> str:
        return f"{self.municipality}#{self.seq}"


class LinkageClient(models.Model):
    """A consuming system (連携先, issue #18 item 2): its 業務ID, the items it may receive (the data dictionary's
    names), whether it gets 除票 and 支援措置 persons, how it is delivered to, and its credentials — the secret is
    printed once and only its SHA-256 is kept."""

    jumin_internal = "連携先の設定（認証情報を含む。運用の設定）"

    client_id = M.CharField("クライアントID", max_length=40, unique=True)
    business = M.CharField("業務ID", max_length=3)
    name = M.CharField("名称", max_length=100)
    items = M.JSONField("受け取る項目", default=list)
    receives_removed = M.BooleanField("除票を受け取る", default=False)
    receives_protected = M.BooleanField("支援措置対象者を受け取る（項目を伏せた印で）", default=False)
    methods = M.JSONField("連携方式", default=list)
    directory = M.CharField("ファイルの置き場所", max_length=500, blank=True, default="")
    secret_hash = M.CharField("クライアントシークレット（SHA-256）", max_length=64)
    created_at = M.DateTimeField("登録日時")
    created_by = M.CharField("登録した職員", max_length=150)
    revoked_at = M.DateTimeField("失効日時", null=True, blank=True)

    class Meta:
        verbose_name = "連携先"

    def __str__(self) -> str:
        return f"{self.client_id} {self.name}"
