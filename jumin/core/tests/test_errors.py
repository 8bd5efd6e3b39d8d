from jumin.core.errors import ConflictError, NotFound, PermissionDenied, RuleViolation


def test_rule_violation_keeps_message_field_and_code():
    error = RuleViolation("生年月日を入力してください。", field="birth_date", code="required")

    assert error.message == "生年月日を入力してください。"
    assert error.field == "birth_date"
    assert error.code == "required"


def test_str_of_a_rule_violation_is_its_japanese_message():
    assert str(RuleViolation("続柄を入力してください。")) == "続柄を入力してください。"


def test_rule_violation_defaults_to_no_field_and_code_invalid():
    error = RuleViolation("入力が正しくありません。")

    assert error.field is None
    assert error.code == "invalid"


def test_each_subclass_has_its_own_default_code():
    assert ConflictError("他の職員が更新しました。").code == "conflict"
    assert PermissionDenied("権限がありません。").code == "forbidden"
    assert NotFound("見つかりません。").code == "not_found"


def test_subclasses_are_rule_violations_and_accept_a_field_and_code():
    error = PermissionDenied("権限がありません。", field="role", code="no_approval_right")

    assert isinstance(error, RuleViolation)
    assert (error.field, error.code) == ("role", "no_approval_right")
