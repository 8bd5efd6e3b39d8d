"""`jumin extract --out DIR --user NAME [--format parquet|csv] [--as-of DATE] [--entities a,b] [--since POINT|manifest.json]
[--include-individual-number] [--include-protected] [--force]`: one consistent snapshot of every entity the user's
role may extract, one file per entity plus DIR/manifest.json (issue #16 items 2–3; jumin.extract.actions).

The caller is a user of the system (`--user`): their role decides what is extracted, and the run is in the
operation log under their name. A refusal prints the Japanese message and exits with status 1, having written
nothing.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from jumin.audit.actions import Actor, log_refusal
from jumin.core.errors import RuleViolation
from jumin.extract import rules
from jumin.extract.actions import FUNCTION, do_extract_data

TERMINAL = "cli"


class _Progress:
    """A rich progress display: one line per file with its rows, on stderr (quiet when it is not a terminal)."""

    def __init__(self, stream):
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(file=stream)
        self.display = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                TextColumn("{task.fields[rows]:>12,} 行"), TimeElapsedColumn(),
                                console=self.console, transient=False, disable=not self.console.is_terminal)
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        self.display.__enter__()
        return self

    def __exit__(self, *exc):
        return self.display.__exit__(*exc)

    def __call__(self, event: str, code: str, label: str, rows: int) -> None:
        key = f"{code}:{label}"
        if event == "start":
            self.tasks[key] = self.display.add_task(f"{label}（{code}）", total=None, rows=0)
        elif event == "rows":
            self.display.update(self.tasks[key], rows=rows)
        else:
            self.display.update(self.tasks[key], rows=rows, total=1, completed=1)


class Command(BaseCommand):
    help = "データディクショナリの全データを、一つのスナップショットから Parquet または CSV に抽出する（全件・差分）"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="出力先フォルダ（空であること。上書きは --force）")
        parser.add_argument("--user", required=True, help="抽出する利用者（その役割の権限で抽出し、操作ログに記録する）")
        parser.add_argument("--format", default=rules.PARQUET, help="parquet（既定）または csv")
        parser.add_argument("--as-of", dest="as_of", help="基準日（YYYY-MM-DD または和暦）: 住民票と履歴をその日の状態で")
        parser.add_argument("--entities", help="抽出するデータのコード（カンマ区切り）。既定: 権限のあるすべて")
        parser.add_argument("--since", help="差分抽出: 前回の manifest.json、または抽出点（データベース識別子:通番）")
        parser.add_argument("--include-individual-number", action="store_true",
                            help="個人番号を含める（個人番号を表示する権限が必要）")
        parser.add_argument("--include-protected", action="store_true",
                            help="支援措置・照会抑止の対象者の行と支援措置の項目を含める（支援措置対象者を照会する権限が必要）")
        parser.add_argument("--force", action="store_true", help="空でない出力先に書く（前回の抽出を置き換える）")

    def handle(self, *args, **options):
        from jumin.accounts.models import User

        name = options["user"]
        user = User.objects.filter(username=name).first()
        if user is None or not user.is_active:
            message = f"利用者「{name[:150]}」は存在しないか、利用停止されています。"
            log_refusal(Actor(user=None, terminal=TERMINAL), FUNCTION, (), message=message,
                        detail={"user": name[:150]})
            raise CommandError(message)
        actor = Actor(user=user, terminal=TERMINAL)
        try:
            with _Progress(sys.stderr) as progress:
                manifest = do_extract_data(
                    options["out"], actor=actor, fmt=options["format"], as_of=options["as_of"],
                    entities=options["entities"], since=options["since"],
                    include_individual_number=options["include_individual_number"],
                    include_protected=options["include_protected"], force=options["force"], progress=progress)
        except RuleViolation as refusal:
            raise CommandError(refusal.message) from refusal
        mode = "差分" if manifest["mode"] == rules.INCREMENTAL else "全件"
        self.stdout.write(f"{mode}抽出を {options['out']} に書きました（抽出点 {manifest['snapshot_point']}）。")
        if manifest.get("full_because"):
            self.stdout.write(manifest["full_because"])
        for f in manifest["files"]:
            self.stdout.write(f"  {f['file']}\t{f['rows']:,} 行\t{f['ja']}")
        excluded = manifest["left_out"]["protected_persons"]
        if manifest["protected"]["withheld"] and excluded["count"]:
            self.stdout.write(f"  支援措置・照会抑止の対象者 {excluded['count']:,} 人の行を除きました。")
