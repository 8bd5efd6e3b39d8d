"""A 12-digit number (the shape of a 個人番号) never reaches the application log: the
RedactIndividualNumberFilter masks it in every record, however the message was built."""

import io
import logging

import pytest

from jumin.core.logging import MASK, RedactIndividualNumberFilter


@pytest.fixture
def log():
    """A logger whose handler carries the filter, as settings.LOGGING's console handler does."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactIndividualNumberFilter())
    logger = logging.getLogger("jumin.tests.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize("number", ["123456789018", "1234 5678 9018", "1234-5678-9018"])
def test_a_twelve_digit_number_in_the_message_is_masked(log, number):
    logger, stream = log

    logger.warning(f"個人番号 {number} を照会しました")

    assert stream.getvalue().strip() == f"個人番号 {MASK} を照会しました"


def test_a_twelve_digit_number_passed_as_an_argument_is_masked(log):
    logger, stream = log

    logger.warning("照会: 宛名番号=%s 個人番号=%s", "0000000011", "123456789018")

    assert "123456789018" not in stream.getvalue()
    assert MASK in stream.getvalue()
    assert "0000000011" in stream.getvalue()   # a 10-digit 宛名番号 is not a 個人番号


def test_the_console_handler_of_the_settings_carries_the_filter(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert "redact" in handler["filters"]
    assert settings.LOGGING["filters"]["redact"]["()"] == "jumin.core.logging.RedactIndividualNumberFilter"
