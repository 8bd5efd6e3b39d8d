"""gunicorn settings read by `jumin serve` (--config python:jumin.gunicorn_conf)."""


# The application is imported once, in the master, and each worker is forked ready to answer (a worker restarted
# after a crash too): five workers importing Django at once on two cores took 5–8 s before any could answer.
# Code changes need a restart of `jumin serve`, not a HUP. The certificate fonts are not loaded here but in each
# worker's background thread (post_worker_init), so that no thread is running when the master forks.
preload_app = True


def post_worker_init(worker):
    """Each worker loads the certificate fonts in a background thread and answers requests meanwhile; a
    certificate asked for before the load is done waits for it (see certificates.startup)."""
    from jumin.certificates.startup import start_warm_up

    start_warm_up()
