"""`jumin generate`: a synthetic 宮城県仙台市 register (jumin.register.synthetic), with a progress bar.

    jumin generate --residents 1065009 --removed 2903844 --seed 1
    jumin generate --residents 1065009 --removed 2903844 --seed 1 --resume      # after an interruption
    jumin generate --residents 300 --removed 100 --seed 1 --reset               # replace what is there
"""

from datetime import date

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from jumin.register import synthetic


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return str(n)


class Command(BaseCommand):
    help = "合成データ（宮城県仙台市の住民記録）を生成して読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, required=True, help="住民（消除されていない方）の人数")
        parser.add_argument("--removed", type=int, default=0, help="除票の件数")
        parser.add_argument("--seed", type=int, default=1, help="乱数の種（同じ種なら同じデータ）")
        parser.add_argument("--reset", action="store_true", help="住民記録の既存データを削除してから生成する")
        parser.add_argument("--resume", action="store_true", help="中断した生成を最後に完了したバッチの次から続ける")
        parser.add_argument("--batch-households", type=int, default=50_000, help="1トランザクションで読み込む世帯数")
        parser.add_argument("--as-of", type=date.fromisoformat, default=synthetic.AS_OF_DEFAULT,
                            help=f"合成データの「今日」（既定 {synthetic.AS_OF_DEFAULT.isoformat()}）")
        parser.add_argument("--keep-indexes", action="store_true",
                            help="PostgreSQL でも索引・制約を削除せずに読み込む（既定: 20万人以上なら一時削除）")
        parser.add_argument("--no-progress", action="store_true", help="進捗バーを表示しない")

    def handle(self, *args, **opts):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        from rich.table import Table

        console = Console(file=self.stdout, highlight=False)
        options = synthetic.Options(
            residents=opts["residents"], removed=opts["removed"], seed=opts["seed"], reset=opts["reset"],
            resume=opts["resume"], batch_households=opts["batch_households"], as_of=opts["as_of"],
            drop_indexes=False if opts["keep_indexes"] else None,
        )
        show = not opts["no_progress"]
        lines = show and not console.is_terminal      # a log file: one line per batch instead of a live bar
        bar = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("世帯  {task.fields[persons]:,}/{task.fields[persons_total]:,}人"),
            TextColumn("{task.fields[rate]:,.0f} 行/秒"), TimeElapsedColumn(),
            console=console, disable=not show or lines, transient=False,
        )
        task = None

        def on_progress(p: synthetic.Progress) -> None:
            nonlocal task
            if lines:
                console.print(f"バッチ {p.batch}/{p.batches}: 世帯 {p.households:,}/{p.households_total:,}、"
                              f"{p.persons:,}/{p.persons_total:,}人、{p.rows:,} 行、"
                              f"{p.rows / p.elapsed if p.elapsed else 0:,.0f} 行/秒、{p.elapsed:,.0f} 秒")
                return
            if task is None:
                task = bar.add_task("生成", total=p.households_total, persons=0, persons_total=p.persons_total,
                                    rate=0.0)
            bar.update(task, completed=p.households, persons=p.persons,
                       rate=p.rows / p.elapsed if p.elapsed else 0.0,
                       description=f"バッチ {p.batch}/{p.batches}")

        def on_report(message: str) -> None:
            console.print(message)

        try:
            with bar:
                summary = synthetic.generate(options, progress=on_progress, report=on_report)
        except synthetic.GenerationRefused as refusal:
            raise CommandError(str(refusal)) from None
        if apps.is_installed("jumin.search"):
            # The search keys are kept in step by the change actions; a bulk load rebuilds them in one go.
            from jumin.search.bulk import reindex_all

            console.print("検索キーを作成しています…")
            keys = reindex_all()
            summary["search_keys"] = keys["keys"]
            summary["seconds"] += keys["seconds"]
            console.print(f"検索キー {keys['keys']:,} 件 {keys['seconds']:,.0f} 秒")

        table = Table(title="生成結果", show_header=False)
        table.add_row("住民（住民票）", f"{summary['residents']:,}")
        table.add_row("除票", f"{summary['removed']:,}")
        table.add_row("世帯", f"{summary['households']:,}")
        table.add_row("履歴（スナップショット）", f"{summary['history']:,}")
        table.add_row("異動", f"{summary['changes']:,}")
        table.add_row("検索キー", f"{summary.get('search_keys', 0):,}")
        table.add_row("所要時間", f"{summary['seconds']:,.1f} 秒")
        table.add_row("データベース", summary["database"])
        table.add_row("データベースの大きさ", _size(summary["database_bytes"]))
        console.print(table)
