"""A refusal must leave its operation-log row whatever the request sent (issue #15 item 3): NUL is dropped
(PostgreSQL refuses it in text and in JSON), every text is cut to its column, and a 宛名番号 that cannot be one
(too long, or not what was sent once cleaned) is kept, shortened, in the detail instead of being cut into what
might be somebody else's number."""

from conftest import actor
from jumin.audit.actions import Actor, log_refusal
from jumin.audit.models import REFUSED, OperationLog


def test_nul_and_over_long_values_are_stored_cleaned_and_bounded(clerk):
    log_refusal(actor(clerk, "T-LOG\x00" + "x" * 80), "f" * 80, ["0000000019\x00", "1" * 300, "0000000027"],
                message="理由\x00" + "あ" * 600, detail={"sent\x00": ["a\x00b", {"deep": "c\x00" * 1000}], "n": 1})
    rows = list(OperationLog.objects.order_by("pk"))
    assert [r.addressee_number for r in rows] == ["0000000027"]
    row = rows[0]
    assert row.outcome == REFUSED and row.username == "clerk"
    assert row.terminal == ("T-LOG" + "x" * 80)[:50] and row.function == "f" * 50
    assert row.reason.startswith("理由あ") and len(row.reason) == 500 and "\x00" not in row.reason
    assert row.detail["sent"][0] == "ab" and len(row.detail["sent"][1]["deep"]) == 500 and row.detail["n"] == 1
    assert row.detail["unusable_addressee_numbers"] == ["0000000019", "1" * 40 + "…"]


def test_only_unusable_numbers_still_leave_one_row(clerk):
    log_refusal(actor(clerk), "record.view", ["9" * 11], message="宛名番号の住民票は見つかりません。")
    row = OperationLog.objects.get()
    assert row.addressee_number == "" and row.detail == {"unusable_addressee_numbers": ["9" * 11]}


def test_an_unauthenticated_refusal_is_logged_as_anonymous(db):
    from django.contrib.auth.models import AnonymousUser

    log_refusal(Actor(user=AnonymousUser(), terminal="api"), "do_move_in", message="ログインしてください。")
    assert OperationLog.objects.get().username == "anonymous"


def test_an_ordinary_refusal_is_stored_as_given(clerk):
    log_refusal(actor(clerk), "record.view", ["0000000019"], message="権限がありません。", detail={"a": "b"})
    row = OperationLog.objects.get()
    assert (row.addressee_number, row.reason, row.detail, row.terminal) == ("0000000019", "権限がありません。",
                                                                           {"a": "b"}, "T-001")
