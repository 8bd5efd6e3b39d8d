"""`jumin statistics --as-of DATE --out DIR [--month MONTH] [--user NAME] [--force]`: every statistics table as
of a day, written to DIR as one XLSX (a sheet per table), one CSV per table (UTF-8 with BOM) and the PDF with
the charts — the same tables as the screen (住民記録 §10.1).

Run at the server by the operator, it is beyond the roles like every management command and is logged as the
user "system"; with --user the named user's right (VIEW_STATISTICS) is checked and the run is logged as theirs.
A malformed date (令和0年, 2026-02-30) or a DIR that is not empty (unless --force) is refused in Japanese and
nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jumin.audit.actions import Actor, log_refusal
from jumin.core.errors import RuleViolation
from jumin.core.wareki import format_wareki
from jumin.stats import document, queries

FUNCTION = "statistics.export"


class Command(BaseCommand):
    help = "統計（人口・世帯・住基月報）を基準日現在で XLSX・CSV・PDF に出力する"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="基準日（和暦 R8.10.1・令和8年10月1日 または 西暦 2026-10-01）")
        parser.add_argument("--out", required=True, help="出力先のフォルダ（空であること。--force で上書き）")
        parser.add_argument("--month", default="", help="住基月報の対象月（令和8年9月・2026-09。省略時は基準日までの最後の1か月）")
        parser.add_argument("--user", default="", help="この利用者として実行する（統計の照会の権限を確認し、操作ログに記録）")
        parser.add_argument("--force", action="store_true", help="空でないフォルダにも書き出す（同名のファイルは上書き）")
        parser.add_argument("--no-pdf", action="store_true", help="PDF を作らない")

    def handle(self, *args, as_of, out, month, user, force, no_pdf, **options):
        actor, system = self._actor(user)
        directory = Path(out)
        try:
            day = queries.read_day(as_of, actor=actor, function=FUNCTION, system=system)
            chosen = queries.read_month(month, day=day, actor=actor, function=FUNCTION, system=system)
            self._check_directory(directory, force=force, actor=actor)
        except RuleViolation as refusal:
            raise CommandError(refusal.message) from None
        statistics = queries.statistics(day, chosen, actor=actor, function=FUNCTION, output="cli", system=system)
        directory.mkdir(parents=True, exist_ok=True)
        stem = document.file_stem(day)
        written = [directory / f"{stem}.xlsx"]
        document.write_xlsx_file(statistics, written[0])
        written += document.write_csv_files(statistics, directory)
        if not no_pdf:
            written.append(directory / f"{stem}.pdf")
            written[-1].write_bytes(document.pdf_bytes(statistics))
        p = statistics.population
        self.stdout.write(f"基準日 {format_wareki(day)}: 人口 {p.total:,}人、世帯 {p.households:,}。"
                          f"住基月報 {chosen.label}: 検算{'一致' if statistics.report.balances else '不一致'}。")
        for path in written:
            self.stdout.write(f"  {path}")

    def _actor(self, username: str) -> tuple[Actor, bool]:
        if not username:
            return Actor(user=None, terminal="cli"), True
        from jumin.accounts.models import User

        found = User.objects.filter(username=username, is_active=True).first()
        if found is None:
            log_refusal(Actor(user=None, terminal="cli"), FUNCTION, message=f"利用者 {username[:150]} は登録されていません。")
            raise CommandError(f"利用者「{username}」は登録されていないか、使用を停止されています。")
        return Actor(user=found, terminal="cli"), False

    def _check_directory(self, directory: Path, *, force: bool, actor: Actor) -> None:
        refusal = None
        if directory.exists() and not directory.is_dir():
            refusal = RuleViolation(f"出力先 {directory} はフォルダではありません。", field="out")
        elif directory.is_dir() and any(directory.iterdir()) and not force:
            refusal = RuleViolation(f"出力先のフォルダ {directory} は空ではありません。空のフォルダを指定するか、"
                                    "上書きしてよい場合は --force を付けてください。", field="out", code="not_empty")
        if refusal:
            log_refusal(actor, FUNCTION, message=refusal.message)
            raise refusal
