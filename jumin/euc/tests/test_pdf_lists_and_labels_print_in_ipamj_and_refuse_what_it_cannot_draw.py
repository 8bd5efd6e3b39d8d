"""PDF list and 宛名ラベル (住民記録 §10.1 "list/label print"): drawn by WeasyPrint with IPAmj明朝 only (the private
fontconfig of certificates/render), 和暦 dates on paper, 12 labels an A4 page (〒, 住所, 方書, 氏名 様); a character the
font lacks refuses the file with the character named — nothing written but the refusal's log row — as a
certificate does. A PDF is for reading: over PDF_MAX_ROWS it is refused (pointing to CSV/XLSX), never cut."""

import re
import subprocess

import pytest

from conftest import actor
from jumin.audit.models import REFUSED, OperationLog
from jumin.core.errors import RuleViolation
from jumin.euc import actions, outputs
from jumin.euc.tests.conftest import euc_state
from jumin.register.models import Resident


def text_of(path):
    return "".join(subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, check=True,
                                  text=True).stdout.split())


def fonts_of(path):
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


def test_a_list_in_wareki(city, analyst):
    run = actions.do_run_euc({"dataset": "residents", "items": ["name", "birth_date", "age", "town"], "as_of": "R8.4.1",
                              "sort": [{"item": "age", "desc": True}]}, "pdf_list", actor=actor(analyst))
    text = text_of(run.file_path)
    assert "住民（現在）" in text and "佐藤和子" in text and "昭和25年12月24日" in text and "青葉区一番町四丁目" in text
    assert text.index("佐藤和子") < text.index("山田一郎")       # oldest first
    fonts = fonts_of(run.file_path)
    assert "IPAmj" in fonts and "DejaVu" not in fonts


def test_labels_twelve_a_page(city, analyst, monkeypatch):
    run = actions.do_run_euc({"dataset": "residents", "items": ["name"], "sort": [{"item": "addressee_number"}]},
                             "pdf_labels", actor=actor(analyst))
    text = text_of(run.file_path)
    assert "〒980-0811" in text and "宮城県仙台市青葉区一番町四丁目7番17号" in text and "一番町ハイツ301" in text
    assert "山田太郎様" in text and run.rows == 5
    pages = subprocess.run(["pdfinfo", run.file_path], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", pages, re.M)
    assert run.subjects.count() == 5


def test_a_character_ipamj_lacks_refuses_the_file(city, analyst):
    Resident.objects.filter(pk=city["kazuo"].pk).update(address_supplement="寺岡ハイツ😀")   # a migrated record
    before = euc_state()
    for output in ("pdf_list", "pdf_labels"):
        with pytest.raises(RuleViolation, match="印字できない文字があります.*😀"):
            actions.do_run_euc({"dataset": "residents", "items": ["name", "address_supplement"]}, output,
                               actor=actor(analyst))
    assert euc_state() == before
    assert OperationLog.objects.filter(function="euc.run", outcome=REFUSED, reason__contains="😀").count() == 2
    # The same data goes out as CSV, which carries every character.
    assert "😀" in open(actions.do_run_euc({"dataset": "residents", "items": ["address_supplement"]}, "csv",
                                          actor=actor(analyst)).file_path, encoding="utf-8-sig").read()


def test_too_many_rows_for_paper_are_refused_not_cut(city, analyst, monkeypatch):
    monkeypatch.setattr(outputs, "PDF_MAX_ROWS", 3)
    before = euc_state()
    with pytest.raises(RuleViolation, match="PDF は3件までです"):
        actions.do_run_euc({"dataset": "residents", "items": ["name"]}, "pdf_list", actor=actor(analyst))
    assert euc_state() == before
