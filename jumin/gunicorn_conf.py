"""gunicorn settings read by `jumin serve` (--config python:jumin.gunicorn_conf)."""

import gc

# The application is imported once, in the master, and each worker is forked ready to answer (a worker restarted
# after a crash too): five workers importing Django at once on two cores took 5–8 s before any could answer.
# Code changes need a restart of `jumin serve`, not a HUP. The certificate fonts are not loaded here but in each
# worker's background thread (post_worker_init), so that no thread is running when the master forks.
preload_app = True


def pre_fork(server, worker):
    """The master's objects (Django, the app, ≈ 70 MB) are moved out of the garbage collector's sight before each
    fork: a collection in a worker writes into every object it examines, so each worker would otherwise copy the
    pages of objects it shares with the master (Python's gc.freeze documentation; issue #15 item 12)."""
    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    """Each worker loads the certificate fonts in a background thread and answers requests meanwhile; a
    certificate asked for before the load is done waits for it (see certificates.startup)."""
    from jumin.certificates.startup import start_warm_up

    start_warm_up()
