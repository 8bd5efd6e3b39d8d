"""EUC data (issue #16 items 4–5; 住民記録 §10.1, 共通機能 §2.5): the municipality's EUC settings, the saved
queries of each department, and the log of every run — who, when, from which terminal, the query, the rows, the
file's SHA-256 and which 宛名番号 were in it (EucRunSubject, so the log is searchable per person, §10.2).

The file itself is kept on disk under VAR_DIR/euc/ (mode 0600) for `file_retention_days`, never in the database:
an EUC list may hold a million rows. Every write goes through `jumin.euc.actions`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

M = models

PREVIEW = "preview"
RUN = "run"
KIND_CHOICES = [(PREVIEW, "プレビュー"), (RUN, "出力")]

PREVIEWED = "previewed"
READY = "ready"
AWAITING_APPROVAL = "awaiting_approval"
APPROVED = "approved"
DOWNLOADED = "downloaded"
FAILED = "failed"
STATUS_CHOICES = [
    (PREVIEWED, "プレビュー済み"), (READY, "ダウンロード可"), (AWAITING_APPROVAL, "承認待ち"), (APPROVED, "承認済み"),
    (DOWNLOADED, "ダウンロード済み"), (FAILED, "失敗"),
]

OUTPUT_CHOICES = [
    ("csv", "CSV（UTF-8・BOM付き）"), ("csv_sjis", "CSV（Shift_JIS）"), ("xlsx", "Excel（XLSX）"),
    ("pdf_list", "PDF（一覧表）"), ("pdf_labels", "PDF（宛名ラベル）"),
]


class EucSettings(models.Model):
    """Per municipality (one database = one municipality, design.md): when an output needs a second person, and
    how long one extraction may run. Never in code: each municipality decides."""

    approval_rows = M.PositiveIntegerField("承認が必要な件数（この件数を超える出力は承認者の承認が必要）", default=1000)
    statement_timeout_seconds = M.FloatField("1回の抽出の上限時間（秒。超えると中止）", default=60.0)
    file_retention_days = M.PositiveIntegerField("出力ファイルの保存日数", default=7)

    class Meta:
        verbose_name = "EUC設定"


def current_settings() -> EucSettings:
    found = EucSettings.objects.order_by("pk").first()
    return found or EucSettings.objects.create()


class SavedQuery(models.Model):
    """A query a department keeps to run again (with parameters: `{"param": "基準日"}` values)."""

    department = M.CharField("所属", max_length=50, blank=True, default="")
    name = M.CharField("名前", max_length=100)
    query = M.JSONField("条件（EUCの問い合わせ）")
    created_by = M.ForeignKey(settings.AUTH_USER_MODEL, on_delete=M.PROTECT, related_name="+", verbose_name="作成者")
    created_at = M.DateTimeField("作成日時", default=timezone.now)
    updated_by = M.ForeignKey(settings.AUTH_USER_MODEL, on_delete=M.PROTECT, related_name="+", verbose_name="更新者")
    updated_at = M.DateTimeField("更新日時", default=timezone.now)
    version = M.PositiveIntegerField("版", default=1)

    class Meta:
        verbose_name = "保存した抽出条件"
        constraints = [M.UniqueConstraint(fields=["department", "name"], name="euc_saved_query_unique_name")]


class EucRun(models.Model):
    """One EUC preview or output run (the EUC log). Inserted by the run; afterwards only its status moves
    (approved, downloaded) — the query, rows and digest never change."""

    kind = M.CharField("種類", max_length=10, choices=KIND_CHOICES, default=RUN)
    at = M.DateTimeField("実行日時", default=timezone.now, db_index=True)
    user = M.ForeignKey(settings.AUTH_USER_MODEL, on_delete=M.PROTECT, related_name="+", verbose_name="実行者")
    username = M.CharField("利用者ID", max_length=150)
    role = M.CharField("役割", max_length=20, blank=True, default="")
    department = M.CharField("所属", max_length=50, blank=True, default="")
    terminal = M.CharField("端末", max_length=50, blank=True, default="")
    dataset = M.CharField("データセット", max_length=30)
    query = M.JSONField("条件（EUCの問い合わせ）")
    saved_query = M.ForeignKey(SavedQuery, on_delete=M.SET_NULL, null=True, blank=True, related_name="runs",
                               verbose_name="保存した抽出条件")
    output = M.CharField("出力形式", max_length=12, choices=OUTPUT_CHOICES, blank=True, default="")
    rows = M.BigIntegerField("件数", default=0)
    columns = M.JSONField("出力項目", default=list)
    left_out = M.JSONField("除いた項目と理由", default=list, blank=True)
    individual_number = M.BooleanField("個人番号を含む", default=False)
    include_protected = M.BooleanField("支援措置対象者を含む", default=False)
    status = M.CharField("状態", max_length=20, choices=STATUS_CHOICES)
    needs_approval_reason = M.CharField("承認が必要な理由", max_length=200, blank=True, default="")
    approver = M.ForeignKey(settings.AUTH_USER_MODEL, on_delete=M.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name="承認者")
    approved_at = M.DateTimeField("承認日時", null=True, blank=True)
    downloaded_at = M.DateTimeField("最初のダウンロード日時", null=True, blank=True)
    downloads = M.PositiveIntegerField("ダウンロード回数", default=0)
    file_name = M.CharField("ファイル名", max_length=200, blank=True, default="")
    file_path = M.CharField("保存先", max_length=500, blank=True, default="")
    size = M.BigIntegerField("ファイルの大きさ（バイト）", default=0)
    sha256 = M.CharField("ファイルのSHA-256", max_length=64, blank=True, default="")
    conversion_report = M.JSONField("文字の置き換え（Shift_JIS）", default=list, blank=True)
    sheets = M.JSONField("シートごとの件数（XLSX）", default=dict, blank=True)
    failure = M.CharField("失敗の理由", max_length=500, blank=True, default="")
    duration_ms = M.PositiveIntegerField("所要時間（ミリ秒）", default=0)

    class Meta:
        verbose_name = "EUCの実行"
        indexes = [M.Index(fields=["user", "at"], name="euc_run_user_at"),
                   M.Index(fields=["status", "at"], name="euc_run_status_at")]


class EucRunSubject(models.Model):
    """One 宛名番号 that was in a run's output (a preview: in the rows shown), so "every EUC run that contained
    this person" is one indexed query (住民記録 §10.2: the log is searchable per person)."""

    run = M.ForeignKey(EucRun, on_delete=M.CASCADE, related_name="subjects")
    addressee_number = M.CharField("宛名番号", max_length=10)

    class Meta:
        verbose_name = "EUCの出力に含まれた人"
        indexes = [M.Index(fields=["addressee_number", "run"], name="euc_subject_person")]
