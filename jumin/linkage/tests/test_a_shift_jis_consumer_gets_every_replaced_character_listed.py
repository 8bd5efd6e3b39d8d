"""Characters (issue #18 item 8): files are written in 行政事務標準文字 as stored (MJ, IVS kept); a 連携先 registered
with --charset cp932 gets Shift_JIS, each character CP932 cannot hold replaced — by the municipality's map for it,
then the MJ縮退マップ, then without its variation selector, else 〓 — and every replacement listed in the run's
exceptions file with the line, the item, the code points and how; never a silent "?". A character map with a
fault is refused whole with its lines and logged, and nothing is registered."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from conftest import actor, family_params
from jumin.audit.models import OperationLog
from jumin.linkage import rules
from jumin.linkage.actions import ADD_CLIENT, do_export_files
from jumin.linkage.models import LinkageClient
from jumin.linkage.tests.test_a_tax_system_pulls_a_relocation_made_a_second_earlier import _register
from jumin.register.actions import do_move_in

KATSU_IVS = "葛\U000E0102"          # 葛 with an IVS: CP932 has 葛, not this form
NAMES = ["髙橋 太郎", f"{KATSU_IVS}西 花子", "𠮷田 一郎", "㐂多 二郎"]


@pytest.fixture
def city(single_step, clerk):
    members = family_params()["members"]
    people = [{**m, "name": name, "individual_number": "", "resident_code": ""} for m, name in zip(members * 2, NAMES)]
    people[0]["relationship"] = "世帯主"
    for p in people[1:]:
        p["relationship"] = "子" if p["relationship"] == "世帯主" else p["relationship"]
    people[3]["relationship"] = "子"
    do_move_in(family_params(members=people), actor=actor(clerk))


def _csv(path, encoding):
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding))))


def test_a_utf8_consumer_gets_the_characters_as_stored(city, admin, tmp_path):
    client_id, _ = _register("--business", "010", "--name", "個人住民税", "--items", "name", "--methods", "file",
                             "--directory", str(tmp_path))
    run = do_export_files(client_id, actor=actor(admin), full=True)
    names = [row[2] for row in _csv(tmp_path / run.file_name, "utf-8-sig")[1:]]
    assert names == NAMES and not list(tmp_path.glob("*.exceptions.csv"))


def test_a_shift_jis_consumer_gets_each_replacement_listed(city, admin, tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text("元の文字,置き換える文字\n𠮷,吉\n", encoding="utf-8")
    out = tmp_path / "share"
    out.mkdir()
    client_id, _ = _register("--business", "010", "--name", "個人住民税", "--items", "name", "--methods", "file",
                             "--directory", str(out), "--charset", "cp932", "--character-map", str(mapping))
    run = do_export_files(client_id, actor=actor(admin), full=True)
    names = [row[2] for row in _csv(out / run.file_name, "cp932")[1:]]
    assert names == ["髙橋 太郎", "葛西 花子", "吉田 一郎", "喜多 二郎"]       # CP932 has 髙 (IBM extension): kept
    listed = _csv(out / run.file_name.replace(".csv", ".exceptions.csv"), "utf-8-sig")
    assert listed[0] == ["行", "通番・宛名番号", "項目", "元の文字", "コード", "置き換えた文字", "方法"]
    assert [(r[3], r[4], r[5], r[6]) for r in listed[1:]] == [
        (KATSU_IVS, "U+845B U+E0102", "葛", "MJ縮退マップ"),
        ("𠮷", "U+20BB7", "吉", "市区町村の対応表"),                      # the city's map comes first
        ("㐂", "U+3402", "喜", "MJ縮退マップ")]
    assert all(r[2] == "氏名" and r[1] for r in listed[1:]) and listed[1][0] == "3"      # the file's line


def test_a_character_nobody_maps_becomes_geta_and_is_listed():
    text, replaced = rules.to_cp932("\U0002A6B2", local_map={}, variants={})
    assert text == "〓" and replaced == [("\U0002A6B2", "〓", "代替文字")]
    assert rules.to_cp932("〜", local_map={}, variants={})[0] != "〜"          # written as another: replaced, listed


@pytest.mark.parametrize("content, line, message", [
    ("元,先\n𠮷,吉\n", 1, "見出し行"),
    ("元の文字,置き換える文字\n𠮷,𠮷\n", 2, "Shift_JIS（CP932）で書けません"),
    ("元の文字,置き換える文字\n𠮷吉,吉\n", 2, "元の文字（1文字）"),
])
def test_a_faulty_character_map_is_refused_whole_and_logged(municipality, admin, tmp_path, content, line, message):
    mapping = tmp_path / "map.csv"
    mapping.write_text(content, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="文字の対応表"):
        call_command("linkage", "client", "add", "--business", "010", "--name", "個人住民税", "--items", "name",
                     "--charset", "cp932", "--character-map", str(mapping), stdout=io.StringIO(), stderr=err)
    assert message in err.getvalue() and f"{line}行目" in err.getvalue()
    assert not LinkageClient.objects.exists()
    assert OperationLog.objects.filter(function=ADD_CLIENT, outcome="refused").exists()


def test_an_unknown_charset_is_refused(municipality, admin):
    with pytest.raises(CommandError, match="文字コード「euc-jp」は扱えません"):
        _register("--business", "010", "--name", "個人住民税", "--items", "name", "--charset", "euc-jp")
    assert not LinkageClient.objects.exists()
