"""gunicorn settings read by `jumin serve` (--config python:jumin.gunicorn_conf)."""


def post_worker_init(worker):
    """Each worker loads the certificate font before it takes requests (see certificates.render.warm_up)."""
    from jumin.certificates.render import warm_up

    try:
        warm_up()
    except Exception:  # noqa: BLE001 — a worker without the font still serves everything else
        worker.log.exception("certificate renderer warm-up failed")
