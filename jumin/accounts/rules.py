"""Roles and what each may do (standard-spec §6.1 操作権限). Pure: no Django.

Rights are granted per duty, never by 職位 (the spec forbids role-by-rank). A user has one role; the
role's rights are this table. Actions check rights with `require()`, so a view or an API handler that
forgets to check cannot let a clerk do what only an approver may.
"""

from jumin.core.errors import PermissionDenied

CLERK = "clerk"
APPROVER = "approver"
ADMIN = "admin"
AUDITOR = "auditor"
VIEWER = "viewer"
SUPERVISOR = "supervisor"
ANALYST = "analyst"

ROLE_CHOICES = [
    (CLERK, "窓口（異動入力・照会）"),
    (APPROVER, "審査・決裁"),
    (ADMIN, "システム管理者"),
    (AUDITOR, "監査"),
    (VIEWER, "照会のみ"),
    (SUPERVISOR, "支援措置担当（監督者）"),
    (ANALYST, "統計・EUC担当"),
]

VIEW_RECORD = "view_record"                    # 住民票の照会
CHANGE_RECORD = "change_record"                # 異動の入力（仮登録）
APPROVE_CHANGE = "approve_change"              # 本登録（審査・決裁）
VIEW_INDIVIDUAL_NUMBER = "view_individual_number"  # 個人番号の表示
VIEW_OPERATION_LOG = "view_operation_log"      # 操作ログの照会
MANAGE_USERS = "manage_users"                  # 利用者・権限の管理
VIEW_PROTECTED = "view_protected"              # 支援措置対象者の照会（警告表示つき）
MANAGE_PROTECTION = "manage_protection"        # 支援措置の登録・延長・終了
MANAGE_RESTRICTION = "manage_restriction"      # 抑止の設定・解除
RELEASE_RESTRICTION = "release_restriction"    # 抑止の一時解除
ISSUE_CERTIFICATE = "issue_certificate"        # 証明書の交付
VOID_CERTIFICATE = "void_certificate"          # 交付した証明書の処分
VIEW_ISSUANCES = "view_issuances"              # 交付履歴・日計表の照会
VERIFY_CERTIFICATE = "verify_certificate"      # 証明書の照合（照合番号）
REGISTER_SEAL = "register_seal"                # 印鑑登録（登録・登録証・廃止・照会）
OVERRIDE_SEAL_SIMILARITY = "override_seal_similarity"  # 類似印影を確認して登録（承認）
EXTRACT_DATA = "extract_data"                  # データ抽出・EUC（データディクショナリの項目を抽出する）
APPROVE_EXTRACT = "approve_extract"            # EUC出力の承認（大量・個人番号を含む出力）
VIEW_STATISTICS = "view_statistics"            # 統計（人口・世帯・異動件数）の照会
VIEW_NON_RESIDENT = "view_non_resident"        # 住登外者の照会
REGISTER_NON_RESIDENT = "register_non_resident"  # 住登外者の登録・変更・使用停止（住登外者宛名番号の付番）
DECIDE_MERGE = "decide_merge"                  # 名寄せの決定・名寄せの解除（審査）
INTEGRATED_NUMBER = "integrated_number"        # 団体内統合宛名番号の付番・個人番号による照会（番号利用事務）
MANAGE_LINKAGE = "manage_linkage"              # 連携先の登録・失効（庁内連携の設定）
MANAGE_CS = "manage_cs"                        # 住基ネット（CS）とのファイル（住民票コードの在庫の取込ほか）

PERMISSION_LABELS = {
    VIEW_RECORD: "住民票の照会",
    CHANGE_RECORD: "異動の入力",
    APPROVE_CHANGE: "異動の審査・決裁（本登録）",
    VIEW_INDIVIDUAL_NUMBER: "個人番号の表示",
    VIEW_OPERATION_LOG: "操作ログの照会",
    MANAGE_USERS: "利用者の管理",
    VIEW_PROTECTED: "支援措置対象者の照会",
    MANAGE_PROTECTION: "支援措置の登録・延長・終了",
    MANAGE_RESTRICTION: "抑止の設定・解除",
    RELEASE_RESTRICTION: "抑止の一時解除",
    ISSUE_CERTIFICATE: "証明書の交付",
    VOID_CERTIFICATE: "交付した証明書の処分",
    VIEW_ISSUANCES: "交付履歴・日計表の照会",
    VERIFY_CERTIFICATE: "証明書の照合",
    REGISTER_SEAL: "印鑑登録（登録・登録証・廃止）",
    OVERRIDE_SEAL_SIMILARITY: "類似印影の承認",
    EXTRACT_DATA: "データ抽出・EUC",
    APPROVE_EXTRACT: "EUC出力の承認",
    VIEW_STATISTICS: "統計の照会",
    VIEW_NON_RESIDENT: "住登外者の照会",
    REGISTER_NON_RESIDENT: "住登外者の登録・変更・使用停止",
    DECIDE_MERGE: "名寄せの決定・解除",
    INTEGRATED_NUMBER: "団体内統合宛名番号の付番・照会",
    MANAGE_LINKAGE: "連携先の登録・失効",
    MANAGE_CS: "住基ネット（CS）ファイルの取込・作成",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    CLERK: frozenset({VIEW_RECORD, CHANGE_RECORD, VIEW_INDIVIDUAL_NUMBER, VIEW_PROTECTED,
                      ISSUE_CERTIFICATE, VIEW_ISSUANCES, VERIFY_CERTIFICATE, REGISTER_SEAL, VIEW_STATISTICS,
                      VIEW_NON_RESIDENT, REGISTER_NON_RESIDENT, INTEGRATED_NUMBER}),
    # The approver is the clerks' supervisor (係長・審査): besides 本登録 they run EUC lists and approve
    # the EUC outputs that need a second person (large ones, or ones carrying 個人番号).
    APPROVER: frozenset({VIEW_RECORD, CHANGE_RECORD, APPROVE_CHANGE, VIEW_INDIVIDUAL_NUMBER, VIEW_PROTECTED,
                         ISSUE_CERTIFICATE, VOID_CERTIFICATE, VIEW_ISSUANCES, VERIFY_CERTIFICATE, REGISTER_SEAL,
                         OVERRIDE_SEAL_SIMILARITY, EXTRACT_DATA, APPROVE_EXTRACT, VIEW_STATISTICS,
                         VIEW_NON_RESIDENT, REGISTER_NON_RESIDENT, DECIDE_MERGE, INTEGRATED_NUMBER}),
    ADMIN: frozenset({MANAGE_USERS, MANAGE_LINKAGE, MANAGE_CS}),
    # The auditor extracts the operation log (its entity needs VIEW_OPERATION_LOG), never residents.
    AUDITOR: frozenset({VIEW_OPERATION_LOG, VIEW_ISSUANCES, VERIFY_CERTIFICATE, EXTRACT_DATA}),
    VIEWER: frozenset({VIEW_RECORD, VIEW_NON_RESIDENT}),
    SUPERVISOR: frozenset({VIEW_RECORD, VIEW_PROTECTED, MANAGE_PROTECTION, MANAGE_RESTRICTION, RELEASE_RESTRICTION,
                           EXTRACT_DATA, VIEW_STATISTICS}),
    # 統計・EUC担当 (企画・統計の職員): lists and statistics of residents, without 支援措置 persons or 個人番号.
    ANALYST: frozenset({VIEW_RECORD, EXTRACT_DATA, VIEW_STATISTICS}),
}


def has_permission(role: str | None, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role or "", frozenset())


def require(role: str | None, permission: str) -> None:
    if not has_permission(role, permission):
        label = PERMISSION_LABELS.get(permission, permission)
        raise PermissionDenied(f"この操作（{label}）を行う権限がありません。", code="forbidden")


# ------------------------------------------------------------------ login (issue #15 item 5, docs/security.md)
# 地方公共団体における情報セキュリティポリシーに関するガイドライン: a password mistyped a set number of times
# locks the account, and the lock is released by the administrator once the person is confirmed. A lock that
# lifts by itself after a while would let a guesser try again every while, unseen; a lock that waits for the
# administrator is an event somebody looks at. The messages never say whether a user name exists: a name that
# does not exist is counted and locked exactly like one that does.

LOGIN_FUNCTION = "login"
LOGOUT_FUNCTION = "logout"
LOCKOUT_FUNCTION = "login_lockout"
UNLOCK_FUNCTION = "login_unlock"
TOKEN_FUNCTION = "api_token"
USERNAME_MAX = 150


def login_failed_message(max_failures: int) -> str:
    return (f"利用者名またはパスワードが正しくありません。パスワードを{max_failures}回続けて誤るとロックされ、"
            "システム管理者による解除が必要になります。")


def locked_message(max_failures: int) -> str:
    return (f"この利用者名は、パスワードを{max_failures}回続けて誤ったためロックされています。"
            "システム管理者に解除を依頼してください。")


def address_throttled_message(window_seconds: int) -> str:
    minutes = max(1, -(-window_seconds // 60))
    return (f"この端末からのログインの失敗が続いたため、しばらくログインできません。"
            f"{minutes}分ほどたってから、もう一度お試しください。")


SESSION_EXPIRED_MESSAGE = "ログインしてから一定の時間が過ぎたため、ログアウトしました。もう一度ログインしてください。"


def is_locked(consecutive_failures: int, max_failures: int) -> bool:
    """Locked once the name has `max_failures` failures not cleared by a successful login or an unlock."""
    return consecutive_failures >= max_failures


def is_address_throttled(failures_in_window: int, max_failures: int) -> bool:
    """An address with this many failures (any user names, and failed API tokens) inside the window waits."""
    return failures_in_window >= max_failures


def session_expired(login_at: float | None, now: float, max_seconds: int) -> bool:
    """The absolute session lifetime: a session without a recorded login time is treated as expired."""
    return login_at is None or now - login_at >= max_seconds


def client_address(remote_addr: str, forwarded_for: str, proxy_hops: int) -> str:
    """The client's address: REMOTE_ADDR, or behind `proxy_hops` reverse proxies the X-Forwarded-For entry that
    the outermost of them appended (entries further left are whatever the client sent, so never trusted)."""
    if proxy_hops > 0:
        entries = [e.strip() for e in forwarded_for.split(",") if e.strip()]
        if len(entries) >= proxy_hops:
            return entries[-proxy_hops][:45]
    return (remote_addr or "")[:45]


def loggable_username(raw: str) -> str:
    """A user name as typed, fit for the operation log: no control characters (a NUL would fail the insert on
    PostgreSQL), at most the column's length."""
    return "".join(ch for ch in (raw or "") if ch.isprintable())[:USERNAME_MAX]
