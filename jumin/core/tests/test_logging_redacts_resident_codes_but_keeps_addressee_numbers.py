"""Issue #15 item 2: an 11-digit number (the shape of a 住民票コード) is masked in every log record, as a
12-digit 個人番号 is — in the message, its arguments and a traceback — while a 10-digit 宛名番号 is kept (the logs
refer to persons by it)."""

import io
import logging

import pytest

from jumin.core.logging import RESIDENT_CODE_MASK, RedactIndividualNumberFilter


@pytest.fixture
def log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactIndividualNumberFilter())
    logger = logging.getLogger("jumin.tests.resident_code")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_an_eleven_digit_code_is_masked_and_a_ten_digit_number_kept(log):
    logger, stream = log

    logger.warning("宛名番号=%s 住民票コード=%s", "0000000019", "12345678903")

    assert stream.getvalue().strip() == f"宛名番号=0000000019 住民票コード={RESIDENT_CODE_MASK}"


def test_a_code_in_a_query_string_or_a_traceback_is_masked(log):
    logger, stream = log
    try:
        raise ValueError("resident_code=12345678903 is wrong")
    except ValueError:
        logger.exception("GET /api/search?resident_code=12345678903&individual_number=123456789018")

    text = stream.getvalue()
    assert "12345678903" not in text and "123456789018" not in text
    assert "ValueError" in text and "resident_code=" + RESIDENT_CODE_MASK in text


def test_longer_runs_of_digits_are_not_cut_into_codes(log):
    logger, stream = log

    logger.warning("request id 1234567890123")   # 13 digits: neither a code nor a 個人番号

    assert "1234567890123" in stream.getvalue()
