"""Issue #15 item 2: whatever access_log_format says — even gunicorn's default with %(r)s and %(f)s — the
GunicornLogger of `jumin serve` writes the path without the query string and the Referer without its query, and
masks numbers in the error log too."""

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from jumin.core.logging import GunicornLogger

NUMBER, CODE = "123456789018", "12345678903"


def logger_with(access_log_format: str) -> tuple[GunicornLogger, io.StringIO]:
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", access_log_format)
    log = GunicornLogger(cfg)
    stream = io.StringIO()
    for target in (log.access_log, log.error_log):
        handler = logging.StreamHandler(stream)
        target.addHandler(handler)
    return log, stream


def environ():
    return {"REQUEST_METHOD": "GET", "RAW_URI": f"/api/search?individual_number={NUMBER}",
            "PATH_INFO": "/api/search", "QUERY_STRING": f"individual_number={NUMBER}", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "10.0.0.1", "HTTP_REFERER": f"http://x/counter/search/?resident_code={CODE}",
            "HTTP_USER_AGENT": "test"}


def test_the_default_format_loses_the_query_and_the_referers_query():
    log, stream = logger_with('%(h)s "%(r)s" %(s)s "%(f)s" %(q)s %({raw_uri}e)s %({query_string}e)s')
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", f"http://x/counter/search/?resident_code={CODE}")])

    log.access(response, request, environ(), timedelta(milliseconds=5))

    line = stream.getvalue()
    assert '"GET /api/search HTTP/1.1" 200 "http://x/counter/search/"' in line
    assert NUMBER not in line and CODE not in line and "individual_number" not in line


def test_the_error_log_masks_numbers():
    log, stream = logger_with("%(U)s")

    log.error("Invalid request line: GET /api/search?individual_number=%s&resident_code=%s", NUMBER, CODE)

    assert NUMBER not in stream.getvalue() and CODE not in stream.getvalue()
