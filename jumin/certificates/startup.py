"""A worker's start: the certificate fonts loaded in a background thread, so the first page answers at once.

Loading IPAmj for HarfBuzz shaping and for subsetting, and the seals, takes ≈ 0.6 s of one core a worker (≈ 1.5 s
while it loaded WeasyPrint too, before issue #15 item 12; more when five workers start together on two cores beside
the database: the first page used to hang for up to 27 s after gunicorn's "Listening", issue #15 item 10). Screens need none of it. So each gunicorn
worker starts this loader when it boots (`jumin.gunicorn_conf.post_worker_init`) and answers requests while it
runs. A certificate request that comes before the load is finished does not fail and does not load a second
copy: every piece is built once per process behind a lock (`fonts.once`, the seal cache's lock), so the request
waits for the piece it needs and is answered when it is there — about as long as the load has left to run.

Waiting was chosen over answering 503 「起動中です」: the wait is a second or two after a restart, every client
(the counter's form, the API, the load test) would otherwise need a retry, and a refusal would have to be logged
as one although nothing was wrong.
"""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger("jumin.certificates")

_ready = threading.Event()
_started_lock = threading.Lock()
_thread: threading.Thread | None = None


def warm_up() -> None:
    """Everything a certificate needs, loaded now: the coverage table, and with the form renderer (ADR 0002) its
    HarfBuzz face and the seals in use — no WeasyPrint: a worker loads it only when it draws a PDF that needs it
    (印鑑登録証明書, 日計表, 照会書), from the same prepared face (issue #15 item 12). With the WeasyPrint renderer,
    WeasyPrint with IPAmj. `bench/certificates.py` calls it before forking."""
    from django.conf import settings

    from jumin.certificates import render

    if settings.CERTIFICATE_RENDERER == "form":
        from jumin.certificates import form

        render.unprintable("住民")
        form.warm_up()
    else:
        render.warm_up()
    _ready.set()


LOADER_NICENESS = 15


def _load() -> None:
    _lower_this_threads_priority()
    try:
        warm_up()
    except Exception:  # noqa: BLE001 — a worker without the font still serves everything else
        logger.exception("証明書用フォントの読み込みに失敗しました（certificate renderer warm-up failed）")
    finally:
        from django.db import connection

        connection.close()  # the seals were read on this thread's own connection


def _lower_this_threads_priority() -> None:
    """The loader runs at a low CPU priority (Linux: a thread is its own task, so only this thread is niced):
    five workers load at once on two cores, and a clerk's first page should not queue behind them. Measured
    (five workers, load average ≈ 8): the first /login/ 3.8–7.8 s after "Listening" at normal priority,
    1.5–1.9 s niced."""
    import os

    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOADER_NICENESS)
    except (AttributeError, OSError):  # not Linux, or not allowed: the load runs at the worker's priority
        pass


def start_warm_up() -> threading.Thread:
    """Start the loader once per process (a daemon thread: it never holds up a worker's exit)."""
    global _thread
    with _started_lock:
        if _thread is None:
            _thread = threading.Thread(target=_load, name="jumin-font-warm-up", daemon=True)
            _thread.start()
        return _thread


def is_ready() -> bool:
    """True once the start-up load has succeeded (whether or not a request needed a piece of it first)."""
    return _ready.is_set()
