"""`jumin serve [--bind 127.0.0.1:8000] [--workers N]`: collect static files, then run gunicorn.

The demo is served the way production is (design.md "serving"): gunicorn + WhiteNoise. This process
is replaced by gunicorn (os.execvp), so signals (Ctrl+C, SIGTERM) go straight to gunicorn's master.
"""

import os
import shutil
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

MAX_DEFAULT_WORKERS = 5


def default_workers() -> int:
    """JUMIN_WORKERS if set, else 2 × cores + 1, capped at 5 (the demo shares the machine with its database)."""
    configured = os.environ.get("JUMIN_WORKERS", "").strip()
    if configured:
        try:
            workers = int(configured)
        except ValueError:
            raise CommandError(f"JUMIN_WORKERS は正の整数で指定してください（指定値: {configured!r}）。") from None
        if workers < 1:
            raise CommandError(f"JUMIN_WORKERS は正の整数で指定してください（指定値: {configured!r}）。")
        return workers
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


def gunicorn_executable() -> str:
    """The gunicorn of the environment jumin runs in (the venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "gunicorn"
    if beside.exists():
        return str(beside)
    found = shutil.which("gunicorn")
    if found:
        return found
    raise CommandError("gunicorn が見つかりません（make venv で依存パッケージを入れてください）。")


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "静的ファイルを集めて gunicorn で配信する（Serve jumin with gunicorn）"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="待ち受けるアドレス:ポート（既定 127.0.0.1:8000）")
        parser.add_argument("--workers", type=positive_int, default=None,
                            help="ワーカー数（既定: 環境変数 JUMIN_WORKERS、なければ 2×コア数+1、上限 5）")

    def handle(self, *args, bind, workers, **options):
        workers = workers or default_workers()
        call_command("collectstatic", "--noinput", verbosity=0)
        gunicorn = gunicorn_executable()
        argv = [
            gunicorn, "jumin.wsgi:application",
            "--config", "python:jumin.gunicorn_conf",
            "--bind", bind,
            "--workers", str(workers),
            "--threads", "2",
            "--access-logfile", "-",
            "--error-logfile", "-",
            # gunicorn's control socket defaults to one path in $HOME, shared by every instance on the machine.
            "--no-control-socket",
        ]
        self.stdout.write(f"jumin: http://{bind}/ で配信します（serving on http://{bind}/, workers={workers}, threads=2）")
        self.stdout.flush()
        sys.stderr.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")
        os.execvp(gunicorn, argv)
