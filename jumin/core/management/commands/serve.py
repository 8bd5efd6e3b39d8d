"""`jumin serve [--bind 127.0.0.1:8000] [--workers N]`: collect static files, then run gunicorn.

It refuses the default SECRET_KEY unless JUMIN_DEMO=true, and configures gunicorn's logs so that no query
string, Referer, 個人番号 or 住民票コード reaches them (docs/security.md).

The demo is served the way production is (design.md "serving"): gunicorn + WhiteNoise. This process
is replaced by gunicorn (os.execvp), so signals (Ctrl+C, SIGTERM) go straight to gunicorn's master.
"""

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jumin.core.logging import ACCESS_LOG_FORMAT

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


def refuse_demo_secret_key() -> None:
    """The default SECRET_KEY is in the source: anyone could forge this server's sessions and CSRF tokens with it.
    Only the demo (JUMIN_DEMO=true, set by `make demo` and the load benchmark) may serve with it."""
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY and not settings.DEMO:
        raise CommandError("JUMIN_SECRET_KEY が設定されていません。既定の鍵はソースに書かれていて誰でも知っているため、"
                           "この鍵では配信しません。50文字以上のランダムな値を JUMIN_SECRET_KEY に設定してください"
                           "（例: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'）。"
                           "デモとして配信するときは JUMIN_DEMO=true を設定してください。")


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
        refuse_demo_secret_key()
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
            # The access log has the path, never the query string nor the Referer, and both logs mask anything
            # shaped like a 個人番号 or a 住民票コード (jumin.core.logging; docs/security.md).
            "--access-logformat", ACCESS_LOG_FORMAT,
            "--logger-class", "jumin.core.logging.GunicornLogger",
            # gunicorn's control socket defaults to one path in $HOME, shared by every instance on the machine.
            "--no-control-socket",
        ]
        self.stdout.write(f"jumin: http://{bind}/ で配信します（serving on http://{bind}/, workers={workers}, threads=2）")
        self.stdout.flush()
        sys.stderr.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")
        os.execvp(gunicorn, argv)
