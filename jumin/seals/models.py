"""印鑑登録 data (standard-spec §5.4): the settings, the 印鑑登録原票 with its impression, the 印鑑登録証 cards,
the 照会書 of the inquiry route, and the 原票's history.

A registration is never overwritten to a new seal: it is abolished (with date and reason) and a new one is
registered. Abolished 原票 are kept `retention_years` (default 5) and then purged by
`jumin purge_seal_registrations`. Every write goes through `jumin.seals.actions`.
"""

from django.db import models
from django.utils import timezone

from jumin.core.dictionary import SECRET, Entity
from jumin.core.items import item
from jumin.seals import impression as imp
from jumin.seals import rules

M = models


class SealSettings(models.Model):
    """Per-municipality 印鑑条例 settings (design.md "Municipalities": never in code)."""

    min_size_mm = M.FloatField("印影の大きさの下限（この正方形に収まると登録不可、mm）", default=8.0)
    max_size_mm = M.FloatField("印影の大きさの上限（この正方形に収まらないと登録不可、mm）", default=25.0)
    max_upload_mb = M.PositiveIntegerField("印影画像の上限（MB）", default=5)
    scanner_dpi = M.PositiveIntegerField("スキャナの解像度（dpi、画像に解像度がないとき）", null=True, blank=True)
    min_dpi = M.PositiveIntegerField("印影画像の最低解像度（dpi）", default=imp.MIN_DPI_DEFAULT)
    similarity_threshold_bits = M.PositiveIntegerField(
        "類似印影のしきい値（差分ハッシュ512ビット中の相違ビット数以下で類似）", default=imp.DEFAULT_THRESHOLD_BITS)
    min_age = M.PositiveIntegerField("登録できる年齢", default=15)
    adult_ward_with_guardian = M.BooleanField("成年被後見人の登録（成年後見人の同行で可）", default=False)
    inquiry_deadline_days = M.PositiveIntegerField("回答書の提出期限（照会書の発送日からの日数）", default=15)
    print_sex = M.BooleanField("証明書に性別を記載する", default=True)
    retention_years = M.PositiveIntegerField("廃止した原票の保存年数", default=5)
    loss_abolishes_registration = M.BooleanField("亡失届で登録を廃止する", default=True)
    my_number_card_alternative = M.BooleanField("個人番号カードで証明書を交付できる（登録証に代えて）", default=False)

    class Meta:
        verbose_name = "印鑑登録設定"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


def current_settings() -> SealSettings:
    found = SealSettings.objects.order_by("pk").first()
    return found or SealSettings.objects.create()


class ImpressionFields(models.Model):
    """A measured impression (jumin.seals.impression): the cropped scan as PNG with its physical size."""

    # The image is what a 印鑑登録証明書 vouches for: a copy lets a seal be forged, so it never leaves by extraction.
    impression_png = item(M.BinaryField("印影（PNG、解像度つき）"), sensitivity=SECRET)
    impression_dpi_x = M.FloatField("印影画像の解像度（横、dpi）")
    impression_dpi_y = M.FloatField("印影画像の解像度（縦、dpi）")
    impression_width_px = M.PositiveIntegerField("印影画像の幅（画素）")
    impression_height_px = M.PositiveIntegerField("印影画像の高さ（画素）")
    impression_width_mm = M.FloatField("印影の幅（mm）")
    impression_height_mm = M.FloatField("印影の高さ（mm）")
    impression_hash = M.CharField("印影の差分ハッシュ（512ビット、16進）", max_length=128)
    impression_sha256 = M.CharField("印影画像のSHA-256", max_length=64)
    impression_format = M.CharField("読み取った画像の形式", max_length=10, default="PNG")
    impression_dpi_source = M.CharField("解像度の出所", max_length=10, default="file",
                                        choices=[("file", "画像ファイル"), ("setting", "スキャナ設定")])
    represents = M.CharField("印鑑に表された名前", max_length=30, choices=rules.REPRESENTS_CHOICES)
    katakana_name = M.CharField("氏名のカタカナ表記", max_length=200, blank=True, default="")
    similarity_override = M.BooleanField("類似印影の承認", default=False)
    similarity_override_by = M.CharField("類似印影を承認した職員", max_length=150, blank=True, default="")
    similarity_override_reason = M.CharField("類似印影の承認理由", max_length=500, blank=True, default="")
    similar_to = M.JSONField("類似と判定された登録（登録番号・相違ビット数）", default=list, blank=True)

    class Meta:
        abstract = True

    @property
    def impression_image_width_mm(self) -> float:
        return self.impression_width_px / self.impression_dpi_x * imp.MM_PER_INCH

    @property
    def impression_image_height_mm(self) -> float:
        return self.impression_height_px / self.impression_dpi_y * imp.MM_PER_INCH

    @property
    def impression_square_mm(self) -> float:
        return max(self.impression_width_mm, self.impression_height_mm)

    def set_impression(self, measured: imp.Impression) -> None:
        self.impression_png = measured.png
        self.impression_dpi_x, self.impression_dpi_y = measured.dpi_x, measured.dpi_y
        self.impression_width_px, self.impression_height_px = measured.width_px, measured.height_px
        self.impression_width_mm, self.impression_height_mm = measured.ink_width_mm, measured.ink_height_mm
        self.impression_hash, self.impression_sha256 = measured.dhash, measured.sha256
        self.impression_format, self.impression_dpi_source = measured.source_format, measured.dpi_source

    def copy_impression_to(self, other: "ImpressionFields") -> None:
        for name in IMPRESSION_FIELDS:
            setattr(other, name, getattr(self, name))


IMPRESSION_FIELDS = [f.name for f in ImpressionFields._meta.local_fields]


class SealRegistration(ImpressionFields):
    """印鑑登録原票 (standard-spec §5.4). Name, birth date, sex and address are the register's at registration
    and are kept in step with the register (address changes are carried over; a name change that the seal no
    longer shows abolishes it)."""

    jumin_entity = Entity(code="seals", ja="印鑑登録原票", key=("registration_number",), permission="register_seal",
                          protected_rows="addressee_number",
                          retention="廃止後、印鑑登録設定の保存年数（既定5年: 印鑑条例・市区町村の判断）")

    registration_number = M.CharField("印鑑登録番号", max_length=10, unique=True)
    addressee_number = M.CharField("宛名番号", max_length=10, db_index=True)
    status = M.CharField("状態", max_length=10, choices=rules.STATUS_CHOICES, default=rules.ACTIVE)
    registered_on = M.DateField("登録年月日")
    registered_at = M.DateTimeField("登録日時", default=timezone.now)
    route = M.CharField("登録の方法", max_length=12, choices=rules.ROUTE_CHOICES)
    applicant = M.CharField("申請者", max_length=10, choices=rules.APPLICANT_CHOICES, default=rules.SELF)
    agent_name = M.CharField("代理人の氏名", max_length=200, blank=True, default="")
    agent_letter = M.BooleanField("委任状", default=False)
    identity_document = M.CharField("本人確認書類", max_length=40, blank=True, default="")
    guarantor_registration_number = M.CharField("保証人の印鑑登録番号", max_length=10, blank=True, default="")
    guarantor_addressee_number = M.CharField("保証人の宛名番号", max_length=10, blank=True, default="")
    inquiry = M.OneToOneField("SealInquiry", on_delete=M.PROTECT, null=True, blank=True, related_name="registration",
                              verbose_name="照会書")
    guardian_name = M.CharField("同行した成年後見人の氏名", max_length=200, blank=True, default="")
    # 原票 items (standard-spec §5.4)
    name = M.CharField("氏名", max_length=200)
    former_surname = M.CharField("旧氏", max_length=100, blank=True, default="")
    alias = M.CharField("通称", max_length=200, blank=True, default="")
    name_alphabet = M.CharField("氏名（アルファベット）", max_length=200, blank=True, default="")
    birth_date = M.DateField("生年月日", null=True)
    sex = M.CharField("性別", max_length=1, blank=True, default="")
    address = M.CharField("住所", max_length=400, blank=True, default="")
    resident_type = M.CharField("住民種別", max_length=10, default="japanese")
    # abolition
    abolished_on = M.DateField("廃止（抹消）年月日", null=True, blank=True)
    abolished_at = M.DateTimeField("廃止日時", null=True, blank=True)
    abolition_reason = M.CharField("廃止（抹消）事由", max_length=20, choices=rules.ABOLITION_CHOICES, blank=True,
                                   default="")
    abolition_note = M.CharField("廃止の詳細", max_length=500, blank=True, default="")
    abolished_by = M.CharField("廃止した職員", max_length=150, blank=True, default="")
    retain_until = M.DateField("原票の保存期限", null=True, blank=True, db_index=True)
    entered_by = M.CharField("登録した職員", max_length=150)
    terminal = M.CharField("端末", max_length=50, blank=True, default="")
    version = M.PositiveIntegerField("版", default=1)

    class Meta:
        verbose_name = "印鑑登録原票"
        constraints = [M.UniqueConstraint(fields=["addressee_number"], condition=M.Q(status="active"),
                                          name="seal_one_active_registration_per_person")]
        indexes = [M.Index(fields=["addressee_number", "status"], name="seal_person_status")]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.name}（{self.get_status_display()}）"


class SealCard(models.Model):
    """印鑑登録証: shown to get a certificate. A lost card is blocked at once and never valid again."""

    card_number = M.CharField("印鑑登録証番号", max_length=10, unique=True)
    registration = M.ForeignKey(SealRegistration, on_delete=M.CASCADE, related_name="cards", verbose_name="印鑑登録")
    status = M.CharField("状態", max_length=10, choices=rules.CARD_STATUS_CHOICES, default=rules.CARD_VALID)
    issued_on = M.DateField("交付年月日")
    issued_at = M.DateTimeField("交付日時", default=timezone.now)
    reissue = M.BooleanField("再交付", default=False)
    reissue_reason = M.CharField("再交付の事由", max_length=10, blank=True, default="")
    replaces = M.OneToOneField("self", on_delete=M.PROTECT, null=True, blank=True, related_name="replaced_by",
                               verbose_name="再交付前の登録証")
    lost_on = M.DateField("亡失届の年月日", null=True, blank=True)
    lost_at = M.DateTimeField("亡失届の日時", null=True, blank=True)
    ended_on = M.DateField("失効年月日", null=True, blank=True)

    class Meta:
        verbose_name = "印鑑登録証"
        constraints = [M.UniqueConstraint(fields=["registration"], condition=M.Q(status="valid"),
                                          name="seal_one_valid_card_per_registration")]


class SealInquiry(ImpressionFields):
    """照会書 (inquiry route): mailed to the applicant; the 回答書 must come back by `deadline_on`."""

    inquiry_number = M.CharField("照会番号", max_length=10, unique=True)
    addressee_number = M.CharField("宛名番号", max_length=10, db_index=True)
    name = M.CharField("申請者の氏名", max_length=200)
    address = M.CharField("送付先住所", max_length=400)
    applicant = M.CharField("申請者", max_length=10, choices=rules.APPLICANT_CHOICES, default=rules.SELF)
    agent_name = M.CharField("代理人の氏名", max_length=200, blank=True, default="")
    agent_letter = M.BooleanField("委任状", default=False)
    guardian_name = M.CharField("同行した成年後見人の氏名", max_length=200, blank=True, default="")
    status = M.CharField("状態", max_length=10, choices=rules.INQUIRY_STATUS_CHOICES, default=rules.INQUIRY_SENT)
    sent_on = M.DateField("照会書の発送日")
    sent_at = M.DateTimeField("申請日時", default=timezone.now)
    deadline_on = M.DateField("回答書の提出期限")
    answered_on = M.DateField("回答日", null=True, blank=True)
    entered_by = M.CharField("受け付けた職員", max_length=150)
    terminal = M.CharField("端末", max_length=50, blank=True, default="")

    class Meta:
        verbose_name = "印鑑登録照会書"


class SealEvent(models.Model):
    """The 原票's history: registration, cards, loss, address carried over, abolition. Only ever inserted."""

    jumin_entity = Entity(code="seal_events", ja="印鑑登録原票の履歴", key=("id",), permission="register_seal",
                          protected_rows="registration__addressee_number",
                          retention="原票と同じ（原票とともに削除: 廃止後、既定5年）")

    registration = item(M.ForeignKey(SealRegistration, on_delete=M.CASCADE, related_name="events", null=True,
                                     blank=True), ja="印鑑登録番号")
    inquiry = item(M.ForeignKey(SealInquiry, on_delete=M.CASCADE, related_name="events", null=True, blank=True),
                   ja="照会番号")
    at = M.DateTimeField("日時", default=timezone.now)
    day = M.DateField("年月日")
    action = M.CharField("内容", max_length=30, choices=[
        ("registered", "登録"), ("inquiry_sent", "照会書の発送"), ("card_issued", "印鑑登録証の交付"),
        ("card_lost", "印鑑登録証の亡失届"), ("card_reissued", "印鑑登録証の再交付"), ("abolished", "廃止"),
        ("address_carried", "住所の変更（原票に反映）"), ("items_updated", "原票の記載事項の変更（住民票から反映、登録は継続）"),
        ("similarity_override", "類似印影の承認"), ("certificate", "印鑑登録証明書の交付")])
    username = M.CharField("職員", max_length=150)
    terminal = M.CharField("端末", max_length=50, blank=True, default="")
    detail = M.JSONField("詳細", default=dict, blank=True)

    class Meta:
        verbose_name = "印鑑登録原票の履歴"
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("印鑑登録原票の履歴は変更できません。")
        super().save(*args, **kwargs)

