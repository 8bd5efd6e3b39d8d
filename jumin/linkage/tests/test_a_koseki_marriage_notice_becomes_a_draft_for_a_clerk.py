"""戸籍届出通知 (issue #18 item 7c, 法第9条第2項): the 戸籍 system's file is read by a clerk; a 婚姻 becomes a draft
職権修正 (new 氏名, 本籍, 筆頭者) that changes nothing until an approver approves it — even where changes are
otherwise applied at once; a 死亡 of a 世帯主 whose successor must be chosen, or a notice about someone who is not
a resident here, is kept as 要確認 with the reason; the same file read again makes no second draft. A malformed file
is refused whole with every line's fault and nothing kept; a viewer may not read notices."""

import io

import pytest
from django.core.management import CommandError, call_command

from conftest import _user, actor, register_state
from jumin.accounts import rules as perms
from jumin.audit.models import OperationLog
from jumin.linkage import synthetic
from jumin.linkage.actions import READ_KOSEKI
from jumin.linkage.models import InboundNotice
from jumin.register.actions import do_approve_change
from jumin.register.models import Change, Resident

ON = "2024-11-01"


def _read(tmp_path, notices, user="clerk"):
    path = tmp_path / "koseki.csv"
    path.write_bytes(synthetic.koseki_notice_file(notices) if isinstance(notices, list) else notices)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("linkage", "cs", "koseki", str(path), "--user", user, stdout=out, stderr=err)
    finally:
        _read.err = err.getvalue()
    return out.getvalue()


def _notice(person, **fields):
    return {"通知番号": "K0001", "届出の種類": "婚姻", "届出年月日": ON, "効力発生日": ON,
            "宛名番号": person.addressee_number, "生年月日": person.birth_date.isoformat(), **fields}


def test_a_marriage_notice_is_a_draft_until_an_approver_approves_it(family, clerk, approver, tmp_path):
    hanako = Resident.objects.get(name="山田 花子")
    before = register_state()
    out = _read(tmp_path, [_notice(hanako, 氏名="佐藤 花子", 本籍="宮城県仙台市青葉区国分町三丁目7番1号", 筆頭者="佐藤 健")])
    notice = InboundNotice.objects.get()
    assert notice.status == InboundNotice.DRAFT and f"仮登録 異動ID {notice.change_id}" in out
    draft = Change.objects.get(pk=notice.change_id)
    assert (draft.status, draft.kind, draft.ex_officio) == ("draft", "correction", True)   # single-step city: still a draft
    assert "戸籍届出通知（婚姻、通知番号 K0001）" in draft.reason
    assert Resident.objects.get(pk=hanako.pk).name == "山田 花子"                          # nothing applied
    assert register_state()["residents"] == before["residents"]

    do_approve_change(draft.pk, actor=actor(approver))
    married = Resident.objects.get(pk=hanako.pk)
    assert (married.name, married.domicile, married.domicile_head) == \
        ("佐藤 花子", "宮城県仙台市青葉区国分町三丁目7番1号", "佐藤 健")

    _read(tmp_path, [_notice(hanako, 氏名="佐藤 花子")])                                   # the same notice again
    assert InboundNotice.objects.count() == 1 and Change.objects.filter(kind="correction").count() == 1
    assert OperationLog.objects.filter(function=READ_KOSEKI, outcome="ok").count() == 2


def test_what_the_register_cannot_take_as_it_stands_waits_for_a_clerk(family, clerk, tmp_path):
    taro = Resident.objects.get(name="山田 太郎")
    ichiro = Resident.objects.get(name="山田 一郎")
    out = _read(tmp_path, [
        _notice(taro, 通知番号="K0002", 届出の種類="死亡"),                        # 世帯主: two remain, choose one
        _notice(ichiro, 通知番号="K0003", 届出の種類="転籍", 本籍="宮城県仙台市泉区泉中央二丁目1番地の1", 生年月日="2012-06-02"),
        {**_notice(ichiro, 通知番号="K0004", 届出の種類="転籍", 本籍="宮城県仙台市泉区泉中央二丁目1番地の1"),
         "宛名番号": "0000999997"},
    ])
    states = {n.notice_number: (n.status, n.message) for n in InboundNotice.objects.all()}
    assert all(status == InboundNotice.NEEDS_CLERK for status, _ in states.values())
    assert "世帯主" in states["K0002"][1]
    assert "生年月日が住民票の生年月日と異なります" in states["K0003"][1]
    assert "住民記録にありません" in states["K0004"][1]
    assert "要確認" in out and not Change.objects.filter(status="draft").exists()
    assert Resident.objects.get(pk=taro.pk).status == "resident"


@pytest.mark.parametrize("mangle, line, message", [
    (lambda n: {**n, "届出の種類": "認知する"}, 2, "届出の種類は"),
    (lambda n: {**n, "効力発生日": "令和6年11月1日"}, 2, "効力発生日は YYYY-MM-DD"),
    (lambda n: {**n, "宛名番号": "1234567890"}, 2, "検査用数字が一致しません"),
    (lambda n: {**n, "氏名": ""}, 2, "変わった事項"),
    (lambda n: {**n, "届出の種類": "死亡", "氏名": "佐藤 花子"}, 2, "死亡の通知には氏名を記載できません"),
    (lambda n: {**n, "通知番号": "K0009"}, 3, "2行目と同じ通知番号です"),
])
def test_a_malformed_file_is_refused_whole_with_each_line(family, clerk, tmp_path, mangle, line, message):
    hanako = Resident.objects.get(name="山田 花子")
    good = _notice(hanako, 通知番号="K0009", 氏名="佐藤 花子")
    before = register_state()
    with pytest.raises(CommandError, match="ファイル全体を取り込みませんでした"):
        _read(tmp_path, [mangle(_notice(hanako, 氏名="佐藤 花子")), good])
    assert f"{line}行目" in _read.err and message in _read.err
    assert not InboundNotice.objects.exists() and register_state() == before
    assert OperationLog.objects.filter(function=READ_KOSEKI, outcome="refused", username="clerk").exists()


@pytest.mark.parametrize("data, message", [
    ("通知番号,届出の種類\r\nK1,婚姻\r\n".encode(), "見出し行が"),
    (b"\x82\xa0\x82\xa2", "UTF-8 ではありません"),
])
def test_a_file_of_another_layout_or_encoding_is_refused(family, clerk, tmp_path, data, message):
    with pytest.raises(CommandError):
        _read(tmp_path, data)
    assert message in _read.err and not InboundNotice.objects.exists()


def test_a_viewer_may_not_read_notices(family, tmp_path):
    _user("viewer", perms.VIEWER, "照会 専用")
    hanako = Resident.objects.get(name="山田 花子")
    with pytest.raises(CommandError, match="権限がありません"):
        _read(tmp_path, [_notice(hanako, 氏名="佐藤 花子")], user="viewer")
    assert not InboundNotice.objects.exists()
    assert OperationLog.objects.filter(function=READ_KOSEKI, outcome="refused", username="viewer").exists()


def test_the_notices_waiting_for_a_clerk_are_on_the_draft_list(family, clerk, screen_as, tmp_path):
    from jumin.restrictions.actions import do_register_protection

    taro = Resident.objects.get(name="山田 太郎")
    hanako = Resident.objects.get(name="山田 花子")
    _read(tmp_path, [_notice(taro, 通知番号="K0002", 届出の種類="死亡"),
                     _notice(hanako, 通知番号="K0005", 届出の種類="死亡", 生年月日="1999-01-01")])
    page = screen_as(clerk).get("/counter/drafts/").content.decode()
    assert "戸籍届出通知（要確認）" in page and "K0002" in page and "K0005" in page and "世帯主" in page
    supervisor = _user("supervisor", perms.SUPERVISOR, "支援 五郎")
    do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv"}, actor=actor(supervisor))
    approver = _user("approver2", perms.APPROVER, "審査 二郎")
    assert "K0005" in screen_as(approver).get("/counter/drafts/").content.decode()      # may see protected persons
    from jumin.accounts.models import User

    User.objects.filter(pk=approver.pk).update(role=perms.VIEWER)
    approver.refresh_from_db()
    assert "戸籍届出通知" not in screen_as(approver).get("/counter/drafts/").content.decode()   # may not enter changes


def test_a_clerk_closes_a_waiting_notice_with_what_was_done(family, clerk, screen_as, tmp_path):
    from jumin.linkage.actions import CLOSE_KOSEKI

    taro = Resident.objects.get(name="山田 太郎")
    _read(tmp_path, [_notice(taro, 通知番号="K0002", 届出の種類="死亡")])
    desk = screen_as(clerk)
    refused = desk.post("/linkage/koseki/K0002/close/", {"note": ""}, follow=True)
    assert "処理の内容" in refused.content.decode() and InboundNotice.objects.get().status == InboundNotice.NEEDS_CLERK
    assert OperationLog.objects.filter(function=CLOSE_KOSEKI, outcome="refused").exists()
    done = desk.post("/linkage/koseki/K0002/close/", {"note": "窓口で死亡（異動ID 12）として入力"}, follow=True)
    assert "処理済みにしました" in done.content.decode() and "K0002" not in done.content.decode().split("処理済みにしました")[1]
    notice = InboundNotice.objects.get()
    assert (notice.status, notice.closed_by, notice.closed_note) == ("closed", "clerk", "窓口で死亡（異動ID 12）として入力")
    again = desk.post("/linkage/koseki/K0002/close/", {"note": "二度目"})
    assert again.status_code == 403 and InboundNotice.objects.get().closed_note.startswith("窓口で")
    viewer = _user("viewer", perms.VIEWER, "照会 専用")
    assert screen_as(viewer).post("/linkage/koseki/K0002/close/", {"note": "x"}).status_code == 403
    assert screen_as(viewer).post("/linkage/koseki/K9999/close/", {"note": "x"}).status_code == 403   # right first
