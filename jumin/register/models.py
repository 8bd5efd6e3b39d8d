"""The register: current records, full history snapshots, households and changes.

History follows the standard spec (standard-spec §2.8): one full snapshot row per person per change,
keyed by (宛名番号, 履歴番号), never overwritten; corrections and cancellations append. `Resident` is
the projection of each person's latest snapshot, kept in step by the actions in the same transaction.
Every item carries its Japanese name, standard item name and code table (jumin.core.items.item).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jumin.core.dictionary import DOMICILE, INDIVIDUAL_NUMBER, Entity
from jumin.core.items import item
from jumin.register import choices as c

M = models


def _date(ja, **kw):
    return item(M.DateField(ja, null=True, blank=True), **kw)


def _text(ja, length, **kw):
    return item(M.CharField(ja, max_length=length, blank=True, default=""), **kw)


def _flag(ja, **kw):
    return item(M.BooleanField(ja, default=False), **kw)


class RecordItems(models.Model):
    """Every item of one 住民票 (standard-spec §2.1 日本人住民, §2.2 外国人住民)."""

    # identity
    addressee_number = item(M.CharField("宛名番号", max_length=10), spec="§2.6", basic="宛名番号")
    household_number = item(M.CharField("世帯番号", max_length=10), spec="§2.6", basic="世帯番号")
    resident_type = item(M.CharField("住民種別", max_length=10, choices=c.RESIDENT_TYPE_CHOICES), basic="住民種別")
    status = item(M.CharField("住民状態", max_length=10, choices=c.STATUS_CHOICES, default=c.RESIDENT),
                  basic="住民状態")
    individual_number = _text("個人番号", 12, restricted=True, spec="§7.1", basic="個人番号")
    resident_code = _text("住民票コード", 11, spec="§7.2")

    # names
    name = item(M.CharField("氏名", max_length=200), spec="§2.1", basic="氏名")
    name_kana = _text("氏名フリガナ", 200, basic="氏名_フリガナ")
    name_kana_confirmed = _flag("氏名フリガナ確認フラグ")
    name_alphabet = _text("氏名（アルファベット）", 200, spec="§2.2", basic="氏名_外国人ローマ字")
    former_surname = _text("旧氏", 100, basic="旧氏")
    former_surname_kana = _text("旧氏フリガナ", 100, basic="旧氏_フリガナ")
    former_surname_kana_confirmed = _flag("旧氏フリガナ確認フラグ")
    alias = _text("通称", 200, spec="§2.2", basic="通称")
    alias_kana = _text("通称フリガナ", 200, basic="通称_フリガナ")
    alias_kana_confirmed = _flag("通称フリガナ確認フラグ")
    alias_recorded_on = _date("通称を記載した年月日")
    alias_recorded_municipality = _text("通称を記載した市区町村", 50)
    alias_deleted_on = _date("通称を削除した年月日")
    alias_deleted_municipality = _text("通称を削除した市区町村", 50)
    name_priority = item(M.CharField("氏名優先区分", max_length=10, choices=c.NAME_PRIORITY_CHOICES, default="name"),
                         basic="氏名優先区分")

    # birth and sex
    birth_date = _date("生年月日", spec="§2.4", basic="生年月日")
    birth_date_text = _text("生年月日（不詳日等の表記）", 60, spec="§2.4", basic="生年月日_不詳表記")
    sex = item(M.CharField("性別", max_length=1, choices=c.SEX_CHOICES), basic="性別")

    # household
    head_name = _text("世帯主の氏名", 200)
    relationship = item(M.CharField("続柄", max_length=40), spec="§2.5", basic="続柄表記")
    household_order = item(M.PositiveIntegerField("世帯員の並び順", default=1), spec="§4.3")

    # domicile (日本人)
    domicile_status = item(M.CharField("本籍の記載区分", max_length=10, choices=c.DOMICILE_STATUS_CHOICES,
                                       blank=True, default=""), spec="§2.3", sensitivity=DOMICILE)
    domicile = _text("本籍", 200, sensitivity=DOMICILE)
    domicile_head = _text("筆頭者", 200, sensitivity=DOMICILE)

    # address
    became_resident_on = _date("住民となった年月日", spec="§2.4", basic="住民となった年月日")
    became_resident_on_text = _text("住民となった年月日（不詳日等の表記）", 60, basic="住民となった年月日_不詳表記")
    address_since = _date("住所を定めた年月日", spec="§2.4")
    address_since_text = _text("住所を定めた年月日（不詳日等の表記）", 60)
    notified_on = _date("届出の年月日", basic="異動届出年月日")
    postcode = _text("住所の郵便番号", 7, basic="住所_郵便番号")
    address_code = _text("住所コード", 11, spec="§2.7")
    address = item(M.CharField("住所", max_length=200))
    address_supplement = _text("方書", 200, basic="住所_方書")
    previous_address = _text("転入前住所", 200)
    previous_address_supplement = _text("転入前住所の方書", 200, basic="転入前住所_方書")
    previous_postcode = _text("転入前住所の郵便番号", 7, basic="転入前住所_郵便番号")
    previous_address_code = _text("転入前住所の住所コード", 11)
    last_registered_address = _text("最終登録住所地", 200)

    # move-out (除票固有)
    destination = _text("転出先住所（予定）", 200)
    destination_supplement = _text("転出先住所（予定）の方書", 200, basic="転出先住所（予定）_方書")
    destination_postcode = _text("転出先住所（予定）の郵便番号", 7, basic="転出先住所（予定）_郵便番号")
    destination_address_code = _text("転出先住所（予定）の住所コード", 11)
    planned_move_out_on = _date("転出予定年月日")
    destination_confirmed = _text("転出先住所（確定）", 200)
    destination_confirmed_supplement = _text("転出先住所（確定）の方書", 200, basic="転出先住所（確定）_方書")
    destination_confirmed_postcode = _text("転出先住所（確定）の郵便番号", 7, basic="転出先住所（確定）_郵便番号")
    destination_confirmed_address_code = _text("転出先住所（確定）の住所コード", 11)
    moved_out_on = _date("転出年月日（確定）")
    move_in_notice_on = _date("転入通知年月日", basic="転入通知年月日")

    # removal (除票)
    removal_reason = item(M.CharField("消除事由", max_length=40, choices=c.REMOVAL_REASON_CHOICES,
                                      blank=True, default=""), spec="§2.1")
    removed_on = _date("消除事由の生じた年月日", basic="消除の異動年月日")
    removed_on_text = _text("消除事由の生じた年月日（不詳日等の表記）", 60, basic="消除の異動年月日_不詳表記")

    # foreign residents (法第30条の45)
    nationality = _text("国籍・地域", 60, spec="§2.2", basic="国籍名等")
    foreign_resident_since = _date("外国人住民となった年月日", basic="外国人住民となった年月日")
    foreign_resident_since_text = _text("外国人住民となった年月日（不詳日等の表記）", 60, basic="外国人住民となった年月日_不詳表記")
    former_alien_registration_on = _date("旧外登法による登録年月日")
    former_alien_registration_on_text = _text("旧外登法による登録年月日（不詳日等の表記）", 60)
    article_30_45 = item(M.CharField("法第30条の45に規定する区分", max_length=20, choices=c.ARTICLE_30_45_CHOICES,
                                     blank=True, default=""), spec="§2.2", basic="第30条45規定区分")
    residence_status = _text("在留資格", 60, basic="在留資格等コード")
    period_of_stay = _text("在留期間", 30)
    period_expires_on = _date("在留期間の満了の日", basic="在留期間の満了の日")
    residence_card_number = _text("在留カードの番号", 12)
    special_permanent_certificate_number = _text("特別永住者証明書の番号", 12)
    landing_period = _text("上陸期間", 30)
    provisional_stay_period = _text("仮滞在期間", 30)
    transitional_reason = item(M.CharField("経過滞在者の事由", max_length=20, choices=c.TRANSITIONAL_REASON_CHOICES,
                                           blank=True, default=""))

    # other 法第7条 items
    electoral_roll = _flag("選挙人名簿への登録")
    nhi_member = _flag("国民健康保険の被保険者")
    nhi_acquired_on = _date("国民健康保険 資格取得年月日")
    nhi_lost_on = _date("国民健康保険 資格喪失年月日")
    late_elderly_member = _flag("後期高齢者医療の被保険者")
    late_elderly_acquired_on = _date("後期高齢者医療 資格取得年月日")
    late_elderly_lost_on = _date("後期高齢者医療 資格喪失年月日")
    long_term_care_member = _flag("介護保険の被保険者")
    long_term_care_acquired_on = _date("介護保険 資格取得年月日")
    long_term_care_lost_on = _date("介護保険 資格喪失年月日")
    pension_member = _flag("国民年金の被保険者")
    basic_pension_number = _text("基礎年金番号", 10)
    pension_category = item(M.CharField("国民年金 種別", max_length=10, choices=c.PENSION_CATEGORY_CHOICES,
                                        blank=True, default=""))
    pension_category_changed_on = _date("国民年金 種別変更年月日")
    pension_acquired_on = _date("国民年金 資格取得年月日")
    pension_lost_on = _date("国民年金 資格喪失年月日")
    child_allowance_start = _text("児童手当 支給開始年月", 6)
    child_allowance_end = _text("児童手当 支給終了年月", 6)
    adult_ward = _flag("成年被後見人")

    class Meta:
        abstract = True

    @property
    def is_resident(self) -> bool:
        return self.status == c.RESIDENT

    @property
    def is_foreign(self) -> bool:
        return self.resident_type == c.FOREIGN


ITEM_FIELDS = [f.name for f in RecordItems._meta.local_fields]


class Household(models.Model):
    """A 世帯. Its members and head are derived from the current records (relationship 世帯主)."""

    jumin_entity = Entity(code="households", ja="世帯", key=("household_number",), permission="view_record",
                          retention="世帯員の住民票と同じ（世帯員の消除から150年: 住民基本台帳法施行令 第34条第1項）")

    household_number = item(M.CharField("世帯番号", max_length=10, unique=True), spec="§2.6", basic="世帯番号")
    version = M.PositiveIntegerField("版", default=1)
    created_at = M.DateTimeField("作成日時", default=timezone.now)

    class Meta:
        verbose_name = "世帯"

    def __str__(self) -> str:
        return self.household_number


class Resident(RecordItems):
    """The current 住民票 (or 除票) of one person: the projection of their latest snapshot."""

    jumin_entity = Entity(code="residents", ja="住民票（現在・除票）", key=("addressee_number",),
                          permission="view_record", protected_rows="addressee_number",
                          retention="永年（除票は消除した日から150年: 住民基本台帳法施行令 第34条第1項、令和元年改正）")

    household = M.ForeignKey(Household, on_delete=M.PROTECT, related_name="members", verbose_name="世帯")
    history_number = M.PositiveIntegerField("最新履歴番号", default=0)
    version = M.PositiveIntegerField("版", default=1)
    updated_at = M.DateTimeField("更新日時", default=timezone.now)

    class Meta:
        verbose_name = "住民票"
        constraints = [M.UniqueConstraint(fields=["addressee_number"], name="resident_addressee_number_unique")]
        indexes = [
            M.Index(fields=["status", "household"], name="resident_status_household"),
            M.Index(fields=["individual_number"], name="resident_individual_number"),
            M.Index(fields=["resident_code"], name="resident_resident_code"),
            M.Index(fields=["residence_card_number"], name="resident_card_number"),
            M.Index(fields=["birth_date", "sex"], name="resident_birth_sex"),
            M.Index(fields=["household_number"], name="resident_household_number"),
            M.Index(fields=["special_permanent_certificate_number"], name="resident_spc_number"),
            M.Index(fields=["address_code"], name="resident_address_code"),
            # EUC's count-by and the statistics over every living resident (by 町丁・行政区, 性別, 年齢, 日本人/外国人,
            # 支援措置 excluded by 宛名番号) read this index alone: an index-only scan of 60 MB instead of the whole
            # table's 2 GB at Sendai scale (docs/performance.md). All five are keys (not INCLUDE, which SQLite lacks).
            M.Index(fields=["address_code", "sex", "birth_date", "resident_type", "addressee_number"],
                    condition=models.Q(status=c.RESIDENT), name="resident_living_counts"),
        ]

    def __str__(self) -> str:
        return f"{self.addressee_number} {self.name}"


class Change(models.Model):
    """One 異動 as the clerk entered it: a draft (仮登録) until approved (本登録)."""

    # Only 本登録 changes are data (a draft is work in progress; a discarded one never happened). Its persons
    # are its subjects (hide_changes in restrictions.queries says which a reader may not see).
    jumin_entity = Entity(code="changes", ja="異動（本登録）", key=("id",), permission="view_record",
                          protected_rows="subjects__addressee_number", where=(("status", c.APPROVED),),
                          retention="住民票履歴と同じ（150年: 履歴の記載の根拠として履歴と一体で保存する。jumin の判断）")

    kind = M.CharField("異動処理", max_length=30, choices=c.CHANGE_KIND_CHOICES)
    status = M.CharField("状態", max_length=10, choices=c.CHANGE_STATUS_CHOICES, default=c.DRAFT)
    effective_on = M.DateField("異動日")
    effective_on_text = M.CharField("異動日（不詳日等の表記）", max_length=60, blank=True, default="")
    notified_on = M.DateField("届出日・申出日・通知日", null=True, blank=True)
    processed_on = M.DateField("処理日", null=True, blank=True)
    ex_officio = M.BooleanField("職権", default=False)
    late_notification = M.BooleanField("届出期間経過", default=False)
    reason = M.CharField("理由（職権記録）", max_length=500, blank=True, default="")
    summary = M.CharField("内容", max_length=500, blank=True, default="")
    params = item(M.JSONField("入力内容", default=dict), sensitivity=INDIVIDUAL_NUMBER)  # may hold 個人番号
    result = M.JSONField("結果", default=dict, blank=True)
    entered_by = M.ForeignKey(settings.AUTH_USER_MODEL, on_delete=M.PROTECT, related_name="+", verbose_name="入力者")
    entered_at = M.DateTimeField("入力日時", default=timezone.now)
    terminal = M.CharField("入力端末", max_length=50, blank=True, default="")
    # Who approved and when is kept in the operation log, not on the change: standard-spec §3.1 lists
    # "recording the 決裁者 name/date" among the functions a standard system must not have.
    cancels = M.ForeignKey("self", on_delete=M.PROTECT, null=True, blank=True, related_name="cancelled_by",
                           verbose_name="取り消す異動")
    idempotency_key = M.CharField("二重送信防止キー", max_length=64, null=True, blank=True, unique=True)
    version = M.PositiveIntegerField("版", default=1)

    class Meta:
        verbose_name = "異動"
        indexes = [M.Index(fields=["status", "entered_at"], name="change_status_entered")]

    def __str__(self) -> str:
        return f"{self.pk} {self.get_kind_display()} {self.get_status_display()}"


class ChangeSubject(models.Model):
    """A person a change touches (or will touch once approved): for locks, lists and history."""

    change = M.ForeignKey(Change, on_delete=M.CASCADE, related_name="subjects")
    addressee_number = M.CharField("宛名番号", max_length=10, blank=True, default="")
    household_number = M.CharField("世帯番号", max_length=10, blank=True, default="")

    class Meta:
        verbose_name = "異動対象者"
        indexes = [
            M.Index(fields=["addressee_number"], name="subject_addressee"),
            M.Index(fields=["household_number"], name="subject_household"),
        ]


class ResidentHistory(RecordItems):
    """One full snapshot of a person's record after one change (standard-spec §2.8). Never updated."""

    jumin_entity = Entity(code="history", ja="住民票履歴", key=("addressee_number", "history_number"),
                          permission="view_record", protected_rows="addressee_number",
                          retention="永年（消除・改製から150年: 住民基本台帳法施行令 第34条第1項）")

    history_number = item(M.PositiveIntegerField("履歴番号"), basic="個人履歴番号")
    change = M.ForeignKey(Change, on_delete=M.PROTECT, related_name="snapshots", verbose_name="異動")
    reason_code = item(M.CharField("異動事由", max_length=40, choices=c.REASON_CHOICES), spec="§3.5", basic="異動事由")
    effective_on = item(M.DateField("異動日"), basic="異動年月日")
    effective_on_text = item(M.CharField("異動日（不詳日等の表記）", max_length=60, blank=True, default=""),
                             basic="異動年月日_不詳表記")
    processed_on = M.DateField("処理日")
    recorded_at = M.DateTimeField("記録日時", default=timezone.now)

    class Meta:
        verbose_name = "住民票履歴"
        constraints = [
            M.UniqueConstraint(fields=["addressee_number", "history_number"], name="history_key_unique"),
        ]
        indexes = [
            M.Index(fields=["household_number"], name="history_household"),
            M.Index(fields=["addressee_number", "effective_on"], name="history_effective"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("住民票の履歴は上書きできません。誤記修正または取消しで追記してください。")
        super().save(*args, **kwargs)


class ResidentCodeStock(models.Model):
    """住民票コードの在庫 (standard-spec §4.3): the codes 住基ネット's CS hands the municipality, loaded from its
    file (jumin.linkage.cs) and taken in the file's order by a 出生 or a 国外転入 on approval, so a newborn has its
    code in the same transaction as its record. A taken code keeps who took it and when; none is ever reused."""

    jumin_internal = "住民票コードの在庫（住基ネットから受け取ったコード。付番の状態。付番後の値は住民票にある）"

    code = M.CharField("住民票コード", max_length=11, unique=True)
    source = M.CharField("取込ファイル", max_length=200)
    loaded_at = M.DateTimeField("取込日時")
    loaded_by = M.CharField("取り込んだ職員", max_length=150)
    used_by = M.CharField("付番した宛名番号", max_length=10, blank=True, default="")
    used_at = M.DateTimeField("付番日時", null=True, blank=True)
    change_id = M.BigIntegerField("異動ID", null=True, blank=True)

    class Meta:
        verbose_name = "住民票コードの在庫"
        indexes = [M.Index(fields=["used_by", "id"], name="resident_code_stock_free")]

    def __str__(self) -> str:
        return f"{self.code[:2]}…（{'付番済み' if self.used_by else '未使用'}）"
