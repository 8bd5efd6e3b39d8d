"""支援措置 (DV等支援措置, standard-spec §2.9) and 抑止 (§8.1). Nothing here is ever deleted: orders and
restrictions are ended (status / ended_on), and every change to an order leaves a ProtectionHistory row."""

from django.conf import settings
from django.db import models as M
from django.utils import timezone

from jumin.core.dictionary import PROTECTION, Entity
from jumin.core.items import item
from jumin.restrictions import rules

DV, STALKER, CHILD_ABUSE, OTHER = "dv", "stalker", "child_abuse", "other"
KIND_CHOICES = [(DV, "DV"), (STALKER, "ストーカー"), (CHILD_ABUSE, "児童虐待"), (OTHER, "その他")]
ACTIVE, ENDED = "active", "ended"
STATUS_CHOICES = [(ACTIVE, "支援中"), (ENDED, "終了")]

CHANGE, ISSUE, VIEW = "change", "issue", "view"
OPERATION_CHOICES = [(CHANGE, "異動"), (ISSUE, "発行"), (VIEW, "照会")]
LEVEL_CHOICES = [(rules.ERROR, "エラー"), (rules.ALERT, "アラート")]


class ProtectionOrder(M.Model):
    """One 支援措置: the 申出者 (protected person), period, affected operations, transfer information."""

    jumin_entity = Entity(code="protections", ja="支援措置", key=("id",), permission="manage_protection",
                          protected_rows="addressee_number", sensitivity=PROTECTION,
                          retention="削除しない（終了後も保存: jumin の方針。支援措置の経緯は再申出・照会への回答に要る）")

    addressee_number = M.CharField("申出者の宛名番号", max_length=10, db_index=True)
    applicant_name = M.CharField("申出者の氏名", max_length=100, blank=True)
    applicant_name_kana = M.CharField("申出者のフリガナ", max_length=100, blank=True)
    applicant_alias = M.CharField("申出者の通称", max_length=100, blank=True)
    applicant_previous_address = M.CharField("前住所等", max_length=200, blank=True)
    applicant_phone = M.CharField("連絡先（電話）", max_length=30, blank=True)
    applicant_mobile = M.CharField("連絡先（携帯）", max_length=30, blank=True)
    applicant_email = M.CharField("連絡先（メール）", max_length=254, blank=True)
    kind = M.CharField("種別", max_length=20, choices=KIND_CHOICES)
    provisional = M.BooleanField("仮支援措置", default=False)
    provisional_municipality = M.CharField("当初受付市区町村", max_length=100, blank=True)
    starts_on = M.DateField("支援措置期間（開始）")
    ends_on = M.DateField("支援措置期間（終了）")
    inspection = M.BooleanField("対象事務：閲覧", default=True)
    copies = M.BooleanField("対象事務：住民票の写し等", default=True)
    family_register_annex = M.BooleanField("対象事務：戸籍の附票の写し等", default=True)
    transfer_to = M.CharField("転送先", max_length=200, blank=True)
    transferred_on = M.DateField("転送年月日", null=True, blank=True)
    note = M.TextField("備考", blank=True)
    status = M.CharField("状態", max_length=10, choices=STATUS_CHOICES, default=ACTIVE, db_index=True)
    ended_on = M.DateField("終了処理日", null=True, blank=True)
    ended_reason = M.CharField("終了理由", max_length=500, blank=True)
    created_at = M.DateTimeField("登録日時", default=timezone.now)
    version = M.PositiveIntegerField("版", default=1)

    class Meta:
        verbose_name = "支援措置"


class ProtectedPerson(M.Model):
    """併せて支援措置を求める者."""

    order = M.ForeignKey(ProtectionOrder, on_delete=M.PROTECT, related_name="protected_persons")
    addressee_number = M.CharField("宛名番号", max_length=10, db_index=True)
    name = M.CharField("氏名", max_length=100, blank=True)
    relationship = M.CharField("申出者との関係", max_length=50, blank=True)

    class Meta:
        verbose_name = "併せて支援措置を求める者"


class Offender(M.Model):
    """加害者. name_key / kana_key are the search folds of the name, so a request can be matched in SQL."""

    order = M.ForeignKey(ProtectionOrder, on_delete=M.PROTECT, related_name="offenders")
    name = M.CharField("氏名", max_length=100)
    name_kana = M.CharField("フリガナ", max_length=100, blank=True)
    name_key = M.CharField("氏名検索キー", max_length=200, blank=True, db_index=True)
    kana_key = M.CharField("フリガナ検索キー", max_length=200, blank=True, db_index=True)
    birth_date = M.DateField("生年月日", null=True, blank=True)
    sex = M.CharField("性別", max_length=1, blank=True)
    address = M.CharField("住所", max_length=200, blank=True)
    addressee_number = M.CharField("宛名番号", max_length=10, blank=True, db_index=True)
    note = M.TextField("備考", blank=True)

    class Meta:
        verbose_name = "加害者"


class ProtectionHistory(M.Model):
    """Every change to an order, with a full snapshot of it afterwards. Only ever inserted."""

    order = M.ForeignKey(ProtectionOrder, on_delete=M.PROTECT, related_name="history")
    at = M.DateTimeField("日時", default=timezone.now)
    user = M.ForeignKey(settings.AUTH_USER_MODEL, on_delete=M.PROTECT, null=True, related_name="+")
    action = M.CharField("処理", max_length=30)
    snapshot = M.JSONField("内容", default=dict)

    class Meta:
        verbose_name = "支援措置の履歴"


class Restriction(M.Model):
    """抑止: one operation on one person (宛名番号) or one household (世帯番号). Several may apply at once."""

    jumin_entity = Entity(code="restrictions", ja="抑止", key=("id",), permission="manage_restriction",
                          protected_rows="addressee_number",
                          retention="削除しない（解除後も保存: jumin の方針）")

    addressee_number = M.CharField("宛名番号", max_length=10, blank=True, db_index=True)
    household_number = M.CharField("世帯番号", max_length=10, blank=True, db_index=True)
    operation = M.CharField("対象業務", max_length=10, choices=OPERATION_CHOICES)
    level = M.CharField("レベル", max_length=10, choices=LEVEL_CHOICES)
    starts_on = M.DateField("開始日")
    ends_on = M.DateField("終了予定日", null=True, blank=True)
    reason = M.CharField("理由", max_length=500)
    # The 支援措置 an 抑止 belongs to says the person is protected: 支援措置-class.
    order = item(M.ForeignKey(ProtectionOrder, on_delete=M.PROTECT, null=True, blank=True, related_name="restrictions"),
                 ja="支援措置ID", sensitivity=PROTECTION)
    created_by = item(M.ForeignKey(settings.AUTH_USER_MODEL, on_delete=M.PROTECT, related_name="+"), ja="登録者")
    created_at = M.DateTimeField("登録日時", default=timezone.now)
    released_until = M.DateTimeField("一時解除の期限", null=True, blank=True)
    released_by = item(M.ForeignKey(settings.AUTH_USER_MODEL, on_delete=M.PROTECT, null=True, blank=True,
                                    related_name="+"), ja="一時解除した職員")
    ended_on = M.DateField("解除日", null=True, blank=True)
    ended_by = item(M.ForeignKey(settings.AUTH_USER_MODEL, on_delete=M.PROTECT, null=True, blank=True,
                                 related_name="+"), ja="解除した職員")
    ended_reason = M.CharField("解除理由", max_length=500, blank=True)
    version = M.PositiveIntegerField("版", default=1)

    class Meta:
        verbose_name = "抑止"
        constraints = [M.CheckConstraint(
            condition=(M.Q(addressee_number="") & ~M.Q(household_number="")) | (~M.Q(addressee_number="") & M.Q(household_number="")),
            name="restriction_person_xor_household")]
