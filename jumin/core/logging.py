"""Keep 個人番号 out of application logs (design.md: "never written to application logs")."""

import logging
import re

from django.views.debug import SafeExceptionReporterFilter as _DjangoFilter

# 12 digits standing alone, also with the common 4-4-4 grouping.
_INDIVIDUAL_NUMBER = re.compile(r"(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}(?!\d)")
MASK = "************"


def redact(text: str) -> str:
    return _INDIVIDUAL_NUMBER.sub(MASK, text)


class RedactIndividualNumberFilter(logging.Filter):
    """Masks anything shaped like a 個人番号 in every log record, whatever logger wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
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
            if "individual" in key.lower() or "mynumber" in key.lower():
                cleaned[key] = self.cleansed_substitute
        return cleaned
