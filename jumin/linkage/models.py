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

    RESIDENT, NON_RESIDENT, FLAG = "resident", "non_resident", "flag"
    SUBJECT_CHOICES = [(RESIDENT, "住民票"), (NON_RESIDENT, "住登外者"), (FLAG, "支援措置・抑止・印鑑登録の状態")]

    municipality = M.CharField("団体コード", max_length=6)
    seq = M.BigIntegerField("通番")
    subject = M.CharField("対象", max_length=12, choices=SUBJECT_CHOICES, default=RESIDENT)
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
    printed once; its SHA-256 checks `client_secret_basic`, and, because `client_secret_jwt` (共通機能 §2.2.5) is an
    HMAC that needs the key itself, it is also kept sealed (Fernet under the server's key: docs/adr/0004).

    The OAuth 2.0 client of Authlib's server (ClientMixin): client credentials only, no redirect, the scopes of
    its delivery methods."""

    jumin_internal = "連携先の設定（認証情報を含む。運用の設定）"

    client_id = M.CharField("クライアントID", max_length=40, unique=True)
    business = M.CharField("業務ID", max_length=3)
    name = M.CharField("名称", max_length=100)
    items = M.JSONField("受け取る項目", default=list)
    receives_removed = M.BooleanField("除票を受け取る", default=False)
    receives_protected = M.BooleanField("支援措置対象者を受け取る（項目を伏せた印で）", default=False)
    methods = M.JSONField("連携方式", default=list)
    directory = M.CharField("ファイルの置き場所", max_length=500, blank=True, default="")
    charset = M.CharField("ファイルの文字コード", max_length=10, default="utf-8")
    character_map = M.JSONField("文字の対応表（cp932 の連携先）", default=dict, blank=True)
    secret_hash = M.CharField("クライアントシークレット（SHA-256）", max_length=64)
    secret_sealed = M.TextField("クライアントシークレット（封印）", blank=True, default="")
    created_at = M.DateTimeField("登録日時")
    created_by = M.CharField("登録した職員", max_length=150)
    revoked_at = M.DateTimeField("失効日時", null=True, blank=True)
    # Delivery you can prove (issue #18 item 6): the highest event number handed over (a REST page's `next`, a
    # file's last line) and the highest the 連携先 has confirmed — by asking for what comes after it (REST) or by the
    # file being in its place (files) — and when.
    delivered_seq = M.BigIntegerField("配信済みの通番", default=0)
    acknowledged_seq = M.BigIntegerField("受領確認済みの通番", default=0)
    acknowledged_at = M.DateTimeField("受領確認の日時", null=True, blank=True)

    class Meta:
        verbose_name = "連携先"

    def __str__(self) -> str:
        return f"{self.client_id} {self.name}"

    # Authlib's ClientMixin
    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def scopes(self) -> list[str]:
        from jumin.linkage.rules import scopes_for

        return scopes_for(self.methods)

    def get_allowed_scope(self, scope):
        """The scopes asked for that this client has (all of its own when it asks for none)."""
        mine = self.scopes()
        if not scope:
            return " ".join(mine)
        return " ".join(s for s in scope.split() if s in mine)

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        import hmac

        from jumin.linkage.rules import hash_secret

        return bool(client_secret) and hmac.compare_digest(self.secret_hash, hash_secret(client_secret))

    def check_endpoint_auth_method(self, method, endpoint):
        from jumin.linkage.rules import AUTH_METHODS

        return method in AUTH_METHODS

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type == "client_credentials"


class LinkageToken(models.Model):
    """An access token issued to a 連携先 (Bearer, short-lived, no refresh token; 共通機能 §2.2.5). Only the token's
    SHA-256 is kept. Authlib's TokenMixin."""

    jumin_internal = "連携先のアクセストークン（認証情報。ハッシュのみ）"

    token_hash = M.CharField("トークン（SHA-256）", max_length=64, unique=True)
    client = M.ForeignKey(LinkageClient, on_delete=M.PROTECT, related_name="tokens")
    scope = M.CharField("スコープ", max_length=500)
    issued_at = M.DateTimeField("発行日時")
    expires_at = M.DateTimeField("有効期限")
    revoked = M.BooleanField("失効", default=False)

    class Meta:
        verbose_name = "連携先のアクセストークン"

    def check_client(self, client):
        return client.pk == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return int((self.expires_at - self.issued_at).total_seconds())

    def get_expires_at(self):
        return int(self.expires_at.timestamp())

    def is_expired(self):
        from django.utils import timezone

        return self.expires_at <= timezone.now()

    def is_revoked(self):
        return self.revoked or self.client.revoked_at is not None

    def get_user(self):
        return None

    def get_client(self):
        return self.client


class LinkageAssertion(models.Model):
    """The `jti` of every client assertion already used (RFC 7523 §3: a JWT is used once), until it expires."""

    jumin_internal = "使用済みのクライアントアサーション（再使用の防止。認証の状態）"

    client_id = M.CharField("クライアントID", max_length=40)
    jti = M.CharField("JWT ID", max_length=200)
    expires_at = M.DateTimeField("有効期限")

    class Meta:
        verbose_name = "使用済みのクライアントアサーション"
        constraints = [M.UniqueConstraint(fields=["client_id", "jti"], name="linkage_assertion_once")]


class LinkageRun(models.Model):
    """One file linkage run for one 連携先 (issue #18 item 4): full or differential, the events it covers
    (after `from_seq` up to `to_seq`), the file with its rows and SHA-256 — or the failure, with nothing advanced.
    The next differential run starts after the last successful one's `to_seq`."""

    jumin_internal = "ファイル連携の実行記録（連携先ごとの配信の記録）"

    FULL, DIFFERENTIAL = "full", "differential"
    client = M.ForeignKey(LinkageClient, on_delete=M.PROTECT, related_name="runs")
    kind = M.CharField("種類", max_length=20, choices=[(FULL, "全件"), (DIFFERENTIAL, "差分")])
    from_seq = M.BigIntegerField("開始通番（この通番の次から）")
    to_seq = M.BigIntegerField("終了通番")
    rows = M.PositiveIntegerField("行数", default=0)
    file_name = M.CharField("ファイル名", max_length=200, blank=True, default="")
    sha256 = M.CharField("SHA-256", max_length=64, blank=True, default="")
    ok = M.BooleanField("成功", default=False)
    message = M.CharField("失敗の内容", max_length=500, blank=True, default="")
    at = M.DateTimeField("実行日時")

    class Meta:
        verbose_name = "ファイル連携の実行記録"
        indexes = [M.Index(fields=["client", "ok", "to_seq"], name="linkage_run_client")]


class InboundNotice(models.Model):
    """One notice read from another system's file (issue #18 item 7c) — a 戸籍届出通知 from the 戸籍 system (法第9条
    第2項), or the 転出証明書情報 of one household's 特例転出 from CS: kept as received, and the draft it became — or,
    when the register cannot take it as it stands (the person is not found here, the 生年月日 differs, a 世帯主 dies
    and a successor must be chosen, the move has not happened yet), 要確認 with the reason, for a clerk. Never applied
    by itself: a draft waits for 本登録 like any other."""

    jumin_internal = "受信した通知（戸籍届出通知・転出証明書情報）の記録（通知の内容と、作った仮登録の異動。住民票の変更は異動として記録される）"

    KOSEKI, MOVE_OUT = "koseki", "move_out"
    SOURCE_CHOICES = [(KOSEKI, "戸籍届出通知"), (MOVE_OUT, "転出証明書情報（特例転入）")]

    DRAFT, NEEDS_CLERK, CLOSED = "draft", "needs_clerk", "closed"
    STATUS_CHOICES = [(DRAFT, "仮登録を作成"), (NEEDS_CLERK, "要確認（職員が処理）"), (CLOSED, "処理済み（職員が確認）")]

    notice_number = M.CharField("通知番号", max_length=30, unique=True)
    source_kind = M.CharField("通知の種類", max_length=10, choices=SOURCE_CHOICES, default=KOSEKI)
    kind = M.CharField("届出の種類", max_length=10)
    addressee_number = M.CharField("宛名番号", max_length=10)
    source = M.CharField("受信ファイル", max_length=200)
    source_sha256 = M.CharField("受信ファイルのSHA-256", max_length=64)
    line = M.PositiveIntegerField("行")
    content = M.JSONField("通知の内容", default=dict)
    status = M.CharField("状態", max_length=12, choices=STATUS_CHOICES)
    change_id = M.BigIntegerField("仮登録の異動ID", null=True, blank=True)
    message = M.CharField("要確認の理由", max_length=500, blank=True, default="")
    read_at = M.DateTimeField("受信日時")
    read_by = M.CharField("取り込んだ職員", max_length=150)
    closed_at = M.DateTimeField("処理済みにした日時", null=True, blank=True)
    closed_by = M.CharField("処理済みにした職員", max_length=150, blank=True, default="")
    closed_note = M.CharField("処理の内容", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "受信した通知"
        indexes = [M.Index(fields=["status", "read_at"], name="koseki_notice_status")]

    def __str__(self) -> str:
        return f"{self.notice_number} {self.kind}"


class CsRun(models.Model):
    """One notice file for 住基ネット CS (本人確認情報) or for the 本籍地 (戸籍の附票 記載事項通知), issue #18 item 7b:
    the events after `from_seq` up to `to_seq`, the file with its rows and SHA-256 — or the failure, with nothing
    advanced. A resend writes the same range again under a new name and advances nothing."""

    jumin_internal = "住基ネット（CS）・本籍地への通知ファイルの作成記録"

    IDENTITY, FUHYO, MOVE_IN = "identity", "fuhyo", "move_in"
    KIND_CHOICES = [(IDENTITY, "本人確認情報の更新"), (FUHYO, "戸籍の附票記載事項通知"), (MOVE_IN, "転入通知")]
    kind = M.CharField("種類", max_length=10, choices=KIND_CHOICES)
    from_seq = M.BigIntegerField("開始通番（この通番の次から）")
    to_seq = M.BigIntegerField("終了通番")
    rows = M.PositiveIntegerField("行数", default=0)
    exceptions = M.PositiveIntegerField("送れなかった件数", default=0)
    file_name = M.CharField("ファイル名", max_length=200, blank=True, default="")
    sha256 = M.CharField("SHA-256", max_length=64, blank=True, default="")
    resend = M.BooleanField("再送", default=False)
    ok = M.BooleanField("成功", default=False)
    message = M.CharField("失敗の内容", max_length=500, blank=True, default="")
    at = M.DateTimeField("作成日時")
    by = M.CharField("作成した職員", max_length=150)

    class Meta:
        verbose_name = "住基ネット通知ファイルの作成記録"
        indexes = [M.Index(fields=["kind", "ok", "resend", "to_seq"], name="cs_run_kind")]


class LinkageDelivery(models.Model):
    """The message log (issue #18 item 6): every delivery — a REST page served, a file written, a batch of notices
    acknowledged by the broker — with its event range, its count and the SHA-256 of what was delivered (for a REST
    page, rules.entry_digest of its entries, which the 連携先 can compute over what it received). Only inserted."""

    jumin_internal = "配信の記録（いつ・どの連携先に・どの通番を・どの内容（SHA-256）で渡したか）"

    PULL, FILE, NOTIFY = "pull", "file", "notify"
    METHOD_CHOICES = [(PULL, "REST API（PULL）"), (FILE, "ファイル連携"), (NOTIFY, "変更通知（NATS）")]
    client = M.ForeignKey(LinkageClient, on_delete=M.PROTECT, related_name="deliveries", null=True, blank=True)
    method = M.CharField("方式", max_length=10, choices=METHOD_CHOICES)
    from_seq = M.BigIntegerField("開始通番（この通番の次から）")
    to_seq = M.BigIntegerField("終了通番")
    events = M.PositiveIntegerField("件数")
    sha256 = M.CharField("SHA-256", max_length=64)
    at = M.DateTimeField("配信日時")

    class Meta:
        verbose_name = "配信の記録"
        indexes = [M.Index(fields=["client", "at"], name="linkage_delivery_client")]
