"""転出証明書情報 (issue #18 item 7c, 特例転入): CS's file of a household's 特例転出 becomes one 転入 draft for the clerk
who receives them — every person with the 住民票コード, 個人番号, 本籍 the 転出地 sent — and changes nothing until an
approver approves it; a household whose move-in day has not come is kept as 要確認 with the register's message; the
same file read twice makes one draft. A malformed file (a wrong check digit, a household that disagrees with
itself, a sex that is not 1 or 2) is refused whole with every line and nothing kept; a viewer may not read it."""

import copy
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import _user, actor, register_state
from jumin.accounts import rules as perms
from jumin.audit.models import OperationLog
from jumin.linkage import synthetic
from jumin.linkage.actions import READ_MOVE_OUT
from jumin.linkage.models import InboundNotice
from jumin.register.actions import do_approve_change
from jumin.register.models import Change, Resident


def _read(tmp_path, households, user="clerk"):
    path = tmp_path / "move-out.csv"
    path.write_bytes(synthetic.move_out_file(households))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("linkage", "cs", "move-out", str(path), "--user", user, stdout=out, stderr=err)
    finally:
        _read.err = err.getvalue()
    return out.getvalue()


def test_a_household_moving_in_by_card_is_a_draft_until_approved(municipality, clerk, approver, tmp_path):
    today = timezone.localdate().isoformat()
    family = synthetic.sample_move_out(moved_on=today)
    before = register_state()
    out = _read(tmp_path, family)
    notice = InboundNotice.objects.get()
    assert (notice.source_kind, notice.kind, notice.status) == ("move_out", "特例転入", "draft") and "仮登録" in out
    draft = Change.objects.get(pk=notice.change_id)
    assert (draft.kind, draft.status) == ("move_in", "draft") and "転出証明書情報" in draft.reason
    assert register_state()["residents"] == before["residents"]                  # nothing applied yet

    approved = do_approve_change(draft.pk, actor=actor(approver))
    people = {p.name: p for p in Resident.objects.filter(addressee_number__in=approved.result["created"])}
    sent = {p["氏名"]: p for p in family[0]["persons"]}
    assert set(people) == set(sent)
    for name, person in people.items():
        assert (person.resident_code, person.individual_number) == (sent[name]["住民票コード"], sent[name]["個人番号"])
        assert person.previous_address == "東京都千代田区永田町一丁目7番1号" and person.domicile.startswith("東京都千代田区")
    assert people["佐藤 健"].relationship == "世帯主" and people["佐藤 健"].address == "宮城県仙台市青葉区一番町三丁目3番1号"

    _read(tmp_path, family)                                                      # the same file again
    assert InboundNotice.objects.count() == 1 and Change.objects.filter(kind="move_in").count() == 1


def test_a_move_in_day_still_to_come_waits_for_the_clerk(municipality, clerk, tmp_path):
    later = (timezone.localdate() + timedelta(days=10)).isoformat()
    _read(tmp_path, synthetic.sample_move_out(moved_on=later, first=2))
    notice = InboundNotice.objects.get()
    assert notice.status == "needs_clerk" and notice.message and not Change.objects.exists()


@pytest.mark.parametrize("mangle, message", [
    (lambda h: h["persons"][1].update(住民票コード="97000000000"), "住民票コード"),
    (lambda h: h["persons"][2].update(性別="男"), "性別は 1"),
    (lambda h: h.update(転出地の団体コード="131011"), "団体コード"),
])
def test_a_malformed_file_is_refused_whole_with_each_line(municipality, clerk, tmp_path, mangle, message):
    family = copy.deepcopy(synthetic.sample_move_out(moved_on=timezone.localdate().isoformat()))
    mangle(family[0])
    before = register_state()
    with pytest.raises(CommandError, match="ファイル全体を取り込みませんでした"):
        _read(tmp_path, family)
    assert message in _read.err and "行目" in _read.err
    assert not InboundNotice.objects.exists() and register_state() == before
    assert OperationLog.objects.filter(function=READ_MOVE_OUT, outcome="refused", username="clerk").exists()


def test_a_household_that_disagrees_with_itself_is_refused(municipality, clerk, tmp_path):
    family = synthetic.sample_move_out(moved_on=timezone.localdate().isoformat())
    path = tmp_path / "move-out.csv"
    lines = synthetic.move_out_file(family).decode().splitlines()
    lines[2] = lines[2].replace("宮城県仙台市青葉区一番町三丁目3番1号", "宮城県仙台市泉区泉中央一丁目1番1号")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("linkage", "cs", "move-out", str(path), "--user", "clerk", stderr=err)
    assert "3行目" in err.getvalue() and "2行目と異なります" in err.getvalue()
    assert not InboundNotice.objects.exists()


def test_a_viewer_may_not_read_it(municipality, tmp_path):
    _user("viewer", perms.VIEWER, "照会 専用")
    with pytest.raises(CommandError, match="権限がありません"):
        _read(tmp_path, synthetic.sample_move_out(moved_on=timezone.localdate().isoformat()), user="viewer")
    assert not InboundNotice.objects.exists()
    assert OperationLog.objects.filter(function=READ_MOVE_OUT, outcome="refused", username="viewer").exists()
