"""`jumin token create --user NAME` prints a new API token; `jumin token revoke PREFIX`; `jumin token list`."""

from django.core.management.base import BaseCommand, CommandError

from jumin.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "APIトークンの発行・失効・一覧"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="トークンを発行して表示する（再表示はできません）")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="")
        revoke = sub.add_parser("revoke", help="トークンを失効させる")
        revoke.add_argument("prefix")
        lst = sub.add_parser("list", help="トークンの一覧")
        lst.add_argument("--user")

    def handle(self, *args, verb, **options):
        if verb == "create":
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"利用者 {options['user']} は存在しません。")
            _, raw = ApiToken.issue(user, options["name"])
            self.stdout.write(raw)
        elif verb == "revoke":
            tokens = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True)
            if not tokens.exists():
                raise CommandError("該当する有効なトークンがありません。")
            for token in tokens:
                token.revoke()
            self.stdout.write(f"失効しました: {options['prefix']}")
        else:
            tokens = ApiToken.objects.select_related("user").order_by("created_at")
            if options.get("user"):
                tokens = tokens.filter(user__username=options["user"])
            for t in tokens:
                state = "失効" if t.revoked_at else "有効"
                self.stdout.write(f"{t.prefix}\t{t.user.username}\t{t.user.role}\t{state}\t{t.name}")
