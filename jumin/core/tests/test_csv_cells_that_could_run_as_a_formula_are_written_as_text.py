"""CSV injection (issue #15 item 9, OWASP "CSV Injection"): a string cell that starts with = + - @, a tab or a
carriage return reaches a spreadsheet as text (a leading '), anywhere in the file; numbers stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

from jumin.core.csvfile import cell, write_csv


def read(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def test_every_formula_start_gets_a_quote_in_front():
    for text in ("=1+2", "+81-22", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'):
        assert cell(text) == "'" + text


def test_ordinary_text_and_numbers_are_written_as_they_are():
    assert cell("山田 太郎") == "山田 太郎"
    assert cell("a=1") == "a=1" and cell(" =1") == " =1"
    assert cell(-300) == -300 and cell(Decimal("-1.5")) == Decimal("-1.5") and cell(-0.5) == -0.5
    assert cell(None) == "" and cell(date(2025, 4, 1)) == "2025-04-01"
    assert cell(True) == "True"


def test_the_header_and_every_row_are_neutralised_in_the_file():
    text = write_csv([["=1+2", -1, "-1"], ["本庁1", 600, '@a,"b"']], header=["+端末", "件数", "備考"])
    assert read(text) == [["'+端末", "件数", "備考"], ["'=1+2", "-1", "'-1"], ["本庁1", "600", "'@a,\"b\""]]
