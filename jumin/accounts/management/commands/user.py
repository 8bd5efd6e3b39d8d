"""`jumin user locked` lists the locked user names; `jumin user unlock NAME` lifts a lock (issue #15 item 5).

For the server's operator (who already holds the database); on the screens the administrator uses
/accounts/locked/. Both write the unlock to the operation log.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jumin.accounts import actions
from jumin.audit.actions import Actor
from jumin.core.errors import RuleViolation


class Command(BaseCommand):
    help = "ロック中の利用者名の一覧・ロックの解除"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("locked", help="ロック中の利用者名の一覧")
        unlock = sub.add_parser("unlock", help="利用者名のロックを解除する")
        unlock.add_argument("username")

    def handle(self, *args, verb, **options):
        if verb == "locked":
            for row in actions.locked_names():
                label = row["user"].label if row["user"] else "（登録のない利用者名）"
                self.stdout.write(f"{row['username']}\t{label}\t{timezone.localtime(row['locked_at']):%Y-%m-%d %H:%M}\t{row['failures']}")
            return
        try:
            actions.do_unlock_user(options["username"], actor=Actor(user=None, terminal="cli"))
        except RuleViolation as refusal:
            raise CommandError(refusal.message) from None
        self.stdout.write(f"ロックを解除しました: {options['username']}")
