"""Certificate settings, the 公印 signatories and the 交付履歴 (standard-spec §4.2, §4.5).

An `Issuance` is written once, in the same transaction as its operation-log row, and is never deleted: the
model refuses deletion and the only later write is the 処分 (voiding a wrongly issued certificate), which
fills the void fields once. The issued PDF is kept in `IssuedDocument` for a short, configurable time so the
clerk can print it again after a paper jam; `jumin purge_issued_documents` removes expired ones.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jumin.certificates import rules
from jumin.core.dictionary import Entity

M = models


class CertificateConfig(models.Model):
    """Per-municipality certificate settings (design.md "Municipalities": never in code)."""

    place = M.CharField("交付場所（既定）", max_length=50, default="本庁")
    fees = M.JSONField("手数料（種類ごと1通あたり、円）", default=dict, blank=True)
    default_options = M.JSONField("記載事項の既定（省略/記載）", default=dict, blank=True)
    overflow_mode = M.CharField("文字超過時の扱い", max_length=10, choices=rules.OVERFLOW_MODES,
                                default=rules.OVERFLOW_REFUSE)
    verification_url = M.CharField("照合用URL（QRコード）", max_length=200,
                                   default="http://127.0.0.1:8000/certificates/verify/")
    document_retention_days = M.PositiveIntegerField("交付PDFの保存日数（再印刷用）", default=7)
    max_copies = M.PositiveIntegerField("1回の請求の上限通数", default=20)

    class Meta:
        verbose_name = "証明書設定"

    def options_default(self) -> dict:
        return {name: bool(self.default_options.get(name, rules.DEFAULT_OPTIONS[name])) for name in rules.OPTIONS}

    def fee_table(self) -> dict:
        return rules.DEFAULT_FEES | {k: int(v) for k, v in (self.fees or {}).items()}


def current_config() -> CertificateConfig:
    config = CertificateConfig.objects.order_by("pk").first()
    return config or CertificateConfig.objects.create()


class Signatory(models.Model):
    """Who certifies in a period: the mayor, or the 職務代理者 while the mayor is absent (standard-spec §4.2).
    The title includes the prefecture (also for 指定都市). The seal image prints at most 25 mm, black."""

    title = M.CharField("職名（都道府県名を含む）", max_length=60, help_text="例: 宮城県仙台市長")
    name = M.CharField("氏名", max_length=60)
    deputy = M.BooleanField("職務代理者", default=False)
    valid_from = M.DateField("開始日")
    valid_to = M.DateField("終了日", null=True, blank=True)
    seal_svg = M.TextField("電子公印（SVG）", blank=True, default="")
    seal_omitted_text = M.CharField("公印省略の表示", max_length=30, blank=True, default="")

    class Meta:
        verbose_name = "認証者（公印）"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.title} {self.name}"


def signatory_on(day) -> Signatory | None:
    """The signatory in force on `day`: a deputy's period overrides the mayor's."""
    rows = Signatory.objects.filter(valid_from__lte=day).filter(M.Q(valid_to__isnull=True) | M.Q(valid_to__gte=day))
    return rows.order_by("-deputy", "-valid_from").first()


class IssueCounter(models.Model):
    """Last 通番 of a day at a terminal: the 発行番号 series (standard-spec §4.2)."""

    day = M.DateField("発行年月日")
    terminal = M.CharField("端末", max_length=50)
    last_serial = M.PositiveIntegerField("最終通番", default=0)

    class Meta:
        verbose_name = "発行通番"
        constraints = [M.UniqueConstraint(fields=["day", "terminal"], name="issue_counter_day_terminal")]


class Issuance(models.Model):
    """One 交付 (standard-spec §4.5 交付履歴): kept for the retention period, never deleted."""

    jumin_entity = Entity(code="issuances", ja="交付履歴", key=("id",), permission="view_issuances",
                          protected_rows="subjects",  # a JSON list of 宛名番号
                          retention="市区町村が定める期間（住民記録 §1.3.8、期間内の削除は不可）。jumin は削除しない")

    issued_at = M.DateTimeField("交付年月日時", default=timezone.now, db_index=True)
    day = M.DateField("交付日", db_index=True)
    place = M.CharField("交付場所", max_length=50)
    terminal = M.CharField("端末名", max_length=50)
    printer = M.CharField("プリンタ", max_length=30)
    user = M.ForeignKey(settings.AUTH_USER_MODEL, on_delete=M.PROTECT, related_name="+", verbose_name="ユーザ")
    username = M.CharField("ユーザID", max_length=150)
    kind = M.CharField("種別", max_length=30, choices=rules.KIND_CHOICES)
    layout = M.CharField("様式", max_length=12, choices=rules.LAYOUT_CHOICES)
    reissue = M.BooleanField("再交付", default=False)
    requester_kind = M.CharField("請求者区分", max_length=12, choices=rules.REQUESTER_CHOICES)
    requester_name = M.CharField("請求者", max_length=200)
    identity_check = M.CharField("本人確認", max_length=30, choices=rules.IDENTITY_CHECKS)
    agent_letter = M.BooleanField("委任状", default=False)
    purpose = M.CharField("請求事由", max_length=500, blank=True, default="")
    subjects = M.JSONField("交付対象者（宛名番号）", default=list)
    household_number = M.CharField("世帯番号", max_length=10, blank=True, default="")
    options = M.JSONField("記載事項の選択", default=dict)
    items = M.JSONField("記載事項", default=list)
    copies = M.PositiveIntegerField("通数", default=1)
    pages = M.PositiveIntegerField("枚数（全通の合計）", default=1)
    issue_numbers = M.JSONField("発行番号（通ごと）", default=list)
    fee = M.PositiveIntegerField("手数料（円）", default=0)
    fee_exempt_reason = M.CharField("手数料免除の理由", max_length=100, blank=True, default="")
    verification_code = M.CharField("照合番号", max_length=20, unique=True)
    content_digest = M.CharField("記載内容のダイジェスト（SHA-256）", max_length=64)
    pdf_digest = M.CharField("PDFのダイジェスト（SHA-256）", max_length=64)
    content = M.JSONField("記載内容（個人番号を除く）", default=dict)
    overflow = M.JSONField("文字超過", default=list, blank=True)
    individual_number_printed = M.BooleanField("個人番号の記載", default=False)
    voided_at = M.DateTimeField("処分日時", null=True, blank=True)
    voided_by = M.CharField("処分者", max_length=150, blank=True, default="")
    void_reason = M.CharField("処分理由", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "交付履歴"
        indexes = [M.Index(fields=["day", "terminal"], name="issuance_day_terminal")]

    def __str__(self) -> str:
        return f"{self.issued_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.verification_code}"

    def delete(self, *args, **kwargs):
        raise ValueError("交付履歴は削除できません。誤って交付した証明書は処分として記録してください。")


class IssuedDocument(models.Model):
    """The PDF as issued, kept `document_retention_days` for reprinting after a paper jam."""

    issuance = M.OneToOneField(Issuance, on_delete=M.CASCADE, related_name="document", primary_key=True)
    pdf = M.BinaryField("PDF")
    expires_at = M.DateTimeField("保存期限", db_index=True)

    class Meta:
        verbose_name = "交付PDF"
