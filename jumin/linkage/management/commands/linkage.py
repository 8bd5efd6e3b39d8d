"""`jumin linkage client add --business 010 --name 個人住民税 --items name,birth_date,… [--removed] [--protected]
[--methods pull,file] [--directory DIR] [--user NAME]` registers a consuming system (連携先) and prints its client ID
and secret once; `jumin linkage client list`; `jumin linkage client revoke|rotate CLIENT_ID` (issue #18 item 2);
`jumin linkage export [--client CLIENT_ID] [--full]` writes the file linkage (item 4)."""

from django.core.management.base import BaseCommand, CommandError

from jumin.accounts.commands import account_of
from jumin.audit.actions import Actor
from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.linkage import actions
from jumin.linkage.models import LinkageClient

TERMINAL = "jumin linkage"


class Command(BaseCommand):
    help = "庁内連携（連携先の登録・一覧・失効）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="noun", required=True)
        client = sub.add_parser("client", help="連携先")
        verbs = client.add_subparsers(dest="verb", required=True)
        add = verbs.add_parser("add", help="連携先を登録し、クライアントIDとシークレットを一度だけ表示する")
        add.add_argument("--business", required=True, help="業務ID（3桁）")
        add.add_argument("--name", required=True)
        add.add_argument("--items", required=True, help="受け取る項目（データディクショナリの項目名をカンマ区切り）")
        add.add_argument("--removed", action="store_true", help="除票も受け取る")
        add.add_argument("--protected", action="store_true", help="支援措置対象者も受け取る（項目を伏せた印で）")
        add.add_argument("--methods", default="pull", help="pull, file, notify（カンマ区切り）")
        add.add_argument("--directory", default="", help="ファイル連携の置き場所")
        add.add_argument("--user", default="admin", help="登録する利用者（操作ログに記録）")
        verbs.add_parser("list", help="連携先の一覧")
        revoke = verbs.add_parser("revoke", help="連携先を失効させる")
        revoke.add_argument("client_id")
        revoke.add_argument("--user", default="admin")
        rotate = verbs.add_parser("rotate", help="シークレットを作り直して一度だけ表示する（古いシークレットとトークンは無効）")
        rotate.add_argument("client_id")
        rotate.add_argument("--user", default="admin")
        notify = sub.add_parser("notify", help="変更通知を NATS JetStream に送る（--once で一度だけ。既定は送り続ける）")
        notify.add_argument("--once", action="store_true")
        notify.add_argument("--interval", type=float, default=1.0, help="新しい異動を見に行く間隔（秒）")
        notify.add_argument("--url", default=None, help="NATS の URL（既定: 設定 JUMIN_NATS_URL、nats://127.0.0.1:4222）")
        export = sub.add_parser("export", help="ファイル連携（差分。--full で全件）を連携先の置き場所に書く")
        export.add_argument("--client", help="連携先のクライアントID（省略時: ファイル連携のすべての連携先）")
        export.add_argument("--full", action="store_true")
        export.add_argument("--user", default="admin")

    def handle(self, *args, noun, verb=None, **options):
        if noun == "export":
            return self._export(options)
        if noun == "notify":
            return self._notify(options)
        if verb == "list":
            for c in LinkageClient.objects.order_by("client_id"):
                state = "失効" if c.revoked_at else "有効"
                self.stdout.write(f"{c.client_id}\t{c.name}\t{state}\t{','.join(c.methods)}\t{','.join(c.items)}")
            return
        actor = Actor(user=account_of(options["user"]), terminal=TERMINAL)
        try:
            if verb == "add":
                client, secret = actions.do_add_linkage_client({
                    "business": options["business"], "name": options["name"],
                    "items": options["items"].split(","), "receives_removed": options["removed"],
                    "receives_protected": options["protected"], "methods": options["methods"].split(","),
                    "directory": options["directory"]}, actor=actor)
                self.stdout.write(f"client_id: {client.client_id}\nclient_secret: {secret}\n"
                                  "（シークレットは再表示できません。連携先の設定に控えてください）")
            elif verb == "rotate":
                client, secret = actions.do_rotate_linkage_secret(options["client_id"], actor=actor)
                self.stdout.write(f"client_id: {client.client_id}\nclient_secret: {secret}\n"
                                  "（シークレットは再表示できません。古いシークレットとトークンは使えなくなりました）")
            else:
                client = actions.do_revoke_linkage_client(options["client_id"], actor=actor)
                self.stdout.write(f"失効しました: {client.client_id}")
        except (RuleViolation, PermissionDenied) as refused:
            raise CommandError(str(getattr(refused, "message", refused))) from refused

    def _export(self, options):
        """Every 10 minutes from the system's timer (差分), nightly with --full (docs/linkage/files.md)."""
        actor = Actor(user=account_of(options["user"]), terminal=TERMINAL)
        if options.get("client"):
            codes = [options["client"]]
        else:
            codes = [c.client_id for c in LinkageClient.objects.filter(revoked_at__isnull=True).order_by("client_id")
                     if "file" in c.methods]
        failed = 0
        for code in codes:
            try:
                run = actions.do_export_files(code, actor=actor, full=options["full"])
            except (RuleViolation, PermissionDenied) as refused:
                raise CommandError(str(getattr(refused, "message", refused))) from refused
            if not run.ok:
                failed += 1
                self.stderr.write(f"{code}: 失敗 — {run.message}（次の実行で同じ範囲を送り直します）")
            elif run.file_name:
                self.stdout.write(f"{code}: {run.file_name}（{run.rows:,} 行、通番 {run.from_seq + 1}〜{run.to_seq}）")
            else:
                self.stdout.write(f"{code}: 新しい異動はありません（通番 {run.to_seq} まで送付済み）")
        if failed:
            raise CommandError(f"{failed} 件の連携先に書けませんでした。")

    def _notify(self, options):
        """The publisher: every `interval` seconds, what is new; a broker that is down is retried with backoff."""
        import time

        from jumin.linkage.notify import publish_pending

        pause = options["interval"]
        while True:
            try:
                sent = publish_pending(url=options["url"])
                pause = options["interval"]
            except (OSError, Exception) as error:  # noqa: BLE001 - the broker down or refusing: retry, never lose
                if options["once"]:
                    raise CommandError(f"NATS に送れませんでした: {error}") from error
                self.stderr.write(f"NATS に送れませんでした（{pause:.0f} 秒後に再試行）: {error}")
                sent, pause = 0, min(pause * 2, 60)
            if sent:
                self.stdout.write(f"変更通知 {sent:,} 件を送りました")
            if options["once"]:
                return
            time.sleep(pause)
