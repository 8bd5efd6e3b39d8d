"""`jumin linkage client add --business 010 --name 個人住民税 --items name,birth_date,… [--removed] [--protected]
[--methods pull,file] [--directory DIR] [--user NAME]` registers a consuming system (連携先) and prints its client ID
and secret once; `jumin linkage client list`; `jumin linkage client revoke CLIENT_ID` (issue #18 item 2)."""

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

    def handle(self, *args, noun, verb, **options):
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
            else:
                client = actions.do_revoke_linkage_client(options["client_id"], actor=actor)
                self.stdout.write(f"失効しました: {client.client_id}")
        except (RuleViolation, PermissionDenied) as refused:
            raise CommandError(str(getattr(refused, "message", refused))) from refused
