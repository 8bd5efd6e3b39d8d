import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from jumin.accounts import rules


class User(AbstractUser):
    """A municipal staff member. One role per user (standard-spec §6.1 操作権限)."""

    role = models.CharField("役割", max_length=20, choices=rules.ROLE_CHOICES, default=rules.VIEWER)
    display_name = models.CharField("氏名", max_length=50, blank=True)
    department = models.CharField("所属", max_length=50, blank=True)

    class Meta:
        verbose_name = "利用者"

    def may(self, permission: str) -> bool:
        return self.is_active and rules.has_permission(self.role, permission)

    def require(self, permission: str) -> None:
        if not self.is_active:
            rules.require(None, permission)
        rules.require(self.role, permission)

    @property
    def label(self) -> str:
        return self.display_name or self.username


TOKEN_PREFIX = "jmn_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for integrators and scripts. Only its SHA-256 is stored; it carries its user's role."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens", verbose_name="利用者")
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField("先頭文字", max_length=12)
    token_hash = models.CharField("ハッシュ", max_length=64, unique=True)
    created_at = models.DateTimeField("作成日時", default=timezone.now)
    last_used_at = models.DateTimeField("最終使用日時", null=True, blank=True)
    revoked_at = models.DateTimeField("失効日時", null=True, blank=True)

    class Meta:
        verbose_name = "APIトークン"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple["ApiToken", str]:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:12], token_hash=hash_token(raw))
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        if not raw or not raw.startswith(TOKEN_PREFIX):
            return None
        token = cls.objects.select_related("user").filter(token_hash=hash_token(raw), revoked_at__isnull=True).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class LoginFailure(models.Model):
    """One failed login (or failed API token) — the counts behind the lock and the address throttle (issue #15).

    `username` is the name as typed, whether or not such a user exists, so a name that does not exist locks
    exactly like one that does and the answer never tells which. A successful login or an administrator's
    unlock sets `cleared_at`: the row no longer counts towards the name's lock, but still towards its address
    inside the window. The operation log (audit) has its own row for every attempt; these rows are the state.
    """

    at = models.DateTimeField("日時", default=timezone.now)
    username = models.CharField("利用者名（入力どおり）", max_length=150, blank=True)
    address = models.CharField("接続元アドレス", max_length=45, blank=True)
    cleared_at = models.DateTimeField("解除日時", null=True, blank=True)

    class Meta:
        verbose_name = "ログイン失敗"
        indexes = [models.Index(fields=["username", "cleared_at"]), models.Index(fields=["address", "at"])]
