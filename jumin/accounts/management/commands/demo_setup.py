"""`jumin demo_setup`: the demo municipality (仙台市) and one login per role, then a table of the logins.

Idempotent: running it again updates the same rows (and resets the demo passwords); it never adds a
second municipality or a second user per role. The password is JUMIN_DEMO_PASSWORD, else
"jumin-demo-2026". This is for the demo only — never run it against a real municipality's database.
"""

import os
import unicodedata

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jumin.accounts import rules
from jumin.accounts.models import User
from jumin.core.models import Municipality

DEFAULT_PASSWORD = "jumin-demo-2026"
BASE_URL = "http://127.0.0.1:8000"

MUNICIPALITY = {
    "code": "041009",
    "name": "仙台市",
    "prefecture": "宮城県",
    "draft_required": True,
    "self_approval_allowed": False,
}

# username, role, display name (氏名), department (所属), English role label
DEMO_USERS = [
    ("clerk", rules.CLERK, "窓口 花子", "市民課", "counter clerk"),
    ("approver", rules.APPROVER, "審査 太郎", "市民課", "approver"),
    ("admin", rules.ADMIN, "管理 四郎", "情報政策課", "system administrator"),
    ("auditor", rules.AUDITOR, "監査 三郎", "監査課", "auditor"),
    ("viewer", rules.VIEWER, "照会 一郎", "税務課", "viewer (look-up only)"),
    ("supervisor", rules.SUPERVISOR, "支援 五郎", "市民課", "supervisor (支援措置・抑止)"),
    ("analyst", rules.ANALYST, "統計 六子", "政策企画課", "analyst (EUC・統計)"),
]

PERMISSION_LABELS_EN = {
    rules.VIEW_RECORD: "look up records",
    rules.CHANGE_RECORD: "enter changes (draft)",
    rules.APPROVE_CHANGE: "approve changes",
    rules.VIEW_INDIVIDUAL_NUMBER: "see 個人番号",
    rules.VIEW_OPERATION_LOG: "read the operation log",
    rules.MANAGE_USERS: "manage users",
    rules.VIEW_PROTECTED: "see 支援措置 persons and warnings",
    rules.MANAGE_PROTECTION: "manage 支援措置 (DV protection)",
    rules.MANAGE_RESTRICTION: "set and end 抑止",
    rules.RELEASE_RESTRICTION: "release 抑止 temporarily",
    rules.ISSUE_CERTIFICATE: "issue certificates",
    rules.VOID_CERTIFICATE: "void a wrongly issued certificate",
    rules.VIEW_ISSUANCES: "read the issue history and daily summary",
    rules.VERIFY_CERTIFICATE: "verify a certificate by its code",
    rules.REGISTER_SEAL: "register seals (印鑑登録), cards and abolition",
    rules.OVERRIDE_SEAL_SIMILARITY: "register a seal similar to a household member's (after comparing)",
    rules.EXTRACT_DATA: "extract data and run EUC lists",
    rules.APPROVE_EXTRACT: "approve EUC outputs that need a second person",
    rules.VIEW_STATISTICS: "read the population statistics",
    rules.VIEW_NON_RESIDENT: "look up 住登外者 (non-residents)",
    rules.REGISTER_NON_RESIDENT: "register, change and retire 住登外者; propose 名寄せ",
    rules.DECIDE_MERGE: "decide and undo 名寄せ (merges)",
    rules.INTEGRATED_NUMBER: "issue and look up 団体内統合宛名番号",
    rules.MANAGE_LINKAGE: "register and revoke linkage clients (連携先)",
    rules.MANAGE_CS: "load 住民票コード from 住基ネット CS files",
}

# The demo's consuming systems (issue #18): 個人住民税 by REST and by file (var/linkage/010-01), 国民健康保険 by REST
# with 支援措置 persons as masked markers. Their secrets are made again on every run, like the demo passwords.
DEMO_CLIENTS = [
    {"business": "010", "name": "個人住民税（デモ）", "items": ["name", "name_kana", "birth_date", "sex", "address",
                                                      "address_supplement", "postcode", "individual_number"],
     "receives_removed": True, "methods": ["pull", "file"], "directory": "var/linkage/010-01"},
    {"business": "024", "name": "国民健康保険（デモ）", "items": ["name", "birth_date", "sex", "address"],
     "receives_protected": True, "methods": ["pull"]},
]

# Permissions in the order of rules.PERMISSION_LABELS, so the table reads the same every time.
_PERMISSION_ORDER = list(rules.PERMISSION_LABELS)


def demo_password() -> str:
    return os.environ.get("JUMIN_DEMO_PASSWORD") or DEFAULT_PASSWORD


def role_permissions(role: str) -> list[str]:
    granted = rules.ROLE_PERMISSIONS.get(role, frozenset())
    return sorted(granted, key=lambda p: _PERMISSION_ORDER.index(p) if p in _PERMISSION_ORDER else len(_PERMISSION_ORDER))


def width(text: str) -> int:
    """Columns a terminal gives the text: full-width (East Asian W/F) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 0)


def setup_municipality() -> Municipality:
    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None:
        return Municipality.objects.create(**MUNICIPALITY)
    for field, value in MUNICIPALITY.items():
        setattr(municipality, field, value)
    municipality.save()
    return municipality


def setup_user(username: str, role: str, display_name: str, department: str, password: str) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role = role
    user.display_name = display_name
    user.department = department
    user.is_active = True
    user.is_staff = False
    user.is_superuser = False
    user.set_password(password)
    user.save()
    return user


def setup_certificates() -> None:
    """The certificate settings and the mayor with a (generated) seal, so the demo can issue at once."""
    from datetime import date

    from jumin.certificates.models import Signatory, current_config
    from jumin.certificates.seal import default_seal_svg

    config = current_config()
    config.verification_url = f"{BASE_URL}/certificates/verify/"
    config.save()
    Signatory.objects.update_or_create(
        title="宮城県仙台市長", deputy=False,
        defaults={"name": "郡 和子", "valid_from": date(2017, 8, 22), "seal_svg": default_seal_svg("仙台市長之印")})


def setup_seals() -> None:
    """印鑑登録設定 with the ordinances' defaults, plus the demo scanner's resolution for scans without dpi."""
    from jumin.seals.models import current_settings

    settings = current_settings()
    settings.scanner_dpi = 600
    settings.save()


def setup_linkage(admin) -> list[tuple[str, str, str]]:
    """The demo 連携先, registered once and given a new secret on every run: (client ID, name, secret)."""
    from pathlib import Path

    from jumin.audit.actions import Actor
    from jumin.linkage.actions import do_add_linkage_client, do_rotate_linkage_secret
    from jumin.linkage.models import LinkageClient

    actor = Actor(user=admin, terminal="demo_setup")
    out = []
    for data in DEMO_CLIENTS:
        if data.get("directory"):
            Path(data["directory"]).mkdir(parents=True, exist_ok=True)
        existing = LinkageClient.objects.filter(name=data["name"], revoked_at__isnull=True).first()
        if existing is None:
            client, secret = do_add_linkage_client(data, actor=actor)
        else:
            client, secret = do_rotate_linkage_secret(existing.client_id, actor=actor)
        out.append((client.client_id, client.name, secret))
    return out


def setup_cs(admin, clerk) -> tuple[int, int]:
    """住基ネット CS (issue #18 item 7): a pool of 住民票コード (1,000, topped up to that on every run) so a demo
    出生 gets its code; once, three 戸籍届出通知 (婚姻, 転籍, 死亡) and one household's 転出証明書情報 (特例転入) read as
    drafts waiting in the clerks' list.
    Returns (free codes, notices waiting)."""
    import datetime

    from django.utils import timezone

    from jumin.audit.actions import Actor
    from jumin.linkage import synthetic
    from jumin.linkage.actions import do_load_resident_codes, do_read_koseki_notices, do_read_move_out_info
    from jumin.linkage.models import InboundNotice
    from jumin.register.models import Resident, ResidentCodeStock

    free = ResidentCodeStock.objects.filter(used_by="").count()
    if free < 1000:
        _, free = do_load_resident_codes(
            synthetic.resident_code_file(1000 - free, start=ResidentCodeStock.objects.count()),
            source="demo-pool.txt", actor=Actor(user=admin, terminal="demo_setup"))
    people = list(Resident.objects.filter(status="resident", relationship="子",
                                          birth_date__lt=datetime.date(1995, 1, 1))
                  .order_by("-addressee_number")[:3])
    if not InboundNotice.objects.exists() and people:
        do_read_koseki_notices(
            synthetic.koseki_notice_file(synthetic.sample_koseki_notices(
                people, on=timezone.localdate().isoformat())),
            source="demo-koseki.csv", actor=Actor(user=clerk, terminal="demo_setup"))
        do_read_move_out_info(   # a family arriving by 特例転出 from 東京都千代田区: a 転入 draft waiting for the counter
            synthetic.move_out_file(synthetic.sample_move_out(moved_on=timezone.localdate().isoformat())),
            source="demo-move-out.csv", actor=Actor(user=clerk, terminal="demo_setup"))
    return free, InboundNotice.objects.count()


class Command(BaseCommand):
    help = "デモ用の団体設定（仙台市）と役割ごとの利用者を作成・更新し、ログイン情報を表示する（何度実行しても同じ結果）"

    def handle(self, *args, **options):
        password = demo_password()
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("JUMIN_DEMO_PASSWORD が使えません: " + " ".join(exc.messages)) from None

        with transaction.atomic():
            municipality = setup_municipality()
            users = [setup_user(username, role, display, dept, password)
                     for username, role, display, dept, _ in DEMO_USERS]
            setup_certificates()
            setup_seals()
            clients = setup_linkage(next(u for u in users if u.role == rules.ADMIN))
            cs = setup_cs(next(u for u in users if u.role == rules.ADMIN),
                          next(u for u in users if u.role == rules.CLERK))

        self.print_summary(municipality, users, password)
        self.print_linkage(clients)
        self.stdout.write(f"住基ネット / CS: 住民票コードの在庫 {cs[0]:,} 件（.venv/bin/jumin linkage cs stock）、"
                          f"戸籍届出通知・転出証明書情報 {cs[1]} 件は仮登録の異動として審査待ち / notices waiting as drafts")
        self.stdout.write("")

    def print_linkage(self, clients) -> None:
        out = self.stdout.write
        out("庁内連携の連携先 / Linkage clients (OAuth 2.0 client credentials; secrets new on every demo_setup):")
        for client_id, name, secret in clients:
            out(f"    {client_id}  {name}  client_secret: {secret}")
        first_id, _, first_secret = clients[0]
        out("トークンと差分データ / A token, then the feed:")
        out(f"    curl -u {first_id}:{first_secret} -d grant_type=client_credentials {BASE_URL}/oauth/token")
        out(f'    curl -H "Authorization: Bearer <access_token>" "{BASE_URL}/api/linkage/v1/changes?after=0&limit=10"')
        out("ファイル連携 / File linkage:  .venv/bin/jumin linkage export --full   (var/linkage/010-01/)")
        out(f"連携の状況 / Delivery status (admin): {BASE_URL}/linkage/")
        out("")

    def print_summary(self, municipality: Municipality, users: list[User], password: str) -> None:
        out = self.stdout.write
        english = {username: label for username, _, _, _, label in DEMO_USERS}
        out("")
        out(f"デモ環境の準備ができました / The demo is ready: {municipality}")
        mode = "仮登録 → 本登録（自己決裁なし） / two-step: draft → approval by another user" \
            if municipality.draft_required else "一段階（入力と同時に本登録） / single-step"
        out(f"異動の確定 / Changes: {mode}")
        out("")
        headers = ("利用者名 / username", "パスワード / password", "役割 / role", "できること / what the role may do")
        rows = []
        for user in users:
            permissions = role_permissions(user.role)
            rows.append((user.username, password, user.get_role_display(),
                         "・".join(rules.PERMISSION_LABELS.get(p, p) for p in permissions)))
            rows.append(("", "", english[user.username],
                         ", ".join(PERMISSION_LABELS_EN.get(p, p) for p in permissions)))
        columns = [max(width(row[i]) for row in (headers, *rows)) for i in range(3)]
        rule = "-+-".join("-" * c for c in columns) + "-+-" + "-" * max(width(r[3]) for r in (headers, *rows))

        def line(row) -> str:
            return " | ".join(pad(cell, columns[i]) for i, cell in enumerate(row[:3])) + " | " + row[3]

        out(line(headers))
        out(rule)
        for i, row in enumerate(rows):
            out(line(row).rstrip())
            if i % 2 == 1 and i != len(rows) - 1:
                out(rule)
        out("")
        out("画面 / Screens:        " + f"{BASE_URL}/  (ログイン / login: {BASE_URL}/login/)")
        out("API の説明 / API docs: " + f"{BASE_URL}/api/docs")
        out("OpenAPI:               " + f"{BASE_URL}/api/openapi.json")
        out("")
        out("API トークンの発行 / Get an API token (shown once; only its hash is stored):")
        out("    .venv/bin/jumin token create --user clerk")
        out("API の呼び出し例 / Call the API:")
        out(f'    curl -H "Authorization: Bearer jmn_…" {BASE_URL}/api/me')
        out("")
