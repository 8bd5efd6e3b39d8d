"""住登外者 (共通機能 §2.3): the current record and one full snapshot per change, as the register keeps its residents
— never overwritten, readable as of any day. The 宛名番号 comes from the register's own series (core.models
`issue_number(ADDRESSEE)`), so a 住登外 number never equals a resident's and a person who moves in can keep it.

The items follow the consumer schema a shipping package keeps (common-functions.md §2.2): 住登外者種別 and 状態,
氏名 (漢字 as typed with IVS, フリガナ, アルファベット, 通称), 生年月日 (不詳 forms), 性別, a domestic address with its
codes or one abroad with its country, 個人番号 (restricted), the 業務 that registered the person and those that may
refer to them (参照業務, 他業務参照不可), and 名寄せ先 for a merged number.
"""

from __future__ import annotations

from django.db import models

from jumin.accounts import rules as perms
from jumin.addressees import rules
from jumin.core.dictionary import Entity
from jumin.core.items import item
from jumin.register import choices as c

M = models


def _text(ja, length, **kw):
    return item(M.CharField(ja, max_length=length, blank=True, default=""), **kw)


class NonResidentItems(models.Model):
    """Every item of one 住登外者 record (current and snapshot alike)."""

    addressee_number = item(M.CharField("宛名番号", max_length=10), spec="共通機能 §2.3", basic="宛名番号")
    kind = item(M.CharField("住登外者種別", max_length=10, choices=rules.KIND_CHOICES), basic="住登外者種別")
    state = item(M.CharField("住登外者状態", max_length=10, choices=rules.STATE_CHOICES, default=rules.IN_USE),
                 basic="住登外者状態")
    name = item(M.CharField("氏名", max_length=200), basic="氏名")
    name_kana = _text("氏名フリガナ", 200, basic="氏名_フリガナ")
    name_alphabet = _text("氏名（アルファベット）", 200, basic="氏名_外国人ローマ字")
    alias = _text("通称", 200, basic="通称")
    alias_kana = _text("通称フリガナ", 200, basic="通称_フリガナ")
    birth_date = item(M.DateField("生年月日", null=True, blank=True), basic="生年月日")
    birth_date_text = _text("生年月日（不詳日等の表記）", 60, basic="生年月日_不詳表記")
    sex = item(M.CharField("性別", max_length=1, choices=c.SEX_CHOICES), basic="性別")
    address_kind = item(M.CharField("住所の区分", max_length=10, choices=rules.ADDRESS_KIND_CHOICES,
                                    default=rules.DOMESTIC))
    postcode = _text("郵便番号", 7, basic="郵便番号")
    municipality_code = _text("住所_市区町村コード", 6, basic="住所_市区町村コード")
    town_code = _text("住所_町字コード", 7, basic="住所_町字コード")
    address = _text("住所", 200, basic="住所_町字")
    address_supplement = _text("方書", 200, basic="住所_方書")
    country_code = _text("国名コード", 3, basic="国名コード")
    country_name = _text("国名等", 200, basic="国名等")
    foreign_address = _text("国外住所", 300, basic="国外住所")
    individual_number = _text("個人番号", 12, restricted=True, basic="個人番号")
    business = item(M.CharField("登録業務", max_length=3), ja="登録した業務の業務ID", basic="登録部署")
    referring_businesses = item(M.JSONField("参照業務", default=list, blank=True), basic="住登外者参照業務_業務ID")
    other_business_hidden = item(M.BooleanField("他業務参照不可", default=False), basic="他業務参照不可フラグ")
    contact = _text("連絡先", 100)
    notified_on = item(M.DateField("届出年月日", null=True, blank=True), basic="異動届出年月日")
    merged_into = _text("名寄せ先宛名番号", 10, basic="名寄せ先宛名番号")

    class Meta:
        abstract = True


class NonResident(NonResidentItems):
    """The current record of one 住登外者 (the projection of its latest snapshot)."""

    jumin_entity = Entity(code="non_residents", ja="住登外者", key=("addressee_number",),
                          permission=perms.VIEW_NON_RESIDENT, protected_rows="addressee_number",
                          retention="使用停止・名寄せ後も保存（宛名番号は再使用しない）")

    history_number = M.PositiveIntegerField("履歴番号", default=1)
    version = M.PositiveIntegerField("版", default=1)
    registered_at = M.DateTimeField("登録日時")
    updated_at = M.DateTimeField("更新日時")

    class Meta:
        verbose_name = "住登外者"
        constraints = [M.UniqueConstraint(fields=["addressee_number"], name="non_resident_number_unique")]
        indexes = [
            M.Index(fields=["individual_number"], name="non_resident_individual"),
            M.Index(fields=["birth_date", "sex"], name="non_resident_birth_sex"),
        ]

    def __str__(self) -> str:
        return f"{self.addressee_number} {self.name}"


class NonResidentHistory(NonResidentItems):
    """One full snapshot per change of a 住登外者 (履歴番号 1, 2, …), never updated or deleted."""

    jumin_entity = Entity(code="non_resident_history", ja="住登外者の履歴", key=("addressee_number", "history_number"),
                          permission=perms.VIEW_NON_RESIDENT, protected_rows="addressee_number",
                          retention="住登外者と同じ（削除しない）")

    history_number = M.PositiveIntegerField("履歴番号")
    reason_code = M.CharField("事由", max_length=30, choices=rules.REASON_CHOICES)
    effective_on = M.DateField("異動年月日")
    reason = M.CharField("理由・備考", max_length=200, blank=True, default="")
    recorded_at = M.DateTimeField("記録日時")
    recorded_by = M.CharField("記録した職員", max_length=150)

    class Meta:
        verbose_name = "住登外者の履歴"
        constraints = [M.UniqueConstraint(fields=["addressee_number", "history_number"],
                                          name="non_resident_history_key")]

    def __str__(self) -> str:
        return f"{self.addressee_number}#{self.history_number}"


class NonResidentKey(models.Model):
    """Search keys of 住登外者: the folded forms of every name, kana and address a 住登外者 has had, folded by the
    register's own rules (search.actions.Folder), so the candidate search of 共通機能 §2.3.2 finds ﾔﾏﾀﾞ ﾀﾛｳ and 髙橋
    here as the counter's search does among residents. A table of its own, not rows of search.SearchKey: the
    counter's fast paths read that index alone and must not meet persons who are not in the register.
    Kept in step by this app's actions, in the same transaction as the change."""

    jumin_internal = "住登外者の検索キー（氏名・住所の検索用の写し。住登外者の記録から再計算できる）"

    addressee_number = M.CharField("宛名番号", max_length=10)
    kind = M.CharField("種類", max_length=16)
    key = M.CharField("検索キー", max_length=200)

    class Meta:
        verbose_name = "住登外者の検索キー"
        constraints = [M.UniqueConstraint(fields=["addressee_number", "kind", "key"], name="non_resident_key_unique")]
        indexes = [M.Index(fields=["kind", "key", "addressee_number"], name="non_resident_key_range")]


class MergeProposal(models.Model):
    """名寄せ (issue #17 item 4): a clerk proposes that a 住登外 record is the same person as another 住登外 record or
    as a resident (or 除票); an approver decides. Approved, the source is marked 名寄せ済 with the surviving number;
    undone, it is restored exactly. Never deleted: the row is the merge's own history."""

    jumin_entity = Entity(code="non_resident_merges", ja="名寄せ", key=("id",), permission=perms.VIEW_NON_RESIDENT,
                          protected_rows="source_number", retention="削除しない（名寄せ・解除の記録）")

    source_number = M.CharField("名寄せ元宛名番号", max_length=10)
    target_number = item(M.CharField("名寄せ先宛名番号", max_length=10), basic="名寄せ先宛名番号")
    target_kind = M.CharField("名寄せ先の種類", max_length=20, choices=rules.TARGET_CHOICES)
    status = M.CharField("状態", max_length=20, choices=rules.MERGE_STATUS_CHOICES, default=rules.PROPOSED)
    reason = M.CharField("提案の理由", max_length=200)
    proposed_by = M.CharField("提案した職員", max_length=150)
    proposed_at = M.DateTimeField("提案日時")
    decided_by = M.CharField("決定した職員", max_length=150, blank=True, default="")
    decided_at = M.DateTimeField("決定日時", null=True, blank=True)
    decision_reason = M.CharField("決定・解除の理由", max_length=200, blank=True, default="")
    source_state = M.CharField("名寄せ前の状態", max_length=10, blank=True, default="")
    version = M.PositiveIntegerField("版", default=1)

    class Meta:
        verbose_name = "名寄せ"
        indexes = [M.Index(fields=["source_number", "status"], name="merge_source_status"),
                   M.Index(fields=["status", "proposed_at"], name="merge_status_at")]

    def __str__(self) -> str:
        return f"{self.source_number}→{self.target_number}"


class IntegratedAddressee(models.Model):
    """団体内統合宛名 (共通機能 §2.4): one 団体内統合宛名番号 per 個人番号, linked to the person's 宛名番号 (a resident's
    or a 住登外者's), with the 基本4情報 sent to the 中間サーバー (the 副本 registration file, `jumin integrated export`).
    Issued only when no record with that 個人番号 exists (0320004 検索 → 0320002 付番)."""

    jumin_entity = Entity(code="integrated_addressees", ja="団体内統合宛名", key=("integrated_number",),
                          permission=perms.INTEGRATED_NUMBER, protected_rows="addressee_number",
                          retention="削除しない（番号は再使用しない）")

    integrated_number = item(M.CharField("団体内統合宛名番号", max_length=15), basic="団体内統合宛名番号",
                             spec="共通機能 §2.4")
    individual_number = item(M.CharField("個人番号", max_length=12), restricted=True, basic="個人番号")
    addressee_number = item(M.CharField("宛名番号", max_length=10), basic="宛名番号")
    population = M.CharField("宛名の区分", max_length=20, choices=rules.TARGET_CHOICES)
    name = item(M.CharField("氏名", max_length=200), basic="氏名")
    name_kana = _text("氏名フリガナ", 200, basic="氏名_フリガナ")
    birth_date = item(M.DateField("生年月日", null=True, blank=True), basic="生年月日")
    birth_date_text = _text("生年月日（不詳日等の表記）", 60, basic="生年月日_不詳表記")
    sex = item(M.CharField("性別", max_length=1, choices=c.SEX_CHOICES), basic="性別")
    address = _text("住所", 300, basic="住所_町字")
    business = M.CharField("付番を依頼した業務", max_length=3)
    assigned_at = M.DateTimeField("付番日時")
    assigned_by = M.CharField("付番した職員", max_length=150)

    class Meta:
        verbose_name = "団体内統合宛名"
        constraints = [M.UniqueConstraint(fields=["integrated_number"], name="integrated_number_unique"),
                       M.UniqueConstraint(fields=["individual_number"], name="integrated_individual_unique")]
        indexes = [M.Index(fields=["addressee_number"], name="integrated_addressee")]

    def __str__(self) -> str:
        return self.integrated_number
