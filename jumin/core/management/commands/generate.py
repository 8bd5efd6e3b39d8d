"""`jumin generate`: the synthetic 宮城県仙台市 (jumin.core.synthetic), every installed app's part in dependency
order (the register's residents first, then the search keys, …), with a progress bar and one summary.

    jumin generate --residents 1065009 --removed 2903844 --seed 1
    jumin generate --residents 1065009 --removed 2903844 --seed 1 --resume      # after an interruption
    jumin generate --residents 300 --removed 100 --seed 1 --reset               # replace what is there

The options common to all parts are here; each part adds its own (`Contributor.add_arguments`).
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from jumin.core import synthetic


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return str(n)


class Command(BaseCommand):
    help = "合成データ（宮城県仙台市の住民記録ほか）を生成して読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="乱数の種（同じ種なら同じデータ）")
        parser.add_argument("--reset", action="store_true", help="生成するデータ（住民記録ほか）の既存分を削除してから生成する")
        parser.add_argument("--resume", action="store_true", help="中断した生成を最後に完了したバッチの次から続ける")
        parser.add_argument("--as-of", type=date.fromisoformat, default=synthetic.AS_OF_DEFAULT,
                            help=f"合成データの「今日」（既定 {synthetic.AS_OF_DEFAULT.isoformat()}）")
        parser.add_argument("--no-progress", action="store_true", help="進捗バーを表示しない")
        for contributor in synthetic.contributors():
            contributor.add_arguments(parser)

    def handle(self, *args, **opts):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        from rich.table import Table

        console = Console(file=self.stdout, highlight=False)
        show = not opts["no_progress"]
        lines = show and not console.is_terminal      # a log file: one line per batch instead of a live bar
        bar = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"), TextColumn("{task.fields[rate]:,.0f} 行/秒"), TimeElapsedColumn(),
            console=console, disable=not show or lines, transient=False,
        )
        tasks: dict[str, int] = {}

        def on_progress(step: synthetic.Step) -> None:
            if lines:
                console.print(step.line)
                return
            if step.task not in tasks:
                tasks[step.task] = bar.add_task("生成", total=step.total, detail="", rate=0.0)
            bar.update(tasks[step.task], completed=step.done, total=step.total, detail=step.detail,
                       rate=step.rows / step.elapsed if step.elapsed else 0.0, description=step.label)

        started = time.perf_counter()
        try:
            with bar:
                run = synthetic.generate_city(opts, progress=on_progress, report=console.print)
        except synthetic.GenerationRefused as refusal:
            raise CommandError(str(refusal)) from None

        table = Table(title="生成結果", show_header=False)
        for result in run.results.values():
            for label, value in result.rows:
                table.add_row(label, value)
        seconds = sum(result.seconds for result in run.results.values()) or time.perf_counter() - started
        table.add_row("所要時間", f"{seconds:,.1f} 秒")
        table.add_row("データベース", connection.vendor)
        table.add_row("データベースの大きさ", _size(synthetic.database_size(connection)))
        console.print(table)
