"""gunicorn settings read by `jumin serve` (--config python:jumin.gunicorn_conf)."""


def post_worker_init(worker):
    """Each worker loads the certificate fonts in a background thread and answers requests meanwhile; a
    certificate asked for before the load is done waits for it (see certificates.startup)."""
    from jumin.certificates.startup import start_warm_up

    start_warm_up()
