"""`jumin integrated export --out FILE [--user NAME]`: the 副本 registration file of every 団体内統合宛名 for the
中間サーバー (共通機能 §2.4; the layout is docs/addressees-layouts.md), CSV in UTF-8 with a BOM. It carries 個人番号:
only a user with the right may write it, and the writing is logged."""

from django.core.management.base import BaseCommand, CommandError

from jumin.accounts.commands import account_of
from jumin.addressees.queries import export_integrated
from jumin.audit.actions import Actor
from jumin.core.csvfile import write_csv
from jumin.core.errors import PermissionDenied


class Command(BaseCommand):
    help = "団体内統合宛名（中間サーバーへの副本登録ファイルの出力）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        export = sub.add_parser("export", help="副本登録ファイル（CSV）を書く")
        export.add_argument("--out", required=True)
        export.add_argument("--user", default="migration", help="出力する利用者（操作ログに記録）")

    def handle(self, *args, verb, out, user, **options):
        account = account_of(user)
        try:
            header, rows = export_integrated(actor=Actor(user=account, terminal="jumin integrated export"))
        except PermissionDenied as refused:
            raise CommandError(str(getattr(refused, "message", refused))) from refused
        with open(out, "w", encoding="utf-8-sig", newline="") as handle:
            write_csv(rows, header, out=handle)
        self.stdout.write(f"団体内統合宛名 {len(rows):,} 件を書きました: {out}")
