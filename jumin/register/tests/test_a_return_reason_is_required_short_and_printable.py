"""差戻し (drafts_return.check_return_reason): the clerk reads the reason on the draft screen, so it is
required, at most 200 characters and free of control characters; a refusal names what is wrong."""

import pytest

from jumin.core.errors import RuleViolation
from jumin.register.actions.drafts_return import REASON_MAX, check_return_reason


def test_a_reason_is_kept_trimmed():
    assert check_return_reason("  本籍の番地を確認してください\n") == "本籍の番地を確認してください"
    assert check_return_reason("あ" * REASON_MAX) == "あ" * REASON_MAX


@pytest.mark.parametrize("reason,says", [("", "入力してください"), ("　 ", "入力してください"),
                                         ("あ" * (REASON_MAX + 1), "200文字以内"), ("確認\x00して", "U+0000"),
                                         ("確認\u202eして", "U+202E")])
def test_a_blank_long_or_control_reason_is_refused(reason, says):
    with pytest.raises(RuleViolation) as refusal:
        check_return_reason(reason)
    assert says in refusal.value.message and refusal.value.field == "reason"
