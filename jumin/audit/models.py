"""The operation log (操作ログ, standard-spec §6.1 アクセスログ).

Every read and write of a person's data leaves one row per 宛名番号: who, when, from which terminal,
which function, whether 個人番号 was shown, and the outcome. Rows are only ever inserted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jumin.core.dictionary import LOG, Entity

OK = "ok"
REFUSED = "refused"
OUTCOME_CHOICES = [(OK, "正常"), (REFUSED, "拒否")]


class OperationLog(models.Model):
    jumin_entity = Entity(code="operation_log", ja="操作ログ", key=("id",), permission="view_operation_log",
                          protected_rows="addressee_number", sensitivity=LOG,
                          retention="7年（市区町村の判断による既定値: 住民記録 §10.2 は市区町村が定める期間とする）")

    at = models.DateTimeField("日時", default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="利用者")
    username = models.CharField("利用者ID", max_length=150)
    role = models.CharField("役割", max_length=20, blank=True)
    terminal = models.CharField("端末", max_length=50, blank=True)
    function = models.CharField("機能", max_length=50, db_index=True)
    addressee_number = models.CharField("宛名番号", max_length=10, blank=True, db_index=True)
    outcome = models.CharField("結果", max_length=10, choices=OUTCOME_CHOICES, default=OK)
    individual_number_shown = models.BooleanField("個人番号の表示", default=False)
    change_id = models.BigIntegerField("異動ID", null=True, blank=True)
    reason = models.CharField("理由・メッセージ", max_length=500, blank=True)
    detail = models.JSONField("詳細", default=dict, blank=True)

    class Meta:
        verbose_name = "操作ログ"
        indexes = [models.Index(fields=["username", "at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("操作ログは変更できません。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("操作ログは削除できません。")
