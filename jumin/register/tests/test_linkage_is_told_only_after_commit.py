"""Other systems hear of a change only once it is approved and committed (design.md: linkage on commit)."""

from conftest import actor, family_params
from jumin.audit.models import OperationLog
from jumin.register.actions import do_approve_change, do_move_in
from jumin.register.actions.base import change_approved


def listen():
    heard = []

    def receiver(sender, change_id, **kwargs):
        heard.append(change_id)

    change_approved.connect(receiver, weak=False)
    return heard, receiver


def test_an_approved_change_is_announced_after_commit_and_a_draft_is_not(municipality, clerk, approver,
                                                                        django_capture_on_commit_callbacks):
    heard, receiver = listen()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            change = do_move_in(family_params(), actor=actor(clerk))
        assert heard == []                       # 仮登録 is not sent to other systems
        with django_capture_on_commit_callbacks(execute=False) as pending:
            do_approve_change(change.pk, actor=actor(approver))
        assert heard == [] and len(pending) == 1  # scheduled, not yet sent: the transaction has not committed
        pending[0]()
        assert heard == [change.pk]
        approvals = OperationLog.objects.filter(function="change.approve")
        assert {(a.username, a.change_id) for a in approvals} == {("approver", change.pk)}
        assert approvals.count() == 3             # one row per person approved
    finally:
        change_approved.disconnect(receiver)


def test_a_refused_change_announces_nothing(single_step, clerk, django_capture_on_commit_callbacks):
    heard, receiver = listen()
    try:
        params = family_params()
        params["members"][0]["birth_date"] = "令和2年2月30日"
        with django_capture_on_commit_callbacks(execute=True):
            try:
                do_move_in(params, actor=actor(clerk))
            except Exception:  # noqa: BLE001 - the refusal itself is tested elsewhere
                pass
        assert heard == []
    finally:
        change_approved.disconnect(receiver)
