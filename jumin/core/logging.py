"""Keep 個人番号 and 住民票コード out of every log (design.md: "never written to application logs"; issue #15).

What is masked, in every record of the application log and of gunicorn's error and access logs:
- 12 digits standing alone, also grouped 4-4-4 with spaces or hyphens: the shape of a 個人番号;
- 11 digits standing alone: the shape of a 住民票コード. Every 11-digit run is masked, not only those whose check
  digit is right — a mistyped code is still nearly someone's code, and what else has 11 digits in a log (a
  住所コード, a mobile number) loses nothing worth keeping there.
10 digits (a 宛名番号, a 世帯番号) are kept: the operation log and the application log refer to persons by them.

gunicorn's access log never has the query string nor the Referer (GunicornLogger, set by `jumin serve`): a
search by number is a query string, and the page after it sends that URL as its Referer.
"""

import logging
import re

from django.views.debug import SafeExceptionReporterFilter as _DjangoFilter
from gunicorn import glogging

_INDIVIDUAL_NUMBER = re.compile(r"(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}(?!\d)")
_RESIDENT_CODE = re.compile(r"(?<!\d)\d{11}(?!\d)")
MASK = "************"
RESIDENT_CODE_MASK = "***********"


def redact(text: str) -> str:
    return _RESIDENT_CODE.sub(RESIDENT_CODE_MASK, _INDIVIDUAL_NUMBER.sub(MASK, text))


class RedactIndividualNumberFilter(logging.Filter):
    """Masks anything shaped like a 個人番号 or a 住民票コード in every log record, whatever logger wrote it —
    the message, its arguments, and the traceback of an exception."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class SafeExceptionReporterFilter(_DjangoFilter):
    """Error reports hide request fields that may hold 個人番号 as well as the usual secrets."""

    hidden_settings = re.compile("API|TOKEN|KEY|SECRET|PASS|SIGNATURE|INDIVIDUAL", flags=re.I)

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if not params:
            return params
        cleaned = params.copy()
        for key in cleaned:
            if "individual" in key.lower() or "mynumber" in key.lower() or "resident_code" in key.lower():
                cleaned[key] = self.cleansed_substitute
        return cleaned


# The access log's line (gunicorn's atoms): the request line is method, path and protocol — no %(q)s, no %(r)s
# (RAW_URI carries the query), no %(f)s (the Referer carries the previous page's query).
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'


class GunicornLogger(glogging.Logger):
    """gunicorn's logger for `jumin serve`: the redaction filter on its error and access logs, and the access
    log's atoms without the query string, whatever access_log_format says (GUNICORN_CMD_ARGS included)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactIndividualNumberFilter) for f in log.filters):
                log.addFilter(RedactIndividualNumberFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO", "")
        atoms["r"] = f"{environ.get('REQUEST_METHOD', '-')} {path} {environ.get('SERVER_PROTOCOL', '-')}"
        atoms["q"] = "-"
        atoms["f"] = (environ.get("HTTP_REFERER") or "-").split("?", 1)[0]
        for key in ("{raw_uri}e", "{request_uri}e"):
            if key in atoms:
                atoms[key] = path
        for key in ("{query_string}e", "{referer}i", "{http_referer}e"):
            if key in atoms:
                atoms[key] = "-"
        return atoms
